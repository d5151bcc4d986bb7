"""P1: ``check`` over the national roll-up (553 satker x 13 workbooks) against the floor.

    python benchmarks/p1_national.py                 # 553 satker (generates the set once, ~6 min on 2 cores)
    python benchmarks/p1_national.py --satker 60     # a smaller run
    python benchmarks/p1_national.py --satker 60 --engine openpyxl   # the old reader, for comparison
    python benchmarks/p1_national.py --instructions 40  # instructions (valgrind) over 40 satker, one process

The floor is python-calamine alone reading every sheet of the same files, one process, measured in
the same run after the files are in the OS cache. Floor and check are measured in turn, ``--rounds``
times (3 by default, the order swapped every other round, since a shared machine speeds up and
slows down during a run); each round gives a ratio and the median is the result. Goal: ``check``
within 2x the floor, peak memory (the main process and its workers together) under 500 MB.

The measurement runs in a fresh child process, so that its memory figures hold only the check
(not the generator's workers).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import shutil
import statistics
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import RssSampler, load_average, maxrss_mb, table, timed  # noqa: E402


def read_every_sheet(files: list[Path]) -> None:
    """The floor's work: python-calamine reading every sheet of every file into Python lists."""
    import python_calamine

    for path in files:
        book = python_calamine.CalamineWorkbook.from_path(str(path))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()
        book.close()


def floor(files: list[Path]) -> tuple[float, float]:
    """The floor, timed: nothing less reads the files. Returns (wall seconds, CPU seconds)."""
    cpu = cpu_seconds()
    wall = timed(lambda: read_every_sheet(files))[0]
    return wall, cpu_seconds() - cpu


def cpu_seconds() -> float:
    """CPU time of this process and of its finished children (the check's workers)."""
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def measure(folder: Path, workers: int | None, engine: str, rounds: int) -> dict:
    """``rounds`` pairs of (floor, check); odd rounds run the check first, so that a machine getting
    faster or slower during the run does not favour one side."""
    from kinerja_xl import api

    if engine == "openpyxl":  # the reader before the fast engine; works with the fork start method (Linux)
        import functools

        from kinerja_xl.reading import read, source

        read.load_xlsx = functools.partial(source.load_xlsx, engine="openpyxl")
    files = sorted(folder.glob("*/*.xlsx"))
    for path in files:  # into the OS cache, so that neither side pays the first disk read
        path.read_bytes()
    pairs = []
    with RssSampler() as sampler:
        for number in range(rounds):
            def check() -> tuple[float, float, Any]:
                cpu = cpu_seconds()
                seconds, report = timed(lambda: api.check([folder], workers=workers))
                return seconds, cpu_seconds() - cpu, report

            if number % 2:
                seconds, check_cpu, report = check()
                floor_seconds, floor_cpu = floor(files)
            else:
                floor_seconds, floor_cpu = floor(files)
                seconds, check_cpu, report = check()
            pairs.append({"floor": floor_seconds, "check": seconds, "floor_cpu": floor_cpu, "check_cpu": check_cpu,
                          "load": load_average()})
    main_rss, worker_rss = maxrss_mb()
    manifest = json.loads((folder / "manifest.json").read_text(encoding="utf-8"))
    found = {(Path(i.location.file).parent.name, Path(i.location.file).name, i.location.cell, i.code)
             for i in report}
    seeded = [(d["folder"], d["file"], d["cell"], d["code"]) for d in manifest["defects"]]
    return {"files": len(files), "satker": len(manifest["folders"]), "rounds": pairs,
            "workers": workers or os.cpu_count(), "peak_total_mb": sampler.peak_total_mb, "main_mb": main_rss,
            "worker_mb": worker_rss, "errors": len(report.errors), "warnings": len(report.warnings),
            "seeded": len(seeded), "seeded_found": sum(d in found for d in seeded)}


def instructions(folder: Path, count: int) -> dict:
    """Instructions executed (valgrind's callgrind, which counts them the same however busy the
    machine is) by the floor and by ``check`` in one process over the first ``count`` satker.

    Three runs of this script's ``--instructions-step``: the set-up alone (imports, and one check of
    a satker outside the measured ones, so that lazy imports are not counted), the set-up and the
    floor, the set-up and the check; the differences are the floor's and the check's own work.
    """
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind tidak terpasang (apt-get install valgrind)")
    totals = {}
    for step in ("setup", "floor", "check"):
        run = subprocess.run(["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", sys.executable,
                              __file__, "--instructions-step", step, "--measure", str(folder), "--satker", str(count)],
                             capture_output=True, text=True, check=True)
        found = re.search(r"Collected : (\d+)", run.stderr)
        if found is None:
            raise SystemExit(f"callgrind gave no count for {step}:\n{run.stderr[-2000:]}")
        totals[step] = int(found.group(1))
    folders = sorted(p for p in folder.iterdir() if p.is_dir())[1:count + 1]
    files = sum(len(list(f.glob("*.xlsx"))) for f in folders)
    return {"satker": len(folders), "files": files, "floor": totals["floor"] - totals["setup"],
            "check": totals["check"] - totals["setup"]}


def instructions_step(folder: Path, step: str, count: int) -> None:
    """One run under callgrind: see :func:`instructions`."""
    from kinerja_xl import api

    folders = sorted(p for p in folder.iterdir() if p.is_dir())
    api.check([folders[0]], workers=1)  # the lazy imports and first-call caches, in every step
    measured = folders[1:count + 1]
    if step == "floor":
        read_every_sheet(sorted(f for d in measured for f in d.glob("*.xlsx")))
    elif step == "check":
        api.check(measured, workers=1)
    else:
        import python_calamine  # noqa: F401  (the floor's import belongs to the set-up)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--satker", type=int, default=553)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--defects", type=float, default=0.05)
    parser.add_argument("--workers", type=int, default=None, help="worker processes for check (default: CPUs)")
    parser.add_argument("--engine", choices=("calamine", "openpyxl"), default="calamine")
    parser.add_argument("--rounds", type=int, default=3, help="pairs of (floor, check) measured; the median is the result")
    parser.add_argument("--instructions", type=int, metavar="N", default=0,
                        help="instead: count instructions (valgrind) of floor and check over N satker, one process")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # the child process
    parser.add_argument("--instructions-step", help=argparse.SUPPRESS)  # a child under valgrind
    args = parser.parse_args()
    if args.instructions_step:
        instructions_step(args.measure, args.instructions_step, args.satker)
        return
    if args.measure:
        print(json.dumps(measure(args.measure, args.workers, args.engine, max(1, args.rounds))))
        return

    made = subprocess.run([sys.executable, str(HERE / "generate.py"), "--satker", str(args.satker), "--seed",
                           str(args.seed), "--defects", str(args.defects)], check=True, capture_output=True, text=True)
    folder = Path(made.stdout.strip().splitlines()[-1])
    if args.instructions:
        counted = instructions(folder, args.instructions)
        ratio = counted["check"] / counted["floor"]
        print(f"P1 instructions (valgrind callgrind), {counted['satker']} satker, {counted['files']} workbooks, one process")
        print(table([
            ("", "floor (calamine)", "check", "ratio"),
            ("instructions", f"{counted['floor'] / 1e9:.2f} G", f"{counted['check'] / 1e9:.2f} G", f"{ratio:.2f}x"),
            ("per workbook", f"{counted['floor'] / counted['files'] / 1e6:.2f} M",
             f"{counted['check'] / counted['files'] / 1e6:.2f} M", ""),
        ]))
        print("instructions are not time: Python runs fewer instructions per cycle than the floor's Rust, so the "
              "CPU-time ratio is higher; but this count does not move with the machine's load")
        return
    command = [sys.executable, __file__, "--measure", str(folder), "--engine", args.engine, "--rounds", str(args.rounds)]
    if args.workers:
        command += ["--workers", str(args.workers)]
    result = json.loads(subprocess.run(command, check=True, capture_output=True, text=True).stdout)
    rounds = result["rounds"]
    print(f"P1 {result['satker']} satker, {result['files']} workbooks, engine {args.engine}, "
          f"{result['workers']} workers, {len(rounds)} rounds")
    rows = [("round", "floor (calamine, 1 process)", "check", "ratio", "CPU: floor", "CPU: check", "CPU ratio",
             "load average")]
    for number, r in enumerate(rounds, start=1):
        order = "check, floor" if (number - 1) % 2 else "floor, check"
        rows.append((f"{number} ({order})", f"{r['floor']:.1f} s", f"{r['check']:.1f} s",
                     f"{r['check'] / r['floor']:.2f}x", f"{r['floor_cpu']:.1f} s", f"{r['check_cpu']:.1f} s",
                     f"{r['check_cpu'] / r['floor_cpu']:.2f}x", r["load"]))
    print(table(rows))
    ratios = sorted(r["check"] / r["floor"] for r in rounds)
    ratio = statistics.median(ratios)
    check_ms = statistics.median(1000 * r["check"] / result["files"] for r in rounds)
    print(f"median ratio {ratio:.2f}x (range {ratios[0]:.2f}-{ratios[-1]:.2f}x); check {check_ms:.2f} ms per workbook")
    print(f"peak RSS: {result['peak_total_mb']:.0f} MB all processes together (main {result['main_mb']:.0f} MB, "
          f"largest worker {result['worker_mb']:.0f} MB)")
    print(f"findings: {result['errors']} errors, {result['warnings']} warnings; seeded defects found: "
          f"{result['seeded_found']}/{result['seeded']}")
    print(f"goal: within 2x the floor ({'met' if ratio <= 2 else 'NOT met'} by the median), peak RSS < 500 MB "
          f"({'met' if result['peak_total_mb'] < 500 else 'NOT met'})")


if __name__ == "__main__":
    main()
