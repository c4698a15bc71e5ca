"""What a run reports of the inputs it skipped: ``report.json`` in the state folder for other
programs, and the list the state keeps, from which the next run tells a duplicate it has already
reported (named once, then quiet) from a new one."""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping, Sequence
from pathlib import Path

from .files import write_if_changed
from .outcome import BuildResult, Counts, Partial, Skipped
from .plan import OutputPlan
from .records import Record
from .state.store import Store

REPORT = "report.json"


def write_report(state_dir: Path, result: BuildResult) -> None:
    """The last run's skipped files and why, for other programs (never published). It holds no
    counts, so that a run that changes nothing leaves it, like everything else, untouched."""
    report = {
        "skipped": [
            {"source": s.source, "reason": s.reason}
            | ({"duplicate_of": s.duplicate_of} if s.duplicate_of else {})
            for s in result.skipped
        ],
        "warnings": list(result.warnings),
    }
    data = json.dumps(report, ensure_ascii=False, indent=1) + "\n"
    write_if_changed(state_dir / REPORT, data.encode("utf-8"))


def reported(store: Store) -> tuple[Skipped, ...]:
    """What the last run skipped, as reported then; a duplicate is known from now on."""
    listed = json.loads(store.info("skipped") or "[]")
    return tuple(
        Skipped(s, r, duplicate_of=rest[0], known=True) if rest and rest[0] else Skipped(s, r)
        for s, r, *rest in listed
    )


def skipped_json(skipped: list[Skipped]) -> str:
    return json.dumps([[s.source, s.reason, s.duplicate_of] for s in skipped], ensure_ascii=False)


def skipped_of(
    store: Store,
    records: Sequence[Record],
    plan: OutputPlan,
    kept: Sequence[Skipped],
    touched: Collection[str],
    repeated: Mapping[str, str],
) -> list[Skipped]:
    """Every input that gave no article this run, by source; a duplicate the last run named
    already is known. ``records``: every record, or for a plan around a change (whose
    duplicates are only new ones), the ``touched`` inputs': the last run's list stands for the
    others. ``repeated``: the lines of articles that repeat an earlier line's id, each → the
    place of that line (``records.ArticleLine.first``)."""
    last = reported(store)
    known = {(s.source, s.duplicate_of) for s in last if s.duplicate_of}
    skipped = [
        Skipped(r.key, r.reason, repeated.get(r.key), (r.key, repeated.get(r.key)) in known)
        for r in records
        if r.reason is not None
    ]
    if plan.incremental:
        skipped += [s for s in last if s.source not in touched]
    skipped += [
        Skipped(
            d.key,
            f"duplicate of {d.winner} ({d.why})",
            duplicate_of=d.winner,
            known=(d.key, d.winner) in known,
        )
        for d in plan.duplicates
    ]
    return sorted([*skipped, *kept], key=lambda s: s.source)


def unchanged_run(store: Store, files: int) -> Partial:
    """Nothing changed: the previous run's skipped files are named again, nothing is written."""
    skipped = reported(store)
    dupes = sum(1 for s in skipped if s.duplicate_of)
    total = int(store.info("total") or 0)
    counts = Counts(unchanged=files, skipped=len(skipped) - dupes, duplicates=dupes)
    return Partial(counts, (), skipped, total)
