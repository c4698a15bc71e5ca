"""The extraction's tree builder makes the tree bs4's own lxml builder makes, less comments, and
lists its tags in document order; no collection runs while a page is read."""

from __future__ import annotations

import gc
import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, Comment, Tag
from hypothesis import assume, given

from feedgen_pipeline.config import default_rules
from feedgen_pipeline.extract import extract
from feedgen_pipeline.extract.tree import parse_html
from feedgen_pipeline.model import Source
from feedgen_pipeline.sources import read_source

from .test_hostile import _html

PAGE = """<!DOCTYPE html>
<html lang="de" xmlns:og="http://ogp.me/ns#"><head>
<meta charset="utf-8"><meta property="og:title" content="Ein Titel &amp; mehr">
<title>Ein Titel</title><!-- a comment in the head -->
<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A <b>b</b>"}</script>
<script>if (a < b && c > d) { document.write("</div>"); }</script>
<style>p > a { color: red }</style>
</head><body class="page  home" data-x='1'>
<h1 id=top>Ein <em>Titel</em></h1>
<p>Text mit &auml;, &#x2014; und &nbsp;<br>Zeile<p>Offen ohne Ende
<svg viewBox="0 0 10 10"><title>Icon</title><use xlink:href="#a"></use><path d="M0 0"/></svg>
<table><tr><td>Zelle<td>Zwei</table>
<![CDATA[ cdata ]]><?php echo 1; ?>
<ul><li>Eins<li>Zwei</ul><img src="a.jpg" alt="">
<div><span>nicht <b>geschlossen</div>
<textarea>  <p>kein Tag</p>  </textarea><pre>
  Leerraum</pre>
</body></html>"""


def _bs4(text: str) -> BeautifulSoup:
    return BeautifulSoup(text, "lxml", multi_valued_attributes=None, attribute_dict_class=dict)


def _spaced(markup: str) -> str:
    return re.sub(r"\s+", " ", markup)


def _same_tree(text: str) -> None:
    soup, tags = parse_html(text)
    expected = _bs4(text)
    for comment in expected.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()  # which nothing reads: the parse leaves them out
    assert not soup.find_all(string=lambda s: isinstance(s, Comment))
    # the text on either side of a comment is one string: "\n", "\n" is "\n" as bs4 collapses it
    assert _spaced(soup.decode()) == _spaced(expected.decode())
    assert tags == [n for n in soup.descendants if isinstance(n, Tag)]
    for tag in tags:  # attribute values as plain strings, as the extraction reads them
        assert type(tag.attrs) is dict and all(isinstance(v, str) for v in tag.attrs.values())


def test_the_tree_is_bs4s() -> None:
    _same_tree(PAGE)
    soup, tags = parse_html(PAGE)
    assert [t.name for t in tags][:6] == ["html", "head", "meta", "meta", "title", "script"]
    assert soup.find("body").attrs == {"class": "page  home", "data-x": "1"}  # type: ignore[union-attr]


def test_an_empty_page() -> None:
    _same_tree("")
    assert parse_html("")[1] == []


@given(_html())
def test_random_html_gives_bs4s_tree(html: str) -> None:
    # a name like "{x}y" is taken by bs4 for an XML namespace's; this builder keeps it as written
    assume("{" not in html)
    _same_tree(html)


def _page_source(tmp_path: Path) -> Source:
    rows = "".join(f"<li class='item'><a href='/{i}'>Entry {i}</a></li>" for i in range(3000))
    html = (
        f"<html><head><title>Many entries</title></head><body><h1>Many entries</h1><ul>{rows}</ul>"
    )
    html += "<p>The list above names three thousand entries, one after the other.</p></body></html>"
    path = tmp_path / "many.html"
    path.write_text(html)
    return read_source(path, "many.html")


@pytest.mark.parametrize("enabled", [True, False])
def test_no_collection_while_a_page_is_read_and_the_collector_left_as_it_was(
    tmp_path: Path, enabled: bool
) -> None:
    source, rules = _page_source(tmp_path), default_rules()
    extract(source, rules)  # modules imported and rules compiled before the count
    runs: list[int] = []

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start":
            runs.append(info["generation"])

    (gc.enable if enabled else gc.disable)()
    gc.callbacks.append(count)
    try:
        document = extract(source, rules)
        assert gc.isenabled() is enabled
    finally:
        gc.callbacks.remove(count)
        gc.enable()
    assert document.headline == "Many entries"
    # one when the collector is back, which frees the page's tree; not one every few hundred
    # objects while the tree is built and read
    assert len(runs) <= (1 if enabled else 0)
