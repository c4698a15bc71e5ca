"""Extraction quality on ../shared/corpus/dev: ours next to trafilatura and newspaper4k; and
image credits on ../shared/corpus/fundus-en (publishers the dev pages do not have).

    python bench/eval_extraction.py [--ours-only] [--repeat N]

Prints, per field and per source of ground truth, how many pages each extractor gets right;
then one line per page where we are wrong; then the fundus-en credits; then milliseconds per
page for us, for a bare ``BeautifulSoup(html, "lxml")`` parse and for the peers. The peers are
benchmark extras (``pip install -e '.[bench]'``); a missing one is left out of the table.
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.scoring import (
    Output,
    byline_match,
    credit_contains,
    credit_match,
    date_match,
    headline_exact,
    headline_normalised,
    summary_problem,
)
from bench.truth import (
    CORPUS,
    FUNDUS_EN,
    VISIBLE_HEADLINES,
    Truth,
    load_cover_credits,
    load_labels,
    load_truth,
)
from feedgen_pipeline.config import Rules, default_rules
from feedgen_pipeline.enrich import enrich
from feedgen_pipeline.extract import extract
from feedgen_pipeline.model import Source

Extractor = Callable[[bytes, Truth], Output]
REFERENCE = "page"  # the combined reference: what the page shows, by the rules in truth.py


@dataclass
class Tally:
    """Right / scored counts per (field, source), and the misses as one line each."""

    hits: dict[tuple[str, str], int] = field(default_factory=dict)
    totals: dict[tuple[str, str], int] = field(default_factory=dict)
    misses: list[str] = field(default_factory=list)

    def add(self, key: tuple[str, str], ok: bool) -> None:
        self.totals[key] = self.totals.get(key, 0) + 1
        self.hits[key] = self.hits.get(key, 0) + int(ok)

    def share(self, key: tuple[str, str]) -> float:
        total = self.totals.get(key, 0)
        return self.hits.get(key, 0) / total if total else 0.0


def ours(rules: Rules) -> Extractor:
    def run(data: bytes, truth: Truth) -> Output:
        name = f"{truth.page}.html"
        article = enrich(extract(Source(Path(name), name, data), rules), rules)
        return Output(
            headline=article.headline,
            authors=article.authors,
            published=article.published,
            credit=article.image.credit if article.image else None,
            summary=article.summary,
        )

    return run


def trafilatura_extractor() -> Extractor | None:
    try:
        from trafilatura import bare_extraction
    except ImportError:
        return None

    def run(data: bytes, truth: Truth) -> Output:
        doc = bare_extraction(data.decode("utf-8", "replace"), with_metadata=True)
        if doc is None:
            return Output(None, (), None, None, None)
        meta = doc if isinstance(doc, dict) else doc.as_dict()
        authors = tuple(a.strip() for a in (meta.get("author") or "").split(";") if a.strip())
        text = (meta.get("text") or "").strip().split("\n")[0] or None
        return Output(
            meta.get("title"), authors, meta.get("date"), None, meta.get("description") or text
        )

    return run


def newspaper_extractor() -> Extractor | None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            from newspaper import Article
    except ImportError:
        return None

    def run(data: bytes, truth: Truth) -> Output:
        article = Article(truth.url or "https://example.com/article", fetch_images=False)
        article.download(input_html=data.decode("utf-8", "replace"))
        article.parse()
        text = article.text.strip().split("\n")[0] if article.text else None
        return Output(
            article.title,
            tuple(article.authors),
            article.publish_date,
            None,
            article.meta_description or text,
        )

    return run


def score(name: str, page: str, truth: Truth, out: Output, tally: Tally) -> None:
    """Score one page's output on every field against every source that covers it."""

    def miss(what: str, got: object, want: object) -> None:
        tally.misses.append(f"{name:12} {page:20} {what:22} got {got!r}, want {want!r}")

    for source, title in [*truth.headlines.items(), (REFERENCE, truth.headline)]:
        if title is None:
            continue
        tally.add(("headline exact", source), headline_exact(out.headline, title))
        ok = headline_normalised(out.headline, title)
        tally.add(("headline normalised", source), ok)
        if source == REFERENCE and not ok:
            miss("headline", out.headline, title)
    for source, accepted in [*truth.credits.items(), (REFERENCE, truth.credit)]:
        if accepted is None:
            continue
        ok = credit_match(out.credit, accepted)
        if accepted[0]:
            tally.add(("credit (has one)", source), ok)
        else:
            tally.add(("credit none (has none)", source), ok)
        if source == REFERENCE and not ok:
            miss("image credit", out.credit, accepted[0] or None)
    for source, names in [*truth.bylines.items(), (REFERENCE, truth.byline)]:
        if not names:
            continue
        ok = byline_match(out.authors, names)
        tally.add(("byline", source), ok)
        if source == REFERENCE and not ok:
            miss("byline", out.authors, names)
    for source, day in [*truth.dates.items(), (REFERENCE, truth.date)]:
        if day is None:
            continue
        ok = date_match(out.published, day)
        tally.add(("date", source), ok)
        if source == REFERENCE and not ok:
            got = out.published
            miss("date", got.isoformat() if isinstance(got, datetime) else got, day)
    credits = tuple(c for c in (out.credit, *(truth.credit or ())) if c)
    problem = summary_problem(out.summary, (*out.authors, *truth.byline), credits)
    tally.add(("summary clean", REFERENCE), problem is None)
    if problem:
        miss("summary", problem, (out.summary or "")[:80])


def evaluate(
    extractors: dict[str, Extractor], corpus: Path = CORPUS
) -> tuple[dict[str, Tally], dict[str, float]]:
    """Run every extractor over the corpus: (tally per extractor, seconds per extractor)."""
    pages = load_truth(corpus, load_labels(corpus))
    tallies = {name: Tally() for name in extractors}
    seconds = dict.fromkeys(extractors, 0.0)
    for filename, truth in pages:
        data = (corpus / filename).read_bytes()
        for name, run in extractors.items():
            start = time.perf_counter()
            out = run(data, truth)
            seconds[name] += time.perf_counter() - start
            score(name, truth.page, truth, out, tallies[name])
    return tallies, seconds


@dataclass
class CoverCredits:
    """Our credits on a Fundus set, against the credit of each page's cover image."""

    pages: int = 0
    """Pages whose cover image has a credit in Fundus' parse."""
    found: int = 0
    misses: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    """Pages whose cover's credit Fundus leaves unknown, with the credit we give."""


def cover_credits(rules: Rules, corpus: Path = FUNDUS_EN) -> CoverCredits:
    """Score our image credit on every page of a Fundus set (``truth.load_cover_credits``)."""
    run = ours(rules)
    tally = CoverCredits()
    for filename, authors in load_cover_credits(corpus):
        page = filename[: -len(".html")]
        credit = run((corpus / filename).read_bytes(), Truth(page)).credit
        if authors:
            tally.pages += 1
            if credit_contains(credit, authors):
                tally.found += 1
            else:
                tally.misses.append(f"{page:22} got {credit!r}, want {'; '.join(authors)!r}")
        elif authors is not None:
            tally.unknown.append(f"{page:22} {credit!r}")
    return tally


def bare_parse_seconds(corpus: Path, repeat: int) -> float:
    """A bare BeautifulSoup(html, 'lxml') parse of every page: the floor we are measured against."""
    from bs4 import BeautifulSoup

    best = []
    for path in sorted(corpus.glob("*.html")):
        text = path.read_bytes().decode("utf-8", "replace")
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            BeautifulSoup(text, "lxml")
            times.append(time.perf_counter() - start)
        best.append(min(times))
    return sum(best)


def ours_seconds(corpus: Path, rules: Rules, repeat: int) -> float:
    """Our extraction alone (decode, parse, every field), best of ``repeat`` per page."""
    best = []
    for path in sorted(corpus.glob("*.html")):
        source = Source(path, path.name, path.read_bytes())
        times = []
        for _ in range(repeat):
            start = time.perf_counter()
            extract(source, rules)
            times.append(time.perf_counter() - start)
        best.append(min(times))
    return sum(best)


def table(tallies: dict[str, Tally]) -> Iterable[str]:
    names = list(tallies)
    keys = sorted(
        {k for t in tallies.values() for k in t.totals},
        key=lambda k: (_FIELD_ORDER.index(k[0]), k[1] != REFERENCE, k[1]),
    )
    yield f"{'field':24}{'truth':13}{'pages':>6}" + "".join(f"{n:>14}" for n in names)
    for key in keys:
        total = max(t.totals.get(key, 0) for t in tallies.values())
        cells = [
            f"{t.hits.get(key, 0):>5} {100 * t.share(key):6.1f}%" if key in t.totals else ""
            for t in tallies.values()
        ]
        yield f"{key[0]:24}{key[1]:13}{total:>6}" + "".join(f"{c:>14}" for c in cells)


_FIELD_ORDER = [
    "headline exact",
    "headline normalised",
    "credit (has one)",
    "credit none (has none)",
    "byline",
    "date",
    "summary clean",
]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--ours-only", action="store_true", help="leave the peers out")
    parser.add_argument("--repeat", type=int, default=3, help="timing runs per page (best kept)")
    args = parser.parse_args(argv)
    if not CORPUS.is_dir():
        print(f"skipped: no development corpus at {CORPUS}")
        return 0
    rules = default_rules()
    extractors: dict[str, Extractor] = {"ours": ours(rules)}
    if not args.ours_only:
        for name, factory in (
            ("trafilatura", trafilatura_extractor),
            ("newspaper4k", newspaper_extractor),
        ):
            peer = factory()
            if peer is None:
                print(f"{name} is not installed: pip install -e '.[bench]'")
            else:
                extractors[name] = peer
    tallies, seconds = evaluate(extractors)
    pages = len(list(CORPUS.glob("*.html")))
    print(f"Extraction on {pages} pages of {CORPUS}\n")
    print("\n".join(table(tallies)))
    print(f"\n'{REFERENCE}' is the combined reference; pages where it follows the visible <h1>:")
    for page, (_, why) in VISIBLE_HEADLINES.items():
        print(f"  {page}: {why}")
    print(f"\nWhere we are wrong ({len(tallies['ours'].misses)}):")
    for line in tallies["ours"].misses:
        print("  " + line)
    if FUNDUS_EN.is_dir():
        fundus = cover_credits(rules)
        share = 100 * fundus.found / fundus.pages if fundus.pages else 0.0
        print(f"\nImage credits on {FUNDUS_EN} (Fundus' cover credit, held whole in ours):")
        print(f"  covers with a credit: {fundus.found} / {fundus.pages} found ({share:.1f}%)")
        for line in fundus.misses:
            print("  missed  " + line)
        print("  covers whose credit Fundus leaves unknown (what we give; check the page):")
        for line in fundus.unknown:
            print("          " + line)
    ours_s = ours_seconds(CORPUS, rules, args.repeat)
    bare_s = bare_parse_seconds(CORPUS, args.repeat)
    print("\nSpeed (ms per page, best of", args.repeat, "runs per page for ours and bare parse):")
    print(f"  ours (extract)             {1000 * ours_s / pages:8.1f}")
    print(f"  BeautifulSoup(html,'lxml') {1000 * bare_s / pages:8.1f}")
    print(f"  ours / bare parse          {ours_s / bare_s:8.2f}x the time")
    for name in extractors:
        label = f"{name} (one run, incl. enrich)" if name == "ours" else f"{name} (one run)"
        print(f"  {label:27}{1000 * seconds[name] / pages:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
