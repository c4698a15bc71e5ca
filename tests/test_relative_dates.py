"""Dates told from the moment a page was served ("vor 3 Tagen", "yesterday"), read only when
that moment is known (a fetched page), on text written for these tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from feedgen_pipeline.config import default_rules, load_config
from feedgen_pipeline.errors import ConfigError
from feedgen_pipeline.extract import extract
from feedgen_pipeline.extract.datetext import relative_date
from feedgen_pipeline.model import Document, Source

RULES = default_rules()
SERVED = datetime(2024, 5, 13, 10, 30, tzinfo=UTC)
PROSE = "Ein Absatz der Geschichte, lang genug um Text zu sein. " * 4


def served_page(body: str, served: datetime | None = SERVED, kicker: str = "") -> Document:
    html = (
        '<!DOCTYPE html><html lang="de"><head><title>Ein Titel</title></head><body>'
        f"<article>{kicker}<h1>Ein Titel</h1>{body}<p>{PROSE}</p></article></body></html>"
    )
    return extract(Source(Path("p.html"), "p.html", html.encode("utf-8"), served), RULES)


def published(d: Document) -> tuple[str | None, str | None, str | None]:
    """(the day, the rule that gave it, the text it names)."""
    evidence = next((e for e in d.evidence if e.field == "published"), None)
    day = d.published.date().isoformat() if d.published else None
    return day, evidence.rule if evidence else None, evidence.text if evidence else None


@pytest.mark.parametrize(
    "text, day",
    [
        ("vor 3 Tagen", "2024-05-10"),
        ("vor 1 Tag", "2024-05-12"),
        ("vor einem Tag", "2024-05-12"),
        ("Vor 2 Stunden", "2024-05-13"),
        ("vor 12 Stunden", "2024-05-12"),  # 22:30 the day before
        ("vor 45 Minuten", "2024-05-13"),
        ("gestern", "2024-05-12"),
        ("Vorgestern, 18:05 Uhr", "2024-05-11"),
        ("heute 9.05 Uhr", "2024-05-13"),
        ("3 days ago", "2024-05-10"),
        ("a day ago", "2024-05-12"),
        ("an hour ago", "2024-05-13"),
        ("11 hours ago", "2024-05-12"),
        ("Yesterday at 3:15 p.m.", "2024-05-12"),
        ("today", "2024-05-13"),
        ("il y a 2 jours", "2024-05-11"),
        ("hace 4 días", "2024-05-09"),
        ("ayer", "2024-05-12"),
        ("5 giorni fa", "2024-05-08"),
        ("há 1 dia", "2024-05-12"),
        ("2 dagen geleden", "2024-05-11"),
        ("gisteren", "2024-05-12"),
        # what comes before the phrase is not read here (the page's reader decides on it)
        ("Von Eva Muster, vor 3 Tagen", "2024-05-10"),
        # not a relative date that ends the text, or not one precise to the day
        ("vor 3 Tagen wurde gewählt", None),
        ("vor 2 Wochen", None),
        ("3 months ago", None),
        ("Gestern Abend im Stadion", None),
        ("years ago", None),
        ("vor3 Tagen", None),
    ],
)
def test_relative_phrases(text: str, day: str | None) -> None:
    found = relative_date(text, RULES.date_relative, SERVED)
    assert (str(found.day) if found else None) == day


def test_a_relative_date_before_1995_is_none() -> None:
    early = datetime(1995, 1, 2, tzinfo=UTC)
    assert relative_date("vor 1 Tag", RULES.date_relative, early) is not None
    assert relative_date("vor 2 Tagen", RULES.date_relative, early) is None


@pytest.mark.parametrize(
    "body, expected",
    [
        # a line under the headline
        ("<p>vor 3 Tagen</p>", ("2024-05-10", "relative text")),
        ("<p>Von Eva Muster, vor 2 Stunden</p>", ("2024-05-13", "relative text")),
        ("<p>By Jane Roe • 5 hours ago</p>", ("2024-05-13", "relative text")),
        ("<p>Veröffentlicht vor 1 Tag</p>", ("2024-05-12", "relative text")),
        ("<p>Gestern, 14:35 Uhr</p>", ("2024-05-12", "relative text")),
        ("<p>Published yesterday</p>", ("2024-05-12", "relative text")),
        # an element of the story marked as a date: a day named by its word alone counts
        ('<span class="date">Gestern</span>', ("2024-05-12", "relative date markup")),
        # the first date after the headline wins, written or relative
        ("<p>vor 3 Tagen</p><p>Am 12. Mai 2012 begann alles.</p>", ("2024-05-10", "relative text")),
        ("<p>Am 12. Mai 2012 begann alles.</p><p>vor 3 Tagen</p>", ("2012-05-12", "text")),
        # a label of another date, prose, a word alone outside date markup: no date
        ("<p>Aktualisiert vor 2 Stunden</p>", (None, None)),
        ("<p>Updated: 2 hours ago</p>", (None, None)),
        ("<p>Der Brand brach vor 3 Tagen aus.</p>", (None, None)),
        ("<p>The fire started 3 days ago.</p>", (None, None)),
        ("<p>Gestern</p>", (None, None)),
        ("<p>" + "Ein langer Satz ohne Datum, " * 4 + "vor 3 Tagen</p>", (None, None)),
    ],
)
def test_relative_dates_on_a_served_page(
    body: str, expected: tuple[str | None, str | None]
) -> None:
    assert published(served_page(body))[:2] == expected


def test_the_line_above_the_headline() -> None:
    d = served_page("", kicker="<p>Politik · Gestern, 14:35</p>")
    assert published(d)[:2] == ("2024-05-12", "relative text")


def test_a_relative_date_names_its_text_and_the_moment_served() -> None:
    assert published(served_page("<p>vor 3 Tagen</p>")) == (
        "2024-05-10",
        "relative text",
        "vor 3 Tagen (page served 2024-05-13 10:30 UTC)",
    )
    d = served_page("<p>vor 3 Tagen</p>")
    assert d.published == datetime(2024, 5, 10, tzinfo=UTC)  # that day: no time invented


@pytest.mark.parametrize("body", ["<p>vor 3 Tagen</p>", '<span class="date">Gestern</span>'])
def test_a_saved_file_has_no_moment_served_and_no_relative_date(body: str) -> None:
    assert published(served_page(body, served=None)) == (None, None, None)


def test_a_written_date_still_comes_first_in_date_markup() -> None:
    d = served_page('<span class="date">vor 3 Tagen, am 10.05.2024</span>')
    assert published(d)[:2] == ("2024-05-10", "date markup")


CONFIG = """\
feed:
  title: Test
  base_url: https://example.org/news
sources:
  - path: articles
rules:
  dates:
    relative:
      sv:
        days: ["för {n} dagar sedan", "för {n} dag sedan"]
        one: [en]
        days_back: {igår: 1}
"""


def test_a_config_adds_a_language(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(CONFIG)
    rules = load_config(tmp_path / "config.yaml").rules
    assert len(rules.date_relative) == len(RULES.date_relative) + 1  # the built-ins stay
    for text, day in (("för 2 dagar sedan", date(2024, 5, 11)), ("igår", date(2024, 5, 12))):
        found = relative_date(text, rules.date_relative, SERVED)
        assert found is not None and found.day == day


@pytest.mark.parametrize(
    "entry, problem",
    [
        ('days: ["for days"]', "rules.dates.relative.sv.days[0]: expected one {n}"),
        ("days_back: {igår: 30}", "rules.dates.relative.sv.days_back.igår: expected a number"),
        ('weeks: ["{n} veckor sedan"]', "rules.dates.relative.sv.weeks: unknown key"),
    ],
)
def test_relative_phrases_are_checked(tmp_path: Path, entry: str, problem: str) -> None:
    config = CONFIG.split("      sv:\n")[0] + f"      sv:\n        {entry}\n"
    (tmp_path / "config.yaml").write_text(config)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "config.yaml")
    assert any(problem in p for p in info.value.problems), info.value.problems
