"""PK Perubahan in the documents: which PK each revision replaces, and the change list of a revision.

The change list ("Daftar_Perubahan_PK_10_..._Perubahan_1.docx") names both workbooks, the revision, the
date it is in force from and its reason, then every difference that :func:`kinerja_xl.outputs.diff.compare`
finds between the two workbooks, each with the old and the new value and the cell of each.
Pure functions, no I/O.
"""

from __future__ import annotations

from pathlib import Path
from typing import Iterable, Sequence

from .. import fmt
from ..model import CellRef, KinerjaSet, PerjanjianKinerja
from ..outputs.diff import Difference, compare
from .context import BELUM_DITANGGALI, RenderOptions, DEFAULT_OPTIONS, previous_pk

JUDUL_DAFTAR = "DAFTAR PERUBAHAN PERJANJIAN KINERJA"
DAFTAR_PREFIX = "Daftar_Perubahan_"


def revisions(kset: KinerjaSet) -> list[tuple[PerjanjianKinerja, PerjanjianKinerja]]:
    """(the PK replaced, the revision replacing it) for every revised PK of the folder, in force or not,
    whose earlier version is in the folder too; in the folder's order of the revisions."""
    every = kset.all_pks
    out = []
    for pk in every:
        before = previous_pk(pk, every)
        if before is not None:
            out.append((before, pk))
    return out


def _cell(ref: CellRef | None) -> str:
    return f"{ref.sheet}!{ref.cell}" if ref is not None and ref.cell else (ref.sheet if ref is not None else "-") or "-"


def _rows(differences: Sequence[Difference]) -> list[dict]:
    return [{"no": str(n), "jenis": d.change.value.capitalize(), "uraian": d.what, "lama": d.old or "-",
             "baru": d.new or "-", "sel_lama": _cell(d.old_ref), "sel_baru": _cell(d.new_ref)}
            for n, d in enumerate(differences, 1)]


def daftar_perubahan_context(old: PerjanjianKinerja, new: PerjanjianKinerja, *, dokumen_lama: str = "",
                             dokumen_baru: str = "", options: RenderOptions = DEFAULT_OPTIONS,
                             differences: Iterable[Difference] | None = None) -> dict:
    """Context of the change list of the revision ``new`` of ``old``; ``dokumen_*``: the names of both
    PK documents of the build. ``differences``: as compared already (default: ``compare(old, new)``)."""
    found = list(compare(old, new) if differences is None else differences)
    mulai = new.mulai_berlaku
    ringkasan = (f"Perjanjian Kinerja perubahan ke-{new.revisi} berbeda dari Perjanjian Kinerja yang diubahnya pada "
                 f"{len(found)} isian berikut (sel pada buku kerja lama dan baru):" if found else
                 f"Isian Perjanjian Kinerja perubahan ke-{new.revisi} sama dengan Perjanjian Kinerja yang diubahnya.")
    return {
        "draf": options.draf,
        "judul": JUDUL_DAFTAR,
        "satker": new.satker,
        "satker_judul": new.satker.upper(),
        "tahun": str(new.tahun or ""),
        "berkas_lama": Path(old.source).name,
        "berkas_baru": Path(new.source).name,
        "dokumen_lama": dokumen_lama or "-",
        "dokumen_baru": dokumen_baru or "-",
        "pejabat": new.pihak_pertama.jabatan_lengkap or new.pihak_pertama.nama or "-",
        "revisi": str(new.revisi),
        "berlaku": fmt.tanggal(mulai) if mulai else BELUM_DITANGGALI,
        "alasan": " ".join(new.alasan.split()) or "-",
        "ringkasan": ringkasan,
        "perubahan": _rows(found),
    }
