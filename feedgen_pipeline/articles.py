"""Enriched articles as JSON Lines: one article a line, in a numbered schema.

``extract --output-dir`` writes them (in one process or on a Dask cluster) and ``build
--articles`` publishes them. A line is ``{"schema": SCHEMA, ...}`` followed by the article as
the state stores it (``state/codec.py``): every field of ``model.Article``, its countries and
actors under the keys JSON Feed's ``_enrichment`` gives them (plus ``first`` and ``forms``),
and what publishing needs besides (paragraphs, image, dates). ``docs/distributed.md`` lists
the fields.

For a build, each line is an input of its own (``scan_articles``): its identity is the
article's id, its change the hash of its bytes, so that an unchanged line is not even decoded.
The files are paths or fsspec URLs (``s3://``, ``memory://``, …; fsspec is imported for a URL
only); the state keeps what the scan found in each file, which is read again only when its
stat changed.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from typing import BinaryIO

from .model import Article
from .records import ArticleLine, Found, ScannedFile
from .sources import filesystem, is_url
from .state.codec import CodecError, decode, encode

SCHEMA = 1
"""Raised whenever ``model.Article`` changes in a way that lines already written would not
decode to (``tests/test_articles.py`` holds the fields it stands for)."""


class LineError(ValueError):
    """A line that is not an article of this schema; the message says why."""


def article_json(article: Article) -> str:
    """The article as one line of JSON (without the line break)."""
    record = {"schema": SCHEMA, **encode(article)}
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"))


def article_from_json(line: str | bytes) -> Article:
    """The inverse of ``article_json``. Raises LineError naming the first problem."""
    try:
        data = json.loads(line)
    except ValueError as e:  # UnicodeDecodeError included
        raise LineError(f"not JSON ({e})") from e
    if not isinstance(data, dict):
        raise LineError("not a JSON object")
    schema = data.get("schema")
    if schema != SCHEMA:
        raise LineError(f"schema {schema!r} where {SCHEMA} is read (not an article line?)")
    try:
        return decode(Article, data)
    except CodecError as e:
        raise LineError(str(e)) from e


def line_hash(line: bytes) -> str:
    """What tells a changed line: the hash of its bytes (without the line break)."""
    return hashlib.sha256(line).hexdigest()[:32]


# a line as ``article_json`` writes it starts with its schema and id: reading the id there
# spares a whole JSON parse of every line on every build
_LEADING_ID = re.compile(rb'\{"schema":\d+,"id":("(?:[^"\\]|\\.)*")')


def scan_articles(
    files: Sequence[tuple[str, str, str]],
    max_bytes: int,
    known: Mapping[str, ScannedFile],
    first: dict[str, str],
) -> tuple[list[Found], dict[str, ScannedFile]]:
    """One input per article line of ``files`` ((path or URL, relative path, stat) of the JSON
    Lines files of a source, by path), lines in file order: keyed by the article's id, its
    stat the hash of the line. A file whose stat and size limit are those of its last scan
    (``known``) is not read again. Returns the inputs and the scans of the files read.

    The first line to give an id is its article's; ``first`` (id → that line's place,
    file:line) is shared by the sources of a build, so that "first" means: sources in order,
    the files of each by path, lines in order, whatever order a listing gives. A later line
    with the id is a duplicate (``ArticleLine.first``); it, and a line whose id cannot be
    read, is keyed by its place, so that reading it names the problem. So is a file that
    cannot be read, by its path; but a URL that cannot be read for another reason than its
    being gone raises OSError (a store that does not answer now), so that the build stops
    instead of taking its articles for removed."""
    found: list[Found] = []
    read: dict[str, ScannedFile] = {}
    for location, relpath, stat in files:
        scan = known.get(location)
        if scan is None or (scan.stat, scan.max_bytes) != (stat, max_bytes):
            try:
                scan = ScannedFile(stat, max_bytes, _scan_file(location, max_bytes))
            except (OSError, ValueError) as e:  # ValueError: fsspec's, for a store it cannot read
                if is_url(location) and not isinstance(e, FileNotFoundError):
                    # a store that does not answer now: its articles are not to leave the feeds
                    raise OSError(f"cannot read {location} ({e})") from e
                unreadable = ArticleLine(0, 0, None)
                found.append(
                    Found(location, location, relpath, "unreadable", max_bytes, unreadable)
                )
                continue
            read[location] = scan
        for line in scan.lines:
            place, article_id = f"{location}:{line.number}", line.id
            if article_id is None:
                key, stat = place, line.hash
            elif article_id in first:  # its stat names the first, so that a move of it shows
                line = replace(line, first=first[article_id])
                key, stat = place, f"{line.hash}:{line.first}"
            else:
                first[article_id] = place
                key, stat = article_id, line.hash
            found.append(Found(key, location, relpath, stat, max_bytes, line))
    return found, read


def _scan_file(location: str, max_bytes: int) -> tuple[ArticleLine, ...]:
    """Each line of a file that is not blank: where it is, the article id read at its start
    (None for a line longer than ``max_bytes``), the hash of its bytes."""
    with _open(location) as f:
        return tuple(
            ArticleLine(
                number,
                offset,
                _article_id(line) if len(line) <= max_bytes else None,
                line_hash(line),
            )
            for number, offset, line in _lines(f, max_bytes)
        )


def _open(location: str) -> BinaryIO:
    """A file, or an fsspec URL's bytes, read whole (an object store's file object may not
    read a line at a time)."""
    if not is_url(location):
        return open(location, "rb")
    fs, path = filesystem(location)
    return io.BytesIO(fs.cat_file(path))


def _lines(f: BinaryIO, max_bytes: int) -> Iterator[tuple[int, int, bytes]]:
    """(number, offset, bytes without the line break) of each line that is not blank; a line
    longer than ``max_bytes`` comes cut at ``max_bytes + 1`` bytes."""
    number = offset = 0
    while line := f.readline(max_bytes + 1):
        number += 1
        start = offset
        offset += len(line)
        if len(line) > max_bytes and not line.endswith(b"\n"):  # too long: pass the rest of it
            while more := f.readline(1 << 20):
                offset += len(more)
                if more.endswith(b"\n"):
                    break
        text = line.rstrip(b"\r\n")
        if text.strip():
            yield number, start, text


def _article_id(line: bytes) -> str | None:
    match = _LEADING_ID.match(line)
    try:
        value = json.loads(match.group(1) if match else line)
    except ValueError:
        return None
    if match is None:
        value = value.get("id") if isinstance(value, dict) else None
    return value if isinstance(value, str) and value else None


def read_line(location: str, line: ArticleLine, max_bytes: int) -> bytes:
    """The line's bytes (without the line break), read again from its file, or from its URL.
    Raises OSError (or ValueError, from fsspec) when it cannot be read, LineError when it is
    longer than ``max_bytes``."""
    if is_url(location):
        data = _remote_line(location, line, max_bytes)
    else:
        with open(location, "rb") as f:
            f.seek(line.offset)
            data = f.readline(max_bytes + 1).rstrip(b"\r\n")
    if len(data) > max_bytes:
        limit = f"{max_bytes:,} bytes; see sources[].max_bytes"
        raise LineError(f"longer than the size limit ({limit})")
    return data


# the file of articles this process last read from a URL, whole: a build reads the lines it
# needs in file order, so that a file costs one request, not one a line
_last_read: dict[str, bytes] = {}


def _remote_line(url: str, line: ArticleLine, max_bytes: int) -> bytes:
    cached = _last_read.get(url)
    if cached is not None:
        found = _line_at(cached, line.offset, max_bytes)
        if line_hash(found) == line.hash:  # else the file changed since: read it again
            return found
    fs, path = filesystem(url)
    data: bytes = fs.cat_file(path)
    _last_read.clear()
    _last_read[url] = data
    return _line_at(data, line.offset, max_bytes)


def _line_at(data: bytes, offset: int, max_bytes: int) -> bytes:
    end = data.find(b"\n", offset, offset + max_bytes + 1)
    return data[offset : end if end >= 0 else offset + max_bytes + 1].rstrip(b"\r\n")
