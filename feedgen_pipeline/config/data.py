"""The built-in data files (``data/*.yaml``), parsed, with a copy of each as JSON kept in the
user's cache folder (``$XDG_CACHE_HOME/feedgen-pipeline``, else ``~/.cache/feedgen-pipeline``).

Parsing the YAML is about half of what loading the rules costs a run that reads one changed
article; reading the same data as JSON costs a fortieth of it (``python -m bench.speed_switches``
measures the run without the copies). A copy
is named by a digest of its YAML's bytes, so that an edited or upgraded file is parsed again; a
copy that cannot be written or read back whole is passed over, and the YAML parsed, so that the
cache can only make a run faster, never different.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Any

import yaml

from ..files import write_if_changed

DATA_DIR = Path(__file__).resolve().parent.parent / "data"


def read_data(name: str) -> Any:
    """A built-in data file (``data/<name>``), parsed."""
    raw = (DATA_DIR / name).read_bytes()
    copy = _copy_path(name, raw)
    if copy is not None:
        try:
            return json.loads(copy.read_bytes())
        except (OSError, ValueError):
            pass  # none yet, or damaged: parsed again and written anew
    data = _parse(raw)
    if copy is not None:
        _keep(copy, data)
    return data


def _parse(raw: bytes) -> Any:
    # libyaml when present
    return yaml.load(raw.decode("utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


def cache_dir() -> Path | None:
    """The folder of the copies; None when the user has no home to keep them in."""
    base = os.environ.get("XDG_CACHE_HOME")
    if not base:
        home = os.environ.get("HOME")
        if not home:
            return None
        base = os.path.join(home, ".cache")
    return Path(base) / "feedgen-pipeline"


def _copy_path(name: str, raw: bytes) -> Path | None:
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(raw).hexdigest()[:24]
    return folder / f"{Path(name).stem}-{digest}.json"


def _keep(copy: Path, data: Any) -> None:
    """Write the copy when JSON gives back exactly what the YAML gave (it would not for a
    date or a key that is not a string); a folder that cannot be written is no error."""
    text = json.dumps(data, ensure_ascii=False)
    if json.loads(text) != data:
        return
    try:
        copy.parent.mkdir(parents=True, exist_ok=True)
        write_if_changed(copy, text.encode("utf-8"))
        stem = copy.name.rsplit("-", 1)[0]
        for older in copy.parent.glob(f"{stem}-*.json"):  # of the data before an upgrade
            if older != copy:
                older.unlink(missing_ok=True)
    except OSError:
        pass
