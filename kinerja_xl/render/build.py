"""Build every document of a satker: one PK per official, the PK bundle, RKT, Pengukuran, LAKIP.

Everything is rendered into a hidden folder beside ``out`` and moved in only when all of it
succeeded: a failing template or a missing LibreOffice leaves ``out`` exactly as it was,
never with half a set. (Validation runs before this, in the caller.)
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from ..fsutil import safe_filename
from ..levels import Hierarchy
from ..model import KinerjaSet
from . import charts
from .context import (
    DEFAULT_OPTIONS,
    RenderOptions,
    bundle_context,
    ordered_pks,
    pengukuran_context,
    pk_context,
    rkt_context,
    top_pk,
)
from .docx import KINDS, render, save, template_path
from .fast import DocumentWriter
from .lakip import lakip_context, load_narasi
from .pdf import to_pdf, toc_for_pdf

BUNDLE_NAME, RKT_NAME, PENGUKURAN_NAME, LAKIP_NAME = "PK_Gabungan.docx", "RKT.docx", "Pengukuran.docx", "LAKIP.docx"


def pk_filenames(kset: KinerjaSet, hierarchy: Hierarchy) -> list[str]:
    """One file name per PK, in hierarchy order, from the official's jabatan: "PK_07_Sekretaris.docx"."""
    names: list[str] = []
    for i, pk in enumerate(ordered_pks(kset, hierarchy), 1):
        jabatan = pk.pihak_pertama.jabatan.strip() or pk.pihak_pertama.nama
        if pk.satker and jabatan.casefold().endswith(pk.satker.casefold()) and len(jabatan) > len(pk.satker):
            jabatan = jabatan[: -len(pk.satker)]  # the satker is the same in every name: drop it
        names.append(f"PK_{i:02d}_{safe_filename(jabatan, max_length=70)}.docx")
    return names


def _render_all(kset: KinerjaSet, hierarchy: Hierarchy, staging: Path, templates: dict[str, Path],
                narasi: dict[str, str], options: RenderOptions, flagged: frozenset[str]) -> list[Path]:
    written: list[Path] = []
    pks = ordered_pks(kset, hierarchy)
    # One PK per official from the same template: prepared once (fast.py), docxtpl only when it must.
    write_pk = DocumentWriter(templates["pk"])
    for pk, name in zip(pks, pk_filenames(kset, hierarchy)):
        written.append(write_pk(pk_context(pk, hierarchy), staging / name))
    if pks:
        write_bundle = DocumentWriter(templates["pk_bundle"])
        written.append(write_bundle(bundle_context(pks, hierarchy), staging / BUNDLE_NAME))
    top = top_pk(kset, hierarchy)
    signer, tempat = (top.pihak_pertama, top.tempat) if top else (None, "")
    if kset.rkt is not None:
        ctx = rkt_context(kset.rkt, penanda_tangan=signer, tempat=tempat)
        written.append(save(render(templates["rkt"], ctx), staging / RKT_NAME))
    if kset.realisasi is not None:
        ctx = pengukuran_context(kset, penanda_tangan=signer, tempat=tempat, options=options)
        written.append(save(render(templates["pengukuran"], ctx), staging / PENGUKURAN_NAME))
        with tempfile.TemporaryDirectory(prefix="kinerja-xl-gambar-") as tmp:
            images = {
                "capaian": charts.capaian_chart(kset, Path(tmp) / "capaian.png", options=options),
                "serapan": charts.serapan_chart(kset, Path(tmp) / "serapan.png"),
                "pohon": charts.pohon_kinerja(kset, hierarchy, Path(tmp) / "pohon.png", flagged=flagged),
            }
            ctx = lakip_context(kset, hierarchy, narasi=narasi, images=images, options=options)
            written.append(save(render(templates["lakip"], ctx), staging / LAKIP_NAME))
    return written


def _pdfs(docs: list[Path], staging: Path) -> list[Path]:
    """PDFs of ``docs`` in one LibreOffice call; a document with a Daftar Isi goes through a copy."""
    with tempfile.TemporaryDirectory(prefix="kinerja-xl-pdf-") as tmp:
        sources = [toc_for_pdf(d, Path(tmp) / d.name) if d.name == LAKIP_NAME else d for d in docs]
        return to_pdf(sources, staging)


def render_set(kset: KinerjaSet, hierarchy: Hierarchy, out: Path, *, templates_dir: Path | None = None,
               pdf: bool = False, narasi_file: Path | None = None, options: RenderOptions = DEFAULT_OPTIONS,
               flagged: frozenset[str] = frozenset()) -> list[Path]:
    """Write the satker's documents into the folder ``out`` (and their PDFs when ``pdf``); return the paths.

    Documents whose source is missing are skipped (no RKT workbook: no RKT.docx; no realisation
    workbook: no Pengukuran and no LAKIP). ``narasi_file`` parts replace the Narasi sheet's parts;
    ``flagged`` indicator codes are drawn red in the pohon kinerja.
    """
    out = Path(out)
    templates = {kind: template_path(kind, templates_dir) for kind in KINDS}
    narasi = dict(kset.realisasi.narasi) if kset.realisasi else {}
    if narasi_file is not None:
        narasi.update(load_narasi(narasi_file))  # before any rendering: a bad file fails fast
    out.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-sementara-", dir=out.parent))
    try:
        written = _render_all(kset, hierarchy, staging, templates, narasi, options, frozenset(flagged))
        if pdf:
            written += _pdfs(written, staging)
        out.mkdir(parents=True, exist_ok=True)
        final = []
        for path in written:
            os.replace(path, out / path.name)
            final.append(out / path.name)
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)
