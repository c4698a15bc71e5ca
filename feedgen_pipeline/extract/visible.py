"""The text a reader sees in an element, and the text strings around one."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from bs4 import Tag
from bs4.element import CData, NavigableString

from .common import clean_text

# what is left out of the text read around an element
_HIDDEN = frozenset({"script", "style", "noscript", "template", "select", "option"})


_BLOCK = frozenset(
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


def text_of(tag: Tag) -> str:
    """Visible text: inline elements joined as written, block elements and <br> as spaces."""
    parts = []
    for node in tag.descendants:
        if type(node) in (NavigableString, CData):
            parts.append(str(node))
        elif isinstance(node, Tag) and node.name in _BLOCK:
            parts.append(" ")
    return clean_text("".join(parts))


def strings_from(
    start: Tag,
    *,
    forward: bool = True,
    limit: int,
    skip: Callable[[Tag], bool] | None = None,
) -> Iterator[str]:
    """The visible text strings from ``start`` on (its own included when going forward;
    backwards, nearest first), up to ``limit`` characters; ``skip`` leaves out the strings of
    the elements it names."""
    total = 0
    nodes = start.next_elements if forward else start.previous_elements
    for node in nodes:
        if type(node) is not NavigableString:
            continue
        parent = node.parent
        if parent is not None and (parent.name in _HIDDEN or (skip is not None and skip(parent))):
            continue
        text = node.strip()
        if text:
            yield text
            total += len(text) + 1
            if total >= limit:
                return
