"""Tag the countries an article names, scored by where and how they are named.

Pure: regions and rules in, tags and candidates out. The gazetteer (data/countries.yaml plus a
config's aliases and the ambiguity rules' phrases) is compiled once per set of rules.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from ..config import Rules
from ..config.data import read_data
from ..config.tagging import AmbiguityRule, CountryAlias
from ..model import Candidate, CountryTag, Mention
from .gazetteer import Gazetteer
from .regions import Region

# gazetteer field → evidence kind (the kind names a weight in rules.countries.weights)
KINDS = {
    "name": "name",
    "official": "name",
    "aliases": "alias",
    "demonyms": "demonym",
    "capitals": "capital",
    "historical": "historical",
    "currencies": "currency",
}


# abbreviations that are also English words: in a headline in capitals ("CAR SALES RISE"),
# they are the word
_UPPER_BUT_WORDS = frozenset({"CAR"})


@dataclass(frozen=True)
class Hit:
    code: str
    """ISO code; empty for a phrase an ambiguity rule says is not a country."""
    kind: str
    """How the phrase names the country; for a non-country, the ambiguity rule's id."""


@dataclass(frozen=True)
class CountryIndex:
    names: dict[str, str]
    """ISO code → name used in feeds."""
    matcher: Gazetteer[Hit]
    upper: frozenset[str]
    """Phrases written in capitals ("US", "UAE"): kept as they are when a text is recased."""
    adjectives: dict[str, str]
    """ISO code → adjective ("RU" → "Russian"): the first demonym listed."""


@dataclass(frozen=True)
class CountryMatch:
    """One country phrase found in a region (what actor tagging reads for countries)."""

    region: Region
    start: int
    end: int
    text: str
    code: str
    kind: str
    set_aside_by: str | None
    """The id of the ambiguity rule that says this is not the country, if any."""


@lru_cache(maxsize=1)
def _builtin_data() -> Any:
    return read_data("countries.yaml")


@lru_cache(maxsize=8)
def country_index(
    aliases: tuple[CountryAlias, ...] = (), ambiguity: tuple[AmbiguityRule, ...] = ()
) -> CountryIndex:
    """The gazetteer: built-in countries, then a config's aliases and non-country phrases."""
    return build_index(_builtin_data()["countries"], aliases, ambiguity)


def index_for(rules: Rules) -> CountryIndex:
    return country_index(rules.tagging.country_aliases, rules.tagging.ambiguity)


def build_index(
    entries: Sequence[dict[str, Any]],
    aliases: Sequence[CountryAlias] = (),
    ambiguity: Sequence[AmbiguityRule] = (),
) -> CountryIndex:
    names: dict[str, str] = {}
    adjectives: dict[str, str] = {}
    # a phrase that is not a country is matched like one, and then dropped; listed first, so
    # a non-country phrase wins over the same string listed for a country
    phrases: list[tuple[str, Hit]] = [
        (phrase, Hit("", rule.id)) for rule in ambiguity for phrase in rule.phrases
    ]
    for entry in entries:
        code = entry["code"]
        names[code] = entry["name"]
        if entry.get("demonyms"):
            adjectives[code] = entry["demonyms"][0]
        for field, kind in KINDS.items():
            values = entry.get(field) or []
            for phrase in [values] if isinstance(values, str) else values:
                # "the Kremlin" is matched as "Kremlin": sentence-initial "The" must match too
                phrase = phrase[4:] if phrase.startswith("the ") else phrase
                phrases.append((phrase, Hit(code, kind)))
    for alias in aliases:
        phrases += [(phrase, Hit(alias.code, alias.kind)) for phrase in alias.phrases]
    upper = frozenset(
        p
        for p, _ in phrases
        if p.isupper() and len(p.replace(".", "")) > 1 and p not in _UPPER_BUT_WORDS
    )
    return CountryIndex(names, Gazetteer(phrases), upper, adjectives)


def find_countries(
    regions: Sequence[Region], rules: Rules, index: CountryIndex | None = None
) -> tuple[CountryMatch, ...]:
    """Every country phrase in reading order, each marked when an ambiguity rule sets it aside."""
    index = index or index_for(rules)
    rules_with_regex = [rule for rule in rules.tagging.ambiguity if rule.regex is not None]
    active: list[AmbiguityRule] | None = None  # decided at the first country found
    out = []
    for region in regions:
        matches = [m for m in index.matcher.finditer(region.text) if m.value.code]
        if not matches:
            continue
        if active is None:
            whole = "\n".join(r.text for r in regions)
            active = [r for r in rules_with_regex if r.when is None or r.when.search(whole)]
        codes = {m.value.code for m in matches}
        here = [r for r in active if r.countries is None or not codes.isdisjoint(r.countries)]
        spans = _set_aside_spans(region.text, here, [(m.start, m.end) for m in matches])
        for m in matches:
            by = next((rid for s, e, rid in spans if s <= m.start and m.end <= e), None)
            out.append(CountryMatch(region, m.start, m.end, m.text, m.value.code, m.value.kind, by))
    return tuple(out)


# an ambiguity rule's match that sets a country name aside lies within this many characters of
# it: a rule is tried only there, not over the whole text (most of the tagging time otherwise)
_CONTEXT = 100


def _set_aside_spans(
    text: str, rules: Sequence[AmbiguityRule], found: Sequence[tuple[int, int]]
) -> list[tuple[int, int, str]]:
    windows: list[list[int]] = []
    for start, end in found:
        lo, hi = max(0, start - _CONTEXT), min(len(text), end + _CONTEXT)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    out = []
    for rule in rules:
        assert rule.regex is not None
        for lo, hi in windows:
            for m in rule.regex.finditer(text, lo, hi):
                groups = [g for g, v in m.groupdict().items() if v is not None]
                if groups:
                    out += [(m.start(g), m.end(g), rule.id) for g in groups]
                else:
                    out.append((m.start(), m.end(), rule.id))
    return out


def _unsupported_currency(found: Sequence[CountryMatch]) -> frozenset[str]:
    """Countries named only by their currency in an article that names other countries.

    Prices are quoted in dollars (or yen, or sterling) in stories about any country: a currency
    says which country a story is about only when nothing else does."""
    named = {m.code for m in found if not m.set_aside_by and m.kind != "currency"}
    if not named:
        return frozenset()
    return frozenset(m.code for m in found if m.kind == "currency" and m.code not in named)


def tag_countries(
    regions: Sequence[Region], rules: Rules, index: CountryIndex | None = None
) -> tuple[tuple[CountryTag, ...], tuple[Candidate, ...], tuple[CountryMatch, ...]]:
    """Score every country named in ``regions`` (in reading order).

    Returns every country named (score relative to the top country; ``tagged`` when at least
    the configured share), every candidate with its mentions (the ones an ambiguity rule set
    aside included, with weight 0), and the matches themselves. A country whose every mention
    was set aside is a candidate, not a country named.
    """
    index = index or index_for(rules)
    found = find_countries(regions, rules, index)
    raw: dict[str, float] = {}
    mentions: dict[str, list[Mention]] = {}
    first: dict[str, int] = {}
    unsupported = _unsupported_currency(found) if rules.country_currency_needs_name else ()
    for hit in found:
        if hit.set_aside_by:
            weight, rule = 0.0, f"ambiguity:{hit.set_aside_by}"
        elif hit.code in unsupported and hit.kind == "currency":
            weight, rule = 0.0, "country:currency-without-name"
        else:
            weight = rules.weight(hit.region.name) * rules.weight(hit.kind)
            rule = f"country:{hit.kind}"
        mentions.setdefault(hit.code, []).append(
            Mention(rule, hit.region.name, hit.start, hit.end, hit.text, round(weight, 3))
        )
        if weight:
            raw[hit.code] = raw.get(hit.code, 0.0) + weight
            first.setdefault(hit.code, hit.region.offset + hit.start)
    top = max(raw.values(), default=0.0)
    ranked = sorted(raw, key=lambda code: (-raw[code], first[code], code))
    threshold = rules.country_min_relative_score
    tagged = {code for code in ranked if raw[code] / top >= threshold}
    named = tuple(
        CountryTag(
            code=code,
            name=index.names[code],
            mentions=sum(1 for m in mentions[code] if m.weight),
            score=round(raw[code] / top, 3),
            primary=(i == 0),
            tagged=code in tagged,
            first=first[code],
        )
        for i, code in enumerate(ranked)
    )
    candidates = tuple(
        Candidate(
            kind="country",
            key=code,
            score=round(raw.get(code, 0.0) / top, 3) if top else 0.0,
            threshold=threshold,
            tagged=code in tagged,
            mentions=tuple(mentions[code]),
        )
        for code in [*ranked, *sorted(set(mentions) - set(raw))]
    )
    return named, candidates, found
