"""Real clients read what we write: feedparser (Atom, RSS), reader (all three), a JSON Feed
1.1 schema of our own (tests/schemas/), and the autodiscovery links of index.html."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import feedparser
import jsonschema
import pytest
from reader import make_reader

from feedgen_pipeline import BuildResult
from feedgen_pipeline.naming import slugify

from .conftest import BASE_URL

SCHEMA = Path(__file__).parent / "schemas" / "jsonfeed-1.1.schema.json"


def _expected(output: Path) -> list[dict[str, object]]:
    return json.loads((output / "feed.json").read_text("utf-8"))["items"]  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", ["atom.xml", "rss.xml"])
def test_feedparser_reads_xml_feeds(built: tuple[Path, BuildResult], name: str) -> None:
    output, result = built
    parsed = feedparser.parse((output / name).read_bytes())
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.feed.title == "World Desk"
    entries = parsed.entries
    assert len(entries) == len(result.articles)
    by_link = {a.url or "": a for a in result.articles}
    for entry, item in zip(entries, _expected(output), strict=True):
        assert entry.title == item["title"]
        assert entry.link == item["url"]
        assert entry.id == item["id"]
        published = datetime.fromisoformat(str(item["date_published"]))
        assert datetime(*entry.published_parsed[:6]) == published.replace(tzinfo=None) - (
            published.utcoffset() or published.utcoffset()
        )
        assert entry.summary == item["summary"]
        enrichment = item["_enrichment"]
        assert isinstance(enrichment, dict)
        # the categories are the tagged countries; _enrichment also lists those named in passing
        tagged = [c for c in enrichment["countries"] if c["tagged"]]
        codes = [c["code"] for c in tagged]
        names = [c["name"] for c in tagged]
        actors = [a["name"] for a in enrichment["actors"]]
        tags = [t.term for t in entry.get("tags", [])]
        if name == "atom.xml":  # term: the code or an ASCII slug; label: the name
            assert tags == codes + [slugify(a) for a in actors]
            assert [t.label for t in entry.tags] == names + actors
            schemes = {t.scheme for t in entry.tags[len(codes) :]}
            assert schemes <= {"https://example.org/news/actors/"}
        else:
            assert tags == names + actors
        if enrichment["image_credit"]:
            assert enrichment["image_credit"] in entry.content[0].value
        if entry.link in by_link:
            assert by_link[entry.link].headline == entry.title
    # newest first
    dates = [e.published_parsed for e in entries]
    assert dates == sorted(dates, reverse=True)


def test_media_credit_is_readable(built: tuple[Path, BuildResult]) -> None:
    output, _ = built
    parsed = feedparser.parse((output / "rss.xml").read_bytes())
    credits = [e.get("media_credit", [{}])[0].get("content") for e in parsed.entries]
    expected = [i["_enrichment"]["image_credit"] for i in _expected(output)]  # type: ignore[index]
    assert credits == expected
    assert "Darya" not in "".join(c or "" for c in credits)  # the seed is not an example


def test_feed_json_matches_schema(built: tuple[Path, BuildResult]) -> None:
    output, _ = built
    schema = json.loads(SCHEMA.read_text("utf-8"))
    feed = json.loads((output / "feed.json").read_text("utf-8"))
    jsonschema.validate(feed, schema, format_checker=jsonschema.FormatChecker())
    assert feed["feed_url"] == BASE_URL + "feed.json"
    extension = json.loads(SCHEMA.with_name("enrichment.schema.json").read_text("utf-8"))
    for item in feed["items"]:
        jsonschema.validate(item["_enrichment"], extension)
    # the examples name countries below the threshold: listed, not tags
    countries = [c for i in feed["items"] for c in i["_enrichment"]["countries"]]
    assert any(c["tagged"] for c in countries) and any(not c["tagged"] for c in countries)


@pytest.mark.parametrize("name", ["atom.xml", "rss.xml", "feed.json"])
def test_reader_reads_every_feed(
    built: tuple[Path, BuildResult], name: str, tmp_path: Path
) -> None:
    output, result = built
    reader = make_reader(str(tmp_path / "db.sqlite"), feed_root=str(output))
    reader.add_feed(name)
    reader.update_feeds()
    feed = reader.get_feed(name)
    assert feed.last_exception is None
    assert feed.title == "World Desk"
    entries = list(reader.get_entries(feed=name))
    assert len(entries) == len(result.articles)
    items = {str(i["id"]): i for i in _expected(output)}
    for entry in entries:
        assert entry.title == items[entry.id]["title"]
        assert entry.link == items[entry.id]["url"]
    reader.close()


def test_index_has_autodiscovery_and_every_entry(built: tuple[Path, BuildResult]) -> None:
    from bs4 import BeautifulSoup

    output, result = built
    soup = BeautifulSoup((output / "index.html").read_bytes(), "lxml")
    alternates = {link["type"]: link["href"] for link in soup.find_all("link", rel="alternate")}
    assert alternates == {
        "application/atom+xml": BASE_URL + "atom.xml",
        "application/rss+xml": BASE_URL + "rss.xml",
        "application/feed+json": BASE_URL + "feed.json",
    }
    headings = [h.get_text() for h in soup.select("article.entry h2 a")]
    assert sorted(headings) == sorted(a.headline for a in result.articles)


def test_every_entry_link_resolves_to_a_page(built: tuple[Path, BuildResult]) -> None:
    """Articles without a URL of their own link to a page that exists in output/."""
    output, _ = built
    for item in _expected(output):
        url = str(item["url"])
        if url.startswith(BASE_URL):
            page = output / url[len(BASE_URL) :]
            assert page.is_file(), url
            assert str(item["title"]).split("…")[0][:40] in page.read_text("utf-8").replace(
                "&amp;", "&"
            )


@pytest.mark.parametrize("name", ["atom.xml", "rss.xml"])
def test_a_summary_that_looks_like_markup_reaches_readers_whole(tmp_path: Path, name: str) -> None:
    """Wire copy writes tickers in angle brackets ("Fluor Corp <FLR>"): RSS readers take a
    description for HTML, so the summary goes out as escaped HTML, and the ticker survives."""
    from feedgen_pipeline import build, load_config

    from .conftest import FIXED_NOW

    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "fluor.txt").write_text(
        "Fluor wins contract\n\nFluor Corp <FLR> said it won a contract in Chile & Peru.\n\n"
        "The company said the work would start next year.\n",
        "utf-8",
    )
    (tmp_path / "config.yaml").write_text(
        f"feed:\n  title: T\n  base_url: {BASE_URL}\nsources:\n  - path: in\n", "utf-8"
    )
    config = load_config(tmp_path / "config.yaml")
    build(config, now=FIXED_NOW)
    (entry,) = feedparser.parse((config.output_dir / name).read_bytes()).entries
    if name == "rss.xml":  # HTML, in which the ticker is text
        assert "&lt;FLR&gt;" in entry.summary and "Chile &amp; Peru" in entry.summary
    else:  # plain text
        assert entry.summary_detail.type == "text/plain"
        assert "Fluor Corp <FLR> said" in entry.summary and "Chile & Peru" in entry.summary
