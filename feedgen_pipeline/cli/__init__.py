"""The command line: a thin shell over the library. The only package that prints."""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

from .. import __version__
from ..errors import FeedgenError
from ..state.lock import StateLock

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..config import Config
    from ..outcome import BuildResult, Skipped
    from ..quick import Checked, Stamp

# The pipeline and the config loader are imported only when a command needs them: a cron run
# that changes nothing ends in the quick check (``quick.py``) without them.

DESCRIPTION = "Turn a folder of news articles into enriched Atom, RSS 2.0 and JSON Feed 1.1 feeds."


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="feedgen-pipeline", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser(
        "build",
        help="build the feeds and pages into the output folder",
        description="Read the configured sources and write atom.xml, rss.xml, feed.json, "
        "index.html and articles/ into the output folder. Only files that changed since the "
        "last run are read, and only output files whose bytes change are written. Exit 0: all "
        "built (duplicates an earlier run reported left out); 1: written, but some articles "
        "skipped or a new duplicate found; 2: nothing written (bad config, another "
        "build holds the lock, output not writable).",
    )
    p.add_argument(
        "--config",
        type=Path,
        default=Path("config.yaml"),
        help="config file (default: config.yaml)",
    )
    p.add_argument(
        "--input",
        type=Path,
        action="append",
        metavar="DIR",
        help="article folder; repeatable; replaces the config's sources",
    )
    p.add_argument(
        "--articles",
        action="append",
        metavar="DIR_OR_FILE_OR_URL",
        help="JSON Lines of enriched articles (what extract --output-dir writes), or a folder "
        "of *.jsonl files, or an fsspec URL of either (s3://bucket/articles/); published as "
        "they are; repeatable; replaces the config's sources",
    )
    p.add_argument("--output", type=Path, metavar="DIR", help="output folder")
    p.add_argument("--base-url", metavar="URL", help="URL the output folder is served at")
    p.add_argument(
        "--quiet", action="store_true", help="print nothing but errors (no summary line)"
    )
    p.add_argument(
        "--jobs",
        type=_positive_int,
        default=os.cpu_count() or 1,
        metavar="N",
        help="read and enrich articles in N processes (default: the number of cores)",
    )
    p.add_argument(
        "--wait",
        type=float,
        default=0.0,
        metavar="SECONDS",
        help="when another build holds the lock, wait up to SECONDS for it (default 0), "
        "then exit 2",
    )
    p.add_argument(
        "--dry-run",
        action="store_true",
        help="print which inputs are new, changed or removed and which output files would "
        "change; write nothing",
    )
    p.add_argument(
        "--offline",
        action="store_true",
        help="fetch nothing: the pages of urls, sitemap and feed sources come from the cache in "
        "the state folder (a page never fetched is skipped)",
    )
    p.add_argument(
        "--rebuild",
        action="store_true",
        help="read and enrich every article again, ignoring the cache (dates are kept)",
    )

    from .extract import add_parser

    add_parser(commands)

    p = commands.add_parser(
        "check",
        help="check the config file and exit",
        description="Load and check the config; print every problem.",
    )
    p.add_argument(
        "--config",
        type=Path,
        default=Path("config.yaml"),
        help="config file (default: config.yaml)",
    )
    return parser


def run() -> NoReturn:
    """The command: ``main``, then an exit that does not free the run's objects one by one, for
    a process that ends anyway (docs/performance.md says what it saves). Every file a command
    writes is closed, and the state committed, before ``main`` returns; only the standard
    streams are left to flush."""
    code = main()
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError):  # a reader that went away (| head)
            stream.flush()
    os._exit(code)


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "extract":
            from .extract import extract

            return extract(args)
        from ..config import load_config

        load_config(args.config)
        print(f"{args.config}: ok")
        return 0
    except FeedgenError as e:
        print(f"error: {e}", file=sys.stderr)
        return e.exit_code


def _positive_int(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


def _overrides(args: argparse.Namespace) -> list[str]:
    """The options that change what a build makes, for the quick check's key."""
    return [repr(args.input), repr(args.articles), repr(args.output), repr(args.base_url)]


def _build(args: argparse.Namespace) -> int:
    started = time.monotonic()
    now = datetime.now(UTC).replace(microsecond=0)
    from ..quick import Checked

    checked = Checked(None, {})
    if not (args.dry_run or args.rebuild):
        code, checked = _quick(args, now, started)
        if code is not None:
            return code
    from ..config import load_config, with_overrides
    from ..pipeline import build

    config = with_overrides(
        load_config(args.config),
        inputs=args.input,
        articles=args.articles,
        output_dir=args.output,
        base_url=args.base_url,
    )
    progress = _Progress() if sys.stderr.isatty() and not args.quiet else None

    def run(dry_run: bool) -> BuildResult:
        return build(
            config,
            now=now,
            jobs=args.jobs,
            dry_run=dry_run,
            rebuild=args.rebuild,
            on_progress=progress,
            offline=args.offline,
            scans=checked.scans,
            intact=checked.intact,
        )

    try:
        if args.dry_run:  # reads the state without the lock: it changes nothing
            result = run(dry_run=True)
        else:
            with StateLock(config.state_dir, now=now, wait=args.wait):
                result = run(dry_run=False)
                _stamp(args, config, result, checked.previous if checked.intact else None)
    finally:
        if progress:
            progress.close()
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    if result.pings:
        hub = result.pings.hub
        for topic, reason in result.pings.failed:
            print(
                f"warning: WebSub hub {hub}: {reason} for {topic}; told again next run",
                file=sys.stderr,
            )
    _print_skipped(result.skipped, args.quiet)
    if args.dry_run:
        _print_dry_run(result, config.output_dir)
    if not args.quiet:
        print(_summary(result, time.monotonic() - started, args.dry_run), file=sys.stderr)
    return result.exit_code


def _quick(args: argparse.Namespace, now: datetime, started: float) -> tuple[int | None, Checked]:
    """The exit code of a run that finds nothing changed since the last build's stamp (None
    when the full pipeline must run), and what it scanned to find out."""
    from ..quick import Checked, check, state_dir_for

    state_dir = state_dir_for(args.config)
    if not (state_dir / "quick.json").exists():
        return None, Checked(None, {})
    with StateLock(state_dir, now=now, wait=args.wait):
        checked = check(args.config, _overrides(args))
    stamp = checked.stamp
    if stamp is None:
        return None, checked
    _print_skipped(stamp.skipped, args.quiet)
    if not args.quiet:
        print(_quick_summary(stamp, time.monotonic() - started), file=sys.stderr)
    return (1 if any(s.counts_as_failure for s in stamp.skipped) else 0), checked


def _print_skipped(skipped: Iterable[Skipped], quiet: bool) -> None:
    """Every skipped input; under ``--quiet``, not the duplicates an earlier run named."""
    for s in skipped:
        if s.counts_as_failure or not quiet:
            print(f"skipped: {shown_path(s.source)}: {s.reason}", file=sys.stderr)


def _quick_summary(stamp: Stamp, seconds: float) -> str:
    dupes = sum(1 for s in stamp.skipped if s.duplicate_of)
    return (
        f"{stamp.total} articles: 0 new, 0 updated, {stamp.files} unchanged, 0 removed, "
        f"{len(stamp.skipped) - dupes} skipped, {dupes} duplicates; 0 files written, 0 removed; "
        f"{seconds:.2f} s"
    )


def _stamp(
    args: argparse.Namespace, config: Config, result: BuildResult, previous: Stamp | None
) -> None:
    """Leave the next run what it needs to see that nothing changed (sources of local files
    and the default state folder only: see ``quick.py``); ``previous``, the stamp that vouched
    for the output this run found."""
    from ..quick import (
        STAMP,
        Stamp,
        code_digest,
        output_stats,
        restamp,
        run_key,
        state_dir_for,
        write,
    )

    urls = any(isinstance(s.path, str) for s in config.sources)
    if config.remote or urls or config.state_dir.resolve() != state_dir_for(args.config):
        return
    change = result.output_change
    listed = result.outputs or (change and previous)
    if result.warnings or not listed or (result.pings and result.pings.pending):
        (config.state_dir / STAMP).unlink(missing_ok=True)  # let the next run look again
        return
    templates = str(config.site.templates) if config.site.templates else None
    if change and previous:
        outputs, folders = restamp(previous, change, str(config.output_dir))
    else:
        outputs, folders = output_stats(str(config.output_dir), result.outputs)
    stamp = Stamp(
        key=run_key(args.config, _overrides(args)),
        code=code_digest(templates),
        sources=tuple((str(s.path), s.patterns) for s in config.sources),
        templates=templates,
        inputs=result.inputs,
        files=result.files,
        outputs=outputs,
        folders=folders,
        total=result.total,
        skipped=result.skipped,
    )
    write(stamp, args.config)


def _summary(result: BuildResult, seconds: float, dry_run: bool) -> str:
    c = result.counts
    files = (
        f"{len(result.written)} files would be written, {len(result.deleted)} removed"
        if dry_run
        else f"{len(result.written)} files written, {len(result.deleted)} removed"
    )
    return (
        f"{result.total} articles: {c.new} new, {c.updated} updated, {c.unchanged} unchanged, "
        f"{c.removed} removed, {c.skipped} skipped, {c.duplicates} duplicates; {files}; "
        f"{seconds:.2f} s"
    )


def _print_dry_run(result: BuildResult, output_dir: Path) -> None:
    for change in result.changes:
        print(f"would {change.kind}: {change.path}")
    rendered = len(result.written) + len(result.unchanged)
    if rendered:
        print(f"would render: {rendered} files, {len(result.unchanged)} of them to the same bytes")
    for relpath in result.written:
        print(f"would write: {output_dir / relpath}")
    for relpath in result.deleted:
        print(f"would delete: {output_dir / relpath}")
    if result.pings:
        for topic in result.pings.sent:
            print(f"would ping: {result.pings.hub} for {topic}")


class _Progress:
    """A progress bar on a terminal, shown only when parsing takes more than a moment."""

    def __init__(self, unit: str = "article") -> None:
        self.bar: Any = None
        self.unit = unit

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm  # only a terminal pays for importing it

            self.bar = tqdm(total=total, unit=self.unit, delay=0.5, file=sys.stderr, leave=False)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


_CONTROL = re.compile("[\x00-\x1f\x7f]")


def shown_path(path: str) -> str:
    """A path for a one-line message: control characters (a newline in a file name) escaped."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], path)
