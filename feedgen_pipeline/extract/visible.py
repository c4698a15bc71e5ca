"""The visible text of an element, as a reader sees it."""

from __future__ import annotations

from bs4 import Tag
from bs4.element import CData, NavigableString

from .common import clean_lines, clean_text

BLOCK = frozenset(
    {
        "br",
        "p",
        "div",
        "li",
        "figcaption",
        "td",
        "th",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "section",
        "ul",
        "ol",
    }
)


def visible_text(tag: Tag) -> str:
    """Visible text: inline elements joined as written, block elements and <br> as spaces."""
    return clean_text(_joined(tag, " "))


def visible_lines(tag: Tag) -> str:
    """Visible text with a line break where a block element or <br> starts, each line cleaned
    and empty ones dropped (a caption's credit line is told apart by its line)."""
    return clean_lines(_joined(tag, "\n"))


def _joined(tag: Tag, block: str) -> str:
    parts = []
    for node in tag.descendants:
        if type(node) in (NavigableString, CData):
            parts.append(str(node))
        elif isinstance(node, Tag) and node.name in BLOCK:
            parts.append(block)
    return "".join(parts)
