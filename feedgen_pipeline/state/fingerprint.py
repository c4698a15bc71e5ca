"""What an enriched article depends on besides its file's bytes, as one short hash.

The rules (the built-ins merged with the user's), the built-in data files and the code of the
stages that make an Article, with the package version. When any of them changes, every article
is enriched again (their dates stay); when none has, no file whose bytes are unchanged is read.
"""

from __future__ import annotations

import dataclasses
import hashlib
import re
from typing import Any

from .. import __version__
from ..config import PACKAGE_DIR, Rules

# the parts of the package an Article depends on (relative to the package folder)
_CODE = ("extract", "enrich", "sources.py", "model.py", "parse.py", "remote/page.py", "data")


def rules_fingerprint(rules: Rules) -> str:
    """Hash of the rules, the data files, the extraction and enrichment code and the version."""
    digest = hashlib.sha256(__version__.encode())
    digest.update(repr(_plain(rules)).encode("utf-8"))
    for name in _CODE:
        item = PACKAGE_DIR / name
        children = sorted(item.iterdir(), key=lambda p: p.name) if item.is_dir() else [item]
        for child in children:
            if child.is_file() and child.name.endswith((".py", ".yaml")):
                digest.update(child.name.encode() + b"\0" + child.read_bytes() + b"\0")
    return digest.hexdigest()[:24]


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
