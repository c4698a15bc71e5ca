"""The static site: index pages, tag pages and article pages, from jinja2 templates.

Links between pages are relative, so the site works under any sub-path and from disk; feed
links are absolute, as feed readers need. Templates can be overridden from a folder of the
user's (``site.templates``): a file there with a built-in template's name replaces it.
"""

from __future__ import annotations

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

from ..model import Entry, FeedView, Site, TagFeed
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


def _entry(site: Site, entry: Entry, root: str) -> dict[str, Any]:
    """What a template shows of an entry; ``root`` is the relative path to the output root."""
    article = entry.article
    tags = [
        {"label": c.name, "href": _tag_href(site, "countries", c.code, root)}
        for c in article.countries
    ] + [{"label": a.name, "href": _tag_href(site, "actors", a.name, root)} for a in article.actors]
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


def _tag_href(site: Site, kind: str, key: str, root: str) -> str | None:
    slug = site.tag_slug(kind, key)
    return f"{root}{kind}/{slug}/index.html" if slug else None


def render_site(site: Site, env: Environment) -> dict[str, bytes]:
    """Every page of the site, by output path."""
    common = {"site_title": site.main.title, "language": site.main.language}
    files: dict[str, str] = {}
    index = env.get_template("index.html")

    def listing(view: FeedView, heading: str, root: str) -> str:
        return index.render(
            **common,
            title=heading,
            heading=heading,
            description=view.description,
            root=root,
            feeds=_feeds(view),
            entries=[_entry(site, e, root) for e in view.entries],
        )

    files["index.html"] = listing(site.main, site.main.title, "")
    for kind, heading in KIND_HEADINGS.items():
        tags = sorted((t for t in site.tags if t.kind == kind), key=lambda t: (-t.count, t.label))
        files[f"{kind}/index.html"] = env.get_template("tags.html").render(
            **common, title=heading, heading=heading, root="../", feeds=_feeds(site.main), tags=tags
        )
    for tag in site.tags:
        files[f"{tag.view.path}index.html"] = listing(tag.view, tag.label, "../../")
    article = env.get_template("article.html")
    for entry in site.pages:
        feeds = _feeds(site.main) + [f for t in _entry_tags(site, entry) for f in _feeds(t.view)]
        files[f"articles/{entry.slug}.html"] = article.render(
            **common,
            title=entry.article.headline,
            root="../",
            feeds=feeds,
            entry=_entry(site, entry, "../"),
        )
    return {path: text.encode("utf-8") for path, text in files.items()}


def _entry_tags(site: Site, entry: Entry) -> list[TagFeed]:
    keys = {("countries", c.code) for c in entry.article.countries}
    keys |= {("actors", a.name) for a in entry.article.actors}
    return [t for t in site.tags if (t.kind, t.key) in keys]


def opml(site: Site) -> bytes:
    """Every feed (Atom), the main one first, then one folder per kind of tag."""

    def outline(view: FeedView, text: str) -> str:
        return (
            f'<outline type="rss" text="{escape(text)}" title="{escape(view.title)}" '
            f'xmlUrl="{escape(view.url)}atom.xml" htmlUrl="{escape(view.url)}index.html"/>'
        )

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<opml version="2.0">',
        f"<head><title>{escape(site.main.title)}</title></head>",
        "<body>",
        outline(site.main, site.main.title),
    ]
    for kind, heading in KIND_HEADINGS.items():
        tags = [t for t in site.tags if t.kind == kind]
        if tags:
            lines.append(f'<outline text="{heading}" title="{heading}">')
            lines += [outline(t.view, t.label) for t in tags]
            lines.append("</outline>")
    lines += ["</body>", "</opml>", ""]
    return "\n".join(lines).encode("utf-8")
