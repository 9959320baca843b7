#!/usr/bin/env python3
"""Writes data/lexicon/wordnet.tsv: word classes from WordNet 3.0, features of the name tagger.

Usage (Debian/Ubuntu: `apt-get install wordnet-base` puts the database in /usr/share/wordnet):

    python3 scripts/gen_wordnet_lexicon.py [/usr/share/wordnet] > data/lexicon/wordnet.tsv

One line per word form, `word<TAB>label label ...`, sorted by the word's bytes:

* a capitalised noun lemma of one word ("Einstein", "Andalusia", "Aare", "Hamas") gets
  `wn:<lexname>` for every sense (`wn:person`, `wn:location`, `wn:object`, `wn:group`, ...);
* a capitalised word inside a capitalised lemma of several words ("Albert" and "Einstein" of
  "Albert_Einstein", "Lake" of "Lake_Tahoe") gets `wnpart:<lexname>` (person, location,
  object and group only: the kinds of names);
* a capitalised adjective ("Andalusian", "Elizabethan") gets `wn:adj`;
* an ordinary word of `data/common_words.txt` that is a noun, or an inflection of one
  ("town", "islands", "senators"), gets `wnc:<lexname>` of its most frequent sense.

The tagger looks a token's form up as written and, capitalised, in lower case too, and reads
the labels of the token and of its neighbours ("the town of X", "attorney X").

WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved. Licensed under the
WordNet 3.0 licence (permission to use, copy, modify and distribute for any purpose without
fee, provided the copyright notice and statements appear on all copies); the notice is
repeated at the top of the output. The output is deterministic (same database, same bytes).
"""

import os
import sys

NOTICE = """\
# newsls word classes from WordNet 3.0 (scripts/gen_wordnet_lexicon.py; Debian wordnet-base).
# WordNet 3.0 Copyright 2006 by Princeton University. All rights reserved.
# THIS SOFTWARE AND DATABASE IS PROVIDED "AS IS" AND PRINCETON UNIVERSITY MAKES NO
# REPRESENTATIONS OR WARRANTIES, EXPRESS OR IMPLIED. BY WAY OF EXAMPLE, BUT NOT LIMITATION,
# PRINCETON UNIVERSITY MAKES NO REPRESENTATIONS OR WARRANTIES OF MERCHANTABILITY OR FITNESS
# FOR ANY PARTICULAR PURPOSE OR THAT THE USE OF THE LICENSED SOFTWARE, DATABASE OR
# DOCUMENTATION WILL NOT INFRINGE ANY THIRD PARTY PATENTS, COPYRIGHTS, TRADEMARKS OR OTHER
# RIGHTS. Permission to use, copy, modify and distribute this software and database and its
# documentation for any purpose and without fee or royalty is hereby granted, provided that
# this notice appears on all copies. The name of Princeton University or Princeton may not be
# used in advertising or publicity pertaining to distribution of the software and/or database.
# Format: word<TAB>labels (space-separated); see the script for what the labels mean.
"""

NAME_KINDS = {"person", "location", "object", "group"}


def lexnames():
    """Lexicographer file numbers of nouns: their short names ("noun.person" -> "person")."""
    names = [
        "adj.all", "adj.pert", "adv.all", "noun.Tops", "noun.act", "noun.animal",
        "noun.artifact", "noun.attribute", "noun.body", "noun.cognition",
        "noun.communication", "noun.event", "noun.feeling", "noun.food", "noun.group",
        "noun.location", "noun.motive", "noun.object", "noun.person", "noun.phenomenon",
        "noun.plant", "noun.possession", "noun.process", "noun.quantity", "noun.relation",
        "noun.shape", "noun.state", "noun.substance", "noun.time",
    ]
    return {i: n.split(".", 1)[1].lower() for i, n in enumerate(names)}


def data_lines(path):
    with open(path, encoding="latin-1") as f:
        for line in f:
            if not line.startswith("  "):
                yield line.split(" ")


def synsets(path):
    """(offset, lexname number, lemmas) of each synset of a data file."""
    for p in data_lines(path):
        n = int(p[3], 16)
        lemmas = [p[4 + 2 * i] for i in range(n)]
        # Adjective lemmas may carry a syntactic marker: "galore(ip)".
        lemmas = [w.split("(", 1)[0] for w in lemmas]
        yield p[0], int(p[1]), lemmas


def first_senses(path):
    """lemma -> offset of its most frequent sense (index files list senses in that order)."""
    first = {}
    for p in data_lines(path):
        lemma, n_synsets, p_cnt = p[0], int(p[2]), int(p[3])
        offsets = p[6 + p_cnt : 6 + p_cnt + n_synsets]
        if offsets:
            first[lemma] = offsets[0].strip()
    return first


def noun_lemma(word, index, exceptions):
    """The noun lemma of an inflected form (WordNet's morphy rules for nouns), or None."""
    if word in index:
        return word
    if exceptions.get(word) in index:
        return exceptions[word]
    for suffix, ending in (("ses", "s"), ("xes", "x"), ("zes", "z"), ("ches", "ch"),
                           ("shes", "sh"), ("men", "man"), ("ies", "y"), ("s", "")):
        if word.endswith(suffix) and len(word) > len(suffix) + 1:
            base = word[: -len(suffix)] + ending
            if base in index:
                return base
    return None


def main():
    wn = sys.argv[1] if len(sys.argv) > 1 else "/usr/share/wordnet"
    here = os.path.dirname(os.path.abspath(__file__))
    common_path = os.path.join(here, "..", "data", "common_words.txt")
    lex = lexnames()
    labels = {}

    def add(word, label):
        if not word or "_" in word or " " in word or "\t" in word:
            return
        labels.setdefault(word, set()).add(label)

    lex_of = {}
    for offset, lf, lemmas in synsets(os.path.join(wn, "data.noun")):
        name = lex.get(lf, "other")
        lex_of[offset] = name
        for lemma in lemmas:
            if not lemma[:1].isupper():
                continue
            parts = lemma.split("_")
            if len(parts) == 1:
                add(lemma, "wn:" + name)
            elif name in NAME_KINDS:
                for part in parts:
                    if part[:1].isupper():
                        add(part, "wnpart:" + name)
    for _, _, lemmas in synsets(os.path.join(wn, "data.adj")):
        for lemma in lemmas:
            if lemma[:1].isupper() and "_" not in lemma:
                add(lemma, "wn:adj")

    first = first_senses(os.path.join(wn, "index.noun"))
    exceptions = {}
    with open(os.path.join(wn, "noun.exc"), encoding="latin-1") as f:
        for line in f:
            p = line.split()
            if len(p) >= 2:
                exceptions[p[0]] = p[1]
    with open(common_path, encoding="utf-8") as f:
        common = [w.strip() for w in f if w.strip() and not w.startswith("#")]
    for word in common:
        lemma = noun_lemma(word, first, exceptions)
        if lemma is not None and first[lemma] in lex_of:
            add(word, "wnc:" + lex_of[first[lemma]])

    out = sys.stdout
    out.write(NOTICE)
    for word in sorted(labels, key=lambda w: w.encode("utf-8")):
        out.write(word + "\t" + " ".join(sorted(labels[word])) + "\n")


if __name__ == "__main__":
    main()
