"""The compiled selectors and the one-walk page index answer as soupsieve does."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Tag

from feedgen_pipeline.config import default_rules
from feedgen_pipeline.extract.css import compile_selectors
from feedgen_pipeline.extract.page import Page
from feedgen_pipeline.extract.queries import queries_for
from feedgen_pipeline.extract.tree import parse_html

from .conftest import SHARED

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
PAGES = sorted((SHARED / "corpus" / "dev").glob("*.html"))[:20] + sorted(EXAMPLES.rglob("*.html"))

HTML = """<!DOCTYPE html><html lang=en><body>
<div class="Share-Bar x" id="SHARE-1"><p class="byline" rel="Author">By A B</p></div>
<div class="hmedia"><span><b class="contributor  vcard">Jane Doe</b></span></div>
<p class="BYLINE">x</p><a rel="author nofollow">y</a><a rel="AUTHOR">z</a>
<div itemprop="author"><span itemprop="name">N</span><span itemprop="Name">M</span></div>
<time datetime>t</time><span itemprop="datePublished" content="2024">d</span>
<div data-credit="">c</div><figure class="caption"><img src="a.jpg"></figure>
<section class="\u212aelvin ſhare article-body">k</section>
</body></html>"""

# bs4's default tree (class and rel as lists; the page walks it for its tags) and the
# extractor's (every value one string; its tags as the parse gives them)
Parse = Callable[[str], tuple[BeautifulSoup, list[Tag] | None]]
PARSERS: dict[str, Parse] = {
    "lists": lambda text: (BeautifulSoup(text, "lxml"), None),
    "strings": parse_html,
}

SELECTORS = [
    '[class*="share" i]',
    '[id*="share" i]',
    ".byline",
    '[rel="author"]',
    '[itemprop="author"] [itemprop="name"]',
    ".hmedia .contributor",
    "time[datetime], [itemprop='datePublished']",
    "[data-credit]",
    "figure.caption",
    'div[class~="x"]',
    '[class^="share" i]',
    '[class$="x"]',
    '[lang|="en"]',
    'section[class*="kelvin" i]',
    "p:first-child",  # outside the subset: soupsieve's
    "div > p",
]


def test_subset_and_fallback() -> None:
    assert compile_selectors('.a, [b*="c" i] d').complexes is not None
    assert compile_selectors("p:first-child").complexes is None
    assert compile_selectors("div > p").complexes is None
    assert compile_selectors("*").complexes is None


@pytest.mark.parametrize("parse", PARSERS.values(), ids=PARSERS.keys())
@pytest.mark.parametrize("selector", SELECTORS)
def test_selectors_match_as_soupsieve(selector: str, parse: Parse) -> None:
    soup, tags = parse(HTML)
    compiled = compile_selectors(selector)
    page = Page(soup, [compiled], tags)
    assert page.select([compiled], soup) == soup.select(selector)
    for tag in soup.find_all(True):
        assert compiled.match(tag) == bool(tag.css.match(selector)), tag


@pytest.mark.parametrize("parse", PARSERS.values(), ids=PARSERS.keys())
@pytest.mark.parametrize("path", PAGES, ids=lambda p: p.name)
def test_rules_select_as_soupsieve(path: Path, parse: Parse) -> None:
    soup, tags = parse(path.read_bytes().decode("utf-8", "replace"))
    queries = queries_for(default_rules())
    page = Page(soup, queries.all, tags)
    body = page.first("body") or soup
    for selectors in queries.all:
        assert page.select([selectors], soup) == soup.select(selectors.css), selectors.css
        assert page.select([selectors], body) == body.select(selectors.css), selectors.css
    removable = ", ".join(s.css for s in queries.removable)
    assert page.select(queries.removable, soup) == soup.select(removable)
    for tag in soup.find_all(True)[:300]:
        for selectors in queries.all:
            assert page.matches(selectors, tag) == bool(tag.css.match(selectors.css))


def test_removed_elements_leave_the_answers() -> None:
    soup = BeautifulSoup(HTML, "lxml")
    selectors = compile_selectors('[class*="share" i], .byline, p')
    page = Page(soup, [selectors])
    first = page.select([selectors], soup)[0]
    page.remove(first)
    assert page.select([selectors], soup) == soup.select(selectors.css)
    assert page.tags("p") == soup.find_all("p")
