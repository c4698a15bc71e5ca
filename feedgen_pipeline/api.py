"""The library API for running extraction and enrichment elsewhere than in a build: one input
read into a Document, a Document enriched into an Article, an Article to and from one line of
JSON; and the rules they need, loaded once per process.

::

    from feedgen_pipeline import api

    rules = api.load_rules("config.yaml")  # once per process, however often it is asked
    document = api.read_document("s3://bucket/pages/a.html", rules)  # or a path
    article = api.enrich(document, rules)
    line = api.article_to_json(article)  # one line of what `build --articles` publishes
    assert api.article_from_json(line) == article

``extract --output-dir`` runs these in one process or on a Dask cluster (``extraction.py``,
``cluster.py``); ``build --articles`` publishes the lines. Each function raises ArticleError
(``errors.py``) naming the input, or LineError for a line that is not an article.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path, PurePosixPath

from .articles import LineError, article_from_json
from .articles import article_json as article_to_json
from .config import Rules, default_rules, load_config
from .model import Article, Document
from .parse import enrich_document, extract_source
from .sources import DEFAULT_MAX_BYTES, read_input

__all__ = [
    "Article",
    "Document",
    "LineError",
    "Rules",
    "article_from_json",
    "article_to_json",
    "enrich",
    "load_rules",
    "read_document",
]


def load_rules(config: str | Path | None = None) -> Rules:
    """The rules of a config file (the built-ins merged with its ``rules:``), or the built-in
    rules alone with None. Loaded and checked once per process for each file path and content,
    so that a worker handed the same config for every page reads it once. Raises ConfigError
    listing every problem."""
    if config is None:
        return _builtin_rules()
    path = Path(config).resolve()
    return _rules_of(str(path), path.read_bytes())


@lru_cache(maxsize=1)
def _builtin_rules() -> Rules:
    return default_rules()


@lru_cache(maxsize=8)
def _rules_of(path: str, data: bytes) -> Rules:
    """``data`` is the key: the same file changed is loaded again."""
    return load_config(path).rules


def read_document(
    location: str | Path,
    rules: Rules,
    relpath: str | None = None,
    *,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Document:
    """One input file, named by its path or by a URL (with fsspec, from the ``dask`` extra),
    read and extracted. ``relpath`` is its path relative to its folder, which is the id of an
    article without a URL of its own (default: the file's name). A file larger than
    ``max_bytes`` is not read. Raises ArticleError naming ``location``."""
    where = str(location)
    name = relpath if relpath is not None else PurePosixPath(where).name
    return extract_source(read_input(where, name, max_bytes), rules)


def enrich(document: Document, rules: Rules) -> Article:
    """A Document enriched into its Article (headline, summary, dates, countries, actors…).
    Raises ArticleError naming the document's source."""
    return enrich_document(document, document.source, rules)
