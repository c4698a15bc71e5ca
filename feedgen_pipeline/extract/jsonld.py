"""Read schema.org article metadata out of JSON-LD blocks (already parsed into Python)."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

ARTICLE_TYPES = frozenset(
    {
        "Article",
        "NewsArticle",
        "ReportageNewsArticle",
        "AnalysisNewsArticle",
        "BlogPosting",
        "OpinionNewsArticle",
        "BackgroundNewsArticle",
        "LiveBlogPosting",
        "ReviewNewsArticle",
        "Report",
        "ScholarlyArticle",
        "TechArticle",
        "SocialMediaPosting",
        "WebPage",
    }
)


_CDATA = re.compile(r"^\s*(?://\s*)?<!\[CDATA\[|(?://\s*)?\]\]>\s*$")


@dataclass(frozen=True)
class LdArticle:
    headline: str | None = None
    description: str | None = None
    published: str | None = None
    modified: str | None = None
    authors: tuple[str, ...] = ()
    image_url: str | None = None
    image_caption: str | None = None
    image_credit: str | None = None
    url: str | None = None
    language: str | None = None
    publisher: str | None = None


def parse_blocks(texts: list[str]) -> list[Any]:
    """Parse each JSON-LD script text; blocks that are not JSON are skipped."""
    out = []
    for text in texts:
        text = _CDATA.sub("", text)  # some templates wrap the JSON in <![CDATA[ … ]]>
        try:
            out.append(json.loads(text, strict=False))
        except ValueError:
            continue
    return out


def _walk(node: Any) -> Iterator[dict[str, Any]]:
    if isinstance(node, list):
        for item in node:
            yield from _walk(item)
    elif isinstance(node, dict):
        yield node
        for key in ("@graph", "mainEntity", "itemListElement"):
            if key in node:
                yield from _walk(node[key])


def _types(node: dict[str, Any]) -> set[str]:
    value = node.get("@type", ())
    values = value if isinstance(value, list) else [value]
    return {v.rsplit("/", 1)[-1] for v in values if isinstance(v, str)}


def _text(value: Any) -> str | None:
    if isinstance(value, str):
        return value.strip() or None
    if isinstance(value, dict):
        return _text(value.get("name") or value.get("@value") or value.get("text"))
    if isinstance(value, list) and value:
        return _text(value[0])
    return None


def _names(value: Any) -> tuple[str, ...]:
    values = value if isinstance(value, list) else [value]
    out = []
    for item in values:
        name = _text(item)
        if name and not name.startswith(("http://", "https://")) and name not in out:
            out.append(name)
    return tuple(out)


def _image(value: Any) -> tuple[str | None, str | None, str | None]:
    """(url, caption, credit) of the first image."""
    if isinstance(value, list):
        value = value[0] if value else None
    if isinstance(value, str):
        return value, None, None
    if not isinstance(value, dict):
        return None, None, None
    url = value.get("url") or value.get("contentUrl") or value.get("@id")
    credit = (
        _text(value.get("creditText"))
        or _text(value.get("copyrightHolder"))
        or _text(value.get("author"))
        or _text(value.get("creator"))
    )
    caption = _text(value.get("caption")) or _text(value.get("description"))
    return (url if isinstance(url, str) else None), caption, credit


def _resolve(value: Any, by_id: dict[str, dict[str, Any]]) -> Any:
    """A bare {"@id": …} reference replaced by the node it names (as Yoast's graphs do)."""
    if isinstance(value, list):
        return [_resolve(v, by_id) for v in value]
    if isinstance(value, dict) and set(value) == {"@id"}:
        return by_id.get(value["@id"], value)
    return value


def find_article(blocks: list[Any]) -> LdArticle | None:
    """The first article-like object, preferring news types over a generic WebPage."""
    every = list(_walk(blocks))
    nodes = [n for n in every if _types(n) & ARTICLE_TYPES]
    if not nodes:
        return None
    nodes.sort(key=lambda n: "WebPage" in _types(n) and not (_types(n) - {"WebPage"}))
    node = nodes[0]
    by_id = {n["@id"]: n for n in every if isinstance(n.get("@id"), str) and len(n) > 1}
    image_url, caption, credit = _image(
        _resolve(
            node.get("image") or node.get("primaryImageOfPage") or node.get("thumbnailUrl"), by_id
        )
    )
    main = node.get("mainEntityOfPage")
    url = node.get("url") or (main.get("@id") if isinstance(main, dict) else main)
    return LdArticle(
        headline=_text(node.get("headline")) or _text(node.get("name")),
        description=_text(node.get("description")),
        published=_text(node.get("datePublished")) or _text(node.get("dateCreated")),
        modified=_text(node.get("dateModified")),
        authors=_names(node.get("author") or node.get("creator")),
        image_url=image_url,
        image_caption=caption,
        image_credit=credit,
        url=url if isinstance(url, str) else None,
        language=_text(node.get("inLanguage")),
        publisher=_text(node.get("publisher")),
    )
