"""``extract --output-dir``: pages read, extracted and enriched a partition at a time, each
partition written whole as one JSON Lines file of articles (``articles.py``) into a folder or
an fsspec URL; in this process (``run_here``) or on a Dask cluster (``cluster.py``), with the
same partitions and the same function (``run_partition``), so that both write the same files.

A partition's name holds a digest of its pages (each one's location, relative path and stat)
and of what its articles depend on (rules, code, schema): a run leaves alone the partitions an
earlier run of the same job completed, so that a run cut short (a worker killed, a machine
lost) is finished by running it again. A partition is written to a temporary name and renamed
into place, so that none is ever half there; the pages it skipped, and why, are written first,
beside it (``NAME.skipped.json``). Once every partition is there (and every input was found),
the partitions of other jobs and the temporary files of runs cut short are removed.


Input and output go through fsspec (the ``dask`` extra), which reads and writes local folders
as well as object stores.
"""

from __future__ import annotations

import json
import posixpath
import re
import threading
import uuid
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from .api import article_to_json, enrich, read_document
from .articles import SCHEMA
from .config import DEFAULT_PATTERNS, Rules
from .config.fetch import FetchConfig
from .digests import digest
from .errors import ArticleError, OutputError
from .model import Article, Source
from .outcome import Skipped
from .parse import extract_source
from .sources import DEFAULT_MAX_BYTES, filesystem, is_http, is_url, scan_files, scan_url, stat_key
from .state.fingerprint import fingerprints

if TYPE_CHECKING:
    from fsspec import AbstractFileSystem

    from .remote.client import Fetcher

Progress = Callable[[int, int], None]
"""Told (pages done, pages in all) as partitions complete."""

DEFAULT_PARTITION_SIZE = 100
# a smaller job is cut into at least this many partitions, so that the workers of a cluster
# share it and a slow page holds up few others; no more, since each partition is a task whose
# round trips cost the client and the scheduler
MIN_PARTITIONS = 32


@dataclass(frozen=True, slots=True)
class Page:
    """One input file of an extraction."""

    location: str
    """Its absolute path, or its URL."""
    relpath: str
    """Its path relative to the folder it was found in: the id of an article without a URL."""
    stat: str
    """What tells a changed file without reading it (size, times)."""


@dataclass(frozen=True, slots=True)
class Partition:
    """Pages written together as one file, ``NAME.jsonl``."""

    name: str
    """``part-NNNNNN-DIGEST``: its place in the job, and the digest of what it is made from."""
    pages: tuple[Page, ...]


@dataclass(frozen=True, slots=True)
class Done:
    """What one partition gave."""

    name: str
    pages: int
    skipped: tuple[Skipped, ...] = ()
    resumed: bool = False
    """Written by an earlier run of the same job, and left as it was."""
    error: str | None = None
    """Why the partition could not be written (then nothing of it is)."""


@dataclass(frozen=True)
class Fetching:
    """How the pages named by http(s) URLs are fetched: the config's ``fetch`` settings, and
    the URL that names who fetches (sent with every request)."""

    config: FetchConfig
    contact: str


@dataclass(frozen=True)
class Job:
    """An extraction, planned: where it writes, with what rules, which partitions."""

    output: str
    """The folder (absolute) or URL the partitions go to."""
    rules: Rules
    partitions: tuple[Partition, ...]
    missing: tuple[Skipped, ...]
    """Inputs given that could not be found or listed."""
    fingerprint: str
    """What its articles depend on besides the pages: the rules and the code
    (``state/fingerprint.py``)."""
    fetching: Fetching | None = None
    """None: a page named by an http(s) URL is skipped, saying that it needs a config."""

    @property
    def pages(self) -> int:
        return sum(len(p.pages) for p in self.partitions)


@dataclass(frozen=True)
class Extracted:
    """What an extraction did."""

    pages: int
    articles: int
    partitions: int
    resumed: int
    """Partitions an earlier run had written."""
    skipped: tuple[Skipped, ...]
    """Pages that gave no article and inputs not found, each with the reason."""
    failed: tuple[Skipped, ...]
    """Partitions not written (their names and why): running again writes them."""

    @property
    def exit_code(self) -> int:
        return 2 if self.failed else 1 if self.skipped else 0


def plan(
    inputs: Sequence[str],
    lists: Sequence[str],
    output: str,
    rules: Rules,
    partition_size: int = DEFAULT_PARTITION_SIZE,
    fetching: Fetching | None = None,
) -> Job:
    """The job of extracting ``inputs`` (files, folders, URLs) and the inputs named in the
    files ``lists`` (one a line) into ``output``. Raises OutputError when the output cannot be
    made."""
    pages, missing = find_pages(inputs, lists)
    if not is_url(output):
        output = str(Path(output).resolve())  # workers elsewhere have another working folder
    try:
        fs, folder = filesystem(output)
        fs.makedirs(folder, exist_ok=True)
    except (OSError, ValueError) as e:
        raise OutputError(f"{output}: cannot write there ({e})") from e
    fingerprint = fingerprints(rules).article
    chunks = partitions(pages, fingerprint, partition_size)
    return Job(output, rules, chunks, tuple(missing), fingerprint, fetching)


def find_pages(inputs: Sequence[str], lists: Sequence[str]) -> tuple[list[Page], list[Skipped]]:
    """The pages of ``inputs``, then of the inputs each list names (blank lines and lines
    starting with # are passed over), each page once; and the inputs that could not be found.

    A folder's pages are relative to it; a file given alone is its name, one a list names is
    its path or URL as written, less the scheme (``bucket/pages/a.html``)."""
    pages: dict[str, Page] = {}
    missing: list[Skipped] = []
    for given in inputs:
        _expand(given, None, pages, missing)
    for listed in lists:
        try:
            text = _read_text(listed)
        except (OSError, ValueError, UnicodeDecodeError) as e:
            missing.append(Skipped(listed, f"cannot read the list: {e}"))
            continue
        for line in text.splitlines():
            entry = line.strip()
            if entry and not entry.startswith("#"):
                _expand(entry, entry.partition("://")[2].lstrip("/") or entry, pages, missing)
    return list(pages.values()), missing


def _expand(
    given: str, relpath: str | None, pages: dict[str, Page], missing: list[Skipped]
) -> None:
    """Add the pages of one input (a file, a folder or a URL of either)."""
    found: Iterable[Page] = []
    if is_http(given):  # a page on the web: fetched when its partition is written
        found = [Page(given, relpath or given.partition("://")[2], "")]
    elif is_url(given):
        try:
            found = _remote_pages(given, relpath)
        except FileNotFoundError:
            missing.append(Skipped(given, "no such file or folder"))
        except (OSError, ValueError) as e:  # ValueError: a scheme no file system reads
            missing.append(Skipped(given, f"cannot list: {e}"))
    else:
        path = Path(given).resolve()
        if path.is_dir():
            found = [Page(p, r, s) for p, r, s in scan_files(path, DEFAULT_PATTERNS)]
        elif path.exists():
            found = [Page(str(path), relpath or path.name, stat_key(path.stat()))]
        else:
            missing.append(Skipped(given, "no such file or folder"))
    for page in found:
        pages.setdefault(page.location, page)


def _remote_pages(url: str, relpath: str | None) -> list[Page]:
    """The pages below a URL; a URL of a page itself is known by ``relpath`` when given."""
    return [
        Page(location, relpath or rel if location == url else rel, stat)
        for location, rel, stat in scan_url(url, DEFAULT_PATTERNS)
    ]


def _read_text(location: str) -> str:
    if not is_url(location):
        return Path(location).read_text("utf-8")
    fs, path = filesystem(location)
    data: bytes = fs.cat_file(path)
    return data.decode("utf-8")


def partitions(pages: Sequence[Page], fingerprint: str, size: int) -> tuple[Partition, ...]:
    """``pages`` in partitions of at most ``size`` (fewer when that gives fewer than
    MIN_PARTITIONS), each named by its place and a digest of its pages and ``fingerprint``
    (the rules and the code its articles depend on)."""
    per = max(1, min(size, -(-len(pages) // MIN_PARTITIONS)))
    out = []
    for index, start in enumerate(range(0, len(pages), per), 1):
        chunk = tuple(pages[start : start + per])
        held = (part for p in chunk for part in (p.location, p.relpath, p.stat))
        name = digest([str(SCHEMA), fingerprint, *held])[:12]
        out.append(Partition(f"part-{index:06d}-{name}", chunk))
    return tuple(out)


def run_partition(
    partition: Partition, rules: Rules, output: str, fetching: Fetching | None = None
) -> Done:
    """Extract and enrich the pages of one partition and write them, unless an earlier run
    did. Raises OSError when the partition cannot be written."""
    fs, folder = filesystem(output)
    path = f"{folder}/{partition.name}.jsonl"
    skipped_path = f"{folder}/{partition.name}.skipped.json"
    if fs.exists(path):
        skipped: tuple[Skipped, ...] = ()
        if fs.exists(skipped_path):
            listed = json.loads(fs.cat_file(skipped_path))
            skipped = tuple(Skipped(s["page"], s["reason"]) for s in listed)
        return Done(partition.name, len(partition.pages), skipped, resumed=True)
    lines = []
    missed = []
    for page in partition.pages:
        try:
            article = _article(page, rules, fetching)
            lines.append(article_to_json(article).encode("utf-8") + b"\n")
        except (ArticleError, ValueError) as e:  # text that is not Unicode is a ValueError
            reason = e.reason if isinstance(e, ArticleError) else f"unexpected {e}"
            missed.append(Skipped(page.location, reason))
    fs.makedirs(folder, exist_ok=True)
    if missed:
        listed = [{"page": s.source, "reason": s.reason} for s in missed]
        _write(fs, skipped_path, json.dumps(listed, ensure_ascii=False).encode("utf-8"))
    elif fs.exists(skipped_path):  # a run cut short between the two files
        fs.rm(skipped_path)
    _write(fs, path, b"".join(lines))
    return Done(partition.name, len(partition.pages), tuple(missed))


def _article(page: Page, rules: Rules, fetching: Fetching | None) -> Article:
    if not is_http(page.location):
        return enrich(read_document(page.location, rules, page.relpath), rules)
    if fetching is None:
        raise ArticleError(page.location, "fetching needs a config (it names who fetches)")
    from .remote.client import FetchError
    from .remote.page import PAGE_TYPES, finish, prepare, served_page

    try:
        response = _fetcher(fetching).get(
            page.location, accept=PAGE_TYPES, max_bytes=DEFAULT_MAX_BYTES
        )
    except FetchError as e:
        raise ArticleError(page.location, e.reason) from e
    served = served_page(
        response.final_url, response.content_type, response.charset, response.served
    )
    source = prepare(Source(Path(page.relpath), page.relpath, response.body or b""), served)
    return finish(enrich(extract_source(source, rules), rules), served)


# one fetcher a process for each settings, shared by its threads: robots.txt is read once a
# host, and the per-host delay and limits hold across the partitions the process writes
_fetchers: dict[Fetching, Fetcher] = {}
_fetchers_lock = threading.Lock()


def _fetcher(fetching: Fetching) -> Fetcher:
    from .remote.client import Fetcher

    with _fetchers_lock:
        fetcher = _fetchers.get(fetching)
        if fetcher is None:
            fetcher = _fetchers[fetching] = Fetcher(fetching.config, fetching.contact)
        return fetcher


def _write(fs: AbstractFileSystem, path: str, data: bytes) -> None:
    """``data`` written to a temporary name beside ``path``, then moved to it: a rename on a
    disk, a copy on an object store (where an object is never seen half written either)."""
    folder, name = posixpath.split(path)
    tmp = f"{folder}/.{name}.{uuid.uuid4().hex}.tmp"
    try:
        fs.pipe_file(tmp, data)
        fs.mv(tmp, path)
    except BaseException:
        if fs.exists(tmp):
            fs.rm(tmp)
        raise


def run_here(job: Job, on_progress: Progress | None = None) -> list[Done]:
    """Every partition of ``job``, one after the other in this process."""
    done: list[Done] = []
    pages = 0
    for partition in job.partitions:
        try:
            done.append(run_partition(partition, job.rules, job.output, job.fetching))
        except OSError as e:
            done.append(Done(partition.name, len(partition.pages), error=str(e)))
        pages += len(partition.pages)
        if on_progress:
            on_progress(pages, job.pages)
    return done


# a partition's files, and the temporary files of one: the name, then what follows it
_OURS = re.compile(r"\.?(part-\d{6}-[0-9a-f]{12})(\.jsonl|\.skipped\.json)(\.[0-9a-f]{32}\.tmp)?")


def finish(job: Job, done: Sequence[Done]) -> Extracted:
    """What ``job`` did; once every partition is written, and every input was found (a
    mistyped one must not cost the partitions of the job meant), the partition files of other
    jobs and temporary files of runs cut short are removed from the output."""
    failed = tuple(Skipped(d.name, d.error) for d in done if d.error is not None)
    if not failed and not job.missing:
        fs, folder = filesystem(job.output)
        keep = {p.name for p in job.partitions}
        for path in fs.ls(folder, detail=False):
            match = _OURS.fullmatch(posixpath.basename(path))
            if match and (match.group(3) or match.group(1) not in keep):
                fs.rm(path)
    skipped = [*job.missing, *(s for d in done for s in d.skipped)]
    return Extracted(
        pages=job.pages,
        articles=sum(d.pages - len(d.skipped) for d in done if d.error is None),
        partitions=len(job.partitions),
        resumed=sum(d.resumed for d in done),
        skipped=tuple(skipped),
        failed=failed,
    )
