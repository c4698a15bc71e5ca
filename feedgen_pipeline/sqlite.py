"""Opening the state folder's SQLite databases (the article store and the HTTP cache) the same
way: read-only connections that never create or change a file, tables made if missing, and a
format number checked, recorded or migrated."""

from __future__ import annotations

import sqlite3
from collections.abc import Mapping
from pathlib import Path


def connect(path: Path, *, readonly: bool, threads: bool = False) -> sqlite3.Connection:
    """A connection to ``path``; a read-only one to a missing file is an empty database in
    memory. ``threads``: one connection shared by threads (each call under the caller's lock)."""
    same_thread = not threads
    if readonly:
        if not path.exists():
            return sqlite3.connect(":memory:", check_same_thread=same_thread)
        uri = f"{path.resolve().as_uri()}?mode=ro"
        return sqlite3.connect(uri, uri=True, check_same_thread=same_thread)
    path.parent.mkdir(parents=True, exist_ok=True)
    return sqlite3.connect(path, check_same_thread=same_thread)


def prepare(
    db: sqlite3.Connection,
    schema: str,
    version: str,
    *,
    readonly: bool,
    migrations: Mapping[str, str] | None = None,
    what: str = "database",
) -> str | None:
    """Make the tables of ``schema`` (unless read-only) and check the format the ``info`` table
    records: a new database is given ``version``, an older one named in ``migrations`` is
    migrated (unless read-only). The format found; sqlite3.DatabaseError for any other."""
    migrations = migrations or {}
    if not readonly:
        db.executescript(schema)
    row = db.execute("SELECT value FROM info WHERE key = 'format'").fetchone()
    found = None if row is None else str(row[0])
    if readonly:
        if found is not None and found != version and found not in migrations:
            raise sqlite3.DatabaseError(f"{what} format {found}, expected {version}")
        return found
    if found is not None and found in migrations:
        db.executescript(migrations[found])
    elif found is not None and found != version:
        raise sqlite3.DatabaseError(f"{what} format {found}, expected {version}")
    if found != version:
        db.execute("INSERT OR REPLACE INTO info VALUES ('format', ?)", (version,))
        db.commit()
    return found


def remove_database(path: Path) -> None:
    """Remove a database file and its journal."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        path.with_name(f"{path.name}{suffix}").unlink(missing_ok=True)
