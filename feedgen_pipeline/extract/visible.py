"""The text a reader sees in an element, and the text strings around one."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator

from bs4 import Tag
from bs4.element import CData, NavigableString, PageElement

from .common import clean_lines, clean_text

# what is left out of the text read around an element
_HIDDEN = frozenset({"script", "style", "noscript", "template", "select", "option"})

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


def hidden(node: PageElement) -> bool:
    """Whether a text string is in a script, a style or the like, which nobody reads."""
    parent = node.parent
    return parent is not None and parent.name in _HIDDEN


def text_nodes(
    nodes: Iterable[PageElement],
    limit: int | None = None,
    skip: Callable[[Tag], bool] | None = None,
) -> Iterator[NavigableString]:
    """The visible text strings among ``nodes`` that hold more than white space, up to
    ``limit`` characters; ``skip`` leaves out the strings of the elements it names."""
    total = 0
    for node in nodes:
        if type(node) is not NavigableString or hidden(node):
            continue
        if skip is not None and node.parent is not None and skip(node.parent):
            continue
        if node.strip():
            yield node
            total += len(node)
            if limit is not None and total >= limit:
                return


def strings_from(
    start: Tag,
    *,
    forward: bool = True,
    limit: int,
    skip: Callable[[Tag], bool] | None = None,
) -> Iterator[str]:
    """The visible text strings from ``start`` on (its own included when going forward;
    backwards, nearest first), stripped, up to about ``limit`` characters; ``skip`` leaves out
    the strings of the elements it names."""
    nodes = start.next_elements if forward else start.previous_elements
    return (node.strip() for node in text_nodes(nodes, limit, skip))
