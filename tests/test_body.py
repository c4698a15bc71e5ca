"""The story's paragraphs: in <p>s, or in <div>s that hold text of their own, whichever holds
the story; never menus, captions, credit lines or the same text twice."""

from __future__ import annotations

from pathlib import Path

from feedgen_pipeline.config import default_rules
from feedgen_pipeline.extract import extract
from feedgen_pipeline.model import Source

RULES = default_rules()

STORY = (
    "Harbour pilots in the northern port walked out on Tuesday over a new rota of night shifts.",
    "The port authority said the terminals would reopen once talks with the union resumed.",
    "Shipping agents said three container vessels were waiting at anchor outside the harbour.",
)


def paragraphs(body: str) -> tuple[str, ...]:
    page = f"<html><head><title>Pilots strike</title></head><body>{body}</body></html>"
    return extract(Source(Path("a.html"), "a.html", page.encode()), RULES).paragraphs


def test_pages_without_paragraphs_read_text_divs_not_menus_or_captions() -> None:
    found = paragraphs(
        "<div><div><a href='/a'>World</a> <a href='/b'>India and Pakistan news</a>"
        " <a href='/c'>Business</a></div><div class='img_cptn'>File photo of the minister."
        " (Reuters)</div><div>BEIJING: China on Tuesday changed its position on the dispute."
        "<br>It gave no reason.</div></div>"
    )
    # a <div> written as text and <br>s has a paragraph between two of them
    assert found == (
        "BEIJING: China on Tuesday changed its position on the dispute.",
        "It gave no reason.",
    )


def test_a_story_in_divs_wins_over_a_teaser_in_a_p() -> None:
    """A related-story teaser is the only <p>; the story is in <div>s holding <span>s."""
    divs = "".join(f'<div class="block"><div><span>{p}</span></div></div>' for p in STORY)
    found = paragraphs(
        f"<article><h1>Pilots strike</h1>{divs}"
        "<div><strong>READ MORE:</strong> <a href='/x'>Ferry fares rise for the summer</a></div>"
        "<p>Travel news: ferry fares rise for the summer season</p></article>"
    )
    assert found == STORY


def test_a_credit_line_in_a_p_does_not_pick_the_story_root() -> None:
    """The story is in <div>s of an article body, the reporting credit in a <p> of its own
    element: the root is the element holding the story's text, not the one holding the <p>."""
    divs = "".join(f'<div class="article-body__paragraph">{p}</div>' for p in STORY)
    found = paragraphs(
        f'<main><article><div class="article-body__content">{divs}'
        '<div class="article-body__element"><p>Reporting by Ann Other; editing by Bo Else</p>'
        "</div></div></article></main>"
    )
    assert found == STORY


def test_a_story_in_ps_ignores_divs_with_a_little_text() -> None:
    ps = "".join(f"<p>{p}</p>" for p in STORY)
    found = paragraphs(
        f"<article><div>Share this story with your friends and family today</div>{ps}"
        "<div>Sign up to the morning briefing, delivered every day</div></article>"
    )
    assert found == STORY


def test_text_of_a_block_inside_an_inline_element_is_not_the_divs_own() -> None:
    """A <div> wrapping a <span> wrapping the <p>s is not one paragraph of the whole story."""
    ps = "".join(f"<p>{p}</p>" for p in STORY)
    assert paragraphs(f"<article><div><span>{ps}</span></div></article>") == STORY


def test_deeply_nested_inline_elements_are_read() -> None:
    deep = "<span>" * 5_000 + STORY[0] + "</span>" * 5_000
    assert paragraphs(f"<div>{deep}</div>") == (STORY[0],)
