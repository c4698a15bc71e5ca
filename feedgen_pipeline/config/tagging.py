"""The tagging part of the rules: country aliases, ambiguity rules, actors, role titles.

Built-ins come from ``data/rules.yaml`` (ambiguity, organisation patterns, thresholds),
``data/actors.yaml`` (the actor dictionary) and ``data/roles.yaml`` (role titles); a config's
``rules:`` merges over them entry by entry, by id. Parsing reports problems through the config
checker, so a bad rule is named with its file, line and key like every other config error.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from ..model import ActorKind
from .data import read_data
from .regexes import UnsafeRegex, compile_rule, trie_pattern

if TYPE_CHECKING:  # the checker lives in config.py, which imports this module
    from .yamlcheck import Checker


class UserEntry(dict[str, Any]):
    """An entry of one of the user's id-lists, which knows where it stands in the config file
    (wherever the merge with the built-ins puts it), for error messages."""

    def __init__(self, entry: dict[str, Any], path: str) -> None:
        super().__init__(entry)
        self.path = path


COUNTRY_KINDS = ("name", "alias", "demonym", "capital", "historical", "currency")
ACTOR_KINDS: tuple[ActorKind, ...] = ("person", "organization")
ACTOR_WEIGHT_KEYS = ("dictionary", "role", "pattern", "name", "reference")


@dataclass(frozen=True)
class CountryAlias:
    """Extra phrases that name a country (a user's config adds these)."""

    id: str
    code: str
    phrases: tuple[str, ...]
    kind: str
    """How the phrases name the country: one of COUNTRY_KINDS (it picks the weight)."""


@dataclass(frozen=True)
class AmbiguityRule:
    """Text where a country's name does not mean the country ("Georgia's governor").

    ``phrases`` are literal and win over a shorter country name inside them (longest match);
    ``regex`` sets aside the country names inside its group ``x`` (or its whole match).
    With ``when``, the rule only applies to an article whose text matches it; with
    ``countries``, only to a paragraph that names one of them (the regex is not tried
    elsewhere, which keeps tagging cheap).
    """

    id: str
    phrases: tuple[str, ...]
    regex: re.Pattern[str] | None
    when: re.Pattern[str] | None
    countries: tuple[str, ...] | None = None
    """The countries whose names the rule can set aside (sorted, so that the rules' fingerprint
    is the same in every process); None: any."""


@dataclass(frozen=True)
class ActorEntry:
    """A known person or organisation."""

    id: str
    name: str
    kind: ActorKind
    country: str | None
    role: str | None
    aliases: tuple[str, ...]


@dataclass(frozen=True)
class RoleTitle:
    """Titles written before a person's name ("Foreign Minister", "Amb."), and the role."""

    id: str
    role: str | None
    """None for honorifics ("Mr.", "Dr."): they mark a name without giving a role."""
    titles: tuple[str, ...]


@dataclass(frozen=True)
class OrgPattern:
    """A regex whose group ``org`` (and ``org2``, when it has one) is an organisation's name
    ("the Russian embassy"); in a person pattern, whose group ``name`` is a person's."""

    id: str
    regex: re.Pattern[str]
    keywords: tuple[str, ...] = ()
    """Words one of which every match contains: the regex is tried only in text holding one
    (none: in every text)."""
    min_words: int = 2
    """A name of fewer words is not taken ("the Embassy" alone names no embassy)."""
    run: int = 1
    """A match counts only as one of at least this many matches back to back, with nothing but
    white space between them: the rows of a results table."""


@dataclass(frozen=True)
class TaggingRules:
    country_aliases: tuple[CountryAlias, ...]
    ambiguity: tuple[AmbiguityRule, ...]
    actors: tuple[ActorEntry, ...]
    roles: tuple[RoleTitle, ...]
    org_patterns: tuple[OrgPattern, ...]
    person_patterns: tuple[OrgPattern, ...]
    """Context that makes a name a person's ("said Jane Doe,"): group ``name``, and the same
    fields as an organisation pattern."""
    org_words: tuple[tuple[str, tuple[str, ...]], ...]
    """Named lists of words (``head``: words that end an organisation's name...), which a
    pattern's regex names as ``(?&head)``."""
    actor_min_score: float
    actor_weights: tuple[tuple[str, float], ...]
    names_discovery: bool
    """Whether capitalised names with no title or pattern become (weak) actor candidates."""

    def actor_weight(self, name: str) -> float:
        return dict(self.actor_weights).get(name, 1.0)


@lru_cache(maxsize=1)
def country_codes() -> frozenset[str]:
    return frozenset(entry["code"] for entry in read_data("countries.yaml")["countries"])


def rule_entries(
    check: Checker, data: dict[str, Any], path: str, key: str, fields: tuple[str, ...]
) -> Iterator[tuple[str, str, dict[str, Any]]]:
    """(id, key path, entry) of each entry of an id-list, each checked for unknown keys."""
    seen: set[str] = set()
    for i, raw in enumerate(check.get(data, path, key, list, [])):
        default = f"{path}.{key}[{i}]"
        where = raw.path if isinstance(raw, UserEntry) else default
        if isinstance(raw, UserEntry):
            check.user_entries.add(where)
        entry = check.mapping(raw, where, ("id", "enabled", "comment", *fields))
        rule_id = check.get(entry, where, "id", str, None, required=True)
        if rule_id is None:
            continue
        if rule_id in seen:
            check.problem(f"{where}.id", f"duplicate rule id {rule_id!r}")
        seen.add(rule_id)
        yield rule_id, where, entry


# "(?&head)" in an organisation pattern: any word of the list `head` (PCRE's syntax for a named
# subpattern, which Python's re does not have, so it cannot mean anything else there)
_WORD_LIST = re.compile(r"\(\?&(\w+)\)")


def _regex(
    check: Checker,
    entry: dict[str, Any],
    where: str,
    key: str,
    words: dict[str, frozenset[str]] | None = None,
) -> re.Pattern[str] | None:
    value = check.get(entry, where, key, str, None)
    if value is None:
        return None
    if words is not None:
        missing = sorted({m.group(1) for m in _WORD_LIST.finditer(value)} - set(words))
        if missing:
            check.problem(f"{where}.{key}", f"no word list named {', '.join(missing)}")
            return None
        value = _WORD_LIST.sub(lambda m: f"(?:{trie_pattern(words[m.group(1)])})", value)
    try:
        return compile_rule(value) if checked_rule(check, where) else re.compile(value)
    except (UnsafeRegex, re.error) as e:
        check.problem(f"{where}.{key}", str(e))
        return None


def checked_rule(check: Checker, where: str) -> bool:
    """Whether an entry gets the checks that cost a cron run time: the user's always, the
    built-in data's only in ``default_rules()`` (and so in the tests)."""
    return check.check_builtin or where in check.user_entries


def _code(check: Checker, entry: dict[str, Any], where: str, *, required: bool) -> str | None:
    code: str | None = check.get(entry, where, "country", str, None, required=required)
    # the codes of the built-in data are checked by default_rules() (and the tests): a cron run
    # that changes nothing should not pay for reading the gazetteer to check them again
    if code is not None and checked_rule(check, where) and code not in country_codes():
        check.problem(f"{where}.country", f"unknown ISO 3166-1 alpha-2 code {code!r}")
        return None
    return code


def parse_countries(check: Checker, data: dict[str, Any]) -> tuple[Any, ...]:
    """(country aliases, ambiguity rules) from ``rules.countries``."""
    path = "rules.countries"
    aliases = []
    for rule_id, where, entry in rule_entries(
        check, data, path, "aliases", ("country", "phrases", "kind")
    ):
        code = _code(check, entry, where, required=True)
        phrases = check.string_list(entry, where, "phrases", ())
        kind = check.get(entry, where, "kind", str, "alias")
        if kind not in COUNTRY_KINDS:
            check.problem(
                f"{where}.kind", f"unknown kind {kind!r} (known: {', '.join(COUNTRY_KINDS)})"
            )
        if not phrases:
            check.problem(f"{where}.phrases", "needs at least one phrase")
        if code:
            aliases.append(CountryAlias(rule_id, code, phrases, kind))
    ambiguity = []
    fields = ("phrases", "regex", "when", "countries")
    for rule_id, where, entry in rule_entries(check, data, path, "ambiguity", fields):
        phrases = check.string_list(entry, where, "phrases", ())
        regex = _regex(check, entry, where, "regex")
        if not phrases and regex is None and "regex" not in entry:
            check.problem(where, "needs `phrases` or `regex`")
        codes = check.string_list(entry, where, "countries", ())
        for code in codes if checked_rule(check, where) else ():
            if code not in country_codes():
                check.problem(f"{where}.countries", f"unknown ISO 3166-1 alpha-2 code {code!r}")
        ambiguity.append(
            AmbiguityRule(
                rule_id,
                phrases,
                regex,
                _regex(check, entry, where, "when"),
                tuple(sorted(set(codes))) if codes else None,
            )
        )
    return tuple(aliases), tuple(ambiguity)


def _patterns(
    check: Checker,
    data: dict[str, Any],
    path: str,
    key: str,
    group: str,
    words: dict[str, frozenset[str]],
) -> tuple[OrgPattern, ...]:
    """The patterns under ``key``, each regex with a group named ``group``."""
    patterns = []
    fields = ("regex", "keywords", "min_words", "run")
    for rule_id, where, entry in rule_entries(check, data, path, key, fields):
        regex = _regex(check, entry, where, "regex", words)
        keys = [
            word
            for key in check.string_list(entry, where, "keywords", ())
            for word in (sorted(words.get(key[3:-1], ())) if _WORD_LIST.fullmatch(key) else (key,))
        ]
        if regex is None:
            if "regex" not in entry:
                check.problem(f"{where}.regex", "required key is missing")
        elif group not in regex.groupindex:
            check.problem(
                f"{where}.regex", f"regex needs a group named `{group}`: (?P<{group}>...)"
            )
        else:
            keywords = tuple(sorted(set(keys)))
            min_words = check.get(entry, where, "min_words", int, 2)
            run = check.get(entry, where, "run", int, 1)
            patterns.append(OrgPattern(rule_id, regex, keywords, min_words, run))
    return tuple(patterns)


def parse_tagging(check: Checker, countries: dict[str, Any], raw_actors: Any) -> TaggingRules:
    """The tagging rules from the merged ``rules.countries`` and ``rules.actors``."""
    country_aliases, ambiguity = parse_countries(check, countries)
    path = "rules.actors"
    known = (
        "min_score",
        "weights",
        "discover_names",
        "dictionary",
        "roles",
        "org_words",
        "org_patterns",
        "person_patterns",
    )
    data = check.mapping(raw_actors, path, known)
    weights = check.mapping(data.get("weights"), f"{path}.weights", ACTOR_WEIGHT_KEYS)
    raw_words = check.get(data, path, "org_words", dict, {})
    words = {
        name: frozenset(check.string_list(raw_words, f"{path}.org_words", name, ()))
        for name in raw_words
    }

    actors = []
    fields = ("name", "kind", "country", "role", "aliases")
    for rule_id, where, entry in rule_entries(check, data, path, "dictionary", fields):
        name = check.get(entry, where, "name", str, None, required=True)
        kind = check.get(entry, where, "kind", str, "organization")
        if kind not in ACTOR_KINDS:
            check.problem(f"{where}.kind", f"expected person or organization, got {kind!r}")
        if name and kind in ACTOR_KINDS:
            actors.append(
                ActorEntry(
                    rule_id,
                    name,
                    kind,
                    _code(check, entry, where, required=False),
                    check.get(entry, where, "role", str, None),
                    check.string_list(entry, where, "aliases", ()),
                )
            )
    roles = []
    for rule_id, where, entry in rule_entries(check, data, path, "roles", ("role", "titles")):
        titles = check.string_list(entry, where, "titles", ())
        if not titles:
            check.problem(f"{where}.titles", "needs at least one title")
        # `role: null` is an honorific: a title that gives no role
        role = check.get(entry, where, "role", str, None) if "role" in entry else rule_id
        roles.append(RoleTitle(rule_id, role, titles))
    patterns = _patterns(check, data, path, "org_patterns", "org", words)
    person_patterns = _patterns(check, data, path, "person_patterns", "name", words)
    return TaggingRules(
        country_aliases=country_aliases,
        ambiguity=ambiguity,
        actors=tuple(actors),
        roles=tuple(roles),
        org_patterns=patterns,
        person_patterns=person_patterns,
        # sorted tuples, not sets: the rules' repr is their fingerprint, the same in every process
        org_words=tuple(sorted((name, tuple(sorted(ws))) for name, ws in words.items())),
        actor_min_score=float(check.get(data, path, "min_score", (int, float), 1.0)),
        actor_weights=tuple(
            (key, float(check.get(weights, f"{path}.weights", key, (int, float), 1.0)))
            for key in ACTOR_WEIGHT_KEYS
        ),
        names_discovery=check.get(data, path, "discover_names", bool, True),
    )
