"""Load config.yaml into frozen dataclasses, checking everything once at the door.

Every problem is reported at once, each naming the file, the line and the dotted key path.
Built-in rules (``data/rules.yaml``) are merged under the user's ``rules:`` (``rules.py``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from ..errors import ConfigError
from .fetch import (
    REMOTE_KINDS,
    FetchConfig,
    RemoteSource,
    parse_fetch,
    parse_remote_source,
    remote_keys,
)
from .rules import (
    Rules,
    Selector,
    annotate,
    builtin_rules,
    default_rules,
    merge,
    parse_rules,
)
from .yamlcheck import Checker, kind_of, load_yaml

__all__ = [
    "ARTICLE_PATTERNS",
    "DEFAULT_PATTERNS",
    "PACKAGE_DIR",
    "Config",
    "FeedConfig",
    "MinArticles",
    "Rules",
    "Selector",
    "SiteConfig",
    "SourceConfig",
    "base_url_problem",
    "default_rules",
    "load_config",
    "normalise_base_url",
    "parse_config",
    "with_overrides",
]


@dataclass(frozen=True)
class FeedConfig:
    title: str
    base_url: str
    """Absolute http(s) URL ending in a slash: where output/ is served."""
    description: str
    author: str
    language: str | None
    max_entries: int
    websub_hub: str | None = None
    """A WebSub hub: named in every subscription document, and told of each one that changed."""


@dataclass(frozen=True)
class SourceConfig:
    id: str
    path: Path | str
    """A folder or file; a ``str`` is an fsspec URL (``s3://bucket/articles/``), which only
    ``articles`` sources read."""
    patterns: tuple[str, ...]
    max_bytes: int = 10_000_000
    """Larger files are skipped with a message, never read."""
    kind: Literal["folder", "articles"] = "folder"
    """``articles``: JSON Lines files of enriched articles (``articles.py``), each line an
    input, published as it is (``extract --output-dir`` writes them)."""


@dataclass(frozen=True)
class MinArticles:
    """A country or actor gets a feed and a page when tagged on at least this many articles.

    Actors need more than countries: real news names thousands of people and organisations
    once, and a feed of one article is not one anybody subscribes to."""

    countries: int = 1
    actors: int = 5

    def of(self, kind: str) -> int:
        return self.countries if kind == "countries" else self.actors


@dataclass(frozen=True)
class SiteConfig:
    min_articles: MinArticles = MinArticles()
    templates: Path | None = None
    """A folder whose templates replace the built-in ones of the same name."""
    tag_feed_content: Literal["summary", "full"] = "summary"
    """What a tag's feeds carry of each entry: its summary (the main feeds carry the full text),
    or the full text too."""
    tag_max_entries: int = 20
    """Newest entries kept in each tag's feed (``feed.max_entries`` is the main feeds')."""
    feed_stylesheet: bool = False
    """Write feed.xsl and name it in every Atom and RSS feed, so that a browser lays the feed out
    as a page. Off by default: browsers are removing XSLT (Chromium already warns over it)."""


@dataclass(frozen=True)
class Config:
    path: Path
    feed: FeedConfig
    sources: tuple[SourceConfig, ...]
    output_dir: Path
    state_dir: Path
    rules: Rules
    removed: Literal["drop", "keep"] = "drop"
    """What happens to the entry of an article whose file is gone: dropped, or kept as it was."""
    site: SiteConfig = SiteConfig()
    remote: tuple[RemoteSource, ...] = ()
    """Sources fetched over HTTP (after the folders in source order; see ``remote/``)."""
    fetch: FetchConfig = FetchConfig()  # noqa: RUF009 (frozen: one shared default is safe)


DEFAULT_PATTERNS = ("*.html", "*.htm", "*.txt")
ARTICLE_PATTERNS = ("*.jsonl",)
"""The files of an ``articles`` source: JSON Lines of enriched articles."""
LOCAL_KINDS = ("folder", "articles")
PACKAGE_DIR = Path(__file__).resolve().parent.parent
# ---------------------------------------------------------------- the whole config


def load_config(path: str | Path) -> Config:
    """Read and check a config file. Raises ConfigError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as e:
        raise ConfigError([f"{path}: cannot read config: {e}"]) from e
    return parse_config(text, path)


def parse_config(text: str, path: Path) -> Config:
    """Check config text; relative paths in it are relative to the folder of ``path``."""
    data, lines = load_yaml(text, str(path))
    check = Checker(str(path), lines)
    root = check.mapping(data, "", ("feed", "sources", "output", "site", "rules", "fetch"))
    feed = _feed(check, root.get("feed"))
    sources, remote = _sources(check, root.get("sources"), path.parent)
    fetch = parse_fetch(check, root.get("fetch"))
    output = check.mapping(root.get("output"), "output", ("dir", "state_dir", "removed"))
    output_dir = path.parent / check.get(output, "output", "dir", str, "output")
    state_dir = path.parent / check.get(output, "output", "state_dir", str, ".feedgen-state")
    removed = check.get(output, "output", "removed", str, "drop")
    if removed not in ("drop", "keep"):
        check.problem("output.removed", f"expected drop or keep, got {removed!r}")
        removed = "drop"

    site = _site(check, root.get("site"), path.parent)
    user_rules = root.get("rules")
    if user_rules is not None and not isinstance(user_rules, dict):
        check.problem("rules", f"expected a mapping, got {kind_of(user_rules)}")
        user_rules = None
    rules = parse_rules(check, merge(builtin_rules(), annotate(user_rules or {}, "rules")))
    if check.problems:
        raise ConfigError(check.problems)
    assert feed is not None
    return Config(path, feed, sources, output_dir, state_dir, rules, removed, site, remote, fetch)


def _site(check: Checker, raw: Any, folder: Path) -> SiteConfig:
    keys = ("min_articles", "templates", "tag_feed_content", "tag_max_entries", "feed_stylesheet")
    data = check.mapping(raw, "site", keys)
    tag_max = check.get(data, "site", "tag_max_entries", int, SiteConfig.tag_max_entries)
    if tag_max < 1:
        check.problem("site.tag_max_entries", "must be at least 1")
    templates = check.get(data, "site", "templates", str, None)
    if templates is not None and not (folder / templates).is_dir():
        check.problem("site.templates", f"no such folder: {folder / templates}")
    stylesheet = check.get(data, "site", "feed_stylesheet", bool, False)
    content = check.get(data, "site", "tag_feed_content", str, "summary")
    if content not in ("summary", "full"):
        check.problem("site.tag_feed_content", f"expected summary or full, got {content!r}")
        content = "summary"
    path = "site.min_articles"
    raw_min = data.get("min_articles")
    if isinstance(raw_min, int) and not isinstance(raw_min, bool):  # one number for both kinds
        raw_min = {"countries": raw_min, "actors": raw_min}
    given = check.mapping(raw_min, path, ("countries", "actors"))
    counts = [check.get(given, path, kind, int, getattr(MinArticles(), kind)) for kind in KINDS]
    for kind, count in zip(KINDS, counts, strict=True):
        if count < 1:
            check.problem(f"{path}.{kind}" if kind in given else path, "must be at least 1")
    least = MinArticles(*counts)
    templates_dir = folder / templates if templates else None
    return SiteConfig(least, templates_dir, content, tag_max, stylesheet)


KINDS = ("countries", "actors")


def _feed(check: Checker, raw: Any) -> FeedConfig | None:
    keys = ("title", "base_url", "description", "author", "language", "max_entries", "websub_hub")
    data = check.mapping(raw, "feed", keys)
    if raw is None:
        check.problem("feed", "required key is missing")
    title = check.get(data, "feed", "title", str, "", required=True)
    base_url = check.get(data, "feed", "base_url", str, "", required=True)
    if base_url:
        problem = base_url_problem(base_url)
        if problem:
            check.problem("feed.base_url", problem)
    max_entries = check.get(data, "feed", "max_entries", int, 50)
    if max_entries < 1:
        check.problem("feed.max_entries", "must be at least 1")
    hub = check.get(data, "feed", "websub_hub", str, None)
    if hub is not None and (problem := base_url_problem(hub)):
        check.problem("feed.websub_hub", problem)
    return FeedConfig(
        title=title,
        base_url=normalise_base_url(base_url),
        description=check.get(data, "feed", "description", str, title),
        author=check.get(data, "feed", "author", str, title),
        language=check.get(data, "feed", "language", str, None),
        max_entries=max_entries,
        websub_hub=hub,
    )


def base_url_problem(url: str) -> str | None:
    """Why ``url`` cannot be a feed's base URL, or None."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return f"expected an absolute http(s) URL, got {url!r}"
    if parts.query or parts.fragment:
        return "must not have a query or fragment"
    return None


def normalise_base_url(url: str) -> str:
    return url if url.endswith("/") or not url else url + "/"


def _sources(
    check: Checker, raw: Any, folder: Path
) -> tuple[tuple[SourceConfig, ...], tuple[RemoteSource, ...]]:
    """The folder sources and the fetching ones."""
    if raw is None:
        check.problem("sources", "required key is missing")
        return (), ()
    if not isinstance(raw, list):
        check.problem("sources", f"expected a list, got {kind_of(raw)}")
        return (), ()
    out = []
    remote = []
    ids: set[str] = set()
    for i, item in enumerate(raw):
        path = f"sources[{i}]"
        kind = item.get("type", "folder") if isinstance(item, dict) else "folder"
        if kind in REMOTE_KINDS:
            data = check.mapping(item, path, remote_keys(kind))
        else:
            data = check.mapping(item, path, ("id", "type", "path", "patterns", "max_bytes"))
        kind = check.get(data, path, "type", str, "folder")
        if kind not in LOCAL_KINDS and kind not in REMOTE_KINDS:
            known = ", ".join((*LOCAL_KINDS, *REMOTE_KINDS))
            check.problem(f"{path}.type", f"unknown source type {kind!r} (known: {known})")
        source_id = check.get(data, path, "id", str, f"source-{i + 1}")
        if source_id in ids:
            check.problem(f"{path}.id", f"duplicate source id {source_id!r}")
        ids.add(source_id)
        if kind in REMOTE_KINDS:
            remote.append(parse_remote_source(check, data, path, kind, source_id, folder))
            continue
        where = check.get(data, path, "path", str, "", required=True)
        articles = kind == "articles"
        default = ARTICLE_PATTERNS if articles else DEFAULT_PATTERNS
        patterns = check.string_list(data, path, "patterns", default)
        max_bytes = check.get(data, path, "max_bytes", int, 10_000_000)
        if max_bytes < 1:
            check.problem(f"{path}.max_bytes", "must be at least 1")
        local: Literal["folder", "articles"] = "articles" if articles else "folder"
        if _is_url(where) and not articles:
            check.problem(f"{path}.path", "a URL: only sources of type articles read URLs")
        place = where if _is_url(where) else folder / where
        out.append(SourceConfig(source_id, place, patterns, max_bytes, local))
    return tuple(out), tuple(remote)


def _is_url(where: str) -> bool:
    """An fsspec URL rather than a path (as ``sources.is_url`` tells, a layer above)."""
    return "://" in where


def with_overrides(
    config: Config,
    *,
    inputs: list[Path] | None = None,
    articles: list[str] | None = None,
    output_dir: Path | None = None,
    base_url: str | None = None,
) -> Config:
    """The config with command-line overrides applied: ``inputs`` (folders of articles) and
    ``articles`` (JSON Lines files of enriched articles, or folders of them, as paths or
    fsspec URLs) replace the configured sources."""
    if base_url is not None:
        problem = base_url_problem(base_url)
        if problem:
            raise ConfigError([f"--base-url: {problem}"])
        config = replace(config, feed=replace(config.feed, base_url=normalise_base_url(base_url)))
    if inputs or articles:
        folders = [
            SourceConfig(f"input-{i + 1}", p, DEFAULT_PATTERNS) for i, p in enumerate(inputs or [])
        ]
        lines = [
            SourceConfig(
                f"articles-{i + 1}", p if _is_url(p) else Path(p), ARTICLE_PATTERNS, kind="articles"
            )
            for i, p in enumerate(articles or [])
        ]
        config = replace(config, sources=(*folders, *lines), remote=())
    if output_dir is not None:
        config = replace(config, output_dir=output_dir)
    return config
