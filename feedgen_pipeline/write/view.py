"""Place articles in a feed: links, ids, slugs, order and cap. Pure."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime

from ..config import FeedConfig
from ..model import Article, Entry, FeedView

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SLUG_MAX = 80


def slugify(text: str) -> str:
    """ASCII, lower case, dashes; never empty, never a path."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = _NOT_SLUG.sub("-", ascii_text.lower()).strip("-")[:_SLUG_MAX].strip("-")
    return slug or "article"


def _source_slug(source: str) -> str:
    stem = source.rsplit(".", 1)[0] if "." in source.rsplit("/", 1)[-1] else source
    return slugify(stem)


def make_view(
    articles: Iterable[Article], feed: FeedConfig, first_seen: Mapping[str, datetime]
) -> FeedView:
    """Entries newest first (ties by id), capped at ``feed.max_entries``.

    An article without a published date takes the time it was first seen.
    """
    entries = []
    used: set[str] = set()
    for article in sorted(articles, key=lambda a: a.source):
        slug = _source_slug(article.source)
        if slug in used:  # two sources with the same slug: the later one gets a stable suffix
            slug = f"{slug}-{hashlib.sha1(article.source.encode()).hexdigest()[:8]}"
        used.add(slug)
        link = article.url or f"{feed.base_url}articles/{slug}.html"
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
    return FeedView(
        title=feed.title,
        description=feed.description,
        author=feed.author,
        language=feed.language,
        base_url=feed.base_url,
        entries=tuple(entries[: feed.max_entries]),
    )
