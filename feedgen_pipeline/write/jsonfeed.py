"""JSON Feed 1.1, with the enrichment in each item's ``_enrichment`` extension object."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from ..model import Article, Entry, FeedView
from .content import content_html

VERSION = "https://jsonfeed.org/version/1.1"


def _date(value: datetime) -> str:
    return value.isoformat()


def enrichment(article: Article) -> dict[str, Any]:
    """The ``_enrichment`` object: the contract other tools rely on. ``countries`` lists every
    country the article names, ``tagged`` marking those that are its tags (``tags``, the
    categories, the per-country feeds), so that a reader may apply a threshold of its own."""
    image = article.image
    fetched = {} if article.fetched is None else {"fetched": article.fetched}
    return {
        "source": article.source,
        **fetched,
        "headline": article.headline,
        "image_credit": image.credit if image else None,
        "countries": [
            {
                "code": c.code,
                "name": c.name,
                "mentions": c.mentions,
                "score": c.score,
                "primary": c.primary,
                "tagged": c.tagged,
            }
            for c in article.countries
        ],
        "actors": [
            {
                "name": a.name,
                "kind": a.kind,
                "role": a.role,
                "country": a.country,
                "mentions": a.mentions,
                "score": a.score,
            }
            for a in article.actors
        ],
    }


def _item(entry: Entry, full: bool) -> dict[str, Any]:
    article = entry.article
    item: dict[str, Any] = {
        "id": entry.id,
        "url": entry.link,
        "title": article.headline,
        "summary": article.summary,
        # an item must have content: without the full text, the summary stands for it
        **(
            {"content_html": content_html(article)}
            if full
            else {"content_text": article.summary or article.headline}
        ),
        "date_published": _date(entry.published),
        "date_modified": _date(entry.updated),
    }
    if article.image and article.image.url:
        item["image"] = article.image.url
    if article.authors:
        item["authors"] = [{"name": name} for name in article.authors]
    tags = [c.name for c in article.tagged_countries] + [a.name for a in article.actors]
    if tags:
        item["tags"] = tags
    if article.language:
        item["language"] = article.language
    item["_enrichment"] = enrichment(article)
    return item


# compact: feed.json files are read by programs, and indentation took a third of their bytes
_SEPARATORS = (",", ":")


def entry_json(entry: Entry, full: bool) -> str:
    """An entry as it stands in a feed's ``items`` (``jsonfeed_bytes`` splices these in)."""
    return json.dumps(_item(entry, full), ensure_ascii=False, separators=_SEPARATORS)


def jsonfeed_bytes(view: FeedView, items: list[str]) -> bytes:
    """The JSON Feed of ``view`` with its entries' forms (``entry_json``): the same bytes as
    ``json.dumps`` of the whole feed."""
    feed: dict[str, Any] = {
        "version": VERSION,
        "title": view.title,
        "home_page_url": view.url,
        "feed_url": f"{view.url}feed.json",
        "description": view.description,
        "authors": [{"name": view.author}],
    }
    if view.language:
        feed["language"] = view.language
    if view.hub:
        feed["hubs"] = [{"type": "WebSub", "url": view.hub}]
    text = json.dumps(feed, ensure_ascii=False, separators=_SEPARATORS)
    return (text[:-1] + ',"items":[' + ",".join(items) + "]}\n").encode("utf-8")


def article_record(article: Article, source: str, *, explain: bool = False) -> dict[str, Any]:
    """One line of ``extract``: the standard fields, then ``_enrichment`` (``source`` as given)."""
    image = article.image
    record: dict[str, Any] = {
        "id": article.id,
        "url": article.url,
        "headline": article.headline,
        "summary": article.summary,
        "image": (
            {"url": image.url, "caption": image.caption, "credit": image.credit} if image else None
        ),
        "authors": list(article.authors),
        "published": _date(article.published) if article.published else None,
        "updated": _date(article.updated) if article.updated else None,
        "language": article.language,
        "_enrichment": {**enrichment(article), "source": source},
    }
    if explain:
        record["_explain"] = explanation(article)
    return record


def explanation(article: Article) -> dict[str, Any]:
    """What ``extract --explain`` adds: the rule behind each field, and for every country and
    actor found (tagged or not) its score, the threshold, and each matched span with its rule."""

    def candidates(kind: str) -> list[dict[str, Any]]:
        return [
            {
                "key": c.key,
                "tagged": c.tagged,
                "score": c.score,
                "threshold": c.threshold,
                "mentions": [
                    {
                        "rule": m.rule,
                        "region": m.region,
                        "start": m.start,
                        "end": m.end,
                        "text": m.text,
                        "weight": m.weight,
                    }
                    for m in c.mentions
                ],
            }
            for c in article.candidates
            if c.kind == kind
        ]

    return {
        "fields": [{"field": e.field, "rule": e.rule, "text": e.text} for e in article.evidence],
        "countries": candidates("country"),
        "actors": candidates("actor"),
    }
