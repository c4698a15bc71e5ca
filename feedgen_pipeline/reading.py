"""Reading the files a plan names (``parse.py``) and recording what each gave in the state: the
part of a run that applies ``plan.plan_inputs``."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime

from .config import Config
from .model import Article
from .outcome import Change, Skipped
from .parse import Task, parse_many
from .plan import InputPlan
from .publish import prepare_writers
from .records import Found, Record, StatMark
from .state.fingerprint import Fingerprints
from .state.store import Store


@dataclass(frozen=True)
class Run:
    """What one build is asked to do, as ``build`` was called."""

    found: list[Found]
    prints: Fingerprints
    unseen: Callable[[str], bool]
    now: datetime
    jobs: int
    dry_run: bool
    rebuild: bool
    on_progress: Callable[[int, int], None] | None
    intact: bool = False
    """The output is as the last build left it (``quick.Checked.intact``)."""


@dataclass
class Read:
    """What reading the planned files did to the records."""

    changes: list[Change] = field(default_factory=list)
    rewritten: set[str] = field(default_factory=set)
    """Ids of articles whose file's bytes changed."""
    kept: list[Skipped] = field(default_factory=list)
    """Published articles whose file now fails: their last good version stays."""
    fresh: dict[str, Article] = field(default_factory=dict)
    """A dry run's articles, which it does not store."""
    new: int = 0
    updated: int = 0


def read_planned(
    config: Config, store: Store, run: Run, inputs: InputPlan, records: dict[str, Record]
) -> Read:
    """Parse (or enrich again) the files the plan reads, and record what each gave."""
    prints, fingerprint = run.prints, run.prints.article
    tasks = [
        Task(
            f.path,
            f.relpath,
            _known_sha(records.get(f.key), fingerprint, run.rebuild),
            f.max_bytes,
            f.page,
            _stored_document(store, f, records.get(f.key), prints)
            if f.key in inputs.reenrich
            else None,
        )
        for f in inputs.read
    ]
    read = Read()
    parsed_files = parse_many(
        tasks,
        config.rules,
        run.jobs,
        run.on_progress,
        articles=run.dry_run,
        meanwhile=None if run.dry_run else lambda: prepare_writers(config),
    )
    for f, parsed in zip(inputs.read, parsed_files, strict=True):
        old = records.get(f.key)
        if parsed.document is not None:
            store.put_document(f.key, prints.document, parsed.sha, parsed.document)
        if parsed.same and old is not None:
            records[f.key] = replace(old, stat=f.stat)
            store.restat(f.key, f.stat)
            continue
        if parsed.meta is None and old is not None and old.meta is not None:
            # nothing lost: a published article that now fails keeps its last good version, and
            # its record a stat no input has, so that every run reads it again and names it
            # (also once it is back with the very bytes and stat it had: a page served again)
            why = f"{parsed.reason}; its last good version stays published"
            read.kept.append(Skipped(f.key, why))
            store.restat(f.key, StatMark.FAILED)
            continue
        meta = parsed.meta
        seen = old.seen if old else run.now
        record = Record(f.key, f.stat, parsed.sha, fingerprint, seen, meta, parsed.reason)
        records[f.key] = record
        if old is None:
            read.new += 1
            read.changes.append(Change("add", f.key))
        elif old.sha != parsed.sha:
            read.updated += 1
            read.changes.append(Change("change", f.key))
            if meta:
                read.rewritten.add(meta.id)
        elif old.fingerprint != fingerprint:
            read.changes.append(Change("re-enrich", f.key))
        if run.dry_run and parsed.article:
            read.fresh[f.key] = parsed.article
        store.put(record, parsed.encoded or parsed.article)
    return read


def forget(config: Config, store: Store, gone: Sequence[str], records: dict[str, Record]) -> None:
    """Records whose file is gone: dropped, or kept as they were (``output.removed: keep``)."""
    for k in gone:
        if config.removed == "drop":
            del records[k]
        else:
            records[k] = replace(records[k], stat=StatMark.GONE)
            store.restat(k, StatMark.GONE)
    if config.removed == "drop":
        store.drop(gone)


def _stored_document(
    store: Store, found: Found, record: Record | None, prints: Fingerprints
) -> tuple[str, bytes] | None:
    """The Document the state keeps for a file whose article is out of date while its
    extraction may not be (the tagging rules changed): (hash of its bytes, the Document)."""
    if record is None:
        return None
    data = store.document(found.key, prints.document, record.sha)
    return None if data is None else (record.sha, data)


def _known_sha(record: Record | None, fingerprint: str, rebuild: bool) -> str | None:
    if (
        record is None
        or rebuild
        or record.fingerprint != fingerprint
        or record.stat is StatMark.GONE
    ):
        return None
    return record.sha
