"""Find input files and read them; decide their text encoding."""

from __future__ import annotations

import codecs
import fnmatch
import os
import posixpath
import re
import stat
from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .errors import ArticleError

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

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


def scan_files(root: Path, patterns: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """(path, path relative to root, stat key) of the files below ``root`` whose names match
    ``patterns``, sorted. Hidden files and folders are skipped; symlinked folders are not
    followed (so a link loop cannot trap the walk). A matching name that is not a readable
    regular file (a broken or looping link, a pipe) is listed too, so that reading it names
    the problem instead of the file silently missing.

    The stat key (size, mtime, ctime, inode) is what a run compares to tell an unchanged file
    without reading it; ``os.scandir`` gives it at the cost of one ``stat`` per file.
    """
    if root.is_file():
        return [(str(root), root.name, stat_key(os.stat(root)))]
    match = _matcher(patterns)
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
            elif match(entry.name):
                try:
                    st = entry.stat()
                except OSError as e:  # a broken or looping link: reading it names the problem
                    found.append((entry.path, prefix + entry.name, f"error:{e.errno}"))
                    continue
                if not stat.S_ISDIR(st.st_mode):  # a link to a folder is not followed
                    found.append((entry.path, prefix + entry.name, stat_key(st)))
    found.sort(key=itemgetter(1))
    return found


def stat_key(st: os.stat_result) -> str:
    return f"{st.st_size}:{st.st_mtime_ns}:{st.st_ctime_ns}:{st.st_ino}"


def _matcher(patterns: tuple[str, ...]) -> Any:
    suffixes = tuple(p[1:] for p in patterns if p.startswith("*"))
    if len(suffixes) == len(patterns) and not any(set(s) & set("*?[") for s in suffixes):
        return lambda name: name.endswith(suffixes)  # "*.html": the same test, faster
    return re.compile("|".join(fnmatch.translate(p) for p in patterns)).match


def scan_url(url: str, patterns: tuple[str, ...]) -> list[tuple[str, str, str]]:
    """``scan_files`` of an fsspec URL: (URL, path relative to ``url``, stat key) of the files
    below it whose names match ``patterns``, sorted, hidden files and folders passed over; a
    URL of a file is that file, known by its name. The stat key is what the file system tells
    of a file that changes when its bytes do (size, modification time, ETag). Raises
    FileNotFoundError when nothing is there, OSError when it cannot be listed, ValueError for
    a URL no installed file system reads."""
    fs, root = filesystem(url)
    info = fs.info(root)
    if info.get("type") != "directory":
        return [(url, posixpath.basename(root), url_stat(info))]
    match = _matcher(patterns)
    found = []
    for path, detail in fs.find(root, detail=True).items():
        relpath = posixpath.relpath(path, root)
        parts = relpath.split("/")
        if not any(p.startswith(".") for p in parts) and match(parts[-1]):
            found.append((fs.unstrip_protocol(path), relpath, url_stat(detail)))
    found.sort(key=itemgetter(1))
    return found


# what an fsspec file system tells of a file that changes when its bytes do (each names
# its own: local and memory files, object stores' objects)
_STAT_KEYS = ("size", "mtime", "created", "LastModified", "last_modified", "updated", "ETag")


def url_stat(info: dict[str, Any]) -> str:
    return ":".join(f"{k}={info[k]}" for k in _STAT_KEYS if k in info)


def filesystem(url: str) -> tuple[AbstractFileSystem, str]:
    """The fsspec file system of a URL (or a folder), and the path on it. Raises ValueError for
    a URL no installed file system reads, or when fsspec (the ``dask`` extra) is missing."""
    try:
        import fsspec
    except ImportError as e:
        raise ValueError("reading or writing URLs needs the dask extra (fsspec)") from e
    fs, path = fsspec.core.url_to_fs(url)
    return fs, path.rstrip("/") or path


DEFAULT_MAX_BYTES = 10_000_000


def read_source(path: Path, relpath: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """Read one regular file whole, unless it is larger than ``max_bytes`` (then it is not read
    at all). Raises ArticleError naming the file."""
    from .model import Source  # the scan alone, in a cron run's no-change check, needs no model

    try:
        # non-blocking: opening a named pipe with an article's name must not wait for a writer
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as f:
            st = os.fstat(f.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise ArticleError(str(path), "not a regular file")
            if st.st_size > max_bytes:
                raise ArticleError(
                    str(path),
                    f"larger than the size limit ({st.st_size:,} > {max_bytes:,} bytes; "
                    "see sources[].max_bytes)",
                )
            data = f.read(max_bytes + 1)
    except OSError as e:
        raise ArticleError(str(path), f"cannot read: {e.strerror or e}") from e
    if len(data) > max_bytes:  # grew while being read
        raise ArticleError(str(path), f"larger than the size limit ({max_bytes:,} bytes)")
    return Source(path, relpath, data)


def is_url(location: str) -> bool:
    """Whether an input is named by a URL (``s3://bucket/pages/``, ``file:///data``) rather
    than a path."""
    return "://" in location


def is_http(location: str) -> bool:
    """Whether an input is a page on the web (fetched, where another URL is read by fsspec)."""
    return location.startswith(("http://", "https://"))


def read_input(location: str, relpath: str, max_bytes: int = DEFAULT_MAX_BYTES) -> Source:
    """A file named by its path, or by a URL fsspec reads (``s3://``, ``gs://``, ``memory://``,
    ``file://``, …; fsspec comes with the ``dask`` extra), read whole unless it is larger than
    ``max_bytes``. Raises ArticleError naming ``location``."""
    if not is_url(location):
        return read_source(Path(location), relpath, max_bytes)
    from .model import Source

    try:
        fs, path = filesystem(location)
        data = fs.cat_file(path, start=0, end=max_bytes + 1)  # one request, never the rest
    except (OSError, ValueError) as e:
        raise ArticleError(location, f"cannot read: {e}") from e
    if len(data) > max_bytes:
        raise ArticleError(location, f"larger than the size limit ({max_bytes:,} bytes)")
    return Source(Path(path), relpath, data)


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
    """Return (text, encoding): a BOM (or UTF-16's pattern of zero bytes), else UTF-8, else a
    meta charset (HTML), else a guess from the bytes (windows-1252 when nothing better shows).

    Bytes that decode as UTF-8 are UTF-8 whatever the page declares: pages are often mislabelled,
    and text in a single-byte charset is practically never valid UTF-8 by accident. Text that is
    UTF-8 but for a few bytes (``_utf8_reading``) is UTF-8 without them.
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data.decode(encoding, errors="replace"), encoding
    utf16 = _utf16_without_bom(data)
    if utf16:
        return data.decode(utf16, errors="replace"), utf16
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        text, _ = _utf8_reading(data)
        if text is not None:
            return text, "utf-8"
    match = _META_CHARSET.search(data[:4096]) if html else None
    if match:
        try:
            encoding = browser_encoding(match.group(1).decode("ascii"))
            return data.decode(encoding), encoding
        except (LookupError, UnicodeDecodeError):
            pass
    return _detect(data)


def browser_encoding(label: str) -> str:
    """The codec a charset label names, as browsers read it: Latin-1 and ASCII labels mean
    windows-1252 in practice. Raises LookupError for an unknown label."""
    encoding = codecs.lookup(label.strip().lower()).name
    return "cp1252" if encoding in ("latin-1", "iso8859-1", "ascii") else encoding


# bytes that text does not hold: the C0 controls but tab, line breaks, form feed and escape; DEL
_CONTROL = bytes([*range(0x09), *range(0x0E, 0x1B), *range(0x1C, 0x20), 0x7F])
_HIGH = bytes(range(0x80, 0x100))
_SURROGATE = re.compile("[\ud800-\udfff]")
# how much of a file is looked at to tell text from binary data
_SNIFF_BYTES = 65_536
# share of those bytes that are controls or undecodable above which they are not text: random
# bytes (compressed or image data) give about 11%, a text with a few stray controls a few in a
# thousand; and at least this many, so that one stray control in a short text does not count
_BINARY_SHARE = 0.05
_BINARY_MIN = 16


def binary_share(data: bytes) -> float | None:
    """The share of control and undecodable bytes at the start of ``data`` when it is binary
    data, not text; None for text.

    As charset detectors do, what counts is how much of it no text would hold: control bytes,
    and bytes that do not decode in its likely encoding (only UTF-8 has such bytes: a
    single-byte charset decodes every byte). A stray NUL, a few control characters or one
    invalid UTF-8 sequence in a text leave it text; such bytes are removed when it is decoded.
    """
    head = data[:_SNIFF_BYTES]
    if data.startswith(tuple(bom for bom, _ in _BOMS)) or _utf16_without_bom(head):
        return None
    controls = len(head) - len(head.translate(None, _CONTROL))
    if not controls:
        return None
    _, undecodable = _utf8_reading(head)
    suspect = controls + (undecodable or 0)
    share = suspect / len(head)
    return share if suspect >= _BINARY_MIN and share > _BINARY_SHARE else None


def _utf8_reading(data: bytes) -> tuple[str | None, int | None]:
    """(text, how many bytes were dropped) when ``data`` reads as UTF-8 but for a few bytes:
    more of its non-ASCII bytes decode than do not, or all that do not are encoded surrogates
    (text passed through UTF-16 and back). (None, None) when it does not: text in a
    single-byte charset has hardly any non-ASCII byte that decodes ("é" alone is not UTF-8)."""
    try:
        passed = data.decode("utf-8", "surrogatepass")
        text = _SURROGATE.sub("", passed)
        return text, 3 * (len(passed) - len(text))  # an encoded surrogate is three bytes
    except UnicodeDecodeError:
        pass
    # each undecodable byte becomes one escape (a surrogate), removed with the encoded ones
    escaped = data.decode("utf-8", "surrogateescape")
    text = _SURROGATE.sub("", escaped)
    dropped = len(escaped) - len(text)
    non_ascii = len(data) - len(data.translate(None, _HIGH))
    return (text, dropped) if non_ascii - dropped >= dropped else (None, None)


def _utf16_without_bom(data: bytes) -> str | None:
    """The codec of text whose every other byte is zero (Latin text saved in UTF-16 without a
    byte order mark): "utf-16-le" or "utf-16-be"; else None."""
    even, odd = data[0:256:2], data[1:256:2]
    if len(odd) < 8:
        return None
    if odd.count(0) == len(odd) and not even.count(0):
        return "utf-16-le"
    if even.count(0) == len(even) and not odd.count(0):
        return "utf-16-be"
    return None


def _detect(data: bytes) -> tuple[str, str]:
    """Text that is not UTF-8 and declares nothing usable: guess the single-byte charset from
    the bytes (windows-1251 for Cyrillic, windows-1252 for Western text, …)."""
    from charset_normalizer import from_bytes  # only pages without a usable charset pay for it

    best = from_bytes(data[:200_000]).best()
    encoding = best.encoding if best is not None else "cp1252"
    try:
        return data.decode(encoding, errors="replace"), codecs.lookup(encoding).name
    except LookupError:
        return data.decode("cp1252", errors="replace"), "cp1252"
