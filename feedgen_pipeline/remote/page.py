"""A fetched page made ready for extraction, and the article it gives made absolute.

Extraction reads bytes and trusts the page's own declarations; a fetched page has three more
facts: the charset the server named (which wins over the page's ``<meta charset>``), the URL it
was served from (the article's URL when the page names no canonical one, and the base of its
relative links) and when it was served (what its relative dates count from). ``prepare``
applies them before extraction, ``finish`` after it.
"""

from __future__ import annotations

import html
import re
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from ..model import Article, Source
from ..records import PageInfo
from ..sources import browser_encoding

if TYPE_CHECKING:
    from .discover import Link

PAGE_TYPES = ("text/html", "application/xhtml+xml", "text/plain")
"""The media types a page may be served as."""
_HTML_TYPES = ("text/html", "application/xhtml+xml")

_TAG = re.compile(rb"<(link|meta)\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(rb"""([\w:-]+)\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)""")
_HEAD = re.compile(rb"<head\b[^>]*>|<html\b[^>]*>", re.IGNORECASE)


def served_page(
    final_url: str, content_type: str, charset: str | None, served: datetime | None
) -> PageInfo:
    """What a page's fetch says of it: where it was served from, as what, and when (a page
    served without a media type is read as HTML)."""
    is_html = content_type in _HTML_TYPES or not content_type
    return PageInfo(final_url, charset, is_html, served=served)


def prepare(source: Source, page: PageInfo) -> Source:
    """The page's bytes in UTF-8 when the server named another charset, and, for HTML, with a
    canonical link to the page's absolute URL when the page gives none that is absolute."""
    data = source.data
    if page.charset:
        data = _to_utf8(data, page.charset)
    suffix = ".html" if page.html else ".txt"
    if page.html and not _has_absolute_canonical(data):
        declared = declared_url(data, page.url)
        link = f'<link rel="canonical" href="{html.escape(declared or page.url)}">'.encode()
        data = _insert_in_head(data, link)
    return Source(Path(f"{source.path}{suffix}"), source.relpath, data, page.served)


def finish(article: Article, page: PageInfo) -> Article:
    """The article with a URL (the page's when extraction found none) and its fetch flag."""
    url = article.url or page.url
    return replace(
        article, url=url, id=url if article.url is None else article.id, fetched=page.fetched
    )


def _to_utf8(data: bytes, charset: str) -> bytes:
    try:
        encoding = browser_encoding(charset)
    except LookupError:
        return data  # an unknown label: the page's own declaration decides
    if encoding == "utf-8":
        return data
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return data
    return text.encode("utf-8")


def _attrs(tag: bytes) -> dict[str, str]:
    out = {}
    for name, value in _ATTR.findall(tag):
        text = value.decode("utf-8", "replace").strip("\"'")
        out[name.decode("ascii", "replace").lower()] = html.unescape(text).strip()
    return out


def declared_url(data: bytes, base: str) -> str | None:
    """The page's canonical link (else its og:url), made absolute on ``base``; None when it has
    none that is http(s)."""
    canonical = og = None
    for match in _TAG.finditer(data[:200_000]):
        attrs = _attrs(match.group(0))
        if (
            match.group(1).lower() == b"link"
            and "canonical" in attrs.get("rel", "").lower().split()
        ):
            canonical = canonical or attrs.get("href")
        elif attrs.get("property", "").lower() == "og:url":
            og = og or attrs.get("content")
    for href in (canonical, og):
        if href:
            absolute = urljoin(base, href)
            if urlsplit(absolute).scheme in ("http", "https"):
                return absolute
    return None


def _has_absolute_canonical(data: bytes) -> bool:
    for match in _TAG.finditer(data[:200_000]):
        attrs = _attrs(match.group(0))
        if (
            match.group(1).lower() == b"link"
            and "canonical" in attrs.get("rel", "").lower().split()
        ):
            href = attrs.get("href", "")
            return urlsplit(href).scheme in ("http", "https") and bool(urlsplit(href).netloc)
    return False


def _insert_in_head(data: bytes, tag: bytes) -> bytes:
    match = _HEAD.search(data[:200_000])
    at = match.end() if match else 0
    return data[:at] + tag + data[at:]


def entry_html(link: Link) -> bytes:
    """An upstream feed's entry as a page, for when its own page cannot be fetched."""
    entry = link.entry
    assert entry is not None
    e = html.escape
    head = [
        '<meta charset="utf-8">',
        f'<link rel="canonical" href="{e(link.url)}">',
    ]
    if entry.title:
        head.append(f"<title>{e(entry.title)}</title>")
    summary = entry.summary
    if summary:  # markup and all: enrichment makes a description plain text
        head.append(f'<meta name="description" content="{e(summary)}">')
    if entry.published:
        head.append(
            f'<meta property="article:published_time" content="{entry.published.isoformat()}">'
        )
    for author in entry.authors:
        head.append(f'<meta name="author" content="{e(author)}">')
    body = entry.content_html or (f"<p>{summary}</p>" if summary else "")
    title = f"<h1>{e(entry.title)}</h1>" if entry.title else ""
    page = (
        f"<!doctype html><html><head>{''.join(head)}</head>"
        f"<body><article>{title}{body}</article></body></html>\n"
    )
    return page.encode("utf-8")
