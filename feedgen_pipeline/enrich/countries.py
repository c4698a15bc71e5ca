"""Tag the countries an article names, scored by where and how they are named."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

import yaml

from ..config import Rules
from ..model import CountryTag, Evidence
from .gazetteer import Gazetteer

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


@dataclass(frozen=True)
class Hit:
    code: str
    kind: str


@dataclass(frozen=True)
class CountryIndex:
    names: dict[str, str]
    """ISO code → name used in feeds."""
    matcher: Gazetteer[Hit]


@lru_cache(maxsize=1)
def builtin_countries() -> CountryIndex:
    """The built-in gazetteer (data/countries.yaml), compiled once per process."""
    text = resources.files("feedgen_pipeline").joinpath("data/countries.yaml").read_text("utf-8")
    data = yaml.safe_load(text)
    return build_index(data["countries"], data.get("not_countries", ()))


def build_index(
    entries: Sequence[dict[str, Any]], not_countries: Sequence[str] = ()
) -> CountryIndex:
    names: dict[str, str] = {}
    # a phrase that is not a country is matched like one, and then dropped
    phrases: list[tuple[str, Hit]] = [
        (phrase, Hit("", "not-a-country")) for phrase in not_countries
    ]
    for entry in entries:
        code = entry["code"]
        names[code] = entry["name"]
        for field, kind in KINDS.items():
            values = entry.get(field) or []
            for phrase in [values] if isinstance(values, str) else values:
                # "the Kremlin" is matched as "Kremlin": sentence-initial "The" must match too
                phrase = phrase[4:] if phrase.startswith("the ") else phrase
                phrases.append((phrase, Hit(code, kind)))
    return CountryIndex(names, Gazetteer(phrases))


def tag_countries(
    regions: Sequence[tuple[str, str]], rules: Rules, index: CountryIndex | None = None
) -> tuple[tuple[CountryTag, ...], tuple[Evidence, ...]]:
    """Score every country named in ``regions`` ((region name, text) in reading order).

    Returns the tags (score relative to the top country, at least the configured share) and the
    evidence of every mention, candidates below the threshold included.
    """
    index = index or builtin_countries()
    raw: dict[str, float] = {}
    mentions: dict[str, int] = {}
    first: dict[str, int] = {}
    evidence: list[Evidence] = []
    position = 0
    for region, text in regions:
        for match in index.matcher.finditer(text):
            hit = match.value
            if not hit.code:
                continue
            raw[hit.code] = raw.get(hit.code, 0.0) + rules.weight(region) * rules.weight(hit.kind)
            mentions[hit.code] = mentions.get(hit.code, 0) + 1
            first.setdefault(hit.code, position + match.start)
            evidence.append(Evidence(f"country:{hit.code}", f"{region}/{hit.kind}", match.text))
        position += len(text) + 1
    if not raw:
        return (), tuple(evidence)
    top = max(raw.values())
    ranked = sorted(raw, key=lambda code: (-raw[code], first[code], code))
    tags = tuple(
        CountryTag(
            code=code,
            name=index.names[code],
            mentions=mentions[code],
            score=round(raw[code] / top, 3),
            primary=(i == 0),
        )
        for i, code in enumerate(ranked)
        if raw[code] / top >= rules.country_min_relative_score
    )
    return tags, tuple(evidence)
