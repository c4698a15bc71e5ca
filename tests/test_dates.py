"""Publication dates: written dates, URL dates, and the cascade from structured metadata to the
text near the headline, on small pages written for these tests."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from feedgen_pipeline.config import (
    FeedConfig,
    MinArticles,
    SiteConfig,
    default_rules,
    load_config,
)
from feedgen_pipeline.errors import ConfigError
from feedgen_pipeline.extract import extract
from feedgen_pipeline.extract.datetext import find_dates, url_date
from feedgen_pipeline.model import Document, Source, read_by
from feedgen_pipeline.plan import plan_outputs
from feedgen_pipeline.records import Meta, Record

from .conftest import FIXED_NOW

RULES = default_rules()
MONTHS = RULES.date_months


def doc(html: str) -> Document:
    return extract(Source(Path("p.html"), "p.html", html.encode("utf-8")), RULES)


def page(head: str = "", body: str = "", lang: str = "de") -> str:
    return (
        f'<!DOCTYPE html><html lang="{lang}"><head><title>Ein Titel</title>{head}</head><body>'
        f"{body}<p>{'Ein Absatz der Geschichte, lang genug um Text zu sein. ' * 4}</p>"
        "</body></html>"
    )


def published(d: Document) -> tuple[str | None, str | None]:
    """(the date as ISO text, the rule that gave it)."""
    rule = next((e.rule for e in d.evidence if e.field == "published"), None)
    return (d.published.isoformat() if d.published else None), rule


# ---------------------------------------------------------------- dates written as text


@pytest.mark.parametrize(
    "text, days",
    [
        ("Erschienen am 4. März 2021 in der Zeitung", ["2021-03-04"]),
        ("Dienstag, 09. November 2021 14:05", ["2021-11-09"]),
        ("Stand 07.06.2018", ["2018-06-07"]),
        ("Beitrag vom 07.06.18, 9:40", ["2018-06-07"]),
        ("Posted June 3rd, 2019 by the desk", ["2019-06-03"]),
        ("Sept. 14, 2020", ["2020-09-14"]),
        ("the 2nd of October, 2017", ["2017-10-02"]),
        ("publié le 12 juillet 2016", ["2016-07-12"]),
        ("publicado el 8 de agosto de 2015", ["2015-08-08"]),
        ("opublikowano 21 listopada 2019 r.", ["2019-11-21"]),
        ("julkaistu 5. toukokuuta 2022", ["2022-05-05"]),
        ("2016年10月9日 发布", ["2016-10-09"]),
        ("2013/11/30 or 2013.12.01", ["2013-11-30", "2013-12-01"]),
        ("at 2019-04-02T08:15:00+02:00 and", ["2019-04-02"]),
        # not whole dates, not plausible ones, not dates at all
        ("version 2.4.12 of the tool", []),
        ("im Mai 2021", []),
        # relative dates are not written dates: they need the moment served (test_relative_dates)
        ("vor 3 Tagen", []),
        ("3 days ago", []),
        ("am 30. Februar 2020", []),
        ("founded on 3 March 1987", []),
        ("call 0800 1234 5678", []),
    ],
)
def test_dates_written_in_text(text: str, days: list[str]) -> None:
    assert [str(f.day) for f in find_dates(text, MONTHS)] == days


@pytest.mark.parametrize(
    "text, month_first, day",
    [
        ("4/3/2021", False, "2021-03-04"),
        ("4/3/2021", True, "2021-04-03"),
        ("24/3/2021", True, "2021-03-24"),  # a first number over 12 is the day
        ("3/24/2021", False, "2021-03-24"),
    ],
)
def test_slashed_dates_follow_the_page_language(text: str, month_first: bool, day: str) -> None:
    assert [str(f.day) for f in find_dates(text, MONTHS, month_first)] == [day]


@pytest.mark.parametrize(
    "url, day",
    [
        ("https://news.example/2021/03/04/a-story/", "2021-03-04"),
        ("https://news.example/politik/2021-03-04-a-story", "2021-03-04"),
        ("https://news.example/a-story-20210304.html", "2021-03-04"),
        ("https://news.example/meldungen/04-03-2021", "2021-03-04"),
        # an archive's copy: its own timestamp is not the page's date
        ("https://archive.example/web/20230101120000/https://blog.example/2021/03/", None),
        ("https://news.example/a-story-33328852", None),
        ("https://news.example/2021/13/45/", None),
        (None, None),
    ],
)
def test_dates_in_urls(url: str | None, day: str | None) -> None:
    found = url_date(url)
    assert (str(found.day) if found else None) == day


# ---------------------------------------------------------------- the cascade on whole pages

LD = '<script type="application/ld+json">{json}</script>'


def ld(**fields: str) -> str:
    return LD.format(json=json.dumps({"@type": "NewsArticle", **fields}))


@pytest.mark.parametrize(
    "head, body, lang, expected",
    [
        # structured metadata wins over everything else, and keeps its zone
        (
            ld(datePublished="2021-03-04T09:30:00+01:00"),
            "<h1>Ein Titel</h1><p>Von Eva Muster, 1. Januar 2020</p>",
            "de",
            ("2021-03-04T09:30:00+01:00", "json-ld"),
        ),
        # a template's blank date is none: the next source speaks
        (
            ld(datePublished="1970-01-01T00:00:00Z")
            + '<meta property="article:published_time" content="2021-03-04">',
            "",
            "de",
            ("2021-03-04T00:00:00+00:00", "meta article:published_time"),
        ),
        # a value that does not parse whole still gives its day
        (
            ld(datePublished="2021-03-04T10.06 Uhr"),
            "",
            "de",
            ("2021-03-04T00:00:00+00:00", "json-ld"),
        ),
        (
            '<meta name="date.created" content="2021-03-04">',
            "",
            "de",
            ("2021-03-04T00:00:00+00:00", "meta date.created"),
        ),
        (
            '<link rel="canonical" href="https://news.example/2021/03/04/ein-titel/">',
            "<h1>Ein Titel</h1><p>Stand: 9. Mai 2022</p>",
            "de",
            ("2021-03-04T00:00:00+00:00", "url"),
        ),
        (
            '<script type="application/ld+json">'
            '{"@type": "HowTo", "name": "Ein Titel", "datePublished": "2021-03-04"}</script>',
            "",
            "de",
            ("2021-03-04T00:00:00+00:00", "script data"),
        ),
        (
            "",
            '<h1>Ein Titel</h1><span class="post-date">4. März 2021</span>',
            "de",
            ("2021-03-04T00:00:00+00:00", "date markup"),
        ),
        (
            "",
            '<h1>Ein Titel</h1><abbr class="published" title="2021-03-04T09:30:00+01:00">'
            "vor einer Weile</abbr>",
            "de",
            ("2021-03-04T00:00:00+00:00", "date markup"),
        ),
        # the hAtom class "updated" is on many a publication date
        (
            "",
            '<h1>Ein Titel</h1><span class="entry-date updated">4. März 2021</span>',
            "de",
            ("2021-03-04T00:00:00+00:00", "date markup"),
        ),
        # a change is not the publication
        (
            "",
            '<h1>Ein Titel</h1><span class="date-updated">9. Mai 2022</span>'
            "<p>Von Eva Muster | 04.03.2021</p>",
            "de",
            ("2021-03-04T00:00:00+00:00", "text"),
        ),
        (
            "",
            "<h1>Ein Titel</h1><p>Aktualisiert: 09.05.2022 · Veröffentlicht: 04.03.2021</p>",
            "de",
            ("2021-03-04T00:00:00+00:00", "text"),
        ),
        (
            "",
            "<h1>Ein Titel</h1><p>Mitglied seit 01.02.2010 · Beitrag 04.03.2021</p>",
            "de",
            ("2021-03-04T00:00:00+00:00", "text"),
        ),
        # just before the headline, the nearest
        (
            "",
            "<p>Politik · 04.03.2021</p><h1>Ein Titel</h1>",
            "de",
            ("2021-03-04T00:00:00+00:00", "text"),
        ),
        (
            "",
            "<h1>Ein Titel</h1><p>Posted 3/4/2021</p>",
            "en-US",
            ("2021-03-04T00:00:00+00:00", "text"),
        ),
        # far from the headline only when a label says what it is
        (
            "",
            "<h1>Ein Titel</h1>"
            + "<p>Noch ein Absatz ohne Zahlen darin. </p>" * 60
            + "<p>Termin am 09.05.2022</p><p>Stand: 04.03.2021</p>",
            "de",
            ("2021-03-04T00:00:00+00:00", "labelled text"),
        ),
        # a shop or a wiki page that shows no date has none
        ("", "<h1>Ein Titel</h1><p>In den Warenkorb · 19,99 €</p>", "de", (None, None)),
    ],
)
def test_publication_date_cascade(
    head: str, body: str, lang: str, expected: tuple[str | None, str | None]
) -> None:
    assert published(doc(page(head, body, lang))) == expected


@pytest.mark.parametrize(
    "head, body, expected",
    [
        # the same instant given elsewhere with the page's offset
        (
            ld(datePublished="2021-03-04T23:30:00Z")
            + '<meta name="date" content="Fri, 05 Mar 2021 00:30:00 +0100">',
            "",
            datetime(2021, 3, 5, 0, 30, tzinfo=timezone(timedelta(hours=1))),
        ),
        # a local time without zone beside it: its distance from UTC is the page's offset
        (
            ld(datePublished="2021-03-05T04:30:00Z"),
            '<article><time datetime="2021-03-04 22:30:00">4 March</time></article>',
            datetime(2021, 3, 4, 22, 30, tzinfo=timezone(timedelta(hours=-6))),
        ),
        # a day stored as midnight an hour east of UTC
        (
            '<meta property="article:published_time" content="2021-03-04T23:00:00.000Z">',
            "",
            datetime(2021, 3, 5, tzinfo=timezone(timedelta(hours=1))),
        ),
        # any other UTC time stays as it is
        (
            ld(datePublished="2021-03-04T23:11:00Z"),
            "",
            datetime(2021, 3, 4, 23, 11, tzinfo=UTC),
        ),
        # a time without zone is not moved
        (ld(datePublished="2021-03-04T23:00:00"), "", datetime(2021, 3, 4, 23, 0, tzinfo=UTC)),
    ],
)
def test_utc_times_in_the_page_zone(head: str, body: str, expected: datetime) -> None:
    d = doc(page(head, body))
    assert d.published == expected
    assert d.published is not None and d.published.utcoffset() == expected.utcoffset()


CONFIG = """\
feed:
  title: Test
  base_url: https://example.org/news
sources:
  - path: articles
rules:
  dates:
    months:
      xx: [ene, dwa, tri, cze, pie, sze, sie, osi, dzi, dzie, jede, dwan]
      bad: [only, three, names]
    published_labels: [wydano]
"""


def test_a_config_adds_month_names_and_labels(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(CONFIG.replace("      bad: [only, three, names]\n", ""))
    rules = load_config(tmp_path / "config.yaml").rules
    # the built-in languages stay; "sie" is August in Polish and July here: it names neither
    assert ("tri", 3) in rules.date_months and ("mai", 5) in rules.date_months
    assert not any(form == "sie" for form, _ in rules.date_months)
    # a list of labels replaces the built-in one, as every list of words in the rules does
    assert rules.date_published_labels == ("wydano",)
    found = find_dates("am 4 tri 2021", rules.date_months)
    assert [str(f.day) for f in found] == ["2021-03-04"]


def test_a_month_list_must_name_twelve_months(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(CONFIG)
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "config.yaml")
    assert any("rules.dates.months.bad" in p and "twelve" in p for p in info.value.problems)


# ---------------------------------------------------------------- future dates


@pytest.mark.parametrize(
    "date_, read, kept",
    [
        (None, FIXED_NOW, False),
        (FIXED_NOW - timedelta(days=400), FIXED_NOW, True),
        (FIXED_NOW + timedelta(hours=20), FIXED_NOW, True),  # another zone's today
        (FIXED_NOW + timedelta(days=2), FIXED_NOW, False),
    ],
)
def test_a_date_after_the_page_was_read_is_not_its_date(
    date_: datetime | None, read: datetime, kept: bool
) -> None:
    assert read_by(date_, read) == (date_ if kept else None)


def test_the_plan_dates_a_future_article_when_first_seen() -> None:
    future = FIXED_NOW + timedelta(days=30)
    past = FIXED_NOW - timedelta(days=30)
    records = [
        Record(
            f"in/{name}.txt",
            "s",
            name,
            "fp",
            FIXED_NOW,
            Meta(name, f"{name}.txt", None, when, None, name),
        )
        for name, when in (("future", future), ("past", past))
    ]
    feed = FeedConfig("Desk", "https://example.org/", "d", "Desk", "en", 20)
    plan = plan_outputs(
        records,
        {},
        set(),
        FIXED_NOW,
        feed=feed,
        site=SiteConfig(min_articles=MinArticles(1, 1)),
        settings="s",
        written={},
    )
    dates = {e.id.rsplit("/", 1)[-1]: e.published for e in plan.site.main}
    assert dates["past.html"] == past
    assert abs(dates["future.html"] - FIXED_NOW) < timedelta(minutes=1)


def test_earliest_plausible_date() -> None:
    assert [f.day for f in find_dates("31.12.1994 und 01.01.1995", MONTHS)] == [date(1995, 1, 1)]
