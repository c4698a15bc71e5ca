"""When a page was published, and when it was last changed: each from the first source that says.

Structured metadata first: JSON-LD, the meta tags of Open Graph, Dublin Core and others, a
``<time datetime>`` or ``itemprop="datePublished"`` in the story. On a page without them: other
meta tags named like a publication date, the URL ("/2012/05/31/"), a ``<time>`` elsewhere on the
page, elements marked as a date (a class or ``itemprop`` naming one, an ``<abbr title>``), a date
written near the headline, and last a date labelled as the publication's anywhere in the text
("Veröffentlicht am 31.05.2012"). On a page whose moment served is known (a fetched page), an
element of the story marked as a date and the lines near the headline may also tell the date
relative to it ("vor 3 Tagen", "Gestern, 14:35"). The source is the date's rule, for
``--explain``.

Whether a date lies in the future is not decided here, as extraction reads no clock: the plan
passes over a date later than the article was first seen (``model.read_by``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone
from email.utils import parsedate_to_datetime

from bs4 import Tag

from ..config import Rules
from ..model import parse_date
from .datetext import EARLIEST, DateReader, RelativeDate, as_datetime, iso_day, url_date
from .jsonld import LdArticle
from .page import Page
from .queries import DATE_MARKUP, TIME_ELEMENTS
from .visible import strings_from

_ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}(?!\d)")
# meta tags that carry the publication date (Open Graph, Dublin Core, PRISM, Highwire, Parse.ly …)
DATE_META = (
    "article:published_time",
    "og:published_time",
    "date",
    "dc.date",
    "dc.date.issued",
    "dcterms.date",
    "prism.publicationdate",
    "citation_publication_date",
    "parsely-pub-date",
    "pubdate",
    "publish-date",
    "sailthru.date",
)
_MODIFIED_META = ("article:modified_time", "og:updated_time")
# words in a meta tag's name or an element's class that make it a date, and words that make
# it some other date than the publication's
_DATE_WORDS = ("date", "publi", "creat", "issued", "released", "posted")
_NOT_PUBLISHED = ("modif", "updat", "expir", "revis", "change", "edit", "crawl", "index")
_CHANGED_CLASS = ("updat", "modif", "revis", "edited", "changed")
# how much text around the headline may hold its date (characters before and after)
_BEFORE_HEADLINE = 300
_AFTER_HEADLINE = 1500
# how much of a page's text a labelled date is looked for in (the end of a long page is
# comments and links)
_LABELLED_CHARS = 30_000
# a line near the headline longer than this is prose, whose "3 days ago" is no dateline
_RELATIVE_LINE = 100
# a zone a site's clock may be in: a UTC time this far from a local one on the page is that
# local time
_MAX_OFFSET = timedelta(hours=14)


@dataclass(frozen=True, slots=True)
class Dated:
    """A date and where it came from."""

    value: datetime
    rule: str
    text: str


def published_date(
    page: Page,
    story: Tag,
    ld: LdArticle,
    meta: dict[str, str],
    url: str | None,
    heading: Callable[[], Tag | None],
    rules: Rules,
    month_first: bool,
    served: datetime | None = None,
) -> Dated | None:
    """The publication date: the first source that gives one (see the module's docstring).
    ``heading`` finds the element that shows the headline (asked only when a date is looked
    for near it); ``month_first`` reads 3/4/2012 as March 4 (the page is in US English);
    ``served``, when known, is the moment relative dates count from."""
    structured = [
        ("json-ld", ld.published),
        *((f"meta {key}", meta.get(key)) for key in DATE_META),
        *(("time element", _time_value(e)) for e in page.select(TIME_ELEMENTS, story)),
    ]
    for rule, text in structured:
        dated = _parsed(rule, text)
        if dated:
            return _in_page_zone(dated, (t for _, t in structured if t))
    read = DateReader(rules, month_first, served)
    return (
        _other_meta(meta, read)
        or _url(url)
        or _script_data(page)
        or next(_time_elements(page, page.soup), None)
        or _markup(page, story, read)
        or _near_headline(heading(), read)
        or _labelled(page, read)
    )


def modified_date(ld: LdArticle, meta: dict[str, str]) -> datetime | None:
    return _checked(parse_date(ld.modified)) or next(
        filter(None, (_checked(parse_date(meta.get(key))) for key in _MODIFIED_META)), None
    )


# ---------------------------------------------------------------- structured dates


def _checked(value: datetime | None) -> datetime | None:
    """A date of the web (1995 or later): JSON-LD's 1970-01-01 is a template's blank."""
    return value if value is not None and value.date() >= EARLIEST else None


def _parsed(rule: str, text: str | None) -> Dated | None:
    """``text`` as a date; when it does not parse whole ("2022-01-10T22:06:08:684Z"), the day
    it starts with."""
    if not text:
        return None
    value = _checked(parse_date(text))
    if value is None:
        found = _ISO_DAY.match(text.strip())
        value = iso_day(found.group(0)) if found else None
    return Dated(value, rule, text) if value else None


def _time_value(element: Tag) -> str | None:
    value = element.get("datetime") or element.get("content")
    return value if isinstance(value, str) else None


def _time_elements(page: Page, scope: Tag) -> Iterator[Dated]:
    for element in page.select(TIME_ELEMENTS, scope):
        dated = _parsed("time element", _time_value(element))
        if dated:
            yield dated


def _written_zone(text: str) -> datetime | None:
    """``text`` as a datetime when it names a time (naive when it names no zone)."""
    text = text.strip()
    if len(text) <= 10:
        return None  # a day alone
    try:
        return datetime.fromisoformat(text if "T" in text else text.replace(" ", "T", 1))
    except ValueError:
        try:
            return parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None


def _in_page_zone(dated: Dated, others: Iterable[str]) -> Dated:
    """A time the page gives in UTC, told in the page's own zone when the page says which: the
    same instant written elsewhere with its offset, or as a local time without one. A UTC time
    of exactly 22:00 or 23:00 is a day stored as midnight one or two hours east of UTC."""
    value = dated.value
    written = _written_zone(dated.text)
    if written is None or written.tzinfo is None or value.utcoffset() != timedelta(0):
        return dated  # a zone of its own, or none written (then UTC is a convention)
    for text in others:
        other = _written_zone(text)
        if other is None or (other == value and other.utcoffset() == timedelta(0)):
            continue
        if other.tzinfo is not None:
            if other == value:
                return Dated(value.astimezone(other.tzinfo), dated.rule, dated.text)
            continue
        offset = other - value.replace(tzinfo=None)
        if offset and abs(offset) <= _MAX_OFFSET and offset % timedelta(minutes=15) == timedelta():
            return Dated(value.astimezone(timezone(offset)), dated.rule, dated.text)
    if (value.hour, value.minute, value.second, value.microsecond) in (
        (22, 0, 0, 0),
        (23, 0, 0, 0),
    ):
        local = timezone(timedelta(hours=24 - value.hour))
        return Dated(value.astimezone(local), dated.rule, dated.text)
    return dated


# ---------------------------------------------------------------- fallbacks


def _told(read: DateReader, found: RelativeDate, rule: str) -> Dated:
    """A relative date as a Dated, its text naming the moment it was counted from."""
    assert read.served is not None
    served = f"{read.served.astimezone(UTC):%Y-%m-%d %H:%M} UTC"
    return Dated(as_datetime(found.day), rule, f"{found.text} (page served {served})")


def _other_meta(meta: dict[str, str], read: DateReader) -> Dated | None:
    """A meta tag named like a publication date that ``DATE_META`` does not list."""
    for key, value in meta.items():
        if any(w in key for w in _DATE_WORDS) and not any(w in key for w in _NOT_PUBLISHED):
            dated = _parsed(f"meta {key}", value)
            if dated is None:
                found = read.pick(value)
                dated = Dated(as_datetime(found.day), f"meta {key}", value) if found else None
            if dated:
                return dated
    return None


# a publication date in the data of a page's scripts (JSON-LD of a type that is no article, an
# app's state): "datePublished": "2022-01-10T…", "published_at": "…"
_SCRIPT_DATE = re.compile(
    r'"(?:datePublished|dateCreated|published_?[Aa]t|publish_?[Dd]ate|publication_?[Dd]ate'
    r'|created_?[Aa]t)"\s*:\s*"([^"]{10,40})"'
)


def _script_data(page: Page) -> Dated | None:
    for script in page.tags("script"):
        text = script.string
        if text and '"' in text:
            for match in _SCRIPT_DATE.finditer(text):
                dated = _parsed("script data", match[1])
                if dated:
                    return dated
    return None


def _url(url: str | None) -> Dated | None:
    found = url_date(url)
    return Dated(as_datetime(found.day), "url", url or "") if found else None


def _markup(page: Page, story: Tag, read: DateReader) -> Dated | None:
    """An element marked as a date whose attributes or text hold a whole date: in the story
    first, then anywhere; in the story, one whose text ends in a relative date too. One marked
    as a change ("updated") is passed over."""
    for scope in (story, page.soup):
        for element in page.select(DATE_MARKUP, scope):
            if _marked_changed(element):
                continue
            for value in (element.get("datetime"), element.get("content"), element.get("title")):
                if isinstance(value, str):
                    found = read.pick(value)
                    if found:
                        return Dated(as_datetime(found.day), "date markup", value)
            text = element.get_text(" ", strip=True)
            if len(text) <= 200:
                found = read.pick(text)
                if found:
                    return Dated(as_datetime(found.day), "date markup", found.text)
                told = read.relative(text, marked=True) if scope is story else None
                if told:
                    return _told(read, told[0], "relative date markup")
        if story is page.soup:
            break
    return None


def _near_headline(heading: Tag | None, read: DateReader) -> Dated | None:
    """A date written just after the headline, else just before it; one labelled as the
    publication's first."""
    if heading is None:
        return None
    after = list(strings_from(heading, limit=_AFTER_HEADLINE, skip=_marked_changed))
    found = _in_lines(after, read, last=False)
    if found is None:
        nearest_first = strings_from(
            heading, forward=False, limit=_BEFORE_HEADLINE, skip=_marked_changed
        )
        found = _in_lines(list(reversed(list(nearest_first))), read, last=True)
    return found


def _in_lines(lines: list[str], read: DateReader, *, last: bool) -> Dated | None:
    """The date written in ``lines`` (text strings in reading order): one labelled as the
    publication's first, else the first (``last``: the last). A short line that ends in a
    relative date gives one too, on a page whose moment served is known."""
    text = " ".join(lines)
    found = [
        (f.start, labelled, Dated(as_datetime(f.day), "text", f.text))
        for f, labelled in read.dates(text)
    ]
    if read.served is not None:
        at = 0
        for line in lines:
            told = read.relative(line, marked=False) if len(line) <= _RELATIVE_LINE else None
            if told:
                found.append((at + told[0].start, told[1], _told(read, told[0], "relative text")))
            at += len(line) + 1
    labelled = [f for f in found if f[1]]
    ordered = sorted(labelled or found, key=lambda f: f[0])
    if not ordered:
        return None
    return (ordered[-1] if last else ordered[0])[2]


def _labelled(page: Page, read: DateReader) -> Dated | None:
    """A date anywhere in the page's text that a label names as the publication's."""
    body = page.first("body")
    if body is None:
        return None
    text = " ".join(strings_from(body, limit=_LABELLED_CHARS, skip=_marked_changed))
    found = next((f for f, labelled in read.dates(text) if labelled), None)
    return Dated(as_datetime(found.day), "labelled text", found.text) if found else None


def _marked_changed(element: Tag) -> bool:
    """Whether the element's class, or its parent's, marks it as a change ("date-updated",
    "last-modified"). The hAtom class "updated" alone does not: themes put it on the date of
    publication."""
    for tag in (element, element.parent):
        classes = tag.get("class") if tag is not None else None
        if isinstance(classes, str) and any(
            word != "updated" and any(w in word for w in _CHANGED_CLASS)
            for word in classes.lower().split()
        ):
            return True
    return False
