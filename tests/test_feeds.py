"""Each entry's feed forms are made once and spliced into every feed that carries it: the
feeds must be, byte for byte, what feedgen and json.dumps write for the whole feed."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from feedgen_pipeline.config import default_rules
from feedgen_pipeline.model import Entry, FeedView
from feedgen_pipeline.parse import enrich_file
from feedgen_pipeline.write.atom_rss import _add_entry, _generator, _with_stylesheet
from feedgen_pipeline.write.feeds import EntryForms, render_feeds
from feedgen_pipeline.write.jsonfeed import _item

from .conftest import EXAMPLES, FIXED_NOW

BASE = "https://example.org/news/"


def entries() -> list[Entry]:
    rules = default_rules()
    out = []
    for i, path in enumerate(sorted(EXAMPLES.iterdir())):
        article = enrich_file(path, rules, path.name)
        link = article.url or f"{BASE}articles/{path.stem}.html"
        date = FIXED_NOW - timedelta(hours=i)
        out.append(Entry(article, link, link, path.stem, date, date, article.url is None))
    return out


def view(chosen: list[Entry], path: str = "", stylesheet: bool = False) -> FeedView:
    return FeedView("Desk", "News.", "Desk", "en", BASE, tuple(chosen), path, stylesheet)


def whole(v: FeedView, fmt: str, full: bool) -> bytes:
    """The feed as feedgen (or json.dumps) writes it in one piece."""
    if fmt == "json":
        feed = json.loads(render_feeds(v, EntryForms(BASE), full=full)[f"{v.path}feed.json"])
        feed["items"] = [_item(e, full) for e in v.entries]
        return (json.dumps(feed, ensure_ascii=False, separators=(",", ":")) + "\n").encode()
    name = "atom.xml" if fmt == "atom" else "rss.xml"
    fg = _generator(v, f"{v.url}{name}")
    for entry in v.entries:
        _add_entry(fg, entry, BASE, full, "atom" if fmt == "atom" else "rss")
    data = fg.atom_str(pretty=True) if fmt == "atom" else fg.rss_str(pretty=True)
    return _with_stylesheet(data, v) if v.stylesheet else data


@pytest.mark.parametrize("full", [True, False])
def test_spliced_feeds_equal_whole_feeds(full: bool) -> None:
    every = entries()
    assert len(every) >= 8
    forms = EntryForms(BASE, size=3)  # forms made, reused and dropped along the way
    views = [view(every), view(every[2:5], "countries/ru/"), view(every[:1], "actors/x/")]
    views += [view([], "actors/y/"), view(every[::-1]), view(every[1:4], "countries/fr/", True)]
    for v in views:
        files = render_feeds(v, forms, full=full)
        assert files[f"{v.path}atom.xml"] == whole(v, "atom", full)
        assert files[f"{v.path}rss.xml"] == whole(v, "rss", full)
        assert files[f"{v.path}feed.json"] == whole(v, "json", full)


def test_summary_feeds_carry_no_full_text() -> None:
    every = entries()
    files = render_feeds(view(every), EntryForms(BASE), full=False)
    longest = max((p for e in every for p in e.article.paragraphs), key=len)
    assert all(longest not in data.decode() for data in files.values())
    items = json.loads(files["feed.json"])["items"]
    assert all("content_text" in i and "content_html" not in i for i in items)
