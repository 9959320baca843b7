#!/usr/bin/env python3
"""Bring data/train/gum_open_genres.jsonl to the eval files' apposition convention.

`../shared/train/gum_open_genres.jsonl` (84 GUM documents of the openly licensed genres) was
converted before one refinement of the conventions that `../shared/eval/gum_news_dev.jsonl`
(and the project's held-out news half) follow (`../shared/eval/README.md`): "When GUM's mention
is headed by a common noun with the name in apposition ("English captain Harry Kane",
"illustrator Johnnie Christmas"), the name is the entity (`Harry Kane`): a single word counts
only when GUM links it to Wikipedia." Without it, "attorney John Martin" or "advice columnist
Dan Savage" are unlabelled in the training text, which teaches the model that a name after a
role noun is no name and counts a correct person as spurious in cross-validation.

This script adds exactly those names, read from GUM's own annotation (the `Entity` brackets and
the dependency parse in `dep/<doc>.conllu`): for every person, place or organization mention
whose syntactic head is a common noun (NN/NNS), the proper nouns (NNP/NNPS) attached to that
head as `flat` or `appos` (with their own `flat` dependents), when they form one contiguous run
of tokens that no labelled name overlaps. A one-word run needs the mention's Wikipedia
identity. Nothing else in the file changes; same input -> byte-identical output.

Usage:
    python3 scripts/train_data/gum_appositions.py <gum-git-dir> \
        [--input ../shared/train/gum_open_genres.jsonl] [--out data/train/gum_open_genres.jsonl]

<gum-git-dir>: a bare clone of github.com/amir-zeldes/gum at commit
72ce5ac14978a324c2fd18d49484e65292cbe316 (the commit the shared file was converted from; in
the agent sandbox the `fetch` tool gives /work/.mirror/amir-zeldes+gum/repo). Files are read
with `git --git-dir=<gum-git-dir> show <commit>:dep/<doc>.conllu`.
"""

import argparse
import json
import os
import subprocess
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
COMMIT = "72ce5ac14978a324c2fd18d49484e65292cbe316"
NAMED = ("person", "place", "organization")


def read_conllu(git_dir, doc_id):
    """Sentences of (form, xpos, head, deprel, entity-field) tuples; head is 0-based in the
    sentence or -1 for the root."""
    text = subprocess.run(
        ["git", "--git-dir", git_dir, "show", f"{COMMIT}:dep/{doc_id}.conllu"],
        check=True, capture_output=True, text=True, encoding="utf-8",
    ).stdout
    sents, cur = [], []
    for line in text.split("\n"):
        if not line.strip():
            if cur:
                sents.append(cur)
                cur = []
            continue
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if "-" in cols[0] or "." in cols[0]:
            continue  # multiword ranges and empty nodes carry no tokens of their own
        entity = ""
        for part in cols[9].split("|"):
            if part.startswith("Entity="):
                entity = part[len("Entity="):]
        cur.append((cols[1], cols[4], int(cols[6]) - 1, cols[7], entity))
    if cur:
        sents.append(cur)
    return sents


def mentions(sent):
    """(first, last, etype, identity) of every entity mention of the sentence (token indices)."""
    out, open_ = [], {}
    for i, tok in enumerate(sent):
        field = tok[4]
        pos = 0
        while pos < len(field):
            if field[pos] == "(":
                end = pos + 1
                while end < len(field) and field[end] not in "()":
                    end += 1
                attrs = field[pos + 1:end].split("-")
                # GRP-etype-infstat-salience-centering-minspan-link-identity
                gid, etype = attrs[0], attrs[1] if len(attrs) > 1 else ""
                identity = attrs[7] if len(attrs) > 7 else ""
                if end < len(field) and field[end] == ")":
                    out.append((i, i, etype, identity))
                    end += 1
                else:
                    open_.setdefault(gid, []).append((i, etype, identity))
                pos = end
            else:
                end = pos
                while end < len(field) and field[end] != ")":
                    end += 1
                gid = field[pos:end]
                if gid in open_ and open_[gid]:
                    start, etype, identity = open_[gid].pop()
                    out.append((start, i, etype, identity))
                pos = end + 1
    return out


def apposition_run(sent, first, last):
    """The token run of a proper name in apposition to the mention's common-noun head, or None."""
    heads = [i for i in range(first, last + 1) if not first <= sent[i][2] <= last]
    if len(heads) != 1:
        return None
    head = heads[0]
    if sent[head][1] not in ("NN", "NNS"):
        return None
    run = set()
    for i in range(first, last + 1):
        if sent[i][1] in ("NNP", "NNPS") and sent[i][2] == head and sent[i][3] in ("flat", "appos"):
            run.add(i)
    if not run:
        return None
    grew = True
    while grew:  # the name's own flat parts ("John" <- "Martin")
        grew = False
        for i in range(first, last + 1):
            if i not in run and sent[i][1] in ("NNP", "NNPS") and sent[i][2] in run \
                    and sent[i][3] == "flat":
                run.add(i)
                grew = True
    lo, hi = min(run), max(run)
    if hi - lo + 1 != len(run):
        return None
    return lo, hi


def align(text, sents):
    """Code-point offsets (start, end) of every token, found in order in the text, or None."""
    spans, pos = [], 0
    for sent in sents:
        row = []
        for form, *_ in sent:
            at = text.find(form, pos)
            if at < 0 or at - pos > 200:
                return None
            row.append((at, at + len(form)))
            pos = at + len(form)
        spans.append(row)
    return spans


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("git_dir", help="bare git dir of github.com/amir-zeldes/gum")
    ap.add_argument("--input", default=os.path.join(ROOT, "..", "shared", "train",
                                                   "gum_open_genres.jsonl"))
    ap.add_argument("--out", default=os.path.join(ROOT, "data", "train", "gum_open_genres.jsonl"))
    args = ap.parse_args()

    docs = [json.loads(line) for line in open(args.input, encoding="utf-8")]
    place_names = {e["text"] for d in docs for e in d["entities"] if e["kind"] == "place"}
    added = 0
    for doc in docs:
        text = doc["text"]
        sents = read_conllu(args.git_dir, doc["id"])
        spans = align(text, sents)
        if spans is None:
            print(f"{doc['id']}: tokens not found in the text, left as it is", file=sys.stderr)
            continue
        taken = [(e["start"], e["end"]) for e in doc["entities"] if e["kind"] in NAMED]
        new = []
        for sent, row in zip(sents, spans):
            for first, last, etype, identity in mentions(sent):
                if etype not in NAMED:
                    continue
                run = apposition_run(sent, first, last)
                if run is None or (run[0] == run[1] and not identity):
                    continue
                start, end = row[run[0]][0], row[run[1]][1]
                if any(s < end and start < e for s, e in taken):
                    continue
                name = text[start:end]
                kind = "place" if etype == "organization" and name in place_names else etype
                label = etype + (f"|wiki={identity}" if identity else "")
                taken.append((start, end))
                new.append({"start": start, "end": end, "kind": kind, "label": label,
                            "text": name})
        if new:
            added += len(new)
            doc["entities"] = sorted(doc["entities"] + new,
                                     key=lambda e: (e["start"], e["end"], e["kind"]))
    with open(args.out, "w", encoding="utf-8") as f:
        for doc in docs:
            f.write(json.dumps(doc, ensure_ascii=False) + "\n")
    print(f"added {added} names in apposition to {args.out}", file=sys.stderr)


if __name__ == "__main__":
    main()
