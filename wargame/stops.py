"""Stops: Ctrl-C (SIGINT) and SIGTERM end a command with one line and status 130 / 143.

A terminal's Ctrl-C reaches every process of the foreground group at once, and a second
Ctrl-C often follows the first. So the first stop signal raises `Interrupted` (a
KeyboardInterrupt) in the main thread, where the command keeps what it has finished and
says so in one line; any later stop signal is ignored, so that the clean-up the first one
started is never itself cut short and its line is never followed by a traceback. Sweep
workers ignore both signals (`wargame.sweep.worker.init_worker`): the sweep ends them.
"""

from __future__ import annotations

import _weakrefset
import os
import signal
import sys
import threading
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

#: The stop signals and the exit status a shell reports for a process they ended.
SIGNAL_EXIT = {signal.SIGINT: 130, signal.SIGTERM: 143}

_stopped: list[int] = []  # the stop signal received, once one has been


class Interrupted(KeyboardInterrupt):
    """A stop signal, raised like Ctrl-C so that the command writes what it has and stops."""

    def __init__(self, signum: int) -> None:
        super().__init__(signal.Signals(signum).name)
        self.signum = signum


#: Seconds before a stop that arrived inside a finaliser is delivered again.
REDELIVER_SECONDS = 0.05


#: Where weak references' callbacks live (a WeakKeyDictionary's `remove`, a WeakSet's
#: `_remove`, `weakref.finalize`): like `__del__`, they run when an object is collected.
_WEAKREF_FILES = frozenset({weakref.__file__, _weakrefset.__file__})
#: The import system's own weak dictionary of module locks has one too (its `KeyedRef.
#: remove`); a stop landing there was printed as "Exception ignored" and the command
#: finished with status 0.
_IMPORT_CALLBACKS = frozenset({("<frozen importlib._bootstrap>", "remove")})


def _in_finaliser(frame: FrameType | None) -> bool:
    """Whether the signal interrupted a `__del__` or a weak reference's callback (at any
    depth): Python prints and drops an exception raised there ("Exception ignored in"), so
    a stop raised there is lost. (Code of the weakref modules run in the ordinary way
    only has its stop delayed by `REDELIVER_SECONDS`.)"""
    while frame is not None:
        code = frame.f_code
        if (code.co_name == "__del__" or code.co_filename in _WEAKREF_FILES
                or (code.co_filename, code.co_name) in _IMPORT_CALLBACKS):
            return True
        frame = frame.f_back
    return False


#: Packages whose state an exception raised halfway through their own code corrupts: a
#: stop landing in SQLAlchemy's flush of a calibration's history left the session "rolled
#: back due to a previous exception", and the history could not be closed (a traceback
#: and status 1, or a wait for a lock the interrupted code held); one landing in pyabc's
#: storage between adding a population and committing it would store half of it.
_UNINTERRUPTIBLE = ("sqlalchemy", "pyabc.storage")


def _in_uninterruptible(frame: FrameType | None) -> bool:
    """Whether the signal interrupted code of a package in `_UNINTERRUPTIBLE` (at any
    depth). Only a package already imported can be running, so none is imported here."""
    folders = tuple(os.path.dirname(module.__file__) + os.sep
                    for name in _UNINTERRUPTIBLE
                    if (module := sys.modules.get(name)) is not None and module.__file__)
    while folders and frame is not None:
        if frame.f_code.co_filename.startswith(folders):
            return True
        frame = frame.f_back
    return False


def _on_signal(signum: int, frame: FrameType | None) -> None:
    if _stopped:  # already stopping: let the clean-up finish
        return
    if _in_finaliser(frame) or _in_uninterruptible(frame):
        # A garbage-collected object's __del__ (a Dask future's, say) would swallow the
        # stop and leave the command running with every later stop ignored, and a stop in
        # the middle of a database write would leave the database unusable: send the
        # signal again in a moment, when that code is done.
        threading.Timer(REDELIVER_SECONDS, os.kill, (os.getpid(), signum)).start()
        return
    _stopped.append(signum)
    raise Interrupted(signum)


def _is_main_thread() -> bool:
    return threading.current_thread() is threading.main_thread()


def install() -> None:
    """Stop on the first SIGINT or SIGTERM, ignore the rest, for the life of the process
    (the command line's entry point: no signal finds Python's default handler again)."""
    if _is_main_thread():
        for signum in SIGNAL_EXIT:
            signal.signal(signum, _on_signal)


@contextmanager
def stop_on_signals() -> Iterator[None]:
    """Within the block, the first SIGINT or SIGTERM raises `Interrupted` and later ones are
    ignored; the handlers in place before are put back after it (for callers in-process)."""
    if not _is_main_thread():
        yield
        return
    previous = {signum: signal.signal(signum, _on_signal) for signum in SIGNAL_EXIT}
    outermost = all(handler is not _on_signal for handler in previous.values())
    if outermost:
        _stopped.clear()
    try:
        yield
    finally:
        if outermost:
            for signum, handler in previous.items():
                signal.signal(signum, handler)


def stop_signal(exc: KeyboardInterrupt) -> int:
    """The signal a KeyboardInterrupt stands for (a plain one is Ctrl-C)."""
    return exc.signum if isinstance(exc, Interrupted) else signal.SIGINT


def exit_status(exc: KeyboardInterrupt) -> int:
    """130 for SIGINT, 143 for SIGTERM: what a shell reports for a process they ended."""
    return SIGNAL_EXIT[stop_signal(exc)]


def signal_name(exc: KeyboardInterrupt) -> str:
    return signal.Signals(stop_signal(exc)).name
