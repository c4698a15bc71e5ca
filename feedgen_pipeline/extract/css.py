"""The rules' CSS selectors compiled into plain predicates over BeautifulSoup tags.

soupsieve evaluates any selector, at a cost of tens of microseconds per element and select()
call: on a news page, most of the extraction time. The rules use a small part of CSS: type,
``.class``, ``#id``, ``[attr]`` and ``[attr op "value" i]`` (op one of = ~= |= ^= $= *=),
compounded and joined by descendant combinators. Those compile here into predicates that one
walk of the page evaluates for every rule at once (see ``page.py``). A selector list with
anything else (pseudo-classes, other combinators, escapes, namespaces) keeps soupsieve:
``SelectorList.complexes`` is then None, so users' rules keep the whole of CSS.

The predicates follow soupsieve's semantics for HTML documents parsed by lxml (whose tag and
attribute names are already lower case): type names compare in lower case; ``.class`` and
``#id`` compare exactly; attribute values of multi-valued attributes are joined by spaces; ``i``
(and, without a flag, the attributes HTML treats so) compare ASCII-lower-cased values.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bs4 import BeautifulSoup, Tag

# attributes whose values HTML compares without case (soupsieve's list)
_HTML_CASE_INSENSITIVE = frozenset(
    (  # noqa: SIM905  (a list of 46 one-word strings reads worse)
        "accept accept-charset align alink axis bgcolor charset checked clear codetype color "
        "compact declare defer dir direction disabled enctype face frame hreflang http-equiv lang "
        "language link media method multiple nohref noresize noshade nowrap readonly rel rev "
        "rules scope scrolling selected shape target text type valign valuetype vlink"
    ).split()
)
NS_XHTML = "http://www.w3.org/1999/xhtml"
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_IDENT = r"-?[A-Za-z_][A-Za-z0-9_-]*"
_SIMPLE = re.compile(
    rf"""
    (?P<type>{_IDENT})
    | \.(?P<cls>{_IDENT})
    | \#(?P<id>[A-Za-z0-9_-]+)
    | \[\s*(?P<attr>{_IDENT})\s*
      (?:(?P<op>[~|^$*]?=)\s*
         (?:"(?P<dq>[^"\\\n]*)"|'(?P<sq>[^'\\\n]*)'|(?P<bare>{_IDENT}))\s*
         (?:(?P<case>[iIsS])\s*)?
      )?\]
    """,
    re.VERBOSE,
)
_SPACE = re.compile(r"[ \t\r\n\f]+")
NOT_SPACE = re.compile(r"[^ \t\r\n\f]+")


def ascii_lower(text: str) -> str:
    return text.lower() if text.isascii() else text.translate(_ASCII_LOWER)


def _value_pattern(op: str, value: str) -> re.Pattern[str]:
    """The regex an attribute's value must match (searched), as soupsieve builds it."""
    if op == "^=":
        source = rf"^{re.escape(value)}" if value else r"^(?!)"
    elif op == "$=":
        source = rf"{re.escape(value)}\Z" if value else r"(?!)"
    elif op == "*=":
        source = re.escape(value) if value else r"(?!)"
    elif op == "~=":
        word = r"(?!)" if not value or _SPACE.search(value) else re.escape(value)
        source = rf"(?:(?<=^)|(?<=[ \t\r\n\f])){word}(?=(?:[ \t\r\n\f]|\Z))"
    elif op == "|=":
        source = rf"^{re.escape(value)}(?:-.*)?\Z"
    else:
        source = rf"^{re.escape(value)}\Z"
    return re.compile(source, re.DOTALL)


@dataclass(frozen=True)
class AttrTest:
    name: str
    pattern: re.Pattern[str] | None
    """None: the attribute only has to be there."""
    ignore_case: bool

    def value_matches(self, value: str | Sequence[str]) -> bool:
        if self.pattern is None:
            return True
        text = value if isinstance(value, str) else " ".join(value)
        if self.ignore_case:
            text = ascii_lower(text)
        return self.pattern.search(text) is not None


@dataclass(frozen=True)
class Compound:
    """Simple selectors that one element must all match: ``a.b[c*="d" i]``."""

    name: str | None
    classes: tuple[str, ...]
    ids: tuple[str, ...]
    attrs: tuple[AttrTest, ...]

    def match(self, tag: Tag) -> bool:
        if self.name is not None and tag.name != self.name:
            return False
        attrs = tag.attrs
        if self.classes:
            value = attrs.get("class")
            if value is None:
                return False
            classes = NOT_SPACE.findall(value) if isinstance(value, str) else value
            if any(c not in classes for c in self.classes):
                return False
        for wanted in self.ids:
            if attrs.get("id", "") != wanted:
                return False
        for test in self.attrs:
            value = attrs.get(test.name)
            if value is None:
                if test.name not in attrs:
                    return False
                value = ""
            if not test.value_matches(value):
                return False
        return True


@dataclass(frozen=True)
class Complex:
    """Compounds joined by descendant combinators; the last one is the element itself."""

    subject: Compound
    ancestors: tuple[Compound, ...]
    """From the nearest to the farthest."""

    def match(self, tag: Tag) -> bool:
        return self.subject.match(tag) and self.ancestors_match(tag)

    def ancestors_match(self, tag: Tag) -> bool:
        # the nearest ancestor that matches is always the best choice with descendant
        # combinators only: every farther candidate has fewer ancestors left to match
        node = tag.parent
        for compound in self.ancestors:
            # the document itself is no element
            while node is not None and (
                isinstance(node, BeautifulSoup) or not compound.match(node)
            ):
                node = node.parent
            if node is None:
                return False
            node = node.parent
        return True


@dataclass(frozen=True)
class SelectorList:
    """A rule's selector text, compiled when it is within the subset above."""

    css: str
    complexes: tuple[Complex, ...] | None
    """None: evaluated by soupsieve."""

    def match(self, tag: Tag) -> bool:
        if self.complexes is None:
            return bool(tag.css.match(self.css))
        return any(c.match(tag) for c in self.complexes)


@lru_cache(maxsize=512)
def compile_selectors(css: str) -> SelectorList:
    """Compile ``css`` (a selector list); outside the subset, leave it to soupsieve."""
    try:
        complexes = _parse(css)
    except ValueError:
        return SelectorList(css, None)
    return SelectorList(css, complexes)


def _parse(css: str) -> tuple[Complex, ...]:
    """Selector list → complex selectors; ValueError for anything outside the subset."""
    out: list[Complex] = []
    compounds: list[Compound] = []
    pos = _skip_space(css, 0)
    while True:
        compound, pos = _compound(css, pos)
        compounds.append(compound)
        after = _skip_space(css, pos)
        if after == len(css) or css[after] == ",":
            out.append(Complex(compounds[-1], tuple(reversed(compounds[:-1]))))
            compounds = []
            if after == len(css):
                return tuple(out)
            pos = _skip_space(css, after + 1)
        elif after == pos:
            raise ValueError(css)  # another combinator, or a part outside the subset
        else:
            pos = after  # white space: a descendant combinator


def _skip_space(text: str, pos: int) -> int:
    m = _SPACE.match(text, pos)
    return m.end() if m else pos


def _compound(text: str, pos: int) -> tuple[Compound, int]:
    name: str | None = None
    classes: list[str] = []
    ids: list[str] = []
    attrs: list[AttrTest] = []
    start = pos
    while pos < len(text):
        m = _SIMPLE.match(text, pos)
        if m is None:
            break
        if m.group("type") is not None:
            if pos != start:
                raise ValueError(text)
            name = ascii_lower(m.group("type"))
        elif m.group("cls") is not None:
            classes.append(m.group("cls"))
        elif m.group("id") is not None:
            ids.append(m.group("id"))
        else:
            attr = ascii_lower(m.group("attr"))
            case = (m.group("case") or "").lower()
            ignore_case = case == "i" or (not case and attr in _HTML_CASE_INSENSITIVE)
            pattern = None
            if m.group("op"):
                value = next(v for v in m.group("dq", "sq", "bare") if v is not None)
                value = ascii_lower(value) if ignore_case else value
                pattern = _value_pattern(m.group("op"), value)
            attrs.append(AttrTest(attr, pattern, ignore_case))
        pos = m.end()
    if pos == start:
        raise ValueError(text)
    return Compound(name, tuple(classes), tuple(ids), tuple(attrs)), pos
