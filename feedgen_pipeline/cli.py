"""The command line: a thin shell over the library. The only module that prints."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from . import __version__
from .config import load_config, with_overrides
from .errors import ArticleError, FeedgenError
from .pipeline import build, enrich_file
from .sources import find_files

DESCRIPTION = "Turn a folder of news articles into enriched Atom, RSS 2.0 and JSON Feed 1.1 feeds."


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="feedgen-pipeline", description=DESCRIPTION)
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = commands.add_parser(
        "build",
        help="build the feeds and pages into the output folder",
        description="Read the configured sources and write atom.xml, rss.xml, feed.json, "
        "index.html and articles/ into the output folder. Exit 0: all built; "
        "1: written, but some articles skipped; 2: nothing written.",
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
    p.add_argument("--quiet", action="store_true", help="print nothing but errors")

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


def _build(args: argparse.Namespace) -> int:
    config = with_overrides(
        load_config(args.config), inputs=args.input, output_dir=args.output, base_url=args.base_url
    )
    result = build(config, now=datetime.now(UTC).replace(microsecond=0))
    for warning in result.warnings:
        print(f"warning: {warning}", file=sys.stderr)
    for skipped in result.skipped:
        print(f"skipped: {skipped.source}: {skipped.reason}", file=sys.stderr)
    if not result.articles:
        return 1 if result.skipped else 0
    if not args.quiet:
        print(
            f"{len(result.articles)} articles, {len(result.skipped)} skipped; "
            f"{len(result.written)} files written, {len(result.unchanged)} unchanged "
            f"in {config.output_dir}",
            file=sys.stderr,
        )
    return result.exit_code


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
            else [(p, rel) for p, rel in find_files(given, ("*.html", "*.htm", "*.txt"))]
        )
        if not files and not given.exists():
            print(f"error: {given}: no such file or folder", file=sys.stderr)
            code = 1
        for path, relpath in files:
            try:
                article = enrich_file(path, rules, relpath)
            except ArticleError as e:
                print(f"skipped: {e}", file=sys.stderr)
                code = 1
                continue
            record = article_record(article, str(path), explain=args.explain)
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
    return code
