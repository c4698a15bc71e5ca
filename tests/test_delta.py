"""A plan made around a change (``delta.plan_around``) gives what the whole plan gives: the same
files to render and remove, the same dates and the same index for the next run, over runs of
random changes to a site whose tags gain and lose feeds. Plain records, no files."""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from feedgen_pipeline.config import FeedConfig, MinArticles, SiteConfig
from feedgen_pipeline.delta import plan_around
from feedgen_pipeline.layout import TagKey
from feedgen_pipeline.model import TagKind, TagRef
from feedgen_pipeline.naming import order_key, slugify, source_slug
from feedgen_pipeline.plan import OutputPlan, plan_outputs
from feedgen_pipeline.records import Dates, IndexUpdate, Meta, Placement, Record, TagState

from .conftest import FIXED_NOW

FEED = FeedConfig("T", "https://news.example/", "D", "A", "en", max_entries=6)
SITE = SiteConfig(min_articles=MinArticles(countries=1, actors=3), tag_max_entries=3)
# two names with the same slug, so that tags' slugs must be told apart
PEOPLE = ("Ana Ruiz", "Bo Lind", "Cem Akar", "Dee Moss", "Eli Roth", "Eli Röth", "Gus Orr")
COUNTRIES = ("Chile", "Kenya", "Japan", "Peru")


class MemoryIndex:
    """The index as the state keeps it, in dictionaries."""

    def __init__(self) -> None:
        self.placed: dict[str, Placement] = {}
        self.tags: dict[TagKey, TagState] = {}
        self.records: dict[str, Record] = {}

    def apply(self, update: IndexUpdate) -> None:
        if update.complete:
            self.placed, self.tags = {}, {}
        for key in update.dropped:
            del self.placed[key]
        for kind, key in update.untagged:
            del self.tags[(kind, key)]  # type: ignore[index]
        self.placed.update((p.key, p) for p in update.placements)
        self.tags.update(((t.ref.kind, t.ref.key), t) for t in update.tags)

    def count(self) -> int:
        return len(self.placed)

    def placements(self, keys: Collection[str]) -> dict[str, Placement]:
        return {k: self.placed[k] for k in keys if k in self.placed}

    def newest(self, limit: int, tag: TagKey | None = None) -> list[Placement]:
        rows = [p for p in self.placed.values() if tag is None or tag in _keys(p)]
        return sorted(rows, key=lambda p: order_key(p.published, p.id))[:limit]

    def tag_states(self, tags: Iterable[TagKey]) -> dict[TagKey, TagState]:
        return {t: self.tags[t] for t in tags if t in self.tags}

    def feed_tags(self) -> list[TagState]:
        return [t for t in self.tags.values() if t.slug]

    def page_slug_taken(self, base: str, besides: Collection[str]) -> bool:
        return any(
            k not in besides and base in (source_slug(p.source), p.slug)
            for k, p in self.placed.items()
        )

    def tag_slug_taken(self, kind: TagKind, base: str, key: str) -> bool:
        return any(
            t[0] == kind and t[1] != key and s.slug and base in (slugify(t[1]), s.slug)
            for t, s in self.tags.items()
        )

    def clashes(self, id: str, content: str, besides: Collection[str]) -> bool:
        return any(
            k not in besides and r.meta and (r.meta.id == id or r.meta.content == content)
            for k, r in self.records.items()
        )


def _keys(p: Placement) -> set[TagKey]:
    return {(t.kind, t.key) for t in p.tags}


def article(i: int, rng: random.Random, version: int = 0) -> Record:
    tags = [TagRef("countries", c, c) for c in rng.sample(COUNTRIES, rng.randint(0, 2))]
    tags += [TagRef("actors", a, a.split()[-1]) for a in rng.sample(PEOPLE, rng.randint(0, 3))]
    published = FIXED_NOW - timedelta(hours=rng.randint(0, 40)) if rng.random() < 0.7 else None
    url = f"https://wire.example/{i}" if rng.random() < 0.5 else None
    meta = Meta(
        id=url or f"story-{i}",
        source=f"story-{i}.txt",
        url=url,
        published=published,
        updated=None,
        content=f"content {i} {version}",
        tags=tuple(tags),
    )
    seen = FIXED_NOW - timedelta(days=3)
    return Record(f"in/story-{i}.txt", f"stat {i} {version}", f"sha {i} {version}", "f", seen, meta)


def full(
    records: Mapping[str, Record],
    dates: Mapping[str, Dates],
    now: datetime,
    written: Mapping[str, str],
    rewritten: set[str],
) -> OutputPlan:
    return plan_outputs(
        [records[k] for k in sorted(records)],
        dates,
        rewritten,
        now,
        feed=FEED,
        site=SITE,
        settings="s",
        written=written,
    )


def digests(outputs: Sequence[object]) -> set[tuple[str, str]]:
    return {(f, o.digest) for o in outputs for f in o.files}  # type: ignore[attr-defined]


@pytest.mark.parametrize("seed", range(8))
def test_a_plan_around_changes_gives_what_the_whole_plan_gives(seed: int) -> None:
    rng = random.Random(seed)
    records = {r.key: r for r in (article(i, rng) for i in range(24))}
    now = FIXED_NOW
    plan = full(records, {}, now, {}, set())
    index = MemoryIndex()
    index.apply(plan.index)
    index.records = dict(records)
    dates = dict(plan.dates)
    written = {f: o.digest for o in plan.outputs for f in o.files}
    made = fallbacks = 0
    next_id = 100
    for step in range(25):
        now = now + timedelta(minutes=10)
        changed: dict[str, Record | None] = {}
        for key in rng.sample(sorted(records), rng.randint(1, 3)):
            i = int(key.split("-")[1].split(".")[0])
            roll = rng.random()
            if roll < 0.2:
                changed[key] = None
            elif roll < 0.4:  # touched: same bytes, a new stat
                changed[key] = replace(records[key], stat=f"touched {step}")
            else:  # new bytes: content, dates and tags may all move
                again = article(i, rng, version=step + 1)
                source = records[key].meta.source  # type: ignore[union-attr]
                meta = replace(again.meta, source=source)  # type: ignore[type-var]
                changed[key] = replace(again, key=key, seen=records[key].seen, meta=meta)
        if rng.random() < 0.5:
            new = replace(article(next_id, rng), seen=now)
            twin = records[rng.choice(sorted(records))]
            roll = rng.random()
            if roll < 0.15 and new.meta and twin.meta:  # a copy of another's content
                new = replace(new, meta=replace(new.meta, content=twin.meta.content))
            elif roll < 0.3 and new.meta and twin.meta:  # the same name as another's page
                source = twin.meta.source.replace(".txt", ".html")
                new = replace(new, key=f"in/{source}", meta=replace(new.meta, source=source))
            changed[new.key] = new
            next_id += 1
        before = {k: records[k] for k in changed if k in records}
        rewritten = {
            r.meta.id
            for k, r in changed.items()
            if r and r.meta and k in before and before[k].sha != r.sha
        }
        after = {k: r for k, r in {**records, **changed}.items() if r is not None}
        index.records = after
        ids = {r.meta.id for r in (*before.values(), *changed.values()) if r and r.meta}
        whole = full(after, dates, now, written, rewritten)
        around = plan_around(
            changed,
            before,
            {i: d for i, d in dates.items() if i in ids},
            rewritten,
            now,
            feed=FEED,
            site=SITE,
            settings="s",
            written=written,
            damaged=frozenset(),
            index=index,
        )
        if around is None:
            fallbacks += 1
            index.apply(whole.index)
        else:
            made += 1
            assert digests(around.render) == digests(whole.render), step
            assert around.remove == whole.remove, step
            assert around.total == whole.total
            assert {i: whole.dates[i] for i in around.dates} == dict(around.dates)
            assert around.site.main == whole.site.main
            for output in around.render:
                if output.tag is not None:
                    assert output.tag in whole.site.tags
            index.apply(around.index)
            assert index.placed == {p.key: p for p in whole.index.placements}, step
            assert index.tags == {(t.ref.kind, t.ref.key): t for t in whole.index.tags}, step
        records, dates = after, dict(whole.dates)
        written = {f: o.digest for o in whole.outputs for f in o.files}
    # most changes are planned around; duplicates and shared slugs make the whole plan
    assert made > 5 and fallbacks
