"""Text as feeds must carry it: a summary without markup, however the page escaped it, and text
that is UTF-8 but for a few bytes read as UTF-8, while binary data is still refused."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from pathlib import Path

import feedparser
import pytest

from feedgen_pipeline import build
from feedgen_pipeline.config import SourceConfig, default_rules
from feedgen_pipeline.errors import ArticleError
from feedgen_pipeline.extract import extract
from feedgen_pipeline.extract.common import plain_text
from feedgen_pipeline.model import Source
from feedgen_pipeline.sources import binary_share, decode

from .conftest import FIXED_NOW, example_config

RULES = default_rules()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Harbour workers voted to strike.", "Harbour workers voted to strike."),
        # markup as it is, escaped once, escaped twice
        ("<p>Harbour workers <b>voted</b> to strike.</p>", "Harbour workers voted to strike."),
        ("&lt;p&gt;Harbour workers voted to strike.&lt;/p&gt;", "Harbour workers voted to strike."),
        (
            "&amp;lt;p&amp;gt;Here&amp;amp;#x27;s what the dockers want.&amp;lt;/p&amp;gt;",
            "Here's what the dockers want.",
        ),
        (
            "&lt;p&gt;Here&amp;#x27;s the deal &amp;mdash; in full.&lt;/p&gt;",
            "Here's the deal — in full.",
        ),
        # blocks separate words, inline elements do not
        ("<p>First point.</p><p>Second point.</p>", "First point. Second point."),
        ("Line one<br/>line two<br>line three", "Line one line two line three"),
        ("A <em>fair</em>ly short <a href='https://x.example/'>note</a>.", "A fairly short note."),
        ('<img src="x.jpg" alt="pier"> Cranes idle at the pier.', "Cranes idle at the pier."),
        ("Quiet <!-- a comment --> docks.", "Quiet docks."),
        # text that only looks like markup stays
        ("Costs rose <5% while wages > prices.", "Costs rose <5% while wages > prices."),
        ("Pay rose 3% at AT&T and R&D staff agreed.", "Pay rose 3% at AT&T and R&D staff agreed."),
        ("Smith &amp; Jones settled.", "Smith & Jones settled."),
        ("", ""),
    ],
)
def test_plain_text(text: str, expected: str) -> None:
    assert plain_text(text) == expected


PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Dockers strike over night shifts</title>
<meta name="description"
 content="&amp;lt;p&amp;gt;Here&amp;amp;#x27;s what the dockers want &amp;mdash; and what the port
 authority offers.&amp;lt;/p&amp;gt;">
</head><body><article><h1>Dockers strike over night shifts</h1>
<p>Dockers at the container port walked out on Tuesday over a new rota of night shifts.</p>
<p>The port authority said talks would resume once the terminals had reopened.</p>
</article></body></html>
"""


def test_a_description_with_escaped_markup_makes_a_plain_summary(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "strike.html").write_text(PAGE, "utf-8")
    config = replace(example_config(tmp_path), sources=(SourceConfig("in", folder, ("*.html",)),))
    assert build(config, now=FIXED_NOW).exit_code == 0
    expected = "Here's what the dockers want — and what the port authority offers."
    (item,) = json.loads((config.output_dir / "feed.json").read_text("utf-8"))["items"]
    assert item["summary"] == expected
    (entry,) = feedparser.parse((config.output_dir / "atom.xml").read_bytes()).entries
    assert entry.summary == expected
    assert entry.summary_detail.type == "text/plain"


# ---------------------------------------------------------------- decoding

STORY = (
    "Perú and Chile — talks resume\n\nA short dek for the talks.\n\n"
    "Ministers met in Lima on Monday; the “first round” ended late. "
    "Officials in Santiago said the next round would be held in Perú.\n"
)


def _damaged() -> bytes:
    """The story in UTF-8 with one stray NUL, three controls and an encoded lone surrogate."""
    data = STORY.encode("utf-8")
    at = data.index(b"Monday;") + len(b"Monday;")
    end = data.index(b"late.") + len(b"late.")
    return data[:at] + b"\x00" + data[at:end] + b"\x01\x02\x1f" + b"\xed\xa0\x80" + data[end:]


def test_text_that_is_utf8_but_for_a_few_bytes_is_kept_as_utf8() -> None:
    data = _damaged()
    assert binary_share(data) is None
    text, encoding = decode(data, html=False)
    assert encoding == "utf-8"
    assert "Perú" in text and "“first round”" in text and "\ud800" not in text
    doc = extract(Source(Path("talks.txt"), "talks.txt", data), RULES)
    assert doc.headline == "Perú and Chile — talks resume"
    assert doc.paragraphs == (
        "Ministers met in Lima on Monday; the “first round” ended late. "
        "Officials in Santiago said the next round would be held in Perú.",
    )


def test_an_undecodable_byte_alone_does_not_make_utf8() -> None:
    """Text in a single-byte charset has non-ASCII bytes that do not decode as UTF-8 and none
    that do: it is not UTF-8 with a few bad bytes."""
    data = "Café talks in Perú — “day two”\n\nThe cafés were full.\n".encode("cp1252")
    assert binary_share(data) is None
    text, encoding = decode(data, html=False)
    assert text.startswith("Café talks in Perú — “day two”")
    assert encoding != "utf-8"


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark_is_text(encoding: str) -> None:
    story = "Dockers strike at the port\n\nTalks resume on Monday.\n"
    data = story.encode(encoding)
    assert binary_share(data) is None
    assert decode(data, html=False) == (story, encoding)


@pytest.mark.parametrize(
    "data",
    [
        random.Random(3).randbytes(3000),
        bytes(range(256)) * 8,
        b"\x89PNG\r\n\x1a\n" + random.Random(4).randbytes(2000),
        b"\x7fELF\x02\x01\x01" + b"\x00" * 500 + b"text/plain" + b"\x00\x01" * 200,
    ],
    ids=["random", "every-byte", "png-like", "executable-like"],
)
def test_binary_data_is_refused_with_its_file_named(data: bytes) -> None:
    share = binary_share(data)
    assert share is not None and share > 0.05
    with pytest.raises(ArticleError) as info:
        extract(Source(Path("in/photo.txt"), "in/photo.txt", data), RULES)
    assert info.value.source == "in/photo.txt"
    assert "binary data, not text" in str(info.value)


def test_a_few_controls_in_a_short_text_do_not_make_it_binary() -> None:
    data = b"Dock\x00ers\x01 strike\n\nPort\x1f closed.\n\nTalks \x7f resume on Monday.\n"
    assert binary_share(data) is None
