"""Spreading independent pieces of work (files, satker folders) over processes.

Results come back in the order of the inputs whatever the number of processes, so a report
built from them is the same with one worker or many. Each task receives the hierarchy, sent
once to each process when it starts.

A worker process that dies (a native library aborting, the kernel killing it for memory) takes
only its own work with it. Each worker writes on a shared board which task it runs and which file
it is reading (:func:`begin_reading`, called by the reader); when the pool breaks, the tasks that
were running are run again one at a time in a process of their own, the rest in a new pool. A
file that kills its process again is not read a third time: the reader reports it as
``file-crashed`` and the task (its satker) goes on without it.
"""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import signal
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, Callable, Iterable, Iterator, Mapping, TypeVar

from .errors import UsageError
from .levels import Hierarchy

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each piece of work, in the calling process."""

_hierarchy: Hierarchy | None = None  # set in each worker process by _start
_board: _Board | None = None  # the shared board, in a worker process
_slot = 0  # this worker's place on the board
_crashed: Mapping[str, str] = {}  # files that killed a worker before -> why, in a worker process

_PATH_BYTES = 4096  # room for the path of the file a worker is reading


class WorkerDied(UsageError):
    """A worker process died outside the reading of any file: nothing to blame, nothing to skip."""


def worker_count(requested: int | None, tasks: int, *, min_per_worker: int = 1) -> int:
    """How many processes to use: ``requested`` as asked (never more than the tasks); None picks
    one per CPU, but only as many as have ``min_per_worker`` tasks each, since starting a process
    costs an import of the package."""
    if requested is not None:
        if requested < 1:
            raise ValueError(f"workers harus 1 atau lebih, bukan {requested}")
        return max(1, min(requested, tasks))
    return max(1, min(os.cpu_count() or 1, tasks // max(min_per_worker, 1)))


def run_tasks(fn: Callable[[T, Hierarchy], R], items: Iterable[T], hierarchy: Hierarchy, *,
              workers: int | None = None, progress: Progress | None = None,
              min_per_worker: int = 1) -> Iterator[R]:
    """Yield ``fn(item, hierarchy)`` for each item, in order; ``fn`` must be a module-level function."""
    items = list(items)
    total = len(items)
    count = worker_count(workers, total, min_per_worker=min_per_worker)
    if count == 1:
        for done, item in enumerate(items, start=1):
            result = fn(item, hierarchy)
            if progress is not None:
                progress(done, total)
            yield result
        return
    results: dict[int, Any] = {}
    emitted = 0
    for _ in _pooled(fn, items, hierarchy, count, results):
        while emitted in results:  # in the order of the inputs
            emitted += 1
            if progress is not None:
                progress(emitted, total)
            yield results.pop(emitted - 1)


def _pooled(fn: Callable[[Any, Hierarchy], Any], items: list[Any], hierarchy: Hierarchy, count: int,
            results: dict[int, Any]) -> Iterator[None]:
    """Fill ``results`` (index -> result), yielding after each batch of new results."""
    # Small chunks keep both processes busy to the end and the progress moving; several items per
    # chunk save a round trip each (a round trip costs far less than one satker: 4 is enough).
    chunk = max(1, min(4, len(items) // (count * 8)))
    crashed: dict[str, str] = {}
    finished: set[int] = set()
    pending = list(range(len(items)))
    while pending:
        board = _Board(count)
        pool = ProcessPoolExecutor(max_workers=count, initializer=_start, initargs=(hierarchy, board, dict(crashed)))
        futures: list[tuple[list[int], Future]] = []
        broken = False
        try:
            for at in range(0, len(pending), chunk):
                batch = pending[at:at + chunk]
                futures.append((batch, pool.submit(_call, fn, [(i, items[i]) for i in batch])))
            for batch, future in futures:
                try:
                    out = future.result()
                except BrokenProcessPool:
                    broken = True
                    break
                results.update(zip(batch, out))
                finished.update(batch)
                yield
        finally:
            pool.shutdown(wait=True, cancel_futures=True)
        if not broken:
            return
        for batch, future in futures:  # batches that finished before the pool broke keep their results
            if future.done() and not future.cancelled() and future.exception() is None and batch[0] not in finished:
                results.update(zip(batch, future.result()))
                finished.update(batch)
        pending = [i for i in pending if i not in finished]
        # The tasks that were running when the pool broke, one of which killed it (or, when the board
        # names none, the first one left: a death outside any task would otherwise loop).
        suspects = sorted(board.running() - finished) or pending[:1]
        for index in suspects:
            results[index] = _alone(fn, items[index], hierarchy, crashed)
            finished.add(index)
            yield
        pending = [i for i in pending if i not in finished]


class _Board:
    """Shared memory: per worker, the index of the task it runs (-1: none) and the file it reads."""

    def __init__(self, count: int) -> None:
        self.tasks = multiprocessing.RawArray(ctypes.c_longlong, [-1] * count)
        self.paths = multiprocessing.RawArray(ctypes.c_char, count * _PATH_BYTES)
        self.next = multiprocessing.Value(ctypes.c_int, 0)

    def running(self) -> set[int]:
        return {t for t in self.tasks if t >= 0}

    def path(self, slot: int) -> str:
        raw = self.paths[slot * _PATH_BYTES:(slot + 1) * _PATH_BYTES]
        return os.fsdecode(raw.split(b"\0", 1)[0])


def _start(hierarchy: Hierarchy, board: _Board, crashed: Mapping[str, str]) -> None:
    global _hierarchy, _board, _slot, _crashed
    _hierarchy, _board, _crashed = hierarchy, board, crashed
    with board.next.get_lock():
        _slot = board.next.value
        board.next.value += 1
    # A worker builds and drops many small objects per workbook and keeps almost none: the objects
    # it inherited (the package, the hierarchy) need no scanning, and collections can be rarer.
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def _call(fn: Callable[[Any, Hierarchy], Any], batch: list[tuple[int, Any]]) -> list[Any]:
    assert _hierarchy is not None and _board is not None
    out = []
    try:
        for index, item in batch:
            _board.tasks[_slot] = index
            out.append(fn(item, _hierarchy))
    finally:
        _board.tasks[_slot] = -1
    return out


def begin_reading(path: str) -> str | None:
    """Called by the reader before it opens ``path``: noted on the board in a worker process. Returns
    why the file killed a worker earlier in this run (then it must not be read again), else None."""
    if _board is None:
        return None
    reason = _crashed.get(path)
    if reason is None:
        data = os.fsencode(path)[:_PATH_BYTES - 1]
        start = _slot * _PATH_BYTES
        _board.paths[start:start + len(data)] = data
        _board.paths[start + len(data)] = b"\0"
    return reason


def end_reading() -> None:
    """The reader is done with the file :func:`begin_reading` named."""
    if _board is not None:
        _board.paths[_slot * _PATH_BYTES] = b"\0"


def _alone(fn: Callable[[Any, Hierarchy], Any], item: Any, hierarchy: Hierarchy, crashed: dict[str, str]) -> Any:
    """``fn(item, hierarchy)`` in a process of its own, run again without each file that kills it."""
    while True:
        board = _Board(1)
        receive, send = multiprocessing.Pipe(duplex=False)
        proc = multiprocessing.Process(target=_run_alone, args=(fn, item, hierarchy, board, dict(crashed), send))
        proc.start()
        send.close()
        try:
            kind, value = receive.recv()
        except EOFError:  # the process died before it could answer
            kind, value = "died", None
        finally:
            receive.close()
        proc.join()
        if kind == "ok":
            return value
        if kind == "error":
            raise value
        path, reason = board.path(0), _why(proc.exitcode)
        if not path or path in crashed:
            raise WorkerDied(f"Proses pemeriksa berhenti mendadak ({reason}) saat memeriksa {item}, di luar "
                             f"pembacaan berkas; pemeriksaan tidak dapat dilanjutkan. Periksa folder itu sendiri, "
                             f"atau kirim isinya ke pengelola kinerja_xl.")
        crashed[path] = reason


def _run_alone(fn: Callable[[Any, Hierarchy], Any], item: Any, hierarchy: Hierarchy, board: _Board,
               crashed: Mapping[str, str], send: Any) -> None:
    _start(hierarchy, board, crashed)
    try:
        answer = ("ok", _call(fn, [(0, item)])[0])
    except Exception as exc:  # the caller raises it, as a pool would
        answer = ("error", exc)
    send.send(answer)
    send.close()


def _why(exitcode: int | None) -> str:
    """How a process ended, in words for the finding."""
    if exitcode is not None and exitcode < 0:
        try:
            name = signal.Signals(-exitcode).name
        except ValueError:
            name = f"sinyal {-exitcode}"
        if -exitcode == signal.SIGKILL:
            return f"dihentikan {name}, biasanya karena kehabisan memori"
        return f"dihentikan {name}"
    return f"keluar dengan kode {exitcode}"
