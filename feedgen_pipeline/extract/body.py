"""The story in an HTML page: the element that holds it, and its paragraphs as readers see them."""

from __future__ import annotations

import re

from bs4 import Tag
from bs4.element import CData, NavigableString

from .common import clean_text
from .page import Page, ancestor
from .queries import ROOT_CANDIDATES

BYLINE_PREFIX = re.compile(r"^\s*(?:written\s+)?by[:\s]+", re.IGNORECASE)

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


def article_root(page: Page) -> Tag:
    """The element holding the story: the smallest candidate with most of the paragraph text."""
    candidates = page.select(ROOT_CANDIDATES, page.soup)
    # the text of every <p> under each candidate, summed in one pass over the <p>s
    sizes = {id(c): 0 for c in candidates}
    if sizes:
        for p in page.tags("p"):
            length = -1
            node = p.parent
            while node is not None:
                if id(node) in sizes:
                    if length < 0:
                        length = len(p.get_text())
                    sizes[id(node)] += length
                node = node.parent

    body = page.first("body") or page.soup
    sized = [(sizes[id(c)], c) for c in candidates]
    best = max((size for size, _ in sized), default=0)
    if best == 0:
        return body
    good = [(size, c) for size, c in sized if size >= 0.6 * best]
    # the deepest: a good candidate with no other good candidate inside it
    leaves = [
        (size, c) for size, c in good if not any(o is not c and page.within(o, c) for _, o in good)
    ]
    return max(leaves, key=lambda pair: pair[0])[1]


def _descendant(tag: Tag, name: str) -> Tag | None:
    """``tag.find(name)``."""
    for node in tag.descendants:
        if isinstance(node, Tag) and node.name == name:
            return node
    return None


# without <p>, a <div> is a paragraph when it holds this much text of its own
_DIV_TEXT_CHARS = 40


# class names of image captions ("image-caption", "img_cptn")
_CAPTION_CLASS = re.compile(r"caption|cptn", re.IGNORECASE)


def _is_caption(tag: Tag) -> bool:
    return any(_CAPTION_CLASS.search(c) for c in tag.get_attribute_list("class") or [])


def _own_text_length(tag: Tag) -> int:
    """Characters of text directly inside ``tag`` or its inline children (not in links)."""
    total = 0
    for child in tag.children:
        if type(child) in (NavigableString, CData):
            total += len(str(child).strip())
        elif isinstance(child, Tag) and child.name in ("b", "i", "em", "strong", "span", "br"):
            total += len(child.get_text().strip())
    return total


def paragraphs(root: Tag, headline: str | None, dek: str | None) -> tuple[str, ...]:
    """Visible paragraphs of the story, outside figures, without repeats of headline or dek."""
    out: list[str] = []
    with_p = _descendant(root, "p") is not None
    names = ("p", "blockquote") if with_p else ("div",)
    blocks = [n for n in root.descendants if isinstance(n, Tag) and n.name in names]
    for p in blocks:
        if ancestor(p, ("figure", "figcaption")) or (
            p.name == "blockquote" and _descendant(p, "p")
        ):
            continue
        if not with_p and (_own_text_length(p) < _DIV_TEXT_CHARS or _is_caption(p)):
            continue  # a wrapper, a menu whose words are all links, or an image caption
        text = text_of(p)
        if len(text) < 100 and (_descendant(p, "time") or BYLINE_PREFIX.match(text)):
            continue  # a dateline or byline left outside the byline markup
        if text and text not in (headline, dek) and (not out or out[-1] != text):
            out.append(text)
    return tuple(out)
