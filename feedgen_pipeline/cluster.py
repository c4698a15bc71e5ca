"""``extract --dask``: the partitions of an extraction (``extraction.py``) run on a Dask cluster.

The rules go to each worker once, in a worker plugin (and to every worker that joins later);
each task extracts one partition and writes it from the worker, so that pages and articles
never pass through this process. A task whose worker dies is run again on another one (Dask's
own retry); a partition that still fails is reported, and running again writes it.

Imported only for ``--dask``: nothing of Dask is loaded otherwise (the ``dask`` extra).
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager

from distributed import Client, Future, LocalCluster, WorkerPlugin, as_completed, get_worker

from .config import Rules
from .errors import FeedgenError
from .extraction import Done, Fetching, Job, Partition, Progress, run_partition
from .state.fingerprint import fingerprints

LOCAL = "local:"
"""``--dask local:N``: a cluster of N worker processes on this machine, for this run."""
# tasks in flight per worker thread: enough that no worker waits for the next, few enough
# that a job of a million pages does not hold all its partitions in the scheduler at once
_AHEAD = 4


class ClusterError(FeedgenError):
    """The cluster cannot be reached or started."""


class RulesPlugin(WorkerPlugin):
    """The rules, kept on each worker for every partition it runs. Registered under the
    fingerprint of the rules and the code (``state/fingerprint.py``): a later run with the
    same finds its rules on the workers, compiled, and a worker whose code differs from this
    process's refuses to write articles that would differ from it."""

    idempotent = True

    def __init__(self, rules: Rules, fingerprint: str) -> None:
        self.rules = rules
        self.fingerprint = fingerprint
        self.same_code = True

    def setup(self, worker: object) -> None:
        self.same_code = fingerprints(self.rules).article == self.fingerprint


def run_on_cluster(address: str, job: Job, on_progress: Progress | None = None) -> list[Done]:
    """Every partition of ``job`` on the cluster at ``address`` (a scheduler's address, or
    ``local:N``), in partition order. Raises ClusterError when there is no cluster there."""
    with _client(address) as client:
        plugin = f"feedgen-pipeline-rules-{job.fingerprint}"
        client.register_plugin(RulesPlugin(job.rules, job.fingerprint), name=plugin)
        threads = sum(client.nthreads().values()) or 1
        token = uuid.uuid4().hex[:8]  # a run's tasks never share a key with an earlier run's
        waiting = iter(job.partitions)
        running: dict[Future[Done], Partition] = {}

        queue = as_completed()

        def submit_next() -> None:
            partition = next(waiting, None)
            if partition is not None:
                key = f"feedgen-extract-{partition.name}-{token}"
                future = client.submit(_run, partition, job.output, plugin, job.fetching, key=key)
                running[future] = partition
                queue.add(future)

        for _ in range(threads * _AHEAD):
            submit_next()
        done: dict[str, Done] = {}
        pages = 0
        for future in queue:
            partition = running.pop(future)
            try:
                result: Done = future.result()
            except Exception as e:  # the task failed on every worker it was given to
                why = f"{type(e).__name__}: {e}"
                result = Done(partition.name, len(partition.pages), error=why)
            done[partition.name] = result
            pages += len(partition.pages)
            if on_progress:
                on_progress(pages, job.pages)
            submit_next()
    return [done[p.name] for p in job.partitions]


def _run(partition: Partition, output: str, plugin: str, fetching: Fetching | None) -> Done:
    """A task: one partition, with the rules the worker keeps."""
    rules_plugin = get_worker().plugins[plugin]
    assert isinstance(rules_plugin, RulesPlugin)
    if not rules_plugin.same_code:
        raise RuntimeError("the worker runs another version of feedgen-pipeline than the client")
    return run_partition(partition, rules_plugin.rules, output, fetching)


@contextmanager
def _client(address: str) -> Iterator[Client]:
    cluster = None
    try:
        if address.startswith(LOCAL):
            workers = int(address[len(LOCAL) :])
            cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True)
            client = Client(cluster)
        else:
            client = Client(address)  # waits distributed.comm.timeouts.connect (30 s)

    except (OSError, ValueError) as e:  # TimeoutError is an OSError
        raise ClusterError(f"--dask {address}: no cluster there ({e})") from e
    try:
        yield client
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
