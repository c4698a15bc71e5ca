"""The command line: a thin shell over the library. The only module that prints."""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from . import __version__
from .config import DEFAULT_PATTERNS, load_config, with_overrides
from .errors import ArticleError, FeedgenError
from .pipeline import BuildResult, build, enrich_file
from .sources import scan_files
from .state.lock import StateLock

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
        "built; 1: written, but some articles skipped; 2: nothing written (bad config, another "
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

    p = commands.add_parser(
        "extract",
        help="print the enriched article of each input file as JSON Lines",
        description="Print one JSON object per input file (directories are searched) with "
        "the article's standard fields and its _enrichment.",
    )
    p.add_argument("paths", type=Path, nargs="+", metavar="FILE_OR_DIR")
    p.add_argument(
        "--config",
        type=Path,
        default=Path("config.yaml"),
        help="config file for the rules (default: config.yaml, if present)",
    )
    p.add_argument(
        "--explain",
        action="store_true",
        help="add _explain: which rule produced each field and tag, from which text",
    )

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


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            return _build(args)
        if args.command == "extract":
            return _extract(args)
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


def _build(args: argparse.Namespace) -> int:
    started = time.monotonic()
    config = with_overrides(
        load_config(args.config), inputs=args.input, output_dir=args.output, base_url=args.base_url
    )
    now = datetime.now(UTC).replace(microsecond=0)
    progress = _Progress() if sys.stderr.isatty() and not args.quiet else None
    options: dict[str, Any] = {
        "now": now,
        "jobs": args.jobs,
        "rebuild": args.rebuild,
        "on_progress": progress,
        "offline": args.offline,
    }
    try:
        if args.dry_run:  # reads the state without the lock: it changes nothing
            result = build(config, dry_run=True, **options)
        else:
            with StateLock(config.state_dir, now=now, wait=args.wait):
                result = build(config, **options)
    finally:
        if progress:
            progress.close()
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for skipped in result.skipped:
        print(f"skipped: {shown_path(skipped.source)}: {skipped.reason}", file=sys.stderr)
    if args.dry_run:
        _print_dry_run(result, config.output_dir)
    if not args.quiet:
        print(_summary(result, time.monotonic() - started, args.dry_run), file=sys.stderr)
    return result.exit_code


def _summary(result: BuildResult, seconds: float, dry_run: bool) -> str:
    c = result.counts
    files = (
        f"{len(result.written)} files would be written, {len(result.deleted)} removed"
        if dry_run
        else f"{len(result.written)} files written, {len(result.deleted)} removed"
    )
    return (
        f"{result.total} articles: {c.new} new, {c.updated} updated, {c.unchanged} unchanged, "
        f"{c.removed} removed, {c.skipped} skipped; {files}; {seconds:.2f} s"
    )


def _print_dry_run(result: BuildResult, output_dir: Path) -> None:
    for change in result.changes:
        print(f"would {change.kind}: {change.path}")
    for relpath in result.written:
        print(f"would write: {output_dir / relpath}")
    for relpath in result.deleted:
        print(f"would delete: {output_dir / relpath}")


class _Progress:
    """A progress bar on a terminal, shown only when parsing takes more than a moment."""

    def __init__(self) -> None:
        self.bar: Any = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm  # only a terminal pays for importing it

            self.bar = tqdm(total=total, unit="article", delay=0.5, file=sys.stderr, leave=False)
        self.bar.update(done - self.bar.n)

    def close(self) -> None:
        if self.bar is not None:
            self.bar.close()


_CONTROL = re.compile("[\x00-\x1f\x7f]")


def shown_path(path: str) -> str:
    """A path for a one-line message: control characters (a newline in a file name) escaped."""
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], path)


def _extract(args: argparse.Namespace) -> int:
    from .config import default_rules
    from .write.jsonfeed import article_record

    rules = load_config(args.config).rules if args.config.exists() else default_rules()
    code = 0
    out = sys.stdout
    for given in args.paths:
        files = (
            [(given, given.name)]
            if given.is_file()
            else [(Path(p), rel) for p, rel, _ in scan_files(given, DEFAULT_PATTERNS)]
        )
        if not files and not given.exists():
            print(f"error: {given}: no such file or folder", file=sys.stderr)
            code = 1
        for path, relpath in files:
            try:
                article = enrich_file(path, rules, relpath)
            except ArticleError as e:
                print(f"skipped: {shown_path(e.source)}: {e.reason}", file=sys.stderr)
                code = 1
                continue
            record = article_record(article, str(path), explain=args.explain)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return code
