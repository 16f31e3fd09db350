"""Run a sweep: pending runs in chunks through a backend, results streamed to the folder.

Backends: serial (in this process), a local process pool, or Dask distributed. Only a
bounded number of chunks is in flight and finished chunks are written in batches, so
memory stays flat however many runs the sweep has. Whatever stops the sweep (a worker
that dies, Ctrl-C), finished results are written first and the manifest says
"incomplete"; `--resume` then runs exactly the runs that are missing.
"""

from __future__ import annotations

import gc
import json
import logging
import os
import shutil
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import Any

import pyarrow as pa

from wargame.errors import WargameError
from wargame.sweep.design import run_seed
from wargame.sweep.folder import LOCK, MANIFEST, FolderLock, read_manifest
from wargame.sweep.manifest import citation, new_manifest
from wargame.sweep.own_runs import Design
from wargame.sweep.pool import ChunkPool, signals_blocked, start_context
from wargame.sweep.spec import SweepSpec
from wargame.sweep.store import ResultStore, write_json_atomic
from wargame.sweep.worker import ChunkResult, Task, run_chunk

#: manifest "plots": the standard figures were asked for and are not drawn yet (a stop while
#: they were drawn leaves it so, and the next --resume draws them), or are drawn.
PLOTS_TO_DRAW, PLOTS_DRAWN = "to draw", "drawn"

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
    plots_to_draw: bool = False  # --plots was asked for (now or before) and not yet done


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def pending_tasks(points: list[dict[str, Any]], spec: SweepSpec, done: set[int]) -> Iterator[Task]:
    """The runs not yet written, in run_id order (run_id = point_id * replications + rep)."""
    for point_id, point in enumerate(points):
        for replication in range(spec.replications):
            run_id = point_id * spec.replications + replication
            if run_id not in done:
                seed = run_seed(spec.base_seed, spec.seed_point(point_id), replication)
                yield run_id, point_id, replication, seed, spec.run_parameters(point, replication)


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


# --- backends: each maps a chunk's work (run_chunk of the sweep's model kind) over chunks,
# with a bounded number in flight ------------------------------------------------------------
Work = Callable[[list[Task]], ChunkResult]
Backend = Callable[[Iterator[list[Task]], Work], Iterator[ChunkResult]]


def chunk_work(spec: SweepSpec) -> Work:
    """What a worker does with one chunk of `spec`'s runs (picklable, for pools and Dask)."""
    return partial(run_chunk, keep_series=spec.keep_series, model=spec.model)


def serial_backend(chunks: Iterator[list[Task]], work: Work) -> Iterator[ChunkResult]:
    for chunk in chunks:
        yield work(chunk)


def pool_backend(workers: int) -> Backend:
    """A local process pool (`wargame.sweep.pool`): forked where it is safe, so workers start
    in milliseconds with the model already imported.

    Workers die with this process (see `worker.init_worker`), and when the sweep stops for
    any reason (a signal, a dead worker, Ctrl-C) the pool is killed at once rather than
    waiting for the chunks in flight: their runs are simply run again on resume.
    """

    def run(chunks: Iterator[list[Task]], work: Work) -> Iterator[ChunkResult]:
        context = start_context()
        gc.freeze()  # the imported modules: never scanned again, here or in forked workers
        pool = None
        finished_normally = False
        try:
            pool = ChunkPool(workers, context,
                             None if context.get_start_method() == "forkserver"
                             else os.getpid(), work)
            yield from pool.run(chunks)
            finished_normally = True
        finally:
            if pool is not None:
                pool.close() if finished_normally else pool.kill()
            gc.unfreeze()  # this process may live on (the API, a notebook): collect as usual

    return run


@contextmanager
def dask_quiet() -> Iterator[None]:
    """Dask's loggers in this process (its scheduler, client and event loop) say nothing
    below CRITICAL while a sweep uses them: a stop closes the cluster while tasks run, which
    Dask reports in lines of errors; the sweep reports it in one."""
    names = [name for name in logging.root.manager.loggerDict
             if name.split(".")[0] in ("distributed", "tornado", "asyncio", "bokeh")]
    loggers = [logging.getLogger(name) for name in ("distributed", "tornado", "asyncio", *names)]
    levels = [(logger, logger.level) for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in levels:
            logger.setLevel(level)


@contextmanager
def stderr_for_children_silenced() -> Iterator[None]:
    """Processes started in the block write their standard error to the null device.

    A LocalCluster's worker processes are in the sweep's process group, so a Ctrl-C reaches
    them too, and Dask's spawned workers cannot be made to ignore it (spawn resets the
    signal mask and Python installs its own handler): each would print a traceback. The
    sweep reports the stop in one line, and a failed run is a row with its error."""
    sys.stderr.flush()
    saved = os.dup(2)
    null = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(null, 2)
        yield
    finally:
        os.close(null)
        os.dup2(saved, 2)
        os.close(saved)


def dask_backend(address: str, workers: int) -> Backend:
    """Dask distributed: an existing scheduler, or `local` for a LocalCluster on loopback.

    The cluster starts with the sweep's stop signals blocked (so a stop cannot cut its start
    in half) and its workers' standard error silenced; the sweep closes it however it ends.
    """

    def run(chunks: Iterator[list[Task]], work: Work) -> Iterator[ChunkResult]:
        try:
            from distributed import Client, LocalCluster, as_completed
        except ImportError:
            raise WargameError(
                "--scheduler needs Dask: pip install 'wargame[dask]'"
            ) from None
        with dask_quiet():
            cluster = client = None
            try:
                with signals_blocked(), stderr_for_children_silenced():
                    if address == "local":
                        cluster = LocalCluster(
                            n_workers=workers, threads_per_worker=1, processes=True,
                            host="127.0.0.1", dashboard_address=None,
                            silence_logs=logging.CRITICAL,
                        )
                    try:
                        client = Client(cluster if cluster is not None else address,
                                        timeout="10s")
                    except (OSError, ValueError, TypeError) as exc:
                        raise WargameError(f"--scheduler {address}: cannot connect ({exc})") \
                            from None
                slots = 2 * max(1, len(client.scheduler_info()["workers"]))
                futures = as_completed()
                for chunk in chunks:
                    futures.add(client.submit(work, chunk, pure=False))
                    if futures.count() >= slots:
                        yield next(futures).result()
                for future in futures:
                    yield future.result()
            finally:
                with signals_blocked():
                    if client is not None:
                        client.close()
                    if cluster is not None:
                        cluster.close()

    return run


def choose_backend(workers: int, scheduler: str | None) -> Backend:
    if scheduler:
        return dask_backend(scheduler, workers)
    return serial_backend if workers == 1 else pool_backend(workers)


# --- the sweep -------------------------------------------------------------------------------
def first_difference(old: Any, new: Any, where: str) -> str | None:
    """The first field in which two JSON values differ, as one phrase, or None."""
    def show(value: Any) -> str:
        text = json.dumps(value)
        return text if len(text) <= 60 else text[:57] + "..."

    if isinstance(old, dict) and isinstance(new, dict):
        for key in [*old, *(k for k in new if k not in old)]:
            if key not in old or key not in new:
                return (f"{where}.{key}: {show(old[key]) if key in old else 'absent'} in the "
                        f"folder, {show(new[key]) if key in new else 'absent'} now")
            found = first_difference(old[key], new[key], f"{where}.{key}")
            if found:
                return found
        return None
    if isinstance(old, list) and isinstance(new, list):
        if len(old) != len(new):
            return f"{where}: {len(old)} entries in the folder, {len(new)} now"
        for i, (a, b) in enumerate(zip(old, new, strict=True)):
            found = first_difference(a, b, f"{where}[{i}]")
            if found:
                return found
        return None
    return None if old == new else f"{where}: {show(old)} in the folder, {show(new)} now"


def _has_content(folder: Path) -> bool:
    """Anything in the folder but a lock file left by an earlier process."""
    return any(entry.name != LOCK for entry in folder.iterdir())


def _cannot_write(folder: Path, exc: OSError) -> WargameError:
    where = ""
    if exc.filename and Path(exc.filename).parent != folder:
        where = f"{Path(exc.filename).parent.name}/: "
    return WargameError(f"--out {folder}: cannot write there ({where}{exc.strerror or exc})")


def prepare_folder(folder: Path, spec: SweepSpec, points: list[dict[str, Any]],
                   resume: bool, lock: FolderLock) -> dict[str, Any]:
    """Lock the folder, then create it and its manifest, or check that a resumed folder
    holds this very sweep. Every refusal is one line (WargameError)."""
    fresh = new_manifest(spec, points)
    if resume:
        if not folder.is_dir():
            raise WargameError(f"--out {folder}: no such result folder to resume")
        lock.acquire()
        manifest = read_manifest(folder)
        for key in ("spec", "points"):
            difference = first_difference(manifest.get(key), fresh[key], key)
            if difference:
                raise WargameError(
                    f"{folder}: holds a different sweep ({manifest.get('sweep')!r}; "
                    f"{difference}); resume it with its own file or choose another --out"
                )
        return manifest
    if folder.exists() and (not folder.is_dir() or _has_content(folder)):
        raise WargameError(
            f"{folder}: already exists and is not empty; use --resume to complete it, "
            "or choose another --out"
        )
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _cannot_write(folder, exc) from None
    lock.acquire()
    if _has_content(folder):  # another sweep started here between our check and our lock
        raise WargameError(f"{folder}: another sweep started writing this folder; "
                           "choose another --out")
    try:
        write_json_atomic(folder / MANIFEST, fresh)
    except OSError as exc:
        raise _cannot_write(folder, exc) from None
    return fresh


@contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM while a batch is written, so that it is written whole, once.

    A signal that arrives meanwhile is noted and raised again when the batch is written.
    (Blocking the signals with pthread_sigmask is not enough: another thread, such as a
    Dask client's, would receive them and Python would still run the handler in the main
    thread.)
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    pending: list[int] = []

    def hold(signum: int, frame: object) -> None:
        pending.append(signum)

    previous = {signum: signal.signal(signum, hold) for signum in (signal.SIGINT,
                                                                    signal.SIGTERM)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if pending:
            signal.raise_signal(pending[0])


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
    on_start: Callable[[SweepStart], None] | None = None,
    plots: bool = False,
) -> SweepResult:
    """Run every run of `points` that `folder` does not hold yet and write it there.

    The folder is locked for the whole call (a second writer gets one line); on resume
    every part is verified first and damaged ones are moved aside (`ResultStore.committed`).
    `on_start` is called once the folder is ready, before any run. `plots`: the caller
    will draw the standard figures afterwards (recorded, so that a stop while they are
    drawn leaves the folder saying so: `mark_plots_drawn`).
    """
    created = not folder.exists()
    lock = FolderLock(folder)
    try:
        try:
            manifest = prepare_folder(folder, spec, points, resume, lock)
        except WargameError:
            if created and folder.is_dir() and lock.fd is not None:
                shutil.rmtree(folder, ignore_errors=True)  # leave nothing half-made
            raise
        return _run_locked(spec, points, folder, manifest, created=created, workers=workers,
                           scheduler=scheduler, resume=resume, chunk_size=chunk_size,
                           flush_seconds=flush_seconds, progress=progress, on_start=on_start,
                           plots=plots)
    finally:
        lock.release()


@dataclass
class SweepStart:
    """What a sweep is about to do, for the CLI's first line."""

    total: int
    done: int
    failed: int
    set_aside: list[str]


def _run_locked(spec: SweepSpec, points: list[dict[str, Any]], folder: Path,
                manifest: dict[str, Any], *, created: bool, workers: int,
                scheduler: str | None, resume: bool, chunk_size: int | None,
                flush_seconds: float, progress: bool,
                on_start: Callable[[SweepStart], None] | None, plots: bool) -> SweepResult:
    total = len(points) * spec.replications  # the spec and points were checked equal
    manifest["total_runs"] = total
    try:
        store = ResultStore(folder, spec.keep_series, spec.model)
        store.check_writable()
        verified = store.committed(Design.of(manifest))
    except OSError as exc:
        raise _cannot_write(folder, exc) from None
    done, failed = verified.done, verified.failed
    completed = len(done)
    todo = total - completed
    size = chunk_size or default_chunk_size(todo, workers)
    chunks = chunked(pending_tasks(points, spec, done), size)
    if todo <= workers and not scheduler:
        workers = 1  # a pool would cost more to start than these few runs take
    backend = choose_backend(workers, scheduler)

    manifest.update(status="running", finished=None, completed_runs=completed,
                    failed_runs=failed, backend=scheduler or ("serial" if workers == 1 else
                                                               "process pool"), workers=workers)
    if plots:
        manifest["plots"] = PLOTS_TO_DRAW
    if not isinstance(manifest.get("resumed"), list):
        manifest["resumed"] = []
    if resume:
        manifest["resumed"].append(_now())
    if verified.set_aside:
        if not isinstance(manifest.get("set_aside"), list):
            manifest["set_aside"] = []
        manifest["set_aside"].extend(
            {"when": _now(), "what": line} for line in verified.set_aside)
    try:
        write_json_atomic(folder / MANIFEST, manifest)
    except OSError as exc:
        raise _cannot_write(folder, exc) from None
    if on_start is not None:
        on_start(SweepStart(total, completed, failed, verified.set_aside))

    buffer: dict[str, list[pa.Table]] = {name: [] for name in store.datasets}
    buffered_runs = buffered_bytes = 0
    last_flush = start = time.perf_counter()
    model_seconds = 0.0
    ran = 0
    first_error = None

    def flush() -> None:
        nonlocal buffered_runs, buffered_bytes, last_flush, completed
        if buffered_runs:
            with signals_deferred():
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
    results = backend(chunks, chunk_work(spec))
    try:
        for result in results:
            if bar is None:
                bar = tqdm(total=total, initial=completed, unit="run", disable=not progress,
                           file=sys.stderr, dynamic_ncols=True, smoothing=0.1)
            tables = {"runs": result.runs, "states": result.states, "steps": result.steps}
            n = result.runs.num_rows
            # A stop between buffering a result and counting it would let the last flush
            # write runs that the manifest does not count: the two happen together.
            with signals_deferred():
                for name in store.datasets:
                    buffer[name].append(tables[name])
                    buffered_bytes += tables[name].nbytes
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
            results.close()
            shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        results.close()  # a pool stops its workers here if the loop ended early
        if bar is not None:
            bar.close()
        wall = time.perf_counter() - start
        if folder.exists():  # finished results are kept however the loop ended
            try:
                flush()
            finally:
                if completed < total:
                    status = "incomplete"
                manifest.update(status=status, finished=_now(), completed_runs=completed,
                                failed_runs=failed,
                                timing={"wall_seconds": round(wall, 3),
                                        "model_seconds": round(model_seconds, 3)})
                manifest["citation"] = citation(manifest)
                with signals_deferred():
                    write_json_atomic(folder / MANIFEST, manifest)
    return SweepResult(folder, status, total, completed, failed, ran, wall, model_seconds,
                       workers, first_error, manifest.get("plots") == PLOTS_TO_DRAW)


def mark_plots_drawn(folder: Path) -> None:
    """Record in the manifest that the standard figures are drawn (under the folder's lock)."""
    with FolderLock(folder):
        manifest = read_manifest(folder)
        manifest["plots"] = PLOTS_DRAWN
        write_json_atomic(folder / MANIFEST, manifest)


def default_workers() -> int:
    return os.cpu_count() or 1
