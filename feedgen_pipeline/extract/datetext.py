"""Dates written as text ("31. Mai 2012", "31.05.2012", "May 31st, 2012", "2012-05-31") and in
URLs ("/2012/05/31/", "/20120531"), in the languages whose month names the rules list; and
dates told from the moment a page was served ("vor 3 Tagen", "yesterday"), in the languages
whose phrases the rules list, when that moment is known.

Only whole dates count (day, month and year); a date before 1995 is not a publication date on
the web. A day without a time is that day at midnight UTC: no hour is invented, and a time
written beside it (in the page's own, unnamed zone) is left out rather than guessed into UTC.
A relative date is the day (in UTC) that many minutes, hours or days before the moment served.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from functools import lru_cache

from ..config import Rules
from ..config.rules import RelativeWords

EARLIEST = date(1995, 1, 1)
"""Before this, a date on a web page is not when the page was published."""

_YEAR = r"((?:19|20)\d{2})"
_NOT_DIGIT_BEFORE = r"(?<![\d])"
_NOT_DIGIT_AFTER = r"(?![\d])"
_NOT_LETTER_BEFORE = r"(?<![^\W\d_])"
_NOT_LETTER_AFTER = r"(?![^\W\d_])"


@dataclass(frozen=True, slots=True)
class WrittenDate:
    """A whole date found in a text: the day, where it starts and what was written."""

    day: date
    start: int
    text: str


@dataclass(frozen=True)
class _Patterns:
    words: re.Pattern[str]
    """Day and month in words, either order, right before a year."""
    months: dict[str, int]


_LETTERS = re.compile(r"[^\W\d_]+")
_YEAR_ALONE = re.compile(_NOT_DIGIT_BEFORE + _YEAR + _NOT_DIGIT_AFTER)
# the most characters a day and a month in words take before the year ("31st of September, ")
_WORDS_BEFORE_YEAR = 40
# numeric forms: ISO (with an optional time and zone), day.month.year, day/month/year,
# year/month/day, and the CJK year年month月day日
_ISO = re.compile(
    _NOT_DIGIT_BEFORE + _YEAR + r"-([01]\d)-([0-3]\d)"
    r"(?:[T ]([0-2]\d):([0-5]\d)(?::([0-5]\d))?(?:\.\d+)?\s*(Z|[+-][01]\d:?[0-5]\d)?)?"
    + _NOT_DIGIT_AFTER
)
_DOTTED = re.compile(
    r"(?<![\d.])([0-3]?\d)\.\s?([01]?\d)\.\s?((?:19|20)\d{2}|\d{2}(?=\D|$))(?!\.?\d)"
)
_SLASHED = re.compile(r"(?<![\d/])([0-3]?\d)/([0-3]?\d)/((?:19|20)\d{2})(?![\d/])")
_YEAR_FIRST = re.compile(_NOT_DIGIT_BEFORE + _YEAR + r"[./]([01]?\d)[./]([0-3]?\d)(?![\d/])")
# a label is read in this much text before a date ("Veröffentlicht am "), and labels a date at
# most this far from its end ("Posted on Monday, ")
_LABEL_CHARS = 40
_LABEL_GAP = 14
# what may stand between a line's other words and the relative date that ends it ("Max Muster,
# vor 3 Stunden", "Jane Doe • 2 days ago")
_SEPARATORS = frozenset(",;:|·•–—-/(")
_CJK = re.compile(_YEAR + r"\s*年\s*([01]?\d)\s*月\s*([0-3]?\d)\s*日")
# in a URL's path: /2012/05/31/, /2012-05-31, /20120531, and /31-05-2012
_URL = re.compile(r"(?<![\d])((?:19|20)\d{2})([/_.-]?)([01]\d)\2([0-3]\d)(?![\d])")
_URL_DAY_FIRST = re.compile(r"(?<![\d])([0-3]\d)([_.-])([01]\d)\2((?:19|20)\d{2})(?![\d])")


@lru_cache(maxsize=8)
def _patterns(months: tuple[tuple[str, int], ...]) -> _Patterns:
    names = sorted({name.casefold() for name, _ in months}, key=len, reverse=True)
    month = "(" + "|".join(re.escape(n) for n in names) + ")"
    day = r"([0-3]?\d)"
    # what stands before the year; searched only in the few characters before each year, as a
    # search of the whole text would try every month name at every character
    words = re.compile(
        # 31. Mai 2012, 31 May 2012, 31st of May, 2012, 31 de mayo de 2012, 31 maja 2012
        _NOT_DIGIT_BEFORE
        + day
        + r"(?:\.|st|nd|rd|th|er|º)?\s*(?:de\s+|of\s+)?"
        + _NOT_LETTER_BEFORE
        + month
        + r"\.?"
        + _NOT_LETTER_AFTER
        + r",?\s*(?:de\s+|del\s+)?\Z"
        # May 31st, 2012, Mai 31, 2012
        + r"|"
        + _NOT_LETTER_BEFORE
        + month
        + r"\.?\s+"
        + day
        + r"(?:st|nd|rd|th)?\.?,?\s+\Z",
        re.IGNORECASE,
    )
    return _Patterns(words, {name.casefold(): number for name, number in months})


def _day(year: int, month: int, day: int) -> date | None:
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found if found >= EARLIEST else None


def _year(text: str) -> int:
    year = int(text)
    return year + 2000 if year < 100 else year


def find_dates(
    text: str, months: tuple[tuple[str, int], ...], month_first: bool = False
) -> Iterator[WrittenDate]:
    """Every whole date in ``text``, in the order they are written. ``month_first`` reads
    3/4/2012 as March 4 (US usage); a first number over 12 is a day whatever it says."""
    found: list[WrittenDate] = []
    patterns = _patterns(months)
    for y in _YEAR_ALONE.finditer(text):
        start = max(0, y.start() - _WORDS_BEFORE_YEAR)
        if not any(
            w.casefold() in patterns.months for w in _LETTERS.findall(text, start, y.start())
        ):
            continue  # no month name: the regex below would try each at every character
        match = patterns.words.search(text, start, y.start())
        if match is None:
            continue
        g = match.groups()
        if g[0] is not None:
            day = _day(int(y[0]), patterns.months[g[1].casefold()], int(g[0]))
        else:
            day = _day(int(y[0]), patterns.months[g[2].casefold()], int(g[3]))
        if day:
            found.append(WrittenDate(day, match.start(), text[match.start() : y.end()]))
    for match in _ISO.finditer(text):
        day = _day(int(match[1]), int(match[2]), int(match[3]))
        if day:
            found.append(WrittenDate(day, match.start(), match.group(0)))
    for match in _DOTTED.finditer(text):
        if len(match[3]) == 2 and (len(match[1]) < 2 or len(match[2]) < 2):
            continue  # 1.2.10 is a version number more often than a date
        day = _day(_year(match[3]), int(match[2]), int(match[1]))
        if day:
            found.append(WrittenDate(day, match.start(), match.group(0)))
    for match in _SLASHED.finditer(text):
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        if first > 12 or not (month_first or second > 12):
            day = _day(year, second, first)
        else:
            day = _day(year, first, second)
        if day:
            found.append(WrittenDate(day, match.start(), match.group(0)))
    for pattern in (_YEAR_FIRST, _CJK):
        for match in pattern.finditer(text):
            day = _day(int(match[1]), int(match[2]), int(match[3]))
            if day:
                found.append(WrittenDate(day, match.start(), match.group(0)))
    found.sort(key=lambda f: f.start)
    # a date inside another (the "2012-05-31" of "2012-05-31T10:00") counts once
    end = -1
    for item in found:
        if item.start >= end:
            yield item
            end = item.start + len(item.text)


def url_date(url: str | None) -> WrittenDate | None:
    """The date in a URL's path: /2012/05/31/, /2012-05-31-title, /20120531."""
    if not url:
        return None
    # an archive's copy carries the page's own URL in its path: that one tells the date
    path = url.rsplit("://", 1)[-1].partition("/")[2]
    for match in _URL.finditer(path):
        day = _day(int(match[1]), int(match[3]), int(match[4]))
        if day:
            return WrittenDate(day, match.start(), match.group(0))
    for match in _URL_DAY_FIRST.finditer(path):
        day = _day(int(match[4]), int(match[3]), int(match[1]))
        if day:
            return WrittenDate(day, match.start(), match.group(0))
    return None


def iso_day(text: str) -> datetime | None:
    """ "2012-05-31" as that day (midnight UTC), when it is a whole date of the web."""
    try:
        day = date.fromisoformat(text)
    except ValueError:
        return None
    return as_datetime(day) if day >= EARLIEST else None


def as_datetime(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


# a time of day after a relative date ("Gestern, 14:35", "yesterday at 3:15 pm", "heute 9.05
# Uhr"): read over, as the time of an absolute date is
_TIME_OF_DAY = (
    r"(?:\s*[,·|–-]?\s*(?:[^\W\d_]{1,5}\s+){0,2}[0-2]?\d[:.][0-5]\d"
    r"(?:\s*[^\W\d_]{1,3}\.?(?:[^\W\d_]\.)?)?)"
)
_UNIT = {"minutes": timedelta(minutes=1), "hours": timedelta(hours=1), "days": timedelta(days=1)}


@dataclass(frozen=True)
class _Relative:
    pattern: re.Pattern[str]
    """A relative date that ends the text, with the time of day after it (group ``time``)."""
    meanings: tuple[tuple[timedelta, int | None], ...]
    """Per phrase (group ``p<i>``): its unit, and its count when it has none to read (its
    count is then group ``n<i>``)."""


@lru_cache(maxsize=8)
def _relative(languages: tuple[RelativeWords, ...]) -> _Relative | None:
    phrases: list[str] = []
    meanings: list[tuple[timedelta, int | None]] = []
    for language in languages:
        one = "|".join(re.escape(w) for w in sorted(language.one, key=len, reverse=True))
        for unit, phrase in language.ago:
            i = len(phrases)
            count = rf"(?P<n{i}>\d{{1,3}}" + (f"|{one})" if one else ")")
            head, _, tail = phrase.partition("{n}")
            words = [_spaced(head), count, _spaced(tail)]
            phrases.append(rf"(?P<p{i}>{''.join(words)})")
            meanings.append((_UNIT[unit], None))
        for word, days in language.days_back:
            phrases.append(rf"(?P<p{len(phrases)}>{_spaced(word)})")
            meanings.append((timedelta(days=days), days))
    if not phrases:
        return None
    pattern = re.compile(
        rf"(?<![^\W_])(?:{'|'.join(phrases)})(?![^\W_])(?P<time>{_TIME_OF_DAY})?[\s.)]*\Z",
        re.IGNORECASE,
    )
    return _Relative(pattern, tuple(meanings))


def _spaced(words: str) -> str:
    """A phrase's words, any white space between them."""
    return r"\s+".join(re.escape(w) for w in words.split(" ")) if words.strip() else ""


@dataclass(frozen=True, slots=True)
class RelativeDate:
    """A relative date that ends a text: the day it names, where it starts, what was written,
    and whether it says how long ago (a count, or a time of day) or only names a day."""

    day: date
    start: int
    text: str
    counted: bool


def relative_date(
    text: str, languages: tuple[RelativeWords, ...], served: datetime
) -> RelativeDate | None:
    """The relative date that ends ``text`` ("… vor 3 Tagen", "Gestern, 14:35"), as the day
    (UTC) it names counted from ``served``; None when the text ends in none."""
    relative = _relative(languages)
    match = relative.pattern.search(text) if relative is not None else None
    if match is None or relative is None:
        return None
    i = next(int(name[1:]) for name, v in match.groupdict().items() if v and name[0] == "p")
    unit, fixed = relative.meanings[i]
    if fixed is None:
        written = match[f"n{i}"]
        count = int(written) if written.isdigit() else 1
        day = (served.astimezone(UTC) - count * unit).date()
    else:
        day = served.astimezone(UTC).date() - unit
    if day < EARLIEST:
        return None
    counted = fixed is None or match["time"] is not None
    return RelativeDate(day, match.start(), match.group(0).strip(), counted)


class DateReader:
    """Dates in a text, read with the rules' month names, labels and relative phrases (these
    on a page whose moment served is known)."""

    def __init__(self, rules: Rules, month_first: bool, served: datetime | None) -> None:
        self.months = rules.date_months
        self.published = rules.date_published_labels
        self.other = rules.date_other_labels
        self.month_first = month_first
        self.relative_words = rules.date_relative
        self.served = served

    def dates(self, text: str) -> list[tuple[WrittenDate, bool]]:
        """Each date in ``text`` not labelled as another date, with whether it is labelled as
        the publication's."""
        out = []
        end = 0
        for found in find_dates(text, self.months, self.month_first):
            label = _label(
                text[max(end, found.start - _LABEL_CHARS) : found.start].casefold(), self
            )
            end = found.start + len(found.text)
            if label is not False:
                out.append((found, label is True))
        return out

    def pick(self, text: str, last: bool = False) -> WrittenDate | None:
        """The date labelled as the publication's, else the first (``last``: the last)."""
        found = self.dates(text)
        labelled = [f for f, is_labelled in found if is_labelled]
        if labelled:
            return labelled[-1] if last else labelled[0]
        if not found:
            return None
        return found[-1][0] if last else found[0][0]

    def relative(self, text: str, *, marked: bool) -> tuple[RelativeDate, bool] | None:
        """The relative date that ends ``text``, with whether a label names it the
        publication's; None on a page whose moment served is unknown. Before the date stands
        nothing, a separator or such a label (one of another date rules it out); a day named
        by a word alone ("gestern") counts only in an element marked as a date (``marked``),
        or with a time of day or a label."""
        if self.served is None:
            return None
        found = relative_date(text, self.relative_words, self.served)
        if found is None:
            return None
        before = text[: found.start]
        label = _label(before[-_LABEL_CHARS:].casefold(), self)
        head = before.rstrip()
        if label is False or (head and head[-1] not in _SEPARATORS and label is not True):
            return None
        if not (found.counted or marked or label):
            return None
        return found, label is True


def _label(before: str, read: DateReader) -> bool | None:
    """True: the text before a date labels it as the publication's; False: as another date;
    None: neither. The label nearest the date decides, and only a few characters from it
    ("Veröffentlicht am ", "Posted on Monday, ")."""
    last = None
    for last in _labels(read.published, read.other).finditer(before):  # noqa: B007
        pass
    if last is None or len(before) - last.end() > _LABEL_GAP:
        return None
    return last.lastgroup == "published"


@lru_cache(maxsize=8)
def _labels(published: tuple[str, ...], other: tuple[str, ...]) -> re.Pattern[str]:
    """Either kind of label, at the start of a word."""

    def words(labels: tuple[str, ...]) -> str:
        return "|".join(re.escape(w) for w in sorted(labels, key=len, reverse=True)) or "(?!)"

    return re.compile(
        rf"(?<![^\W\d_])(?:(?P<published>{words(published)})|(?P<other>{words(other)}))"
    )
