"""Files → Articles, in this process or in a pool of processes, in input order either way."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

from .config import Rules
from .errors import ArticleError
from .model import Article, Document, Source
from .records import ArticleLine, Meta, PageInfo, meta_of
from .sources import DEFAULT_MAX_BYTES, read_source

T = TypeVar("T")

# below this many files a pool costs more to start than it saves
_POOL_MIN_FILES = 16


def enrich_file(path: Path, rules: Rules, relpath: str | None = None) -> Article:
    """Read, extract and enrich one file. Raises ArticleError naming it."""
    return enrich_source(read_source(path, relpath or path.name), rules)


def enrich_source(source: Source, rules: Rules) -> Article:
    """Extract and enrich one source's bytes. Raises ArticleError naming its path."""
    return enrich_document(extract_source(source, rules), str(source.path), rules)


def extract_source(source: Source, rules: Rules) -> Document:
    """One source's bytes → its Document. Raises ArticleError naming its path."""
    from .extract import extract  # the stages are imported only when something must be parsed

    return _named(str(source.path), lambda: extract(source, rules))


def enrich_document(document: Document, path: str, rules: Rules) -> Article:
    """A Document → its Article. Raises ArticleError naming ``path``."""
    from .enrich import enrich

    return _named(path, lambda: enrich(document, rules))


def _named(path: str, step: Callable[[], T]) -> T:
    """``step()``, any failure an ArticleError naming ``path``."""
    try:
        return step()
    except ArticleError as e:
        raise ArticleError(path, e.reason) from e
    except RecursionError as e:
        raise ArticleError(path, "markup nested too deeply to parse") from e
    except Exception as e:  # one broken article must never stop the others
        raise ArticleError(path, f"unexpected {type(e).__name__}: {e}") from e


@dataclass(frozen=True)
class Task:
    path: str
    relpath: str
    known_sha: str | None
    """The hash of the bytes the stored article was built from, when the rules still match:
    equal bytes are then not parsed again."""
    max_bytes: int = DEFAULT_MAX_BYTES
    page: PageInfo | ArticleLine | None = None
    """For a fetched page: its URL, charset and fetch outcome (see ``remote/page.py``); for an
    article of a JSON Lines file, where its line is (``articles.py``)."""
    stored: tuple[str, bytes] | None = None
    """(hash of the bytes, Document) that the state keeps for this file when the extraction
    rules still match (``state.store.encode_document``): equal bytes are only enriched again."""


@dataclass(frozen=True)
class Parsed:
    """What reading one file gave."""

    sha: str
    """Hash of its bytes ("" when unreadable)."""
    article: Article | None
    """None when unreadable, unchanged, or handed over by a worker process (``encoded``)."""
    reason: str | None = None
    same: bool = False
    """The bytes are those of ``Task.known_sha``: nothing was parsed."""
    meta: Meta | None = None
    """What the state keeps of the article besides its text."""
    encoded: str | None = None
    """The article as the state stores it (``store.encode_article``)."""
    document: bytes | None = None
    """The Document parsed from the bytes, as the state stores it (``store.encode_document``);
    None when none was parsed."""


def parse_one(task: Task, rules: Rules, *, encoded: bool = False) -> Parsed:
    """Read and enrich one file; with ``encoded``, the article comes as the state stores it
    (a string, which crosses between processes far more cheaply than the dataclasses)."""
    page = task.page
    if isinstance(page, ArticleLine):
        return _parse_line(task, page, encoded)
    if page is not None and page.error is not None:
        return Parsed("", None, page.error)  # a page that could not be fetched
    try:
        source = read_source(Path(task.path), task.relpath, task.max_bytes)
    except ArticleError as e:
        return Parsed("", None, e.reason)
    sha = hashlib.sha256(source.data).hexdigest()[:32]
    if sha == task.known_sha:
        return Parsed(sha, None, same=True)
    from .state.store import decode_document, encode_article, encode_document

    document = decode_document(task.stored[1]) if task.stored and task.stored[0] == sha else None
    stored = None
    try:
        if document is None:
            if page is not None:  # a fetched page: the server's charset and URL
                from .remote.page import prepare

                source = prepare(source, page)
            document = extract_source(source, rules)
            stored = encode_document(document) if page is None else None
        article = enrich_document(document, str(source.path), rules)
        if page is not None:
            from .remote.page import finish

            article = finish(article, page)
    except ArticleError as e:
        return Parsed(sha, None, e.reason)
    if encoded:
        return Parsed(
            sha, None, meta=meta_of(article), encoded=encode_article(article), document=stored
        )
    return Parsed(sha, article, meta=meta_of(article), document=stored)


def _parse_line(task: Task, line: ArticleLine, encoded: bool) -> Parsed:
    """Decode one line of a JSON Lines file of articles (``articles.py``): the article comes
    made. The line's place leads the reason of a line known by its article's id. A line that
    repeats an earlier line's id is not read: the scan named it."""
    if line.first is not None:
        return Parsed(line.hash, None, f"duplicate of {line.first} (same id {line.id})")
    from .articles import LineError, article_from_json, line_hash, read_line

    where = f"{task.path}:{line.number}: " if line.id is not None else ""
    try:
        data = read_line(task.path, line, task.max_bytes)
    except LineError as e:
        return Parsed("", None, f"{where}{e}")
    except (OSError, ValueError) as e:  # ValueError: fsspec's, for a store it cannot read
        reason = (e.strerror if isinstance(e, OSError) else None) or e
        return Parsed("", None, f"{where}cannot read: {reason}")
    sha = line_hash(data)
    if sha == task.known_sha:
        return Parsed(sha, None, same=True)
    try:
        article = article_from_json(data)
    except LineError as e:
        return Parsed(sha, None, f"{where}{e}")
    if article.id != line.id:
        why = "the line changed while the build read it" if article.id else "no article id"
        return Parsed(sha, None, f"{where}{why}")
    if encoded:
        from .state.store import encode_article

        return Parsed(sha, None, meta=meta_of(article), encoded=encode_article(article))
    return Parsed(sha, article, meta=meta_of(article))


def parse_many(
    tasks: Sequence[Task],
    rules: Rules,
    jobs: int,
    on_progress: Callable[[int, int], None] | None = None,
    *,
    articles: bool = True,
    meanwhile: Callable[[], object] | None = None,
) -> Iterator[Parsed]:
    """``parse_one`` over ``tasks``, in their order, in ``jobs`` processes. Without
    ``articles``, an article made in a worker process comes only encoded (``Parsed.encoded``).
    ``meanwhile`` is called once the worker processes have their tasks (with a pool only): work
    for this process while it waits for their results."""
    total = len(tasks)
    if jobs <= 1 or total < _POOL_MIN_FILES:
        for done, task in enumerate(tasks, 1):
            yield parse_one(task, rules)
            if on_progress:
                on_progress(done, total)
        return
    from concurrent.futures import ProcessPoolExecutor

    # forked workers inherit the imports and compiled rules; BeautifulSoup's only when a file
    # may be an HTML page (``sources.is_html``: any but a .txt file)
    _warm_up(rules, html=any(not t.path.lower().endswith(".txt") for t in tasks))
    chunk = max(1, min(64, total // (jobs * 8)))
    with ProcessPoolExecutor(jobs, initializer=_set_rules, initargs=(rules, articles)) as pool:
        results = pool.map(_parse_in_worker, tasks, chunksize=chunk)
        if meanwhile is not None:
            meanwhile()
        for done, parsed in enumerate(results, 1):
            yield parsed
            if on_progress:
                on_progress(done, total)


def _warm_up(rules: Rules, *, html: bool) -> None:
    """Import the stages and compile what the rules need, once, before the workers fork."""
    from .enrich import enrich  # noqa: F401
    from .enrich.countries import index_for

    index_for(rules)
    if html:
        from .extract.html import extract_html  # noqa: F401
        from .extract.queries import queries_for

        queries_for(rules)


# set once per worker process by the pool's initializer
_worker_rules: Rules | None = None
_worker_articles = True


def _set_rules(rules: Rules, articles: bool) -> None:
    global _worker_rules, _worker_articles
    _worker_rules = rules
    _worker_articles = articles


def _parse_in_worker(task: Task) -> Parsed:
    assert _worker_rules is not None
    return parse_one(task, _worker_rules, encoded=not _worker_articles)
