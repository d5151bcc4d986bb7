"""Helpers shared by the benchmark scripts: wall time, peak memory of a run and its worker processes.

Benchmarks print ratios against a floor measured in the same run, because the machines they run
on (a laptop, a shared CI box) differ far more than the code does.
"""

from __future__ import annotations

import multiprocessing
import os
import resource
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Callable, Iterator

ROOT = Path(__file__).resolve().parents[1]


def timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _rss_mb(pid: int) -> float:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


class RssSampler:
    """Peak resident memory of this process plus its live child processes, sampled every 50 ms.

    ``ru_maxrss`` gives the peak of one process (for children: of the largest one); the sum over
    the main process and its workers at the same moment is what the machine must hold, so it is
    sampled from /proc (Linux; elsewhere only ``ru_maxrss`` is reported).
    """

    def __init__(self, interval: float = 0.05) -> None:
        self.interval = interval
        self.peak_total_mb = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            total = _rss_mb(os.getpid()) + sum(_rss_mb(p.pid) for p in multiprocessing.active_children())
            self.peak_total_mb = max(self.peak_total_mb, total)
            self._stop.wait(self.interval)

    def __enter__(self) -> "RssSampler":
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def maxrss_mb() -> tuple[float, float]:
    """(this process, the largest finished child) peak RSS in MB, from getrusage."""
    scale = 1024 if os.uname().sysname == "Linux" else 1024 * 1024  # kB on Linux, bytes on macOS
    return (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / scale,
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / scale)


@contextmanager
def section(title: str) -> Iterator[None]:
    print(f"\n== {title}", flush=True)
    yield


def table(rows: list[tuple[str, ...]]) -> str:
    """A Markdown table (first row is the header), ready to paste into README.md."""
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["| " + " | ".join(c.ljust(w) for c, w in zip(row, widths)) + " |" for row in rows]
    lines.insert(1, "|" + "|".join("-" * (w + 2) for w in widths) + "|")
    return "\n".join(lines)


def load_average() -> str:
    try:
        return " ".join(f"{x:.2f}" for x in os.getloadavg())
    except OSError:
        return "?"
