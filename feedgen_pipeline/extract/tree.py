"""A page's tree: BeautifulSoup over lxml's HTML parser, with a lighter builder.

bs4's lxml builder serves XML as well as HTML: for every tag it copies the attributes twice and
looks for namespaces in each name, which lxml's HTML parser never gives. This builder hands the
tags and text to BeautifulSoup as bs4's own does, without that work and without the comments,
which nothing reads, and keeps the tags in the order they start (document order), so that the
page's one walk (``extract/page.py``) need not go over every string of the tree to find them.
``ancestor`` finds a tag's nearest ancestor of some names.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from bs4 import BeautifulSoup, Tag
from bs4.builder._lxml import LXMLTreeBuilder
from lxml import etree


class _HtmlBuilder(LXMLTreeBuilder):
    """``LXMLTreeBuilder`` for lxml's HTML parser only: names and attributes as they come."""

    def __init__(self) -> None:
        # attribute values stay plain strings in a plain dict: splitting every ``class`` and
        # ``rel`` into a list, and bs4's checking dict, cost a fifth of the parse, and the few
        # readers of those attributes split the string themselves
        super().__init__(multi_valued_attributes=None, attribute_dict_class=dict)
        self.tags: list[Tag] = []

    def initialize_soup(self, soup: BeautifulSoup) -> None:
        super().initialize_soup(soup)
        self._soup = soup
        self._scope = self.active_namespace_prefixes[-1]  # lxml's HTML parser opens no other
        self.tags = []  # a new attempt at the same markup (bs4 may make several)

    def default_parser(self, encoding: str | None) -> Callable[..., etree.HTMLParser]:
        # nothing reads a comment: lxml drops them before they reach the tree
        return partial(etree.HTMLParser, remove_comments=True)

    def start(
        self,
        tag: str | bytes,
        attrib: dict[str | bytes, str | bytes],
        nsmap: dict[str, str] | None = None,
    ) -> None:
        # the Tag copies the attributes into a dict of its own: no copy here
        soup = self._soup
        made = soup.handle_starttag(tag, None, None, attrib, namespaces=self._scope)  # type: ignore[arg-type]
        if made is not None:
            self.tags.append(made)

    def end(self, tag: str | bytes) -> None:
        soup = self._soup
        soup.endData()
        soup.handle_endtag(tag, None)  # type: ignore[arg-type]

    def data(self, data: str | bytes) -> None:
        self._soup.handle_data(data)  # type: ignore[arg-type]


def parse_html(text: str) -> tuple[BeautifulSoup, list[Tag]]:
    """The page's tree, and its tags in document order."""
    builder = _HtmlBuilder()
    soup = BeautifulSoup(text, builder=builder)
    return soup, builder.tags


def ancestor(tag: Tag, names: tuple[str, ...]) -> Tag | None:
    """``tag.find_parent(names)``."""
    node = tag.parent
    while node is not None:
        if node.name in names:
            return node
        node = node.parent
    return None
