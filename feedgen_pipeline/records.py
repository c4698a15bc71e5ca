"""The records a run passes between its steps: the files a scan found and the facts a fetch adds
to a page, and what the state remembers of each input and output. Plain records, no I/O."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import datetime
from enum import Enum
from typing import NamedTuple

from .model import Article, TagRef


@dataclass(frozen=True, slots=True)
class Meta:
    """What placing an article in the feeds needs, without its text (kept for every source)."""

    id: str
    source: str
    """The article's ``source``: its path relative to its source folder."""
    url: str | None
    published: datetime | None
    updated: datetime | None
    content: str
    """Hash of headline and paragraphs: tells duplicates and real changes apart."""
    tags: tuple[TagRef, ...] = ()
    """Which tag feeds it belongs to."""


class StatMark(Enum):
    """A record's stat when there is no file's stat to keep: it never equals one, so that a
    record so marked is never taken as unchanged. Stored as its value."""

    GONE = "gone"
    """Its file was removed and the record kept (``output.removed: keep``)."""
    FAILED = "failed"
    """Its input now fails: the next run reads it whatever it is."""


def stat_text(stat: str | StatMark) -> str:
    """A record's stat as the state stores it and the digests count it."""
    return stat.value if isinstance(stat, StatMark) else stat


@dataclass(frozen=True, slots=True)
class Record:
    """One input file as the last run left it."""

    key: str
    """The file's path as found (source folder / relative path)."""
    stat: str | StatMark
    """Size, mtime, ctime and inode: when equal, the bytes are taken as unchanged unread."""
    sha: str
    """Hash of the file's bytes."""
    fingerprint: str
    """The rules and code the article was built with (see ``fingerprint.py``)."""
    seen: datetime
    """When this file was first seen: among duplicates the earliest wins."""
    meta: Meta | None
    """None when the file gave no article."""
    reason: str | None = None
    """Why there is no article."""


@dataclass(frozen=True, slots=True)
class Dates:
    """The dates of one article id that the page may not give: first seen and last changed."""

    first_seen: datetime
    changed: datetime | None
    """When its content last changed after it was first seen; None while it never has."""
    content: str
    """The content hash the last change was measured against."""


@dataclass(frozen=True, slots=True)
class Placement:
    """An article as the last plan placed it in the output. The state keeps one for every
    article a feed may show, so that a run that changes a few articles plans around them only
    (``delta.py``) instead of placing every article again."""

    key: str
    id: str
    """The entry id: the article's URL, else the URL of its page."""
    source: str
    slug: str
    published: datetime
    updated: datetime
    has_page: bool
    core: str
    """Digest of all its rendered forms depend on but its tags' feeds (``layout.entry_core``)."""
    version: str
    """``core`` and which of its tags have feeds (``layout.entry_version``)."""
    shown: bool
    """Whether a feed shows it (then its page, if it has one, is written)."""
    tags: tuple[TagRef, ...]


@dataclass(frozen=True, slots=True)
class TagState:
    """A tag as the last plan left it."""

    ref: TagRef
    """Its label is the one its newest article gives."""
    count: int
    """How many articles carry it."""
    slug: str | None
    """Its folder, when it has a feed."""


@dataclass(frozen=True, slots=True)
class IndexUpdate:
    """What a plan changes in the placements and tags the state keeps."""

    placements: tuple[Placement, ...]
    """Placed anew: inserted, or replacing what was kept under their keys."""
    dropped: tuple[str, ...]
    """Keys of articles no longer placed."""
    tags: tuple[TagState, ...]
    untagged: tuple[tuple[str, str], ...]
    """(kind, key) of tags no article carries any more."""
    complete: bool
    """Whether ``placements`` and ``tags`` are all there are: the whole index is replaced."""


@dataclass(frozen=True, slots=True)
class OutputStat:
    """An output file as this program last wrote or checked it."""

    size: int
    mtime_ns: int
    digest: str = ""
    """Digest of what the file was rendered from (``plan.Output.digest``)."""


def content_hash(article: Article) -> str:
    """Headline and paragraphs, the part of an article a reader would call its content."""
    data = json.dumps([article.headline, article.paragraphs], ensure_ascii=False)
    return hashlib.sha256(data.encode("utf-8")).hexdigest()[:32]


def meta_of(article: Article) -> Meta:
    return Meta(
        id=article.id,
        source=article.source,
        url=article.url,
        published=article.published,
        updated=article.updated,
        content=content_hash(article),
        tags=article.tags,
    )


@dataclass(frozen=True)
class PageInfo:
    """What the fetch adds to a page's bytes (travels with the parsing task)."""

    url: str
    """The final URL after redirects."""
    charset: str | None = None
    """The charset the Content-Type header named."""
    html: bool = True
    fetched: bool = True
    """False when an upstream feed's entry stands in for a page that could not be fetched."""
    error: str | None = None
    """Why the page could not be fetched (then there are no bytes to parse)."""
    served: datetime | None = None
    """When the server sent the page's bytes (what its relative dates count from); None when
    unknown."""


@dataclass(frozen=True, slots=True)
class ArticleLine:
    """Where an enriched article is in a JSON Lines file of articles (``articles.py``): its
    line is read again, and decoded, only when the plan reads it."""

    number: int
    """The line's number in its file, from 1 (for messages); 0 for a file that could not be
    read at all."""
    offset: int
    """Where the line starts in the file, in bytes."""
    id: str | None
    """The article's id as the scan read it (the input's key); None when none could be read
    (the key is then the line's place, file:line)."""
    hash: str = ""
    """The hash of the line's bytes as the scan read them (``articles.line_hash``)."""
    first: str | None = None
    """For a line whose id an earlier line gives (``articles.key_lines`` says which is
    earlier): that line's place, file:line. Its article is published; this line is a
    duplicate, keyed by its own place."""


@dataclass(frozen=True, slots=True)
class ScannedFile:
    """What the scan of one JSON Lines file of articles found, kept in the state: a file
    found again with the same stat (and size limit) is not read again."""

    stat: str
    max_bytes: int
    lines: tuple[ArticleLine, ...]
    """Its lines that are not blank, in order (none of them ``first``)."""


class Found(NamedTuple):
    """An input file found by this run's scan. (A named tuple: a run makes one per input file,
    ten thousand at a time, and a frozen dataclass costs several times as much to make.)"""

    key: str
    path: str
    relpath: str
    stat: str
    max_bytes: int = 10_000_000
    page: PageInfo | ArticleLine | None = None
    """What the input is beyond a file's bytes: what fetching it gave, for a page of a
    fetching source (``remote/``); the line of an article, for a JSON Lines file of articles."""
