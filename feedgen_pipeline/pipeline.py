"""The whole run: sources → documents → articles → feed view → files in the output folder."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from .config import Config, Rules
from .enrich import enrich
from .errors import ArticleError, ConfigError, OutputError
from .extract import extract
from .model import Article
from .sources import find_files, read_source
from .state import load_first_seen, save_first_seen, write_if_changed
from .write import render
from .write.view import make_site


@dataclass(frozen=True)
class Skipped:
    """An input that gave no article, and why."""

    source: str
    reason: str


@dataclass(frozen=True)
class BuildResult:
    articles: tuple[Article, ...]
    skipped: tuple[Skipped, ...]
    written: tuple[str, ...]
    """Output files whose bytes changed (relative paths)."""
    unchanged: tuple[str, ...]
    warnings: tuple[str, ...] = field(default=())

    @property
    def exit_code(self) -> int:
        return 1 if self.skipped else 0


def enrich_file(path: Path, rules: Rules, relpath: str | None = None) -> Article:
    """Read, extract and enrich one file. Raises ArticleError naming it."""
    source = read_source(path, relpath or path.name)
    try:
        return enrich(extract(source, rules), rules)
    except ArticleError as e:
        raise ArticleError(str(path), e.reason) from e
    except RecursionError as e:
        raise ArticleError(str(path), "markup nested too deeply to parse") from e
    except Exception as e:  # one broken article must never stop the others
        raise ArticleError(str(path), f"unexpected {type(e).__name__}: {e}") from e


def iter_articles(config: Config) -> Iterator[Article | Skipped]:
    """Every configured source, in order: an Article or the reason there is none."""
    for source in config.sources:
        if not source.path.exists():
            raise ConfigError(
                [f"{config.path}: source {source.id!r}: no such folder {source.path}"]
            )
        for path, relpath in find_files(source.path, source.patterns):
            try:
                yield enrich_file(path, config.rules, relpath)
            except ArticleError as e:
                yield Skipped(str(path), e.reason)


def build(config: Config, *, now: datetime) -> BuildResult:
    """Build every feed and page into ``config.output_dir``.

    ``now`` is only used as the first-seen date of articles that carry no date of their own.
    When no article can be built, nothing is written (the previous output stays).
    """
    articles: dict[str, Article] = {}
    skipped: list[Skipped] = []
    for result in iter_articles(config):
        if isinstance(result, Skipped):
            skipped.append(result)
        elif result.id in articles:
            first = articles[result.id].source
            skipped.append(Skipped(result.source, f"duplicate of {first} (same id {result.id})"))
        else:
            articles[result.id] = result
    if not articles and skipped:
        return BuildResult(
            (),
            tuple(skipped),
            (),
            (),
            ("no article could be built; the previous output is left as it was",),
        )

    seen, warning = load_first_seen(config.state_dir)
    seen.update(first_seen_dates([a for a in articles.values() if a.id not in seen], now))
    site = make_site(articles.values(), config.feed, seen, config.site.min_articles)
    files = render(site, config.site.templates)
    written: list[str] = []
    unchanged: list[str] = []
    try:
        for relpath, data in files.items():
            (written if write_if_changed(config.output_dir / relpath, data) else unchanged).append(
                relpath
            )
        _remove_stale(config.output_dir, files)
        save_first_seen(config.state_dir, seen)
    except OSError as e:
        raise OutputError(f"cannot write {e.filename or config.output_dir}: {e.strerror}") from e
    return BuildResult(
        tuple(articles.values()),
        tuple(skipped),
        tuple(written),
        tuple(unchanged),
        (warning,) if warning else (),
    )


def first_seen_dates(new: list[Article], now: datetime) -> dict[str, datetime]:
    """First-seen dates for articles new in this run: ``now`` for the last in source order and a
    second earlier for each one before it, so that no two entries share a date (feed readers and
    validators take equal dates as a sign of a broken feed) and the order is reproducible."""
    ordered = sorted(new, key=lambda a: a.source)
    return {a.id: now - timedelta(seconds=len(ordered) - 1 - i) for i, a in enumerate(ordered)}


# folders whose every file the build writes: anything else in them is left from earlier runs
OWNED_FOLDERS = ("articles", "countries", "actors")


def _remove_stale(output_dir: Path, files: dict[str, bytes]) -> None:
    """Remove pages and tag feeds that this build no longer writes (a tag feed goes with its
    last article), and the folders they leave empty. Nothing outside OWNED_FOLDERS is touched."""
    for name in OWNED_FOLDERS:
        folder = output_dir / name
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*"), reverse=True):  # files before their folders
            relpath = path.relative_to(output_dir).as_posix()
            if path.is_file() and relpath not in files:
                path.unlink()
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
