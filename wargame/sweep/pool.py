"""A local process pool for sweep chunks that always stops: no helper thread, a pipe per worker.

Why not `concurrent.futures.ProcessPoolExecutor`: its workers send results through one
shared pipe that a manager thread reads. A worker killed while writing its result (a
stop signal to the whole process group, or the sweep killing its pool) leaves half a
message in that pipe, and since the parent holds both ends, the manager thread waits for
the rest for ever; at exit, Python waits for that thread (`_python_exit`), and the
stopped sweep never ends (issue 21: about 1 stop in 10).

Here each worker has its own pipe, of which the parent keeps only its end; a chunk is
sent only to an idle worker (so neither side can block the other), and the parent waits
in its own main thread for a result or a worker's end (`multiprocessing.connection.wait`).
A worker that dies mid-write closes the pipe's last write end, so the parent reads EOF,
never a wait for bytes that will not come. Workers ignore SIGINT and SIGTERM from the
moment they exist (the signals are blocked while they start); the sweep ends them: on a
stop it kills them at once (their chunks run again on resume), at the end it closes their
pipes and they exit.
"""

from __future__ import annotations

import multiprocessing
import signal
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection, wait
from typing import Any

from wargame.sweep.worker import ChunkResult, Task, init_worker

#: What a worker does with a chunk (`wargame.sweep.execute.chunk_work`: picklable).
Work = Callable[[list[Task]], ChunkResult]

#: Seconds a worker has to exit after its pipe is closed (a finished sweep).
EXIT_SECONDS = 10
STOP_SIGNALS = {signal.SIGINT, signal.SIGTERM}


class WorkerDied(RuntimeError):
    """A worker ended while it ran a chunk (killed, or out of memory)."""


@contextmanager
def signals_blocked() -> Iterator[None]:
    """Block SIGINT and SIGTERM in this thread: a process started meanwhile inherits the
    block, so it cannot be stopped before it chose to ignore them; the parent gets any that
    arrived once the block ends."""
    if not hasattr(signal, "pthread_sigmask"):  # Windows: no process groups to fear
        yield
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, STOP_SIGNALS)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def serve(conn: Connection, parent_pid: int | None, work: Work,
          inherited: list[Connection]) -> None:
    """A worker: run each chunk the sweep sends and send back its rows, until EOF.

    `inherited`: the parent's ends of the pipes a forked worker got with the fork; closed,
    so that each worker sees EOF as soon as the sweep closes its own end."""
    init_worker(parent_pid)  # ignore SIGINT and SIGTERM, die with the sweep
    for other in inherited:
        other.close()
    if hasattr(signal, "pthread_sigmask"):
        signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    while True:
        try:
            chunk = conn.recv()
        except (EOFError, OSError):
            return  # the sweep closed the pipe: done
        try:
            result: Any = work(chunk)
        except Exception as exc:  # a failing run is a row; this is the worker itself failing
            result = WorkerDied(f"a worker failed: {type(exc).__name__}: {exc}")
        conn.send(result)


class Worker:
    """One worker process and the parent's end of its pipe."""

    def __init__(self, context: Any, parent_pid: int | None, work: Work,
                 siblings: list[Worker]) -> None:
        self.conn, child = context.Pipe()
        forked = context.get_start_method() == "fork"
        inherited = [self.conn, *(w.conn for w in siblings)] if forked else []
        self.process = context.Process(target=serve, daemon=True, name="wargame-sweep-worker",
                                       args=(child, parent_pid, work, inherited))
        with signals_blocked():
            self.process.start()
        child.close()  # the worker holds the only other end: its death is EOF here

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()


class ChunkPool:
    """Workers that run chunks one at a time each; `run` yields results as they finish."""

    def __init__(self, workers: int, context: Any, parent_pid: int | None,
                 work: Work) -> None:
        self.workers: list[Worker] = []
        try:
            for _ in range(workers):
                self.workers.append(Worker(context, parent_pid, work, self.workers))
        except BaseException:
            self.kill()
            raise

    def run(self, chunks: Iterator[list[Task]]) -> Iterator[ChunkResult]:
        idle = list(self.workers)
        busy: dict[Connection, Worker] = {}
        more = True
        while True:
            while more and idle:
                chunk = next(chunks, None)
                if chunk is None:
                    more = False
                    break
                worker = idle.pop()
                try:
                    worker.conn.send(chunk)
                except OSError:  # it died idle: a dead worker, not the user's broken pipe
                    raise self._died(worker) from None
                busy[worker.conn] = worker
            if not busy:
                return
            sentinels = {w.process.sentinel: w for w in busy.values()}
            ready = wait([*busy, *sentinels])
            for conn in [r for r in ready if r in busy]:
                worker = busy.pop(conn)
                try:
                    result = conn.recv()
                except (EOFError, OSError):
                    raise self._died(worker) from None
                if isinstance(result, WorkerDied):
                    raise result
                idle.append(worker)
                yield result
            for sentinel in ready:
                worker = sentinels.get(sentinel)
                if worker is not None and worker.conn in busy and not worker.conn.poll():
                    raise self._died(worker)

    @staticmethod
    def _died(worker: Worker) -> WorkerDied:
        worker.process.join(1)
        code = worker.process.exitcode
        how = (f"killed by {signal.Signals(-code).name}" if code is not None and code < 0
               else f"exit status {code}")
        return WorkerDied(f"a worker process ended while running runs ({how})")

    def kill(self) -> None:
        """Stop every worker now (their chunks are lost, to be run again on resume)."""
        with signals_blocked():
            for worker in self.workers:
                worker.stop()
            for worker in self.workers:
                worker.process.join(5)
                worker.conn.close()

    def close(self) -> None:
        """End the workers of a finished sweep: close their pipes and let them exit."""
        with signals_blocked():
            for worker in self.workers:
                worker.conn.close()
            for worker in self.workers:
                worker.process.join(EXIT_SECONDS)
                worker.stop()


def start_context() -> Any:
    """Fork where it is safe (no other Python thread): workers start in milliseconds with
    the model imported; else forkserver (forking a threaded process can deadlock the
    child), else spawn."""
    import threading

    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        context = multiprocessing.get_context("forkserver")
        context.set_forkserver_preload(["wargame.sweep.pool"])
        return context
    return multiprocessing.get_context("spawn")
