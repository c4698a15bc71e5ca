"""A plan made around the articles a run changed, from the placements the last plan left: what
a run that changes a few articles of a large site renders and removes, found without placing
every article again.

It gives what ``plan.plan_outputs`` gives for the same records (``tests/test_delta.py`` holds
them to it), or None when a change reaches further than it follows: an article with another's
id or content (duplicates are ranked over all articles), a page or tag slug another already
has (slugs are told apart over all of them), a damaged file of an output it did not plan. The
caller then makes the whole plan. Pure: handed the changed records and a read-only view of the
last plan (``Index``, kept by the state).
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Protocol

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
    tag_outputs,
)
from .model import TagKind, TagRef
from .naming import entry_link, order_key, slugify, source_slug
from .plan import OutputPlan, update_dates
from .records import Dates, IndexUpdate, Placement, Record, TagState


class Index(Protocol):
    """The placements and tags of the last plan, as the state keeps them."""

    def count(self) -> int: ...

    def placements(self, keys: Collection[str]) -> Mapping[str, Placement]: ...

    def newest(self, limit: int, tag: TagKey | None = None) -> Sequence[Placement]:
        """The first ``limit`` entries of the main feed, or of every article of a tag, in feed
        order."""

    def tag_states(self, tags: Iterable[TagKey]) -> Mapping[TagKey, TagState]: ...

    def feed_tags(self) -> Sequence[TagState]: ...

    def page_slug_taken(self, base: str, besides: Collection[str]) -> bool: ...

    def tag_slug_taken(self, kind: TagKind, base: str, key: str) -> bool: ...

    def clashes(self, id: str, content: str, besides: Collection[str]) -> bool: ...


def plan_around(
    changed: Mapping[str, Record | None],
    before: Mapping[str, Record],
    old_dates: Mapping[str, Dates],
    rewritten: set[str],
    now: datetime,
    *,
    feed: FeedConfig,
    site: SiteConfig,
    settings: str,
    written: Mapping[str, str],
    damaged: frozenset[str],
    index: Index,
) -> OutputPlan | None:
    """``changed``: the record of every input this run read or lost (None: dropped);
    ``before``: their records as the last run left them; ``old_dates``: the stored dates of
    their ids; the rest as for ``plan_outputs``."""
    keys = frozenset(changed)
    current: dict[str, Record] = {}
    for key, record in changed.items():
        old_record = before.get(key)
        for meta in (old_record.meta if old_record else None, record.meta if record else None):
            if meta is not None and index.clashes(meta.id, meta.content, keys):
                return None
        if record is not None and record.meta is not None:
            current[key] = record
    metas = [r.meta for r in current.values() if r.meta]
    if len({m.id for m in metas}) < len(metas) or len({m.content for m in metas}) < len(metas):
        return None
    dates = update_dates(old_dates, metas, rewritten, now)
    old = index.placements(keys)

    slugs = _page_slugs(current, old, index, keys)
    if slugs is None:
        return None
    placed: dict[str, Placement] = {}
    for key, record in current.items():
        meta = record.meta
        assert meta is not None
        link = entry_link(meta.url, slugs[key], feed.base_url)
        published, updated = entry_dates(meta, dates[meta.id])
        core = entry_core(record, link, slugs[key], published, updated)
        placed[key] = Placement(
            key, link, meta.source, slugs[key], published, updated, meta.url is None, core,
            "", False, meta.tags,
        )  # fmt: skip

    tags = _Tags(index, site)
    touched = {t for p in (*old.values(), *placed.values()) for t in _keys(p)}
    tags.load(touched)
    for p in old.values():
        for t in _keys(p):
            tags.count[t] -= 1
    for p in placed.values():
        for t in _keys(p):
            tags.count[t] += 1
    moved = tags.settle(touched)  # tags that gain or lose their feed
    if moved is None:
        return None

    # versions: the changed articles', and every article's of a tag that gained or lost a feed
    again: dict[str, Placement] = dict(placed)
    for t in moved:
        for p in index.newest(tags.before[t].count if t in tags.before else 0, t):
            if p.key not in keys:
                again.setdefault(p.key, p)
    tags.load({t for p in again.values() for t in _keys(p)})
    slugs_now = tags.slugs()
    again = {
        k: replace(p, version=entry_version(p.core, p.tags, slugs_now)) for k, p in again.items()
    }
    for key in placed:
        placed[key] = again[key]
    every = touched | {t for p in again.values() for t in _keys(p)}

    feeds = _Feeds(index, old, placed, again, keys)
    main_now, main_then = feeds.top(feed.max_entries)
    tops: dict[TagKey, list[Placement]] = {}
    candidates = set(placed) | set(again) | set(old) | _moved(main_now, main_then)
    for t in sorted(every):
        now_top, then_top = feeds.top(site.tag_max_entries, t)
        tops[t] = now_top
        if now_top:
            tags.label(t, now_top[0])
        candidates |= _moved(now_top if tags.slug[t] else [], then_top if tags.had_feed(t) else [])

    shown_main = {p.key for p in main_now}
    tags.load({t for k in candidates if (c := feeds.get(k)) for t in _keys(c)})

    def shown(p: Placement) -> bool:
        if p.key in shown_main:
            return True
        for t in _keys(p):
            if tags.slug.get(t):
                top = tops[t] if t in tops else feeds.stored_top(site.tag_max_entries, t)
                if any(q.key == p.key for q in top):
                    return True
        return False

    pages: list[PlannedEntry] = []
    gone_files: list[str] = []
    updates: dict[str, Placement] = dict(again)
    for key in sorted(candidates):
        then = old.get(key) or feeds.before(key)
        now_p = feeds.get(key) if key not in old or key in placed else None
        is_shown = now_p is not None and shown(now_p)
        had_page = then is not None and then.shown and then.has_page
        keeps = now_p is not None and is_shown and now_p.has_page
        if had_page and not (keeps and now_p.slug == then.slug):  # type: ignore[union-attr]
            gone_files.append(f"articles/{then.slug}.html")  # type: ignore[union-attr]
        if now_p is not None:
            if is_shown != now_p.shown or key in updates:
                updates[key] = replace(now_p, shown=is_shown)
            if is_shown and now_p.has_page:
                pages.append(_planned(now_p))

    planned_tags = {
        t: PlannedTag(tags.ref(t), slug, tags.count[t], tuple(_planned(p) for p in tops[t]))
        for t in sorted(every)
        if (slug := tags.slug[t])
    }
    pages.sort(key=lambda e: e.slug)  # as the whole plan lists them
    outputs: list[Output] = [page_output(e, settings) for e in pages]
    for tag in planned_tags.values():
        outputs += tag_outputs(tag, settings)
    for t in sorted(every):
        was = tags.before.get(t)
        if was is not None and was.slug and not tags.slug[t]:
            folder = f"{t[0]}/{was.slug}/"
            gone_files += [*Output("feeds", folder, "").files, *Output("listing", folder, "").files]
    main = tuple(_planned(p) for p in main_now)
    outputs += main_outputs(main, settings)
    listed = {
        (s.ref.kind, s.ref.key): PlannedTag(s.ref, s.slug or "", s.count, ())
        for s in index.feed_tags()
    }
    for t in every:
        listed.pop(t, None)
    listed.update(planned_tags)
    all_tags = tuple(listed[t] for t in sorted(listed))
    outputs += index_outputs(all_tags, settings)

    files = {f for o in outputs for f in o.files}
    if damaged - files:
        return None  # a damaged file of an output this plan does not make: the whole plan does
    remove = tuple(sorted(f for f in set(gone_files) - files if f in written))
    dropped = tuple(sorted(k for k in old if k not in current))
    update = IndexUpdate(
        placements=tuple(updates[k] for k in sorted(updates)),
        dropped=dropped,
        tags=tuple(
            TagState(tags.ref(t), tags.count[t], tags.slug[t])
            for t in sorted(every)
            if tags.count[t]
        ),
        untagged=tuple(t for t in sorted(every) if not tags.count[t] and t in tags.before),
        complete=False,
    )
    plan = SitePlan(
        main,
        all_tags,
        tuple(pages),
        {t: tag.slug for t, tag in listed.items()},
        {e.id: feeds.get(e.key).tags for e in pages},  # type: ignore[union-attr]
    )
    total = index.count() + len(set(current) - set(old)) - len(dropped)
    return OutputPlan(
        total,
        (),
        dates,
        plan,
        tuple(outputs),
        changed_outputs(outputs, written, damaged),
        remove,
        update,
        incremental=True,
    )


def _keys(p: Placement) -> set[TagKey]:
    return {(t.kind, t.key) for t in p.tags}


def _planned(p: Placement) -> PlannedEntry:
    return PlannedEntry(p.key, p.id, p.slug, p.published, p.updated, p.has_page, p.version)


def _moved(now: Sequence[Placement], then: Sequence[Placement]) -> set[str]:
    """Keys of the entries that came into a feed's top or left it."""
    return {p.key for p in now} ^ {p.key for p in then}


def _page_slugs(
    current: Mapping[str, Record], old: Mapping[str, Placement], index: Index, keys: frozenset[str]
) -> dict[str, str] | None:
    """The page slug of each changed article: the one it had, or (a new source) its plain
    slug, unless another article has or may need that slug (then None)."""
    slugs: dict[str, str] = {}
    new: list[str] = []
    for key, record in current.items():
        assert record.meta is not None
        p = old.get(key)
        if p is not None and p.source == record.meta.source:
            slugs[key] = p.slug
        else:
            slugs[key] = source_slug(record.meta.source)
            new.append(slugs[key])
    left = [
        source_slug(p.source)
        for k, p in old.items()
        if k not in current or current[k].meta.source != p.source  # type: ignore[union-attr]
    ]
    # a slug another changed article had, or keeps, is not free either
    had = {s for p in old.values() for s in (p.slug, source_slug(p.source))}
    if len(set(new)) < len(new) or had.intersection(new):
        return None
    # nor one that frees a slug another changed article may now take
    if {source_slug(r.meta.source) for r in current.values() if r.meta}.intersection(left):
        return None
    if any(index.page_slug_taken(base, keys) for base in {*new, *left}):
        return None
    return slugs


class _Tags:
    """The tags a plan around a change looks at: as the last plan left them, and now."""

    def __init__(self, index: Index, site: SiteConfig) -> None:
        self.index, self.site = index, site
        self.before: dict[TagKey, TagState] = {}
        self.count: dict[TagKey, int] = {}
        self.slug: dict[TagKey, str | None] = {}
        self.labels: dict[TagKey, str] = {}

    def load(self, tags: Iterable[TagKey]) -> None:
        wanted = [t for t in tags if t not in self.count]
        found = self.index.tag_states(wanted)
        for t in wanted:
            state = found.get(t)
            if state is not None:
                self.before[t] = state
            self.count[t] = state.count if state else 0
            self.slug[t] = state.slug if state else None
            self.labels[t] = state.ref.label if state else t[1]

    def had_feed(self, t: TagKey) -> bool:
        return t in self.before and self.before[t].slug is not None

    def settle(self, touched: Iterable[TagKey]) -> list[TagKey] | None:
        """Give the touched tags their feeds; the tags that gained or lost one, or None when
        a slug it gains or frees is another tag's too."""
        moved = []
        for t in sorted(touched):
            kind, key = t
            feed = self.count[t] > 0 and self.count[t] >= self.site.min_articles.of(kind)
            if feed == self.had_feed(t):
                continue
            if self.index.tag_slug_taken(kind, slugify(key), key):
                return None
            moved.append(t)
            self.slug[t] = slugify(key) if feed else None
        gained = [(k, self.slug[(k, key)]) for k, key in moved if self.slug[(k, key)]]
        if len(set(gained)) < len(gained):
            return None
        return moved

    def slugs(self) -> dict[TagKey, str]:
        return {t: s for t, s in self.slug.items() if s}

    def label(self, t: TagKey, newest: Placement) -> None:
        """A tag's label is the one its newest article gives."""
        self.labels[t] = next(r.label for r in newest.tags if (r.kind, r.key) == t)

    def ref(self, t: TagKey) -> TagRef:
        return TagRef(t[0], t[1], self.labels[t])


class _Feeds:
    """The feeds' tops now and as they were: the index's rows with the changed articles taken
    out and put back where they now go."""

    def __init__(
        self,
        index: Index,
        old: Mapping[str, Placement],
        placed: Mapping[str, Placement],
        again: Mapping[str, Placement],
        keys: frozenset[str],
    ) -> None:
        self.index, self.old, self.placed, self.again, self.keys = index, old, placed, again, keys
        self.stored: dict[str, Placement] = {}
        self._tops: dict[TagKey, Sequence[Placement]] = {}

    def before(self, key: str) -> Placement | None:
        """An unchanged article as the last plan left it (its ``shown`` is the last plan's)."""
        return self.again.get(key) or self.stored.get(key)

    def get(self, key: str) -> Placement | None:
        return self.again.get(key) or self.placed.get(key) or self.stored.get(key)

    def stored_top(self, limit: int, tag: TagKey) -> Sequence[Placement]:
        if tag not in self._tops:
            self._tops[tag] = self._rows(limit, tag)
        return self._tops[tag]

    def top(self, limit: int, tag: TagKey | None = None) -> tuple[list[Placement], list[Placement]]:
        """The first ``limit`` entries of a feed now, and as the last plan left them."""
        had = sum(1 for p in self.old.values() if tag is None or tag in _keys(p))
        rows = self._rows(limit + had, tag)
        merged = {p.key: self.again.get(p.key, p) for p in rows if p.key not in self.keys}
        merged.update((k, p) for k, p in self.placed.items() if tag is None or tag in _keys(p))
        ordered = sorted(merged.values(), key=lambda p: order_key(p.published, p.id))
        return ordered[:limit], list(rows[:limit])

    def _rows(self, limit: int, tag: TagKey | None) -> Sequence[Placement]:
        rows = self.index.newest(limit, tag)
        for p in rows:
            self.stored.setdefault(p.key, p)
        return rows
