"""Place articles in feeds: links, ids, slugs, order, caps, and a feed per tag. Pure."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime

from ..config import FeedConfig
from ..model import Article, Entry, FeedView, Site, TagFeed

_NOT_SLUG = re.compile(r"[^a-z0-9]+")
_SLUG_MAX = 80
# names Windows reserves for devices, whatever the extension
_RESERVED = frozenset(
    {"con", "prn", "aux", "nul"} | {f"{d}{i}" for d in ("com", "lpt") for i in range(10)}
)
TagKey = tuple[str, str]
"""(kind, key): ("countries", "RU") or ("actors", "Anatoly Antonov")."""


def slugify(text: str) -> str:
    """ASCII, lower case, dashes; never empty, never a path, never a reserved device name."""
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


def assign_slugs(sources: Iterable[str]) -> dict[str, str]:
    """Source path → page slug. Two sources with the same slug: the later (by path) gets a stable
    suffix, so a slug depends on every source, not on the entries a feed happens to show."""
    slugs: dict[str, str] = {}
    used: set[str] = set()
    for source in sorted(sources):
        slug = _source_slug(source)
        if slug in used:
            slug = _suffixed(slug, source)
        used.add(slug)
        slugs[source] = slug
    return slugs


def entry_link(url: str | None, slug: str, base_url: str) -> str:
    """The article's own URL, else its page under articles/."""
    return url or f"{base_url}articles/{slug}.html"


def order_key(published: datetime, link: str) -> tuple[float, str]:
    """Newest first, ties by link (the entry id)."""
    return (-published.timestamp(), link)


def tag_keys(article: Article) -> list[TagKey]:
    """The tags an article carries, as (kind, key)."""
    return [("countries", c.code) for c in article.countries] + [
        ("actors", a.name) for a in article.actors
    ]


def place(
    articles: Iterable[Article],
    base_url: str,
    first_seen: Mapping[str, datetime],
    *,
    changed: Mapping[str, datetime] | None = None,
    slugs: Mapping[str, str] | None = None,
) -> tuple[Entry, ...]:
    """Every article as an entry, newest first (ties by id).

    An article without a published date takes the time it was first seen. ``changed`` holds when
    an article's content last changed, which ``updated`` never precedes. ``slugs`` is
    ``assign_slugs`` over every source when ``articles`` are only those the feeds can show.
    """
    articles = sorted(articles, key=lambda a: a.source)
    if slugs is None:
        slugs = assign_slugs(a.source for a in articles)
    entries = []
    for article in articles:
        slug = slugs[article.source]
        link = entry_link(article.url, slug, base_url)
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
    return tuple(entries)


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
    *,
    min_articles: int = 1,
    changed: Mapping[str, datetime] | None = None,
    slugs: Mapping[str, str] | None = None,
    counts: Mapping[TagKey, int] | None = None,
) -> Site:
    """The main feed, a feed per country and per actor tagged on at least ``min_articles``
    articles, and the entries that need a page of their own.

    ``counts`` gives how many articles carry each tag when ``articles`` are only those the feeds
    show (every feed is capped, so a tag's shown articles may be fewer than it has).
    """
    entries = place(articles, feed.base_url, first_seen, changed=changed, slugs=slugs)
    members: dict[TagKey, list[Entry]] = {}
    labels: dict[TagKey, str] = {}
    for entry in entries:
        for country in entry.article.countries:
            labels[("countries", country.code)] = country.name
        for actor in entry.article.actors:
            labels[("actors", actor.name)] = actor.name
        for tag in tag_keys(entry.article):
            members.setdefault(tag, []).append(entry)
    tags = []
    used: set[TagKey] = set()
    for (kind, key), tagged in sorted(members.items()):
        count = counts[(kind, key)] if counts else len(tagged)
        if count < min_articles:
            continue
        slug = slugify(key)
        if (kind, slug) in used:  # different names, same ASCII form
            slug = _suffixed(slug, key)
        used.add((kind, slug))
        label = labels[(kind, key)]
        view = _view(feed, tuple(tagged), label, f"{kind}/{slug}/")
        tags.append(TagFeed(kind, key, label, slug, count, view))  # type: ignore[arg-type]
    main = _view(feed, entries)
    shown = {e.id for e in main.entries} | {e.id for t in tags for e in t.view.entries}
    pages = tuple(e for e in entries if e.has_page and e.id in shown)
    return Site(main=main, tags=tuple(tags), pages=pages)
