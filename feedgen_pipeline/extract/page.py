"""One walk of a parsed page: its tags by name, and which of the rules' selectors each matches.

Every later question (``find_all``, ``select``, ``select_one`` under some element) is then
answered from these lists instead of another walk of the tree. Positions in document order tell
whether an element lies under another; elements the extraction removes (``Page.remove``) are
left out of every answer from then on, as a fresh walk of the tree would leave them out.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from bs4 import BeautifulSoup, Tag
from bs4.element import PageElement

from .css import (
    NOT_SPACE,
    NS_XHTML,
    Complex,
    Compound,
    SelectorList,
    ascii_lower,
    compile_selectors,
)

# values whose matches are remembered, per attribute (class lists repeat on a page and a site)
_CACHE_SIZE = 4096


@dataclass(frozen=True)
class _Named:
    """The selectors whose subject is a tag name: those that need nothing else, and others."""

    plain: tuple[int, ...]
    others: tuple[tuple[int, Complex], ...]


@dataclass(frozen=True)
class _Keyed:
    """The selectors whose subject needs attribute ``name``.

    ``pure`` ones depend on nothing but the attribute's value: their matches are computed once
    per value. ``others`` also look at the element or its ancestors, after a quick test that
    one of them can match (a class or id they need, or a regex over the value)."""

    pure: tuple[tuple[int, Compound], ...]
    needles: tuple[tuple[int, str], ...]
    """Of ``pure``, ``[attr*="text" i]`` alone: a substring of the lower-cased value."""
    any_needle: re.Pattern[str] | None  # whether any is in a value: most values hold none
    words: dict[str, tuple[int, ...]]
    """Of ``pure``, ``.word`` alone: one of the classes (the word → the selectors)."""
    quick: frozenset[int]  # the selectors of ``needles`` and ``words``
    cache: dict[str, tuple[tuple[int, ...], bool]]
    tokens: frozenset[str]
    sensitive: re.Pattern[str] | None
    insensitive: re.Pattern[str] | None
    always: bool
    """Some of ``others`` need the attribute only to be there: no quick test."""
    others: tuple[tuple[int, Complex], ...]

    def lookup(self, text: str, value: str | Sequence[str]) -> tuple[tuple[int, ...], bool]:
        """The ``pure`` selectors that ``value`` matches, and whether one of ``others`` may:
        both depend on the value alone, which repeats from element to element."""
        found = self.cache.get(text)
        if found is None:
            if len(self.cache) >= _CACHE_SIZE:
                self.cache.clear()
            pure = self._pure_matches(text, value)
            found = self.cache[text] = (pure, bool(self.others) and self.may_match(text, value))
        return found

    def _pure_matches(self, text: str, value: str | Sequence[str]) -> tuple[int, ...]:
        found: set[int] = set()
        if self.any_needle is not None and self.any_needle.search(lower := ascii_lower(text)):
            found.update(index for index, needle in self.needles if needle in lower)
        if self.words:
            for word in NOT_SPACE.findall(value) if isinstance(value, str) else value:
                found.update(self.words.get(word, ()))
        found.update(
            index
            for index, compound in self.pure
            if index not in found and index not in self.quick and _value_match(compound, value)
        )
        return tuple(sorted(found))

    def may_match(self, text: str, value: str | Sequence[str]) -> bool:
        if self.always:
            return True
        if isinstance(value, str):
            # a class attribute is one string of space-separated words
            if value in self.tokens or not self.tokens.isdisjoint(value.split()):
                return True
        elif not self.tokens.isdisjoint(value):
            return True
        return bool(
            (self.insensitive is not None and self.insensitive.search(ascii_lower(text)))
            or (self.sensitive is not None and self.sensitive.search(text))
        )


def _value_match(compound: Compound, value: str | Sequence[str]) -> bool:
    """``compound.match`` for a compound that tests one attribute only, given its value."""
    if compound.classes:
        classes = NOT_SPACE.findall(value) if isinstance(value, str) else value
        if any(c not in classes for c in compound.classes):
            return False
    if any(value != wanted for wanted in compound.ids):
        return False
    return all(test.value_matches(value) for test in compound.attrs)


@dataclass(frozen=True)
class _Dispatch:
    lists: tuple[SelectorList, ...]
    by_name: dict[str, _Named]
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
        {name: _named(entries) for name, entries in by_name.items()},
        {name: _keyed(name, entries) for name, entries in keyed.items()},
    )


def _named(entries: list[tuple[int, Complex]]) -> _Named:
    bare = {
        i
        for i, c in entries
        if not c.ancestors and c.subject == Compound(c.subject.name, (), (), ())
    }
    plain = tuple(sorted(bare))
    return _Named(plain, tuple((i, c) for i, c in entries if i not in plain))


def _is_pure(name: str, complex_: Complex) -> bool:
    subject = complex_.subject
    return (
        not complex_.ancestors
        and subject.name is None
        and (not subject.classes or name == "class")
        and (not subject.ids or name == "id")
        and all(test.name == name for test in subject.attrs)
    )


def _literal(pattern: re.Pattern[str]) -> str:
    """The text an escaped literal pattern stands for."""
    return re.sub(r"\\(.)", r"\1", pattern.pattern, flags=re.DOTALL)


def _is_literal(pattern: re.Pattern[str]) -> bool:
    """Whether ``pattern`` is an escaped literal (as ``*=`` makes them): found by ``in``."""
    return pattern.pattern == re.escape(_literal(pattern))


def _general(compound: Compound, name: str) -> bool:
    """Not one of the quick forms (a lone ``*=`` needle, a lone class word)."""
    needle = (
        compound.classes == ()
        and compound.ids == ()
        and len(compound.attrs) == 1
        and compound.attrs[0].ignore_case
        and compound.attrs[0].pattern is not None
        and _is_literal(compound.attrs[0].pattern)
    )
    word = len(compound.classes) == 1 and compound.ids == () and compound.attrs == ()
    return not (needle or (word and name == "class"))


def _keyed(name: str, entries: list[tuple[int, Complex]]) -> _Keyed:
    pure = tuple((i, c.subject) for i, c in entries if _is_pure(name, c))
    needles = tuple(
        (i, _literal(t.pattern))
        for i, c in pure
        if c.classes == () and c.ids == () and len(c.attrs) == 1
        for t in c.attrs
        if t.ignore_case and t.pattern is not None and _is_literal(t.pattern)
    )
    words: dict[str, tuple[int, ...]] = {}
    for i, c in pure:
        if len(c.classes) == 1 and c.ids == () and c.attrs == () and name == "class":
            words[c.classes[0]] = (*words.get(c.classes[0], ()), i)
    quick = {i for i, _ in needles} | {i for found in words.values() for i in found}
    # a list with one quick selector and another, general one: the general one decides
    pure = tuple((i, c) for i, c in pure if i not in quick or _general(c, name))
    others = tuple((i, c) for i, c in entries if not _is_pure(name, c))
    tokens: set[str] = set()
    sensitive: list[str] = []
    insensitive: list[str] = []
    always = False
    for _, complex_ in others:
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
    return _Keyed(
        pure,
        needles,
        re.compile("|".join(re.escape(n) for _, n in needles)) if needles else None,
        words,
        frozenset(quick),
        {},
        frozenset(tokens),
        re.compile("|".join(f"(?:{s})" for s in sensitive), re.DOTALL) if sensitive else None,
        re.compile("|".join(f"(?:{s})" for s in insensitive), re.DOTALL) if insensitive else None,
        always,
        others,
    )


class Page:
    """A parsed page, walked once. ``lists`` are every selector list the caller will ask
    about (``select``, ``select_one``, ``matches``); others are an error. ``tags``, when the
    parse gives them (``extract/tree.py``), are the page's tags in document order."""

    def __init__(
        self,
        soup: BeautifulSoup,
        lists: Sequence[SelectorList],
        tags: Sequence[Tag] | None = None,
    ) -> None:
        self.soup = soup
        dispatch = _dispatch(tuple(s.css for s in lists))
        self._index = {s.css: i for i, s in enumerate(dispatch.lists)}
        self._hits: list[list[Tag]] = [[] for _ in dispatch.lists]
        self._hit_ids: list[set[int]] = [set() for _ in dispatch.lists]
        self._by_name: dict[str, list[Tag]] = defaultdict(list)  # read with .get only
        self._pos: dict[int, int] = {id(soup): -1}
        self._end: dict[int, int] = {}
        self._removed: list[tuple[int, int]] = []
        if tags is None:
            tags = [node for node in soup.descendants if isinstance(node, Tag)]
        self._walk(dispatch, tags)
        # a page with the XHTML namespace (not lxml's HTML parser) keeps soupsieve's rules
        root = self.first("html")
        self._exact = root is None or getattr(root, "namespace", None) != NS_XHTML

    def _walk(self, dispatch: _Dispatch, tags: Sequence[Tag]) -> None:
        by_name = self._by_name
        pos = self._pos
        hits = self._hits
        hit_ids = self._hit_ids
        names = dispatch.by_name
        keyed = dispatch.by_attr
        for i, node in enumerate(tags):
            pos[id(node)] = i
            name = node.name
            by_name[name].append(node)
            matched: set[int] | None = None
            named = names.get(name)
            if named is not None:
                if named.plain:
                    matched = set(named.plain)
                for index, complex_ in named.others:
                    if complex_.match(node):
                        matched = matched or set()
                        matched.add(index)
            attrs = node.attrs
            if attrs:
                for attr, value in attrs.items():
                    rules = keyed.get(attr)
                    if rules is None:
                        continue
                    text = value if isinstance(value, str) else " ".join(value)
                    found, others = rules.lookup(text, value)
                    if found:
                        matched = matched or set()
                        matched.update(found)
                    if others:
                        for index, complex_ in rules.others:
                            if complex_.match(node):
                                matched = matched or set()
                                matched.add(index)
            if matched:
                key = id(node)
                for index in sorted(matched):
                    hits[index].append(node)
                    hit_ids[index].add(key)
        self._end[id(self.soup)] = len(tags) - 1

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

    def tags_of(self, names: Sequence[str], scope: Tag) -> list[Tag]:
        """``scope.find_all(names)``, in document order."""
        found = [t for n in names for t in self.tags(n, scope)]
        return sorted(found, key=self.position) if len(names) > 1 else found

    def position(self, tag: Tag) -> int:
        return self._pos[id(tag)]

    def span(self, tag: Tag) -> tuple[int, int]:  # of ``tag`` and of the last tag under it
        return self._pos[id(tag)], self._end_of(tag)

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
