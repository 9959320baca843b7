#!/usr/bin/env python3
"""Word clusters for the name tagger, from unlabelled text (Ratinov & Roth 2009, Turian et al. 2010).

Reads unlabelled English text, cuts it into word forms the way the tagger's lexicon wants them,
trains skip-gram word vectors (gensim Word2Vec) and clusters the unit-length vectors with k-means
at k = 64, 256 and 1024. Writes data/lexicon/clusters.tsv: a `#` header, then one line a word,
`word<TAB>c64:N c256:N c1024:N`, sorted by the word's UTF-8 bytes. Only the vocabulary and the
cluster ids are written, never any text.

Sources:
  * Reuters-21578 (research-use licence), one text file an article, in REUTERS_DIR
    (`python3 shared/corpus/make_corpus.py --out DIR --n 0` makes them);
  * WikiText (CC BY-SA 3.0; Merity et al. 2016): `.tokens` / `.txt` files read from a bare git
    mirror (--wikitext-git DIR:PATH, read with `git show HEAD:PATH`) or from disk
    (--wikitext-file PATH); pre-tokenised text is put back together first;
  * English Wikipedia article text as WikiExtractor writes it (CC BY-SA 3.0), read from a bare
    git mirror (--text-git wikipedia:GIT_DIR:REV:PATH[:STEP]: the files under PATH at commit REV,
    every STEP-th of them in path order);
  * the `text` field of every record in data/train/*.jsonl (openly licensed; labels unused).
Never point it at held-out evaluation data, Wikinews, CoNLL-2003 or OntoNotes.

Deterministic: one worker, fixed seeds, PYTHONHASHSEED=0 and one BLAS/OpenMP thread (the script
runs itself again with them set if they are not). Needs gensim, numpy and scikit-learn, e.g.
    python3 -m venv /tmp/wc && /tmp/wc/bin/pip install gensim numpy scikit-learn

Usage (the two files of the lexicon; each file's header records its command):
    # data/lexicon/clusters.tsv (news-heavy, labels c64:N ..., 3.6M tokens, ~4 minutes)
    /tmp/wc/bin/python scripts/gen_word_clusters.py /tmp/reuters \\
        --wikitext-git /work/.mirror/Hongcheng-Gao+RobTest-Demo/repo:data/wikitext-103/wiki.valid.tokens \\
        --wikitext-git /work/.mirror/Hongcheng-Gao+RobTest-Demo/repo:data/wikitext-103/wiki.test.tokens
    # data/lexicon/clusters_wiki.tsv (Wikipedia-heavy, labels w64:N ...)
    /tmp/wc/bin/python scripts/gen_word_clusters.py /tmp/reuters \\
        --wikitext-git /work/.mirror/Hongcheng-Gao+RobTest-Demo/repo:data/wikitext-103/wiki.valid.tokens \\
        --wikitext-git /work/.mirror/Hongcheng-Gao+RobTest-Demo/repo:data/wikitext-103/wiki.test.tokens \\
        --text-git wikipedia:/work/.mirror/jason-feng+wikiVisual/repo:1c0fac92f29f17c1603bfffbe864e0dfdff66897:text:4 \\
        --text-git wikipedia:/work/.mirror/Vibhas-hs-edu+WikiTasks/repo:52b1f163137bc40b0f67cbf129d5dab4f6fd5901:text/AA:2 \\
        --min-count 12 --epochs 5 --prefix w --out data/lexicon/clusters_wiki.tsv
(the mirrors come from the search tool's fetch of github:jason-feng/wikiVisual, whose text/ is
in that older commit only, and github:Vibhas-hs-edu/WikiTasks; about 24.5M tokens, ~15 minutes)
"""
import os
import sys

# Determinism first: hash seed and single-threaded numerical libraries, fixed before they load.
_ENV = {
    "PYTHONHASHSEED": "0",
    "OMP_NUM_THREADS": "1",
    "OPENBLAS_NUM_THREADS": "1",
    "MKL_NUM_THREADS": "1",
    "BLIS_NUM_THREADS": "1",
}
if any(os.environ.get(k) != v for k, v in _ENV.items()):
    os.environ.update(_ENV)
    os.execv(sys.executable, [sys.executable] + sys.argv)

import argparse  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import subprocess  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
KS = (64, 256, 1024)
SEED = 1

# ---------------------------------------------------------------------------------------------
# Tokenisation: the word forms the tagger looks up.
#
# A word is a run of letters and digits, with `-`, `'`, `’`, `.` or `&` joining two such runs
# ("U.S", "AT&T", "O’Neill", "Hong-Kong-based"); everything else (spaces, quotes, brackets,
# commas, colons, slashes, `$`, `<`, ...) separates words. Then:
#   * a final `.` is kept on an abbreviation: a word with a `.` inside ("U.S.", "N.V.") or one of
#     ABBREVIATIONS ("Corp.", "Inc.", "Ill."); any other final stop is dropped;
#   * a possessive `'s` / `’s` at the end is cut ("Reuters's" -> "Reuters"), as the tagger does
#     (only from words of more than three characters, so "it's" -> "it" but "'s" alone goes);
#   * every digit becomes `0` ("1987" -> "0000", "5.93" -> "0.00").
# Case is kept.
# ---------------------------------------------------------------------------------------------

WORD = re.compile(r"[^\W_]+(?:[-'’.&][^\W_]+)*(\.)?")
DIGIT = re.compile(r"\d")

ABBREVIATIONS = frozenset(
    """
    Corp Inc Ltd Co Cos Bros Plc Pty Assn Dept Govt Intl Natl Mfg
    Mr Mrs Ms Dr Jr Sr St Mt Ft Sen Rep Gov Gen Lt Col Maj Capt Cmdr Sgt Adm Prof Rev Hon Pres
    Jan Feb Mar Apr Aug Sep Sept Oct Nov Dec
    Ala Ariz Ark Calif Colo Conn Del Fla Ga Ill Ind Kan Kans Ky La Md Mass Mich Minn Miss Mo
    Mont Neb Nev Okla Ore Pa Tenn Tex Va Vt Wash Wis Wyo
    Ave Blvd Rd No Nos vs etc approx
    """.split()
)


def words(line):
    """The word forms of one line of text."""
    out = []
    for m in WORD.finditer(line):
        w = m.group(0)
        if m.group(1):  # a final stop: keep it on an abbreviation only
            stem = w[:-1]
            if "." not in stem and stem not in ABBREVIATIONS:
                w = stem
        if len(w) > 3 and w[-1] in "sS" and w[-2] in "'’":
            w = w[:-2]
        out.append(DIGIT.sub("0", w))
    return out


# ---------------------------------------------------------------------------------------------
# Sources: each yields lists of words, one list a paragraph (the unit Word2Vec sees as a
# "sentence"; windows do not cross it).
# ---------------------------------------------------------------------------------------------


def reuters(directory):
    files = sorted(p for p in Path(directory).iterdir() if p.suffix in (".txt", ".md"))
    if not files:
        sys.exit("no .txt files in %s" % directory)
    for p in files:
        for line in p.read_text(encoding="utf-8").split("\n"):
            ws = words(line)
            if ws:
                yield ws


# WikiText's tokenisation, undone: " @-@ " -> "-", " @,@ " -> ",", " @.@ " -> "."; clitics
# split off ("Smith 's", "do n't") joined on again; `<unk>` dropped; heading `=` signs dropped
# (by the tokeniser, which takes them for separators).
WIKI_AT = re.compile(r" @([-,.])@ ")
WIKI_CLITIC = re.compile(r" (n't|'s|'S|'re|'ve|'ll|'m|'d)(?= |$)")


def wikitext_lines(text):
    for line in text.split("\n"):
        line = line.replace("<unk>", " ")
        line = WIKI_AT.sub(r"\1", line)
        line = WIKI_CLITIC.sub(r"\1", line)
        ws = words(line)
        if ws:
            yield ws


def wikitext_git(spec):
    git_dir, _, path = spec.partition(":")
    if not path:
        sys.exit("--wikitext-git wants GIT_DIR:PATH, got %r" % spec)
    text = subprocess.run(
        ["git", "--git-dir", git_dir, "show", "HEAD:" + path],
        check=True,
        capture_output=True,
    ).stdout.decode("utf-8")
    return wikitext_lines(text)


def wikitext_file(path):
    return wikitext_lines(Path(path).read_text(encoding="utf-8"))


# Plain-text sources read from a bare git mirror: --text-git KIND:GIT_DIR:REV:PATH[:STEP], where PATH
# is one file or a folder (every file below it, sorted by path), and STEP keeps every STEP-th of
# those files (1 by default). KIND names the text's origin, its licence and how to clean it.
TEXT_KINDS = {
    # WikiExtractor output (Attardi's wikiextractor): `<doc id=... title=...>` lines, then the title,
    # then one paragraph a line, then `</doc>`; the tag lines and the title line are dropped.
    "wikipedia": ("English Wikipedia article text (WikiExtractor output)", "CC BY-SA 3.0", "wikiextractor"),
}


def clean_lines(text, fmt):
    skip_title = False
    for line in text.split("\n"):
        if fmt == "wikiextractor":
            if line.startswith("<doc "):
                skip_title = True
                continue
            if line.startswith("</doc>"):
                continue
            if skip_title:
                skip_title = False
                continue
        ws = words(line)
        if ws:
            yield ws


def text_git(spec):
    """(kind, git_dir, rev, commit, path, files, paragraphs) of one --text-git spec."""
    parts = spec.split(":")
    if len(parts) not in (4, 5) or parts[0] not in TEXT_KINDS:
        sys.exit("--text-git wants KIND:GIT_DIR:REV:PATH[:STEP] with KIND in %s, got %r" % ("/".join(TEXT_KINDS), spec))
    kind, git_dir, rev, path = parts[:4]
    step = int(parts[4]) if len(parts) == 5 else 1
    git = ["git", "--git-dir", git_dir]
    commit = subprocess.run(git + ["rev-parse", rev + "^{commit}"], check=True, capture_output=True, text=True).stdout.strip()
    listing = subprocess.run(git + ["ls-tree", "-r", "--name-only", commit, "--", path], check=True, capture_output=True, text=True).stdout.split("\n")
    files = sorted(f for f in listing if f)[::step]
    if not files:
        sys.exit("--text-git %r: no files" % spec)
    paras = []
    for f in files:
        text = subprocess.run(git + ["show", commit + ":" + f], check=True, capture_output=True).stdout.decode("utf-8")
        paras += clean_lines(text, TEXT_KINDS[kind][2])
    return kind, git_dir, commit, path, step, files, paras


def train_texts(directory):
    files = sorted(Path(directory).glob("*.jsonl"))
    if not files:
        sys.exit("no *.jsonl in %s" % directory)
    for p in files:
        with open(p, encoding="utf-8") as fh:
            for line in fh:
                text = json.loads(line).get("text") or ""
                for para in text.split("\n"):
                    ws = words(para)
                    if ws:
                        yield ws


# ---------------------------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("reuters_dir", help="directory of Reuters-21578 article text files")
    ap.add_argument("--wikitext-git", action="append", default=[], metavar="GIT_DIR:PATH")
    ap.add_argument("--wikitext-file", action="append", default=[], metavar="PATH")
    ap.add_argument("--text-git", action="append", default=[], metavar="KIND:GIT_DIR:REV:PATH[:STEP]", help="plain text from a bare git mirror; KIND: %s" % ", ".join(TEXT_KINDS))
    ap.add_argument("--train-dir", default=str(ROOT / "data" / "train"), help="labelled *.jsonl (text only is read)")
    ap.add_argument("--out", default=str(ROOT / "data" / "lexicon" / "clusters.tsv"))
    ap.add_argument("--min-count", type=int, default=3)
    ap.add_argument("--epochs", type=int, default=8)
    # A narrow window gives clusters of words of one kind (countries, company suffixes, surnames,
    # place-name heads); window 5 gave topical ones ("Brazil" with "debt", "Tokyo" with "trade").
    ap.add_argument("--window", type=int, default=2)
    ap.add_argument("--prefix", default="c", help="label prefix (c: c64:N c256:N c1024:N); each cluster file of the lexicon has its own")
    ap.add_argument("--show", nargs="*", default=[], metavar="WORD", help="print the c256 clusters of these words")
    args = ap.parse_args()

    import numpy as np
    from gensim.models import Word2Vec
    from sklearn.cluster import KMeans

    t0 = time.time()
    sources = []  # (name, licence, paragraphs)
    sources.append(("Reuters-21578", "research use only (Distribution 1.0 README); vocabulary and cluster ids only", list(reuters(args.reuters_dir)), "%d article files" % sum(1 for _ in Path(args.reuters_dir).iterdir())))
    wiki = []
    wiki_names = []
    for spec in args.wikitext_git:
        wiki += list(wikitext_git(spec))
        wiki_names.append(spec.partition(":")[2].split("/", 1)[-1])
    for path in args.wikitext_file:
        wiki += list(wikitext_file(path))
        wiki_names.append(Path(path).name)
    if wiki:
        sources.append(("WikiText (Merity et al. 2016; text from English Wikipedia)", "CC BY-SA 3.0", wiki, ", ".join(wiki_names)))
    for spec in args.text_git:
        kind, git_dir, commit, path, step, files, paras = text_git(spec)
        name, licence, _ = TEXT_KINDS[kind]
        repo = Path(git_dir).resolve()
        repo = repo.parent.name if repo.name == "repo" else repo.name  # /work/.mirror/OWNER+NAME/repo
        detail = "%s commit %s, %s: %d files%s" % (repo.replace("+", "/", 1), commit, path, len(files), ", one in %d" % step if step > 1 else "")
        sources.append((name, licence or "licence not stated", paras, detail))
    train_files = sorted(Path(args.train_dir).glob("*.jsonl"))
    sources.append(("newsls labelled training texts, text field only", "CC BY 4.0 / CC BY-SA 3.0-4.0 / CC BY 2.5 / OGL-UK 3.0 / public domain, per record", list(train_texts(args.train_dir)), ", ".join("data/train/" + p.name for p in train_files)))

    sentences = []
    counts = []
    for name, _, paras, _ in sources:
        n = sum(len(p) for p in paras)
        counts.append(n)
        print("%-60s %9d tokens %7d paragraphs" % (name[:60], n, len(paras)), file=sys.stderr)
        sentences += paras
    total = sum(counts)
    freq = Counter(w for s in sentences for w in s)
    print("total %d tokens, %d word types, %d with count >= %d (%.0fs)" % (total, len(freq), sum(1 for c in freq.values() if c >= args.min_count), args.min_count, time.time() - t0), file=sys.stderr)

    model = Word2Vec(
        sentences=sentences,
        vector_size=100,
        window=args.window,
        min_count=args.min_count,
        sg=1,
        negative=10,
        epochs=args.epochs,
        workers=1,
        seed=SEED,
        sample=1e-3,
    )
    t1 = time.time()
    print("word2vec: %d words (%.0fs)" % (len(model.wv), t1 - t0), file=sys.stderr)

    vocab = list(model.wv.index_to_key)
    vecs = model.wv.vectors.astype(np.float64)
    vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
    labels = {}
    for k in KS:
        km = KMeans(n_clusters=k, n_init=1, max_iter=300, random_state=SEED, algorithm="lloyd")
        labels[k] = km.fit_predict(vecs)
        print("k-means k=%d: inertia %.1f, %d iterations (%.0fs)" % (k, km.inertia_, km.n_iter_, time.time() - t0), file=sys.stderr)

    order = sorted(range(len(vocab)), key=lambda i: vocab[i].encode("utf-8"))
    command = "PYTHONHASHSEED=0 python3 scripts/gen_word_clusters.py " + " ".join(
        [args.reuters_dir]
        + ["--wikitext-git " + s for s in args.wikitext_git]
        + ["--wikitext-file " + s for s in args.wikitext_file]
        + ["--text-git " + s for s in args.text_git]
        + (["--min-count %d" % args.min_count] if args.min_count != 3 else [])
        + (["--epochs %d" % args.epochs] if args.epochs != 8 else [])
        + (["--window %d" % args.window] if args.window != 2 else [])
        + (["--prefix %s" % args.prefix] if args.prefix != "c" else [])
        + (["--out %s" % os.path.relpath(args.out, ROOT)] if Path(args.out).resolve() != (ROOT / "data" / "lexicon" / "clusters.tsv").resolve() else [])
    )
    import gensim
    import sklearn

    header = [
        "Word clusters for the name tagger: k-means (k = %s) over skip-gram word vectors of the word forms" % ", ".join(map(str, KS)),
        "of unlabelled English text. Line format: word<TAB>{p}64:N {p}256:N {p}1024:N; sorted by the word's UTF-8 bytes.".format(p=args.prefix),
        "Word forms: case kept; digits mapped to 0; final stop kept only on abbreviations (U.S., Corp.);",
        "possessive 's cut; hyphenated words whole. Only the vocabulary and cluster ids are here, no text.",
        "Sources (tokens after tokenisation):",
    ]
    for (name, licence, _, detail), n in zip(sources, counts):
        header.append("  %s [%s]: %d tokens; %s" % (name, detail, n, licence))
    header += [
        "Total %d tokens; vocabulary %d words (min_count %d)." % (total, len(vocab), args.min_count),
        "Word2Vec skip-gram (gensim %s): vector_size 100, window %d, negative 10, sample 1e-3, epochs %d, workers 1, seed %d;"
        % (gensim.__version__, args.window, args.epochs, SEED),
        "k-means on unit-length vectors (scikit-learn %s, numpy %s): lloyd, n_init 1, max_iter 300, random_state %d."
        % (sklearn.__version__, np.__version__, SEED),
        "Made by: " + command,
    ]
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8", newline="\n") as fh:
        for h in header:
            fh.write("# " + h + "\n")
        for i in order:
            fh.write("%s\t%s64:%d %s256:%d %s1024:%d\n" % (vocab[i], args.prefix, labels[64][i], args.prefix, labels[256][i], args.prefix, labels[1024][i]))
    print("wrote %s: %d words, %d bytes (%.0fs in all)" % (out, len(vocab), out.stat().st_size, time.time() - t0), file=sys.stderr)

    index = {w: i for i, w in enumerate(vocab)}
    for w in args.show:
        if w not in index:
            print("%s: not in the vocabulary" % w)
            continue
        c = labels[256][index[w]]
        members = [vocab[i] for i in range(len(vocab)) if labels[256][i] == c]  # by frequency
        print("%s c256:%d (%d words): %s" % (w, c, len(members), " ".join(members[:40])))


if __name__ == "__main__":
    main()
