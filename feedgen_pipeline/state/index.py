"""The placements and tags the last plan left (``records.Placement``, ``records.TagState``), kept
in the state folder so that a run that changes a few articles plans around them only
(``delta.py``): it asks this index for the newest entries of a feed, the articles of a tag,
whether a slug is taken, and replaces the rows its plan changed.

The index is a database of its own (``index.sqlite``), attached to the state's connection as
``placements``: a run writes it while its worker processes render from the state's articles,
whose database it leaves alone until the run's last transaction. That transaction records the
settings the index was planned under (the ``placed`` info key) with the output, so an index is
used only once the run that wrote it has finished.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Collection, Iterable, Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from ..model import TagKind, TagRef
from ..naming import slugify, source_slug
from ..records import IndexUpdate, Placement, TagState
from ..sqlite import remove_database

FILE = "index.sqlite"
DATABASE = "placements"
"""The name the index's database is attached under."""
SCHEMA = f"""
CREATE TABLE IF NOT EXISTS {DATABASE}.placed (
    key TEXT PRIMARY KEY, id TEXT NOT NULL, source TEXT NOT NULL, base TEXT NOT NULL,
    slug TEXT NOT NULL, ts REAL NOT NULL, published TEXT NOT NULL, updated TEXT NOT NULL,
    has_page INTEGER NOT NULL, core TEXT NOT NULL, version TEXT NOT NULL,
    shown INTEGER NOT NULL, tags TEXT NOT NULL);
-- a feed's order: newest first, ties by entry id (naming.order_key)
CREATE INDEX IF NOT EXISTS {DATABASE}.placed_order ON placed (ts DESC, id);
CREATE INDEX IF NOT EXISTS {DATABASE}.placed_base ON placed (base);
CREATE INDEX IF NOT EXISTS {DATABASE}.placed_slug ON placed (slug);
CREATE TABLE IF NOT EXISTS {DATABASE}.tagged (
    kind TEXT NOT NULL, tag TEXT NOT NULL, ts REAL NOT NULL, id TEXT NOT NULL, key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS {DATABASE}.tagged_order ON tagged (kind, tag, ts DESC, id);
CREATE INDEX IF NOT EXISTS {DATABASE}.tagged_key ON tagged (key);
CREATE TABLE IF NOT EXISTS {DATABASE}.tags (
    kind TEXT NOT NULL, key TEXT NOT NULL, label TEXT NOT NULL, count INTEGER NOT NULL,
    slug TEXT, base TEXT NOT NULL, PRIMARY KEY (kind, key));
CREATE INDEX IF NOT EXISTS {DATABASE}.tags_base ON tags (kind, base);
CREATE INDEX IF NOT EXISTS {DATABASE}.tags_slug ON tags (kind, slug);
"""
DUPLICATES_SCHEMA = """
-- duplicates are told by id and by content
CREATE INDEX IF NOT EXISTS sources_id ON sources (id);
CREATE INDEX IF NOT EXISTS sources_content ON sources (content);
"""
# the index kept in the state's own database before it had a file of its own
IN_STATE = "DROP TABLE IF EXISTS main.placed; DROP TABLE IF EXISTS main.tagged;"
IN_STATE += " DROP TABLE IF EXISTS main.tags; DELETE FROM info WHERE key = 'placed';"


_PLACED = "key, id, source, slug, published, updated, has_page, core, version, shown, tags"
_CHUNK = 500  # keys bound in one query, under SQLite's limit on parameters


def attach(db: sqlite3.Connection, state_dir: Path) -> None:
    """Attach the index's database to the state's writable connection ``db``. A new or
    unreadable file starts an empty index, which no run trusts before one has filled it (the
    ``placed`` info key goes). A read-only store (a dry run's, a worker's) leaves the file
    alone: none of them plans around a change, and a worker must not wait for the lock of the
    run that writes it."""
    path = state_dir / FILE
    fresh = not path.exists()
    if not _attached(db, str(path)):  # not a database: made again
        remove_database(path)
        _attached(db, str(path))
        fresh = True
    db.executescript(SCHEMA)
    if fresh:
        db.execute("DELETE FROM info WHERE key = 'placed'")
        db.commit()


def _attached(db: sqlite3.Connection, where: str) -> bool:
    """Whether the database at ``where`` is attached, its schema read."""
    try:
        db.execute(f"ATTACH DATABASE ? AS {DATABASE}", (where,))
        db.execute(f"SELECT count(*) FROM {DATABASE}.sqlite_schema").fetchone()
    except sqlite3.DatabaseError:
        with contextlib.suppress(sqlite3.OperationalError):  # unless the attach itself failed
            db.execute(f"DETACH DATABASE {DATABASE}")
        return False
    return True


class StoredIndex:
    """The index, read through the connection of its store (so that a run sees the records it
    has just put)."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM placed").fetchone()[0])

    def placements(self, keys: Collection[str]) -> dict[str, Placement]:
        found: dict[str, Placement] = {}
        for chunk in chunks(sorted(keys)):
            marks = ",".join("?" * len(chunk))
            rows = self.db.execute(f"SELECT {_PLACED} FROM placed WHERE key IN ({marks})", chunk)
            found.update((p.key, p) for p in map(_placement, rows))
        return found

    def newest(self, limit: int, tag: tuple[TagKind, str] | None = None) -> list[Placement]:
        """The first ``limit`` entries of the main feed, or of a tag's, in feed order."""
        if tag is None:
            sql = f"SELECT {_PLACED} FROM placed ORDER BY ts DESC, id LIMIT ?"
            return [_placement(r) for r in self.db.execute(sql, (limit,))]
        columns = ", ".join(f"p.{c.strip()}" for c in _PLACED.split(","))
        sql = (
            f"SELECT {columns} FROM tagged t JOIN placed p ON p.key = t.key"
            " WHERE t.kind = ? AND t.tag = ? ORDER BY t.ts DESC, t.id LIMIT ?"
        )
        return [_placement(r) for r in self.db.execute(sql, (*tag, limit))]

    def tag_states(
        self, tags: Iterable[tuple[TagKind, str]]
    ) -> dict[tuple[TagKind, str], TagState]:
        found = {}
        for kind, key in tags:
            row = self.db.execute(
                "SELECT kind, key, label, count, slug FROM tags WHERE kind = ? AND key = ?",
                (kind, key),
            ).fetchone()
            if row is not None:
                found[(kind, key)] = _tag_state(row)
        return found

    def feed_tags(self) -> list[TagState]:
        """Every tag with a feed."""
        rows = self.db.execute(
            "SELECT kind, key, label, count, slug FROM tags WHERE slug IS NOT NULL"
        )
        return [_tag_state(r) for r in rows]

    def page_slug_taken(self, base: str, besides: Collection[str]) -> bool:
        """Whether an article other than ``besides`` has a page slug made from ``base``, or
        that is ``base``."""
        rows = self.db.execute(
            "SELECT key FROM placed WHERE base = ? UNION SELECT key FROM placed WHERE slug = ?",
            (base, base),
        )
        return any(key not in besides for (key,) in rows)

    def tag_slug_taken(self, kind: TagKind, base: str, key: str) -> bool:
        """Whether a tag of ``kind`` other than ``key`` has a feed whose slug is made from
        ``base``, or is ``base``."""
        row = self.db.execute(
            "SELECT 1 FROM tags WHERE kind = ? AND (base = ? OR slug = ?) AND key != ?"
            " AND slug IS NOT NULL",
            (kind, base, base, key),
        ).fetchone()
        return row is not None

    def clashes(self, id: str, content: str, besides: Collection[str]) -> bool:
        """Whether an input other than ``besides`` gave an article with this id or content."""
        rows = self.db.execute(
            "SELECT key FROM sources WHERE id = ? UNION SELECT key FROM sources WHERE content = ?",
            (id, content),
        )
        return any(key not in besides for (key,) in rows)

    def apply(self, update: IndexUpdate) -> None:
        """Write what a plan changed (committed with the store's next commit)."""
        db = self.db
        if update.complete:
            for table in ("placed", "tagged", "tags"):
                db.execute(f"DELETE FROM {table}")
        else:
            gone = [(k,) for k in (*update.dropped, *(p.key for p in update.placements))]
            db.executemany("DELETE FROM tagged WHERE key = ?", gone)
            db.executemany("DELETE FROM placed WHERE key = ?", ((k,) for k in update.dropped))
            db.executemany(
                "DELETE FROM tags WHERE kind = ? AND key = ?", (tuple(t) for t in update.untagged)
            )
        db.executemany(
            "INSERT OR REPLACE INTO placed VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (_placed_row(p) for p in update.placements),
        )
        db.executemany(
            "INSERT INTO tagged VALUES (?,?,?,?,?)",
            (
                (t.kind, t.key, p.published.timestamp(), p.id, p.key)
                for p in update.placements
                for t in p.tags
            ),
        )
        db.executemany(
            "INSERT OR REPLACE INTO tags VALUES (?,?,?,?,?,?)",
            (
                (t.ref.kind, t.ref.key, t.ref.label, t.count, t.slug, slugify(t.ref.key))
                for t in update.tags
            ),
        )


def chunks(keys: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(keys), _CHUNK):
        yield keys[start : start + _CHUNK]


def _placed_row(p: Placement) -> tuple[Any, ...]:
    return (
        p.key,
        p.id,
        p.source,
        source_slug(p.source),
        p.slug,
        p.published.timestamp(),
        p.published.isoformat(),
        p.updated.isoformat(),
        int(p.has_page),
        p.core,
        p.version,
        int(p.shown),
        json.dumps([[t.kind, t.key, t.label] for t in p.tags], ensure_ascii=False),
    )


def _placement(row: tuple[Any, ...]) -> Placement:
    key, id_, source, slug, published, updated, has_page, core, version, shown, tags = row
    return Placement(
        key,
        id_,
        source,
        slug,
        datetime.fromisoformat(published),
        datetime.fromisoformat(updated),
        bool(has_page),
        core,
        version,
        bool(shown),
        decode_tags(json.loads(tags)),
    )


def _tag_state(row: tuple[Any, ...]) -> TagState:
    kind, key, label, count, slug = row
    return TagState(TagRef(kind, key, label), int(count), slug)


def decode_tags(tags: object) -> tuple[TagRef, ...]:
    """Tags as the state keeps them: a JSON list of [kind, key, label]."""
    if not tags:
        return ()
    if not isinstance(tags, list):
        raise TypeError(f"expected a list of tags, got {tags!r}")
    out = []
    for t in tags:
        try:
            out.append(_TAGS[tuple(t)])
        except (KeyError, TypeError):
            out.append(_tag(t))
    return tuple(out)


# the same tags recur on thousands of records: each is checked and made once per process
_TAGS: dict[tuple[object, ...], TagRef] = {}


def _tag(value: object) -> TagRef:
    if isinstance(value, str):  # "kind:key", as versions before 0.2 kept it: read again anyway
        kind, _, key = value.partition(":")
        value = [kind, key, key]
    if (
        not isinstance(value, list)
        or len(value) != 3
        or value[0] not in ("countries", "actors")
        or not all(isinstance(v, str) for v in value)
    ):
        raise TypeError(f"expected a tag, got {value!r}")
    tag = _TAGS[tuple(value)] = TagRef(*value)
    return tag
