"""The extraction's own selector matcher (``extract/css.py`` + ``extract/page.py``) against
soupsieve, on the real pages of ../shared/corpus/dev and ../shared/corpus/fundus-en.

Backend "page.py" is the package as it is: one walk of each page evaluates every rule's
selector, and later questions are answered from that walk. Backend "soupsieve" is
``SoupsievePage`` below, the same interface over the live tree: ``find``/``find_all`` for tags
by name, and each selector list compiled once by ``soupsieve.compile`` (the union of several
lists too), then its ``select``, ``select_one`` and ``match``. It is swapped in for the
measurement only (``extract.html.Page``, the one place a Page is made).

What is timed is ``extract_source`` of each page (decode, parse, extract: the only step the
backend takes part in), in rounds that alternate the backends; ``enrich_document`` over the
same Documents is timed beside it, once per round, so that the saving is also given as a share
of extract + enrich, the per-page work of a build (``bench/extraction_speed.py``'s figure).
Both backends must give equal Documents on every page, else the comparison is unfair: any
difference is printed. Each corpus is skipped, saying so, when its folder is absent.

    python -m bench.css_backends [rounds]
"""

from __future__ import annotations

import contextlib
import statistics
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, fields
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import soupsieve
from bs4 import BeautifulSoup, Tag
from bs4.element import PageElement

from bench.corpora import REPO
from feedgen_pipeline.config import Rules, default_rules
from feedgen_pipeline.errors import ArticleError
from feedgen_pipeline.extract import html as extract_html_module
from feedgen_pipeline.extract.css import SelectorList
from feedgen_pipeline.extract.page import Page
from feedgen_pipeline.model import Document, Source
from feedgen_pipeline.parse import enrich_document, extract_source
from feedgen_pipeline.sources import read_source

CORPORA = {name: REPO.parent / "shared" / "corpus" / name for name in ("dev", "fundus-en")}
ROUNDS = 7

_compiled: dict[str, soupsieve.SoupSieve] = {}


def _sieve(css: str) -> soupsieve.SoupSieve:
    """``css`` compiled once per selector text (a union of lists is one text)."""
    found = _compiled.get(css)
    if found is None:
        found = _compiled[css] = soupsieve.compile(css)
    return found


class SoupsievePage:
    """``extract.page.Page``'s interface answered by bs4 and soupsieve on the live tree: what
    the extraction would be without its own matcher. Positions in document order (to sort
    holders and to size a subtree) come from one plain walk, made when first asked."""

    def __init__(
        self, soup: BeautifulSoup, lists: Sequence[SelectorList], tags: object = None
    ) -> None:
        self.soup = soup  # the tags the parse lists are not needed: soupsieve walks the tree
        for selectors in lists:
            _sieve(selectors.css)
        self._pos: dict[int, int] | None = None

    def _positions(self) -> dict[int, int]:
        if self._pos is None:
            tags = (t for t in self.soup.descendants if isinstance(t, Tag))
            self._pos = {id(t): i for i, t in enumerate(tags)}
            self._pos[id(self.soup)] = -1
        return self._pos

    def within(self, tag: Tag, scope: Tag) -> bool:
        if tag.decomposed or tag is scope:
            return False
        inside = False
        node: Tag | None = tag
        while node is not None:
            inside = inside or node is scope
            if node is self.soup:
                return inside
            node = node.parent
        return False  # taken out of the page

    def tags(self, name: str, scope: Tag | None = None) -> list[Tag]:
        scope = self.soup if scope is None else scope
        return [t for t in scope.find_all(name) if isinstance(t, Tag)]

    def first(self, name: str, scope: Tag | None = None) -> Tag | None:
        found = (self.soup if scope is None else scope).find(name)
        return found if isinstance(found, Tag) else None

    def tags_of(self, names: Sequence[str], scope: Tag) -> list[Tag]:
        return [t for t in scope.find_all(list(names)) if isinstance(t, Tag)]

    def position(self, tag: Tag) -> int:
        return self._positions()[id(tag)]

    def span(self, tag: Tag) -> tuple[int, int]:
        pos = self._positions()
        last: PageElement = tag
        while isinstance(last, Tag) and last.contents:
            last = last.contents[-1]
        while id(last) not in pos and last.previous_element is not None:
            last = last.previous_element
        return pos[id(tag)], pos.get(id(last), pos[id(tag)])

    def select(self, lists: Sequence[SelectorList], scope: Tag) -> list[Tag]:
        if not lists:
            return []
        return list(_sieve(", ".join(s.css for s in lists)).select(scope))

    def select_one(self, selectors: SelectorList, scope: Tag) -> Tag | None:
        found = _sieve(selectors.css).select_one(scope)
        return found if isinstance(found, Tag) else None

    def matches(self, selectors: SelectorList, tag: Tag) -> bool:
        return bool(_sieve(selectors.css).match(tag))

    def remove(self, tag: Tag, *, decompose: bool = True) -> None:
        if decompose:
            tag.decompose()
        else:
            tag.extract()


class OnePassPage(SoupsievePage):
    """``SoupsievePage`` whose selector answers come from one soupsieve pass over the page (the
    union of every list), each hit then matched against each list: page.py's index with
    soupsieve in place of css.py. Hits taken out of the page since are left out by ``within``."""

    def __init__(
        self, soup: BeautifulSoup, lists: Sequence[SelectorList], tags: object = None
    ) -> None:
        super().__init__(soup, lists)
        self._all = _sieve(", ".join(s.css for s in lists)).select(soup)
        self._hits = {s.css: {id(t) for t in self._all if _sieve(s.css).match(t)} for s in lists}

    def select(self, lists: Sequence[SelectorList], scope: Tag) -> list[Tag]:
        hits = [self._hits[s.css] for s in lists]
        return [t for t in self._all if any(id(t) in h for h in hits) and self.within(t, scope)]

    def select_one(self, selectors: SelectorList, scope: Tag) -> Tag | None:
        return next(iter(self.select((selectors,), scope)), None)

    def matches(self, selectors: SelectorList, tag: Tag) -> bool:
        return id(tag) in self._hits[selectors.css]


PAGES: dict[str, type[object]] = {
    "page.py": Page,
    "soupsieve": SoupsievePage,
    "one-pass": OnePassPage,
}
BACKENDS = tuple(PAGES)


@contextlib.contextmanager
def backend(name: str) -> Iterator[None]:
    # the one place a Page is made: extract_html's module-level name
    extract_html_module.__dict__["Page"] = PAGES[name]
    try:
        yield
    finally:
        extract_html_module.__dict__["Page"] = Page


Result = Document | str
"""A page's Document, or its ArticleError's message."""


def extract_all(sources: list[Source], rules: Rules) -> list[Result]:
    out: list[Result] = []
    for source in sources:
        try:
            out.append(extract_source(source, rules))
        except ArticleError as e:
            out.append(str(e))
    return out


def differences(sources: list[Source], a: list[Result], b: list[Result], name: str) -> int:
    """Print where backend ``name``'s results differ from page.py's; how many pages do."""
    count = 0
    for source, x, y in zip(sources, a, b, strict=True):
        if x == y:
            continue
        count += 1
        if isinstance(x, Document) and isinstance(y, Document):
            for field in fields(Document):
                if getattr(x, field.name) != getattr(y, field.name):
                    print(f"    DIFFERS {source.relpath} {field.name}:")
                    print(f"      page.py:   {str(getattr(x, field.name))[:300]}")
                    print(f"      {name}: {str(getattr(y, field.name))[:300]}")
        else:
            print(f"    DIFFERS {source.relpath}: {str(x)[:200]} / {str(y)[:200]}")
    return count


@dataclass
class Timings:
    extract: dict[str, list[float]]
    enrich: list[float]


def timed(work: Callable[[], object]) -> float:
    """CPU seconds of ``work``: on a machine shared with other work, wall time measures the
    others as much as the extraction."""
    start = time.process_time()
    work()
    return time.process_time() - start


def measure(name: str, sources: list[Source], rules: Rules, rounds: int) -> Timings:
    print(f"\n{name}: {len(sources)} pages")
    results = {}
    for b in BACKENDS:  # also the warm-up: imports, compiled patterns, gazetteer
        with backend(b):
            results[b] = extract_all(sources, rules)
    for b in BACKENDS[1:]:
        differing = differences(sources, results[BACKENDS[0]], results[b], b)
        print(f"  pages whose Documents differ between page.py and {b}: {differing}")
    failed = sum(isinstance(r, str) for r in results[BACKENDS[0]])
    print(f"  pages not extracted (an ArticleError): {failed}")
    documents = [(str(s.path), d) for s, d in zip(sources, results[BACKENDS[0]], strict=True)]

    def enrich_all() -> None:
        for path, document in documents:
            if isinstance(document, Document):
                with contextlib.suppress(ArticleError):
                    enrich_document(document, path, rules)

    enrich_all()
    timings = Timings({b: [] for b in BACKENDS}, [])
    for r in range(rounds):
        order = BACKENDS if r % 2 == 0 else BACKENDS[::-1]
        for b in order:
            with backend(b):
                timings.extract[b].append(timed(lambda: extract_all(sources, rules)))
        timings.enrich.append(timed(enrich_all))
    return timings


def report(n: int, timings: Timings) -> None:
    enrich = statistics.median(timings.enrich)
    ours = statistics.median(timings.extract["page.py"])
    print(
        f"  {'backend':10s} {'pages/s':>8s} {'ms/page':>8s} {'+enrich':>8s} "
        f"{'page.py saves: of extract':>26s} {'of extract+enrich':>18s} {'rounds, ms/page':>16s}"
    )
    for b in BACKENDS:
        m = statistics.median(timings.extract[b])
        lo, hi = (1000 * f(timings.extract[b]) / n for f in (min, max))
        saves = f"{(m - ours) / m:26.1%} {(m - ours) / (m + enrich):18.1%}" if m != ours else ""
        print(
            f"  {b:10s} {n / m:8.1f} {1000 * m / n:8.2f} {1000 * (m + enrich) / n:8.2f} "
            f"{saves:45s} {lo:7.2f}-{hi:.2f}"
        )
    print(f"  enrich alone: {1000 * enrich / n:.2f} ms/page")


def main() -> None:
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else ROUNDS
    rules = default_rules()
    print(f"extract_source per page, CPU time, median of {rounds} interleaved rounds, one process")
    for name, folder in CORPORA.items():
        pages = sorted(folder.glob("*.html"))
        if not pages:
            print(f"\n(no {folder}: {name} skipped)")
            continue
        sources = [read_source(p, p.name) for p in pages]
        timings = measure(name, sources, rules, rounds)
        report(len(sources), timings)


if __name__ == "__main__":
    main()
