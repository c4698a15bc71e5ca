"""Titles, bylines and publication dates on three sets of real pages, each reported apart.

    python bench/eval_metadata.py [--peers] [--misses SET] [--set SET]

- ``web-dev`` (../shared/corpus/web-dev): 450 saved web pages, about half German, with
  trafilatura's ground truth. Titles are compared after Unicode normalisation, case-folding and
  stripping punctuation; authors as sets of names; dates on the day. A page whose truth has no
  author (or no date) is scored apart: there the right answer is none.
- ``dev`` (../shared/corpus/dev): the combined page reference of ``bench/truth.py``, scored as
  ``bench/eval_extraction.py`` scores it.
- ``fundus-en`` (../shared/corpus/fundus-en): Fundus' title, authors and publishing date.

Pages are read as saved files (no URL beside them, as ``feedgen-pipeline extract`` reads
them). ``--peers`` adds ours with htmldate in place of our own date fallbacks (where our
structured sources give no date), trafilatura's ``extract_metadata``, and htmldate's
``find_date`` alone; the last line gives each one's CPU time per page (``ours`` includes the
enrichment).
Each set is skipped, saying so, when its folder is absent.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scoring import byline_match, date_match, headline_normalised
from bench.truth import CORPUS as DEV
from bench.truth import load_labels, load_truth
from feedgen_pipeline.config import Rules, default_rules
from feedgen_pipeline.enrich import enrich
from feedgen_pipeline.errors import ArticleError
from feedgen_pipeline.extract import extract
from feedgen_pipeline.extract.dates import DATE_META
from feedgen_pipeline.model import Source

SHARED = DEV.parent
WEB_DEV = SHARED / "web-dev"
FUNDUS_EN = SHARED / "fundus-en"


@dataclass(frozen=True)
class Page:
    """One page and what its ground truth says; None: the truth says nothing of that field."""

    set: str
    file: Path
    title: str | None
    authors: tuple[str, ...] | None
    """() when the truth says the page shows no author."""
    date: str | None
    """"" when the truth says the page shows no date."""


@dataclass(frozen=True)
class Got:
    title: str | None
    authors: tuple[str, ...]
    published: datetime | date | str | None
    rules: tuple[str, ...] = ()
    """Which rules gave the byline and the date (``--explain``'s names)."""


Extractor = Callable[[bytes, Page], Got]


@dataclass
class Tally:
    hits: dict[str, int] = field(default_factory=dict)
    totals: dict[str, int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)
    seconds: float = 0.0
    pages: int = 0

    def add(self, key: str, ok: bool) -> None:
        self.totals[key] = self.totals.get(key, 0) + 1
        self.hits[key] = self.hits.get(key, 0) + int(ok)


# ------------------------------------------------------------------ comparing


_HONORIFIC = re.compile(r"^(?:dr|prof|phd|mag|dipl|ing|mr|mrs|ms)$")
_NAME_SPLIT = re.compile(r"\s*(?:[,;/&|]|\b(?:and|und|et|y|e|i)\b)\s*", re.IGNORECASE)


def _plain(text: str) -> str:
    """NFKC, case-folded, punctuation and soft hyphens gone, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text).casefold()
    kept = "".join(
        " " if unicodedata.category(c)[0] in "PZ" else c
        for c in text
        if unicodedata.category(c) != "Cf"
    )
    return " ".join(kept.split())


def name_set(names: Iterable[str]) -> frozenset[str]:
    """Names as a set: split at commas, slashes and "and", honorifics dropped."""
    out = set()
    for value in names:
        for part in _NAME_SPLIT.split(value):
            words = [w for w in _plain(part).split() if not _HONORIFIC.match(w)]
            if words:
                out.add(" ".join(words))
    return frozenset(out)


def title_match(ours: str | None, truth: str) -> bool:
    return bool(ours) and _plain(ours or "") == _plain(truth)


def day_of(value: datetime | date | str | None) -> date | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return datetime.fromisoformat(value.strip()[:10]).date()
    except ValueError:
        return None


# ------------------------------------------------------------------ the sets


def web_dev_pages() -> list[Page]:
    data = json.loads((WEB_DEV / "evaldata.json").read_text("utf-8"))
    pages = []
    for name, entry in sorted(data.items()):
        if entry.get("title") is None and entry.get("author") is None:
            continue  # no ground truth at all for this page
        author = entry.get("author") or ""
        names = tuple(author) if isinstance(author, list) else tuple(author.split(";"))
        pages.append(
            Page(
                "web-dev",
                WEB_DEV / name,
                entry.get("title") or None,
                tuple(n.strip() for n in names if n.strip()),
                entry.get("date") or "",
            )
        )
    return pages


def fundus_pages() -> list[Page]:
    pages = []
    for html in sorted(FUNDUS_EN.glob("*.html")):
        truth = json.loads(html.with_suffix(".fundus.json").read_text("utf-8"))
        authors = truth.get("authors")
        pages.append(
            Page(
                "fundus-en",
                html,
                truth.get("title"),
                tuple(authors) if authors else None,
                truth.get("publishing_date"),
            )
        )
    return pages


def dev_pages() -> list[Page]:
    out = []
    for name, truth in load_truth(DEV, load_labels(DEV)):
        out.append(Page("dev", DEV / name, truth.headline, truth.byline or None, truth.date))
    return out


SETS: dict[str, tuple[Path, Callable[[], list[Page]]]] = {
    "web-dev": (WEB_DEV, web_dev_pages),
    "dev": (DEV, dev_pages),
    "fundus-en": (FUNDUS_EN, fundus_pages),
}


# ------------------------------------------------------------------ extractors


def ours(rules: Rules) -> Extractor:
    def run(data: bytes, page: Page) -> Got:
        source = Source(page.file, page.file.name, data)
        try:
            article = enrich(extract(source, rules), rules)
        except ArticleError:
            return Got(None, (), None)
        explained = tuple(
            f"{e.field}:{e.rule}" for e in article.evidence if e.field in ("authors", "published")
        )
        return Got(article.headline, article.authors, article.published, explained)

    return run


def trafilatura_metadata() -> Extractor | None:
    try:
        from trafilatura import extract_metadata
    except ImportError:
        return None

    def run(data: bytes, page: Page) -> Got:
        meta = extract_metadata(data.decode("utf-8", "replace"))
        if meta is None:
            return Got(None, (), None)
        authors = tuple(a.strip() for a in (meta.author or "").split(";") if a.strip())
        return Got(meta.title, authors, meta.date)

    return run


def htmldate_alone() -> Extractor | None:
    """htmldate's ``find_date``, looking for the publication date (not the last change)."""
    try:
        from htmldate import find_date
    except ImportError:
        return None

    def run(data: bytes, page: Page) -> Got:
        return Got(None, (), find_date(data.decode("utf-8", "replace"), original_date=True))

    return run


# the rules of the structured sources: what the extraction read before its own fallbacks
_STRUCTURED = frozenset(
    ("published:json-ld", "published:time element", *(f"published:meta {k}" for k in DATE_META))
)


def ours_then_htmldate(rules: Rules) -> Extractor | None:
    """Ours, with htmldate in place of our own fallbacks for the date: where our structured
    sources give none, htmldate's ``find_date`` on the page (its second parse included)."""
    try:
        from htmldate import find_date
    except ImportError:
        return None
    base = ours(rules)

    def run(data: bytes, page: Page) -> Got:
        got = base(data, page)
        if any(rule in _STRUCTURED for rule in got.rules):
            return got
        # no bound from a clock here either: a date later than the page was read is the
        # plan's to set aside
        found = find_date(data.decode("utf-8", "replace"), original_date=True, max_date=_FAR)
        rules_ = tuple(r for r in got.rules if not r.startswith("published:"))
        return Got(got.title, got.authors, found, (*rules_, "published:htmldate"))

    return run


_FAR = "2100-01-01"


# ------------------------------------------------------------------ scoring


def score(page: Page, got: Got, tally: Tally) -> None:
    def miss(what: str, have: object, want: object) -> None:
        why = f" [{' '.join(got.rules)}]" if got.rules else ""
        tally.misses.append(f"{page.file.name[:40]:40} {what:8} got {have!r}, want {want!r}{why}")

    if page.title:
        ok = (
            headline_normalised(got.title, page.title)
            if page.set == "dev"
            else title_match(got.title, page.title)
        )
        tally.add("title", ok)
        if not ok:
            miss("title", got.title, page.title)
    if page.authors:
        ok = (
            byline_match(got.authors, page.authors)
            if page.set == "dev"
            else bool(got.authors) and name_set(got.authors) == name_set(page.authors)
        )
        tally.add("author", ok)
        if not ok:
            miss("author", got.authors, page.authors)
    elif page.authors == ():
        tally.add("no author (none shown)", not got.authors)
        if got.authors:
            miss("author", got.authors, ())
    if page.date:
        if page.set == "web-dev":
            ok = day_of(got.published) == day_of(page.date)
        else:
            ok = got.published is not None and date_match(_as_datetime(got.published), page.date)
        tally.add("date", ok)
        if not ok:
            miss("date", str(got.published) if got.published else None, page.date)
    elif page.date == "":
        tally.add("no date (none shown)", got.published is None)
        if got.published is not None:
            miss("date", str(got.published), "")


def _as_datetime(value: datetime | date | str) -> datetime | str:
    if isinstance(value, datetime | str):
        return value
    return datetime(value.year, value.month, value.day)


def evaluate(set_name: str, extractors: dict[str, Extractor]) -> dict[str, Tally] | None:
    """Every extractor over one set; None when the set's folder is absent."""
    folder, load = SETS[set_name]
    if not folder.is_dir():
        return None
    tallies = {name: Tally() for name in extractors}
    for page in load():
        data = page.file.read_bytes()
        for name, run in extractors.items():
            start = time.process_time()
            got = run(data, page)
            tallies[name].seconds += time.process_time() - start
            tallies[name].pages += 1
            score(page, got, tallies[name])
    return tallies


_ORDER = ["title", "author", "no author (none shown)", "date", "no date (none shown)"]


def table(tallies: dict[str, Tally]) -> Iterable[str]:
    yield f"  {'field':24}{'pages':>6}" + "".join(f"{n:>16}" for n in tallies)
    keys = [k for k in _ORDER if any(k in t.totals for t in tallies.values())]
    for key in keys:
        total = max(t.totals.get(key, 0) for t in tallies.values())
        cells = []
        for t in tallies.values():
            hits, n = t.hits.get(key, 0), t.totals.get(key, 0)
            cells.append(f"{hits:>5} {100 * hits / n:5.1f}%" if n else "")
        yield f"  {key:24}{total:>6}" + "".join(f"{c:>16}" for c in cells)
    cells = [f"{1000 * t.seconds / max(t.pages, 1):.1f}" for t in tallies.values()]
    yield f"  {'ms per page (CPU)':30}" + "".join(f"{c:>16}" for c in cells)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--peers", action="store_true", help="add trafilatura and htmldate")
    parser.add_argument("--set", choices=list(SETS), action="append", help="only these sets")
    parser.add_argument("--misses", choices=list(SETS), action="append", default=[])
    args = parser.parse_args(argv)
    rules = default_rules()
    extractors: dict[str, Extractor] = {"ours": ours(rules)}
    if args.peers:
        peers: list[tuple[str, Extractor | None]] = [
            ("ours+htmldate", ours_then_htmldate(rules)),
            ("trafilatura", trafilatura_metadata()),
            ("htmldate", htmldate_alone()),
        ]
        for name, peer in peers:
            if peer is None:
                print(f"{name} is not installed: pip install -e '.[bench]'")
            else:
                extractors[name] = peer
    for set_name in args.set or list(SETS):
        tallies = evaluate(set_name, extractors)
        if tallies is None:
            print(f"{set_name}: skipped, no folder {SETS[set_name][0]}")
            continue
        print(f"{set_name} ({SETS[set_name][0]})")
        print("\n".join(table(tallies)))
        if set_name in args.misses:
            print(f"  where we are wrong ({len(tallies['ours'].misses)}):")
            for line in tallies["ours"].misses:
                print("    " + line)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
