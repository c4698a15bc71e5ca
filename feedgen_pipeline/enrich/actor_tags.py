"""Turn actor sightings into tags: merge the mentions of one actor, resolve later references
("Antonov said", "the ambassador", "the embassy"), score and rank. Pure."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from urllib.parse import urlsplit

from ..config import Rules
from ..model import ActorTag, Candidate, Mention
from .actors import find_sightings
from .countries import CountryMatch
from .regions import Region
from .sightings import Sighting

# how sure a rule is of what it found; the surest sighting gives the actor's name, kind, role
_STRENGTH = {"actor": 0, "role": 1, "person": 1, "org": 2, "name": 3, "reference": 4}
_DIPLOMATIC = ("embassy", "consulate")
_GENERIC = ("reference:role", "reference:organization")


def _strength(s: Sighting) -> int:
    return _STRENGTH.get(s.mention.rule.split(":")[0], 5)


def tag_actors(
    regions: Sequence[Region],
    countries: Sequence[CountryMatch],
    rules: Rules,
    adjectives: dict[str, str],
    url: str | None = None,
) -> tuple[tuple[ActorTag, ...], tuple[Candidate, ...]]:
    """Tag the people and organisations in ``regions``; ``adjectives`` maps a country code to
    its adjective ("RU" → "Russian") for naming an embassy that the text only calls "the
    embassy". An organisation named as the page's ``url``'s site is the publisher, not an
    actor of the story."""
    tagging = rules.tagging
    sightings = find_sightings(regions, countries, tagging, adjectives)
    groups = _merge_people(_group(sightings))
    groups = _add_references(groups, regions, tagging.actor_weight("reference"), adjectives)
    scored = []
    own = _site_names(url)
    for members in groups.values():
        compact = _compact(_best(members).name)
        if own and (compact in own or compact.removesuffix("news") in own):
            continue  # the publisher itself ("told the BBC" on bbc.co.uk): every story's, no tag
        score = sum(s.mention.weight * rules.weight(s.mention.region) for s in members)
        first = min(_offset(regions, s) for s in members)
        scored.append((round(score, 3), first, _tag(members, round(score, 3)), members))
    scored.sort(key=lambda item: (-item[0], item[1], item[2].name))
    threshold = tagging.actor_min_score
    tags = tuple(tag for score, _, tag, _ in scored if score >= threshold)
    candidates = tuple(
        Candidate(
            kind="actor",
            key=tag.name,
            score=score,
            threshold=threshold,
            tagged=score >= threshold,
            mentions=tuple(sorted((s.mention for s in members), key=lambda m: _order(regions, m))),
        )
        for score, _, tag, members in scored
    )
    return tags, candidates


def _compact(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower().removeprefix("the "))


def _site_names(url: str | None) -> frozenset[str]:
    """What the site's own name compacts to: the first label of the host that is not "www"
    ("bbc" of www.bbc.co.uk), and the same less a "news" at its end ("ap" of apnews.com); a
    name matches with or without its own "News" ("Coastline News" on coastline.example)."""
    host = urlsplit(url).hostname if url else None
    labels = [part for part in (host or "").split(".") if part not in ("www", "m", "edition")]
    if len(labels) < 2:
        return frozenset()
    label = labels[0]
    return frozenset({label, label.removesuffix("news")} - {""})


def _offset(regions: Sequence[Region], s: Sighting) -> int:
    return _order(regions, s.mention)


def _order(regions: Sequence[Region], m: Mention) -> int:
    return next(r.offset for r in regions if r.name == m.region) + m.start


def _group(sightings: Sequence[Sighting]) -> dict[str, list[Sighting]]:
    """Sightings by actor: the dictionary id, else the name (a person found by a title and
    again as a bare name is one actor)."""
    groups: dict[str, list[Sighting]] = {}
    by_name: dict[str, str] = {}
    for s in sorted(sightings, key=_strength):
        key = by_name.get(s.name.lower(), s.key)
        by_name.setdefault(s.name.lower(), key)
        if s.mention.rule == "org:acronym":  # "OPEC" alone later is the organisation defined
            by_name.setdefault(s.mention.text.lower(), key)
        groups.setdefault(key, []).append(s)
    return groups


def _merge_people(groups: dict[str, list[Sighting]]) -> dict[str, list[Sighting]]:
    """A one-word name ("Antonov", from "Amb. Antonov") joins the one person whose longer name
    ends in it; a one-word organisation found only by a pattern ("Fogarty 2 Corser 1" in a
    results table) is that person too."""
    people = {k: g for k, g in groups.items() if _best(g).kind == "person"}
    for key, members in list(groups.items()):
        best = _best(members)
        words = best.name.split()
        if len(words) != 1 or (best.kind != "person" and _strength(best) < _STRENGTH["org"]):
            continue
        longer = [
            k for k, g in people.items() if k != key and _best(g).name.split()[-1] == words[0]
        ]
        if len(longer) == 1 and key in groups:
            person = _best(groups[longer[0]])
            merged = [replace(s, kind="person", name=person.name) for s in groups.pop(key)]
            groups[longer[0]] = groups[longer[0]] + merged
    return groups


def _best(members: Sequence[Sighting]) -> Sighting:
    return min(members, key=lambda s: (_strength(s), -len(s.name.split())))


def _tag(members: Sequence[Sighting], score: float) -> ActorTag:
    ranked = sorted(members, key=lambda s: (_strength(s), -len(s.name.split())))
    best = ranked[0]
    # the names the text used: "the ambassador" and "the embassy" refer, they do not name
    forms = tuple(
        dict.fromkeys(
            s.mention.text for s in members if s.mention.weight and s.mention.rule not in _GENERIC
        )
    )
    return ActorTag(
        name=best.name,
        kind=best.kind,
        role=next((s.role for s in ranked if s.role), None),
        country=next((s.country for s in ranked if s.country), None),
        mentions=len(members),
        score=score,
        forms=forms,
    )


def _add_references(
    groups: dict[str, list[Sighting]],
    regions: Sequence[Region],
    weight: float,
    adjectives: dict[str, str],
) -> dict[str, list[Sighting]]:
    """Later mentions by surname, by "the <role>" and by "the <kind of organisation>"."""
    lookups: dict[str, tuple[str, str]] = {}  # phrase → (group key, rule)
    roles: dict[str, list[str]] = {}
    kinds: dict[str, list[str]] = {}
    for key, members in groups.items():
        tag = _tag(members, 0.0)
        if tag.kind == "person":
            if len(tag.name.split()) > 1:
                lookups.setdefault(tag.name.split()[-1], (key, "reference:surname"))
            if tag.role:
                roles.setdefault(tag.role, []).append(key)
        else:
            kinds.setdefault(tag.name.split()[-1].lower(), []).append(key)
            if " " not in tag.name:  # "Ajax" again, once a table or a cue named it
                lookups.setdefault(tag.name, (key, "reference:name"))
    for role, keys in roles.items():
        if len(keys) == 1:
            for phrase in (f"the {role}", f"The {role}"):
                lookups.setdefault(phrase, (keys[0], "reference:role"))
    ambassador_country = next(
        (
            _tag(groups[k], 0).country
            for k in roles.get("ambassador", [])
            if _tag(groups[k], 0).country
        ),
        None,
    )
    templates = {key: members[0] for key, members in groups.items()}
    for word in _DIPLOMATIC:
        if word not in kinds and ambassador_country and ambassador_country in adjectives:
            # "the embassy", with no embassy named: the one of the ambassador the story quotes
            name = f"{adjectives[ambassador_country]} {word.capitalize()}"
            kinds[word] = [name.lower()]
            groups[name.lower()] = []
            none = Mention("", "", 0, 0, "", 0.0)
            templates[name.lower()] = Sighting(
                name.lower(), name, "organization", None, ambassador_country, none
            )
    for word, keys in kinds.items():
        if len(keys) == 1:
            for det in ("the", "The", "our", "Our", "its", "their"):
                lookups.setdefault(f"{det} {word}", (keys[0], "reference:organization"))
    if not lookups:
        return groups
    for region in regions:
        if region.name == "headline":
            continue
        taken = [
            (s.mention.start, s.mention.end)
            for g in groups.values()
            for s in g
            if s.mention.region == region.name
        ]
        for start, end, phrase in _references(region.text, lookups):
            if any(s < end and start < e for s, e in taken):
                continue
            key, rule = lookups[phrase]
            template = templates[key]
            mention = Mention(rule, region.name, start, end, phrase, weight)
            groups[key].append(replace(template, mention=mention))
    return {k: g for k, g in groups.items() if g}


# one fixed regex for every article (a regex of this article's surnames would be compiled anew
# each time): capitalised words, and "the"/"our" with the one or two words after it
_REFERENCE = re.compile(
    r"(?<![\w-])(?:(?:[Tt]he|[Oo]ur|its|their)\s+[a-z]+(?:\s+[a-z]+)?|[A-Z][\w'’-]*)(?![\w-])"
)


def _references(text: str, lookups: dict[str, tuple[str, str]]) -> list[tuple[int, int, str]]:
    out = []
    for m in _REFERENCE.finditer(text):
        phrase = m.group()
        if phrase in lookups:
            out.append((m.start(), m.end(), phrase))
        elif phrase[0].islower() or phrase[:3] in ("The", "Our"):
            shorter = phrase.rsplit(None, 1)[0]  # "the ambassador said" → "the ambassador"
            if shorter in lookups:
                out.append((m.start(), m.start() + len(shorter), shorter))
    return out
