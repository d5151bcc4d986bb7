"""P2: every PK of a national roll-up as Word documents: render/fast.py against the floor and against docxtpl.

    python benchmarks/p2_docx.py                     # 553 satker x 11 PKs (generates the set once)
    python benchmarks/p2_docx.py --satker 40         # a smaller run
    python benchmarks/p2_docx.py --docxtpl 50        # a smaller docxtpl sample

The same PK contexts (read from the generated workbooks by ``api.load_set``) are written three ways,
each in this one process (no worker processes for any of them, so the ratios compare like with like):

* floor: each document's final word/document.xml prepared beforehand as a ``str.format`` template
  whose fields are the already-escaped values; per document only ``format``, the zip (the same
  copier as ours: the body deflated, the other members' bytes reused) and a plain ``open().write()``.
  Nothing that writes this document can do less.
* ours: ``FastTemplate.save``: Jinja in the sandbox with autoescape, the checks, an atomic write.
* docxtpl: ``docx.render`` + ``docx.save`` (the path used before), on a sample, per document.

Both the floor and ours are timed writing files (into a new, empty folder each round, as a build
writes into its new staging folder) and in memory only (bytes, no file), best of ``--rounds``.
Goals: ours within 3x the floor, docxtpl at least 10x slower than ours per document.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import load_average, table  # noqa: E402

BODY = "word/document.xml"
_SENTINEL = re.compile("\ue000(\\d+)\ue001")


def satker_contexts(folder: str) -> list[dict]:
    """The PK contexts of one satker folder, in the build's order."""
    from kinerja_xl import api
    from kinerja_xl.levels import load_hierarchy
    from kinerja_xl.render.context import ordered_pks, pk_context

    hierarchy = load_hierarchy()
    kset, _ = api.load_set(folder, hierarchy=hierarchy)
    return [pk_context(pk, hierarchy) for pk in ordered_pks(kset, hierarchy)]


def load_contexts(folder: Path, satker: int) -> list[dict]:
    folders = sorted(str(p) for p in folder.iterdir() if p.is_dir())[:satker]
    with ProcessPoolExecutor() as pool:  # reading the workbooks is set-up, not measured
        return [ctx for contexts in pool.map(satker_contexts, folders, chunksize=8) for ctx in contexts]


def floor_template(fast, context: dict) -> tuple[str, list[str]]:
    """``context``'s document.xml as a format string and the escaped values that fill it.

    Every non-empty string becomes a marker before rendering (empty ones stay empty, so every
    ``{% if %}`` takes the same branch); the markers in the output become ``{0}``, ``{1}`` ...
    """
    from markupsafe import escape

    values: list[str] = []

    def mark(value):
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        if isinstance(value, str) and value:
            values.append(str(escape(value)))
            return f"\ue000{len(values) - 1}\ue001"
        return value

    marked = mark(context)
    with zipfile.ZipFile(io.BytesIO(fast.render(marked))) as z:
        xml = z.read(BODY).decode("utf-8")
    return _SENTINEL.sub(r"{\1}", xml.replace("{", "{{").replace("}", "}}")), values


def timed_loop(items, step) -> float:
    start = time.perf_counter()
    for i, item in enumerate(items):
        step(i, item)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--satker", type=int, default=553)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--defects", type=float, default=0.05)
    parser.add_argument("--docxtpl", type=int, default=200, help="documents rendered with docxtpl (a sample)")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of floor and ours; the best counts")
    args = parser.parse_args()

    made = subprocess.run([sys.executable, str(HERE / "generate.py"), "--satker", str(args.satker), "--seed",
                           str(args.seed), "--defects", str(args.defects)], check=True, capture_output=True, text=True)
    folder = Path(made.stdout.strip().splitlines()[-1])
    start = time.perf_counter()
    contexts = load_contexts(folder, args.satker)
    print(f"P2 {args.satker} satker, {len(contexts)} PK documents (contexts read in "
          f"{time.perf_counter() - start:.1f} s), load average {load_average()}", flush=True)

    from kinerja_xl.render.docx import render, save, template_path
    from kinerja_xl.render.fast import FastTemplate
    from kinerja_xl.render.zipcopy import ZipCopy

    template = template_path("pk")
    prepare_seconds = -time.perf_counter()
    fast = FastTemplate(template)
    prepare_seconds += time.perf_counter()
    assert fast.unsupported is None, fast.unsupported
    copier = ZipCopy(template, replaced=[BODY])
    floors = [floor_template(fast, ctx) for ctx in contexts]

    # The floor must write the very document ours writes, or it is not a floor for it.
    same = sum(zipfile.ZipFile(io.BytesIO(fast.render(ctx))).read(BODY) == fmt.format(*values).encode("utf-8")
               for ctx, (fmt, values) in zip(contexts[:50], floors[:50]))

    with tempfile.TemporaryDirectory(prefix="p2-") as tmp:
        out = Path(tmp)

        def written(items, write) -> float:
            """Time ``write`` over ``items`` into a new, empty folder, as a build's staging folder is."""
            folder = Path(tempfile.mkdtemp(dir=out))
            os.sync()  # the previous round's writes and deletions must not land on this one's clock
            seconds = timed_loop(items, lambda i, item: write(item, folder / f"PK_{i:05d}.docx"))
            shutil.rmtree(folder)  # not timed; keeps the disk use to one set of documents
            return seconds

        def floor_file(item, path):
            fmt, values = item
            data = copier.build({BODY: fmt.format(*values).encode("utf-8")})
            with open(path, "wb") as fh:
                fh.write(data)

        def floor_memory(i, item):
            fmt, values = item
            copier.build({BODY: fmt.format(*values).encode("utf-8")})

        results = {"floor": [], "ours": [], "floor_mem": [], "ours_mem": []}
        for _ in range(args.rounds):
            results["floor"].append(written(floors, floor_file))
            results["ours"].append(written(contexts, fast.save))
            results["floor_mem"].append(timed_loop(floors, floor_memory))
            results["ours_mem"].append(timed_loop(contexts, lambda i, ctx: fast.render(ctx)))
        best = {k: min(v) for k, v in results.items()}

        sample = contexts[: args.docxtpl]
        docxtpl_seconds = written(sample, lambda ctx, path: save(render(template, ctx), path))

    n = len(contexts)
    per = {k: 1000 * v / n for k, v in best.items()}
    per_docxtpl = 1000 * docxtpl_seconds / len(sample)
    ratio, speedup = best["ours"] / best["floor"], per_docxtpl / per["ours"]
    print(table([
        ("", "floor", "ours (fast.py)", "ours / floor", f"docxtpl ({len(sample)} docs)", "docxtpl / ours"),
        ("ms per document, written", f"{per['floor']:.2f}", f"{per['ours']:.2f}", f"{ratio:.2f}x",
         f"{per_docxtpl:.1f}", f"{speedup:.0f}x"),
        ("ms per document, in memory", f"{per['floor_mem']:.2f}", f"{per['ours_mem']:.2f}",
         f"{best['ours_mem'] / best['floor_mem']:.2f}x", "-", "-"),
        (f"all {n} documents, written", f"{best['floor']:.1f} s", f"{best['ours']:.1f} s", "",
         f"~{per_docxtpl * n / 1000:.0f} s (estimated)", ""),
    ]))
    print(f"one process for all three (no workers); best of {args.rounds} rounds; template prepared once in "
          f"{1000 * prepare_seconds:.0f} ms; the floor wrote ours' document.xml byte for byte in {same}/"
          f"{min(50, n)} checked documents")
    print(f"goals: ours within 3x the floor ({'met' if ratio <= 3 else 'NOT met'}), at least 10x faster than "
          f"docxtpl per document ({'met' if speedup >= 10 else 'NOT met'})")


if __name__ == "__main__":
    main()
