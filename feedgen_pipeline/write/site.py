"""The static site: index pages, tag pages and article pages, from jinja2 templates.

Links between pages are relative, so the site works under any sub-path and from disk; feed
links are absolute, as feed readers need. Templates can be overridden from a folder of the
user's (``site.templates``): a file there with a built-in template's name replaces it.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemBytecodeCache,
    FileSystemLoader,
    PackageLoader,
    StrictUndefined,
)

from ..model import Entry, FeedView, TagFeed, TagRef
from .content import caption_line

FEED_TYPES = (
    ("application/atom+xml", "Atom", "atom.xml"),
    ("application/rss+xml", "RSS", "rss.xml"),
    ("application/feed+json", "JSON Feed", "feed.json"),
)
KIND_HEADINGS = {"countries": "Countries", "actors": "Actors"}


@lru_cache(maxsize=4)
def environment(templates: Path | None = None, cache_dir: Path | None = None) -> Environment:
    """The templates' environment; with ``cache_dir``, compiled templates are kept there
    (keyed by their source), so that a run does not compile them again. One per folder and
    process: it keeps its templates compiled, and reloads one whose file changed."""
    loaders: list[Any] = [FileSystemLoader(str(templates))] if templates else []
    loaders.append(PackageLoader("feedgen_pipeline", "templates"))
    return Environment(
        loader=ChoiceLoader(loaders),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        bytecode_cache=FileSystemBytecodeCache(str(cache_dir)) if cache_dir else None,
    )


def _feeds(view: FeedView) -> list[dict[str, str]]:
    return [
        {"type": kind, "name": name, "title": f"{view.title} ({name})", "href": view.url + file}
        for kind, name, file in FEED_TYPES
    ]


TagHref = Callable[[TagRef, str], "str | None"]
"""(tag, relative path to the output root) → the link to the tag's page, None when it has none."""


def _entry(entry: Entry, root: str, tag_href: TagHref) -> dict[str, Any]:
    """What a template shows of an entry; ``root`` is the relative path to the output root."""
    article = entry.article
    tags = [{"label": t.label, "href": tag_href(t, root)} for t in article.tags]
    image = article.image
    return {
        "headline": article.headline,
        "href": f"{root}articles/{entry.slug}.html" if entry.has_page else entry.link,
        "summary": article.summary,
        "paragraphs": article.paragraphs,
        "image_url": image.url if image else None,
        "caption": image.caption if image else None,
        "caption_line": caption_line(article),
        "date_iso": entry.published.isoformat(),
        "date_text": entry.published.strftime("%d %b %Y"),
        "authors": article.authors,
        "tags": tags,
    }


def _common(env: Environment, main: FeedView) -> dict[str, Any]:
    return {"site_title": main.title, "language": main.language}


def listing_page(
    env: Environment, main: FeedView, view: FeedView, heading: str, tag_href: TagHref
) -> bytes:
    """The page of a feed (the main one, or a tag's): its latest entries."""
    root = "../" * view.path.count("/")
    text = env.get_template("index.html").render(
        **_common(env, main),
        title=heading,
        heading=heading,
        description=view.description,
        root=root,
        feeds=_feeds(view),
        entries=[_entry(e, root, tag_href) for e in view.entries],
    )
    return text.encode("utf-8")


def article_page(
    env: Environment, main: FeedView, entry: Entry, tag_views: list[FeedView], tag_href: TagHref
) -> bytes:
    """The page of an article without a URL of its own, with the feeds of its tags."""
    feeds = _feeds(main) + [f for view in tag_views for f in _feeds(view)]
    text = env.get_template("article.html").render(
        **_common(env, main),
        title=entry.article.headline,
        root="../",
        feeds=feeds,
        entry=_entry(entry, "../", tag_href),
    )
    return text.encode("utf-8")


_MOST = 20


def tags_page(env: Environment, main: FeedView, kind: str, tags: list[TagFeed]) -> bytes:
    """Every tag of one kind with its number of articles: the most tagged first, then all of
    them by name under their initial, so that thousands of tags stay easy to look through."""
    heading = KIND_HEADINGS[kind]
    by_name = sorted(tags, key=lambda t: (t.label.casefold(), t.label))
    groups: dict[str, list[TagFeed]] = {}
    for tag in by_name:
        initial = tag.label[:1].upper()
        groups.setdefault(initial if initial.isalpha() else "#", []).append(tag)
    most = sorted(tags, key=lambda t: (-t.count, t.label))[:_MOST] if len(tags) > _MOST else []
    text = env.get_template("tags.html").render(
        **_common(env, main),
        title=heading,
        heading=heading,
        root="../",
        feeds=_feeds(main),
        tags=by_name,
        most=most,
        groups=[
            {"initial": i, "anchor": i if i != "#" else "other", "tags": g}
            for i, g in sorted(groups.items())
        ],
    )
    return text.encode("utf-8")


def opml(main: FeedView, tags: list[TagFeed]) -> bytes:
    """Every feed (Atom), the main one first, then one folder per kind of tag."""

    def outline(view: FeedView, text: str) -> str:
        return (
            f'<outline type="rss" text="{escape(text)}" title="{escape(view.title)}" '
            f'xmlUrl="{escape(view.url)}atom.xml" htmlUrl="{escape(view.url)}index.html"/>'
        )

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"<head><title>{escape(main.title)}</title></head>",
        "<body>",
        outline(main, main.title),
    ]
    for kind, heading in KIND_HEADINGS.items():
        of_kind = [t for t in tags if t.kind == kind]
        if of_kind:
            lines.append(f'<outline text="{heading}" title="{heading}">')
            lines += [outline(t.view, t.label) for t in of_kind]
            lines.append("</outline>")
    lines += ["</body>", "</opml>", ""]
    return "\n".join(lines).encode("utf-8")
