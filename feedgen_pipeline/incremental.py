"""Decisions of an incremental run, as pure functions: handed records and ``now``, no I/O.

Which files must be read, which article wins among duplicates, which dates an article keeps,
and which entries a feed shows (so that only their text is loaded).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import NamedTuple

from .config import FeedConfig
from .remote.page import PageInfo
from .state.records import Dates, Meta, Record
from .write.view import TagKey, assign_slugs, entry_link, order_key


class Found(NamedTuple):
    """An input file found by this run's scan. (A named tuple: a run makes one per input file,
    ten thousand at a time, and a frozen dataclass costs several times as much to make.)"""

    key: str
    path: str
    relpath: str
    stat: str
    max_bytes: int = 10_000_000
    page: PageInfo | None = None
    """What fetching it gave, for a page of a fetching source (``remote/``)."""


@dataclass(frozen=True)
class Duplicate:
    """An article left out because another one has its id or its content."""

    key: str
    source: str
    winner: str
    """The winner's ``source`` (path relative to its source folder)."""
    why: str


def needs_reading(
    found: Sequence[Found],
    stats: Mapping[str, tuple[str, str]],
    fingerprint: str,
    *,
    rebuild: bool = False,
) -> list[Found]:
    """Files whose size, times, inode or rules fingerprint differ from the record (all of them
    with ``rebuild``): only these are read."""
    if rebuild:
        return list(found)
    return [f for f in found if stats.get(f.key) != (f.stat, fingerprint)]


def dedupe(records: Sequence[Record]) -> tuple[list[Record], list[Duplicate]]:
    """One article per id and per content. ``records`` come in source order (sources as
    configured, files by path); the article seen first wins, so that a new copy never displaces
    an entry already published; among files first seen in the same run, the first in source
    order wins. Records without an article pass through neither list."""
    ranked = sorted(
        ((r.seen, i, r) for i, r in enumerate(records) if r.meta is not None),
        key=lambda t: (t[0], t[1]),
    )
    by_id: dict[str, Record] = {}
    by_content: dict[str, Record] = {}
    winners: list[tuple[int, Record]] = []
    duplicates: list[Duplicate] = []
    for _, index, record in ranked:
        meta = record.meta
        assert meta is not None
        if meta.id in by_id:
            first = by_id[meta.id]
            duplicates.append(
                Duplicate(record.key, meta.source, _source(first), f"same id {meta.id}")
            )
        elif meta.content in by_content:
            first = by_content[meta.content]
            duplicates.append(Duplicate(record.key, meta.source, _source(first), "same content"))
        else:
            by_id[meta.id] = by_content[meta.content] = record
            winners.append((index, record))
    duplicates.sort(key=lambda d: d.key)
    return [r for _, r in sorted(winners, key=lambda t: t[0])], duplicates


def _source(record: Record) -> str:
    return record.meta.source if record.meta else record.key


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


def shown(
    winners: Sequence[Record], feed: FeedConfig, dates: Mapping[str, Dates], min_articles: int
) -> tuple[list[Record], dict[str, str], dict[TagKey, int]]:
    """The records whose entries some feed shows (the main feed and every tag feed, each ordered
    and capped as ``make_site`` does), the slugs of every source, which ``make_site`` then needs,
    and how many articles carry each tag. Only the shown records' articles need loading."""
    slugs = assign_slugs(r.meta.source for r in winners if r.meta)

    def key(record: Record) -> tuple[float, str]:
        meta = record.meta
        assert meta is not None
        published = meta.published or dates[meta.id].first_seen
        return order_key(published, entry_link(meta.url, slugs[meta.source], feed.base_url))

    ordered = sorted(winners, key=key)
    members: dict[TagKey, list[Record]] = {}
    for record in ordered:
        assert record.meta is not None
        for tag in record.meta.tags:
            kind, _, name = tag.partition(":")
            members.setdefault((kind, name), []).append(record)
    keep = {id(r) for r in ordered[: feed.max_entries]}
    for tagged in members.values():
        if len(tagged) >= min_articles:
            keep.update(id(r) for r in tagged[: feed.max_entries])
    counts = {tag: len(tagged) for tag, tagged in members.items()}
    return [r for r in ordered if id(r) in keep], slugs, counts
