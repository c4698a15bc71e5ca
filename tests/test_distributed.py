"""extract --dask on a local cluster of two worker processes: the same partitions as one
process writes, published as a folder build publishes the pages; a worker killed while it
writes leaves no partition half there, and running again finishes the job."""

from __future__ import annotations

import os
import posixpath
import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from feedgen_pipeline import build
from feedgen_pipeline.api import article_from_json, load_rules
from feedgen_pipeline.config import DEFAULT_PATTERNS, SourceConfig
from feedgen_pipeline.extraction import finish, plan

from .conftest import FIXED_NOW, example_config
from .test_articles import CONFIG, articles_config, extract_to, lines, pages
from .test_incremental import tree, write_articles

distributed = pytest.importorskip("distributed")
fsspec = pytest.importorskip("fsspec")


@pytest.fixture(scope="module")
def cluster() -> Iterator[Any]:
    """Two worker processes of one thread each, for the whole module. A task whose worker
    dies fails at once (no retry), so that a killed worker shows in the result."""
    import dask

    with (
        dask.config.set({"distributed.scheduler.allowed-failures": 0}),
        distributed.LocalCluster(
            n_workers=2, processes=True, threads_per_worker=1, dashboard_address=":0"
        ) as local,
        distributed.Client(local) as client,
    ):
        yield client


def test_two_worker_processes_write_what_one_process_writes(
    tmp_path: Path, cluster: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = pages(tmp_path / "pages")
    assert extract_to(tmp_path / "here", folder) == 1  # the empty page
    with distributed.get_task_stream(cluster) as stream:
        code = extract_to(tmp_path / "there", folder, options=("--dask", _address(cluster)))
    assert code == 1
    assert f"skipped: {folder / 'empty.html'}: empty file" in capsys.readouterr().err
    assert lines(tmp_path / "there") == lines(tmp_path / "here")
    assert len(lines(tmp_path / "here")) == 23
    assert tree(tmp_path / "there") == tree(tmp_path / "here")  # names and skipped lists too
    workers = {task["worker"] for task in stream.data if task["key"].startswith("feedgen-")}
    assert len(workers) == 2

    # and published as the pages are
    source = SourceConfig("p", folder, DEFAULT_PATTERNS)
    from_pages = build(replace(example_config(tmp_path / "a"), sources=(source,)), now=FIXED_NOW)
    from_lines = build(articles_config(tmp_path / "b", tmp_path / "there"), now=FIXED_NOW)
    assert tree(tmp_path / "b" / "output") == tree(tmp_path / "a" / "output")
    assert from_lines.exit_code == from_pages.exit_code


def test_memory_urls_in_and_out_on_workers_in_this_process(tmp_path: Path) -> None:
    """fsspec's memory file system lives in one process: workers must be threads here."""
    from feedgen_pipeline.cluster import run_on_cluster

    folder = tmp_path / "pages"
    write_articles(folder, 8)
    fs = fsspec.filesystem("memory")
    for page in folder.iterdir():
        fs.pipe_file(f"/feedgen-cluster-in/{page.name}", page.read_bytes())
    assert extract_to(tmp_path / "here", folder) == 0
    job = plan(
        ["memory://feedgen-cluster-in"], [], "memory://feedgen-cluster-out", load_rules(CONFIG)
    )
    with distributed.LocalCluster(
        n_workers=2, processes=False, threads_per_worker=1, dashboard_address=":0"
    ) as local:
        result = finish(job, run_on_cluster(local.scheduler_address, job))
    assert (result.pages, result.articles, result.failed) == (8, 8, ())
    written = sorted(
        line
        for f in fs.glob("/feedgen-cluster-out/*.jsonl")
        for line in fs.cat_file(f).splitlines()
    )
    assert written == lines(tmp_path / "here")


def test_an_unreachable_scheduler_is_an_error_not_a_wait(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import socket

    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    import dask

    from feedgen_pipeline.cluster import ClusterError, _client

    with (
        dask.config.set({"distributed.comm.timeouts.connect": "1s"}),
        pytest.raises(ClusterError, match="no cluster there"),
        _client(f"tcp://127.0.0.1:{port}"),
    ):
        pass


class _DieWhileWriting(distributed.WorkerPlugin):  # type: ignore[misc]
    """Makes a worker process die between writing a partition's temporary file and renaming
    it, for the partitions named ``prefix``, while the file ``marker`` exists (a restarted
    worker gets the plugin again)."""

    def __init__(self, marker: str, prefix: str) -> None:
        self.marker, self.prefix = marker, prefix

    def setup(self, worker: Any) -> None:
        from fsspec.implementations.local import LocalFileSystem

        original = LocalFileSystem.mv
        marker, prefix = self.marker, self.prefix

        def mv(fs: Any, source: str, target: str, **kwargs: Any) -> Any:
            if os.path.exists(marker) and posixpath.basename(target).startswith(prefix):
                os._exit(1)
            return original(fs, source, target, **kwargs)

        self.original = original
        LocalFileSystem.mv = mv  # type: ignore[method-assign]

    def teardown(self, worker: Any) -> None:
        from fsspec.implementations.local import LocalFileSystem

        LocalFileSystem.mv = self.original  # type: ignore[method-assign]


def test_a_worker_killed_mid_write_leaves_no_half_partition_and_a_rerun_finishes(
    tmp_path: Path, cluster: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "pages"
    write_articles(folder, 20)
    assert extract_to(tmp_path / "reference", folder) == 0
    marker = tmp_path / "die"
    marker.touch()
    cluster.register_plugin(_DieWhileWriting(str(marker), "part-000003-"), name="die-while-writing")
    out = tmp_path / "parts"
    options = ("--dask", _address(cluster))
    try:
        assert extract_to(out, folder, options=options) == 2
        # the partition being written fails, and any other the worker had been handed
        failed = re.findall(
            r"error: (part-\d{6})-\w+ not written: KilledWorker", capsys.readouterr().err
        )
        assert "part-000003" in failed
        visible = sorted(p.name for p in out.iterdir() if not p.name.startswith("."))
        # every partition not named is there; one named may be there too, whole, when the
        # worker wrote it and died before it could say so
        assert {f"part-{i:06d}" for i in range(1, 21)} - set(failed) <= {n[:11] for n in visible}
        assert "part-000003" not in {n[:11] for n in visible}
        for line in lines(out):  # whatever is there is whole
            article_from_json(line)
        assert [p.name[:12] for p in out.glob(".*.tmp")] == [".part-000003"]

        marker.unlink()
        cluster.wait_for_workers(2, timeout=60)
        assert extract_to(out, folder, options=options) == 0
        before = f"in 20 partitions ({len(visible)} written before)"
        assert before in capsys.readouterr().err
        assert tree(out) == tree(tmp_path / "reference")
    finally:
        marker.unlink(missing_ok=True)
        cluster.unregister_worker_plugin("die-while-writing")


def _address(client: Any) -> str:
    return str(client.scheduler.address)


def test_a_worker_whose_code_differs_refuses_to_write() -> None:
    from feedgen_pipeline.cluster import RulesPlugin
    from feedgen_pipeline.state.fingerprint import fingerprints

    rules = load_rules(None)
    plugin = RulesPlugin(rules, fingerprints(rules).article)
    plugin.setup(None)
    assert plugin.same_code
    plugin = RulesPlugin(rules, "the fingerprint of other code")
    plugin.setup(None)
    assert not plugin.same_code
