"""The HTTP cache in the state folder: the last good response of every URL fetched.

Bodies are files under ``pages/`` (what the pipeline reads, like any article file); their
validators (ETag, Last-Modified), final URL, content type and the moment the server sent them are
rows of ``http.sqlite``. A 304 reuses the body as it is, so that nothing is parsed again;
``build --offline`` reads only this. The database has its own format number (2 adds the moment
served; a database of format 1 is migrated, its bodies' moments unknown): the article store
(``state/store.py``) is untouched.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from ..files import write_if_changed
from ..sqlite import connect, prepare, remove_database

DB_NAME = "http.sqlite"
PAGES = "pages"
FORMAT = "2"
_SCHEMA = """
CREATE TABLE IF NOT EXISTS info (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS responses (
    url TEXT PRIMARY KEY, final_url TEXT NOT NULL, content_type TEXT NOT NULL,
    charset TEXT, etag TEXT, last_modified TEXT, sha TEXT NOT NULL, served TEXT);
"""
_MIGRATIONS = {"1": "ALTER TABLE responses ADD COLUMN served TEXT;"}
_COLUMNS = "url, final_url, content_type, charset, etag, last_modified, sha"


@dataclass(frozen=True)
class Cached:
    """The last good response to a GET of ``url``."""

    url: str
    final_url: str
    """Where the redirects ended."""
    content_type: str
    """The media type, without parameters ("text/html")."""
    charset: str | None
    """The charset the Content-Type header named."""
    etag: str | None
    last_modified: str | None
    sha: str
    """Hash of the body."""
    served: str | None = None
    """When the server sent the body (ISO 8601, UTC): what its relative dates count from; None
    when unknown (a body cached before the moment was kept)."""

    @property
    def served_at(self) -> datetime | None:
        return datetime.fromisoformat(self.served) if self.served else None


def body_name(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:32]


class HttpCache:
    """Open the cache of ``state_dir``. ``readonly`` (offline dry runs) never writes; an
    unreadable database is started afresh (the next run fetches everything once more)."""

    def __init__(self, state_dir: Path, *, readonly: bool = False) -> None:
        self.folder = state_dir / PAGES
        path = state_dir / DB_NAME
        self.readonly = readonly
        self.lock = threading.Lock()  # one connection, shared by the fetching threads
        self.served_column = "served"  # "NULL" in a database of format 1 read as it is
        self.db = self._open(path)

    def _open(self, path: Path) -> sqlite3.Connection:
        if self.readonly:
            db = connect(path, readonly=True, threads=True)
            if not path.exists():
                db.executescript(_SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(responses)")}
            self.served_column = "served" if "served" in columns else "NULL"
            return db
        for attempt in range(2):
            try:
                db = connect(path, readonly=False, threads=True)
                prepare(db, _SCHEMA, FORMAT, readonly=False, migrations=_MIGRATIONS, what="cache")
                return db
            except sqlite3.DatabaseError:
                if attempt:
                    raise
                remove_database(path)
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.db.close()

    def get(self, url: str) -> Cached | None:
        """The cached response of ``url``, when its body is still there."""
        with self.lock:
            row = self.db.execute(
                f"SELECT {_COLUMNS}, {self.served_column} FROM responses WHERE url = ?",
                (url,),
            ).fetchone()
        if row is None or not self.path(url).is_file():
            return None
        return Cached(*row)

    def path(self, url: str) -> Path:
        """The file that holds the body of ``url``."""
        return self.folder / body_name(url)

    def body(self, url: str) -> bytes | None:
        try:
            return self.path(url).read_bytes()
        except OSError:
            return None

    def put(self, cached: Cached, body: bytes) -> None:
        """Keep a good response (its body first, so that a row never names a missing body)."""
        if self.readonly:
            return
        write_if_changed(self.path(cached.url), body)
        if self.get(cached.url) == cached:
            return
        with self.lock:
            self.db.execute(
                f"INSERT OR REPLACE INTO responses ({_COLUMNS}, served) VALUES (?,?,?,?,?,?,?,?)",
                (
                    cached.url,
                    cached.final_url,
                    cached.content_type,
                    cached.charset,
                    cached.etag,
                    cached.last_modified,
                    cached.sha,
                    cached.served,
                ),
            )
            self.db.commit()

    def put_file(self, name: str, data: bytes) -> Path:
        """A file of the pipeline's own beside the bodies (a feed entry's text as a page)."""
        path = self.folder / name
        if not self.readonly:
            write_if_changed(path, data)
        return path


def sha_of(body: bytes) -> str:
    return hashlib.sha256(body).hexdigest()[:32]
