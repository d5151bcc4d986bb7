"""A progress bar on stderr for long runs: only on a terminal, and only once a run has lasted a while."""

from __future__ import annotations

import contextlib
import time
from typing import Callable, Iterator

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

WORKERS_HELP = "Jumlah proses paralel (bawaan: sebanyak CPU bila berkasnya banyak; 1 = tanpa proses tambahan)."
DELAY = 1.0  # seconds: a run shorter than this never shows a bar that would only flicker


@contextlib.contextmanager
def progress_bar(description: str, *, enabled: bool = True) -> Iterator[Callable[[int, int], None] | None]:
    """Yield a ``progress(done, total)`` callback for the core, or None when no bar may be shown.

    The bar goes to stderr, never to stdout, so ``--format json`` output stays clean; callers
    also pass ``enabled=False`` for JSON so that nothing but the report is written at all.
    """
    console = Console(stderr=True)
    if not enabled or not console.is_terminal:
        yield None
        return
    started = time.monotonic()
    bar: Progress | None = None
    task = None

    def update(done: int, total: int) -> None:
        nonlocal bar, task
        if bar is None:
            if time.monotonic() - started < DELAY or done >= total:
                return
            bar = Progress(TextColumn(description), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                           console=console, transient=True)
            bar.start()
            task = bar.add_task(description, total=total)
        bar.update(task, completed=done, total=total)

    try:
        yield update
    finally:
        if bar is not None:
            bar.stop()
