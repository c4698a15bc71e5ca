"""The whole run: its plan (``plan.py``) applied. Sources are scanned, the files the plan names
are read (``parse.py``) and their articles stored, then the output files the plan names are
rendered and written (``publish.py``). Nothing here prints; the command line reports the result.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .announce import announce
from .articles import scan_articles
from .collector import collector_paused
from .config import Config, SourceConfig
from .delta import plan_around
from .errors import ConfigError
from .outcome import BuildResult, Change, Counts, OutputChange, Partial, Skipped
from .parse import enrich_file
from .plan import plan_inputs, plan_outputs
from .publish import feed_key, publish
from .quick import Scans, inputs_digest
from .reading import Run, forget, read_planned
from .records import ArticleLine, Dates, Found, OutputStat, Record, ScannedFile
from .render import Articles
from .report import skipped_json, skipped_of, unchanged_run, write_report
from .sources import is_http, scan_files, scan_url
from .state.files import damaged_outputs, load_first_seen, owned_files
from .state.fingerprint import fingerprints
from .state.index import StoredIndex
from .state.store import DamagedRecord, StateError, Store, reset

if TYPE_CHECKING:
    from .remote.collect import Collected

__all__ = ["BuildResult", "Change", "Counts", "Skipped", "build", "enrich_file"]


def build(
    config: Config,
    *,
    now: datetime,
    jobs: int = 1,
    dry_run: bool = False,
    rebuild: bool = False,
    on_progress: Callable[[int, int], None] | None = None,
    offline: bool = False,
    scans: Scans | None = None,
    intact: bool = False,
) -> BuildResult:
    """Build every feed and page into ``config.output_dir``, reusing the state folder.

    ``now`` is the first-seen date of articles that carry no date of their own, and the date of a
    change. ``rebuild`` parses every file again (dates are kept). ``dry_run`` reads the state but
    writes nothing, anywhere. The caller holds the state lock (``state.lock.StateLock``).
    ``offline`` reads the pages of fetching sources from the state folder's cache only (so does
    a dry run). ``scans`` may hold folders the caller has just scanned (``quick.check``), and
    ``intact`` say that it found the output as the last build left it.
    """
    listed = _list_sources(config, scans or {})
    store, warnings = _open(config.state_dir, dry_run)
    try:
        known = store.scanned()
        found, scanned = _scan(config, listed, known)
        fetched = _fetch(config, offline or dry_run, dry_run) if config.remote else None
        if fetched is not None:
            found += fetched.found
        prints = fingerprints(config.rules)
        # a sitemap or feed read neither fresh nor cached: its pages are unknown, none is removed
        unseen = is_http if fetched is not None and not fetched.complete else _never
        run = Run(found, prints, unseen, now, jobs, dry_run, rebuild, on_progress, intact)
        try:
            partial = _build(config, store, run)
        except DamagedRecord as e:  # found only when read: as if the file were unreadable
            store.close()
            store, more = _afresh(config.state_dir, dry_run, e)
            warnings += more
            partial = _build(config, store, run)
        listed_files = {p for _, files in listed for p, _, _ in files}
        store.set_scanned(scanned, [p for p in known if p not in listed_files])
        store.commit()
        outputs = () if dry_run or partial.output_change else partial.outputs
        if outputs is None:
            outputs = _listed(store.outputs())
        pings = None
        if config.feed.websub_hub:
            pings = announce(config, store, partial.written, dry_run=dry_run, offline=offline)
    finally:
        store.close()
    result = replace(
        partial.result(warnings),
        inputs=inputs_digest((p, stat) for _, files in listed for p, _, stat in files),
        files=len(found),
        outputs=outputs,
        output_change=None if dry_run else partial.output_change,
        pings=pings,
    )
    if fetched is not None:
        result = _with_fetch_problems(result, fetched)
    if not dry_run:
        write_report(config.state_dir, result)
    return result


def _fetch(config: Config, offline: bool, dry_run: bool) -> Collected:
    """The pages of the fetching sources (``remote/``); no network module loads without one."""
    from .remote.collect import collect

    return collect(config, offline=offline, readonly=dry_run)


def _with_fetch_problems(result: BuildResult, fetched: Collected) -> BuildResult:
    """Sitemaps and feeds that could not be fetched count as skipped inputs (exit 1)."""
    problems = [Skipped(url, reason) for url, reason in fetched.problems]
    skipped = tuple(sorted((*result.skipped, *problems), key=lambda s: s.source))
    counts = replace(result.counts, skipped=result.counts.skipped + len(problems))
    warnings = (*result.warnings, *fetched.warnings)
    return replace(result, skipped=skipped, counts=counts, warnings=warnings)


Listed = list[tuple[SourceConfig, list[tuple[str, str, str]]]]
"""Each source and its files: (path or URL, path relative to the source, stat key)."""


def _list_sources(config: Config, scans: Scans) -> Listed:
    """The files of every source, listed with their stats (none is read)."""
    listed: Listed = []
    for source in config.sources:
        where = f"{config.path}: source {source.id!r}"
        if isinstance(source.path, str):  # a URL
            try:
                files = scan_url(source.path, source.patterns)
            except FileNotFoundError as e:
                raise ConfigError([f"{where}: nothing at {source.path}"]) from e
            except (OSError, ValueError) as e:  # never taken for "no articles any more"
                raise ConfigError([f"{where}: cannot list {source.path} ({e})"]) from e
        elif not source.path.exists():
            raise ConfigError([f"{where}: no such folder {source.path}"])
        else:
            scanned = scans.get((str(source.path), source.patterns))
            files = scanned if scanned is not None else scan_files(source.path, source.patterns)
        listed.append((source, files))
    return listed


def _scan(
    config: Config, listed: Listed, known: Mapping[str, ScannedFile]
) -> tuple[list[Found], dict[str, ScannedFile]]:
    """The inputs of the listed files: a folder's files, and each line of a JSON Lines file of
    articles (``articles.scan_articles``, the files whose stat is not that of their ``known``
    scan read); and the scans of the files read."""
    found: list[Found] = []
    read: dict[str, ScannedFile] = {}
    first: dict[str, str] = {}  # shared by the sources: the first line of an id wins
    for source, files in listed:
        if source.kind == "articles":
            try:
                lines, scans = scan_articles(files, source.max_bytes, known, first)
            except OSError as e:
                raise ConfigError([f"{config.path}: source {source.id!r}: {e}"]) from e
            found += lines
            read.update(scans)
        else:
            found.extend(Found(p, p, r, s, source.max_bytes) for p, r, s in files)
    return found, read


def _never(key: str) -> bool:
    return False


def _open(state_dir: Path, dry_run: bool) -> tuple[Store, list[str]]:
    """The state store; an unreadable one is reported and started afresh (in memory for a dry
    run, which must not remove it)."""
    try:
        return Store(state_dir, readonly=dry_run), []
    except StateError as e:
        return _afresh(state_dir, dry_run, e)


def _afresh(state_dir: Path, dry_run: bool, error: StateError) -> tuple[Store, list[str]]:
    warning = f"{error}; starting afresh (every article is read again)"
    if dry_run:
        return Store(state_dir, readonly=True, empty=True), [warning]
    reset(state_dir)
    return Store(state_dir), [warning]


def _build(config: Config, store: Store, run: Run) -> Partial:
    """The run: its inputs planned, read, its outputs planned, published. A dry run's store is
    read-only, so that every write to it is a no-op."""
    fingerprint = run.prints.article
    inputs = plan_inputs(
        run.found, store.stats(), fingerprint, rebuild=run.rebuild, unseen=run.unseen
    )
    key = feed_key(config, fingerprint)
    rendered = store.info("rendered")  # "" while a run writes, so "" here: one was cut short
    unchanged = not inputs.read and not inputs.gone and rendered == key
    # a run that trusts the output as the last build left it looks up only the files it plans
    recorded = store.recorded_outputs() if run.intact else store.outputs()
    damaged = frozenset() if run.intact else damaged_outputs(config.output_dir, recorded)
    if unchanged and recorded and not damaged:
        every = _listed(_whole(recorded, store))
        return replace(unchanged_run(store, len(run.found)), outputs=every)

    touched = [*(f.key for f in inputs.read), *inputs.gone]
    index = _index(store, run, key, rendered, recorded, len(touched))
    with collector_paused():  # only acyclic records: nothing to collect
        records = store.records(touched if index else None)
    before = dict(records)
    legacy = _legacy_dates(config.state_dir, records) if index is None else {}
    read = read_planned(config, store, run, inputs, records)
    forget(config, store, inputs.gone, records)
    read.changes += [Change("remove", k) for k in inputs.gone]
    plan = None
    if index is not None:
        changed = {k: records.get(k) for k in touched}
        ids = {r.meta.id for r in (*before.values(), *changed.values()) if r and r.meta}
        stored_dates = dates = store.dates(ids)
        plan = plan_around(
            changed,
            before,
            dates,
            read.rewritten,
            run.now,
            feed=config.feed,
            site=config.site,
            settings=key,
            written=_Digests(recorded),
            damaged=damaged,
            index=index,
        )
        listed: Sequence[Record] = [r for r in changed.values() if r is not None]
    if plan is None:  # the whole plan, over every record as this run left them
        recorded = _whole(recorded, store)
        written = {r: o.digest for r, o in recorded.items()}
        with collector_paused():  # only acyclic records: nothing to collect
            if index is not None:
                records = store.records()
            stored_dates = store.dates()
            dates = stored_dates or legacy
            found_keys = {f.key for f in run.found}
            listed = [records[f.key] for f in run.found] + [
                records[k] for k in sorted(records) if k not in found_keys
            ]
            plan = plan_outputs(
                listed,
                dates,
                read.rewritten,
                run.now,
                feed=config.feed,
                site=config.site,
                settings=key,
                written=written,
                damaged=damaged,
                unrecorded=_unrecorded(config.output_dir, recorded),
            )
    read.changes += [
        Change("re-date", i)
        for i, d in sorted(plan.dates.items())
        if i in dates and dates[i].changed != d.changed
    ]
    repeated = {
        f.key: f.page.first
        for f in run.found
        if isinstance(f.page, ArticleLine) and f.page.first is not None
    }
    skipped = skipped_of(store, listed, plan, read.kept, touched, repeated)
    store.set_dates(plan.dates, stored_dates)
    store.set_info({"rendered": "", "skipped": skipped_json(skipped)})
    store.commit()  # the articles are safe before any output file changes

    dupes = sum(1 for s in skipped if s.duplicate_of)
    same = len(run.found) - read.new - read.updated
    counts = Counts(read.new, read.updated, same, len(inputs.gone), len(skipped) - dupes, dupes)
    partial = Partial(counts, tuple(read.changes), tuple(skipped), plan.total)
    if not plan.total and skipped:
        return replace(
            partial, warnings=("no article could be built; the previous output is left as it was",)
        )
    articles = Articles(store, read.fresh, records, config.rules, readonly=run.dry_run)
    published = publish(
        config,
        store,
        plan,
        articles,
        recorded=recorded,
        interrupted=not rendered,
        key=key,
        total=plan.total,
        dry_run=run.dry_run,
        jobs=run.jobs,
        # the placements go to a database of their own (state/index.py) while workers render
        meanwhile=lambda: store.set_index(plan.index, key),
    )
    return replace(
        partial,
        warnings=tuple(articles.warnings),
        articles=published.articles,
        written=published.written,
        unchanged=published.unchanged,
        deleted=published.deleted,
        **_outputs_after(recorded, published.changed, published.dropped),
    )


def _index(
    store: Store,
    run: Run,
    settings: str,
    rendered: str | None,
    recorded: Mapping[str, OutputStat],
    touched: int,
) -> StoredIndex | None:
    """The placements of the last plan, to plan around a change (``delta.py``), when the last
    run planned and rendered everything under these settings and the change is small (a
    plan around many changes costs more than the whole plan); else None."""
    if run.rebuild or run.dry_run or not recorded or rendered != settings:
        return None
    if store.info("placed") != settings or touched > max(8, int(store.info("total") or 0) // 20):
        return None
    return store.index()


def _outputs_after(
    recorded: Mapping[str, OutputStat],
    changed: Mapping[str, OutputStat],
    dropped: Sequence[str],
) -> dict[str, Any]:
    """Every output file after a run (``Partial.outputs``), or when the run did not list them
    all, what it changed (``Partial.output_change``)."""
    if not isinstance(recorded, dict):
        return {"output_change": OutputChange(_listed(changed), tuple(dropped))}
    final = {**recorded, **changed}
    for relpath in dropped:
        del final[relpath]
    return {"outputs": _listed(final)}


def _whole(recorded: Mapping[str, OutputStat], store: Store) -> dict[str, OutputStat]:
    """Every recorded output file, read at once (``recorded`` may read them one by one)."""
    return recorded if isinstance(recorded, dict) else store.outputs()


class _Digests(Mapping[str, str]):
    """Each recorded output file → the digest it was rendered from, read when asked for."""

    def __init__(self, recorded: Mapping[str, OutputStat]) -> None:
        self.recorded = recorded

    def __getitem__(self, relpath: str) -> str:
        return self.recorded[relpath].digest

    def __iter__(self) -> Iterator[str]:
        return iter(self.recorded)

    def __len__(self) -> int:
        return len(self.recorded)


def _listed(outputs: Mapping[str, OutputStat]) -> tuple[tuple[str, int, int], ...]:
    return tuple((r, o.size, o.mtime_ns) for r, o in outputs.items())


def _unrecorded(out: Path, recorded: Mapping[str, OutputStat]) -> tuple[str, ...]:
    """Files of the owned folders a state without outputs never recorded (an earlier version's
    or a lost state's), which the plan may remove."""
    return () if recorded else owned_files(out)


def _legacy_dates(state_dir: Path, records: Mapping[str, Record]) -> dict[str, Dates]:
    """First-seen dates kept by versions before the database, so that an upgrade moves nothing."""
    if records:
        return {}
    seen, _ = load_first_seen(state_dir)
    return {i: Dates(first, None, "") for i, first in seen.items()}
