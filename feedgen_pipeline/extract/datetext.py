"""Dates written as text ("31. Mai 2012", "31.05.2012", "May 31st, 2012", "2012-05-31") and in
URLs ("/2012/05/31/", "/20120531"), in the languages whose month names the rules list.

Only whole dates count (day, month and year); a date before 1995 is not a publication date on
the web. A day without a time is that day at midnight UTC: no hour is invented, and a time
written beside it (in the page's own, unnamed zone) is left out rather than guessed into UTC.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

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
