"""The last stage of a run: the output files that the plan (``plan.py``) says must be rendered
are rendered one at a time, written where their bytes changed, stale files removed, and what is
on disk recorded in the state.

Nothing is written until the state holds the run's articles (``pipeline.py`` commits them
first), and article pages are written before the feeds that link to them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, TypeVar

from . import __version__
from .config import Config
from .digests import digest, files_digest
from .errors import OutputError
from .layout import Output, PlannedEntry, SitePlan
from .model import Article
from .plan import OutputPlan
from .records import OutputStat, Record
from .render import Articles, Done, Renderer, apply_output
from .state.files import remove_empty_folders, remove_temp_files
from .state.store import Store
from .write import TEMPLATES, prepare

if TYPE_CHECKING:
    from .write.feeds import FormKey

T = TypeVar("T")


@dataclass(frozen=True)
class Published:
    """What a run put in ``output/`` (or, for a dry run, would have)."""

    articles: tuple[Article, ...]
    """The main feed's articles, newest first."""
    written: tuple[str, ...]
    unchanged: tuple[str, ...]
    deleted: tuple[str, ...]
    changed: Mapping[str, OutputStat]
    """The output files this run wrote or checked, as the state now records them."""
    dropped: tuple[str, ...]
    """The output files the state no longer records."""


def feed_key(config: Config, fingerprint: str) -> str:
    """Everything besides the articles that rendering depends on, templates included."""
    package = Path(__file__).resolve().parent
    code = [TEMPLATES, package / "write", package / "naming.py"]
    code += [config.site.templates] if config.site.templates else []
    parts = [repr(config.feed), repr(config.site), str(config.output_dir.resolve())]
    return digest([__version__, *parts, config.removed, fingerprint, files_digest(code)])


def prepare_writers(config: Config) -> None:
    """Import the writers and compile the templates ahead of ``publish``."""
    prepare(config.site.templates, _template_cache(config))


def publish(
    config: Config,
    store: Store,
    plan: OutputPlan,
    articles: Articles,
    *,
    recorded: Mapping[str, OutputStat],
    interrupted: bool,
    key: str,
    total: int,
    dry_run: bool,
    jobs: int = 1,
    meanwhile: Callable[[], object] | None = None,
) -> Published:
    """Render the outputs of ``plan`` whose inputs changed, one file at a time (in ``jobs``
    processes), and write those whose bytes changed; ``key`` (``feed_key``) and ``total`` are
    recorded in the state once every file is in place. ``recorded`` is what the state holds of
    the output files; ``interrupted``, whether the last run may have stopped while writing
    them. ``meanwhile`` is work for this process while the first workers render (without
    workers, before rendering), committed with the rest."""
    cache = None if dry_run else _template_cache(config)
    pooled = jobs > 1 and not dry_run
    renderer = Renderer(config, plan.site, articles, cache)
    out = config.output_dir
    written: list[str] = []
    unchanged: list[str] = []
    outputs: dict[str, OutputStat] = {}
    try:
        if interrupted and not dry_run:
            remove_temp_files(out)
        # in order: pages, then the tag feeds that link to them, then the main feeds and pages
        pages, tags, rest = _phases(plan.render)
        meanwhile = meanwhile or (lambda: None)
        if pooled and len(pages) + len(tags) >= _POOL_MIN_OUTPUTS:
            done = _in_pools(pages, tags, plan.site, jobs, config, articles, cache, meanwhile)
        else:
            meanwhile()
            done = [apply_output(o, renderer, out, dry_run) for o in pages + tags]
        done += [apply_output(o, renderer, out, dry_run) for o in rest]
        for results in done:
            for relpath, changed, stat in results:
                (written if changed else unchanged).append(relpath)
                if stat is not None:
                    outputs[relpath] = stat
        if not dry_run:
            # stale pages go only once no feed links to them
            for relpath in plan.remove:
                (out / relpath).unlink(missing_ok=True)
            remove_empty_folders(out, plan.remove)
    except OSError as e:
        raise OutputError(f"cannot write {e.filename or out}: {e.strerror}") from e
    shown = tuple(a for e in plan.site.main if (a := articles.get(e.key)) is not None)
    if plan.incremental:  # it planned only the outputs around the change
        dropped = [r for r in plan.remove if r in recorded]
    else:
        planned = {f for o in plan.outputs for f in o.files}
        dropped = [r for r in recorded if r not in planned]
    if not dry_run:
        store.update_outputs(outputs, dropped)
        store.set_info({"rendered": key, "total": str(total)})
        store.commit()
    return Published(shown, tuple(written), tuple(unchanged), plan.remove, outputs, tuple(dropped))


def _phases(outputs: tuple[Output, ...]) -> list[list[Output]]:
    """Article pages, tags' feeds and pages, then the rest: each phase is written whole before
    the next, whose files link to its files."""
    pages = [o for o in outputs if o.kind == "page"]
    tags = [o for o in outputs if o.tag is not None]
    rest = [o for o in outputs if o.kind != "page" and o.tag is None]
    return [pages, tags, rest]


# ---------------------------------------------------------------- in worker processes

# below this many outputs, starting processes costs more than it saves
_POOL_MIN_OUTPUTS = 64
# the feed forms of at most this many entries are held at a time
_BATCH_ENTRIES = 8192


def _batches(phase: list[Output], site: SitePlan) -> Iterator[list[Output]]:
    """``phase`` in runs of outputs whose feeds carry at most ``_BATCH_ENTRIES`` entries in
    all, so that the forms made ahead for them stay within bounds."""
    batch: list[Output] = []
    entries: set[str] = set()
    for output in phase:
        ids = {e.id for e in _carried(output, site)}
        if batch and len(entries) + len(ids - entries) > _BATCH_ENTRIES:
            yield batch
            batch, entries = [], set()
        batch.append(output)
        entries |= ids
    if batch:
        yield batch


def _carried(output: Output, site: SitePlan) -> tuple[PlannedEntry, ...]:
    """The entries the feeds of ``output`` carry (none for a page)."""
    if output.kind != "feeds":
        return ()
    return site.main if output.tag is None else output.tag.entries


def _in_pools(
    pages: list[Output],
    tags: list[Output],
    site: SitePlan,
    jobs: int,
    config: Config,
    articles: Articles,
    cache: Path | None,
    meanwhile: Callable[[], object],
) -> list[Done]:
    """The article pages, then the tags' feeds and pages, in pools of ``jobs`` processes.

    Each entry's feed forms are made once, ahead of the feeds: the workers that then render the
    feeds share them, where each would otherwise make again the forms of the entries its feeds
    share with the other workers'. The first pool renders the pages and makes the forms of the
    first batch of tag feeds, entry by entry, so that each article is loaded once for both."""
    done: list[Done] = []
    batches = list(_batches(tags, site)) or [[]]
    for number, batch in enumerate(batches):
        chunks = _chunks(pages if number == 0 else [], batch, site)
        job = _Job(config, site, articles.records, chunks=chunks, cache=cache)
        forms: dict[FormKey, str] = {}
        first = meanwhile if number == 0 else None
        for rendered, made, warnings in _run(job, jobs, _chunk_in_worker, len(chunks), first):
            done.append(rendered)
            forms.update(made)
            articles.warnings.extend(warnings)
        if batch:
            job = _Job(config, site, articles.records, outputs=batch, cache=cache, forms=forms)
            for rendered, warnings in _run(job, jobs, _apply_in_worker, len(batch)):
                done.append(rendered)
                articles.warnings.extend(warnings)
    return done


@dataclass(frozen=True)
class _Chunk:
    """Entries for one task: the pages to render and the entries whose feed forms to make, of
    the same articles."""

    pages: list[Output]
    forms: list[PlannedEntry]


# entries of one task: enough to amortise handing it over, few enough to share work evenly
_CHUNK_ENTRIES = 64


def _chunks(pages: list[Output], tags: list[Output], site: SitePlan) -> list[_Chunk]:
    """``pages`` and the entries the feeds of ``tags`` carry, an entry's page and forms in the
    same chunk."""
    by_entry: dict[str, _Chunk] = {}
    for output in pages:
        assert output.entry is not None
        by_entry.setdefault(output.entry.id, _Chunk([], [])).pages.append(output)
    for output in tags:
        for entry in _carried(output, site):
            unit = by_entry.setdefault(entry.id, _Chunk([], []))
            if not unit.forms:
                unit.forms.append(entry)
    units = list(by_entry.values())
    return [
        _Chunk(
            [p for u in units[i : i + _CHUNK_ENTRIES] for p in u.pages],
            [f for u in units[i : i + _CHUNK_ENTRIES] for f in u.forms],
        )
        for i in range(0, len(units), _CHUNK_ENTRIES)
    ]


@dataclass(frozen=True)
class _Job:
    """What worker processes do: set before they fork, so that they inherit it."""

    config: Config
    site: SitePlan
    records: Mapping[str, Record]
    outputs: list[Output] = field(default_factory=list)
    """For ``_apply_in_worker``: the outputs to render."""
    chunks: list[_Chunk] = field(default_factory=list)
    """For ``_chunk_in_worker``: pages to render and forms to make."""
    cache: Path | None = None
    forms: Mapping[FormKey, str] | None = None
    """The forms made ahead, for ``outputs``."""


_job: _Job | None = None
_worker: Renderer | None = None


def _run(
    job: _Job,
    jobs: int,
    task: Callable[[int], T],
    count: int,
    meanwhile: Callable[[], object] | None = None,
) -> list[T]:
    """``task`` over ``range(count)`` in ``jobs`` processes forked with ``job``, each reading
    the articles from the state (committed before publishing begins) with a connection of its
    own; ``meanwhile`` is called in this process once they have their tasks."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    global _job
    _job = job
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(jobs, mp_context=context) as pool:
            chunk = max(1, min(64, count // (jobs * 8)))
            results = pool.map(task, range(count), chunksize=chunk)
            if meanwhile is not None:
                meanwhile()
            return list(results)
    except BrokenProcessPool as e:  # killed, or out of memory: what is written stays whole
        raise OutputError(
            f"a process rendering {job.config.output_dir} ended abruptly ({e});"
            " the next run finishes the job"
        ) from e
    finally:
        _job = None


def _renderer_in_worker(job: _Job) -> Renderer:
    global _worker
    if _worker is None:
        store = Store(job.config.state_dir, readonly=True)
        loader = Articles(store, {}, job.records, job.config.rules, readonly=True)
        _worker = Renderer(job.config, job.site, loader, job.cache, job.forms)
    return _worker


def _apply_in_worker(index: int) -> tuple[Done, list[str]]:
    assert _job is not None
    renderer = _renderer_in_worker(_job)
    before = len(renderer.articles.warnings)
    done = apply_output(_job.outputs[index], renderer, _job.config.output_dir, dry_run=False)
    return done, renderer.articles.warnings[before:]


def _chunk_in_worker(index: int) -> tuple[Done, dict[FormKey, str], list[str]]:
    from .write.feeds import make_forms

    assert _job is not None
    renderer = _renderer_in_worker(_job)
    before = len(renderer.articles.warnings)
    chunk = _job.chunks[index]
    done: Done = []
    for output in chunk.pages:
        done += apply_output(output, renderer, _job.config.output_dir, dry_run=False)
    forms: dict[FormKey, str] = {}
    entries = [e for p in chunk.forms if (e := renderer.entry(p)) is not None]
    if entries:  # tags' feeds carry the full text only when the site says so
        full = _job.config.site.tag_feed_content == "full"
        forms = make_forms(entries, _job.config.feed.base_url, full)
    return done, forms, renderer.articles.warnings[before:]


def _template_cache(config: Config) -> Path | None:
    """A folder in the state for compiled templates; None (compile each time) when it cannot
    be made."""
    folder = config.state_dir / "templates"
    try:
        folder.mkdir(exist_ok=True)
    except OSError:
        return None
    return folder
