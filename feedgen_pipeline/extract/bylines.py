"""Who wrote a page: the names of its byline, from the first source that gives them.

JSON-LD first, then the author meta tags, then the story's byline elements (``rel="author"``,
classes naming a byline or an author, hCard names), then a byline written as text near the
headline or at the start of the story ("Von Max Mustermann", "Text: Jane Doe"), then a byline
element anywhere on the page when it is the only one. Every source's text is split into names
(``split_byline``): labels, dates, roles, affiliations, social handles and "and" are left out,
and names that are nobody's ("Staff", "Redaktion"), an organisation's or the site's own are
dropped, so that a page that shows no author has none.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

from bs4 import Tag
from bs4.element import NavigableString

from ..config import Rules
from ..config.rules import BylineWords
from .common import clean_text
from .jsonld import LdArticle
from .page import Page
from .queries import Queries
from .tree import ancestor
from .visible import hidden, text_nodes, visible_text

# author meta tags, in order of preference
_AUTHOR_META = (
    "author",
    "article:author",
    "byl",
    "dc.creator",
    "sailthru.author",
    "parsely-author",
)
# a capitalised word (an initial needs its full stop: "J." but not "J") or a name particle
_NAME_WORD = re.compile(
    r"^(?:[A-ZÀ-ÖØ-Þ](?:[\w'’-][\w'’.-]*|\.)"
    r"|de|da|del|der|den|di|dos|das|du|la|le|van|von|zu|ten|ter|bin|al|el|y)$"
)
# one word that can be a handle or a first name alone ("jancak", "Kathrin"): three letters
# at least
_HANDLE = re.compile(r"^(?=(?:[\W\d_]*[^\W\d_]){3})[^\W_][\w.'’-]{2,39}$")
# an initial without its full stop, inside a name ("Kiran C Nair")
_INITIAL = re.compile(r"^[A-ZÀ-ÖØ-Þ]$")
_SOCIAL = re.compile(r"\s*@\w[\w.]*")
# a word that is a host name: "example.org" names a site, not a person
_HOST = re.compile(r"[^\W_]\.(?:[a-z]{2,3}|com|net|org|info|online|news)$", re.IGNORECASE)
# the longest text read as a byline, and the most words of a name; more is a sentence
_MAX_CHARS = 200
_MAX_WORDS = 5
# how much text after the headline may hold a byline written as text
_AFTER_HEADLINE = 400
_WORD_CHARS = re.compile(r"[\W_]+")
_TITLE_PARTS = re.compile(r"\s+[|–—·:-]\s+")


@dataclass(frozen=True, slots=True)
class Byline:
    """The names of a byline and the source (rule) that gave them."""

    rule: str
    names: tuple[str, ...]


@dataclass(frozen=True)
class _Read:
    """The patterns made from the rules' byline vocabulary."""

    prefix: re.Pattern[str]
    cut: re.Pattern[str]
    cut_structured: re.Pattern[str]
    """``cut`` without digits: a name in JSON-LD is a name ("TAG24"), not a name and a date."""
    trailing: re.Pattern[str]
    split: re.Pattern[str]
    words: BylineWords
    nobody: frozenset[str]
    """Single words that make a name nobody's ("Redaktion" in "Die Redaktion")."""


def _alternatives(words: Iterable[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(set(words), key=len, reverse=True)) or "(?!)"


@lru_cache(maxsize=8)
def _read(words: BylineWords, months: tuple[tuple[str, int], ...]) -> _Read:
    label = rf"(?:{_alternatives(words.prefixes)})(?![^\W\d_])"
    month = _alternatives(m for m, _ in months)
    return _Read(
        prefix=re.compile(rf"^\s*(?:{label}\s*:?\s*)+", re.IGNORECASE),
        # separators, a date (its first digit, or a month name before a day), stop words
        cut=re.compile(
            rf"\s*(?:\||•|·| - | – | — |\d|(?<![^\W\d_])(?:{month})\.?\s+\d"
            rf"|(?<![^\W\d_])(?:{_alternatives(words.stop_words)})(?![^\W\d_])).*$",
            re.IGNORECASE | re.DOTALL,
        ),
        cut_structured=re.compile(
            rf"\s*(?:\||•|·| - | – | — "
            rf"|(?<![^\W\d_])(?:{_alternatives(words.stop_words)})(?![^\W\d_])).*$",
            re.IGNORECASE | re.DOTALL,
        ),
        trailing=re.compile(
            rf"(?:^|[\s,]+)(?:{_alternatives(words.date_words)})\s*[,.:]?\s*$", re.IGNORECASE
        ),
        split=re.compile(
            rf"\s*(?:[,;/&+]|\s(?:{_alternatives(words.joiners)})\s)\s*", re.IGNORECASE
        ),
        words=words,
        nobody=frozenset(n for n in words.not_names if " " not in n),
    )


def _reader(rules: Rules) -> _Read:
    return _read(rules.bylines, rules.date_months)


def split_byline(
    text: str,
    rules: Rules,
    *,
    single: bool = False,
    sites: frozenset[str] | None = None,
    structured: bool = False,
) -> tuple[str, ...]:
    """'By Jane Doe and John Roe, Updated 3 May' → ('Jane Doe', 'John Roe'). With ``single``,
    a byline of one word ("jancak") is a name too: for sources that hold nothing but a name.
    Names that are boilerplate ("Staff") or host names are left out; given the ``sites``, the
    page's own names are, and so are organisations ("… GmbH") and boilerplate within a name
    ("Sports Desk Staff"): the page shows them, not who wrote it. A ``structured`` source
    (JSON-LD) says that it names people: its names need not look like names."""
    read = _reader(rules)
    text = clean_text(text)
    if not text or len(text) > _MAX_CHARS:
        return ()
    cut = read.cut_structured if structured else read.cut
    text = _SOCIAL.sub("", cut.sub("", read.prefix.sub("", text)))
    while True:
        shorter = read.trailing.sub("", text)
        if shorter == text:
            break
        text = shorter
    parts = [p.strip(" -–—:;.,'\"()[]") for p in read.split.split(text)]
    parts = [p for p in parts if p]
    names: list[str] = []
    for part in parts:
        words = part.split()
        if structured:
            ok = len(words) <= _MAX_WORDS
        elif len(words) == 1:
            ok = single and len(parts) == 1 and bool(_HANDLE.match(part))
        else:
            ok = (
                len(words) <= _MAX_WORDS
                and words[0][0].isupper()
                and words[-1][0].isupper()
                and all(
                    _NAME_WORD.match(w) or (0 < i < len(words) - 1 and _INITIAL.match(w))
                    for i, w in enumerate(words)
                )
            )
        if ok and part not in names and not _nobody(part, read, sites):
            names.append(part)
    return tuple(names)


def _nobody(name: str, read: _Read, sites: frozenset[str] | None) -> bool:
    """A name that is boilerplate or a host name; with ``sites``, also one that holds
    boilerplate or an organisation's legal form, or is the site's own."""
    folded = name.casefold()
    if folded in read.words.not_names or any(_HOST.search(w) for w in name.split()):
        return True
    if " " not in folded and any(w in folded for w in read.nobody if len(w) >= 5):
        return True  # a user name such as "siteadmin"
    if sites is None:
        return False
    words = folded.split()
    if any(w in read.nobody or w.strip(".,") in read.words.organisation_words for w in words):
        return True
    return _is_site(name, sites)


def is_site_name(text: str, sites: frozenset[str]) -> bool:
    """Whether ``text`` is one of the site's names (``site_names``)."""
    return _is_site(text, sites, exact=True)


def _is_site(name: str, sites: frozenset[str], exact: bool = False) -> bool:
    """Whether ``name`` is one of the site's names, or (unless ``exact``) holds or is held
    by one."""
    plain = _WORD_CHARS.sub("", name.casefold())
    if exact:
        return plain in sites
    return any(plain == s or (len(s) >= 4 and (s in plain or plain in s)) for s in sites)


def site_names(
    site: str | None, publisher: str | None, url: str | None, title: str | None
) -> frozenset[str]:
    """The site's names as a byline would write them, without case and punctuation: its name,
    its publisher's, what the <title> adds after the headline ("Headline | Site"), and its host
    name's labels ("zeitung" of www.zeitung.example)."""
    parts = _TITLE_PARTS.split(title)[1:] if title else []
    names = {_WORD_CHARS.sub("", n.casefold()) for n in (site, publisher, *parts) if n}
    host = urlsplit(url).hostname if url else None
    if host:
        labels = [label for label in host.split(".") if label not in ("www", "m", "amp")]
        names.update(_WORD_CHARS.sub("", label) for label in labels[:-1])
    return frozenset(n for n in names if len(n) >= 3)


def find_authors(
    page: Page,
    story: Tag,
    ld: LdArticle,
    meta: dict[str, str],
    sites: frozenset[str],
    heading: Callable[[], Tag | None],
    rules: Rules,
    queries: Queries,
) -> Byline | None:
    """The byline: the first source that names someone (see the module's docstring). A byline
    that names the site itself ("BBC News"), in JSON-LD or on the page, counts only when the
    page shows nobody else; in a meta tag, never."""
    deferred: list[Byline] = []
    structured = _unique(n for a in ld.authors for n in split_byline(a, rules, structured=True))
    if structured:
        if not all(_is_site(n, sites) for n in structured):
            return Byline("json-ld", structured)
        deferred.append(Byline("json-ld", structured))
    for key in _AUTHOR_META:
        value = meta.get(key)
        if value and not value.startswith(("http://", "https://")):
            names = split_byline(value, rules, single=True, sites=sites)
            if names:
                return Byline(f"meta {key}", names)
    whole = story is page.soup or story.name in ("body", "html")
    found = (
        (None if whole else _element(page, story, rules, queries, sites, deferred, False))
        or _written(page, story, heading(), rules, sites)
        or _element(page, page.soup, rules, queries, sites, deferred, True)
    )
    return found or (deferred[0] if deferred else None)


def _unique(names: Iterable[str]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(names))


def _in_comments(element: Tag) -> bool:
    node = element.parent
    while node is not None:
        for attr in ("class", "id"):
            value = node.get(attr)
            if isinstance(value, str) and "comment" in value.lower():
                return True
        node = node.parent
    return False


def _element(
    page: Page,
    scope: Tag,
    rules: Rules,
    queries: Queries,
    sites: frozenset[str],
    deferred: list[Byline],
    only_one: bool,
) -> Byline | None:
    """The first byline element in ``scope``, in the rules' order. With ``only_one``, the
    bylines of the first rule that finds any must name the same people, or there is none
    (lists of other stories carry theirs). In the story an author box in its footer or aside
    counts; on the page, not the site's. One that shows the site's name goes to ``deferred``."""
    outside = ("nav", "footer", "aside") if only_one else ("nav",)
    candidates = page.select(queries.byline, scope)
    for rule_id, selectors in zip(queries.byline_ids, queries.byline, strict=True):
        found = []
        for element in candidates:  # in the rules' order of preference
            if not page.matches(selectors, element) or ancestor(element, outside) is not None:
                continue
            text = visible_text(element)
            names = split_byline(text, rules, single=True, sites=frozenset())
            if names and not _in_comments(element):
                if _is_site(text, sites, exact=True):
                    deferred.append(Byline(rule_id, names))
                elif not only_one:
                    return Byline(rule_id, names)
                else:
                    found.append(names)
        if found:
            return Byline(rule_id, found[0]) if len(set(found)) == 1 else None
    return None


def _written(
    page: Page, story: Tag, heading: Tag | None, rules: Rules, sites: frozenset[str]
) -> Byline | None:
    """A byline written as text: a line that starts with a byline label ("Von", "By", "Text:",
    "Ein Artikel von") just after the headline, else anywhere in the story."""
    read = _reader(rules)
    after = text_nodes(heading.next_elements, _AFTER_HEADLINE) if heading is not None else ()
    for nodes in (after, text_nodes(story.descendants)):
        for node in nodes:
            if read.prefix.match(node):
                names = split_byline(_line(node), rules, sites=sites)
                if names:
                    return Byline("byline text", names)
    return None


# elements that continue a line of text; any other ends it
_INLINE = frozenset(
    ("a", "span", "em", "strong", "b", "i", "small", "time", "font", "abbr", "cite", "u", "mark")
)


def _line(node: NavigableString) -> str:
    """The line of text that starts with ``node``: its strings up to the end of the block
    element around it ("Von <a>Max Muster</a> | 12.05.2021")."""
    parts = [str(node)]
    total = len(parts[0])
    for following in node.next_elements:
        if isinstance(following, Tag):
            if following.name not in _INLINE:
                break
            continue
        if type(following) is NavigableString and not hidden(following):
            parts.append(str(following))
            total += len(parts[-1])
            if total > _MAX_CHARS:
                break
    return " ".join(parts)


def is_byline(text: str, rules: Rules) -> bool:
    """Whether a short paragraph is a byline ("Von Max Muster, 12.05.2021") left in the body."""
    return bool(_reader(rules).prefix.match(text)) and bool(split_byline(text, rules))
