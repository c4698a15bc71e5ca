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


def assign_slugs(sources: Iterable[str]) -> dict[str, str]:
    """Source path → page slug. Two sources with the same slug: the later (by path) gets a stable
    suffix, so a slug depends on every source, not on the entries a feed happens to show."""
    slugs: dict[str, str] = {}
    used: set[str] = set()
    for source in sorted(sources):
        slug = _source_slug(source)
        if slug in used:
            slug = f"{slug}-{hashlib.sha1(source.encode()).hexdigest()[:8]}"
        used.add(slug)
        slugs[source] = slug
    return slugs


def entry_link(url: str | None, slug: str, base_url: str) -> str:
    """The article's own URL, else its page under articles/."""
    return url or f"{base_url}articles/{slug}.html"


def order_key(published: datetime, link: str) -> tuple[float, str]:
    """Newest first, ties by link (the entry id)."""
    return (-published.timestamp(), link)


def make_view(
    articles: Iterable[Article],
    feed: FeedConfig,
    first_seen: Mapping[str, datetime],
    *,
    changed: Mapping[str, datetime] | None = None,
    slugs: Mapping[str, str] | None = None,
) -> FeedView:
    """Entries newest first (ties by id), capped at ``feed.max_entries``.

    An article without a published date takes the time it was first seen. ``changed`` holds when
    an article's content last changed, which ``updated`` never precedes. ``slugs`` is
    ``assign_slugs`` over every source when ``articles`` are only those the feed can show.
    """
    articles = sorted(articles, key=lambda a: a.source)
    if slugs is None:
        slugs = assign_slugs(a.source for a in articles)
    entries = []
    for article in articles:
        slug = slugs[article.source]
        link = entry_link(article.url, slug, feed.base_url)
        published = article.published or first_seen[article.id]
        updated = max(article.updated or published, published)
        if changed and article.id in changed:
            updated = max(updated, changed[article.id])
        entries.append(
            Entry(
                article=article,
                id=link,
                link=link,
                slug=slug,
                published=published,
                updated=updated,
                has_page=article.url is None,
            )
        )
    entries.sort(key=lambda e: order_key(e.published, e.id))
    return FeedView(
        title=feed.title,
        description=feed.description,
        author=feed.author,
        language=feed.language,
        base_url=feed.base_url,
        entries=tuple(entries[: feed.max_entries]),
    )
