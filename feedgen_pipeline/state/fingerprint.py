"""What an article depends on besides its file's bytes, as two short hashes.

``Fingerprints.article`` covers all of it: the rules (the built-ins merged with the user's), the
built-in data files, the code of the stages that make an Article, and the package version. When
it changes, every article is made again (their dates stay); when it has not, no file whose bytes
are unchanged is even read.

``Fingerprints.document`` covers what extraction alone depends on: the rules but the tagging
ones, the extraction code and the version. When only the tagging changed (a country alias, an
actor, a weight), the Document each file gave is taken from the state and enriched again,
without parsing the page.
"""

from __future__ import annotations

import dataclasses
import re
from typing import Any, NamedTuple

from .. import __version__
from ..config import PACKAGE_DIR, Rules
from ..digests import digest, files_digest

# the parts of the package an Article depends on (relative to the package folder)
_CODE = (
    *("extract", "enrich", "data", "sources.py", "model.py", "records.py", "config/regexes.py"),
    *("naming.py", "memo.py", "parse.py", "remote/page.py"),
)
# the parts a Document depends on
_EXTRACTION_CODE = ("extract", "sources.py", "model.py", "naming.py", "memo.py", "remote/page.py")
# the rules that only tagging reads
_TAGGING_RULES = frozenset(
    ("tagging", "country_min_relative_score", "country_weights", "country_currency_needs_name")
)


class Fingerprints(NamedTuple):
    article: str
    document: str


def fingerprints(rules: Rules) -> Fingerprints:
    return Fingerprints(_article(rules), _document(rules))


def _article(rules: Rules) -> str:
    """Hash of the rules, the data files, the extraction and enrichment code and the version."""
    return _digest(_plain(rules), _CODE)


def _document(rules: Rules) -> str:
    """Hash of the rules that extraction reads (all but tagging's), its code and the version."""
    extraction = tuple(
        (f.name, _plain(getattr(rules, f.name)))
        for f in dataclasses.fields(rules)
        if f.name not in _TAGGING_RULES
    )
    return _digest(extraction, _EXTRACTION_CODE)


def _digest(rules: Any, code: tuple[str, ...]) -> str:
    return digest([__version__, repr(rules), files_digest(PACKAGE_DIR / name for name in code)])


def _plain(value: Any) -> Any:
    """Rules as nested tuples: compiled patterns by their source and flags (their repr is cut)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return tuple((f.name, _plain(getattr(value, f.name))) for f in dataclasses.fields(value))
    if isinstance(value, tuple | list):
        return tuple(_plain(v) for v in value)
    if isinstance(value, dict):
        return tuple(sorted((str(k), _plain(v)) for k, v in value.items()))
    if isinstance(value, re.Pattern):
        return ("re", value.pattern, value.flags)
    return value
