"""``feedgen-pipeline extract``: the enriched article of each page, printed as JSON Lines, or
written as partitions (``--output-dir``) in this process or on a Dask cluster (``--dask``)."""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import ArticleError, UsageError
from . import _positive_int, _Progress, shown_path

if TYPE_CHECKING:
    from ..config import Config, Rules
    from ..extraction import Done, Job
    from ..model import Article


def add_parser(commands: Any) -> None:
    """The ``extract`` command and its options."""
    p = commands.add_parser(
        "extract",
        help="print the enriched article of each input file as JSON Lines",
        description="Print one JSON object per input file (directories are searched) with "
        "the article's standard fields and its _enrichment. With --output-dir, write the "
        "articles as JSON Lines partitions that build --articles publishes, in this process "
        "or on a Dask cluster (--dask; pip install 'feedgen-pipeline[dask]'); inputs and the "
        "output folder may then be fsspec URLs (s3://bucket/pages/), and inputs web pages "
        "(https://…, fetched as the config's fetch: section says). Exit 0: every page "
        "gave an article; 1: some skipped (each named); 2: partitions not written (run "
        "again to finish them), or nothing could start.",
    )
    p.add_argument("paths", nargs="*", metavar="FILE_OR_DIR_OR_URL")

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
    p.add_argument(
        "--list",
        action="append",
        default=[],
        metavar="FILE",
        help="a file (or URL) naming one input a line: a page, a folder or a URL; repeatable "
        "(with --output-dir)",
    )
    p.add_argument(
        "--output-dir",
        metavar="DIR_OR_URL",
        help="write the articles as JSON Lines partitions there (part-*.jsonl), each whole or "
        "not at all; a run cut short is finished by running it again",
    )
    p.add_argument(
        "--dask",
        metavar="ADDRESS",
        help="run on the Dask cluster whose scheduler is at ADDRESS (tcp://host:8786), or on "
        "local:N, N worker processes on this machine (with --output-dir)",
    )
    p.add_argument(
        "--partition-size",
        type=_positive_int,
        default=100,
        metavar="N",
        help="at most N pages a partition (default 100; a small job gets smaller ones)",
    )


def extract(args: argparse.Namespace) -> int:
    """The command: one JSON object a page on stdout, or partitions with --output-dir."""
    from ..config import default_rules, load_config

    if args.output_dir is None and (args.dask or args.list):
        raise UsageError("--dask and --list write partitions: give --output-dir")
    if args.output_dir is not None and args.explain:
        raise UsageError("--explain prints: it goes without --output-dir")
    if not (args.paths or args.list):
        raise UsageError("give a file, folder or URL to read (or --list)")
    config = load_config(args.config) if args.config.exists() else None
    rules = config.rules if config else default_rules()
    if args.output_dir is not None:
        return _partitions(args, rules, config)
    return _printed(args, rules)


def _printed(args: argparse.Namespace, rules: Rules) -> int:
    """``extract`` without ``--output-dir``: one JSON object a page on stdout."""
    from ..config import DEFAULT_PATTERNS
    from ..parse import enrich_file
    from ..sources import scan_files
    from ..write.jsonfeed import article_record

    now = datetime.now(UTC).replace(microsecond=0)
    code = 0
    out = sys.stdout
    for given in map(Path, args.paths):
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
            record = article_record(_read_by(article, now), str(path), explain=args.explain)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return code


def _partitions(args: argparse.Namespace, rules: Rules, config: Config | None) -> int:
    """``extract --output-dir``: partitions written here or on a Dask cluster; pages named by
    http(s) URLs fetched as the config's ``fetch`` says (without a config, none is)."""
    from ..extraction import Fetching, finish, plan, run_here

    started = time.monotonic()
    fetching = None
    if config is not None:
        fetching = Fetching(config.fetch, config.fetch.contact or config.feed.base_url)
    job = plan(args.paths, args.list, args.output_dir, rules, args.partition_size, fetching)
    progress = _Progress("page") if sys.stderr.isatty() else None
    try:
        if args.dask is None:
            done = run_here(job, progress)
        else:
            done = _on_cluster(args.dask, job, progress)
    finally:
        if progress:
            progress.close()
    result = finish(job, done)
    for s in result.skipped:
        print(f"skipped: {shown_path(s.source)}: {s.reason}", file=sys.stderr)
    for f in result.failed:
        print(f"error: {f.source} not written: {f.reason}", file=sys.stderr)
    if result.failed:
        print("error: the output is not complete: run again to finish it", file=sys.stderr)
    before = f" ({result.resumed} written before)" if result.resumed else ""
    print(
        f"{result.pages} pages: {result.articles} articles in {result.partitions} partitions"
        f"{before}, {len(result.skipped)} skipped; {time.monotonic() - started:.2f} s",
        file=sys.stderr,
    )
    return result.exit_code


def _on_cluster(address: str, job: Job, progress: _Progress | None) -> list[Done]:
    local = address.removeprefix("local:")
    if local != address and not (local.isdigit() and int(local) > 0):
        raise UsageError(f"--dask {address}: expected local:N, N at least 1")
    try:
        from ..cluster import run_on_cluster
    except ImportError as e:
        extra = "pip install 'feedgen-pipeline[dask]'"
        raise UsageError(f"--dask needs the dask extra: {extra} ({e})") from e

    return run_on_cluster(address, job, progress)


def _read_by(article: Article, now: datetime) -> Article:
    """The article without a date later than now: that is not when the page was published (a
    build's plan says the same of a date later than the article was first seen)."""
    from dataclasses import replace

    from ..model import Evidence, read_by

    published = read_by(article.published, now)
    if article.published is None or published is not None:
        return article
    dropped = Evidence("published", "later-than-now", article.published.isoformat())
    updated = read_by(article.updated, now)
    return replace(article, published=None, updated=updated, evidence=(*article.evidence, dropped))
