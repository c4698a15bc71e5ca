"""Atom 1.0 and RSS 2.0 with feedgen. The only module that imports feedgen.

feedgen's defaults are set aside on purpose: dates come from the entries (never "now"), entries
are appended in our order, the generator is ours, bylines go to dc:creator in RSS (RSS <author>
wants an e-mail address), and the image credit travels as Media RSS media:credit.
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import Any, Literal
from xml.sax.saxutils import quoteattr

from feedgen.ext.base import BaseEntryExtension, BaseExtension
from feedgen.feed import FeedGenerator
from feedgen.util import xml_elem

from .. import __version__
from ..model import Entry, FeedView
from ..naming import slugify
from .content import content_html

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
    """The feed without its entries."""
    fg = _bare()
    fg.id(view.url)
    fg.title(view.title)
    fg.subtitle(view.description)
    fg.description(view.description)
    fg.author({"name": view.author})
    fg.link(href=self_url, rel="self")
    if view.hub:
        fg.link(href=view.hub, rel="hub")  # RSS gets it from _with_hub
    # last: feedgen copies the last link into RSS <channel><link>, which must be the site;
    # its page is where a person who opens the feed's URL in a browser goes from there
    fg.link(href=view.url, rel="alternate", type="text/html")
    if view.language:
        fg.language(view.language)
    fg.generator("feedgen-pipeline", __version__, PROJECT_URL)
    fg.updated(view.updated)
    fg.lastBuildDate(view.updated)
    return fg


def _bare() -> FeedGenerator:
    fg = FeedGenerator()
    fg.register_extension("media", _MediaFeed, _MediaEntry)
    fg.load_extension("dc", atom=False, rss=True)
    return fg


def _add_entry(fg: FeedGenerator, entry: Entry, base_url: str, full: bool, fmt: Format) -> None:
    article = entry.article
    fe = fg.add_entry(order="append")
    fe.id(entry.id)
    fe.guid(entry.id, permalink=True)
    fe.title(article.headline)
    fe.link(href=entry.link)
    fe.published(entry.published)
    fe.updated(entry.updated)
    # RSS readers take a description for HTML, where "Fluor <FLR>" would lose its ticker: there
    # the summary goes out escaped; Atom's is plain text, and says so
    summary = article.summary
    fe.summary(html.escape(summary, quote=False) if fmt == "rss" and summary else summary)
    if full:  # else the summary alone, as RSS's description and Atom's summary
        fe.content(content_html(article), type="html")
    for name in article.authors:
        fe.author({"name": name})
        fe.dc.dc_creator(name)
    for country in article.tagged_countries:
        fe.category(term=country.code, scheme=f"{base_url}countries/", label=country.name)
    for actor in article.actors:
        fe.category(term=slugify(actor.name), scheme=f"{base_url}actors/", label=actor.name)
    if article.image:
        fe.media.url = article.image.url
        fe.media.credit = article.image.credit
        fe.media.caption = article.image.caption


# where the entries start in each format, as lxml's pretty printer lays them out: an entry's
# text holds no markup of its own (everything in it is escaped), so these only start entries
_OPENING = {"atom": "\n  <entry>", "rss": "\n    <item>"}
_CLOSING = {"atom": "</feed>\n", "rss": "  </channel>\n</rss>\n"}


def entry_xml(fmt: Format, entries: Sequence[Entry], base_url: str, full: bool) -> list[str]:
    """Each entry as it stands in a pretty-printed feed of the format ``fmt``: a feed is these
    spliced into the feed's shell, byte for byte what feedgen writes for the whole feed."""
    if not entries:
        return []
    fg = _bare()
    fg.id(base_url)
    fg.title("-")
    fg.description("-")
    fg.link(href=base_url)
    for entry in entries:
        _add_entry(fg, entry, base_url, full, fmt)
    text = _serialise(fg, fmt).decode("utf-8")
    start = text.index(_OPENING[fmt])
    body = text[start + 1 : len(text) - len(_CLOSING[fmt])]
    opening = _OPENING[fmt][1:]
    parts = body.split("\n" + opening)
    forms = [parts[0] + "\n"] + [f"{opening}{p}\n" for p in parts[1:]]
    forms[-1] = forms[-1][:-1]
    if len(forms) != len(entries):
        raise ValueError(f"{fmt}: {len(entries)} entries gave {len(forms)} forms")
    return forms


def feed_xml(fmt: Format, view: FeedView, forms: Sequence[str]) -> bytes:
    """The feed of ``view`` in ``fmt``, its entries' forms (``entry_xml``) spliced in."""
    shell = _serialise(_generator(view, f"{view.url}{FILES[fmt]}"), fmt).decode("utf-8")
    closing = _CLOSING[fmt]
    if not shell.endswith(closing):
        raise ValueError(f"{fmt}: unexpected end of feed: {shell[-40:]!r}")
    if view.hub and fmt == "rss":
        shell = _with_hub(shell, view.hub)
    data = (shell[: len(shell) - len(closing)] + "".join(forms) + closing).encode("utf-8")
    return _with_stylesheet(data, view) if view.stylesheet else data


def _with_hub(rss: str, hub: str) -> str:
    """feedgen writes no hub link into RSS: it goes after the self link, as an atom:link."""
    self_link = rss.index('rel="self"/>\n') + len('rel="self"/>\n')
    link = f'    <atom:link href={quoteattr(hub)} rel="hub"/>\n'
    return rss[:self_link] + link + rss[self_link:]


Format = Literal["atom", "rss"]
FILES: dict[Format, str] = {"atom": "atom.xml", "rss": "rss.xml"}


def _serialise(fg: FeedGenerator, fmt: Format) -> bytes:
    data: bytes = fg.atom_str(pretty=True) if fmt == "atom" else fg.rss_str(pretty=True)
    return data


def _with_stylesheet(data: bytes, view: FeedView) -> bytes:
    """Add <?xml-stylesheet?> so that a browser shows the feed as a page (readers ignore it).

    The href is relative to the feed, so it stays on the feed's own origin and sub-path.
    """
    href = "../" * view.path.count("/") + "feed.xsl"
    declaration, _, rest = data.partition(b"?>\n")
    pi = f'<?xml-stylesheet type="text/xsl" href="{href}"?>\n'.encode()
    return declaration + b"?>\n" + pi + rest
