"""Bylines: split into names, and found in metadata, byline markup or the text, on small pages
written for these tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from feedgen_pipeline.config import default_rules, load_config
from feedgen_pipeline.enrich import enrich
from feedgen_pipeline.errors import ConfigError
from feedgen_pipeline.extract import extract
from feedgen_pipeline.extract.bylines import split_byline
from feedgen_pipeline.model import Document, Source

RULES = default_rules()
STORY = "<p>" + "Der Gemeinderat hat am Abend über den neuen Radweg beraten. " * 4 + "</p>"


@pytest.mark.parametrize(
    "text, names",
    [
        ("Von Max Mustermann", ("Max Mustermann",)),
        ("Text: Eva Muster", ("Eva Muster",)),
        ("Autor: Eva Muster | 12.05.2021", ("Eva Muster",)),
        ("Auteur : Jeanne Dupont", ("Jeanne Dupont",)),
        ("By Jane Doe and John Roe", ("Jane Doe", "John Roe")),
        ("Max Muster und Eva Muster", ("Max Muster", "Eva Muster")),
        ("Ana Ruiz, Li Wei & Kofi Mensah", ("Ana Ruiz", "Li Wei", "Kofi Mensah")),
        ("Par Jeanne Dupont Le 12 mars 2021", ("Jeanne Dupont",)),
        ("Von Max Muster Fr, 12.11.2021, 10:30 Uhr", ("Max Muster",)),
        ("Jane Doe for The Daily Post", ("Jane Doe",)),
        ("Text von Eva Muster Fotos: Max Muster", ("Eva Muster",)),
        ("Ein Artikel von Eva Muster | 27.01.2022 - 12:45", ("Eva Muster",)),
        (
            "Posted by Ana Ruiz, Li Wei and Kiran C Nair - Platform team",
            ("Ana Ruiz", "Li Wei", "Kiran C Nair"),
        ),
        ("Jane Doe @janedoe", ("Jane Doe",)),
        ("Por Ana Ruiz Hace 2 horas", ("Ana Ruiz",)),
        ("Von Max Muster vor 3 Stunden", ("Max Muster",)),
        # nobody: boilerplate, roles, a label alone, host names
        ("Redaktion", ()),
        ("By Staff", ()),
        ("Artikel von", ()),
        ("news.example.org", ()),
        ("Share this story", ()),
    ],
)
def test_split_byline(text: str, names: tuple[str, ...]) -> None:
    assert split_byline(text, RULES) == names


@pytest.mark.parametrize(
    "text, single, names",
    [
        ("jancak", True, ("jancak",)),  # a handle is a name where nothing else is written
        ("jancak", False, ()),
        ("siteadmin", True, ()),
        ("Jo", True, ()),  # too short to tell from an abbreviation
    ],
)
def test_one_word_bylines(text: str, single: bool, names: tuple[str, ...]) -> None:
    assert split_byline(text, RULES, single=single) == names


@pytest.mark.parametrize(
    "text, names",
    [
        ("Sports Desk Staff", ()),
        ("Muster Verlag GmbH", ()),
        ("Kurier Online", ()),  # the site's own name
        ("Eva Muster", ("Eva Muster",)),
    ],
)
def test_bylines_that_name_the_site_or_an_organisation(text: str, names: tuple[str, ...]) -> None:
    sites = frozenset({"kurieronline", "kurier"})
    assert split_byline(text, RULES, single=True, sites=sites) == names


def doc(head: str, body: str) -> Document:
    html = (
        '<!DOCTYPE html><html lang="de"><head><title>Radweg kommt | Kurier Online</title>'
        f'<meta property="og:site_name" content="Kurier Online">{head}</head>'
        f"<body>{body}</body></html>"
    )
    return extract(Source(Path("p.html"), "p.html", html.encode()), RULES)


def byline(d: Document) -> tuple[tuple[str, ...], str | None]:
    rule = next((e.rule for e in d.evidence if e.field == "authors"), None)
    return d.authors, rule


def ld(author: object) -> str:
    data = {"@type": "NewsArticle", "headline": "Radweg kommt", "author": author}
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


@pytest.mark.parametrize(
    "head, body, expected",
    [
        (ld({"@type": "Person", "name": "Eva Muster"}), "", (("Eva Muster",), "json-ld")),
        (
            ld([{"name": "Eva Muster"}, {"name": "Max Muster"}]),
            "",
            (("Eva Muster", "Max Muster"), "json-ld"),
        ),
        # JSON-LD naming the site: the page's own byline wins, else it stands
        (
            ld({"@type": "Organization", "name": "Kurier Online"}),
            f"<article><h1>Radweg kommt</h1><p class='byline'>Von Eva Muster</p>{STORY}</article>",
            (("Eva Muster",), "byline-class"),
        ),
        (
            ld({"@type": "Organization", "name": "Kurier Online"}),
            f"<article><h1>Radweg kommt</h1>{STORY}</article>",
            (("Kurier Online",), "json-ld"),
        ),
        # a meta author that is the site is none
        ('<meta name="author" content="Kurier Online">', STORY, ((), None)),
        ('<meta name="author" content="Eva Muster">', STORY, (("Eva Muster",), "meta author")),
        # an author box at the end of the story
        (
            "",
            f"<article><h1>Radweg kommt</h1>{STORY}<footer><div class='author-box'>"
            "<span class='author-box__name'>Eva Muster</span></div></footer></article>",
            (("Eva Muster",), "author-class"),
        ),
        (
            "",
            f"<article><h1>Radweg kommt</h1>{STORY}<p><a rel='author' href='/u/1'>jancak</a></p>"
            "</article>",
            (("jancak",), "rel-author"),
        ),
        # a byline written as text after the headline, or at the start of the story
        (
            "",
            f"<article><h1>Radweg kommt</h1><p>Von <a href='/a'>Eva Muster</a></p>{STORY}"
            "</article>",
            (("Eva Muster",), "byline text"),
        ),
        (
            "",
            f"<article><h1>Radweg kommt</h1>{STORY}<p><strong>Eine Kolumne von Max Muster"
            f"</strong></p>{STORY}</article>",
            (("Max Muster",), "byline text"),
        ),
        # the authors of comments are not the story's
        (
            "",
            f"<article><h1>Radweg kommt</h1>{STORY}<div class='comments'>"
            "<span class='comment-author'>Otto Leser</span><p>Gut so!</p></div></article>",
            ((), None),
        ),
        # "von" inside a sentence is no byline
        (
            "",
            f"<article><h1>Radweg kommt</h1><p>Der Plan wurde von Max Muster im Rat erklärt, "
            f"der ihn lange vorbereitet hatte.</p>{STORY}</article>",
            ((), None),
        ),
        # a shop page shows no author and gets none
        (
            "",
            "<main><h1>Radständer Modell B</h1><p>In den Warenkorb · 49,00 €</p>"
            "<div class='product-description'><p>Verzinkter Stahl, für vier Räder.</p></div>"
            "</main>",
            ((), None),
        ),
    ],
)
def test_byline_sources(head: str, body: str, expected: tuple[tuple[str, ...], str | None]) -> None:
    assert byline(doc(head, body)) == expected


def test_a_byline_paragraph_is_not_body_text() -> None:
    d = doc("", f"<article><h1>Radweg kommt</h1><p>Von Eva Muster, 12.05.2021</p>{STORY}</article>")
    article = enrich(d, RULES)
    assert article.authors == ("Eva Muster",)
    assert not any("Eva Muster" in p for p in article.paragraphs)
    assert "Eva Muster" not in article.summary


CONFIG = """\
feed:
  title: Test
  base_url: https://example.org/news
sources:
  - path: articles
rules:
  bylines:
    prefixes: [tekst]
    {extra}
"""


def test_a_config_sets_the_byline_words(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(CONFIG.format(extra=""), "utf-8")
    rules = load_config(tmp_path / "config.yaml").rules
    assert split_byline("Tekst: Eva Muster", rules) == ("Eva Muster",)
    # a list of words replaces the built-in one ("Von" is no label now); the others stay
    assert split_byline("Von Max Muster", rules) == ("Von Max Muster",)
    assert split_byline("Redaktion", rules) == ()


def test_unknown_byline_keys_are_config_errors(tmp_path: Path) -> None:
    (tmp_path / "config.yaml").write_text(CONFIG.format(extra="suffixes: [x]"), "utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(tmp_path / "config.yaml")
    assert any("rules.bylines.suffixes" in p and "unknown key" in p for p in info.value.problems)
