"""The rules: the built-ins (``data/rules.yaml``) merged with a config's ``rules:``, checked.

A list entry with a built-in ``id`` replaces that rule, ``enabled: false`` switches it off, a
new ``id`` adds a rule; a scalar replaces the built-in value.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from ..errors import ConfigError
from .credits import CreditGrammar, parse_credit
from .data import read_data
from .tagging import TaggingRules, UserEntry, parse_tagging
from .yamlcheck import Checker, Lines


@dataclass(frozen=True)
class Selector:
    """A CSS selector rule with an id."""

    id: str
    selector: str


@dataclass(frozen=True)
class BylineWords:
    """The vocabulary bylines are read with (``rules.bylines``), each word case-folded."""

    prefixes: tuple[str, ...] = ()
    joiners: tuple[str, ...] = ()
    stop_words: tuple[str, ...] = ()
    date_words: tuple[str, ...] = ()
    not_names: tuple[str, ...] = ()
    organisation_words: tuple[str, ...] = ()


BYLINE_KEYS = tuple(f.name for f in dataclasses.fields(BylineWords))


@dataclass(frozen=True)
class RelativeWords:
    """How one language tells a day from the moment the page was served
    (``rules.dates.relative.<language>``), every phrase case-folded."""

    ago: tuple[tuple[str, str], ...] = ()
    """(unit, phrase): "minutes", "hours" or "days", and a phrase with ``{n}`` for the count."""
    one: tuple[str, ...] = ()
    """Words that stand for a count of one ("a day ago", "vor einem Tag")."""
    days_back: tuple[tuple[str, int], ...] = ()
    """Words that name a day by how many days before it was ("gestern": 1)."""


RELATIVE_UNITS = ("minutes", "hours", "days")


@dataclass(frozen=True)
class Rules:
    """Extraction and tagging rules: the built-ins merged with the user's."""

    title_separators: tuple[str, ...]
    headline_max_chars: int
    summary_max_chars: int
    dek_max_chars: int
    credit: CreditGrammar
    credit_caption_selectors: tuple[Selector, ...]
    """Credit elements inside a lead image's figure (the grammar's `element` texts)."""
    credit_figure_selectors: tuple[Selector, ...]
    boilerplate: tuple[Selector, ...]
    dek_selectors: tuple[Selector, ...]
    byline_selectors: tuple[Selector, ...]
    date_months: tuple[tuple[str, int], ...]
    """Every written form of a month name, with the month's number."""
    date_published_labels: tuple[str, ...]
    date_other_labels: tuple[str, ...]
    date_relative: tuple[RelativeWords, ...]
    """Per language, the phrases of a relative date ("vor 3 Tagen", "yesterday")."""
    bylines: BylineWords
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


def builtin_rules() -> dict[str, Any]:
    data = read_data("rules.yaml")
    assert isinstance(data, dict)
    # the actor dictionary and the role titles are long: they have files of their own; the
    # companies and legal forms are generated from open data (scripts/build_organisations.py)
    actors = data.setdefault("actors", {})
    organisations = read_data("organisations.yaml")
    actors["dictionary"] = read_data("actors.yaml")["actors"] + organisations["companies"]
    actors["roles"] = read_data("roles.yaml")["roles"]
    actors.setdefault("org_words", {})["legal"] = organisations["legal_forms"]
    return data


def merge(base: Any, override: Any) -> Any:
    """Merge user rules over built-ins: mappings key by key, id-lists entry by entry."""
    if isinstance(base, dict) and isinstance(override, dict):
        merged = dict(base)
        for key, value in override.items():
            merged[key] = merge(base[key], value) if key in base else value
        return merged
    if _is_id_list(base) and _is_id_list(override):
        by_id = {entry["id"]: entry for entry in base}
        order = [entry["id"] for entry in base]
        for entry in override:
            if entry["id"] not in by_id:
                order.append(entry["id"])
            merged_entry = {**by_id.get(entry["id"], {}), **entry}
            if isinstance(entry, UserEntry):  # it keeps its place in the config file
                merged_entry = UserEntry(merged_entry, entry.path)
            by_id[entry["id"]] = merged_entry
        return [by_id[i] for i in order if by_id[i].get("enabled", True) is not False]
    return override


def annotate(value: Any, path: str) -> Any:
    """Mark each entry of the user's id-lists with its key path, for error messages."""
    if isinstance(value, dict):
        return {k: annotate(v, f"{path}.{k}") for k, v in value.items()}
    if _is_id_list(value):
        return [UserEntry(entry, f"{path}[{i}]") for i, entry in enumerate(value)]
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
        user = not isinstance(raw, dict) or isinstance(raw, UserEntry)
        where = raw.path if isinstance(raw, UserEntry) else f"{sub}[{i}]"
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


def parse_rules(check: Checker, raw: Any, *, check_builtin: bool = False) -> Rules:
    check.check_builtin = check_builtin
    data = check.mapping(
        raw,
        "rules",
        (
            "headline",
            "summary",
            "dek",
            "credit",
            "html",
            "dates",
            "bylines",
            "countries",
            "actors",
        ),
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
        (
            "labels",
            "trailers",
            "notes",
            "name_words",
            "max_chars",
            "places",
            "shapes",
            "not_credit",
            "caption_selectors",
            "figure_selectors",
        ),
    )
    html = check.mapping(data.get("html"), "rules.html", ("boilerplate", "dek", "byline"))
    dates = check.mapping(
        data.get("dates"),
        "rules.dates",
        ("months", "published_labels", "other_labels", "relative"),
    )
    bylines = check.mapping(data.get("bylines"), "rules.bylines", BYLINE_KEYS)
    countries = check.mapping(
        data.get("countries"),
        "rules.countries",
        ("min_relative_score", "currency_needs_name", "weights", "aliases", "ambiguity"),
    )
    weights = check.mapping(countries.get("weights"), "rules.countries.weights", WEIGHT_KEYS)

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
        credit=parse_credit(check, credit),
        credit_caption_selectors=_rule_list(
            check, credit, "rules.credit", "caption_selectors", "selector", selector
        ),
        credit_figure_selectors=_rule_list(
            check, credit, "rules.credit", "figure_selectors", "selector", selector
        ),
        boilerplate=_rule_list(check, html, "rules.html", "boilerplate", "selector", selector),
        dek_selectors=_rule_list(check, html, "rules.html", "dek", "selector", selector),
        byline_selectors=_rule_list(check, html, "rules.html", "byline", "selector", selector),
        date_months=_months(check, dates),
        date_published_labels=_labels(check, dates, "published_labels"),
        date_other_labels=_labels(check, dates, "other_labels"),
        date_relative=_relative(check, dates),
        bylines=BylineWords(
            *(
                tuple(w.casefold() for w in check.string_list(bylines, "rules.bylines", k, ()))
                for k in BYLINE_KEYS
            )
        ),
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


def _months(check: Checker, dates: dict[str, Any]) -> tuple[tuple[str, int], ...]:
    """``rules.dates.months``: per language, twelve strings of space-separated forms."""
    languages = check.get(dates, "rules.dates", "months", dict, {})
    forms: dict[str, set[int]] = {}
    for language, names in languages.items():
        path = f"rules.dates.months.{language}"
        if not isinstance(names, list) or len(names) != 12:
            check.problem(path, "expected a list of the twelve months, January first")
            continue
        for number, name in enumerate(names, 1):
            if not isinstance(name, str) or not name.split():
                check.problem(f"{path}[{number - 1}]", f"expected month names, got {name!r}")
                continue
            for form in name.split():
                forms.setdefault(form.casefold(), set()).add(number)
    # a form that names two months in two languages names neither
    return tuple(sorted((f, min(n)) for f, n in forms.items() if len(n) == 1))


def _labels(check: Checker, dates: dict[str, Any], key: str) -> tuple[str, ...]:
    return tuple(w.casefold() for w in check.string_list(dates, "rules.dates", key, ()))


def _relative(check: Checker, dates: dict[str, Any]) -> tuple[RelativeWords, ...]:
    """``rules.dates.relative``: per language, its phrases by unit, its words for one and the
    days it names."""
    languages = check.get(dates, "rules.dates", "relative", dict, {})
    out = []
    for language, raw in languages.items():
        path = f"rules.dates.relative.{language}"
        words = check.mapping(raw, path, (*RELATIVE_UNITS, "one", "days_back"))
        ago = []
        for unit in RELATIVE_UNITS:
            for i, phrase in enumerate(check.string_list(words, path, unit, ())):
                if phrase.count("{n}") != 1:
                    check.problem(f"{path}.{unit}[{i}]", "expected one {n} for the count")
                else:
                    ago.append((unit, " ".join(phrase.casefold().split())))
        days_back = []
        for word, days in check.get(words, path, "days_back", dict, {}).items():
            if not isinstance(days, int) or isinstance(days, bool) or not 0 <= days <= 7:
                check.problem(f"{path}.days_back.{word}", "expected a number of days, 0 to 7")
            else:
                days_back.append((" ".join(str(word).casefold().split()), days))
        one = tuple(w.casefold() for w in check.string_list(words, path, "one", ()))
        out.append(RelativeWords(tuple(ago), one, tuple(days_back)))
    return tuple(out)


def default_rules() -> Rules:
    """The built-in rules alone."""
    check = Checker("<built-in rules>", Lines())
    rules = parse_rules(check, builtin_rules(), check_builtin=True)
    if check.problems:  # a packaging mistake, not a user error
        raise ConfigError(check.problems)
    return rules
