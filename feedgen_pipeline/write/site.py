"""index.html and a page per article that has no URL of its own, so every entry link works."""

from __future__ import annotations

from html import escape

from ..model import Entry, FeedView
from .content import content_html

_STYLE = (
    "body{font:1rem/1.5 system-ui,sans-serif;max-width:46rem;margin:0 auto;padding:1rem}"
    "img{max-width:100%;height:auto}figcaption,.meta{color:#555;font-size:.9rem}"
    "li{margin-bottom:1.2rem}"
)


def _page(view: FeedView, title: str, body: str, root: str) -> bytes:
    lang = f' lang="{escape(view.language)}"' if view.language else ""
    feeds = "\n".join(
        f'<link rel="alternate" type="{kind}" title="{escape(view.title)} ({name})" '
        f'href="{escape(view.base_url + path)}">'
        for kind, name, path in (
            ("application/atom+xml", "Atom", "atom.xml"),
            ("application/rss+xml", "RSS", "rss.xml"),
            ("application/feed+json", "JSON Feed", "feed.json"),
        )
    )
    return (
        f'<!DOCTYPE html>\n<html{lang}>\n<head>\n<meta charset="utf-8">\n'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n{feeds}\n<style>{_STYLE}</style>\n</head>\n"
        f'<body>\n<p class="meta"><a href="{root}index.html">{escape(view.title)}</a></p>\n'
        f"{body}\n</body>\n</html>\n"
    ).encode()


def _meta_line(entry: Entry) -> str:
    parts = [
        f'<time datetime="{entry.published.isoformat()}">'
        f"{entry.published.strftime('%d %b %Y')}</time>"
    ]
    if entry.article.authors:
        parts.append("By " + escape(", ".join(entry.article.authors)))
    tags = [c.name for c in entry.article.countries] + [a.name for a in entry.article.actors]
    if tags:
        parts.append(escape(" · ".join(tags)))
    return " — ".join(parts)


def index_html(view: FeedView) -> bytes:
    items = "\n".join(
        f'<li><h2><a href="{escape(e.link)}">{escape(e.article.headline)}</a></h2>\n'
        f'<p>{escape(e.article.summary)}</p>\n<p class="meta">{_meta_line(e)}</p></li>'
        for e in view.entries
    )
    body = (
        f"<h1>{escape(view.title)}</h1>\n<p>{escape(view.description)}</p>\n"
        f'<p class="meta">Subscribe: <a href="atom.xml">Atom</a> · <a href="rss.xml">RSS</a>'
        f' · <a href="feed.json">JSON Feed</a></p>\n<ol>\n{items}\n</ol>'
    )
    return _page(view, view.title, body, "")


def article_html(view: FeedView, entry: Entry) -> bytes:
    article = entry.article
    body = (
        f"<article>\n<h1>{escape(article.headline)}</h1>\n"
        f'<p class="meta">{_meta_line(entry)}</p>\n{content_html(article)}\n</article>'
    )
    return _page(view, article.headline, body, "../")
