"""Load config.yaml into frozen dataclasses, checking everything once at the door.

Every problem is reported at once, each naming the file, the line and the dotted key path.
Built-in rules (``data/rules.yaml``) are merged under the user's ``rules:``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cached_property
from pathlib import Path
from typing import Any, Literal
from urllib.parse import urlsplit

from .errors import ConfigError
from .fetch_config import (
    REMOTE_KINDS,
    FetchConfig,
    RemoteSource,
    parse_fetch,
    parse_remote_source,
    remote_keys,
)
from .regexes import UnsafeRegex, compile_rule
from .tagging_rules import ENTRY_PATH_KEY, TaggingRules, parse_tagging, read_data
from .yamlcheck import Checker, Lines, kind_of, load_yaml


@dataclass(frozen=True)
class Pattern:
    """A regex rule with an id that ``--explain`` can name."""

    id: str
    regex: re.Pattern[str]


@dataclass(frozen=True)
class Selector:
    """A CSS selector rule with an id."""

    id: str
    selector: str


@dataclass(frozen=True)
class Rules:
    """Extraction and tagging rules: the built-ins merged with the user's."""

    title_separators: tuple[str, ...]
    headline_max_chars: int
    summary_max_chars: int
    dek_max_chars: int
    credit_line_patterns: tuple[Pattern, ...]
    credit_caption_patterns: tuple[Pattern, ...]
    credit_caption_selectors: tuple[Selector, ...]
    credit_figure_selectors: tuple[Selector, ...]
    boilerplate: tuple[Selector, ...]
    dek_selectors: tuple[Selector, ...]
    byline_selectors: tuple[Selector, ...]
    country_min_relative_score: float
    country_weights: tuple[tuple[str, float], ...]
    tagging: TaggingRules
    country_currency_needs_name: bool = True
    """A currency ("dlrs", "yen") counts for a country only when the article names a country
    otherwise: for the one it names, or, when it names none, as the only evidence."""

    def weight(self, name: str) -> float:
        return self._weights.get(name, 1.0)

    @cached_property
    def _weights(self) -> dict[str, float]:
        return dict(self.country_weights)


@dataclass(frozen=True)
class FeedConfig:
    title: str
    base_url: str
    """Absolute http(s) URL ending in a slash: where output/ is served."""
    description: str
    author: str
    language: str | None
    max_entries: int


@dataclass(frozen=True)
class SourceConfig:
    id: str
    path: Path
    patterns: tuple[str, ...]
    max_bytes: int = 10_000_000
    """Larger files are skipped with a message, never read."""


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
PACKAGE_DIR = Path(__file__).resolve().parent
WEIGHT_KEYS = (
    "headline",
    "dek",
    "lead",
    "body",
    "name",
    "alias",
    "demonym",
    "capital",
    "historical",
    "currency",
)


# ---------------------------------------------------------------- rules


def _builtin_rules() -> dict[str, Any]:
    data = read_data("rules.yaml")
    assert isinstance(data, dict)
    # the actor dictionary and the role titles are long: they have files of their own
    actors = data.setdefault("actors", {})
    actors["dictionary"] = read_data("actors.yaml")["actors"]
    actors["roles"] = read_data("roles.yaml")["roles"]
    return data


def _merge(base: Any, override: Any) -> Any:
    """Merge user rules over built-ins: mappings key by key, id-lists entry by entry."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = _merge(base[key], value) if key in base else value
        return merged
    if _is_id_list(base) and _is_id_list(override):
        by_id = {entry["id"]: entry for entry in base}
        order = [entry["id"] for entry in base]
        for entry in override:
            if entry["id"] not in by_id:
                order.append(entry["id"])
            by_id[entry["id"]] = {**by_id.get(entry["id"], {}), **entry}
        return [by_id[i] for i in order if by_id[i].get("enabled", True) is not False]
    return override


_PATH = ENTRY_PATH_KEY


def _annotate(value: Any, path: str) -> Any:
    """Mark each entry of the user's id-lists with its key path, for error messages."""
    if isinstance(value, dict):
        return {k: _annotate(v, f"{path}.{k}") for k, v in value.items()}
    if _is_id_list(value):
        return [{**entry, _PATH: f"{path}[{i}]"} for i, entry in enumerate(value)]
    return value


def _is_id_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(e, dict) and "id" in e for e in value)


def _rule_list(
    check: Checker,
    data: dict[str, Any],
    path: str,
    key: str,
    field: str,
    build: Callable[[str, str, str, bool], Any],
) -> tuple[Any, ...]:
    sub = f"{path}.{key}"
    entries = check.get(data, path, key, list, [])
    out = []
    seen: set[str] = set()
    for i, raw in enumerate(entries):
        # a user's entry keeps the path it had in the config file, wherever the merge put it
        user = not isinstance(raw, dict) or _PATH in raw
        where = raw.pop(_PATH, f"{sub}[{i}]") if isinstance(raw, dict) else f"{sub}[{i}]"
        entry = check.mapping(raw, where, ("id", field, "enabled", "comment"))
        rule_id = check.get(entry, where, "id", str, None, required=True)
        value = check.get(entry, where, field, str, None, required=True)
        if rule_id in seen:
            check.problem(f"{where}.id", f"duplicate rule id {rule_id!r}")
        seen.add(rule_id)
        if rule_id is not None and value is not None:
            built = build(rule_id, value, f"{where}.{field}", user)
            if built is not None:
                out.append(built)
    return tuple(out)


def _rules(check: Checker, raw: Any, *, check_builtin: bool = False) -> Rules:
    check.check_builtin = check_builtin
    data = check.mapping(
        raw, "rules", ("headline", "summary", "dek", "credit", "html", "countries", "actors")
    )
    headline = check.mapping(
        data.get("headline"), "rules.headline", ("title_separators", "max_chars")
    )
    headline_max = check.get(headline, "rules.headline", "max_chars", int, 300)
    if headline_max < 20:
        check.problem("rules.headline.max_chars", "must be at least 20")
    summary = check.mapping(data.get("summary"), "rules.summary", ("max_chars",))
    dek = check.mapping(data.get("dek"), "rules.dek", ("max_chars",))
    credit = check.mapping(
        data.get("credit"),
        "rules.credit",
        ("line_patterns", "caption_patterns", "caption_selectors", "figure_selectors"),
    )
    html = check.mapping(data.get("html"), "rules.html", ("boilerplate", "dek", "byline"))
    countries = check.mapping(
        data.get("countries"),
        "rules.countries",
        ("min_relative_score", "currency_needs_name", "weights", "aliases", "ambiguity"),
    )
    weights = check.mapping(countries.get("weights"), "rules.countries.weights", WEIGHT_KEYS)

    def pattern(rule_id: str, regex: str, path: str, user: bool) -> Pattern | None:
        try:
            # the built-ins' shapes are checked by default_rules() (and the tests)
            compiled = compile_rule(regex) if user or check_builtin else re.compile(regex)
        except (UnsafeRegex, re.error) as e:
            check.problem(path, str(e))
            return None
        if "credit" not in compiled.groupindex and ".credit." in path:
            check.problem(path, "regex needs a group named `credit`: (?P<credit>...)")
            return None
        return Pattern(rule_id, compiled)

    def selector(rule_id: str, css: str, path: str, user: bool) -> Selector | None:
        # soupsieve costs 50 ms to import: a run that parses nothing should not pay for checking
        # built-in selectors, which default_rules() (and the test suite) check
        if not (user or check_builtin):
            return Selector(rule_id, css)
        try:
            import soupsieve  # comes with beautifulsoup4

            soupsieve.compile(css)
        except Exception as e:  # soupsieve raises its own SelectorSyntaxError
            check.problem(path, f"CSS selector does not parse: {e}")
            return None
        return Selector(rule_id, css)

    max_chars = check.get(summary, "rules.summary", "max_chars", int, 300)
    if max_chars < 40:
        check.problem("rules.summary.max_chars", "must be at least 40")
    return Rules(
        title_separators=check.string_list(headline, "rules.headline", "title_separators", ()),
        headline_max_chars=headline_max,
        summary_max_chars=max_chars,
        dek_max_chars=check.get(dek, "rules.dek", "max_chars", int, 400),
        credit_line_patterns=_rule_list(
            check, credit, "rules.credit", "line_patterns", "regex", pattern
        ),
        credit_caption_patterns=_rule_list(
            check, credit, "rules.credit", "caption_patterns", "regex", pattern
        ),
        credit_caption_selectors=_rule_list(
            check, credit, "rules.credit", "caption_selectors", "selector", selector
        ),
        credit_figure_selectors=_rule_list(
            check, credit, "rules.credit", "figure_selectors", "selector", selector
        ),
        boilerplate=_rule_list(check, html, "rules.html", "boilerplate", "selector", selector),
        dek_selectors=_rule_list(check, html, "rules.html", "dek", "selector", selector),
        byline_selectors=_rule_list(check, html, "rules.html", "byline", "selector", selector),
        country_min_relative_score=float(
            check.get(countries, "rules.countries", "min_relative_score", (int, float), 0.15)
        ),
        country_weights=tuple(
            (key, float(check.get(weights, "rules.countries.weights", key, (int, float), 1.0)))
            for key in WEIGHT_KEYS
        ),
        tagging=parse_tagging(check, countries, data.get("actors")),
        country_currency_needs_name=check.get(
            countries, "rules.countries", "currency_needs_name", bool, True
        ),
    )


def default_rules() -> Rules:
    """The built-in rules alone."""
    check = Checker("<built-in rules>", Lines())
    rules = _rules(check, _builtin_rules(), check_builtin=True)
    if check.problems:  # a packaging mistake, not a user error
        raise ConfigError(check.problems)
    return rules


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
    rules = _rules(check, _merge(_builtin_rules(), _annotate(user_rules or {}, "rules")))
    if check.problems:
        raise ConfigError(check.problems)
    assert feed is not None
    return Config(path, feed, sources, output_dir, state_dir, rules, removed, site, remote, fetch)


def _site(check: Checker, raw: Any, folder: Path) -> SiteConfig:
    keys = ("min_articles", "templates", "tag_feed_content", "tag_max_entries")
    data = check.mapping(raw, "site", keys)
    tag_max = check.get(data, "site", "tag_max_entries", int, SiteConfig.tag_max_entries)
    if tag_max < 1:
        check.problem("site.tag_max_entries", "must be at least 1")
    templates = check.get(data, "site", "templates", str, None)
    if templates is not None and not (folder / templates).is_dir():
        check.problem("site.templates", f"no such folder: {folder / templates}")
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
    return SiteConfig(least, folder / templates if templates else None, content, tag_max)


KINDS = ("countries", "actors")


def _feed(check: Checker, raw: Any) -> FeedConfig | None:
    keys = ("title", "base_url", "description", "author", "language", "max_entries")
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
    return FeedConfig(
        title=title,
        base_url=normalise_base_url(base_url),
        description=check.get(data, "feed", "description", str, title),
        author=check.get(data, "feed", "author", str, title),
        language=check.get(data, "feed", "language", str, None),
        max_entries=max_entries,
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
        if kind != "folder" and kind not in REMOTE_KINDS:
            known = ", ".join(("folder", *REMOTE_KINDS))
            check.problem(f"{path}.type", f"unknown source type {kind!r} (known: {known})")
        source_id = check.get(data, path, "id", str, f"source-{i + 1}")
        if source_id in ids:
            check.problem(f"{path}.id", f"duplicate source id {source_id!r}")
        ids.add(source_id)
        if kind in REMOTE_KINDS:
            remote.append(parse_remote_source(check, data, path, kind, source_id, folder))
            continue
        where = check.get(data, path, "path", str, "", required=True)
        patterns = check.string_list(data, path, "patterns", DEFAULT_PATTERNS)
        max_bytes = check.get(data, path, "max_bytes", int, 10_000_000)
        if max_bytes < 1:
            check.problem(f"{path}.max_bytes", "must be at least 1")
        out.append(SourceConfig(source_id, folder / where, patterns, max_bytes))
    return tuple(out), tuple(remote)


def with_overrides(
    config: Config,
    *,
    inputs: list[Path] | None = None,
    output_dir: Path | None = None,
    base_url: str | None = None,
) -> Config:
    """The config with command-line overrides applied (inputs replace the configured sources)."""
    if base_url is not None:
        problem = base_url_problem(base_url)
        if problem:
            raise ConfigError([f"--base-url: {problem}"])
        config = replace(config, feed=replace(config.feed, base_url=normalise_base_url(base_url)))
    if inputs:
        config = replace(
            config,
            sources=tuple(
                SourceConfig(f"input-{i + 1}", path, DEFAULT_PATTERNS)
                for i, path in enumerate(inputs)
            ),
            remote=(),
        )
    if output_dir is not None:
        config = replace(config, output_dir=output_dir)
    return config
