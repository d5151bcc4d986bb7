"""P4: the PDFs of one satker's documents: one LibreOffice call for all against one call per document.

    python benchmarks/p4_pdf.py                     # the bundled example (workbooks/): 15 documents
    python benchmarks/p4_pdf.py path/to/satker      # any satker folder

The documents are built once with ``render_set`` (not timed; the LAKIP's Daftar Isi already holds its
page numbers, as ``build --pdf`` converts it). Then, in this order:

* floor: ``pdf.to_pdf`` of one blank document: what starting LibreOffice with a fresh profile costs;
* batch: ``pdf.to_pdf(all documents)``: one ``soffice`` process with a fresh profile (``build --pdf``);
* per document, fresh profile: ``pdf.to_pdf([document])`` for each: our function called per document;
* per document, warm profile: ``soffice`` per document sharing one profile folder that a first,
  untimed call created: the best a one-call-per-document loop can do.

The speed-up is per document / batch, against both per-document variants.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from common import ROOT, load_average, table  # noqa: E402


def warm_calls(exe: str, docs: list[Path], out: Path, profile: Path) -> float:
    """One soffice call per document, all with the same profile (created by an untimed first call)."""
    def call(doc: Path) -> None:
        subprocess.run([exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nologo",
                        "--nolockcheck", "--convert-to", "pdf", "--outdir", str(out), str(doc)],
                       check=True, capture_output=True, timeout=300)

    call(docs[0])  # the profile's first start is the slow one: not counted
    start = time.perf_counter()
    for doc in docs:
        call(doc)
    seconds = time.perf_counter() - start
    missing = [d.name for d in docs if not (out / f"{d.stem}.pdf").is_file()]
    if missing:
        raise SystemExit(f"LibreOffice tidak menghasilkan PDF untuk {', '.join(missing)}")
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", nargs="?", type=Path, default=ROOT / "workbooks")
    args = parser.parse_args()

    from kinerja_xl import api
    from kinerja_xl.levels import load_hierarchy
    from kinerja_xl.render import find_soffice, render_set, to_pdf

    exe = find_soffice()
    if exe is None:
        raise SystemExit("LibreOffice (soffice) tidak ditemukan; P4 membutuhkannya.")
    hierarchy = load_hierarchy()
    kset, _ = api.load_set(args.folder, hierarchy=hierarchy)
    with tempfile.TemporaryDirectory(prefix="p4-") as tmp:
        work = Path(tmp)
        built = render_set(kset, hierarchy, work / "dokumen")
        docs = list(built)
        print(f"P4 {args.folder}: {len(docs)} documents, load average {load_average()}", flush=True)

        from docx import Document

        Document().save(str(work / "kosong.docx"))
        start = time.perf_counter()
        to_pdf([work / "kosong.docx"], work / "lantai")
        floor = time.perf_counter() - start

        start = time.perf_counter()
        to_pdf(docs, work / "sekaligus")
        batch = time.perf_counter() - start

        start = time.perf_counter()
        for doc in docs:
            to_pdf([doc], work / "satu_per_satu")
        fresh = time.perf_counter() - start

        warm = warm_calls(exe, docs, work / "profil_hangat", work / "profil")

    n = len(docs)
    print(table([
        ("", "seconds", "per document", "batch speed-up"),
        ("floor: one call, one blank document", f"{floor:.1f}", "-", "-"),
        ("one call for all (batch, fresh profile)", f"{batch:.1f}", f"{batch / n:.2f} s", "1x"),
        ("one call per document, fresh profile each", f"{fresh:.1f}", f"{fresh / n:.2f} s", f"{fresh / batch:.1f}x"),
        ("one call per document, shared warm profile", f"{warm:.1f}", f"{warm / n:.2f} s", f"{warm / batch:.1f}x"),
    ]))
    print(f"batch minus the floor (LibreOffice's start): {batch - floor:.1f} s for {n} documents")


if __name__ == "__main__":
    main()
