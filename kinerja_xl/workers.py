"""Spreading independent pieces of work (files, satker folders) over processes.

Results come back in the order of the inputs whatever the number of processes, so a report
built from them is the same with one worker or many. Each task receives the hierarchy, sent
once to each process when it starts.
"""

from __future__ import annotations

import gc
import os
from concurrent.futures import ProcessPoolExecutor
from typing import Any, Callable, Iterable, Iterator, TypeVar

from .levels import Hierarchy

T = TypeVar("T")
R = TypeVar("R")
Progress = Callable[[int, int], None]
"""Called as ``progress(done, total)`` after each piece of work, in the calling process."""

_hierarchy: Hierarchy | None = None  # set in each worker process by _start


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
    # Small chunks keep both processes busy to the end and the progress moving; several items per
    # chunk save a round trip each (a round trip costs far less than one satker: 4 is enough).
    chunk = max(1, min(4, total // (count * 8)))
    pool = ProcessPoolExecutor(max_workers=count, initializer=_start, initargs=(hierarchy,))
    try:
        for done, result in enumerate(pool.map(_call, [(fn, item) for item in items], chunksize=chunk), start=1):
            if progress is not None:
                progress(done, total)
            yield result
    finally:
        pool.shutdown(wait=True, cancel_futures=True)


def _start(hierarchy: Hierarchy) -> None:
    global _hierarchy
    _hierarchy = hierarchy
    # A worker builds and drops many small objects per workbook and keeps almost none: the objects
    # it inherited (the package, the hierarchy) need no scanning, and collections can be rarer.
    gc.freeze()
    gc.set_threshold(20_000, 20, 20)


def _call(task: tuple[Callable[[Any, Hierarchy], Any], Any]) -> Any:
    fn, item = task
    assert _hierarchy is not None
    return fn(item, _hierarchy)
