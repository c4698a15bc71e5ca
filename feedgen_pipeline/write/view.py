"""Place articles in feeds: links, ids, slugs, order, caps, and a feed per tag. Pure."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Literal

from ..config import FeedConfig
from ..model import Article, Entry, FeedView, Site, TagFeed

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SLUG_MAX = 80
# names Windows reserves for devices, whatever the extension
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{d}{i}" for d in ("com", "lpt") for i in range(10)}
)


def slugify(text: str) -> str:
    """ASCII, lower case, dashes; never empty, never a path."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")[:_SLUG_MAX].strip("-")
    if slug in _RESERVED:
        slug += "-x"
    return slug or "x"


def _suffixed(slug: str, key: str) -> str:
    return f"{slug}-{hashlib.sha1(key.encode()).hexdigest()[:8]}"


def _source_slug(source: str) -> str:
    stem = source.rsplit(".", 1)[0] if "." in source.rsplit("/", 1)[-1] else source
    return slugify(stem)


def place(
    articles: Iterable[Article], base_url: str, first_seen: Mapping[str, datetime]
) -> tuple[Entry, ...]:
    """Every article as an entry, newest first (ties by id).

    An article without a published date takes the time it was first seen.
    """
    entries = []
    used: set[str] = set()
    for article in sorted(articles, key=lambda a: a.source):
        slug = _source_slug(article.source)
        if slug in used:  # two sources with the same slug: the later one gets a stable suffix
            slug = _suffixed(slug, article.source)
        used.add(slug)
        link = article.url or f"{base_url}articles/{slug}.html"
        published = article.published or first_seen[article.id]
        entries.append(
            Entry(
                article=article,
                id=link,
                link=link,
                slug=slug,
                published=published,
                updated=max(article.updated or published, published),
                has_page=article.url is None,
            )
        )
    entries.sort(key=lambda e: (-e.published.timestamp(), e.id))
    return tuple(entries)


def make_view(
    articles: Iterable[Article], feed: FeedConfig, first_seen: Mapping[str, datetime]
) -> FeedView:
    """The main feed alone: entries newest first, capped at ``feed.max_entries``."""
    return _view(feed, place(articles, feed.base_url, first_seen))


def _view(
    feed: FeedConfig, entries: tuple[Entry, ...], label: str = "", path: str = ""
) -> FeedView:
    return FeedView(
        title=f"{feed.title} — {label}" if label else feed.title,
        description=f"{feed.description} Articles tagged {label}." if label else feed.description,
        author=feed.author,
        language=feed.language,
        base_url=feed.base_url,
        entries=entries[: feed.max_entries],
        path=path,
    )


def make_site(
    articles: Iterable[Article],
    feed: FeedConfig,
    first_seen: Mapping[str, datetime],
    min_articles: int = 1,
) -> Site:
    """The main feed, a feed per country and per actor tagged on at least ``min_articles``
    articles, and the entries that need a page of their own."""
    entries = place(articles, feed.base_url, first_seen)
    tagged: dict[tuple[Literal["countries", "actors"], str], list[Entry]] = {}
    labels: dict[tuple[str, str], str] = {}
    for entry in entries:
        for country in entry.article.countries:
            tagged.setdefault(("countries", country.code), []).append(entry)
            labels[("countries", country.code)] = country.name
        for actor in entry.article.actors:
            tagged.setdefault(("actors", actor.name), []).append(entry)
            labels[("actors", actor.name)] = actor.name
    tags = []
    used: set[tuple[str, str]] = set()
    for (kind, key), members in sorted(tagged.items()):
        if len(members) < min_articles:
            continue
        slug = slugify(key)
        if (kind, slug) in used:  # different names, same ASCII form
            slug = _suffixed(slug, key)
        used.add((kind, slug))
        label = labels[(kind, key)]
        view = _view(feed, tuple(members), label, f"{kind}/{slug}/")
        tags.append(TagFeed(kind, key, label, slug, len(members), view))
    main = _view(feed, entries)
    shown = {e.id for e in main.entries} | {e.id for t in tags for e in t.view.entries}
    pages = tuple(e for e in entries if e.has_page and e.id in shown)
    return Site(main=main, tags=tuple(tags), pages=pages)
