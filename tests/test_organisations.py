"""Organisations and people by convention: every rule of rules.actors.org_patterns,
person_patterns and org_words, the acronyms a text defines, the generated company dictionary,
and what is no actor at all. Every sentence here is written for these tests."""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

import pytest
import yaml

from feedgen_pipeline.config import default_rules, load_config
from feedgen_pipeline.enrich import enrich
from feedgen_pipeline.errors import ConfigError
from feedgen_pipeline.model import ActorTag, Document

RULES = default_rules()
DATA = Path(__file__).resolve().parent.parent / "feedgen_pipeline" / "data"


def tag(body: str, headline: str = "News") -> dict[str, ActorTag]:
    doc = Document("a.txt", "text", headline, None, None, tuple(body.split("\n\n")), None)
    return {a.name: a for a in enrich(doc, RULES).actors}


def rules_of(body: str, name: str) -> set[str]:
    doc = Document("a.txt", "text", "News", None, None, (body,), None)
    return {
        m.rule
        for c in enrich(doc, RULES).candidates
        if c.kind == "actor" and c.key == name
        for m in c.mentions
    }


# (sentence, name, kind, the rule that must have found it)
FOUND = [
    # head words
    (
        "Voters backed the Green Dawn Party in the north.",
        "Green Dawn Party",
        "organization",
        "org:party",
    ),
    (
        "The report was filed by the Lisbon Newsroom late on Friday.",
        "Lisbon Newsroom",
        "organization",
        "org:party",
    ),
    (
        "Harris Upham and Co Inc led the sale of the notes.",
        "Harris Upham and Co Inc",
        "organization",
        "org:party",
    ),
    (
        "Graduates of Eastmoor University found work fast.",
        "Eastmoor University",
        "organization",
        "org:party",
    ),
    (
        "Fans of Castlebay Wanderers sang all night.",
        "Castlebay Wanderers",
        "organization",
        "org:party",
    ),
    # words that begin an organisation's name
    (
        "The striker joined Sporting Valdera last summer.",
        "Sporting Valdera",
        "organization",
        "org:lead-word",
    ),
    (
        "He scored twice for FC Nordstrand on Sunday.",
        "FC Nordstrand",
        "organization",
        "org:lead-word",
    ),
    # legal forms (from data/organisations.yaml)
    (
        "Tulpen Handel N.V. sold its flower unit.",
        "Tulpen Handel N.V.",
        "organization",
        "org:company-suffix",
    ),
    (
        "Fjordline Shipping ASA ordered two ferries.",
        "Fjordline Shipping ASA",
        "organization",
        "org:company-suffix",
    ),
    # government bodies and "of" names
    (
        "The Ruritanian Fisheries Ministry set new quotas.",
        "Ruritanian Fisheries Ministry",
        "organization",
        "org:government-body",
    ),
    (
        "The Institute of Coastal Studies published the data.",
        "Institute of Coastal Studies",
        "organization",
        "org:ministry-of",
    ),
    (
        "She is a fellow at the Council on Northern Waters.",
        "Council on Northern Waters",
        "organization",
        "org:ministry-of",
    ),
    (
        "Leaders of the Harbour Brotherhood called a strike.",
        "Harbour Brotherhood",
        "organization",
        "org:party",
    ),
    # context: who speaks for it, whose shares, whose statement, which paper
    (
        "The deal was confirmed by a spokesman for Kestrelmoor on Monday.",
        "Kestrelmoor",
        "organization",
        "org:speaking-for",
    ),
    (
        "Shares of Halvorsen rose 4 percent in early trade.",
        "Halvorsen",
        "organization",
        "org:speaking-for",
    ),
    (
        "Brightwater said in a statement that talks had ended.",
        "Brightwater",
        "organization",
        "org:statement",
    ),
    (
        "Brightwater said on Monday its profit had doubled.",
        "Brightwater",
        "organization",
        "org:statement",
    ),
    (
        "Brightwater's chief executive resigned after the vote.",
        "Brightwater",
        "organization",
        "org:statement",
    ),
    (
        "The story first ran in the daily Morgenblatt Nord last week.",
        "Morgenblatt Nord",
        "organization",
        "org:media-named",
    ),
    # people where only a person stands
    (
        "“It will be a long winter,” said Ilse Vandermeer.",
        "Ilse Vandermeer",
        "person",
        "person:speaker",
    ),
    (
        "Tomas Reyes, 44, has run the bakery since 2001.",
        "Tomas Reyes",
        "person",
        "person:appositive",
    ),
    (
        "Tomas Reyes, who runs the bakery, was not asked.",
        "Tomas Reyes",
        "person",
        "person:appositive",
    ),
    (
        "The town's mayor, Greta Lindqvist, opened the bridge.",
        "Greta Lindqvist",
        "person",
        "person:set-off",
    ),
    # what a person is, in lower case before the name or in an appositive after it
    (
        "The tour was joined by the comedian Rolf Amundsen and two singers.",
        "Rolf Amundsen",
        "person",
        "person:described",
    ),
    (
        "She was there with her husband, Tarik Oduya.",
        "Tarik Oduya",
        "person",
        "person:described",
    ),
    (
        "“Nobody expected it,” Mirela Kovac, an expert on ports at a Split college, said.",
        "Mirela Kovac",
        "person",
        "person:described-after",
    ),
    (
        "Ines Barreto, managing editor of a farming weekly, disagreed.",
        "Ines Barreto",
        "person",
        "person:described-after",
    ),
    # what an organisation is, in lower case around its name
    (
        "The claim first appeared in Harbourlight magazine in May.",
        "Harbourlight",
        "organization",
        "org:media-kind",
    ),
    (
        "The deal went to the shipping company Velmora last year.",
        "Velmora",
        "organization",
        "org:kind-named",
    ),
    (
        "He later ran Quillfire, a software company that made games.",
        "Quillfire",
        "organization",
        "org:kind-after",
    ),
    (
        "Voters turned to the Dorvak party after the crisis.",
        "Dorvak",
        "organization",
        "org:party-named",
    ),
    (
        "Leaders of the ruling Vantu-Ka met in the capital.",
        "Vantu-Ka",
        "organization",
        "org:party-named",
    ),
    (
        "“We were not told,” the minister told KXRT in an interview.",
        "KXRT",
        "organization",
        "org:cited",
    ),
    (
        "The aid was halted, after Brindle reported the leak.",
        "Brindle",
        "organization",
        "org:cited",
    ),
    (
        "The Tollbridge Courier printed the letter in full.",
        "Tollbridge Courier",
        "organization",
        "org:party",
    ),
]


@pytest.mark.parametrize(("sentence", "name", "kind", "rule"), FOUND, ids=[f[1] for f in FOUND])
def test_each_rule_finds_its_actor(sentence: str, name: str, kind: str, rule: str) -> None:
    actors = tag(sentence)
    assert name in actors, sorted(actors)
    assert actors[name].kind == kind
    assert rule in rules_of(sentence, name)


# sentences that name no actor at all, or not the one a careless rule would take
NOT_FOUND = [
    ("NOTE: figures are unaudited and restated.", "NOTE"),
    ("Year Shr 1.20 dlrs vs 1.10 dlrs", "Year Shr"),
    ("Turnover reached 2.9 billion N.Z. Dlrs in the month.", "Z. Dlrs"),
    ("The notes are rated AA-minus by the agencies.", "AA"),
    ("CAIRO — Talks on the canal resumed on Tuesday.", "CAIRO"),
    ("Results were mixed, A. said nothing more.", "A."),
    ("However, chairman Piet Kowal said the plan stood.", "However"),
    ("A spokesman for the Ministry would not comment.", "Ministry"),
    ("Spain 2 Italy 1 Portugal 0 Greece 3", "Spain"),
    ("Washington said in a statement that the talks went well.", "Washington"),
    ("The book has a Chapter 3 that few read.", "Chapter"),
    (
        "The report came out on Tuesday. A State Department spokesman denied it.",
        "Tuesday. A State Department",
    ),
    ("The Soviet Union fell in 1991.", "Soviet Union"),
    ("General Electric Co cut its forecast.", "Electric Co"),
    # a person pattern's name ends before a date and a possessive, and is no place
    ("The lawyer Aino Virtanen Tuesday filed the appeal.", "Aino Virtanen Tuesday"),
    ("The lawyer Aino Virtanen's appeal failed.", "Aino Virtanen's"),
    ("The victim, New Hollow jeweller Piet Kowal, called police.", "New Hollow"),
    ("Fellow Coral Ocean islanders cheered the team.", "Coral Ocean"),
    # an owner's possessive is no part of an outlet's name; a place before "radio" names no
    # outlet; a quantity is no organisation
    ("The minister spoke to Kestrel's Daybreak magazine.", "Kestrel's Daybreak"),
    ("He called an Eastmoor radio station at dawn.", "Eastmoor"),
    ("Rain fell near the town of Velden, a group of hikers said.", "Velden"),
    ("Five opposition MPs walked out.", "MPs"),
    ("Rain in the Upper Hollow Valley reported 7 mm.", "Hollow Valley"),
]


@pytest.mark.parametrize(("sentence", "name"), NOT_FOUND, ids=[n[1] for n in NOT_FOUND])
def test_what_is_no_actor(sentence: str, name: str) -> None:
    assert name not in tag(sentence)


def test_no_person_with_an_organisations_name() -> None:
    actors = tag("“We are ready,” said Brightwater Holdings, the parent.")
    assert all(a.kind == "organization" for a in actors.values() if "Brightwater" in a.name)


def test_results_table_rows_are_teams_and_prose_names_them_again() -> None:
    body = (
        "Results on Saturday: Castlebay 2 Redmoor 1 Eastwick Rovers 3 Northfield 0\n\n"
        "Standings: Castlebay 12 8 3 1 20 10 27 Redmoor 12 7 4 1 18 9 25\n\n"
        "Castlebay stay top after a tense afternoon."
    )
    actors = tag(body)
    for team in ("Castlebay", "Redmoor", "Eastwick Rovers", "Northfield"):
        assert actors[team].kind == "organization", team
    assert actors["Castlebay"].mentions == 3  # two rows and the prose after them
    assert "org:results-table" in rules_of(body, "Castlebay")


def test_a_row_named_for_a_person_of_the_story_is_that_person() -> None:
    actors = tag(
        "Piotr Kowalczyk won the sprint ahead of his old rival.\n\n"
        "Stage result: Kowalczyk 2 Brandt 1 Okafor 0"
    )
    assert actors["Piotr Kowalczyk"].kind == "person"
    assert "Kowalczyk" not in actors
    assert actors["Piotr Kowalczyk"].mentions == 2


def test_an_acronym_the_text_defines_is_one_actor_with_its_full_name() -> None:
    body = (
        "Delegates of the Organisation of Coffee Growing Nations (OCGN) met in Quito.\n\n"
        "The OCGN will meet again in May."
    )
    actors = tag(body)
    ocgn = actors["Organisation of Coffee Growing Nations"]
    assert ocgn.kind == "organization"
    assert set(ocgn.forms) >= {"Organisation of Coffee Growing Nations", "OCGN"}
    assert ocgn.mentions == 3
    # a small word may give a letter ("AfP"), a hyphenated word two ("TTP")
    assert "Alternative for Progress" in tag("Alternative for Progress (AfP) won seats.")
    assert "Tehrik-e-Noor Party" in tag("The Tehrik-e-Noor Party (TNP) called a strike.")


def test_brackets_that_spell_no_acronym_define_nothing() -> None:
    actors = tag("Jane Holt (XYZ) wrote the story. Jane Holt lives in Leeds.")
    assert actors["Jane Holt"].kind == "person"


def test_a_longer_name_wins_over_a_dictionary_name_inside_it() -> None:
    actors = tag("The Reuters Toronto Bureau filed the story.")
    assert "Reuters Toronto Bureau" in actors
    assert "Reuters" not in actors
    assert "Reuters" in tag("Reuters filed the story. Reuters said so.")


def test_generic_references_are_no_actors_form() -> None:
    actors = tag(
        "Ambassador Piet Kowal met the minister. Later the ambassador said the talks went well."
    )
    kowal = actors["Piet Kowal"]
    assert kowal.mentions == 2  # "the ambassador" still counts for him
    assert kowal.forms == ("Piet Kowal",)


def test_the_generated_company_dictionary() -> None:
    data = yaml.safe_load((DATA / "organisations.yaml").read_text("utf-8"))
    companies = data["companies"]
    assert len(companies) > 1000
    assert all(c["id"].startswith("company-") for c in companies)
    assert "Inc" in data["legal_forms"] and "N.V." in data["legal_forms"]
    header = (DATA / "organisations.yaml").read_text("utf-8").split("\nlegal_forms:")[0]
    for source in ("cleanco", "pytickersymbols", "MIT"):
        assert source in header  # licence and provenance recorded
    # built-in rules name no site: a company known by its web address is left out
    names = [n for c in companies for n in (c["name"], *c.get("aliases", ()))]
    assert not [n for n in names if re.search(r"\w\.[a-z]{2,}\b", n)]
    # one-word names that are English words or surnames are left out
    names = {c["name"] for c in companies}
    assert not names & {"Target", "Next", "Apple", "Rogers"}
    some = next(c for c in companies if len(c["name"].split()) > 1 and "country" in c)
    actor = tag(f"Analysts expect {some['name']} to raise its dividend.")[some["name"]]
    assert (actor.kind, actor.country) == ("organization", some["country"])


def test_the_dictionary_is_what_the_script_makes(tmp_path: Path) -> None:
    """The shipped file is the script's output, byte for byte, when the packages it reads are
    the versions its header names (provenance that can be checked)."""
    import importlib.metadata
    import importlib.util

    shipped = (DATA / "organisations.yaml").read_text("utf-8")
    for package in ("cleanco", "pytickersymbols", "english-words", "names", "pycountry"):
        try:
            version = importlib.metadata.version(package)
        except importlib.metadata.PackageNotFoundError:
            pytest.skip(f"{package} is not installed (pip install -e '.[data]')")
        named = (f"# - {package} {version},", f"and {package} {version},")
        if not any(n in shipped for n in named):
            pytest.skip(f"{package} {version} is not the version the file was made with")
    script = Path(__file__).resolve().parent.parent / "scripts" / "build_organisations.py"
    spec = importlib.util.spec_from_file_location("build_organisations", script)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.main(tmp_path / "out.yaml") == 0
    assert (tmp_path / "out.yaml").read_text("utf-8") == shipped


def test_a_config_replaces_a_word_list_and_names_an_unknown_one(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    head = "{org_words: {head: [Guild]}}"
    config.write_text(
        f"feed: {{title: T, base_url: 'https://example.org/'}}\nsources: [{{path: .}}]\n"
        f"rules:\n  actors: {head}\n",
        "utf-8",
    )
    rules = load_config(config).rules
    doc = Document("a.txt", "text", "News", None, None, ("The Weavers Guild met.",), None)
    assert "Weavers Guild" in {a.name for a in enrich(doc, rules).actors}
    config.write_text(
        "feed: {title: T, base_url: 'https://example.org/'}\nsources: [{path: .}]\n"
        "rules:\n  actors:\n    org_patterns:\n      - {id: x, regex: '(?P<org>(?&nope))'}\n",
        "utf-8",
    )
    with pytest.raises(ConfigError, match="no word list named nope"):
        load_config(config)


def test_the_publisher_is_no_actor_of_its_own_story() -> None:
    text = (
        "Asked by Coastline News, the minister Piet Kowal declined to comment. "
        "Coastline News later obtained the letter."
    )
    doc = Document("a.html", "html", "News", None, None, (text,), None)
    elsewhere = {a.name for a in enrich(doc, RULES).actors}
    assert "Coastline News" in elsewhere
    for url in ("https://www.coastlinenews.example/a/1", "https://coastline.example/story"):
        own = {a.name for a in enrich(replace(doc, url=url), RULES).actors}
        assert "Coastline News" not in own
        assert "Piet Kowal" in own
