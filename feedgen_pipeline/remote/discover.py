"""What a fetching source lists: pages of a URL list, a sitemap or an upstream feed. Pure parsing
of bytes already fetched; no I/O here.

XML is parsed without entities, DTDs or network access, so that a hostile sitemap or feed can
neither expand itself nor make the parser fetch anything.
"""

from __future__ import annotations

import gzip
import io
import json
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

from lxml import etree

from ..model import parse_date

_MAX_ENTRIES = 50_000  # what the sitemap protocol allows in one file


@dataclass(frozen=True)
class Entry:
    """An upstream feed's item: what is used when its page cannot be fetched."""

    title: str | None
    summary: str | None
    content_html: str | None
    published: datetime | None
    authors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Link:
    """A page a source lists."""

    url: str
    date: datetime | None = None
    """When the sitemap or the feed dates it (published or last modified)."""
    entry: Entry | None = None
    """The feed entry that links to it (``feed`` sources)."""


class ListError(ValueError):
    """Bytes that are not the list they should be (not a sitemap, not a feed)."""


def url_lines(text: str, base: str | None = None) -> list[str]:
    """The URLs of a file with one a line; blank lines and lines starting with # are skipped."""
    out = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            out.append(urljoin(base, line) if base else line)
    return out


def _xml(data: bytes) -> Any:
    if data[:2] == b"\x1f\x8b":  # a .xml.gz sitemap
        try:
            data = gzip.GzipFile(fileobj=io.BytesIO(data)).read(50_000_000)
        except (OSError, EOFError, zlib.error) as e:
            raise ListError(f"broken gzip data: {e}") from e
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False, recover=True
    )
    try:
        root = etree.fromstring(data, parser)
    except etree.XMLSyntaxError as e:
        raise ListError(f"not XML: {e}") from e
    if root is None:
        raise ListError("not XML")
    return root


def _local(tag: Any) -> str:
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(element: Any, *names: str) -> str | None:
    """The text of the first child (any namespace) whose local name is one of ``names``."""
    for name in names:
        for child in element:
            if _local(child.tag) == name:
                text = "".join(child.itertext()).strip()
                if text:
                    return text
    return None


@dataclass(frozen=True)
class Sitemap:
    """A sitemap's pages, or, for a sitemap index, the sitemaps it lists."""

    pages: tuple[Link, ...]
    sitemaps: tuple[str, ...]


def parse_sitemap(data: bytes, base: str) -> Sitemap:
    """A sitemap, a Google News sitemap or a sitemap index (links made absolute on ``base``)."""
    root = _xml(data)
    kind = _local(root.tag)
    if kind == "sitemapindex":
        locs = (_child_text(s, "loc") for s in root if _local(s.tag) == "sitemap")
        return Sitemap((), tuple(_http(urljoin(base, loc)) for loc in locs if loc))
    if kind != "urlset":
        raise ListError(f"not a sitemap (root element <{kind}>)")
    pages = []
    for element in root:
        if _local(element.tag) != "url":
            continue
        loc = _child_text(element, "loc")
        if not loc:
            continue
        date = None
        for child in element:
            if _local(child.tag) == "news":  # Google News: the publication date
                date = parse_date(_child_text(child, "publication_date"))
        date = date or parse_date(_child_text(element, "lastmod"))
        pages.append(Link(_http(urljoin(base, loc)), date))
        if len(pages) >= _MAX_ENTRIES:
            break
    return Sitemap(tuple(p for p in pages if p.url), ())


def _http(url: str) -> str:
    """``url`` when it is http(s), else "" (left out)."""
    return url if urlsplit(url).scheme in ("http", "https") else ""


def parse_feed(data: bytes, base: str) -> list[Link]:
    """The entries of an RSS, Atom or JSON feed, in the feed's order, links made absolute."""
    if data.lstrip()[:1] == b"{":
        return _json_feed(data, base)
    root = _xml(data)
    kind = _local(root.tag)
    if kind == "feed":
        return _atom(root, base)
    if kind in ("rss", "RDF"):
        items = [e for e in root.iter() if _local(e.tag) == "item"]
        return [link for item in items if (link := _rss_item(item, base))]
    raise ListError(f"not a feed (root element <{kind}>)")


def _rss_item(item: Any, base: str) -> Link | None:
    href = _child_text(item, "link")
    guid = next((c for c in item if _local(c.tag) == "guid"), None)
    if not href and guid is not None and guid.get("isPermaLink", "true") != "false":
        href = (guid.text or "").strip()
    url = _http(urljoin(base, href)) if href else ""
    if not url:
        return None
    date = parse_date(_child_text(item, "pubDate", "date", "published", "updated"))
    authors = tuple(a for a in (_child_text(item, "creator"), _child_text(item, "author")) if a)
    entry = Entry(
        title=_child_text(item, "title"),
        summary=_child_text(item, "description"),
        content_html=_child_text(item, "encoded"),
        published=date,
        authors=authors[:1],
    )
    return Link(url, date, entry)


def _atom(root: Any, base: str) -> list[Link]:
    out = []
    for element in root:
        if _local(element.tag) != "entry":
            continue
        href = None
        for link in element:
            if _local(link.tag) == "link" and link.get("rel", "alternate") == "alternate":
                href = link.get("href")
                break
        url = _http(urljoin(base, href)) if href else ""
        if not url:
            continue
        date = parse_date(_child_text(element, "published", "updated"))
        names = [_child_text(a, "name") for a in element if _local(a.tag) == "author"]
        entry = Entry(
            title=_child_text(element, "title"),
            summary=_child_text(element, "summary"),
            content_html=_child_text(element, "content"),
            published=date,
            authors=tuple(n for n in names if n),
        )
        out.append(Link(url, date, entry))
    return out


def _json_feed(data: bytes, base: str) -> list[Link]:
    try:
        feed = json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError) as e:
        raise ListError(f"not a JSON feed: {e}") from e
    items = feed.get("items") if isinstance(feed, dict) else None
    if not isinstance(items, list):
        raise ListError("not a JSON feed (no items)")
    out = []
    for item in items:
        if not isinstance(item, dict):
            continue
        href = item.get("url") or item.get("external_url")
        url = _http(urljoin(base, href)) if isinstance(href, str) else ""
        if not url:
            continue
        date = parse_date(_str(item.get("date_published")) or _str(item.get("date_modified")))
        text = _str(item.get("content_text"))
        html = _str(item.get("content_html")) or (_paragraphs(text) if text else None)
        authors = item.get("authors")
        names = (
            tuple(
                a["name"] for a in authors if isinstance(a, dict) and isinstance(a.get("name"), str)
            )
            if isinstance(authors, list)
            else ()
        )
        entry = Entry(_str(item.get("title")), _str(item.get("summary")), html, date, names)
        out.append(Link(url, date, entry))
    return out


def _str(value: object) -> str | None:
    return value if isinstance(value, str) and value.strip() else None


def _paragraphs(text: str) -> str:
    from html import escape

    return "".join(f"<p>{escape(p.strip())}</p>" for p in text.split("\n\n") if p.strip())


def chosen(links: Iterable[Link], limit: int | None, since: datetime | None) -> list[Link]:
    """Links dated ``since`` or later (undated ones kept), each URL once, the newest ``limit``
    of them (dated ones newest first, then undated ones in the order listed)."""
    seen: set[str] = set()
    kept = []
    for link in links:
        if link.url in seen or (since and link.date and link.date < since):
            continue
        seen.add(link.url)
        kept.append(link)
    if limit is None:
        return kept
    order: Sequence[Link] = sorted(
        kept, key=lambda link: (link.date is None, -(link.date.timestamp() if link.date else 0))
    )
    picked = {id(link) for link in order[:limit]}
    return [link for link in kept if id(link) in picked]
