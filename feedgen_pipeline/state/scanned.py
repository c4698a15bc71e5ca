"""The scan of each JSON Lines file of articles (``records.ScannedFile``), kept so that a build
reads again only the files whose stat changed (``articles.scan_articles``). A cache: losing
it costs one read of every file, nothing else, so a damaged row is passed over."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Mapping

from ..records import ArticleLine, ScannedFile

SCHEMA = """
CREATE TABLE IF NOT EXISTS scanned (
    location TEXT PRIMARY KEY, stat TEXT NOT NULL, max_bytes INTEGER NOT NULL,
    lines TEXT NOT NULL);
"""


def load_scans(db: sqlite3.Connection) -> dict[str, ScannedFile]:
    """Every file's last scan, by its path or URL."""
    try:
        rows = db.execute("SELECT location, stat, max_bytes, lines FROM scanned").fetchall()
    except sqlite3.Error:  # a state from before scans were kept, opened read-only
        return {}
    found = {}
    for location, stat, max_bytes, lines in rows:
        try:
            listed = tuple(ArticleLine(n, o, i, h) for n, o, i, h in json.loads(lines))
        except (ValueError, TypeError):
            continue
        found[str(location)] = ScannedFile(str(stat), int(max_bytes), listed)
    return found


def save_scans(
    db: sqlite3.Connection, read: Mapping[str, ScannedFile], dropped: Iterable[str]
) -> None:
    """Keep the scans of the files ``read``, forget those of the files ``dropped``."""
    db.executemany("DELETE FROM scanned WHERE location = ?", ((k,) for k in dropped))
    db.executemany(
        "INSERT OR REPLACE INTO scanned VALUES (?,?,?,?)",
        (
            (location, f.stat, f.max_bytes, json.dumps([_row(line) for line in f.lines]))
            for location, f in sorted(read.items())
        ),
    )


def _row(line: ArticleLine) -> list[object]:
    return [line.number, line.offset, line.id, line.hash]
