"""What each output file shows and is made from: the records a plan (``plan.py`` for a whole
site, ``delta.py`` around a few changed articles) hands the renderer, and the digests that tell
whether a file must be rendered again. Both plans make their outputs here, so that they cannot
disagree on what a file depends on. Pure.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from .digests import digest
from .model import TagKind, TagRef, read_by
from .naming import OWNED_FOLDERS
from .records import Dates, Meta, Record, stat_text

TagKey = tuple[TagKind, str]
"""(kind, key) of a tag: what names it, whatever its label."""


@dataclass(frozen=True, slots=True)
class PlannedEntry:
    """An article placed in the feeds, without its text (loaded only if a file showing it is
    rendered)."""

    key: str
    """The record's key: where the state keeps the article."""
    id: str
    """The entry id in every feed: the article's URL, else the URL of its page."""
    slug: str
    published: datetime
    updated: datetime
    has_page: bool
    """Whether the site writes articles/<slug>.html for it (an article without a URL)."""
    version: str
    """Digest of everything its rendered forms depend on: its file's bytes and stat, the rules,
    its link, slug and dates, and which of its tags have feeds."""


@dataclass(frozen=True, slots=True)
class PlannedTag:
    """A tag with a feed and a page of its own."""

    ref: TagRef
    slug: str
    count: int
    """How many articles carry it (its feed is capped)."""
    entries: tuple[PlannedEntry, ...]

    @property
    def path(self) -> str:
        """Its folder below the output root."""
        return f"{self.ref.kind}/{self.slug}/"


@dataclass(frozen=True, slots=True)
class SitePlan:
    """What every feed and page of the output shows."""

    main: tuple[PlannedEntry, ...]
    tags: tuple[PlannedTag, ...]
    """By kind, then key."""
    pages: tuple[PlannedEntry, ...]
    """Entries shown in some feed that need a page of their own."""
    slugs: Mapping[tuple[TagKind, str], str]
    """(kind, key) → folder of every tag with a feed."""
    entry_tags: Mapping[str, tuple[TagRef, ...]]
    """Entry id → the tags of its article, for the entries shown."""


OutputKind = Literal["page", "feeds", "listing", "tags", "opml", "static"]


@dataclass(frozen=True, slots=True)
class Output:
    """One file (or, for ``feeds``, the Atom, RSS and JSON Feed files) of the output."""

    kind: OutputKind
    path: str
    """The file, relative to the output folder; for ``feeds`` and ``listing``, the folder of the
    view ("" for the main feed); for ``tags``, the kind of tag."""
    digest: str
    """Digest of everything the file is made from."""
    tag: PlannedTag | None = None
    """The tag of a tag's ``feeds`` and ``listing``."""
    entry: PlannedEntry | None = None
    """The entry of a ``page``."""

    @property
    def files(self) -> tuple[str, ...]:
        if self.kind == "feeds":
            return tuple(f"{self.path}{name}" for name in FEED_FILES)
        if self.kind == "listing":
            return (f"{self.path}index.html",)
        if self.kind == "tags":
            return (f"{self.path}/index.html",)
        return (self.path,)


FEED_FILES = ("atom.xml", "rss.xml", "feed.json")
STATIC_FILES = ("feed.xsl", "style.css")


# ---------------------------------------------------------------- one entry


def entry_dates(meta: Meta, own: Dates) -> tuple[datetime, datetime]:
    """An article's published and updated dates in the feeds: its own when it gives them (a
    date in the future is read as the time it was first seen), else first seen; updated is
    never before published, and moves to the last change of its content."""
    published = read_by(meta.published, own.first_seen) or own.first_seen
    updated = max(read_by(meta.updated, own.first_seen) or published, published)
    if own.changed:
        updated = max(updated, own.changed)
    return published, updated


def entry_core(record: Record, link: str, slug: str, published: datetime, updated: datetime) -> str:
    """Digest of all an entry's rendered forms depend on but its tags' feeds."""
    parts = [record.key, stat_text(record.stat), record.sha, record.fingerprint, link, slug]
    return digest([*parts, published.isoformat(), updated.isoformat()])


def entry_version(core: str, tags: Iterable[TagRef], tag_slugs: Mapping[TagKey, str]) -> str:
    """``core`` and which of the entry's tags have feeds (its page links to those)."""
    return digest([core, *(f"{t.kind}/{t.key}/{tag_slugs.get((t.kind, t.key), '')}" for t in tags)])


# ---------------------------------------------------------------- the outputs


def page_output(entry: PlannedEntry, settings: str) -> Output:
    return Output(
        "page", f"articles/{entry.slug}.html", digest([settings, entry.version]), entry=entry
    )


def tag_outputs(tag: PlannedTag, settings: str) -> tuple[Output, Output]:
    """A tag's feeds and its page."""
    parts = [settings, tag.ref.kind, tag.ref.key, tag.ref.label, tag.slug, str(tag.count)]
    made = digest([*parts, *(e.version for e in tag.entries)])
    return Output("feeds", tag.path, made, tag=tag), Output("listing", tag.path, made, tag=tag)


def main_outputs(entries: Iterable[PlannedEntry], settings: str) -> tuple[Output, Output]:
    """The main feeds and the front page."""
    made = digest([settings, *(e.version for e in entries)])
    return Output("feeds", "", made), Output("listing", "", made)


def index_outputs(tags: Sequence[PlannedTag], settings: str) -> tuple[Output, ...]:
    """The page of each kind of tag and the OPML list, from every tag with a feed (by kind,
    then key)."""
    outputs = []
    for kind in ("countries", "actors"):
        listed = [f"{t.ref.label}/{t.slug}/{t.count}" for t in tags if t.ref.kind == kind]
        outputs.append(Output("tags", kind, digest([settings, kind, *listed])))
    every = [f"{t.ref.kind}/{t.ref.label}/{t.slug}" for t in tags]
    outputs.append(Output("opml", "feeds.opml", digest([settings, *every])))
    return tuple(outputs)


def static_outputs(stylesheet: bool, settings: str) -> tuple[Output, ...]:
    # the feeds' stylesheet only when they name it
    names = STATIC_FILES if stylesheet else ("style.css",)
    return tuple(Output("static", name, digest([settings, name])) for name in names)


def changed_outputs(
    outputs: Iterable[Output], written: Mapping[str, str], damaged: frozenset[str]
) -> tuple[Output, ...]:
    """The outputs whose inputs changed since their files were written (``written``: file →
    the digest it was rendered from), or whose files are not as the last run left them."""
    return tuple(
        o for o in outputs if any(written.get(f) != o.digest or f in damaged for f in o.files)
    )


def removable(files: Iterable[str]) -> tuple[str, ...]:
    """Of files no output has any more, those a build owns: in OWNED_FOLDERS, or a stylesheet."""
    return tuple(
        sorted(f for f in files if f.split("/", 1)[0] in OWNED_FOLDERS or f in STATIC_FILES)
    )
