"""Generate a synthetic national set: N satker folders of 13 workbooks each, written by the template writer.

    python benchmarks/generate.py --satker 553 --seed 1 --defects 0.05      # KPU RI's 553 satker
    python benchmarks/generate.py --satker 3 --out /tmp/tiga                 # a small set

The same seed and parameters give the same workbooks (only the creation date in the hidden marker
sheet and the file timestamps differ). Writing 7,200 workbooks takes minutes, so the work is spread
over processes and a finished set is reused: the folder holds ``manifest.json`` with the parameters
and the seeded defects, and a second run with the same parameters returns at once.

``--defects 0.05`` gives one defect to 5% of the satker (round-robin over: a wrong kode induk, a
target lower than its parent's, a 17-digit NIP, a budget line that does not add up); the manifest
lists each with the finding code and cell ``kinerja-xl check`` must report.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import asdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import synth  # noqa: E402

from kinerja_xl import spec  # noqa: E402
from kinerja_xl.fsutil import safe_filename  # noqa: E402
from kinerja_xl.levels import load_hierarchy  # noqa: E402
from kinerja_xl.model import Kind  # noqa: E402
from kinerja_xl.outputs.templates import (  # noqa: E402
    fill_form, fill_table, new_workbook, save, set_filenames,
)

GENERATOR_VERSION = 1  # bump when the generated content changes: cached sets are then rebuilt
CACHE = Path(__file__).resolve().parent / ".cache" / "sets"
MARKER = ".kinerja_xl_benchmark"  # says a folder is ours to overwrite
PERCENT_KEYS = ("target", "tw1", "tw2", "tw3", "tw4", "tahun_lalu", "target_renstra",
                "target_tw1", "target_tw2", "target_tw3", "target_tw4")


def default_folder(satker: int, seed: int, defects: float, tahun: int) -> Path:
    return CACHE / f"satker{satker}_seed{seed}_cacat{defects:g}_tahun{tahun}"


def generate(satker: int, *, seed: int = 1, defects: float = 0.05, tahun: int = 2024, out: str | Path | None = None,
             workers: int | None = None, quiet: bool = False) -> Path:
    """Write (or reuse) a generated set and return its folder; see the module docstring."""
    out = Path(out) if out is not None else default_folder(satker, seed, defects, tahun)
    params = {"generator": GENERATOR_VERSION, "satker": satker, "seed": seed, "defects": defects, "tahun": tahun}
    manifest = out / "manifest.json"
    if manifest.exists():
        done = json.loads(manifest.read_text(encoding="utf-8"))
        if done.get("params") == params and all((out / f).is_dir() for f in done["folders"]):
            return out
    if out.exists() and any(out.iterdir()) and not (out / MARKER).exists():
        raise SystemExit(f"{out} berisi berkas lain; pilih folder kosong untuk --out.")
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    (out / MARKER).write_text(json.dumps(params), encoding="utf-8")
    chosen = _defective(satker, seed, defects)
    jobs = [(i, seed, tahun, str(out), chosen.get(i)) for i in range(satker)]
    start = time.perf_counter()
    folders, seeded = [], []
    workers = workers or os.cpu_count() or 1
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for n, (folder, found) in enumerate(pool.map(_write_satker, jobs, chunksize=4), start=1):
            folders.append(folder)
            seeded.extend(found)
            if not quiet and (n % max(1, satker // 20) == 0 or n == satker):
                print(f"  {n}/{satker} satker ({time.perf_counter() - start:.0f} s)", file=sys.stderr)
    manifest.write_text(json.dumps({"params": params, "folders": folders, "defects": seeded,
                                    "seconds": round(time.perf_counter() - start, 1)}, indent=1), encoding="utf-8")
    return out


def _defective(satker: int, seed: int, share: float) -> dict[int, str]:
    """Which satker get a defect, and which kind (round-robin so every kind appears)."""
    count = round(satker * share)
    picked = sorted(random.Random(f"{seed}:defects").sample(range(satker), min(count, satker)))
    return {index: synth.DEFECT_KINDS[n % len(synth.DEFECT_KINDS)] for n, index in enumerate(picked)}


def _write_satker(job: tuple[int, int, int, str, str | None]) -> tuple[str, list[dict]]:
    index, seed, tahun, out, defect = job
    hierarchy = load_hierarchy()
    names = {(lv.id if lv else kind.value, unit): name for kind, lv, unit, name in set_filenames(hierarchy)}
    books, defects = synth.plan_satker(index, seed=seed, tahun=tahun, filenames=names, defect=defect)
    folder_name = f"{index:03d}_{safe_filename(synth.satker_name(index))}"
    folder = Path(out) / folder_name
    for book in books:
        kind = Kind(book.kind)
        wb = new_workbook(kind, level=book.level, unit=book.unit, satker=book.form["satker"], tahun=tahun,
                          hierarchy=hierarchy)
        fill_form(wb, kind, book.form)
        for name, sheet in book.tables.items():
            table = spec.SPECS[kind].table(name)
            fill_table(wb, table, sheet.rows)
            _percent_cells(wb, table, sheet.rows)
        save(wb, folder / book.filename)
    return folder_name, [asdict(d) | {"folder": folder_name} for d in defects]


def _percent_cells(wb, table: spec.TableSheet, rows: list[dict]) -> None:
    """A fraction in a % row gets Excel's percent format, as when someone types 90% into the cell."""
    ws = wb[table.name]
    columns = {c.key: i for i, c in enumerate(table.columns, start=1)}
    for r, row in enumerate(rows, start=table.first_data_row):
        if row.get("satuan") == "%":
            for key in PERCENT_KEYS:
                if key in columns and row.get(key) is not None:
                    ws.cell(r, columns[key]).number_format = synth.PERCENT


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Buat set buku kerja sintetis untuk benchmark.")
    parser.add_argument("--satker", type=int, default=553, help="jumlah satker (bawaan 553: KPU RI)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--defects", type=float, default=0.05, help="bagian satker yang diberi satu cacat")
    parser.add_argument("--tahun", type=int, default=2024)
    parser.add_argument("--out", type=Path, default=None, help=f"folder keluaran (bawaan: {CACHE}/...)")
    parser.add_argument("--workers", type=int, default=None, help="jumlah proses (bawaan: jumlah CPU)")
    args = parser.parse_args(argv)
    start = time.perf_counter()
    folder = generate(args.satker, seed=args.seed, defects=args.defects, tahun=args.tahun, out=args.out,
                      workers=args.workers)
    print(folder)
    print(f"({time.perf_counter() - start:.1f} s)", file=sys.stderr)


if __name__ == "__main__":
    main()
