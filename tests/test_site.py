"""Per-tag feeds, OPML, the static pages and their links, template overrides."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from urllib.parse import urljoin

import feedparser
import pytest
from bs4 import BeautifulSoup
from reader import make_reader

from feedgen_pipeline import BuildResult, build
from feedgen_pipeline.config import MinArticles, SiteConfig, SourceConfig
from feedgen_pipeline.naming import slugify

from .conftest import BASE_URL, FIXED_NOW, example_config


def tag_feeds(output: Path) -> list[Path]:
    return sorted(output.glob("countries/*/atom.xml")) + sorted(output.glob("actors/*/atom.xml"))


def test_a_feed_per_country_with_its_articles(built: tuple[Path, BuildResult]) -> None:
    output, result = built
    tagged: dict[str, set[str]] = {}
    for article in result.articles:
        for country in article.tagged_countries:
            tagged.setdefault(country.code.lower(), set()).add(article.headline)
    named = {c.code.lower() for a in result.articles for c in a.countries}
    assert named - set(tagged)  # countries only named in passing, which get no feed
    folders = {p.parent.name for p in output.glob("countries/*/atom.xml")}
    assert folders == set(tagged)
    for code, headlines in tagged.items():
        feed = json.loads((output / "countries" / code / "feed.json").read_text("utf-8"))
        assert {i["title"] for i in feed["items"]} == headlines
        assert feed["feed_url"] == f"{BASE_URL}countries/{code}/feed.json"
        assert feed["title"].startswith("World Desk — ")
        dates = [i["date_published"] for i in feed["items"]]
        assert dates == sorted(dates, reverse=True)


@pytest.mark.parametrize("name", ["atom.xml", "rss.xml"])
def test_every_tag_feed_reads_cleanly(built: tuple[Path, BuildResult], name: str) -> None:
    output, _ = built
    ids = set()
    for atom in tag_feeds(output):
        path = atom.parent / name
        parsed = feedparser.parse(path.read_bytes())
        assert parsed.bozo == 0, path
        folder = path.parent.relative_to(output).as_posix()
        self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
        assert self_links == [f"{BASE_URL}{folder}/{name}"]
        assert parsed.entries
        ids.add(parsed.feed.get("id", parsed.feed.get("link")))
    assert len(ids) == len(tag_feeds(output))  # each feed its own id


def test_reader_reads_a_tag_feed_in_every_format(
    built: tuple[Path, BuildResult], tmp_path: Path
) -> None:
    output, _ = built
    reader = make_reader(str(tmp_path / "db.sqlite"), feed_root=str(output))
    for name in ("atom.xml", "rss.xml", "feed.json"):
        reader.add_feed(f"countries/ru/{name}")
    reader.update_feeds()
    counts = {
        f.url: len(list(reader.get_entries(feed=f)))
        for f in reader.get_feeds()
        if not f.last_exception
    }
    assert len(counts) == 3 and len(set(counts.values())) == 1 and min(counts.values()) > 0
    reader.close()


def test_opml_lists_every_feed_and_each_exists(built: tuple[Path, BuildResult]) -> None:
    output, _ = built
    tree = ET.parse(output / "feeds.opml")
    urls = [o.get("xmlUrl") for o in tree.iter("outline") if o.get("xmlUrl")]
    assert urls[0] == BASE_URL + "atom.xml"
    assert len(urls) == 1 + len(tag_feeds(output))
    for url in urls:
        assert url and url.startswith(BASE_URL)
        assert (output / url[len(BASE_URL) :]).is_file(), url


def test_feeds_name_no_stylesheet_by_default_and_link_their_page(
    built: tuple[Path, BuildResult],
) -> None:
    """Browsers are removing XSLT: a person who opens a feed's URL gets one click to its page."""
    output, _ = built
    assert not (output / "feed.xsl").exists()
    for feed in [output / "atom.xml", output / "rss.xml", *tag_feeds(output)]:
        text = feed.read_text("utf-8")
        assert "xml-stylesheet" not in text
        page = BASE_URL + str(feed.parent.relative_to(output)) + "/"
        page = BASE_URL if feed.parent == output else page
        if feed.name == "atom.xml":
            assert f'<link href="{page}" rel="alternate" type="text/html"/>' in text
        else:
            assert f"<link>{page}</link>" in text
        assert (feed.parent / "index.html").is_file()


def test_feeds_carry_a_stylesheet_that_exists_when_asked(tmp_path: Path) -> None:
    config = example_config(tmp_path)
    site = replace(config.site, feed_stylesheet=True)
    build(replace(config, site=site), now=FIXED_NOW)
    output = config.output_dir
    for feed in [output / "atom.xml", output / "rss.xml", *tag_feeds(output)]:
        head = feed.read_text("utf-8").splitlines()[1]
        assert head.startswith('<?xml-stylesheet type="text/xsl" href="')
        href = head.split('href="')[1].split('"')[0]
        assert (feed.parent / href).resolve() == (output / "feed.xsl").resolve()
    build(config, now=FIXED_NOW)  # switched off again: the stylesheet goes
    assert not (output / "feed.xsl").exists()
    assert "xml-stylesheet" not in (output / "atom.xml").read_text("utf-8")


def _internal_links(page: Path, output: Path) -> list[str]:
    soup = BeautifulSoup(page.read_bytes(), "lxml")
    refs = [a["href"] for a in soup.find_all("a", href=True)]
    refs += [link["href"] for link in soup.find_all("link", href=True)]
    refs += [img["src"] for img in soup.find_all("img", src=True)]
    page_url = BASE_URL + page.relative_to(output).as_posix()
    return [u for u in (urljoin(page_url, r) for r in refs) if u.startswith(BASE_URL)]


def test_every_internal_link_on_every_page_exists(built: tuple[Path, BuildResult]) -> None:
    output, _ = built
    pages = sorted(output.rglob("*.html"))
    assert len(pages) > 10
    for page in pages:
        for url in _internal_links(page, output):
            url, _, anchor = url.partition("#")
            target = output / url[len(BASE_URL) :]
            assert target.is_file(), (page, url)
            if anchor:  # a link within a page goes to an element that has that id
                soup = BeautifulSoup(target.read_bytes(), "lxml")
                assert soup.find(id=anchor) is not None, (page, url, anchor)
        html = page.read_text("utf-8")
        assert "<script" not in html
        assert 'href="/' not in html and 'src="/' not in html  # nothing assumes the root


def test_pages_show_tags_images_and_credits(built: tuple[Path, BuildResult]) -> None:
    output, _ = built
    index = BeautifulSoup((output / "index.html").read_bytes(), "lxml")
    assert "Photo: Oksana Melnyk / Reuters" in index.get_text()
    assert index.select_one('a[href="countries/ru/index.html"]') is not None
    page = BeautifulSoup((output / "articles" / "2026-01-15-gaza-talks.html").read_bytes(), "lxml")
    tag_links = [a["href"] for a in page.select("ul.tags a")]
    assert "../countries/eg/index.html" in tag_links
    alternates = [link["href"] for link in page.find_all("link", rel="alternate")]
    assert f"{BASE_URL}countries/eg/atom.xml" in alternates
    countries = BeautifulSoup((output / "countries" / "index.html").read_bytes(), "lxml")
    assert "article" in countries.select_one(".tag-list li").get_text()


def test_min_articles_and_tag_feed_leaves_with_its_last_article(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Chile votes\n\nDek.\n\nChile and Peru.\n", "utf-8")
    (folder / "b.txt").write_text("Chile again\n\nDek.\n\nChile.\n", "utf-8")
    config = replace(
        example_config(tmp_path),
        sources=(SourceConfig("in", folder, ("*.txt",)),),
        site=SiteConfig(min_articles=MinArticles(countries=2, actors=2)),
    )
    build(config, now=FIXED_NOW)
    out = config.output_dir
    assert (out / "countries" / "cl" / "atom.xml").is_file()
    assert not (out / "countries" / "pe").exists()  # one article only
    (folder / "b.txt").unlink()
    build(config, now=FIXED_NOW)
    assert not (out / "countries" / "cl").exists()
    assert not (out / "articles" / "b.html").exists()


def test_templates_can_be_overridden(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    (templates / "article.html").write_text(
        "<!DOCTYPE html><title>{{ title }}</title><p>OWN {{ entry.headline }}</p>\n", "utf-8"
    )
    config = replace(example_config(tmp_path), site=SiteConfig(templates=templates))
    build(config, now=FIXED_NOW)
    page = (config.output_dir / "articles" / "2026-01-15-gaza-talks.html").read_text("utf-8")
    assert page.startswith("<!DOCTYPE html><title>Egyptian and Qatari") and "OWN " in page
    assert "Sahel" in (config.output_dir / "index.html").read_text("utf-8")  # built-in kept


@pytest.mark.parametrize(
    "text, slug",
    [
        ("../../etc/passwd", "etc-passwd"),
        ("Sergei Lavrov", "sergei-lavrov"),
        ("Zoë Ångström", "zoe-angstrom"),
        ("/", "x"),
        ("CON\x00", "con-x"),
    ],
)
def test_slugs_are_ascii_and_never_paths(text: str, slug: str) -> None:
    assert slugify(text) == slug


def test_a_page_names_its_tags_feeds_as_its_own_article_names_the_tags(tmp_path: Path) -> None:
    """A tag's label is the one its newest article gives; an older article's page must not
    depend on it, or a newer article naming the tag otherwise would leave that page stale."""
    from feedgen_pipeline.api import article_to_json

    from .test_articles import articles_config, example_articles
    from .test_incremental import tree

    first = next(a for a in example_articles() if a.tagged_countries and a.published)
    code = first.tagged_countries[0].code
    countries = tuple(
        replace(c, name=f"{c.name} Renamed") if c.code == code else c for c in first.countries
    )
    newer = replace(
        first,
        id="newer.txt",
        source="newer.txt",
        url=None,
        headline="A later story on the same country",
        paragraphs=("Something else entirely happened there later that week.",),
        published=first.published + timedelta(days=1),
        countries=countries,
    )
    parts = tmp_path / "parts"
    parts.mkdir()
    lines = parts / "articles.jsonl"
    lines.write_text(article_to_json(first) + "\n", "utf-8")
    config = articles_config(tmp_path / "site", parts)
    build(config, now=FIXED_NOW)
    lines.write_text(f"{article_to_json(first)}\n{article_to_json(newer)}\n", "utf-8")
    build(config, now=FIXED_NOW)
    fresh = articles_config(tmp_path / "fresh", parts)
    build(fresh, now=FIXED_NOW)
    assert tree(config.output_dir) == tree(fresh.output_dir)

    name = first.tagged_countries[0].name
    pages = {p.name: p.read_text("utf-8") for p in (config.output_dir / "articles").glob("*")}
    own = next(text for text in pages.values() if first.headline in text)
    assert f"— {name}" in own and f"— {name} Renamed" not in own
