"""Run a sweep: pending runs in chunks through a backend, results streamed to the folder.

Backends: serial (in this process), a local process pool, or Dask distributed. Only a
bounded number of chunks is in flight and finished chunks are written in batches, so
memory stays flat however many runs the sweep has. Whatever stops the sweep (a worker
that dies, Ctrl-C), finished results are written first and the manifest says
"incomplete"; `--resume` then runs exactly the runs that are missing.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import shutil
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from wargame.errors import WargameError
from wargame.sweep.design import run_seed
from wargame.sweep.manifest import new_manifest
from wargame.sweep.spec import SweepSpec
from wargame.sweep.store import MANIFEST, ResultStore, read_manifest, write_json_atomic
from wargame.sweep.worker import ChunkResult, Task, run_chunk

#: A batch is written when it holds this many runs, this many bytes, or is this old.
FLUSH_RUNS = 5000
FLUSH_BYTES = 32 * 2**20
FLUSH_SECONDS = 5.0


@dataclass
class SweepResult:
    """How a sweep ended, for the CLI's last lines and the benchmark."""

    folder: Path
    status: str
    total: int
    completed: int
    failed: int
    ran: int  # runs executed by this invocation
    wall_seconds: float
    model_seconds: float  # summed over workers
    workers: int
    first_error: str | None


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def pending_tasks(points: list[dict[str, Any]], spec: SweepSpec, done: set[int]) -> Iterator[Task]:
    """The runs not yet written, in run_id order (run_id = point_id * replications + rep)."""
    for point_id, parameters in enumerate(points):
        for replication in range(spec.replications):
            run_id = point_id * spec.replications + replication
            if run_id not in done:
                seed = run_seed(spec.base_seed, point_id, replication)
                yield run_id, point_id, replication, seed, parameters


def chunked(tasks: Iterable[Task], size: int) -> Iterator[list[Task]]:
    chunk: list[Task] = []
    for task in tasks:
        chunk.append(task)
        if len(chunk) == size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def default_chunk_size(runs: int, workers: int) -> int:
    """About 8 chunks per worker (for balance at the end), at most 50 runs (under a second)."""
    return max(1, min(50, runs // (workers * 8)))


# --- backends: each maps run_chunk over chunks with a bounded number in flight --------------
Backend = Callable[[Iterator[list[Task]], bool], Iterator[ChunkResult]]


def serial_backend(chunks: Iterator[list[Task]], keep_series: bool) -> Iterator[ChunkResult]:
    for chunk in chunks:
        yield run_chunk(chunk, keep_series)


def _single_threaded() -> bool:
    """No other Python thread (a Dask client, a logger): only then is fork safe here.

    Native threads of numpy's BLAS and Arrow are not counted; both libraries reset their
    thread pools in a forked child.
    """
    return threading.active_count() == 1


def pool_backend(workers: int) -> Backend:
    """A local process pool. Fork where it is safe: workers start in milliseconds with the
    model already imported, instead of re-importing Mesa as spawn does (~1 s each)."""

    def run(chunks: Iterator[list[Task]], keep_series: bool) -> Iterator[ChunkResult]:
        methods = multiprocessing.get_all_start_methods()
        if "fork" in methods and _single_threaded():
            context = multiprocessing.get_context("fork")
        elif "forkserver" in methods:  # forking a threaded process can deadlock the child
            context = multiprocessing.get_context("forkserver")
            context.set_forkserver_preload(["wargame.sweep.worker"])
        else:
            context = multiprocessing.get_context("spawn")
        with ProcessPoolExecutor(workers, mp_context=context) as pool:
            in_flight = set()
            for chunk in chunks:
                in_flight.add(pool.submit(run_chunk, chunk, keep_series))
                if len(in_flight) >= 2 * workers:
                    finished, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                    yield from (future.result() for future in finished)
            while in_flight:
                finished, in_flight = wait(in_flight, return_when=FIRST_COMPLETED)
                yield from (future.result() for future in finished)

    return run


def dask_backend(address: str, workers: int) -> Backend:
    """Dask distributed: an existing scheduler, or `local` for a LocalCluster on loopback."""

    def run(chunks: Iterator[list[Task]], keep_series: bool) -> Iterator[ChunkResult]:
        try:
            from distributed import Client, LocalCluster, as_completed
        except ImportError:
            raise WargameError(
                "--scheduler needs Dask: pip install 'wargame[dask]'"
            ) from None
        cluster = None
        if address == "local":
            cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address=None, silence_logs=logging.ERROR,
            )
        try:
            client = Client(cluster if cluster is not None else address, timeout="10s")
        except OSError as exc:
            raise WargameError(f"--scheduler {address}: cannot connect ({exc})") from None
        try:
            slots = 2 * max(1, len(client.scheduler_info()["workers"]))
            futures = as_completed()
            for chunk in chunks:
                futures.add(client.submit(run_chunk, chunk, keep_series, pure=False))
                if futures.count() >= slots:
                    yield next(futures).result()
            for future in futures:
                yield future.result()
        finally:
            client.close()
            if cluster is not None:
                cluster.close()

    return run


def choose_backend(workers: int, scheduler: str | None) -> Backend:
    if scheduler:
        return dask_backend(scheduler, workers)
    return serial_backend if workers == 1 else pool_backend(workers)


# --- the sweep -------------------------------------------------------------------------------
def prepare_folder(folder: Path, spec: SweepSpec, points: list[dict[str, Any]],
                   resume: bool) -> dict[str, Any]:
    """Create the folder and manifest, or check that a resumed folder holds this very sweep."""
    fresh = new_manifest(spec, points)
    if resume:
        manifest = read_manifest(folder)
        if manifest.get("spec") != fresh["spec"] or manifest.get("points") != fresh["points"]:
            raise WargameError(
                f"{folder}: holds a different sweep ({manifest.get('sweep')!r}, another spec "
                "or code version); resume it with its own file or choose another --out"
            )
        return manifest
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise WargameError(
            f"{folder}: already exists and is not empty; use --resume to complete it, "
            "or choose another --out"
        )
    folder.mkdir(parents=True, exist_ok=True)
    write_json_atomic(folder / MANIFEST, fresh)
    return fresh


def run_sweep(
    spec: SweepSpec,
    points: list[dict[str, Any]],
    folder: Path,
    *,
    workers: int,
    scheduler: str | None = None,
    resume: bool = False,
    chunk_size: int | None = None,
    flush_seconds: float = FLUSH_SECONDS,
    progress: bool = True,
) -> SweepResult:
    """Run every run of `points` that `folder` does not hold yet and write it there."""
    created = not folder.exists()
    manifest = prepare_folder(folder, spec, points, resume)
    store = ResultStore(folder, spec.keep_series)
    done, failed = store.committed()
    total = manifest["total_runs"]
    completed = len(done)
    todo = total - completed
    size = chunk_size or default_chunk_size(todo, workers)
    chunks = chunked(pending_tasks(points, spec, done), size)
    backend = choose_backend(workers, scheduler)

    manifest.update(status="running", finished=None, completed_runs=completed,
                    failed_runs=failed, backend=scheduler or ("serial" if workers == 1 else
                                                               "process pool"), workers=workers)
    manifest.setdefault("resumed", [])
    if resume:
        manifest["resumed"].append(_now())
    write_json_atomic(folder / MANIFEST, manifest)

    buffer: dict[str, list[pa.Table]] = {name: [] for name in store.datasets}
    buffered_runs = buffered_bytes = 0
    last_flush = start = time.perf_counter()
    model_seconds = 0.0
    ran = 0
    first_error = None

    def flush() -> None:
        nonlocal buffered_runs, buffered_bytes, last_flush, completed
        if buffered_runs:
            store.write_batch(buffer)
            completed += buffered_runs
            for tables in buffer.values():
                tables.clear()
            buffered_runs = buffered_bytes = 0
            manifest.update(completed_runs=completed, failed_runs=failed)
            write_json_atomic(folder / MANIFEST, manifest)
        last_flush = time.perf_counter()

    from tqdm import tqdm

    tqdm.monitor_interval = 0  # no monitor thread, so that pool workers can be forked safely
    status = "incomplete"
    bar = None  # shown from the first result: a backend that cannot start prints one line
    try:
        for result in backend(chunks, spec.keep_series):
            if bar is None:
                bar = tqdm(total=total, initial=completed, unit="run", disable=not progress,
                           file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
            tables = {"runs": result.runs, "states": result.states, "steps": result.steps}
            for name in store.datasets:
                buffer[name].append(tables[name])
                buffered_bytes += tables[name].nbytes
            n = result.runs.num_rows
            buffered_runs += n
            ran += n
            failed += result.failed
            model_seconds += result.model_seconds
            if result.failed and first_error is None:
                errors = result.runs.column("error").drop_null()
                first_error = errors[0].as_py()
            bar.update(n)
            if result.failed:
                bar.set_postfix(failed=failed, refresh=False)
            if (buffered_runs >= FLUSH_RUNS or buffered_bytes >= FLUSH_BYTES
                    or time.perf_counter() - last_flush >= flush_seconds):
                flush()
        status = "complete" if failed == 0 else "failed"
    except WargameError:
        if created and ran == 0:  # e.g. no Dask scheduler there: leave no folder behind
            shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        if bar is not None:
            bar.close()
        wall = time.perf_counter() - start
        if folder.exists():  # finished results are kept however the loop ended
            flush()
            if completed < total:
                status = "incomplete"
            manifest.update(status=status, finished=_now(), completed_runs=completed,
                            failed_runs=failed,
                            timing={"wall_seconds": round(wall, 3),
                                    "model_seconds": round(model_seconds, 3)})
            write_json_atomic(folder / MANIFEST, manifest)
    return SweepResult(folder, status, total, completed, failed, ran, wall, model_seconds,
                       workers, first_error)


def default_workers() -> int:
    return os.cpu_count() or 1
