"""The output folder on disk: what a killed run left, files changed since or no longer written;
and the first-seen dates of the state before the database. (Atomic writes are ``files.py``'s.)"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from ..naming import OWNED_FOLDERS

if TYPE_CHECKING:
    from ..records import OutputStat

FIRST_SEEN = "first-seen.json"
"""Where versions up to 0.1 kept first-seen dates: read once, when the database is new."""


def load_first_seen(state_dir: Path) -> tuple[dict[str, datetime], str | None]:
    """Article id → first time seen, from the old JSON file; and a warning when unreadable."""
    path = state_dir / FIRST_SEEN
    try:
        raw = json.loads(path.read_text("utf-8"))
        return {key: datetime.fromisoformat(value) for key, value in raw.items()}, None
    except FileNotFoundError:
        return {}, None
    except (OSError, ValueError, AttributeError, TypeError) as e:
        return {}, f"{path}: unreadable, starting afresh ({e})"


def damaged_outputs(out: Path, outputs: Mapping[str, OutputStat]) -> frozenset[str]:
    """The files the last run left that are gone or changed since (size or mtime)."""
    damaged = set()
    root = str(out)
    for relpath, recorded in outputs.items():
        try:
            st = os.stat(os.path.join(root, relpath))
        except OSError:
            damaged.add(relpath)
            continue
        if (st.st_size, st.st_mtime_ns) != (recorded.size, recorded.mtime_ns):
            damaged.add(relpath)
    return frozenset(damaged)


def remove_temp_files(out: Path) -> None:
    """Temporary files a killed run left behind (never renamed into place, so never published
    under their real name); the lock guarantees no other run is writing them."""
    for temp in [
        *out.glob(".*.tmp"),
        *(t for n in OWNED_FOLDERS for t in out.glob(f"{n}/**/.*.tmp")),
    ]:
        temp.unlink(missing_ok=True)


def same_bytes(path: Path, data: bytes) -> bool:
    try:
        return path.read_bytes() == data
    except OSError:
        return False


def owned_files(out: Path) -> tuple[str, ...]:
    """Every file in OWNED_FOLDERS (relative paths), but hidden ones."""
    found = []
    for name in OWNED_FOLDERS:
        folder = out / name
        if folder.is_dir():
            for path in folder.rglob("*"):
                if path.is_file() and not path.name.startswith("."):
                    found.append(path.relative_to(out).as_posix())
    return tuple(sorted(found))


def remove_empty_folders(out: Path, removed: Iterable[str]) -> None:
    """The folders of removed files (in OWNED_FOLDERS) that are left empty."""
    for relpath in removed:
        folder = (out / relpath).parent
        while folder != out and folder.relative_to(out).parts[0] in OWNED_FOLDERS:
            try:
                folder.rmdir()  # only an empty folder
            except OSError:
                break
            folder = folder.parent
