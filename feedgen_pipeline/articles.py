"""Enriched articles as JSON Lines: one article a line, in a numbered schema.

``extract --output-dir`` writes them (in one process or on a Dask cluster) and ``build
--articles`` publishes them. A line is ``{"schema": SCHEMA, ...}`` followed by the article as
the state stores it (``state/codec.py``): every field of ``model.Article``, its countries and
actors under the keys JSON Feed's ``_enrichment`` gives them (plus ``first`` and ``forms``),
and what publishing needs besides (paragraphs, image, dates). ``docs/distributed.md`` lists
the fields.

For a build, each line is an input of its own (``scan_articles``): its identity is the
article's id, its change the hash of its bytes, so that an unchanged line is not even decoded.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from .model import Article
from .records import ArticleLine, Found
from .sources import scan_files
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


def scan_articles(root: Path, patterns: tuple[str, ...], max_bytes: int) -> list[Found]:
    """One input per article line of the JSON Lines files below ``root`` (or of ``root``
    itself), files in path order and lines in file order: keyed by the article's id, its stat
    the hash of the line. An id given again on a later line is that line's article (a later
    extraction replaces an earlier one). A line whose id cannot be read is keyed by its place
    (file:line), so that reading it names the problem; so is a file that cannot be read."""
    found: dict[str, Found] = {}
    for path, relpath, _ in scan_files(root, patterns):
        try:
            with open(path, "rb") as f:
                for number, offset, line in _lines(f, max_bytes):
                    article_id = _article_id(line) if len(line) <= max_bytes else None
                    key = f"{path}:{number}" if article_id is None else article_id
                    page = ArticleLine(number, offset, article_id)
                    found.pop(key, None)  # its place is the later line's
                    found[key] = Found(key, path, relpath, line_hash(line), max_bytes, page)
        except OSError:
            unreadable = ArticleLine(0, 0, None)
            found[path] = Found(path, path, relpath, "unreadable", max_bytes, unreadable)
    return list(found.values())


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


def read_line(path: str, line: ArticleLine, max_bytes: int) -> bytes:
    """The line's bytes (without the line break), read again from its file. Raises OSError
    when it cannot be read, LineError when it is longer than ``max_bytes``."""
    with open(path, "rb") as f:
        f.seek(line.offset)
        data = f.readline(max_bytes + 1).rstrip(b"\r\n")
    if len(data) > max_bytes:
        limit = f"{max_bytes:,} bytes; see sources[].max_bytes"
        raise LineError(f"longer than the size limit ({limit})")
    return data
