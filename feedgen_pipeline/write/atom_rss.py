"""Atom 1.0 and RSS 2.0 with feedgen. The only module that imports feedgen.

feedgen's defaults are set aside on purpose: dates come from the entries (never "now"), entries
are appended in our order, the generator is ours, bylines go to dc:creator in RSS (RSS <author>
wants an e-mail address), and the image credit travels as Media RSS media:credit.
"""

from __future__ import annotations

from typing import Any

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from .. import __version__
from ..model import Entry, FeedView
from .content import content_html
from .view import slugify

MEDIA_NS = "http://search.yahoo.com/mrss/"
PROJECT_URL = "https://pypi.org/project/feedgen-pipeline/"


class _MediaFeed(BaseExtension):  # type: ignore[misc]
    def extend_ns(self) -> dict[str, str]:
        return {"media": MEDIA_NS}


class _MediaEntry(BaseEntryExtension):  # type: ignore[misc]
    """media:content for the lead image, with media:credit and media:description."""

    def __init__(self) -> None:
        self.url: str | None = None
        self.credit: str | None = None
        self.caption: str | None = None

    def _extend(self, entry: Any) -> Any:
        parent = entry
        if self.url:
            parent = xml_elem(f"{{{MEDIA_NS}}}content", entry, url=self.url, medium="image")
        if self.credit:
            xml_elem(f"{{{MEDIA_NS}}}credit", parent).text = self.credit
        if self.caption:
            xml_elem(f"{{{MEDIA_NS}}}description", parent).text = self.caption
        return entry

    def extend_atom(self, entry: Any) -> Any:
        return self._extend(entry)

    def extend_rss(self, entry: Any) -> Any:
        return self._extend(entry)


def _generator(view: FeedView, self_url: str) -> FeedGenerator:
    fg = FeedGenerator()
    fg.register_extension("media", _MediaFeed, _MediaEntry)
    fg.load_extension("dc", atom=False, rss=True)
    fg.id(view.base_url)
    fg.title(view.title)
    fg.subtitle(view.description)
    fg.description(view.description)
    fg.author({"name": view.author})
    fg.link(href=self_url, rel="self")
    # last: feedgen copies the last link into RSS <channel><link>, which must be the site
    fg.link(href=view.base_url, rel="alternate")
    if view.language:
        fg.language(view.language)
    fg.generator("feedgen-pipeline", __version__, PROJECT_URL)
    fg.updated(view.updated)
    fg.lastBuildDate(view.updated)
    for entry in view.entries:
        _add_entry(fg, entry, view.base_url)
    return fg


def _add_entry(fg: FeedGenerator, entry: Entry, base_url: str) -> None:
    article = entry.article
    fe = fg.add_entry(order="append")
    fe.id(entry.id)
    fe.guid(entry.id, permalink=True)
    fe.title(article.headline)
    fe.link(href=entry.link)
    fe.published(entry.published)
    fe.updated(entry.updated)
    fe.summary(article.summary)
    fe.content(content_html(article), type="html")
    for name in article.authors:
        fe.author({"name": name})
        fe.dc.dc_creator(name)
    for country in article.countries:
        fe.category(term=country.code, scheme=f"{base_url}countries/", label=country.name)
    for actor in article.actors:
        fe.category(term=slugify(actor.name), scheme=f"{base_url}actors/", label=actor.name)
    if article.image:
        fe.media.url = article.image.url
        fe.media.credit = article.image.credit
        fe.media.caption = article.image.caption


def atom_bytes(view: FeedView) -> bytes:
    data: bytes = _generator(view, f"{view.base_url}atom.xml").atom_str(pretty=True)
    return data


def rss_bytes(view: FeedView) -> bytes:
    data: bytes = _generator(view, f"{view.base_url}rss.xml").rss_str(pretty=True)
    return data
