"""Hostile input: every good article published, every bad one named, nothing lost, nothing
injected. The corpus is written by tests/hostile.py at test time."""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import feedparser
import pytest
from bs4 import BeautifulSoup
from hypothesis import example, given
from hypothesis import strategies as st

from feedgen_pipeline import build
from feedgen_pipeline.cli import main, shown_path
from feedgen_pipeline.config import SourceConfig, default_rules, load_config
from feedgen_pipeline.enrich import enrich
from feedgen_pipeline.errors import ArticleError, ConfigError
from feedgen_pipeline.extract import extract
from feedgen_pipeline.model import Source
from feedgen_pipeline.naming import slugify

from .conftest import FIXED_NOW, example_config
from .hostile import BODY, write_corpus

RULES = default_rules()


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, object], object]:
    tmp = tmp_path_factory.mktemp("hostile")
    folder = tmp / "in"
    expected = write_corpus(folder)
    config = replace(
        example_config(tmp), sources=(SourceConfig("in", folder, ("*.html", "*.txt")),)
    )
    return folder, expected, (config, build(config, now=FIXED_NOW))


def test_every_file_has_its_outcome(hostile: tuple[Path, dict, object]) -> None:
    _, expected, (_, result) = hostile
    by_source = {a.source: a for a in result.articles}
    skipped = {Path(s.source).name: s.reason for s in result.skipped}
    for name, expect in expected.items():
        if expect.skip is not None:
            assert name in skipped, name
            assert expect.skip in skipped[name], (name, skipped[name])
        else:
            assert name not in skipped, (name, skipped.get(name))
            assert name in by_source, name
            assert expect.check(by_source[name]), (name, by_source[name].headline)
    assert result.exit_code == 1


def test_feeds_stay_valid_and_script_free(hostile: tuple[Path, dict, object]) -> None:
    _, _, (config, _) = hostile
    out = config.output_dir
    for name in ("atom.xml", "rss.xml"):
        parsed = feedparser.parse((out / name).read_bytes())
        assert parsed.bozo == 0, parsed.get("bozo_exception")
    feed = json.loads((out / "feed.json").read_text("utf-8"))
    texts = []
    for item in feed["items"]:
        soup = BeautifulSoup(item["content_html"], "lxml")
        for element in soup.find_all(True):
            assert element.name in {"html", "body", "p", "figure", "figcaption", "img"}, element
            for attr, value in element.attrs.items():
                assert attr in {"src", "alt"}, (element.name, attr)
                assert attr != "src" or str(value).startswith(("http://", "https://"))
        texts.append(soup.get_text())
    # the would-be markup of the text article is there as text, visible and harmless
    assert any("<img src=x onerror=alert(1)>" in t for t in texts)
    for page in out.rglob("*.html"):
        assert "<script" not in page.read_text("utf-8").lower()


def test_a_report_lists_skipped_files_in_the_state_folder(
    hostile: tuple[Path, dict, object],
) -> None:
    _, expected, (config, _) = hostile
    report = json.loads((config.state_dir / "report.json").read_text("utf-8"))
    names = {Path(s["source"]).name for s in report["skipped"]}
    assert names == {n for n, e in expected.items() if e.skip is not None}
    assert not (config.output_dir / "report.json").exists()


def test_messages_escape_newlines_in_file_names() -> None:
    assert shown_path("a/new\nline.txt") == "a/new\\nline.txt"


def test_unreadable_file_is_named(tmp_path: Path) -> None:
    if os.geteuid() == 0:
        pytest.skip("permissions do not stop root from reading")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "locked.txt").write_text("Headline\n\nDek.\n\nBody.\n", "utf-8")
    (folder / "locked.txt").chmod(0)
    config = replace(example_config(tmp_path), sources=(SourceConfig("in", folder, ("*.txt",)),))
    result = build(config, now=FIXED_NOW)
    assert "cannot read" in result.skipped[0].reason


def test_a_published_article_that_breaks_keeps_its_last_good_version(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Good headline\n\nDek.\n\n" + BODY + "\n", "utf-8")
    (folder / "b.txt").write_text("Other headline\n\nDek.\n\n" + BODY + "\n", "utf-8")
    config = replace(example_config(tmp_path), sources=(SourceConfig("in", folder, ("*.txt",)),))
    assert build(config, now=FIXED_NOW).exit_code == 0
    before = (config.output_dir / "feed.json").read_bytes()
    (folder / "a.txt").write_bytes(bytes(range(256)) * 4)  # binary now
    for hours in (1, 2):  # named on every run until fixed, and nothing moves
        result = build(config, now=FIXED_NOW + timedelta(hours=hours))
        assert result.exit_code == 1
        assert "a.txt" in result.skipped[0].source
        assert "last good version stays published" in result.skipped[0].reason
        assert (config.output_dir / "feed.json").read_bytes() == before


def test_only_bad_new_input_never_empties_a_feed(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text("Good headline\n\nDek.\n\n" + BODY + "\n", "utf-8")
    config = replace(example_config(tmp_path), sources=(SourceConfig("in", folder, ("*.txt",)),))
    build(config, now=FIXED_NOW)
    (folder / "a.txt").unlink()
    (folder / "b.txt").write_bytes(b"")
    code = main(["build", "--config", str(_write_config(tmp_path, folder)), "--quiet"])
    assert code == 1


def _write_config(tmp: Path, folder: Path) -> Path:
    path = tmp / "config.yaml"
    path.write_text(
        f"feed:\n  title: T\n  base_url: https://example.org/\nsources:\n  - path: {folder}\n"
        f"output:\n  dir: {tmp / 'output'}\n  state_dir: {tmp / 'state'}\n",
        "utf-8",
    )
    return path


@pytest.mark.parametrize(
    "regex, words",
    [("(?P<credit>[unclosed", "does not compile"), ("(?P<credit>(a+)+)$", "exponential time")],
)
def test_bad_and_catastrophic_rule_regexes_are_refused(
    tmp_path: Path, regex: str, words: str
) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "feed:\n  title: T\n  base_url: https://example.org/\nsources:\n  - path: .\n"
        f"rules:\n  credit:\n    places:\n      - id: mine\n        regex: '{regex}'\n"
        "        in: [caption]\n",
        "utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    assert f"{path}:10: rules.credit.places[0].regex: " in info.value.problems[0]
    assert words in info.value.problems[0]


def test_yaml_tags_that_run_code_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text("feed: !!python/object/apply:os.system ['echo hi']\n", "utf-8")
    with pytest.raises(ConfigError, match="invalid YAML"):
        load_config(path)


@pytest.mark.parametrize("name", ["../../etc/passwd", "/abs/path", "a\x00b", "CON", "..", ""])
def test_slugs_never_leave_their_folder(name: str) -> None:
    slug = slugify(name)
    assert slug and "/" not in slug and "\x00" not in slug and slug not in (".", "..", "con")


def _outcome(data: bytes, name: str) -> None:
    """Our own error or an article; any other exception fails the test."""
    with contextlib.suppress(ArticleError):
        enrich(extract(Source(Path(name), name, data), RULES), RULES)


@given(st.binary(max_size=3000), st.sampled_from(["a.html", "a.txt", "a.htm"]))
# found by fuzzing: a text of control characters only left an empty paragraph
@example(data=b"\x00\r\x00", name="a.txt")
def test_random_bytes_give_an_article_or_our_error(data: bytes, name: str) -> None:
    _outcome(data, name)


_TAGS = st.sampled_from(
    [
        "p",
        "div",
        "h1",
        "figure",
        "figcaption",
        "article",
        "script",
        "title",
        "meta",
        "time",
        "span",
        "nav",
        "img",
        "a",
        "table",
        "br",
    ]
)
_ATTRS = st.sampled_from(
    [
        "",
        ' class="credit"',
        ' class="byline"',
        ' property="og:title" content="x"',
        ' datetime="2026-13-45T99:99"',
        ' src="javascript:x"',
        ' rel="canonical" href=":://"',
        ' type="application/ld+json"',
        ' class="share"',
    ]
)
_TEXT = st.text(max_size=40)


@st.composite
def _html(draw: st.DrawFn) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 25))):
        tag, attrs, text = draw(_TAGS), draw(_ATTRS), draw(_TEXT)
        parts.append(f"<{tag}{attrs}>{text}" + (f"</{tag}>" if draw(st.booleans()) else ""))
    return "".join(parts)


@given(_html())
# found by fuzzing: an <h1> with no word in it divided by zero
@example(html="<h1>{</h1><title>{")
@example(html="<h1><title>:")
def test_random_html_gives_an_article_or_our_error(html: str) -> None:
    _outcome(html.encode("utf-8", "surrogatepass"), "a.html")


@given(st.text(max_size=400))
def test_random_text_articles_give_an_article_or_our_error(text: str) -> None:
    _outcome(text.encode("utf-8", "surrogatepass"), "a.txt")


def test_user_tagging_rules_get_the_same_checks(tmp_path: Path) -> None:
    path = tmp_path / "config.yaml"
    path.write_text(
        "feed:\n  title: T\n  base_url: https://example.org/\nsources:\n  - path: .\n"
        "rules:\n  countries:\n    ambiguity:\n      - id: mine\n        regex: '(a+)+$'\n"
        "        countries: [ZZ]\n",
        "utf-8",
    )
    with pytest.raises(ConfigError) as info:
        load_config(path)
    problems = info.value.problems
    assert problems[0].startswith(f"{path}:10: rules.countries.ambiguity[0].regex: regex refused")
    assert problems[1].startswith(f"{path}:11: rules.countries.ambiguity[0].countries: unknown")
