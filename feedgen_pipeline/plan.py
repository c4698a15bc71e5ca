"""A run's decisions, as pure functions: handed what the scan found, the stored records, the
fingerprints and ``now``; no SQLite, no file reads, no writes. ``pipeline.py`` applies them.

A run is decided in two steps, because what a file says is known only once it is read:

- ``plan_inputs``, before reading: which files to read, which of them only to enrich again from
  their stored Document (the tagging rules changed), which records lost their file;
- ``plan_outputs``, after: which article wins among duplicates, the dates each article keeps,
  what every feed and page shows, and which output files must be rendered or removed.

An output file is rendered only when one of its inputs changed: its inputs are summed up in a
digest, which the state keeps beside the file's size and mtime (``docs/architecture.md``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Literal, NamedTuple

from .config import FeedConfig, SiteConfig
from .model import TagKind, TagRef, read_by
from .naming import OWNED_FOLDERS, assign_slugs, entry_link, order_key, slugify, suffixed
from .records import Dates, Found, Meta, Record

# ---------------------------------------------------------------- before reading


@dataclass(frozen=True, slots=True)
class InputPlan:
    read: tuple[Found, ...]
    """Files whose size, times, inode or fingerprint differ from their record: only these are
    read (all of them with ``rebuild``)."""
    reenrich: frozenset[str]
    """Keys among ``read`` whose stored Document may be enriched again instead of parsing the
    file, should its bytes be those the Document came from (only the tagging rules changed)."""
    gone: tuple[str, ...]
    """Keys of records whose file this run did not find: dropped, or kept as they were."""


def plan_inputs(
    found: Sequence[Found],
    stats: Mapping[str, tuple[str, str]],
    fingerprint: str,
    *,
    rebuild: bool = False,
    unseen: Callable[[str], bool] = lambda key: False,
    gone_stat: str,
) -> InputPlan:
    """``stats`` is the state's key → (stat, article fingerprint). A stored file that this run
    did not find is gone, unless ``unseen`` says that it may exist all the same (the pages of a
    list that could not be read), or it is already kept as gone (stat ``gone_stat``)."""
    read = (
        tuple(found)
        if rebuild
        else tuple(f for f in found if stats.get(f.key) != (f.stat, fingerprint))
    )
    reenrich = frozenset(
        f.key
        for f in read
        if not rebuild and f.page is None and f.key in stats and stats[f.key][1] != fingerprint
    )
    keys = {f.key for f in found}
    gone = tuple(
        sorted(
            k
            for k, (stat, _) in stats.items()
            if k not in keys and stat != gone_stat and not unseen(k)
        )
    )
    return InputPlan(read, reenrich, gone)


# ---------------------------------------------------------------- after reading


@dataclass(frozen=True, slots=True)
class Duplicate:
    """An article left out because another one has its id or its content."""

    key: str
    source: str
    winner: str
    """The winner's ``source`` (path relative to its source folder)."""
    why: str


def dedupe(records: Sequence[Record]) -> tuple[list[Record], list[Duplicate]]:
    """One article per id and per content. ``records`` come in source order (sources as
    configured, files by path); the article seen first wins, so that a new copy never displaces
    an entry already published; among files first seen in the same run, the first in source
    order wins. Records without an article pass through neither list."""
    ranked = sorted(
        ((r.seen, i, r) for i, r in enumerate(records) if r.meta is not None),
        key=lambda t: (t[0], t[1]),
    )
    by_id: dict[str, str] = {}  # → the winner's source
    by_content: dict[str, str] = {}
    winners: list[tuple[int, Record]] = []
    duplicates: list[Duplicate] = []
    for _, index, record in ranked:
        meta = record.meta
        assert meta is not None
        if meta.id in by_id:
            why = f"same id {meta.id}"
            duplicates.append(Duplicate(record.key, meta.source, by_id[meta.id], why))
        elif meta.content in by_content:
            first = by_content[meta.content]
            duplicates.append(Duplicate(record.key, meta.source, first, "same content"))
        else:
            by_id[meta.id] = by_content[meta.content] = meta.source
            winners.append((index, record))
    duplicates.sort(key=lambda d: d.key)
    return [r for _, r in sorted(winners, key=lambda t: t[0])], duplicates


def update_dates(
    old: Mapping[str, Dates],
    metas: Iterable[Meta],
    rewritten: set[str],
    now: datetime,
) -> dict[str, Dates]:
    """The dates of every current article id.

    A new id is first seen ``now`` (spread by a second each, see ``first_seen_dates``). An id
    whose file's bytes changed (``rewritten``) and whose content hash differs is changed ``now``.
    A content hash that moved without its bytes (new rules) is recorded without a change. Ids no
    longer present are forgotten.
    """
    metas = list(metas)
    new = [m for m in metas if m.id not in old]
    seen = first_seen_dates(new, now)
    out: dict[str, Dates] = {}
    for meta in metas:
        dates = old.get(meta.id)
        if dates is None:
            out[meta.id] = Dates(seen[meta.id], None, meta.content)
        elif dates.content == meta.content:
            out[meta.id] = dates
        elif meta.id in rewritten:
            out[meta.id] = replace(dates, changed=max(now, dates.first_seen), content=meta.content)
        else:
            out[meta.id] = replace(dates, content=meta.content)
    return out


def first_seen_dates(new: Sequence[Meta], now: datetime) -> dict[str, datetime]:
    """First-seen dates for articles new in this run: ``now`` for the last in source order and a
    second earlier for each one before it, so that no two entries share a date (feed readers and
    validators take equal dates as a sign of a broken feed) and the order is reproducible."""
    ordered = sorted(new, key=lambda m: m.source)
    return {m.id: now - timedelta(seconds=len(ordered) - 1 - i) for i, m in enumerate(ordered)}


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


@dataclass(frozen=True, slots=True)
class OutputPlan:
    winners: tuple[Record, ...]
    duplicates: tuple[Duplicate, ...]
    dates: Mapping[str, Dates]
    site: SitePlan
    outputs: tuple[Output, ...]
    """Every output of the site, in the order they are written: pages before the feeds that
    link to them."""
    render: tuple[Output, ...]
    """The outputs whose inputs changed since they were written, or whose files are not as the
    last run left them."""
    remove: tuple[str, ...]
    """Files of the last run (in OWNED_FOLDERS, or a stylesheet) that no feed or page has any
    more."""


def plan_outputs(
    records: Sequence[Record],
    old_dates: Mapping[str, Dates],
    rewritten: set[str],
    now: datetime,
    *,
    feed: FeedConfig,
    site: SiteConfig,
    settings: str,
    written: Mapping[str, str],
    damaged: frozenset[str] = frozenset(),
    unrecorded: Iterable[str] = (),
) -> OutputPlan:
    """``records`` in source order; ``settings`` sums up all else rendering depends on (feed
    and site settings, templates, code); ``written`` is each file of the last run → the digest
    it was rendered from; ``damaged`` are those of its files not as it left them;
    ``unrecorded`` files in the output that no run recorded (a lost state's), to remove if
    the site has them no more."""
    winners, duplicates = dedupe(records)
    dates = update_dates(old_dates, (r.meta for r in winners if r.meta), rewritten, now)
    plan = _site(winners, dates, feed, site)
    # the feeds' stylesheet only when they name it
    static = STATIC_FILES if site.feed_stylesheet else ("style.css",)
    outputs = _outputs(plan, settings, static)
    render = tuple(
        o for o in outputs if any(written.get(f) != o.digest or f in damaged for f in o.files)
    )
    files = {f for o in outputs for f in o.files}
    remove = tuple(
        sorted(
            f
            for f in {*written, *unrecorded}
            if f not in files and (f.split("/", 1)[0] in OWNED_FOLDERS or f in STATIC_FILES)
        )
    )
    return OutputPlan(tuple(winners), tuple(duplicates), dates, plan, outputs, render, remove)


class _Placed(NamedTuple):
    record: Record
    meta: Meta
    id: str
    slug: str
    published: datetime
    updated: datetime


def _site(
    winners: Sequence[Record], dates: Mapping[str, Dates], feed: FeedConfig, site: SiteConfig
) -> SitePlan:
    slugs = assign_slugs(r.meta.source for r in winners if r.meta)
    placed = []
    for record in winners:
        meta = record.meta
        assert meta is not None
        slug = slugs[meta.source]
        link = entry_link(meta.url, slug, feed.base_url)
        own = dates[meta.id]
        published = read_by(meta.published, own.first_seen) or own.first_seen
        updated = max(read_by(meta.updated, own.first_seen) or published, published)
        if own.changed:
            updated = max(updated, own.changed)
        placed.append(_Placed(record, meta, link, slug, published, updated))
    placed.sort(key=lambda p: order_key(p.published, p.id))

    members: dict[tuple[TagKind, str], list[_Placed]] = {}
    labels: dict[tuple[TagKind, str], str] = {}
    for p in placed:
        for tag in p.meta.tags:
            members.setdefault((tag.kind, tag.key), []).append(p)
            labels.setdefault((tag.kind, tag.key), tag.label)
    tag_slugs: dict[tuple[TagKind, str], str] = {}
    used: set[tuple[str, str]] = set()
    for kind, key in sorted(members):
        if len(members[(kind, key)]) >= site.min_articles.of(kind):
            slug = slugify(key)
            if (kind, slug) in used:  # different names, same ASCII form
                slug = suffixed(slug, key)
            used.add((kind, slug))
            tag_slugs[(kind, key)] = slug

    entries: dict[str, PlannedEntry] = {}

    def entry(p: _Placed) -> PlannedEntry:
        planned = entries.get(p.id)
        if planned is None:
            planned = entries[p.id] = _entry(p, tag_slugs)
        return planned

    tags = tuple(
        PlannedTag(
            TagRef(kind, key, labels[(kind, key)]),
            slug,
            len(members[(kind, key)]),
            tuple(entry(p) for p in members[(kind, key)][: site.tag_max_entries]),
        )
        for (kind, key), slug in tag_slugs.items()
    )
    main = tuple(entry(p) for p in placed[: feed.max_entries])
    shown = {p.id: p for p in placed if p.id in entries}
    pages = tuple(
        entries[i] for i in sorted(shown, key=lambda i: shown[i].slug) if entries[i].has_page
    )
    entry_tags = {i: p.meta.tags for i, p in shown.items()}
    return SitePlan(main, tags, pages, tag_slugs, entry_tags)


def _entry(p: _Placed, tag_slugs: Mapping[tuple[TagKind, str], str]) -> PlannedEntry:
    r = p.record
    parts = [r.key, r.stat, r.sha, r.fingerprint, p.id, p.slug, p.published.isoformat()]
    parts.append(p.updated.isoformat())
    parts += [f"{t.kind}/{t.key}/{tag_slugs.get((t.kind, t.key), '')}" for t in p.meta.tags]
    return PlannedEntry(
        r.key, p.id, p.slug, p.published, p.updated, p.meta.url is None, _digest(parts)
    )


def _outputs(plan: SitePlan, settings: str, static: tuple[str, ...]) -> tuple[Output, ...]:
    outputs = [
        Output("page", f"articles/{e.slug}.html", _digest([settings, e.version]), entry=e)
        for e in plan.pages
    ]
    for tag in plan.tags:
        parts = [settings, tag.ref.kind, tag.ref.key, tag.ref.label, tag.slug, str(tag.count)]
        parts += [e.version for e in tag.entries]
        digest = _digest(parts)
        outputs.append(Output("feeds", tag.path, digest, tag=tag))
        outputs.append(Output("listing", tag.path, digest, tag=tag))
    main = _digest([settings, *(e.version for e in plan.main)])
    outputs += [Output("feeds", "", main), Output("listing", "", main)]
    for kind in ("countries", "actors"):
        listed = [f"{t.ref.label}/{t.slug}/{t.count}" for t in plan.tags if t.ref.kind == kind]
        outputs.append(Output("tags", kind, _digest([settings, kind, *listed])))
    every = [f"{t.ref.kind}/{t.ref.label}/{t.slug}" for t in plan.tags]
    outputs.append(Output("opml", "feeds.opml", _digest([settings, *every])))
    outputs += [Output("static", name, _digest([settings, name])) for name in static]
    return tuple(outputs)


def _digest(parts: Iterable[str]) -> str:
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:24]
