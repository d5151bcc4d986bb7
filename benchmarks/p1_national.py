"""P1: ``check`` over the national roll-up (553 satker x 13 workbooks) against the floor.

    python benchmarks/p1_national.py                 # 553 satker (generates the set once, ~6 min on 2 cores)
    python benchmarks/p1_national.py --satker 60     # a smaller run
    python benchmarks/p1_national.py --satker 60 --engine openpyxl   # the old reader, for comparison

The floor is python-calamine alone reading every sheet of the same files, one process, measured in
the same run after the files are in the OS cache. Goal: ``check`` within 2x the floor, peak memory
(the main process and its workers together) under 500 MB.

The measurement runs in a fresh child process, so that its memory figures hold only the check
(not the generator's workers).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import RssSampler, load_average, maxrss_mb, table, timed  # noqa: E402


def floor(files: list[Path]) -> tuple[float, float]:
    """python-calamine reading every sheet of every file into Python lists: nothing less reads them.

    Returns (wall seconds, CPU seconds).
    """
    import python_calamine

    def read_all() -> None:
        for path in files:
            book = python_calamine.CalamineWorkbook.from_path(str(path))
            for name in book.sheet_names:
                book.get_sheet_by_name(name).to_python()
            book.close()

    cpu = cpu_seconds()
    wall = timed(read_all)[0]
    return wall, cpu_seconds() - cpu


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the check's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(folder: Path, workers: int | None, engine: str) -> dict:
    from kinerja_xl import api

    if engine == "openpyxl":  # the reader before the fast engine; works with the fork start method (Linux)
        import functools

        from kinerja_xl import read, source

        read.load_xlsx = functools.partial(source.load_xlsx, engine="openpyxl")
    files = sorted(folder.glob("*/*.xlsx"))
    for path in files:  # into the OS cache, so that neither side pays the first disk read
        path.read_bytes()
    floor_seconds, floor_cpu = min(floor(files), floor(files))
    cpu = cpu_seconds()
    with RssSampler() as sampler:
        seconds, report = timed(lambda: api.check([folder], workers=workers))
    check_cpu = cpu_seconds() - cpu
    main_rss, worker_rss = maxrss_mb()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    found = {(Path(i.location.file).parent.name, Path(i.location.file).name, i.location.cell, i.code)
             for i in report}
    seeded = [(d["folder"], d["file"], d["cell"], d["code"]) for d in manifest["defects"]]
    return {"files": len(files), "satker": len(manifest["folders"]), "floor": floor_seconds, "check": seconds,
            "floor_cpu": floor_cpu, "check_cpu": check_cpu,
            "workers": workers or os.cpu_count(), "peak_total_mb": sampler.peak_total_mb, "main_mb": main_rss,
            "worker_mb": worker_rss, "errors": len(report.errors), "warnings": len(report.warnings),
            "seeded": len(seeded), "seeded_found": sum(d in found for d in seeded), "load": load_average()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--satker", type=int, default=553)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--defects", type=float, default=0.05)
    parser.add_argument("--workers", type=int, default=None, help="worker processes for check (default: CPUs)")
    parser.add_argument("--engine", choices=("calamine", "openpyxl"), default="calamine")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure(args.measure, args.workers, args.engine)))
        return

    made = subprocess.run([sys.executable, str(HERE / "generate.py"), "--satker", str(args.satker), "--seed",
                           str(args.seed), "--defects", str(args.defects)], check=True, capture_output=True, text=True)
    folder = Path(made.stdout.strip().splitlines()[-1])
    command = [sys.executable, __file__, "--measure", str(folder), "--engine", args.engine]
    if args.workers:
        command += ["--workers", str(args.workers)]
    result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    ratio = result["check"] / result["floor"]
    print(f"P1 {result['satker']} satker, {result['files']} workbooks, engine {args.engine}, "
          f"{result['workers']} workers, load average {result['load']}")
    print(table([
        ("floor (calamine, 1 process)", "check", "ratio", "ms/workbook", "peak RSS total", "main", "largest worker"),
        (f"{result['floor']:.1f} s", f"{result['check']:.1f} s", f"{ratio:.2f}x",
         f"{1000 * result['check'] / result['files']:.1f}", f"{result['peak_total_mb']:.0f} MB",
         f"{result['main_mb']:.0f} MB", f"{result['worker_mb']:.0f} MB"),
    ]))
    print(f"CPU time: floor {result['floor_cpu']:.1f} s, check {result['check_cpu']:.1f} s (all processes), "
          f"ratio {result['check_cpu'] / result['floor_cpu']:.2f}x; on {result['workers']} idle cores the check would "
          f"take about {result['check_cpu'] / result['workers'] / result['floor']:.2f}x the floor")
    print(f"findings: {result['errors']} errors, {result['warnings']} warnings; seeded defects found: "
          f"{result['seeded_found']}/{result['seeded']}")
    print(f"goal: within 2x the floor ({'met' if ratio <= 2 else 'NOT met'}), peak RSS < 500 MB "
          f"({'met' if result['peak_total_mb'] < 500 else 'NOT met'})")


if __name__ == "__main__":
    main()
