"""One walk of a parsed page: its tags by name, and which of the rules' selectors each matches.

Every later question (``find_all``, ``select``, ``select_one`` under some element) is then
answered from these lists instead of another walk of the tree. Positions in document order tell
whether an element lies under another; elements the extraction removes (``Page.remove``) are
left out of every answer from then on, as a fresh walk of the tree would leave them out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bs4 import BeautifulSoup, Tag
from bs4.element import PageElement

from .css import NS_XHTML, Complex, SelectorList, ascii_lower, compile_selectors

_NO_MATCH = re.compile(r"(?!)")


@dataclass(frozen=True)
class _Needle:
    """``[attr*="text" i]`` alone: a substring of the lower-cased value."""

    index: int
    text: str


@dataclass(frozen=True)
class _Keyed:
    """The selectors whose subject needs attribute ``name``, with a quick test that any can
    match: a regex over the (lower-cased) value that every one of them needs to match."""

    tokens: frozenset[str]
    """Classes (``.x``) or ids (``#x``) one of which the value must hold."""
    sensitive: re.Pattern[str] | None
    insensitive: re.Pattern[str] | None
    always: bool
    """Some selector needs the attribute only to be there: no quick test."""
    needles: tuple[_Needle, ...]
    others: tuple[tuple[int, Complex], ...]


@dataclass(frozen=True)
class _Dispatch:
    lists: tuple[SelectorList, ...]
    by_name: dict[str, tuple[tuple[int, Complex], ...]]
    by_attr: dict[str, _Keyed]


@lru_cache(maxsize=16)
def _dispatch(css: tuple[str, ...]) -> _Dispatch:
    lists = tuple(compile_selectors(c) for c in css)
    by_name: dict[str, list[tuple[int, Complex]]] = {}
    keyed: dict[str, list[tuple[int, Complex]]] = {}
    for index, selectors in enumerate(lists):
        for complex_ in selectors.complexes or ():
            subject = complex_.subject
            if subject.name is not None:
                by_name.setdefault(subject.name, []).append((index, complex_))
            else:
                key = "class" if subject.classes else "id" if subject.ids else subject.attrs[0].name
                keyed.setdefault(key, []).append((index, complex_))
    return _Dispatch(
        lists,
        {name: tuple(entries) for name, entries in by_name.items()},
        {name: _keyed(name, entries) for name, entries in keyed.items()},
    )


def _keyed(name: str, entries: list[tuple[int, Complex]]) -> _Keyed:
    tokens: set[str] = set()
    sensitive: list[str] = []
    insensitive: list[str] = []
    always = False
    needles: list[_Needle] = []
    others: list[tuple[int, Complex]] = []
    for index, complex_ in entries:
        subject = complex_.subject
        if name == "class" and subject.classes:
            tokens.add(subject.classes[0])
        elif name == "id" and subject.ids:
            tokens.add(subject.ids[0])
        else:
            test = next(t for t in subject.attrs if t.name == name)
            if test.pattern is None:
                always = True
            else:
                (insensitive if test.ignore_case else sensitive).append(test.pattern.pattern)
        lone = subject.name is None and not subject.classes and not subject.ids
        if (
            lone
            and not complex_.ancestors
            and len(subject.attrs) == 1
            and subject.attrs[0].ignore_case
            and subject.attrs[0].pattern is not None
            and subject.attrs[0].pattern.pattern == re.escape(_literal(subject.attrs[0].pattern))
        ):
            needles.append(_Needle(index, _literal(subject.attrs[0].pattern)))
        else:
            others.append((index, complex_))
    return _Keyed(
        frozenset(tokens),
        re.compile("|".join(f"(?:{s})" for s in sensitive), re.DOTALL) if sensitive else None,
        re.compile("|".join(f"(?:{s})" for s in insensitive), re.DOTALL) if insensitive else None,
        always,
        tuple(needles),
        tuple(others),
    )


def _literal(pattern: re.Pattern[str]) -> str:
    """The text an escaped literal pattern stands for (``*=``'s patterns are just that)."""
    return re.sub(r"\\(.)", r"\1", pattern.pattern, flags=re.DOTALL)


class Page:
    """A parsed page, walked once. ``lists`` are every selector list the caller will ask
    about (``select``, ``select_one``, ``matches``); others are an error."""

    def __init__(self, soup: BeautifulSoup, lists: Sequence[SelectorList]) -> None:
        self.soup = soup
        dispatch = _dispatch(tuple(s.css for s in lists))
        self._index = {s.css: i for i, s in enumerate(dispatch.lists)}
        self._hits: list[list[Tag]] = [[] for _ in dispatch.lists]
        self._hit_ids: list[set[int]] = [set() for _ in dispatch.lists]
        self._by_name: dict[str, list[Tag]] = {}
        self._pos: dict[int, int] = {id(soup): -1}
        self._end: dict[int, int] = {}
        self._removed: list[tuple[int, int]] = []
        self._walk(dispatch)
        # a page with the XHTML namespace (not lxml's HTML parser) keeps soupsieve's rules
        root = self.first("html")
        self._exact = root is None or getattr(root, "namespace", None) != NS_XHTML

    def _walk(self, dispatch: _Dispatch) -> None:
        by_name = self._by_name
        pos = self._pos
        hits = self._hits
        hit_ids = self._hit_ids
        names = dispatch.by_name
        keyed = dispatch.by_attr
        i = 0
        for node in self.soup.descendants:
            if not isinstance(node, Tag):
                continue
            key = id(node)
            pos[key] = i
            i += 1
            name = node.name
            same = by_name.get(name)
            if same is None:
                by_name[name] = [node]
            else:
                same.append(node)
            matched: set[int] | None = None
            for index, complex_ in names.get(name, ()):
                if complex_.match(node):
                    matched = matched or set()
                    matched.add(index)
            attrs = node.attrs
            if attrs:
                for attr, value in attrs.items():
                    rules = keyed.get(attr)
                    if rules is None:
                        continue
                    if isinstance(value, str):
                        text = value
                        token = value in rules.tokens
                    else:
                        text = " ".join(value)
                        token = not rules.tokens.isdisjoint(value)
                    lower = ascii_lower(text)
                    if not (
                        token
                        or rules.always
                        or (rules.insensitive is not None and rules.insensitive.search(lower))
                        or (rules.sensitive is not None and rules.sensitive.search(text))
                    ):
                        continue
                    for needle in rules.needles:
                        if needle.text in lower:
                            matched = matched or set()
                            matched.add(needle.index)
                    for index, complex_ in rules.others:
                        if complex_.match(node):
                            matched = matched or set()
                            matched.add(index)
            if matched:
                for index in sorted(matched):
                    hits[index].append(node)
                    hit_ids[index].add(key)
        self._end[id(self.soup)] = i - 1

    # ---------------------------------------------------------------- questions

    def within(self, tag: Tag, scope: Tag) -> bool:
        """Whether ``tag`` is still in the page, under ``scope`` (not ``scope`` itself)."""
        at = self._pos.get(id(tag))
        start = self._pos.get(id(scope))
        if at is None or start is None or not start < at <= self._end_of(scope):
            return False
        return not any(a <= at <= b for a, b in self._removed)

    def _end_of(self, tag: Tag) -> int:
        """The position of the last tag under ``tag`` (its own when none)."""
        end = self._end.get(id(tag))
        if end is None:
            last: PageElement = tag
            while isinstance(last, Tag) and last.contents:
                last = last.contents[-1]
            while id(last) not in self._pos and last.previous_element is not None:
                last = last.previous_element  # a string, or a tag added since the walk
            end = self._end[id(tag)] = self._pos.get(id(last), self._pos[id(tag)])
        return end

    def tags(self, name: str, scope: Tag | None = None) -> list[Tag]:
        """``scope.find_all(name)``: the tags named ``name`` under ``scope`` (default: all)."""
        scope = self.soup if scope is None else scope
        found = self._by_name.get(name, [])
        if scope is self.soup and not self._removed:
            return list(found)
        return [t for t in found if self.within(t, scope)]

    def first(self, name: str, scope: Tag | None = None) -> Tag | None:
        """``scope.find(name)``."""
        scope = self.soup if scope is None else scope
        return next((t for t in self._by_name.get(name, ()) if self.within(t, scope)), None)

    def first_of(self, names: Sequence[str], scope: Tag) -> Tag | None:
        """``scope.find(names)``: the first tag under ``scope`` named one of ``names``."""
        found = [t for n in names if (t := self.first(n, scope)) is not None]
        return min(found, key=self.position) if found else None

    def tags_of(self, names: Sequence[str], scope: Tag) -> list[Tag]:
        """``scope.find_all(names)``, in document order."""
        found = [t for n in names for t in self.tags(n, scope)]
        return sorted(found, key=self.position) if len(names) > 1 else found

    def position(self, tag: Tag) -> int:
        return self._pos[id(tag)]

    def select(self, lists: Sequence[SelectorList], scope: Tag) -> list[Tag]:
        """``scope.select(", ".join(lists))``: in document order, each element once."""
        if not lists:
            return []
        if not self._exact or any(s.complexes is None for s in lists):
            return list(scope.select(", ".join(s.css for s in lists)))
        if len(lists) == 1:
            found = self._hits[self._index[lists[0].css]]
        else:
            seen: dict[int, Tag] = {}
            for selectors in lists:
                for tag in self._hits[self._index[selectors.css]]:
                    seen[id(tag)] = tag
            found = sorted(seen.values(), key=self.position)
        return [t for t in found if self.within(t, scope)]

    def select_one(self, selectors: SelectorList, scope: Tag) -> Tag | None:
        """``scope.select_one(selectors)``."""
        if not self._exact or selectors.complexes is None:
            found = scope.select_one(selectors.css)
            return found if isinstance(found, Tag) else None
        hits = self._hits[self._index[selectors.css]]
        return next((t for t in hits if self.within(t, scope)), None)

    def matches(self, selectors: SelectorList, tag: Tag) -> bool:
        """``tag.css.match(selectors)`` for a tag still in the page."""
        if not self._exact or selectors.complexes is None:
            return bool(tag.css.match(selectors.css))
        return id(tag) in self._hit_ids[self._index[selectors.css]]

    # ---------------------------------------------------------------- changes

    def remove(self, tag: Tag, *, decompose: bool = True) -> None:
        """Take ``tag`` out of the page (``decompose()`` it, or ``extract()`` it)."""
        at = self._pos.get(id(tag))
        if at is not None:
            self._removed.append((at, self._end_of(tag)))
        if decompose:
            tag.decompose()
        else:
            tag.extract()


def selector_lists(*css: str) -> tuple[SelectorList, ...]:
    return tuple(compile_selectors(c) for c in css)
