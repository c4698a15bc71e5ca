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

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import NamedTuple

from .config import FeedConfig, SiteConfig
from .layout import (
    Output,
    PlannedEntry,
    PlannedTag,
    SitePlan,
    TagKey,
    changed_outputs,
    entry_core,
    entry_dates,
    entry_version,
    index_outputs,
    main_outputs,
    page_output,
    removable,
    static_outputs,
    tag_outputs,
)
from .model import TagRef
from .naming import assign_slugs, entry_link, order_key, slugify, suffixed
from .records import Dates, Found, IndexUpdate, Meta, Placement, Record, StatMark, TagState

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
    stats: Mapping[str, tuple[str | StatMark, str]],
    fingerprint: str,
    *,
    rebuild: bool = False,
    unseen: Callable[[str], bool] = lambda key: False,
) -> InputPlan:
    """``stats`` is the state's key → (stat, article fingerprint); a record marked (``StatMark``)
    equals no file's stat, so its file is read. A stored file that this run did not find is
    gone, unless ``unseen`` says that it may exist all the same (the pages of a list that could
    not be read), or it is already kept as gone."""
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
            if k not in keys and stat is not StatMark.GONE and not unseen(k)
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
class OutputPlan:
    total: int
    """How many articles the site has."""
    duplicates: tuple[Duplicate, ...]
    dates: Mapping[str, Dates]
    """The dates of every article (of those the plan placed again, for an incremental one)."""
    site: SitePlan
    outputs: tuple[Output, ...]
    """Every output of the site (those around the changed articles, for an incremental plan),
    in the order they are written: pages before the feeds that link to them."""
    render: tuple[Output, ...]
    """The outputs whose inputs changed since they were written, or whose files are not as the
    last run left them."""
    remove: tuple[str, ...]
    """Files of the last run (in OWNED_FOLDERS, or a stylesheet) that no feed or page has any
    more."""
    index: IndexUpdate
    """What changes in the placements the state keeps for the next plan."""
    incremental: bool = False
    """Made around the changed articles (``delta.py``): ``duplicates`` are only new ones."""


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
    plan, index = _site(winners, dates, feed, site)
    outputs = [page_output(e, settings) for e in plan.pages]
    for tag in plan.tags:
        outputs += tag_outputs(tag, settings)
    outputs += main_outputs(plan.main, settings)
    outputs += index_outputs(plan.tags, settings)
    outputs += static_outputs(site.feed_stylesheet, settings)
    files = {f for o in outputs for f in o.files}
    remove = [f for f in {*written, *unrecorded} if f not in files]
    return OutputPlan(
        len(winners),
        tuple(duplicates),
        dates,
        plan,
        tuple(outputs),
        changed_outputs(outputs, written, damaged),
        removable(remove),
        index,
    )


class _Placed(NamedTuple):
    record: Record
    meta: Meta
    id: str
    slug: str
    published: datetime
    updated: datetime
    core: str


def _site(
    winners: Sequence[Record], dates: Mapping[str, Dates], feed: FeedConfig, site: SiteConfig
) -> tuple[SitePlan, IndexUpdate]:
    slugs = assign_slugs(r.meta.source for r in winners if r.meta)
    placed = []
    for record in winners:
        meta = record.meta
        assert meta is not None
        slug = slugs[meta.source]
        link = entry_link(meta.url, slug, feed.base_url)
        published, updated = entry_dates(meta, dates[meta.id])
        core = entry_core(record, link, slug, published, updated)
        placed.append(_Placed(record, meta, link, slug, published, updated, core))
    placed.sort(key=lambda p: order_key(p.published, p.id))

    members: dict[TagKey, list[_Placed]] = {}
    labels: dict[TagKey, str] = {}
    for p in placed:
        for tag in p.meta.tags:
            members.setdefault((tag.kind, tag.key), []).append(p)
            labels.setdefault((tag.kind, tag.key), tag.label)
    tag_slugs: dict[TagKey, str] = {}
    used: set[tuple[str, str]] = set()
    for kind, key in sorted(members):
        if len(members[(kind, key)]) >= site.min_articles.of(kind):
            slug = slugify(key)
            if (kind, slug) in used:  # different names, same ASCII form
                slug = suffixed(slug, key)
            used.add((kind, slug))
            tag_slugs[(kind, key)] = slug

    # every article's version, so that the next plan can start from any of them
    entries = {
        p.id: PlannedEntry(
            p.record.key,
            p.id,
            p.slug,
            p.published,
            p.updated,
            p.meta.url is None,
            entry_version(p.core, p.meta.tags, tag_slugs),
        )
        for p in placed
    }
    tags = tuple(
        PlannedTag(
            TagRef(kind, key, labels[(kind, key)]),
            slug,
            len(members[(kind, key)]),
            tuple(entries[p.id] for p in members[(kind, key)][: site.tag_max_entries]),
        )
        for (kind, key), slug in tag_slugs.items()
    )
    main = tuple(entries[p.id] for p in placed[: feed.max_entries])
    shown = {e.id for e in main} | {e.id for t in tags for e in t.entries}
    pages = tuple(sorted((entries[i] for i in shown if entries[i].has_page), key=lambda e: e.slug))
    by_id = {p.id: p for p in placed}
    entry_tags = {i: by_id[i].meta.tags for i in shown}
    index = IndexUpdate(
        placements=tuple(
            Placement(
                p.record.key,
                p.id,
                p.meta.source,
                p.slug,
                p.published,
                p.updated,
                p.meta.url is None,
                p.core,
                entries[p.id].version,
                p.id in shown,
                p.meta.tags,
            )
            for p in placed
        ),
        dropped=(),
        tags=tuple(
            TagState(TagRef(kind, key, labels[(kind, key)]), len(m), tag_slugs.get((kind, key)))
            for (kind, key), m in members.items()
        ),
        untagged=(),
        complete=True,
    )
    return SitePlan(main, tags, pages, tag_slugs, entry_tags), index
