"""The one way the package hashes what a run depends on: text values, and files (a folder
standing for every file below it) by their names and bytes, or, where the check must stay
cheap, by their names, sizes and mtimes."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable


def digest(parts: Iterable[str]) -> str:
    """A short hash of text parts, each told from the next (none holds a NUL)."""
    return hashlib.sha256("\0".join(parts).encode("utf-8", "surrogatepass")).hexdigest()[:24]


def files_digest(paths: Iterable[str | os.PathLike[str]], *, stat_only: bool = False) -> str:
    """The files at ``paths``, in that order, by their names (from the path's own name down)
    and bytes; with ``stat_only``, by their sizes and mtimes, which a stat gives without
    reading them. Compiled Python is left out: it changes when it is run, not when the code
    does."""
    hashed = hashlib.sha256()
    for top in paths:
        for name, path in _files(os.fspath(top)):
            hashed.update(name.encode("utf-8", "surrogateescape") + b"\0")
            if stat_only:
                st = os.stat(path)
                hashed.update(b"%d:%d\0" % (st.st_size, st.st_mtime_ns))
            else:
                with open(path, "rb") as f:
                    data = f.read()
                hashed.update(b"%d\0" % len(data) + data)
    return hashed.hexdigest()[:24]


def _files(top: str) -> list[tuple[str, str]]:
    """(name, path) of each file at ``top``, by name."""
    base = os.path.basename(os.path.normpath(top))
    if not os.path.isdir(top):
        return [(base, top)]
    found = []
    for root, dirs, names in os.walk(top):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        below = os.path.normpath(os.path.join(base, os.path.relpath(root, top)))
        found += [(f"{below}/{n}", os.path.join(root, n)) for n in names if not n.endswith(".pyc")]
    return sorted(found)
