"""The country gazetteer and matcher: data sanity, longest match, boundaries, case, scoring."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml
from hypothesis import example, given
from hypothesis import strategies as st

from feedgen_pipeline.config import default_rules
from feedgen_pipeline.enrich.countries import tag_countries
from feedgen_pipeline.enrich.gazetteer import Gazetteer, trie_pattern
from feedgen_pipeline.enrich.regions import make_regions

RULES = default_rules()
DATA = yaml.safe_load(
    resources.files("feedgen_pipeline").joinpath("data/countries.yaml").read_text("utf-8")
)


def regions(*parts: tuple[str, str]):  # type: ignore[no-untyped-def]
    return make_regions(parts, {"US", "U.S.", "UK"})


def codes(text: str) -> list[str]:
    """The countries tagged in ``text``."""
    named, _, _ = tag_countries(regions(("body", text)), RULES)
    return [t.code for t in named if t.tagged]


def test_gazetteer_covers_iso_3166_once_each() -> None:
    entries = DATA["countries"]
    all_codes = [e["code"] for e in entries]
    assert len(all_codes) == len(set(all_codes)) == 250  # 249 ISO codes and XK
    assert all_codes == sorted(all_codes)
    assert all(len(c) == 2 and c.isupper() for c in all_codes)


def test_no_phrase_is_listed_twice() -> None:
    seen: dict[str, str] = {}
    fields = ("name", "official", "aliases", "demonyms", "capitals", "currencies", "historical")
    for entry in DATA["countries"]:
        for field in fields:
            values = entry.get(field) or []
            for phrase in [values] if isinstance(values, str) else values:
                assert seen.setdefault(phrase, entry["code"]) == entry["code"], phrase
    for rule in RULES.tagging.ambiguity:
        for phrase in rule.phrases:
            assert phrase not in seen, phrase


def test_gazetteer_prefers_the_longest_phrase() -> None:
    g = Gazetteer(
        [
            ("Guinea", "GN"),
            ("Papua New Guinea", "PG"),
            ("Guinea-Bissau", "GW"),
            ("Niger", "NE"),
            ("Nigeria", "NG"),
        ]
    )
    found = [m.value for m in g.finditer("Papua New Guinea, Guinea-Bissau, Nigeria, Niger, Guinea")]
    assert found == ["PG", "GW", "NG", "NE", "GN"]
    assert [m.value for m in g.finditer("Nigerien Guineas")] == []


# phrases and texts over a small alphabet, so that phrases overlap, nest and touch words
_PHRASE = st.text(alphabet="ab .-'_é1", min_size=1, max_size=5)


@given(
    st.lists(_PHRASE, min_size=1, max_size=8),
    st.lists(st.one_of(_PHRASE, st.sampled_from([" ", "a", "b.", "-", "ab ab"])), max_size=12),
)
@example(["Guinea", "Papua New Guinea", "Niger", "Nigeria"], ["Papua New Guinea", " Nigerian"])
@example(["U.S.", "US"], ["U.S.A. ", "US", "_", "US"])
def test_gazetteer_finds_what_a_trie_regex_finds(phrases: list[str], parts: list[str]) -> None:
    """The matcher agrees with the regex of the same phrases that it replaces: whole words,
    leftmost, then longest, no overlaps."""
    text = "".join(parts) + " " + " ".join(phrases)
    regex = re.compile(rf"(?<![\w]){trie_pattern(phrases)}(?![\w])")
    expected = [(m.start(), m.end()) for m in regex.finditer(text)]
    g = Gazetteer((p, p) for p in phrases)
    assert [(m.start, m.end) for m in g.finditer(text)] == expected
    assert all(m.value == m.text == text[m.start : m.end] for m in g.finditer(text))


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Russia's envoy met U.S. officials.", ["RU", "US"]),
        ("the US-Russia talks", ["US", "RU"]),
        ("Moscow said the Kremlin would reply.", ["RU"]),
        ("The Kremlin said", ["RU"]),
        ("Nigeria and the Niger Delta", ["NG"]),
        ("Dominican Republic beat Dominica", ["DO", "DM"]),
        ("Let us talk about the weather.", []),
        ("Latin American leaders met in South America.", []),
        ("Soviet troops left", ["RU"]),
    ],
)
def test_matching(text: str, expected: list[str]) -> None:
    assert sorted(codes(text)) == sorted(expected)


def test_scores_rank_headline_mentions_first() -> None:
    tags, candidates, _ = tag_countries(
        regions(("headline", "Chile election"), ("body", "Peru and Peru and Peru, and Chile.")),
        RULES,
    )
    assert [t.code for t in tags] == ["CL", "PE"]
    assert tags[0].primary and not tags[1].primary
    assert tags[0].score == 1.0 and 0 < tags[1].score < 1
    assert (tags[0].mentions, tags[1].mentions) == (2, 3)
    assert tags[0].first == 0 and tags[1].first == len("Chile election\n")
    chile = next(c for c in candidates if c.key == "CL")
    assert chile.tagged and chile.mentions[0].rule == "country:name"
    assert (chile.mentions[0].region, chile.mentions[0].start, chile.mentions[0].end) == (
        "headline",
        0,
        5,
    )


def test_threshold_keeps_weak_mentions_out_of_tags_but_listed() -> None:
    text = "France " * 20 + "and, once, Spain; prices in dollars."
    assert codes(text) == ["FR"]
    named, candidates, _ = tag_countries(regions(("body", text)), RULES)
    assert [(c.code, c.tagged, c.primary, c.mentions) for c in named] == [
        ("FR", True, True, 20),
        ("ES", False, False, 1),
    ]
    assert 0 < named[1].score < RULES.country_min_relative_score
    # a currency beside other countries names nothing: a candidate, not listed
    assert {c.key for c in candidates} == {"FR", "ES", "US"}


@pytest.mark.parametrize(
    "text, expected",
    [
        # each row: an ambiguity rule, and the same country named plainly still counts
        ("Georgia's governor signed the bill in Atlanta, Georgia.", []),
        ("Georgia's president met the EU in Tbilisi.", ["GE"]),
        ("Jordan Henderson scored twice.", []),
        ("Jordan closed its border.", ["JO"]),
        ("Chad Smith played drums; Chad held elections.", ["TD"]),
        ("They ate Turkey sandwiches at a Thanksgiving Turkey dinner.", []),
        ("Turkey raised rates.", ["TR"]),
        ("Denzel Washington starred; the Washington Post reported.", []),
        ("Washington state and Seattle, Washington voted.", []),
        ("Washington imposed sanctions.", ["US"]),
        ("A Guinea pig in Jersey City near the Indian Ocean.", []),
        ("Latin American markets.", []),
        ("Air China and Bank of America shares rose.", []),
        ("Sofia Lindqvist wrote the report.", []),
        ("Talks were held in Sofia on Monday.", ["BG"]),
        ("Brussels proposed new EU tariffs.", []),
        ("Brussels police closed the airport.", ["BE"]),
        ("Lawmakers in New Mexico and New Jersey.", ["US"]),
    ],
)
def test_ambiguity_rules(text: str, expected: list[str]) -> None:
    assert sorted(codes(text)) == sorted(expected)


def test_set_aside_mentions_are_candidates_with_their_rule() -> None:
    named, candidates, _ = tag_countries(regions(("body", "Sofia Lindqvist said.")), RULES)
    assert named == ()  # every mention set aside: not a country the text names
    (bulgaria,) = candidates
    assert (bulgaria.key, bulgaria.tagged, bulgaria.score) == ("BG", False, 0.0)
    assert bulgaria.mentions[0].rule == "ambiguity:first-names"
    assert bulgaria.mentions[0].weight == 0


def test_all_capitals_headline_is_recased_but_keeps_us() -> None:
    (region,) = regions(("headline", "CANADA'S WILSON SEEKS U.S. AID FROM UK"))
    assert region.text == "Canada's Wilson Seeks U.S. Aid From UK"
    assert region.titled
    assert codes("CANADA'S WILSON SEEKS U.S. AID") == ["CA", "US"]
