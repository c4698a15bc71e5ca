"""Records that flow between the stages: frozen, typed, with tuples rather than lists.

``Source`` (bytes of one input) → ``Document`` (what extraction saw) → ``Article``
(what a feed entry is made of). Datetimes are always timezone-aware.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from pathlib import Path
from typing import Literal


@dataclass(frozen=True, slots=True)
class Source:
    """One input file, read whole."""

    path: Path
    """Where the bytes came from, as found."""
    relpath: str
    """Path relative to its source root, with forward slashes: the id of an article without URL."""
    data: bytes
    served: datetime | None = None
    """For a fetched page, when the server sent these bytes: what its relative dates ("vor 3
    Tagen") count from. None for a file, whose relative dates are not read."""


@dataclass(frozen=True, slots=True)
class Evidence:
    """Which rule produced a field or a tag, from which text (for ``extract --explain``)."""

    field: str
    rule: str
    text: str


@dataclass(frozen=True, slots=True)
class Image:
    """The lead image."""

    url: str | None
    caption: str | None = None
    credit: str | None = None


@dataclass(frozen=True, slots=True)
class Document:
    """What extraction found in one source, before enrichment."""

    source: str
    kind: Literal["html", "text"]
    headline: str | None
    dek: str | None
    description: str | None
    paragraphs: tuple[str, ...]
    image: Image | None
    authors: tuple[str, ...] = ()
    published: datetime | None = None
    modified: datetime | None = None
    url: str | None = None
    language: str | None = None
    evidence: tuple[Evidence, ...] = ()


@dataclass(frozen=True, slots=True)
class CountryTag:
    """A country the article names; ``tagged`` when it is salient enough to be one of its tags."""

    code: str
    """ISO 3166-1 alpha-2."""
    name: str
    mentions: int
    score: float
    """Relative to the most salient country's (1.0)."""
    primary: bool = False
    tagged: bool = True
    """Whether the score reached the rules' threshold: only tagged countries are the article's
    tags (its feeds, categories and JSON Feed ``tags``); the others are named in passing."""
    first: int = 0
    """Offset of the first mention in the article's text (regions in reading order)."""


ActorKind = Literal["person", "organization"]


@dataclass(frozen=True, slots=True)
class ActorTag:
    """A person or organisation the article names."""

    name: str
    kind: ActorKind
    role: str | None
    country: str | None
    mentions: int
    score: float = 0.0
    forms: tuple[str, ...] = ()
    """The surface forms the text used for this actor ("Antoly Antonov", "Amb. Antonov")."""


@dataclass(frozen=True, slots=True)
class Mention:
    """One matched span of text that counts for (or against) a tag."""

    rule: str
    """The id of the rule that matched, e.g. ``country:name``, ``role:ambassador``."""
    region: str
    """headline, dek, lead or body."""
    start: int
    end: int
    """Offsets in the region's text."""
    text: str
    weight: float
    """What the mention adds to the score; 0 for a mention an ambiguity rule set aside."""


@dataclass(frozen=True, slots=True)
class Candidate:
    """A country or actor found in the text, tagged or not: what ``extract --explain`` shows."""

    kind: Literal["country", "actor"]
    key: str
    """The country code or the actor's name."""
    score: float
    threshold: float
    tagged: bool
    mentions: tuple[Mention, ...]


TagKind = Literal["countries", "actors"]


@dataclass(frozen=True, order=True, slots=True)
class TagRef:
    """A tag an article carries, which names the tag feed it belongs to."""

    kind: TagKind
    key: str
    """The ISO code of a country, the name of an actor."""
    label: str
    """What readers see: the country's name, the actor's name."""


@dataclass(frozen=True, slots=True)
class Article:
    """An enriched article: everything a feed entry is made of."""

    id: str
    """Canonical URL, else the source path relative to its root. Never the clock."""
    source: str
    url: str | None
    headline: str
    summary: str
    paragraphs: tuple[str, ...]
    image: Image | None
    authors: tuple[str, ...]
    published: datetime | None
    updated: datetime | None
    language: str | None
    countries: tuple[CountryTag, ...] = ()
    """Every country the text names, most salient first; the tagged ones lead."""
    actors: tuple[ActorTag, ...] = ()
    fetched: bool | None = None
    """For a page of a fetching source, whether the page itself was read (False: an upstream
    feed's entry stood in for it); None for a file."""
    evidence: tuple[Evidence, ...] = field(default=(), compare=False)
    candidates: tuple[Candidate, ...] = field(default=(), compare=False)
    """Every country and actor found, with its mentions and score (for ``--explain``)."""

    @property
    def tagged_countries(self) -> tuple[CountryTag, ...]:
        """The countries that are its tags, most salient first."""
        return tuple(c for c in self.countries if c.tagged)

    @property
    def tags(self) -> tuple[TagRef, ...]:
        """Its tagged countries, then its actors, as tags."""
        return tuple(TagRef("countries", c.code, c.name) for c in self.tagged_countries) + tuple(
            TagRef("actors", a.name, a.name) for a in self.actors
        )


@dataclass(frozen=True, slots=True)
class Entry:
    """An article placed in a feed: its resolved link, id, slug and dates."""

    article: Article
    id: str
    """The entry id in every feed: the article's URL, else the URL of its page under articles/."""
    link: str
    slug: str
    published: datetime
    updated: datetime
    has_page: bool
    """Whether the site writes articles/<slug>.html for it (articles without a URL of their own)."""


@dataclass(frozen=True, slots=True)
class FeedView:
    """What a feed shows: identity and entries, newest first, already capped."""

    title: str
    description: str
    author: str
    language: str | None
    base_url: str
    """Where the whole output folder is served (ends with a slash)."""
    entries: tuple[Entry, ...]
    path: str = ""
    """Folder of this feed below ``base_url``: "" for the main feed, "countries/ru/" for a tag."""
    stylesheet: bool = False
    """Whether its Atom and RSS name the XSL stylesheet that lays them out in a browser."""
    hub: str | None = None
    """The WebSub hub its subscribers are told to subscribe at."""

    @property
    def url(self) -> str:
        """The feed's home: its folder's URL, also its id."""
        return self.base_url + self.path

    @property
    def updated(self) -> datetime:
        """The newest entry's ``updated``: never the clock."""
        return max((e.updated for e in self.entries), default=EPOCH)


EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# how far past the moment a page was read its date may lie: time zones, and a clock that is off
_READ_GRACE = timedelta(days=1)


def read_by(date: datetime | None, read: datetime) -> datetime | None:
    """``date`` unless it lies after ``read``, when the page was read (a day's grace): a page
    cannot be published after it is read, so a later date is some other (an event's, a
    template's), not the page's."""
    return date if date is not None and date <= read + _READ_GRACE else None


@dataclass(frozen=True, slots=True)
class TagFeed:
    """A feed of the articles that carry one tag (a country or an actor)."""

    kind: TagKind
    key: str
    """What articles carry: the ISO code of a country, the name of an actor."""
    label: str
    slug: str
    """ASCII folder name under ``kind``: never empty, never a path."""
    count: int
    """How many articles carry the tag (the feed itself may be capped)."""
    view: FeedView


def parse_date(value: str | None) -> datetime | None:
    """ISO 8601 (W3C datetime, as pages, sitemaps and Atom write it) or RFC 2822 (RSS, HTTP)
    text → aware datetime; a date without zone is taken as UTC."""
    if not value:
        return None
    text = value.strip()
    parsed: datetime | None = None
    try:
        parsed = datetime.fromisoformat(text.replace(" ", "T", 1) if "T" not in text else text)
    except ValueError:
        try:
            parsed = parsedate_to_datetime(text)
        except (TypeError, ValueError, IndexError):
            return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed
