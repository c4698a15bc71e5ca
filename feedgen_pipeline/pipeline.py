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
from .write.view import make_view


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
    view = make_view(articles.values(), config.feed, seen)
    files = render(view)
    written: list[str] = []
    unchanged: list[str] = []
    try:
        for relpath, data in files.items():
            (written if write_if_changed(config.output_dir / relpath, data) else unchanged).append(
                relpath
            )
        _remove_stale_pages(config.output_dir, files)
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


def _remove_stale_pages(output_dir: Path, files: dict[str, bytes]) -> None:
    """Article pages are ours: one whose article left the feed goes too."""
    folder = output_dir / "articles"
    if folder.is_dir():
        for page in folder.glob("*.html"):
            if f"articles/{page.name}" not in files:
                page.unlink()
