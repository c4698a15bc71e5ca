"""The state folder's databases (the last plan's placements apart, ``index.py``): SQLite, changed
only in transactions.

SQLite gives what a cron job needs from its memory: every change is atomic (a run killed at any
moment leaves the last committed state, rolled back from its journal on the next open), one run
reads a few columns of 10,000 rows in milliseconds, and the enriched articles are read back only
for the entries a feed shows. Articles are stored as JSON (``codec.py``), never pickled.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any, Concatenate, ParamSpec

from ..errors import FeedgenError
from ..model import Article
from ..records import Dates, IndexUpdate, Meta, OutputStat, Record, ScannedFile, StatMark, stat_text
from ..sqlite import connect, prepare, remove_database
from .codec import CodecError, decode
from .codec import decode_document as decode_document  # where parse.py finds them
from .codec import encode_article as encode_article
from .codec import encode_document as encode_document
from .index import DUPLICATES_SCHEMA, IN_STATE, StoredIndex, attach, chunks, decode_tags
from .index import FILE as INDEX_FILE
from .scanned import SCHEMA as SCANNED_SCHEMA
from .scanned import load_scans, save_scans

DB_NAME = "state.sqlite"
FORMAT = "4"
# 2 → 3: each output file records the digest of what it was rendered from; the next run
# renders every file once to learn them (it writes only those whose bytes differ). 3 → 4: the
# placements move to a file of their own; the next run places every article again.
_DIGESTS = "ALTER TABLE outputs ADD COLUMN digest TEXT NOT NULL DEFAULT '';"
_DIGESTS += "UPDATE info SET value = '' WHERE key = 'rendered';"
_MIGRATIONS = {"2": _DIGESTS + IN_STATE, "3": IN_STATE}
_MARKS = {mark.value: mark for mark in StatMark}
"""A stat column's text → the mark it stores (any other text is a file's stat)."""
_SCHEMA = """
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (
    key TEXT PRIMARY KEY, stat TEXT NOT NULL, sha TEXT NOT NULL, fingerprint TEXT NOT NULL,
    seen TEXT NOT NULL, id TEXT, source TEXT, url TEXT, published TEXT, updated TEXT,
    content TEXT, reason TEXT, article TEXT, tags TEXT);
CREATE TABLE IF NOT EXISTS dates (
    id TEXT PRIMARY KEY, first_seen TEXT NOT NULL, changed TEXT, content TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS outputs (
    relpath TEXT PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
    digest TEXT NOT NULL DEFAULT '');
-- the Document each file gave (compressed JSON), for enriching it again without parsing it
-- when only the tagging rules changed: valid while fingerprint (extraction's) and sha match
CREATE TABLE IF NOT EXISTS documents (
    key TEXT PRIMARY KEY, fingerprint TEXT NOT NULL, sha TEXT NOT NULL, data BLOB NOT NULL);
-- what a run that changes nothing reads: a scan of this index, not of the rows with articles
CREATE INDEX IF NOT EXISTS sources_stat ON sources (key, stat, fingerprint);
-- what a run that changes something reads of every row: reaching the tags through the rows
-- means walking each article's overflow pages (at 10,000 files, 28 ms against 17)
CREATE INDEX IF NOT EXISTS sources_records ON sources (
    key, stat, sha, fingerprint, seen, id, source, url, published, updated, content, reason, tags);
"""


class StateError(FeedgenError):
    """The state database cannot be read; when opening it, the caller starts afresh."""


class DamagedRecord(StateError):
    """The database opens, but a record in it cannot be decoded: its content cannot be trusted,
    and the caller starts afresh."""


P = ParamSpec("P")


def _writing(
    method: Callable[Concatenate[Store, P], None],
) -> Callable[Concatenate[Store, P], None]:
    @functools.wraps(method)
    def write(self: Store, /, *args: P.args, **kwargs: P.kwargs) -> None:
        if not self.readonly:
            method(self, *args, **kwargs)

    return write


class Store:
    """An open state database. ``readonly`` (for --dry-run) never creates or changes a file;
    ``empty`` (with ``readonly``) ignores the file there is, as if there were none."""

    def __init__(self, state_dir: Path, *, readonly: bool = False, empty: bool = False) -> None:
        self.path = state_dir / DB_NAME
        self.readonly = readonly
        self.absent = readonly and (empty or not self.path.exists())
        self.old_outputs = False
        """A dry run's view of a state of the previous format, whose outputs have no digest."""
        try:
            if self.absent:
                self.db = sqlite3.connect(":memory:")
            else:
                self.db = connect(self.path, readonly=readonly)
                self.db.execute("PRAGMA synchronous = NORMAL")
                schema = _SCHEMA + DUPLICATES_SCHEMA + SCANNED_SCHEMA
                found = prepare(
                    self.db, schema, FORMAT, readonly=readonly, migrations=_MIGRATIONS, what="state"
                )
                self.old_outputs = found == "2" and readonly
                if not readonly:
                    attach(self.db, state_dir)
        except sqlite3.Error as e:
            raise StateError(f"{self.path}: unreadable ({e})") from e

    def close(self) -> None:
        self.db.close()

    # ---------------------------------------------------------------- reading

    def info(self, key: str) -> str | None:
        if self.absent:
            return None
        row = self.db.execute("SELECT value FROM info WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row[0])

    def stats(self) -> dict[str, tuple[str | StatMark, str]]:
        """File key → (stat, fingerprint): all the no-change check needs."""
        rows = self._rows("SELECT key, stat, fingerprint FROM sources")
        return {k: (_MARKS.get(s, s), f) for k, s, f in rows}

    def records(self, keys: Collection[str] | None = None) -> dict[str, Record]:
        """Every file's record (or those of ``keys``), read a slice of rows at a time, so that
        the rows and the records are never all in memory together."""
        records: dict[str, Record] = {}
        if self.absent:
            return records
        columns = (
            "SELECT key, stat, sha, fingerprint, seen, id, source, url, published, updated,"
            " content, reason, tags FROM sources"
        )
        try:
            if keys is None:  # ordered: read from the index
                cursors = [self.db.execute(f"{columns} ORDER BY key")]
            else:
                cursors = [
                    self.db.execute(f"{columns} WHERE key IN ({','.join('?' * len(c))})", c)
                    for c in chunks(sorted(keys))
                ]
            for cursor in cursors:
                while rows := cursor.fetchmany(2048):
                    for row, tags in zip(rows, _all_tags(rows), strict=True):
                        records[row[0]] = _record(row, tags)
        except sqlite3.Error as e:
            raise StateError(f"{self.path}: unreadable ({e})") from e
        except (ValueError, TypeError) as e:
            raise DamagedRecord(f"{self.path}: a source record is damaged ({e})") from e
        return records

    def dates(self, ids: Collection[str] | None = None) -> dict[str, Dates]:
        """The dates of every article id, or of ``ids``."""
        sql = "SELECT id, first_seen, changed, content FROM dates"
        if ids is None:
            rows = self._rows(sql)
        else:
            rows = []
            for chunk in chunks(sorted(ids)):
                rows += self._rows(f"{sql} WHERE id IN ({','.join('?' * len(chunk))})", chunk)
        try:
            return {
                i: Dates(_date(first), _date(changed) if changed else None, content)
                for i, first, changed, content in rows
            }
        except (ValueError, TypeError) as e:
            raise DamagedRecord(f"{self.path}: a date record is damaged ({e})") from e

    def index(self) -> StoredIndex | None:
        """The placements and tags of the last plan (``info('placed')`` names the settings
        they were planned under); None for a read-only store (``index.attach``)."""
        return None if self.readonly else StoredIndex(self.db)

    def outputs(self) -> dict[str, OutputStat]:
        digest = "''" if self.old_outputs else "digest"
        rows = self._rows(f"SELECT relpath, size, mtime_ns, {digest} FROM outputs")
        return {r: OutputStat(s, m, d) for r, s, m, d in rows}

    def recorded_outputs(self) -> Mapping[str, OutputStat]:
        """The output files as ``outputs`` gives them, each read when asked for: for a run
        that looks at a few of a large site's files."""
        return self.outputs() if self.absent or self.old_outputs else _StoredOutputs(self)

    def article(self, key: str) -> Article | None:
        """The stored article of a file; None when it is missing or cannot be decoded."""
        rows = self._rows("SELECT article FROM sources WHERE key = ?", (key,))
        if not rows or rows[0][0] is None:
            return None
        try:
            return decode(Article, json.loads(rows[0][0]))
        except (ValueError, CodecError):
            return None

    def document(self, key: str, fingerprint: str, sha: str) -> bytes | None:
        """The stored Document of a file (``encode_document``), when it was extracted from
        bytes with hash ``sha`` under extraction fingerprint ``fingerprint``; else None."""
        try:
            rows = self._rows(
                "SELECT data FROM documents WHERE key = ? AND fingerprint = ? AND sha = ?",
                (key, fingerprint, sha),
            )
        except StateError:  # a database from before documents were kept, opened read-only
            return None
        return bytes(rows[0][0]) if rows else None

    def scanned(self) -> dict[str, ScannedFile]:
        """The last scan of each JSON Lines file of articles (``state/scanned.py``)."""
        return {} if self.absent else load_scans(self.db)

    def _rows(self, sql: str, params: Sequence[str] = ()) -> list[tuple[Any, ...]]:
        if self.absent:
            return []
        try:
            return self.db.execute(sql, params).fetchall()
        except sqlite3.Error as e:
            raise StateError(f"{self.path}: unreadable ({e})") from e

    # ---------------------------------------------------------------- writing
    # a read-only store (a dry run's) writes nothing: every writing method is a no-op there

    @_writing
    def put(self, record: Record, article: Article | str | None) -> None:
        """Insert or replace one file's record (inside the open transaction). ``article`` may
        come already encoded (``encode_article``), as worker processes hand it over."""
        meta = record.meta or Meta("", "", None, None, None, "")
        self.db.execute(
            "INSERT OR REPLACE INTO sources VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (
                record.key,
                stat_text(record.stat),
                record.sha,
                record.fingerprint,
                record.seen.isoformat(),
                meta.id if record.meta else None,
                meta.source,
                meta.url,
                _iso(meta.published),
                _iso(meta.updated),
                meta.content,
                record.reason,
                article if article is None or isinstance(article, str) else encode_article(article),
                json.dumps([[t.kind, t.key, t.label] for t in meta.tags], ensure_ascii=False),
            ),
        )

    @_writing
    def put_document(self, key: str, fingerprint: str, sha: str, data: bytes) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO documents VALUES (?,?,?,?)", (key, fingerprint, sha, data)
        )

    @_writing
    def set_scanned(self, read: Mapping[str, ScannedFile], dropped: Iterable[str]) -> None:
        save_scans(self.db, read, dropped)

    @_writing
    def restat(self, key: str, stat: str | StatMark) -> None:
        self.db.execute("UPDATE sources SET stat = ? WHERE key = ?", (stat_text(stat), key))

    @_writing
    def drop(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        self.db.executemany("DELETE FROM sources WHERE key = ?", ((k,) for k in keys))
        self.db.executemany("DELETE FROM documents WHERE key = ?", ((k,) for k in keys))

    @_writing
    def set_dates(self, dates: Mapping[str, Dates], old: Mapping[str, Dates]) -> None:
        """Store ``dates`` where they differ from ``old`` (what ``dates()`` gave)."""
        self.db.executemany(
            "DELETE FROM dates WHERE id = ?", ((i,) for i in sorted(old.keys() - dates.keys()))
        )
        self.db.executemany(
            "INSERT OR REPLACE INTO dates VALUES (?,?,?,?)",
            (
                (i, d.first_seen.isoformat(), _iso(d.changed), d.content)
                for i, d in sorted(dates.items())
                if old.get(i) != d
            ),
        )

    @_writing
    def update_outputs(self, outputs: Mapping[str, OutputStat], removed: Iterable[str]) -> None:
        """Record ``outputs`` (written or checked by this run) and forget ``removed``."""
        self.db.executemany("DELETE FROM outputs WHERE relpath = ?", ((r,) for r in removed))
        self.db.executemany(
            "INSERT OR REPLACE INTO outputs VALUES (?,?,?,?)",
            ((r, o.size, o.mtime_ns, o.digest) for r, o in sorted(outputs.items())),
        )

    @_writing
    def set_index(self, update: IndexUpdate, settings: str) -> None:
        """Record what a plan changed in the placements, planned under ``settings``."""
        StoredIndex(self.db).apply(update)
        self.db.execute("INSERT OR REPLACE INTO info VALUES ('placed', ?)", (settings,))

    @_writing
    def set_info(self, values: Mapping[str, str]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO info VALUES (?,?)", values.items())

    @_writing
    def commit(self) -> None:
        self.db.commit()


class _StoredOutputs(Mapping[str, OutputStat]):
    def __init__(self, store: Store) -> None:
        self.store = store

    def __getitem__(self, relpath: str) -> OutputStat:
        sql = "SELECT size, mtime_ns, digest FROM outputs WHERE relpath = ?"
        rows = self.store._rows(sql, (relpath,))
        if not rows:
            raise KeyError(relpath)
        return OutputStat(*rows[0])

    def __iter__(self) -> Iterator[str]:
        return iter([r for (r,) in self.store._rows("SELECT relpath FROM outputs")])

    def __len__(self) -> int:
        return int(self.store._rows("SELECT count(*) FROM outputs")[0][0])


def reset(state_dir: Path) -> None:
    """Remove an unreadable database (and its journal) so that the next open starts afresh."""
    remove_database(state_dir / DB_NAME)
    remove_database(state_dir / INDEX_FILE)


def _iso(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def _date(value: object) -> datetime:
    if not isinstance(value, str):
        raise TypeError(f"expected a date, got {value!r}")
    parsed = datetime.fromisoformat(value)
    if parsed.tzinfo is None:
        raise ValueError(f"date without time zone: {value}")
    return parsed


def _all_tags(rows: list[tuple[Any, ...]]) -> list[Any]:
    """Every row's tags column, parsed in one call (one ``json.loads`` a row cost more than
    the rest of a record's decoding)."""
    texts = [row[12] if row[12] is not None else "[]" for row in rows]
    if not all(type(t) is str for t in texts):
        raise TypeError("expected tags as text")
    try:
        parsed = json.loads("[" + ",".join(texts) + "]")
    except ValueError:  # find the damaged one
        parsed = [json.loads(t) for t in texts]
    if len(parsed) != len(rows):  # a value that was not one JSON value
        raise ValueError("a tags column holds more than a list")
    return list(parsed)


def _record(row: tuple[Any, ...], tags: Any) -> Record:
    # every run that changes something decodes every row: checks as cheap as can be
    (
        key,
        stat,
        sha,
        fingerprint,
        seen,
        id_,
        source,
        url,
        published,
        updated,
        content,
        reason,
        _,
    ) = row
    if not (type(key) is type(stat) is type(sha) is type(fingerprint) is str):
        raise TypeError(f"expected text, got {row[:4]!r}")
    meta = None
    if id_ is not None:
        if not (type(id_) is type(source) is type(content) is str):
            raise TypeError(f"expected text, got {(id_, source, content)!r}")
        meta = Meta(
            id=id_,
            source=source,
            url=url,
            published=None if published is None else _date(published),
            updated=None if updated is None else _date(updated),
            content=content,
            tags=decode_tags(tags),
        )
    return Record(key, _MARKS.get(stat, stat), sha, fingerprint, _date(seen), meta, reason)
