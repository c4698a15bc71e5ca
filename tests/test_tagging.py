"""Actor tagging, user rules over the built-ins, --explain, and the seed article."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feedgen_pipeline import enrich_file
from feedgen_pipeline.cli import main
from feedgen_pipeline.config import Rules, default_rules, load_config
from feedgen_pipeline.enrich import enrich
from feedgen_pipeline.errors import ConfigError
from feedgen_pipeline.model import ActorTag, Document

from .conftest import SHARED

RULES = default_rules()
SEED = SHARED / "seed" / "000_14c485589d1ef55d.txt"


def tag(body: str, rules: Rules = RULES, headline: str = "News") -> tuple[ActorTag, ...]:
    doc = Document("a.txt", "text", headline, None, None, tuple(body.split("\n\n")), None)
    return enrich(doc, rules).actors


def by_name(actors: tuple[ActorTag, ...]) -> dict[str, ActorTag]:
    return {a.name: a for a in actors}


@pytest.mark.skipif(not SEED.exists(), reason="the seed article is in ../shared, absent here")
def test_seed_article_countries_and_actors() -> None:
    article = enrich_file(SEED, RULES)
    codes = [c.code for c in article.countries]
    assert set(codes[:2]) == {"RU", "US"}
    assert "UA" in codes[2:]
    actors = by_name(article.actors)
    antonov = actors["Antoly Antonov"]
    assert (antonov.kind, antonov.role, antonov.country) == ("person", "ambassador", "RU")
    assert antonov.mentions >= 3  # "Amb. Antonov", "Antonov complained" count for him
    state = actors["State Department"]
    assert (state.kind, state.country) == ("organization", "US")
    assert "State Dept" in state.forms
    embassy = actors["Russian Embassy"]
    assert (embassy.kind, embassy.country) == ("organization", "RU")


def test_role_title_with_demonym_or_possessive_gives_country() -> None:
    actors = by_name(
        tag(
            "Russian Ambassador Anatoly Antonov met Britain's Foreign Secretary Jane Holt. "
            "Holt said little; the ambassador said more."
        )
    )
    assert actors["Anatoly Antonov"].country == "RU"
    assert actors["Anatoly Antonov"].role == "ambassador"
    assert actors["Jane Holt"].country == "GB"
    assert actors["Jane Holt"].role == "foreign minister"
    assert actors["Jane Holt"].mentions == 2
    assert actors["Anatoly Antonov"].mentions == 2  # "the ambassador"


def test_appositive_title_and_organisation_patterns() -> None:
    actors = by_name(
        tag(
            "Maria Lopez, Spain's economy minister, spoke to Acme Widgets Inc about the "
            "Green Party and the Iranian Foreign Ministry."
        )
    )
    assert actors["Maria Lopez"].role == "minister"
    assert actors["Maria Lopez"].country == "ES"
    assert actors["Acme Widgets Inc"].kind == "organization"
    assert actors["Green Party"].kind == "organization"
    assert actors["Iranian Foreign Ministry"].country == "IR"


def test_dictionary_aliases_count_for_one_actor() -> None:
    actors = by_name(tag("The U.N. and the United Nations agreed; NATO and Nato did not."))
    assert actors["United Nations"].mentions == 2
    assert actors["NATO"].mentions == 2
    assert actors["NATO"].forms == ("NATO", "Nato")


def test_user_rules_add_actors_aliases_and_switch_off_builtins(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        """\
feed: {title: T, base_url: "https://example.org/"}
sources: [{path: .}]
rules:
  countries:
    aliases:
      - {id: ruritania-as-austria, country: AT, phrases: [Ruritania], kind: name}
    ambiguity:
      - {id: turkey-the-bird, enabled: false}
  actors:
    min_score: 0.5
    dictionary:
      - {id: acme, name: Acme Group, kind: organization, country: AT, aliases: [Acme]}
      - {id: nato, enabled: false}
""",
        "utf-8",
    )
    rules = load_config(config).rules
    doc = Document(
        "a.txt", "text", "News", None, None, ("Acme in Ruritania ate Turkey dinner.",), None
    )
    article = enrich(doc, rules)
    assert [c.code for c in article.countries] == ["AT", "TR"]
    assert by_name(article.actors)["Acme Group"].country == "AT"
    assert mention_rules("NATO met.", rules) == ["name:capitalised"]  # a weak guess only
    assert mention_rules("NATO met.", RULES) == ["actor:nato"]


def mention_rules(body: str, rules: Rules) -> list[str]:
    doc = Document("a.txt", "text", "News", None, None, (body,), None)
    return [m.rule for c in enrich(doc, rules).candidates if c.kind == "actor" for m in c.mentions]


@pytest.mark.parametrize(
    "rules, message",
    [
        (
            "actors: {dictionary: [{id: x, name: X, kind: robot}]}",
            "expected person or organization",
        ),
        ("actors: {dictionary: [{id: x, name: X, country: XX}]}", "unknown ISO 3166-1"),
        ("actors: {org_patterns: [{id: x, regex: 'Inc'}]}", "group named `org`"),
        ("countries: {ambiguity: [{id: x, regex: '(('}]}", "regex does not compile"),
        (
            "countries: {aliases: [{id: x, country: FR, phrases: [Gaul], kind: nick}]}",
            "unknown kind",
        ),
        ("actors: {colour: red}", "unknown key"),
    ],
)
def test_invalid_tagging_rules_are_named(tmp_path: Path, rules: str, message: str) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(
        f'feed: {{title: T, base_url: "https://example.org/"}}\nsources: [{{path: .}}]\n'
        f"rules:\n  {rules}\n",
        "utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_config(config)
    problems = list(info.value.problems)
    assert any(message in p and f"{config}:" in p for p in problems), problems


def test_explain_shows_rules_spans_scores_and_candidates_below_threshold(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    article = tmp_path / "a.txt"
    article.write_text(
        "France and Germany sign pact\n\n"
        "France and Germany signed. France agreed, France said, a dollar moved.\n\n"
        "The pact runs for ten years.\n\nIt was signed at noon.\n\n"
        "Sofia Lindqvist wrote it.\n\nItaly was not there.\n",
        "utf-8",
    )
    assert main(["extract", "--explain", str(article), "--config", str(tmp_path / "no")]) == 0
    record = json.loads(capsys.readouterr().out)
    explain = record["_explain"]
    countries = {c["key"]: c for c in explain["countries"]}
    assert countries["FR"]["tagged"] and countries["FR"]["score"] == 1.0
    assert countries["FR"]["mentions"][0] == {
        "rule": "country:name",
        "region": "headline",
        "start": 0,
        "end": 6,
        "text": "France",
        "weight": 3.0,
    }
    # a currency beside named countries: explained, not a country the article names
    assert not countries["US"]["tagged"] and countries["US"]["score"] < countries["US"]["threshold"]
    assert "US" not in [c["code"] for c in record["_enrichment"]["countries"]]
    # below the threshold: listed in _enrichment, not tagged, not in the JSON Feed's tags
    assert not countries["IT"]["tagged"]
    listed = {c["code"]: c for c in record["_enrichment"]["countries"]}
    assert listed["IT"]["tagged"] is False and listed["FR"]["tagged"] is True
    assert listed["IT"]["score"] == countries["IT"]["score"] < countries["IT"]["threshold"]
    # set aside by an ambiguity rule
    assert countries["BG"]["mentions"][0]["rule"] == "ambiguity:first-names"
    actors = {a["key"]: a for a in explain["actors"]}
    sofia = actors["Sofia Lindqvist"]
    assert sofia["mentions"][0]["rule"] == "name:capitalised"
    assert (sofia["tagged"], sofia["score"], sofia["threshold"]) == (False, 0.7, 1.0)
    assert "Sofia Lindqvist" not in [a["name"] for a in record["_enrichment"]["actors"]]
