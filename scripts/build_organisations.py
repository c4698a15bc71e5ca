"""Build feedgen_pipeline/data/organisations.yaml from open data shipped in Python packages.

    pip install -e '.[data]'
    python scripts/build_organisations.py

Sources, each a package on PyPI with its licence (recorded again in the file's header):

- cleanco (MIT): the legal forms of companies by country (``cleanco.termdata``), written
  as news writes them: "Inc", "Ltd", "GmbH" is read as "GMBH" and "Gmbh"; upper case for the
  short ones ("AG", "SA"), both cases for the longer ones.
- pytickersymbols (MIT): the constituents of the stock indices it ships (S&P 500, FTSE 100, DAX,
  CAC 40, Nikkei 225 ...; its authors compiled them from Wikipedia), each company's name and
  country. The name without its legal form is the actor's name; the full one an alias.
- english-words (MIT; the "web2" word list) and names (MIT; the US Census 1990 surnames): a
  one-word company name that is also an English word ("Target", "Next") or a surname ("Rogers")
  is left out, as it would be taken for the word or a person far more often than for the company.

The output is sorted and stable: running the script again with the same packages gives the same
bytes.
"""

from __future__ import annotations

import importlib.metadata
import os
import re
import sys
from pathlib import Path
from typing import Any

import yaml

OUT = Path(__file__).resolve().parent.parent / "feedgen_pipeline" / "data" / "organisations.yaml"
PACKAGES = ("cleanco", "pytickersymbols", "english-words", "names", "pycountry")


def _legal_forms() -> list[str]:
    """Each form as news writes it: dotted ones in capitals ("S.A.", "N.V."), the others in
    capitals and with a capital initial ("LTD", "Ltd"). Left out: forms of one letter or of
    several words ("a spol."), and two-letter forms without dots that cleanco does not also
    list with dots: "SA" (as "S.A." is listed) stays, "KY" or "ET" alone would be taken for
    any abbreviation."""
    from cleanco.termdata import terms_by_type

    terms = {t.strip() for ts in terms_by_type.values() for t in ts}
    dotted = {re.sub(r"\W", "", t) for t in terms if "." in t}
    forms: set[str] = set()
    for term in terms:
        letters = re.sub(r"\W", "", term)
        if len(letters) < 2 or " " in term or not term.isascii():
            continue
        if len(letters) == 2 and "." not in term and letters not in dotted:
            continue
        forms.add(term.upper())
        if "." not in term and len(letters) > 2:
            forms.add(term[:1].upper() + term[1:])
    return sorted(forms)


def _country(name: str | None) -> str | None:
    import pycountry

    if not name:
        return None
    try:
        code: str = pycountry.countries.lookup(name).alpha_2
    except LookupError:
        return None
    return code


def _stop_words() -> set[str]:
    import names
    from english_words import get_english_words_set

    words: set[str] = set(get_english_words_set(["web2"], lower=True))
    folder = os.path.dirname(names.__file__)
    with open(os.path.join(folder, "dist.all.last"), encoding="ascii") as lines:
        words |= {line.split()[0].lower() for line in lines if line.strip()}
    return words


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


# a company known by its web address ("Example.com"): built-in rules name no domain
_WEB_ADDRESS = re.compile(r"\w\.[a-z]{2,}\b")


def _companies(stop: set[str]) -> list[dict[str, Any]]:
    from cleanco import basename
    from pytickersymbols.indices_data import INDICES

    by_name: dict[str, dict[str, Any]] = {}
    for index in INDICES.values():
        for company in index["companies"]:
            full = " ".join(company["name"].split()).rstrip(",")
            short = basename(full).strip(" ,")
            words = short.split()
            if not words or (len(words) == 1 and short.lower() in stop):
                continue
            if _WEB_ADDRESS.search(full):
                continue
            entry = by_name.setdefault(short, {"name": short, "aliases": set()})
            if full != short:
                entry["aliases"].add(full)
            country = _country(company.get("country"))
            if country and "country" not in entry:
                entry["country"] = country
    out = []
    for short in sorted(by_name):
        entry = by_name[short]
        record: dict[str, Any] = {"id": f"company-{_slug(short)}", "name": short}
        if "country" in entry:
            record["country"] = entry["country"]
        if entry["aliases"]:
            record["aliases"] = sorted(entry["aliases"])
        out.append(record)
    # two names that slug alike ("AT&T", "AT-T") keep the first
    seen: set[str] = set()
    return [r for r in out if not (r["id"] in seen or seen.add(r["id"]))]  # type: ignore[func-returns-value]


def main(out: Path = OUT) -> int:
    try:
        versions = {p: importlib.metadata.version(p) for p in PACKAGES}
    except importlib.metadata.PackageNotFoundError as e:
        print(f"missing package {e.name}: pip install -e '.[data]'", file=sys.stderr)
        return 1
    stop = _stop_words()
    companies = _companies(stop)
    header = f"""\
# Generated by scripts/build_organisations.py from open data; do not edit by hand (run the
# script again). A config switches a company off by id, as any dictionary entry.
# Sources (package, version, licence: what was taken):
# - cleanco {versions["cleanco"]}, MIT: legal forms of companies (legal_forms)
# - pytickersymbols {versions["pytickersymbols"]}, MIT: names and countries of the companies in
#   the stock indices it ships, which its authors compiled from Wikipedia (companies)
# - english-words {versions["english-words"]}, MIT (web2 list), and names {versions["names"]}, MIT
#   (US Census 1990 surnames): one-word names that are also a word or a surname are left out
# - pycountry {versions["pycountry"]}, LGPL-2.1: country names to ISO 3166-1 codes (not shipped)
"""
    body = yaml.safe_dump(
        {"legal_forms": _legal_forms(), "companies": companies},
        allow_unicode=True,
        sort_keys=False,
        width=100,
    )
    out.write_text(header + body, "utf-8")
    print(f"{out}: {len(companies)} companies")
    return 0


if __name__ == "__main__":
    sys.exit(main())
