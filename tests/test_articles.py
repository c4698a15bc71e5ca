"""Articles as JSON Lines (articles.py): the schema, and build --articles, which publishes them
as a folder build publishes the pages they came from."""

from __future__ import annotations

import dataclasses
import json
import shutil
import typing
from dataclasses import replace
from pathlib import Path

import pytest

from feedgen_pipeline import build
from feedgen_pipeline.api import (
    LineError,
    article_from_json,
    article_to_json,
    enrich,
    load_rules,
    read_document,
)
from feedgen_pipeline.articles import SCHEMA, scan_articles
from feedgen_pipeline.cli import main
from feedgen_pipeline.config import (
    ARTICLE_PATTERNS,
    DEFAULT_PATTERNS,
    Config,
    SourceConfig,
    load_config,
)
from feedgen_pipeline.model import Article
from feedgen_pipeline.records import ArticleLine
from feedgen_pipeline.sources import scan_files
from feedgen_pipeline.write.jsonfeed import enrichment

from .conftest import EXAMPLES, FIXED_NOW, REPO, example_config
from .test_cli import write_config
from .test_incremental import tree, write_articles

CONFIG = REPO / "config.yaml"


def pages(folder: Path) -> Path:
    """The example articles, stories written for these tests, a copy of one (a duplicate by
    content) and an empty file (skipped)."""
    shutil.copytree(EXAMPLES, folder)
    write_articles(folder / "stories", 12)
    shutil.copy(folder / "stories" / "story-003.txt", folder / "stories" / "story-003-copy.txt")
    (folder / "empty.html").write_bytes(b"")
    return folder


def extract_to(out: Path, *inputs: Path | str, options: tuple[str, ...] = ()) -> int:
    args = ["extract", *map(str, inputs), "--config", str(CONFIG), "--output-dir", str(out)]
    return main([*args, *options])


def lines(folder: Path) -> list[bytes]:
    """Every article line of the partitions in ``folder``, sorted."""
    return sorted(line for f in folder.glob("*.jsonl") for line in f.read_bytes().splitlines())


def articles_config(tmp: Path, *paths: Path) -> Config:
    sources = tuple(
        SourceConfig(f"a{i}", p, ARTICLE_PATTERNS, kind="articles") for i, p in enumerate(paths)
    )
    return replace(example_config(tmp), sources=sources)


def example_articles() -> list[Article]:
    rules = load_rules(CONFIG)
    return [
        enrich(read_document(p, rules), rules)
        for p in sorted(EXAMPLES.iterdir())
        if p.suffix in (".html", ".txt")
    ]


# ---------------------------------------------------------------- the schema


def test_an_article_goes_to_json_and_back_unchanged() -> None:
    for article in example_articles():
        line = article_to_json(article)
        assert "\n" not in line
        assert line.startswith(f'{{"schema":{SCHEMA},"id":')
        assert article_from_json(line) == article
        assert article_from_json(line.encode("utf-8")) == article


def test_the_line_carries_the_json_feed_enrichment_under_the_same_keys() -> None:
    tagged = [a for a in example_articles() if a.countries and a.actors]
    assert tagged
    for article in tagged:
        line = json.loads(article_to_json(article))
        extension = enrichment(article)
        for key in ("source", "headline"):
            assert line[key] == extension[key]
        assert (line["image"] or {}).get("credit") == extension["image_credit"]
        for kind in ("countries", "actors"):
            assert len(line[kind]) == len(extension[kind])
            for ours, theirs in zip(line[kind], extension[kind], strict=True):
                assert ours | theirs == ours  # every key of the extension, with its value


def _shape(tp: typing.Any) -> typing.Any:
    """The fields of a record and of the records it holds, with their types."""
    if dataclasses.is_dataclass(tp):
        hints = typing.get_type_hints(tp)
        return [(f.name, _shape(hints[f.name])) for f in dataclasses.fields(tp) if f.compare]
    args = typing.get_args(tp)
    if args:
        return [str(typing.get_origin(tp)), [_shape(a) for a in args]]
    return getattr(tp, "__name__", str(tp))


# the fields of schema 1: a change to Article that lines already written would not decode to
# must raise articles.SCHEMA, and this with it
SCHEMA_1_FIELDS = {
    "Article": [
        "id", "source", "url", "headline", "summary", "paragraphs", "image", "authors",
        "published", "updated", "language", "countries", "actors", "fetched",
    ],
    "Image": ["url", "caption", "credit"],
    "CountryTag": ["code", "name", "mentions", "score", "primary", "tagged", "first"],
    "ActorTag": ["name", "kind", "role", "country", "mentions", "score", "forms"],
}  # fmt: skip


def test_the_schema_number_follows_the_article_fields() -> None:
    from feedgen_pipeline.model import ActorTag, CountryTag, Image

    assert SCHEMA == 1
    for record in (Article, Image, CountryTag, ActorTag):
        assert [name for name, _ in _shape(record)] == SCHEMA_1_FIELDS[record.__name__]


@pytest.mark.parametrize(
    ("line", "why"),
    [
        (b"{not json", "not JSON"),
        (b"[1, 2]", "not a JSON object"),
        (b'{"schema": 2, "id": "a"}', "schema 2 where 1 is read"),
        (b'{"id": "a"}', "schema None where 1 is read"),
        (b'{"schema": 1, "id": "a"}', "Article.source: missing"),
        (b"\xff\xfe{}", "not JSON"),
    ],
)
def test_a_line_that_is_not_an_article_says_why(line: bytes, why: str) -> None:
    with pytest.raises(LineError, match=why):
        article_from_json(line)


def test_a_field_of_the_wrong_type_is_named() -> None:
    record = json.loads(article_to_json(example_articles()[0]))
    record["published"] = 20260101
    with pytest.raises(LineError, match=r"Article\.published: expected a date, got int"):
        article_from_json(json.dumps(record))


def test_rules_are_loaded_once_per_config_content(tmp_path: Path) -> None:
    config = tmp_path / "config.yaml"
    config.write_text(CONFIG.read_text("utf-8"), "utf-8")
    first = load_rules(config)
    assert load_rules(config) is first
    assert load_rules(None) is load_rules(None)
    config.write_text(CONFIG.read_text("utf-8").replace("max_chars: 300", "max_chars: 200"))
    assert load_rules(config) is not first
    assert load_rules(config).summary_max_chars == 200


# ---------------------------------------------------------------- build --articles


def test_build_articles_equals_build_input_over_the_same_pages(tmp_path: Path) -> None:
    folder = pages(tmp_path / "pages")
    assert extract_to(tmp_path / "parts", folder) == 1  # the empty file is skipped
    source = SourceConfig("p", folder, DEFAULT_PATTERNS)
    from_pages = build(replace(example_config(tmp_path / "a"), sources=(source,)), now=FIXED_NOW)
    lines_config = articles_config(tmp_path / "b", tmp_path / "parts")
    from_lines = build(lines_config, now=FIXED_NOW, jobs=2)  # lines decoded in two processes
    assert tree(tmp_path / "b" / "output") == tree(tmp_path / "a" / "output")
    assert len(tree(tmp_path / "a" / "output")) > 100

    # the empty page is no line: the rest is the same, the new duplicate (exit 1) included
    assert from_pages.counts.skipped == 1
    expected = replace(from_pages.counts, new=from_pages.counts.new - 1, skipped=0)
    assert from_lines.counts == expected
    assert from_lines.exit_code == from_pages.exit_code == 1
    dupes = [(s.reason, s.duplicate_of) for s in from_pages.skipped if s.duplicate_of]
    assert [(s.reason, s.duplicate_of) for s in from_lines.skipped] == dupes
    assert "same content" in dupes[0][0]


def test_build_articles_reads_only_changed_lines_and_names_a_bad_one(tmp_path: Path) -> None:
    folder = tmp_path / "pages"
    write_articles(folder, 6)
    extract_to(tmp_path / "parts", folder)
    config = articles_config(tmp_path, tmp_path / "parts")
    assert build(config, now=FIXED_NOW).counts.new == 6
    again = build(config, now=FIXED_NOW)
    assert (again.counts.unchanged, again.written) == (6, ())

    # one article changed, a line that is not one added, one more article given in a new file
    part = sorted((tmp_path / "parts").glob("*.jsonl"))[2]
    record = json.loads(part.read_bytes())
    changed_id = record["id"]
    record["headline"] = "A new headline"
    part.write_text(json.dumps(record) + "\n", "utf-8")
    extra = tmp_path / "parts" / "zz-more.jsonl"  # read after the partitions
    late = replace(article_from_json(json.dumps(record)), headline="A late story")
    new = replace(late, id="late.txt", source="late.txt")
    extra.write_text(f"{{broken\n\n{article_to_json(new)}\n", "utf-8")
    result = build(config, now=FIXED_NOW)
    assert (result.counts.new, result.counts.updated, result.counts.unchanged) == (2, 1, 5)
    assert [(s.source, s.reason.split(" (")[0]) for s in result.skipped] == [
        (f"{extra}:1", "not JSON")
    ]
    assert result.exit_code == 1
    feed = json.loads((config.output_dir / "feed.json").read_text("utf-8"))
    titles = {i["_enrichment"]["source"]: i["title"] for i in feed["items"]}
    assert (titles[changed_id], titles["late.txt"]) == ("A new headline", "A late story")

    # a line gone is an article removed (and a bad line, no longer named)
    extra.unlink()
    result = build(config, now=FIXED_NOW)
    assert (result.counts.removed, result.skipped, result.exit_code) == (2, (), 0)
    feed = json.loads((config.output_dir / "feed.json").read_text("utf-8"))
    assert len(feed["items"]) == 6


def test_a_line_known_by_its_id_that_fails_is_named_by_its_place(tmp_path: Path) -> None:
    line = json.loads(article_to_json(example_articles()[0]))
    del line["paragraphs"]
    (tmp_path / "a.jsonl").write_text(json.dumps(line) + "\n", "utf-8")
    result = build(articles_config(tmp_path, tmp_path / "a.jsonl"), now=FIXED_NOW)
    assert [(s.source, s.reason) for s in result.skipped] == [
        (line["id"], f"{tmp_path / 'a.jsonl'}:1: Article.paragraphs: missing")
    ]


def test_scan_keys_lines_by_id_and_passes_over_blank_and_long_ones(tmp_path: Path) -> None:
    article = example_articles()[0]
    line = article_to_json(article)
    other = article_to_json(replace(article, id="other", headline="Another"))

    limit = len(line.encode("utf-8")) + 10
    text = f"{line}\n\n  \n{'x' * (3 * limit)}\n{other}\r\n"
    (tmp_path / "a.jsonl").write_text(text, "utf-8")
    found, read = scan_articles(scan_files(tmp_path, ARTICLE_PATTERNS), limit, {}, {})
    assert list(read) == [str(tmp_path / "a.jsonl")]
    assert [f.key for f in found] == [article.id, f"{tmp_path / 'a.jsonl'}:4", "other"]
    places = [f.page for f in found if isinstance(f.page, ArticleLine)]
    assert [p.number for p in places] == [1, 4, 5]
    with (tmp_path / "a.jsonl").open("rb") as f:
        f.seek(places[2].offset)
        assert f.readline().rstrip() == other.encode("utf-8")
    config = articles_config(tmp_path, tmp_path / "a.jsonl")
    source = replace(config.sources[0], max_bytes=limit)
    result = build(replace(config, sources=(source,)), now=FIXED_NOW)
    why = f"longer than the size limit ({limit:,} bytes; see sources[].max_bytes)"
    assert [(s.source, s.reason) for s in result.skipped] == [(f"{tmp_path / 'a.jsonl'}:4", why)]


def test_the_command_line_publishes_articles(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert extract_to(tmp_path / "parts", EXAMPLES) == 0
    assert "10 pages: 10 articles in 10 partitions, 0 skipped" in capsys.readouterr().err
    config = write_config(tmp_path, tmp_path / "nowhere")
    args = ["build", "--config", str(config), "--articles", str(tmp_path / "parts")]
    assert main(args) == 0
    assert "10 articles: 10 new" in capsys.readouterr().err
    feed = json.loads((tmp_path / "output" / "feed.json").read_text("utf-8"))
    assert len(feed["items"]) == 10
    assert main(args) == 0
    assert "10 articles: 0 new, 0 updated, 10 unchanged" in capsys.readouterr().err


def test_a_config_names_an_articles_source(tmp_path: Path) -> None:
    config = write_config(tmp_path, tmp_path / "parts", "    type: articles\n")
    source = load_config(config).sources[0]
    assert (source.kind, source.patterns) == ("articles", ARTICLE_PATTERNS)
    assert extract_to(tmp_path / "parts", EXAMPLES) == 0
    assert main(["build", "--config", str(config)]) == 0
    assert (tmp_path / "output" / "feed.json").is_file()
