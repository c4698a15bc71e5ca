"""Pages per second of ``extract --dask`` on real pages, with one and two workers, beside
``build --jobs 1`` and ``--jobs 2`` over the same pages. Prints figures and the targets beside
them; asserts nothing. Needs the dask extra (``pip install -e '.[dask]'``).

    python bench/bench_dask.py            # 3 runs of each
    python bench/bench_dask.py --runs 5
    python bench/bench_dask.py --copies 10   # each page 10 times: 1,110 pages

The pages are the saved HTML pages of ``../shared/corpus/dev`` and ``fundus-en`` beside the
repository (111 pages, 40 MB), copied into a temporary folder (skipped, saying so, without
them). Every figure is the median of ``--runs`` whole processes, interpreter start included,
each writing into an empty folder: wall time, and the CPU time of every process the run used
(the command's, its workers', a running cluster's workers'), which another load on the machine
moves less than the wall time:

- ``extract --output-dir`` in one process (the reference the cluster's output equals);
- ``extract --dask local:1`` and ``local:2``: a cluster of 1 or 2 worker processes started for
  the run and closed after it (what a laptop user gets);
- ``extract --dask ADDRESS`` on a cluster of 1 or 2 worker processes already running (started
  here once, a first run warming its workers): what a run on a standing cluster costs;
- ``build --jobs 1`` and ``--jobs 2`` (fresh: empty state and output), which read, extract and
  enrich the same pages and then write the site.

Targets (issue 15, in wall time): two workers at least 1.8x one; the Dask run within 15% of
``build --jobs 2``. The machine's other load moves these figures: the load average is printed
first.

"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.bench_build import ENV
from bench.corpora import REPO

CORPUS = REPO.parent / "shared" / "corpus"
SETS = ("dev", "fundus-en")
SPEED_UP = 1.8
OVERHEAD = 0.15


def copy_pages(folder: Path, copies: int = 1) -> int:
    """The sets' HTML pages into ``folder``/<set>/ (``copies`` times, under other names, each
    copy a page of its own); how many."""
    count = 0
    for name in SETS:
        (folder / name).mkdir(parents=True)
        for page in sorted((CORPUS / name).glob("*.html")):
            for copy in range(copies):
                suffix = f"-{copy}" if copy else ""
                shutil.copy(page, folder / name / f"{page.stem}{suffix}{page.suffix}")
                count += 1
    return count


Run = Callable[[Path], None]
"""One run, writing into a fresh folder of its own."""


def command(*args: str) -> Run:
    """A run of the command line in a process of its own; ``{out}`` in ``args`` is replaced by
    the run's folder."""

    def run(out: Path) -> None:
        argv = [a.replace("{out}", str(out)) for a in args]
        result = subprocess.run(
            [sys.executable, "-m", "feedgen_pipeline", *argv],
            env=ENV,
            cwd=out,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(argv)}: exit {result.returncode}\n{result.stderr}")

    return run


def _cpu(who: int = resource.RUSAGE_SELF) -> float:
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime


def measure(
    run: Run, runs: int, tmp: Path, elsewhere: Callable[[], float] = lambda: 0.0
) -> tuple[float, float]:
    """Median wall seconds and median CPU seconds of ``runs`` runs: the CPU of the command's
    process and of the processes it waited for (its workers), and ``elsewhere``'s (the CPU
    seconds so far of processes it did not start: a running cluster's workers)."""
    walls, cpus = [], []
    for _ in range(runs):
        out = Path(tempfile.mkdtemp(dir=tmp))
        cpu = _cpu(resource.RUSAGE_CHILDREN) + elsewhere()
        started = time.perf_counter()
        run(out)
        walls.append(time.perf_counter() - started)
        cpus.append(_cpu(resource.RUSAGE_CHILDREN) + elsewhere() - cpu)
        shutil.rmtree(out)
    return statistics.median(walls), statistics.median(cpus)


def _resident_mb() -> float:
    """Run on a worker: its largest resident set so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--copies",
        type=int,
        default=1,
        help="each page this many times (under other names): a job long enough that starting"
        " and reaching the cluster weigh as they would on a real one",
    )
    args = parser.parse_args()
    runs = args.runs
    if not all((CORPUS / name).is_dir() for name in SETS):
        print(f"skipped: {CORPUS}/{{{','.join(SETS)}}} not found")
        return
    try:
        from distributed import Client, LocalCluster
    except ImportError:
        print("skipped: needs the dask extra (pip install -e '.[dask]')")
        return
    print(f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; {runs} runs each")
    with tempfile.TemporaryDirectory() as name:
        tmp = Path(name)
        pages = tmp / "pages"
        count = copy_pages(pages, args.copies)
        config = tmp / "config.yaml"
        config.write_text(
            "feed:\n  title: Bench\n  base_url: https://example.org/\n"
            f"sources:\n  - path: {pages}\n    patterns: ['*.html']\n"
            "output:\n  dir: output\n  state_dir: state\n",
            "utf-8",
        )
        extract = ("extract", str(pages), "--output-dir", "{out}/parts")
        build = ("build", "--config", "{out}/config.yaml", "--quiet")

        def building(jobs: int) -> Run:
            run = command(*build, "--jobs", str(jobs))

            def fresh(out: Path) -> None:  # a config of the run's own: state and output in out
                shutil.copy(config, out / "config.yaml")
                run(out)

            return fresh

        figures: dict[str, tuple[float, float]] = {}
        variants: dict[str, Run] = {
            "extract, one process": command(*extract),
            "extract --dask local:1": command(*extract, "--dask", "local:1"),
            "extract --dask local:2": command(*extract, "--dask", "local:2"),
            "build --jobs 1": building(1),
            "build --jobs 2": building(2),
        }
        for label, run in variants.items():
            figures[label] = measure(run, runs, tmp)
        for workers in (1, 2):
            with (
                LocalCluster(
                    n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=":0"
                ) as cluster,
                Client(cluster) as client,
            ):
                run = command(*extract, "--dask", str(cluster.scheduler_address))
                measure(run, 1, tmp)  # the workers import and compile once

                def workers_cpu() -> float:
                    return float(sum(client.run(_cpu).values()))

                label = f"extract, running cluster of {workers}"
                figures[label] = measure(run, runs, tmp, workers_cpu)
                peak = max(client.run(_resident_mb).values())
                print(f"running cluster of {workers}: largest worker {peak:.0f} MB resident")

    copies = f", each {args.copies} times" if args.copies > 1 else ""
    print(f"\n{count} pages ({' + '.join(SETS)}{copies})\n")
    print(f"{'':40} {'seconds':>8} {'pages/s':>8} {'CPU s':>8} {'CPU ms/page':>12}")
    for label, (wall, cpu) in figures.items():
        print(f"{label:40} {wall:8.2f} {count / wall:8.1f} {cpu:8.2f} {1000 * cpu / count:12.1f}")

    def check(label: str, value: float, target: str, ok: bool) -> None:
        print(f"{label:58} {value:6.2f}  target {target}{'' if ok else '  !'}")

    print()
    for what, one, two in (
        ("started for the run", "extract --dask local:1", "extract --dask local:2"),
        ("running", "extract, running cluster of 1", "extract, running cluster of 2"),
    ):
        speed_up = figures[one][0] / figures[two][0]
        label = f"2 workers against 1, cluster {what} (x)"
        check(label, speed_up, f">= {SPEED_UP}", speed_up >= SPEED_UP)
    for what, dask in (
        ("started for the run", "extract --dask local:2"),
        ("running", "extract, running cluster of 2"),
    ):
        overhead = figures[dask][0] / figures["build --jobs 2"][0] - 1
        label = f"2 workers, cluster {what}, against build --jobs 2 (+%)"
        check(label, 100 * overhead, f"<= {100 * OVERHEAD:.0f}", overhead <= OVERHEAD)


if __name__ == "__main__":
    main()
