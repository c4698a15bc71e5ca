"""What a build did: its result, the inputs it skipped and why, the changes it saw. Plain
records for the command line and for other programs."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # the no-change check reads Skipped without importing the model
    from .model import Article


@dataclass(frozen=True)
class Skipped:
    """An input that gave no article, and why."""

    source: str
    reason: str
    duplicate_of: str | None = None
    """For a duplicate, the source of the article published in its place."""
    known: bool = False
    """A duplicate an earlier run reported already: it neither sets the exit code nor prints
    under ``--quiet`` again (wire copies and re-saved pages make duplicates normal)."""

    @property
    def counts_as_failure(self) -> bool:
        return self.duplicate_of is None or not self.known


@dataclass(frozen=True)
class Change:
    """What a run does to an input: a file new, changed or removed since the last run, made
    again under new rules without a change of its own, or an article whose change date moves."""

    kind: str
    """``add``, ``change``, ``remove``, ``re-enrich`` or ``re-date``."""
    path: str
    """The file's key; for ``re-date``, the article's id."""


@dataclass(frozen=True)
class Counts:
    """Input files by what happened to them in this run."""

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: int = 0
    """Inputs that gave no article, duplicates left out."""
    duplicates: int = 0


@dataclass(frozen=True)
class Pings:
    """What a build told the hub, or with ``--dry-run`` would have told it."""

    hub: str
    sent: tuple[str, ...] = ()
    """Topics the hub was told of (with ``--dry-run``: would be)."""
    failed: tuple[tuple[str, str], ...] = ()
    """Topics whose ping failed, with the reason: told again next run."""
    pending: tuple[str, ...] = ()
    """Topics left for the next run (the failed ones, or all of them offline)."""


@dataclass(frozen=True)
class BuildResult:
    articles: tuple[Article, ...]
    """The entries the feeds show, newest first (empty when the run rendered nothing)."""
    skipped: tuple[Skipped, ...]
    written: tuple[str, ...]
    """Output files whose bytes changed (relative paths); with ``dry_run``, would change."""
    unchanged: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())
    counts: Counts = field(default=Counts())
    total: int = 0
    """Articles in the feeds' pool (before the feeds' cap)."""
    changes: tuple[Change, ...] = field(default=())
    deleted: tuple[str, ...] = field(default=())
    """Output files removed (pages of articles that left the feeds)."""
    inputs: str = ""
    """Digest of the stats of the files of the folder and articles sources (for a source of
    articles, its JSON Lines files) as this run listed them (``quick.inputs_digest``)."""
    files: int = 0
    """Inputs scanned (each line of a JSON Lines file of articles is one)."""
    outputs: tuple[tuple[str, int, int], ...] = field(default=())
    """Every output file the state records after this run: (relative path, size, mtime), in
    no particular order; empty for a run that knows only ``output_change``."""
    output_change: OutputChange | None = None
    """What a run that trusted the output as the last build left it (and so did not list it
    whole) changed in it."""
    pings: Pings | None = None
    """What the WebSub hub was told (``feed.websub_hub`` only)."""

    @property
    def exit_code(self) -> int:
        failed_pings = self.pings is not None and self.pings.failed
        return 1 if failed_pings or any(s.counts_as_failure for s in self.skipped) else 0


@dataclass(frozen=True)
class OutputChange:
    """The output files a run wrote or checked, (relative path, size, mtime), and those it
    removed."""

    files: tuple[tuple[str, int, int], ...]
    removed: tuple[str, ...]


@dataclass(frozen=True)
class Partial:
    """A build's result before the fetching sources' problems and the state's warnings."""

    counts: Counts
    changes: tuple[Change, ...]
    skipped: tuple[Skipped, ...]
    total: int
    articles: tuple[Article, ...] = ()
    written: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    deleted: tuple[str, ...] = ()
    warnings: tuple[str, ...] = ()
    outputs: tuple[tuple[str, int, int], ...] | None = None
    """Every output file the state records after the run, when the run knows them."""
    output_change: OutputChange | None = None

    def result(self, warnings: list[str]) -> BuildResult:
        return BuildResult(
            articles=self.articles,
            skipped=self.skipped,
            written=self.written,
            unchanged=self.unchanged,
            warnings=(*warnings, *self.warnings),
            counts=self.counts,
            total=self.total,
            changes=self.changes,
            deleted=self.deleted,
        )
