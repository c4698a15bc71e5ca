"""The story in an HTML page: the element that holds it, and its paragraphs as readers see them."""

from __future__ import annotations

from bs4 import Tag
from bs4.element import CData, NavigableString

from ..config import Rules
from .bylines import is_byline
from .common import clean_text
from .page import Page
from .queries import CAPTION_CLASS, ROOT_CANDIDATES
from .tree import ancestor
from .visible import BLOCK, visible_text


def article_root(page: Page) -> Tag:
    """The element holding the story: the smallest candidate with most of the story's text (the
    text of its <p>s, and that of the <div>s holding at least ``_DIV_CHARS`` of their own)."""
    candidates = page.select(ROOT_CANDIDATES, page.soup)
    # the text of every block under each candidate, summed in one pass over the blocks
    sizes = {id(c): 0 for c in candidates}
    if sizes:
        blocks = [(p, -1) for p in page.tags("p")]
        blocks += [(d, n) for d in page.tags("div") if (n := _own_text_length(d)) >= _DIV_CHARS]
        for block, length in blocks:
            node = block.parent
            while node is not None:
                if id(node) in sizes:
                    if length < 0:
                        length = len(block.get_text())
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


# a <div> is a paragraph when it holds this much text of its own (not in links or blocks)
_DIV_CHARS = 40
# elements whose text is not the text of the element around them
_NESTED = BLOCK | {"figure", "table", "article", "aside", "nav", "header", "footer", "form"}


def _own_strings(tag: Tag, *, links: bool) -> list[str | None]:
    """The strings directly inside ``tag`` or inside its inline elements (links only when
    ``links``), not those of a block inside it; None for each <br>."""
    out: list[str | None] = []
    stack = [iter(tag.children)]  # not recursion: inline elements may nest thousands deep
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif type(node) in (NavigableString, CData):
            out.append(str(node))
        elif isinstance(node, Tag):
            if node.name == "br":
                out.append(None)
            elif node.name not in _NESTED and (links or node.name != "a"):
                stack.append(iter(node.children))
    return out


def _own_text_length(tag: Tag) -> int:
    """Characters of text directly inside ``tag`` or its inline elements (not in links)."""
    return sum(len(s.strip()) for s in _own_strings(tag, links=False) if s)


def _own_lines(tag: Tag) -> list[str]:
    """The text directly inside ``tag`` and its inline elements and links, cut at each <br>:
    a story written as text and <br>s in one <div> has a paragraph between two of them."""
    lines = [""]
    for string in _own_strings(tag, links=True):
        if string is None:
            lines.append("")
        else:
            lines[-1] += string
    return [line for line in map(clean_text, lines) if line]


def paragraphs(root: Tag, headline: str | None, dek: str | None, rules: Rules) -> tuple[str, ...]:
    """Visible paragraphs of the story, outside figures, without repeats of headline or dek.

    A story is written in <p>s, or, on pages without them or where they hold less text than
    the <div>s do (a teaser or a credit line in a <p>, the story in <div>s), in <div>s that
    hold text of their own, each cut at its <br>s."""
    out: list[str] = []
    ps = [n for n in root.descendants if isinstance(n, Tag) and n.name in ("p", "blockquote")]
    divs = [
        (d, n)
        for d in root.descendants
        if isinstance(d, Tag) and d.name == "div" and (n := _own_text_length(d)) >= _DIV_CHARS
    ]
    in_divs = sum(n for _, n in divs) > sum(len(p.get_text()) for p in ps if p.name == "p")
    blocks = [d for d, _ in divs] if in_divs else ps
    for p in blocks:
        if ancestor(p, ("figure", "figcaption")) or (
            p.name == "blockquote" and _descendant(p, "p")
        ):
            continue
        if in_divs and CAPTION_CLASS.match(p):
            continue
        for text in _own_lines(p) if in_divs else [visible_text(p)]:
            if len(text) < 100 and (_descendant(p, "time") or is_byline(text, rules)):
                continue  # a dateline or byline left outside the byline markup
            if text and text not in (headline, dek) and (not out or out[-1] != text):
                out.append(text)
    return tuple(out)
