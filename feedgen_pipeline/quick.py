"""A cron run's no-change check, made before the pipeline is even imported.

After each build the command line leaves a stamp in the state folder: a key of the config file's
bytes and the command's overrides, a digest of the package's files (and of the user's templates),
a digest of every input file's stat as the build scanned it, the size and mtime of the output
files at the top of the output folder, and the mtime of every output folder below it. The next
run repeats the cheap part, a config hash, one scan of the inputs and a stat of those files and
folders, and when all of it matches it stops there: nothing can have changed. Any difference, or
any doubt, falls through to the full pipeline, which decides for itself.

A folder's mtime changes when a file in it is added, removed or replaced (the build writes each
file to a temporary name and renames it into place, as editors and sync tools do), so statting
the folders instead of their thousands of files keeps the check near a bare walk of the inputs.
What it cannot see is a file below the top written over in place. A run with inputs to read
trusts the same check for its outputs (statting every output file of a large site costs more
than the rest of a small change); ``--rebuild``, or a run after any doubt (no stamp, another
config or code), stats every output file and renders again whatever differs.

Only builds of local sources with the default state folder (``.feedgen-state`` beside the
config) are stamped: fetching sources must ask their servers, and a state folder named in the
config cannot be found without reading the config. The input files of a source of articles
are its JSON Lines files (their lines are its inputs to the build).
"""

from __future__ import annotations

import itertools
import json
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from . import __version__
from .collector import collector_paused
from .digests import digest, files_digest
from .outcome import OutputChange, Skipped
from .sources import scan_files
from .state.codec import decode, encode

STAMP = "quick.json"
DEFAULT_STATE_DIR = ".feedgen-state"
PACKAGE_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Stamp:
    """What the last build left for the next run's no-change check."""

    key: str
    code: str
    sources: tuple[tuple[str, tuple[str, ...]], ...]
    """(folder, file name patterns) of each source."""
    templates: str | None
    inputs: str
    files: int
    outputs: tuple[tuple[str, int, int], ...]
    """(path, size, mtime in ns) of each output file at the top of the output folder."""
    folders: tuple[tuple[str, int], ...]
    """(path, mtime in ns) of each folder below it that holds output files."""
    total: int
    skipped: tuple[Skipped, ...]


def state_dir_for(config_path: Path) -> Path:
    return config_path.resolve().parent / DEFAULT_STATE_DIR


def run_key(config_path: Path, overrides: Sequence[str]) -> str:
    """The config's bytes and every command-line option that changes what a build does."""
    where = [__version__, os.getcwd(), str(config_path.resolve())]
    return digest([*where, files_digest([config_path]), *overrides])


def inputs_digest(found: Iterable[tuple[str, str]]) -> str:
    """(path, stat key) of the scanned input files, in scan order."""
    return digest(itertools.chain.from_iterable(found))


def code_digest(templates: str | None) -> str:
    """Names, sizes and mtimes of the package's files and of the user's templates."""
    return files_digest([PACKAGE_DIR, *([templates] if templates else [])], stat_only=True)


Scans = dict[tuple[str, tuple[str, ...]], list[tuple[str, str, str]]]
"""``scan_files`` of each (folder, patterns), as the check made them."""


def scan_digest(sources: Iterable[tuple[str, tuple[str, ...]]], scans: Scans) -> str | None:
    """Digest of the input files as the pipeline scans them, each scan kept in ``scans``;
    None when a folder is missing (the full run reports it)."""
    listed = list(sources)
    for root, patterns in listed:
        if not os.path.exists(root):
            return None
        scans[root, patterns] = scan_files(Path(root), patterns)
    return inputs_digest((path, stat) for key in listed for path, _, stat in scans[key])


@dataclass(frozen=True)
class Checked:
    stamp: Stamp | None
    """The stamp when nothing changed since it was written; else None."""
    scans: Scans
    """The input folders the check scanned (so that the full run need not scan them again)."""
    intact: bool = False
    """Whether the output is as the last build left it, as far as the stamp tells (its files
    at the top, its folders below): then the run need not stat every output file."""
    previous: Stamp | None = None
    """The stamp, when it was made by the same config and code: the run may update it."""


def check(config_path: Path, overrides: Sequence[str]) -> Checked:
    """Whether anything changed since the last build's stamp."""
    scans: Scans = {}
    try:
        stamp = _read(state_dir_for(config_path) / STAMP)
        if stamp is None or stamp.key != run_key(config_path, overrides):
            return Checked(None, scans)
    except OSError:
        return Checked(None, scans)
    if stamp.code != code_digest(stamp.templates):
        return Checked(None, scans)
    with collector_paused():  # a tuple and strings a file, none of them in a cycle
        same_inputs = scan_digest(stamp.sources, scans) == stamp.inputs
        intact = _intact(stamp)
    return Checked(stamp if same_inputs and intact else None, scans, intact, stamp)


def _intact(stamp: Stamp) -> bool:
    try:
        for path, size, mtime_ns in stamp.outputs:
            st = os.stat(path)
            if (st.st_size, st.st_mtime_ns) != (size, mtime_ns):
                return False
        return all(os.stat(path).st_mtime_ns == mtime_ns for path, mtime_ns in stamp.folders)
    except OSError:
        return False


def output_stats(
    root: str, outputs: Iterable[tuple[str, int, int]]
) -> tuple[tuple[tuple[str, int, int], ...], tuple[tuple[str, int], ...]]:
    """The stamp's ``outputs`` and ``folders`` of the output files (relative path, size, mtime)
    a build left in ``root``: the top's files as they are, and the folders below, statted now,
    after the build's last write."""
    top, below = [], set()
    for relpath, size, mtime_ns in outputs:
        folder = relpath.rpartition("/")[0]
        if folder:
            below.add(folder)
        else:
            top.append((os.path.join(root, relpath), size, mtime_ns))
    folders = set()
    for folder in below:  # a folder's own folder changes when it is removed
        while folder and folder not in folders:
            folders.add(folder)
            folder = folder.rpartition("/")[0]
    paths = [os.path.join(root, f) for f in sorted(folders)]
    return tuple(top), tuple((p, os.stat(p).st_mtime_ns) for p in paths)


def restamp(
    previous: Stamp, change: OutputChange, root: str
) -> tuple[tuple[tuple[str, int, int], ...], tuple[tuple[str, int], ...]]:
    """``output_stats`` after a run that trusted the output ``previous`` vouched for and
    changed only ``change`` in it: the folders it wrote or removed in, and those above them,
    are statted again, the others stand as they were checked."""
    top = {path: (size, mtime_ns) for path, size, mtime_ns in previous.outputs}
    folders = dict(previous.folders)
    moved = set()
    for relpath in change.removed:
        folder = relpath.rpartition("/")[0]
        if folder:
            moved.add(folder)
        else:
            top.pop(os.path.join(root, relpath), None)
    for relpath, size, mtime_ns in change.files:
        folder = relpath.rpartition("/")[0]
        if folder:
            moved.add(folder)
        else:
            top[os.path.join(root, relpath)] = (size, mtime_ns)
    for folder in moved:
        while folder:
            path = os.path.join(root, folder)
            try:
                folders[path] = os.stat(path).st_mtime_ns
            except FileNotFoundError:  # emptied and removed
                folders.pop(path, None)
            folder = folder.rpartition("/")[0]
    return tuple((p, s, m) for p, (s, m) in top.items()), tuple(sorted(folders.items()))


def write(stamp: Stamp, config_path: Path) -> None:
    from .files import write_if_changed

    data = json.dumps(encode(stamp), ensure_ascii=False)
    write_if_changed(state_dir_for(config_path) / STAMP, data.encode("utf-8"))


def _read(path: Path) -> Stamp | None:
    try:
        stamp = decode(Stamp, json.loads(path.read_text("utf-8")))
    except ValueError:  # CodecError included
        return None  # damaged, or of another shape: the full run decides, and writes a new one
    # every duplicate it names was reported by the build that wrote it
    return replace(stamp, skipped=tuple(replace(s, known=True) for s in stamp.skipped))
