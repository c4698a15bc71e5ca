"""Find input files and read them; decide their text encoding."""

from __future__ import annotations

import codecs
import fnmatch
import os
import re
from collections.abc import Iterator
from pathlib import Path

from .errors import ArticleError
from .model import Source

_META_CHARSET = re.compile(
    rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_:.-]+)""", re.IGNORECASE
)
_BOMS = (
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def find_files(root: Path, patterns: tuple[str, ...]) -> Iterator[tuple[Path, str]]:
    """Yield (path, path relative to root) for matching files below ``root``, sorted.

    Hidden files and folders are skipped; symlinked folders are not followed.
    """
    if root.is_file():
        yield root, root.name
        return
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if name.startswith(".") or not any(fnmatch.fnmatch(name, p) for p in patterns):
                continue
            path = Path(folder, name)
            found.append((path, path.relative_to(root).as_posix()))
    yield from sorted(found, key=lambda pair: pair[1])


def scan_files(root: Path, patterns: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(path, path relative to root, stat key) for the files ``find_files`` finds, sorted.

    The stat key (size, mtime, ctime, inode) is what a run compares to tell an unchanged file
    without reading it; ``os.scandir`` gives it at the cost of one ``stat`` per file.
    """
    if root.is_file():
        return [(str(root), root.name, stat_key(os.stat(root)))]
    match = re.compile("|".join(fnmatch.translate(p) for p in patterns)).match
    found: list[tuple[str, str, str]] = []
    stack = [(str(root), "")]
    while stack:
        folder, prefix = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue  # an unreadable folder: its files cannot be articles
        for entry in entries:
            if entry.name.startswith("."):
                continue
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, f"{prefix}{entry.name}/"))
            elif match(entry.name) and entry.is_file():
                try:
                    found.append((entry.path, prefix + entry.name, stat_key(entry.stat())))
                except OSError:
                    continue  # gone since the folder was listed
    found.sort(key=lambda item: item[1])
    return found


def stat_key(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def read_source(path: Path, relpath: str) -> Source:
    """Read one input file whole. Raises ArticleError naming the file."""
    try:
        data = path.read_bytes()
    except OSError as e:
        raise ArticleError(str(path), f"cannot read: {e.strerror or e}") from e
    return Source(path, relpath, data)


def is_html(source: Source) -> bool:
    """HTML by file name, else by a sniff of the first bytes."""
    suffix = source.path.suffix.lower()
    if suffix in (".html", ".htm", ".xhtml"):
        return True
    if suffix == ".txt":
        return False
    head = source.data[:1024].lstrip().lower()
    return head.startswith((b"<!doctype html", b"<html", b"<?xml", b"<head", b"<body"))


def decode(data: bytes, *, html: bool) -> tuple[str, str]:
    """Return (text, encoding): a BOM, else UTF-8, else a meta charset (HTML), else windows-1252.

    Bytes that decode as UTF-8 are UTF-8 whatever the page declares: pages are often mislabelled,
    and text in a single-byte charset is practically never valid UTF-8 by accident.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    candidates = ["utf-8"]
    if html:
        match = _META_CHARSET.search(data[:4096])
        if match:
            candidates.append(match.group(1).decode("ascii").lower())
    for name in candidates:
        try:
            encoding = codecs.lookup(name).name
        except LookupError:
            continue
        # Latin-1 labels mean windows-1252 in practice (as browsers treat them).
        if encoding in ("latin-1", "iso8859-1", "ascii"):
            encoding = "cp1252"
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    return data.decode("cp1252", errors="replace"), "cp1252"
