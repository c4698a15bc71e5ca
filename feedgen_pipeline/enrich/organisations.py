"""Organisations: the patterns that find them (``rules.actors.org_patterns``), the acronyms a text
defines ("the Organization of Petroleum Exporting Countries (OPEC)"), and the words that make a
capitalised name an organisation's (``rules.actors.org_words``)."""

from __future__ import annotations

import re
from collections.abc import Sequence

import ahocorasick

from ..config.tagging import OrgPattern, TaggingRules
from ..memo import by_identity
from ..model import Mention
from .countries import CountryMatch
from .regions import LOWER, UPPER, Region
from .sightings import Sighting, country_within

LEADING = re.compile(
    r"^(?:(?:The|A|An|In|At|But|And|On|For|With|From|To|By|Of|As|When|While|After|Before|If|"
    r"Meanwhile|However|Calling|Then)\s+)+"
)


def org_name(text: str) -> str:
    """ "the Russian embassy" → "Russian Embassy": no leading article, generic words capitalised."""
    text = LEADING.sub("", re.sub(r"^the\s+", "", text))
    return " ".join(
        w[:1].upper() + w[1:] if w.islower() and len(w) > 3 else w for w in text.split()
    )


@by_identity
def _word_sets(org_words: tuple[tuple[str, tuple[str, ...]], ...]) -> dict[str, frozenset[str]]:
    return {name: frozenset(words) for name, words in org_words}


def word_set(rules: TaggingRules, name: str) -> frozenset[str]:
    """The words of the list ``name`` of rules.actors.org_words (none when there is no such
    list)."""
    return _word_sets(rules.org_words).get(name, frozenset())


def is_org_name(words: Sequence[str], rules: TaggingRules) -> bool:
    """Whether a capitalised name is an organisation's by its words: it ends in a head word
    ("Crystal Palace FC", "Sydney Newsroom") or a legal form, or starts with a word that only
    begins organisations' names ("FC Porto")."""
    last = words[-1].rstrip(".")
    return (
        last in word_set(rules, "head")
        or last in word_set(rules, "legal")
        or words[0].rstrip(".") in word_set(rules, "lead")
    )


_COUNTRY_NAME = ("name", "historical")


def by_pattern(
    region: Region,
    countries: Sequence[CountryMatch],
    rules: TaggingRules,
    adjectives: dict[str, str],
) -> list[Sighting]:
    out = []
    text = region.text
    bare = {(c.start, c.end): c.kind for c in countries if c.set_aside_by is None}
    heads = word_set(rules, "head")
    for pattern in applicable(rules.org_patterns, text):
        matches = list(pattern.regex.finditer(text))
        if pattern.run > 1:
            matches = _in_runs(text, matches, pattern.run)
        for m in matches:
            for group in ("org", "org2"):
                if group not in m.re.groupindex or m.group(group) is None:
                    continue
                found = m.group(group)
                name = org_name(found)
                owner = next(
                    (c for c in countries if c.start == m.start(group) and c.code in adjectives),
                    None,
                )
                if owner and re.match(r"['’]s\s", text[owner.end :]):
                    name = adjectives[owner.code] + name[len(owner.text) + 2 :]
                words = name.split()
                if len(words) < pattern.min_words or (len(words) == 1 and words[0] in heads):
                    continue  # "the Ministry" alone names no ministry
                start = m.start(group) + (len(found) - len(LEADING.sub("", found)))
                end = m.end(group)
                country_kind = bare.get((start, end))
                if country_kind and (pattern.min_words == 1 or country_kind in _COUNTRY_NAME):
                    # "Spain 2 Italy 1", "Washington said in a statement": the country's (team,
                    # government), which the country's tag stands for, as it does for "the Soviet
                    # Union"; an organisation that the gazetteer lists as standing for its
                    # country ("Palestinian Authority") is an organisation all the same
                    continue
                mention = Mention(
                    f"org:{pattern.id}",
                    region.name,
                    start,
                    end,
                    text[start:end],
                    rules.actor_weight("pattern"),
                )
                country = country_within(countries, start, end)
                out.append(Sighting(name.lower(), name, "organization", None, country, mention))
    return sorted(out, key=lambda s: (s.mention.start, -s.mention.end))


@by_identity
def _keyword_index(patterns: tuple[OrgPattern, ...]) -> ahocorasick.Automaton | None:
    """One automaton over every pattern's keywords, each mapped to the patterns that need it:
    one pass over a paragraph tells which patterns to try (a search per pattern costs more
    than most of the patterns' own regexes on the paragraphs they fail on)."""
    needs: dict[str, set[int]] = {}
    for i, pattern in enumerate(patterns):
        for word in pattern.keywords:
            needs.setdefault(word, set()).add(i)
    if not needs:
        return None
    automaton = ahocorasick.Automaton()
    for word, indices in needs.items():
        automaton.add_word(word, frozenset(indices))
    automaton.make_automaton()
    return automaton


def applicable(patterns: tuple[OrgPattern, ...], text: str) -> list[OrgPattern]:
    """The patterns, in order, that have no keywords or whose keywords ``text`` holds."""
    automaton = _keyword_index(patterns)
    hit: set[int] = set()
    if automaton is not None:
        for _, indices in automaton.iter(text):
            hit |= indices
    return [p for i, p in enumerate(patterns) if not p.keywords or i in hit]


def _in_runs(text: str, matches: list[re.Match[str]], least: int) -> list[re.Match[str]]:
    """The matches that stand in a run of at least ``least`` matches with nothing but white space
    between one and the next."""
    out: list[re.Match[str]] = []
    run: list[re.Match[str]] = []
    for m in matches:
        if run and text[run[-1].end() : m.start()].strip():
            out += run if len(run) >= least else []
            run = []
        run.append(m)
    return out + (run if len(run) >= least else [])


# "the Organization of Petroleum Exporting Countries (OPEC)": capitalised words (and the small
# words between them) before an acronym in brackets
_DEFINED = re.compile(
    rf"(?P<name>[{UPPER}][\w'’-]*(?:\s+(?:(?:of|for|and|on|in|the|de|du|des|del|la|le|&)\s+)*"
    rf"[{UPPER}][\w'’-]*){{1,9}})\s+\((?P<acronym>[{UPPER}][{UPPER}{LOWER}&.-]{{1,9}})\)"
)


def by_acronym(region: Region, rules: TaggingRules) -> list[Sighting]:
    """An organisation the text names in full and then by the acronym in brackets after it: both
    spans, one actor (a later bare acronym joins it when tags are merged)."""
    out = []
    text = region.text
    weight = rules.actor_weight("pattern")
    for m in _DEFINED.finditer(text):
        acronym = m.group("acronym")
        if sum(c.isupper() for c in acronym) < 2:
            continue
        words = m.group("name").split()
        for i in range(len(words) - 1):
            if words[i][0].isupper() and _spells(acronym, words[i:]):
                name = " ".join(words[i:])
                start = m.end("name") - len(name)
                key = name.lower()
                for s, e, rule in (
                    (start, m.end("name"), "org:acronym-defined"),
                    (m.start("acronym"), m.end("acronym"), "org:acronym"),
                ):
                    mention = Mention(rule, region.name, s, e, text[s:e], weight)
                    out.append(Sighting(key, name, "organization", None, None, mention))
                break
    return out


def _spells(acronym: str, words: Sequence[str]) -> bool:
    """Whether the initials of ``words`` spell ``acronym``: every capitalised word (and each
    capitalised part of a hyphenated one) gives its initial, a small word may ("AfD":
    "Alternative for Germany")."""
    letters = [c.upper() for c in acronym if c.isalpha()]
    initials = [
        (part[0].upper(), part[0].isupper())
        for word in words
        for part in re.split(r"[-’']", word)
        if part
    ]
    # the initials read left to right: a required one must be the next letter, an optional one
    # may be skipped; sets of positions reached so far
    reached = {0}
    for letter, required in initials:
        step = {k + 1 for k in reached if k < len(letters) and letters[k] == letter}
        reached = step if required else reached | step
        if not reached:
            return False
    return len(letters) in reached
