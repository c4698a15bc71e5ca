"""Atomic, only-if-changed writes; and the first-seen dates of the state before the database."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

FIRST_SEEN = "first-seen.json"
"""Where versions up to 0.1 kept first-seen dates: read once, when the database is new."""


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically (temp file in the same folder, then rename) unless the bytes are equal.

    Returns whether the file was written. An unchanged file keeps its mtime.
    """
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    import tempfile  # only a run that writes needs it

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True


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
