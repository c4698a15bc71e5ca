"""What a run reports of the inputs it skipped: ``report.json`` in the state folder for other
programs, and the list the state keeps, from which the next run tells a duplicate it has already
reported (named once, then quiet) from a new one."""

from __future__ import annotations

import json
from pathlib import Path

from .outcome import BuildResult, Skipped
from .state.files import write_if_changed
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
