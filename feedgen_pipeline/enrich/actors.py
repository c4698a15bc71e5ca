"""Find the people and organisations an article names: sightings, before merging.

Five sources, strongest first; a span taken by one is not read again by the next:
the actor dictionary (data/actors.yaml), role titles before or after a name (data/roles.yaml),
acronyms the text defines and organisation patterns (``organisations.py``), and, as a weak
guess, capitalised names.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..config.regexes import trie_pattern
from ..config.tagging import ActorEntry, RoleTitle, TaggingRules
from ..memo import by_identity
from ..model import ActorKind, Mention
from .countries import CountryMatch
from .gazetteer import Gazetteer
from .organisations import LEADING, applicable, by_acronym, by_pattern, is_org_name
from .regions import PERSON_NAME, UPPER, Region
from .sightings import Sighting, country_within, overlaps


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


# words that start or end a capitalised phrase that is a place, an event or a thing, not an actor
_PLACE_START = _words(
    "New Los Las San Santa St. Saint North South East West Upper Lower Port Fort Mount Lake "
    "Cape Gulf Sea Northern Southern Eastern Western Central Greater Middle Far Near"
)
_NOT_ACTOR_END = _words(
    "Road Street Avenue Square Park Stadium Ground Bridge River Island Islands Valley "
    "Province County State City Airport Hotel Cup Open Championship Championships Games "
    "Olympics War Day Festival Prize Award Awards Act Bill Treaty Accord Agreement Plan "
    "Strait Sea Ocean Mountains Hills Coast Peninsula Desert Region District Palace Hall "
    "Tower Centre Center Prison Street Week Year Summit Conference Index Stock Trophy League "
    "Series Grand Prix Test Tour"
)
_ACRONYM_STOP = _words(
    "AIDS HIV GDP GNP CEO CFO TV AM PM OK AD BC UTC GMT EST DNA USD EUR GBP JPY CHF ID PC ET "
    "I II III IV VI"
)
# words of time that head a line of a company's figures ("Year Oper shr 1.20 dlrs"), not a name
_NOT_NAME_START = _words("Year Quarter Month Week Period Half Fiscal")
# a credit rating ("AA-minus", "BBB"): the letters of the rating scales, not an acronym
_RATING = re.compile(r"[ABC]{1,3}")
# an abbreviation ("Shr", "Dlrs", "Mths"): lower-case letters without a vowel
_NO_VOWEL = re.compile(r"[A-Z]?[b-df-hj-np-tv-xz]+\.?")
# a word in capitals at the start of a paragraph before a dash, a bracket or a date is a
# dateline ("CAIRO —", "SEOUL (AP)", "LONDON, June 3"), the place the story was filed from
_DATELINE_END = re.compile(r"\s*(?:[—–(]|-\s|,\s+[A-Z][a-z]+\.?\s+\d)")
_POSSESSIVE = re.compile(r"['’]s$")
_DATE_WORD = re.compile(
    r"(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|January|February|March|April|June|July|August|"
    r"September|October|November|December"
)
# a word in capitals before a colon is a label ("NOTE:", "UPDATE:")
_LABEL_END = re.compile(r"\s*:")


@by_identity
def _dictionary(actors: tuple[ActorEntry, ...]) -> Gazetteer[ActorEntry]:
    return Gazetteer((phrase, a) for a in actors for phrase in (a.name, *a.aliases))


@by_identity
def _role_patterns(roles: tuple[RoleTitle, ...]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """(title before the name, name then an appositive title), each with groups title and name."""
    titles = trie_pattern({t for r in roles for t in r.titles})
    portfolio = (
        rf"(?:\s+(?:of|for)\s+(?:the\s+)?{_PORTFOLIO}(?:\s+(?:and\s+)?{_PORTFOLIO}){{0,3}})?"
    )
    before = re.compile(rf"(?<![\w-])(?P<title>{titles}){portfolio}\s+(?P<name>{PERSON_NAME})")
    after = re.compile(
        rf"(?<![\w-])(?P<name>{PERSON_NAME}),\s+(?:(?:the|a|an|its|his|her|their)\s+)?"
        rf"(?P<pre>(?:[\w.'’-]+\s+){{0,3}}?)(?P<title>{titles})(?![\w-])"
    )
    return before, after


# what a minister is "of": "Minister of State for Foreign Affairs Khalid Al-Mansouri"
_PORTFOLIO = (
    r"(?:Foreign|Affairs|Defen[cs]e|Finance|Economy|Economic|Trade|Industry|Interior|Home|Justice|"
    r"Health|Energy|Agriculture|State|Education|Labou?r|Transport|Environment|Commerce|Culture|"
    r"Information|Communications|Tourism|Security|Homeland|Treasury|Planning|Development|Oil|"
    r"Petroleum|Mines|Mining|Water|Works|Public|National|International|Co-?operation|Intelligence|"
    r"Armed|Forces|Army|Staff|Finance|Budget|Investment|Science|Technology|Digital|Immigration)\b"
)


@by_identity
def _role_of(roles: tuple[RoleTitle, ...]) -> dict[str, str | None]:
    return {t: r.role for r in roles for t in r.titles}


# a word in capitals next to another ("NEW YORK", "ST LOUIS") or before a number (a dateline:
# "LONDON 1996-08-30") is part of a line in capitals, not an acronym
_CAPS_AROUND = re.compile(r"[ \t]+(?:[A-Z]{2,}\b|\d)")
_CAPS_BEFORE = re.compile(r"\b[A-Z]{2,}[ \t]+$")
# not after a dot: "N.Z. Dlrs" holds no name "Z."
_NAME_RUN = re.compile(rf"(?<![\w.-])(?:{PERSON_NAME}|[{UPPER}]{{2,6}}\b)")


def find_sightings(
    regions: Sequence[Region],
    countries: Sequence[CountryMatch],
    rules: TaggingRules,
    adjectives: dict[str, str],
) -> list[Sighting]:
    """Every sighting of an actor in ``regions``, each rule's in reading order.

    ``adjectives`` (ISO code → "Russian") names an organisation written with a possessive:
    "Iran's Foreign Ministry" is the "Iranian Foreign Ministry"."""
    out: list[Sighting] = []
    by_region: dict[int, list[CountryMatch]] = {}
    for c in countries:
        by_region.setdefault(id(c.region), []).append(c)
    for region in regions:
        taken: list[tuple[int, int]] = []
        in_region = by_region.get(id(region), [])
        found = [_by_dictionary(region, rules), _by_role(region, in_region, rules)]
        if not region.titled:
            found.append(_by_cue(region, in_region, rules))
        if not region.titled:  # capitals in a Title Case headline mark no name
            patterns = by_pattern(region, in_region, rules, adjectives)
            found[0] = _not_inside(found[0], patterns)
            found.append(by_acronym(region, rules))
            found.append(patterns)
            if rules.names_discovery:
                found.append(_by_name(region, in_region, rules))
        for sightings in found:
            for s in sightings:
                m = s.mention
                if not overlaps(taken, m.start, m.end):
                    out.append(s)
                    taken.append((m.start, m.end))
    return out


def _not_inside(known: list[Sighting], patterns: list[Sighting]) -> list[Sighting]:
    """The dictionary's organisations less those inside a longer name that an organisation
    pattern found: "Moody's Investors Service Inc" is not "Moody's"."""
    spans = [(p.mention.start, p.mention.end) for p in patterns]
    return [
        s
        for s in known
        if s.kind != "organization"
        or not any(
            a <= s.mention.start and s.mention.end <= b and b - a > s.mention.end - s.mention.start
            for a, b in spans
        )
    ]


def _by_dictionary(region: Region, rules: TaggingRules) -> list[Sighting]:
    out = []
    for m in _dictionary(rules.actors).finditer(region.text):
        a = m.value
        mention = Mention(
            f"actor:{a.id}", region.name, m.start, m.end, m.text, rules.actor_weight("dictionary")
        )
        out.append(Sighting(a.id, a.name, a.kind, a.role, a.country, mention))
    return out


def _country_before(countries: Sequence[CountryMatch], start: int, text: str) -> str | None:
    """The country named just before ``start`` ("Russian Ambassador", "Russia's envoy")."""
    for c in countries:
        between = text[c.end : start]
        if c.end <= start and c.set_aside_by is None and _JUST_BEFORE.fullmatch(between):
            return c.code
    return None


# "Russian Ambassador", "Russia's envoy", "Indonesia's Forestry Minister", "Malian government
# spokesman": a possessive and at most one word between the country and the title
_JUST_BEFORE = re.compile(r"(?:['’]s)?(?:\s+[\w-]+)?\s+")


def _by_role(
    region: Region, countries: Sequence[CountryMatch], rules: TaggingRules
) -> list[Sighting]:
    before, after = _role_patterns(rules.roles)
    role_of = _role_of(rules.roles)
    out = []
    for m, after_name in [(m, False) for m in before.finditer(region.text)] + [
        (m, True) for m in after.finditer(region.text)
    ]:
        start, end = _strip_titles(region.text, m.start("name"), m.end("name"), role_of)
        lead = LEADING.match(region.text[start:end] + " ")
        if lead:  # "However, chairman Randall Fields": a function word is no name
            start += lead.end()
        if start >= end or country_within(countries, start, end):
            continue  # "President Putin" yes; "Ambassador Antonov" yes; "Minister Russia" no
        if is_org_name(region.text[start:end].split(), rules):
            continue  # "General Electric Co": a title's word at the start of a company's name
        title = m.group("title")
        role = role_of[title]
        if after_name:
            if role is None:
                continue
            country = country_within(countries, m.end("name"), m.start("title"))
        else:
            country = _country_before(countries, m.start(), region.text)
        name = region.text[start:end]
        mention = Mention(
            f"role:{_role_id(rules, title)}",
            region.name,
            start,
            end,
            name,
            rules.actor_weight("role"),
        )
        out.append(Sighting(name, name, "person", role, country, mention))
    return sorted(out, key=lambda s: s.mention.start)


def _by_cue(
    region: Region, countries: Sequence[CountryMatch], rules: TaggingRules
) -> list[Sighting]:
    """People named where only a person stands: "said Jane Doe,", "Jane Doe, 44,"
    (rules.actors.person_patterns)."""
    out = []
    text = region.text
    for pattern in applicable(rules.person_patterns, text):
        for m in pattern.regex.finditer(text):
            start, end = m.span("name")
            lead = LEADING.match(text[start:end] + " ")
            if lead:
                start += lead.end()
            words = text[start:end].split()
            while words and (_DATE_WORD.fullmatch(words[-1]) or _POSSESSIVE.search(words[-1])):
                # "Jane Doe Wednesday", "Jane Doe's": a date or a possessive ends the name
                words[-1] = _POSSESSIVE.sub("", words[-1])
                if not words[-1] or _DATE_WORD.fullmatch(words[-1]):
                    words.pop()
            end = start + len(" ".join(words))
            if (
                len(words) < pattern.min_words
                or country_within(countries, start, end)
                or is_org_name(words, rules)
                or words[0] in _PLACE_START
                or words[-1] in _NOT_ACTOR_END
            ):
                continue
            name = " ".join(words)
            rule = f"person:{pattern.id}"
            mention = Mention(rule, region.name, start, end, name, rules.actor_weight("role"))
            out.append(Sighting(name, name, "person", None, None, mention))
    return sorted(out, key=lambda s: s.mention.start)


def _strip_titles(
    text: str, start: int, end: int, role_of: dict[str, str | None]
) -> tuple[int, int]:
    """ "Colonel Boubacar Sangaré" → "Boubacar Sangaré": a name does not start with a title."""
    while True:
        head, _, rest = text[start:end].partition(" ")
        if head not in role_of or not rest:
            return start, end
        start += len(head) + 1


def _role_id(rules: TaggingRules, title: str) -> str:
    return next(r.id for r in rules.roles if title in r.titles)


def _by_name(
    region: Region, countries: Sequence[CountryMatch], rules: TaggingRules
) -> list[Sighting]:
    out = []
    text = region.text
    role_of = _role_of(rules.roles)
    named = [(c.start, c.end) for c in countries if not c.set_aside_by]
    for m in _NAME_RUN.finditer(text):
        words = m.group().split()
        start = m.start()
        lead = LEADING.match(m.group() + " ")
        if lead:  # "In Moscow", "The Kremlin": a capitalised function word is no part of a name
            words = words[len(lead.group().split()) :]
            start = min(m.start() + lead.end(), m.end())
        end = m.end()
        for i, word in enumerate(words):
            if _NO_VOWEL.fullmatch(word) and not word.isupper():
                end = start + len(" ".join(words[:i]))  # "Year Shr 1.20": no name goes past "Shr"
                words = words[:i]
                break
        while words and words[0] in _NOT_NAME_START:
            start += len(words[0]) + 1
            words = words[1:]
        if not words or overlaps(named, start, end):
            continue
        acronym = len(words) == 1 and words[0].isupper()
        if acronym and (
            words[0] in _ACRONYM_STOP
            or sum(c.isalpha() for c in words[0]) < 2
            or _RATING.fullmatch(words[0])
            or region.titled
            or _CAPS_AROUND.match(text, end)
            or _CAPS_BEFORE.search(text, max(0, start - 40), start)
            or _LABEL_END.match(text, end)
            or (start == 0 and _DATELINE_END.match(text, end))
        ):
            continue
        if not acronym and (
            len(words) < 2 or words[0] in _PLACE_START or words[-1] in _NOT_ACTOR_END
        ):
            continue
        if any(" ".join(words[: k + 1]) in role_of for k in range(len(words))):
            continue  # "Vice President": a title with no name after it
        name = " ".join(words)
        kind: ActorKind = "organization" if acronym or is_org_name(words, rules) else "person"
        mention = Mention(
            "name:capitalised", region.name, start, end, name, rules.actor_weight("name")
        )
        out.append(Sighting(name, name, kind, None, None, mention))
    return out
