"""Atomic, only-if-changed writes: the output, the state folder's files and the HTTP cache's
bodies alike."""

from __future__ import annotations

import os
from pathlib import Path


def write_if_changed(path: Path, data: bytes) -> bool:
    """Write atomically (temp file in the same folder, then rename) unless the bytes are equal.

    Returns whether the file was written. An unchanged file keeps its mtime.

    A file is not forced to disk one by one (that cost a tenth of a build): the rename keeps a
    killed run from leaving a half-written file, and after a power cut a file whose size or
    mtime is not what the state recorded is rendered again by the next run.
    """
    try:
        if path.read_bytes() == data:
            return False
    except FileNotFoundError:
        pass
    import tempfile  # only a run that writes needs it

    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except FileNotFoundError:  # the folder's first file
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            os.fchmod(f.fileno(), 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return True
