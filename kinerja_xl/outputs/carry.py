"""Next year's set from this year's (``kinerja-xl template set --dari FOLDER_2022 --tahun 2023``).

What stays from one year to the next is written into the new workbooks; what must be decided again
is left empty, so that ``validate`` names each cell still to fill (never a silent copy):

* carried: the officials (pihak pertama and kedua: names, jabatan, NIP, to be checked), the place of
  signing, every sasaran and indikator with its kode, satuan, polaritas, kode induk and cascading, the
  kegiatan (kode and uraian), the agregasi of each indicator, this year's realisasi as next year's
  "Realisasi Tahun Lalu", and the Narasi parts that describe the office (latar belakang, maksud dan
  tujuan, tugas dan fungsi, struktur organisasi, Renstra);
* to fill: every target, every budget (anggaran, pagu), every date, the quarters' realisation, the
  Target Renstra of the new year, and the Narasi parts that speak of one year (kata pengantar,
  ikhtisar, analisis, penutup).

A Renstra workbook (issue 11.1, not yet part of the set) will later supply each new year's target.
The files keep their names (a year in a name becomes the new year). Everything is written into a
staging folder inside the output folder and moved in only when every workbook is made.
"""

from __future__ import annotations

import os
import re
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from .. import spec
from ..checks.capaian import annual_realisasi
from ..fsutil import OutputPlan
from ..levels import Hierarchy
from ..model import KinerjaSet, Kind, PerjanjianKinerja, Realisasi, RencanaKinerjaTahunan
from .templates import fill_form, fill_table, new_workbook, save

PERCENT = "0.00%"  # a realisasi carried as a fraction in a percent cell, as typed "96,67%"
# Narasi parts about the office itself; the others speak of the year just reported.
STABLE_NARASI = ("latar_belakang", "maksud_tujuan", "tugas_fungsi", "struktur_organisasi", "renstra")


@dataclass
class Carried:
    """What one new workbook received and what is left to fill (Indonesian phrases for the summary)."""

    path: Path
    carried: list[str] = field(default_factory=list)
    to_fill: list[str] = field(default_factory=list)


class CarryError(ValueError):
    """The source set cannot be carried (no workbook read, or the year given is not after it)."""


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}"


def new_name(name: str, old: int | None, new: int) -> str:
    """The file name for the new year: a four-digit old year in it becomes the new one.

    >>> new_name("PK_2022_Ketua.xlsx", 2022, 2023), new_name("RKT.xlsx", 2022, 2023)
    ('PK_2023_Ketua.xlsx', 'RKT.xlsx')
    """
    return re.sub(rf"(?<!\d){old}(?!\d)", str(new), name) if old else name


def _pk_book(pk: PerjanjianKinerja, tahun: int, hierarchy: Hierarchy):
    wb = new_workbook(Kind.PK, level=pk.level, unit=pk.unit, satker=pk.satker, tahun=tahun, hierarchy=hierarchy)
    values = {"pp_nama": pk.pihak_pertama.nama, "pp_jabatan": pk.pihak_pertama.jabatan,
              "pp_nip": pk.pihak_pertama.nip, "tempat": pk.tempat}
    if pk.pihak_kedua is not None:
        values |= {"pk_nama": pk.pihak_kedua.nama, "pk_jabatan": pk.pihak_kedua.jabatan, "pk_nip": pk.pihak_kedua.nip}
    fill_form(wb, Kind.PK, {k: v for k, v in values.items() if v})
    rows = [{"kode_sasaran": i.kode_sasaran or None, "sasaran": i.sasaran, "kode": i.kode, "indikator": i.nama,
             "satuan": i.satuan or None, "polaritas": i.polaritas.value if i.polaritas else None,
             "kode_induk": i.kode_induk or None, "cascading": i.cascading.value if i.cascading else None}
            for i in pk.indikator]
    fill_table(wb, spec.PK_INDIKATOR, [{k: v for k, v in r.items() if v is not None} for r in rows])
    fill_table(wb, spec.PK_ANGGARAN, [{"kode": a.kode, "uraian": a.uraian} for a in pk.anggaran])
    note = Carried(Path())
    note.carried.append("pejabat (periksa bila berganti)")
    note.carried.append(_count(len(pk.indikator), "indikator dengan sasaran, satuan, polaritas dan induknya"))
    note.to_fill += [_count(len(pk.indikator), "target"), "tanggal penandatanganan"]
    if pk.anggaran:
        note.carried.append(_count(len(pk.anggaran), "kegiatan"))
        note.to_fill.append(_count(len(pk.anggaran), "anggaran"))
    return wb, note


def _rkt_book(rkt: RencanaKinerjaTahunan, tahun: int, hierarchy: Hierarchy):
    wb = new_workbook(Kind.RKT, satker=rkt.satker, tahun=tahun, hierarchy=hierarchy)
    if rkt.tempat:
        fill_form(wb, Kind.RKT, {"tempat": rkt.tempat})
    rows = []
    for r in rkt.rows:
        i = r.indikator
        row = {"kode_sasaran": i.kode_sasaran, "sasaran": i.sasaran, "kode": i.kode, "indikator": i.nama,
               "satuan": i.satuan, "polaritas": i.polaritas.value if i.polaritas else None,
               "kode_kegiatan": r.kode_kegiatan, "kegiatan": r.kegiatan}
        rows.append({k: v for k, v in row.items() if v})
    fill_table(wb, spec.RKT_TABLE, rows)
    note = Carried(Path(), carried=[_count(len(rkt.rows), "baris indikator dan kegiatan")],
                   to_fill=[_count(len(rkt.rows), "target dan anggaran"), "tanggal RKT"])
    return wb, note


def _realisasi_book(real: Realisasi, tahun: int, hierarchy: Hierarchy):
    wb = new_workbook(Kind.REALISASI, satker=real.satker, tahun=tahun, hierarchy=hierarchy)
    if real.tempat:
        fill_form(wb, Kind.REALISASI, {"tempat": real.tempat})
    rows, carried = [], 0
    for ri in real.indikator:
        row = {"kode": ri.kode, "indikator": ri.nama, "satuan": ri.satuan,
               "polaritas": ri.polaritas.value if ri.polaritas else None,
               "agregasi": ri.agregasi.value if ri.agregasi else None}
        last = annual_realisasi(ri)
        if last is not None:
            row["tahun_lalu"] = last / 100 if ri.satuan == "%" else last  # percent points -> a percent cell
            carried += 1
        elif ri.teks:
            row["tahun_lalu"] = ri.teks
            carried += 1
        rows.append({k: v for k, v in row.items() if v is not None})
    fill_table(wb, spec.REALISASI_INDIKATOR, rows)
    ws = wb[spec.REALISASI_INDIKATOR.name]
    column = [c.key for c in spec.REALISASI_INDIKATOR.columns].index("tahun_lalu") + 1
    for n, ri in enumerate(real.indikator):
        if ri.satuan == "%":
            ws.cell(spec.REALISASI_INDIKATOR.first_data_row + n, column).number_format = PERCENT
    fill_table(wb, spec.REALISASI_ANGGARAN, [{"kode": a.kode, "uraian": a.uraian} for a in real.anggaran])
    narasi = [{"bagian": key, "judul": title, **({"teks": real.narasi[key]} if key in STABLE_NARASI
                                                 and real.narasi.get(key) else {})}
              for key, title in spec.NARASI_PARTS]
    fill_table(wb, spec.NARASI, narasi)
    kept = [title for key, title in spec.NARASI_PARTS if key in STABLE_NARASI and real.narasi.get(key)]
    stale = [title for key, title in spec.NARASI_PARTS if key in STABLE_NARASI
             and real.tahun and str(real.tahun) in (real.narasi.get(key) or "")]
    note = Carried(Path(), carried=[_count(carried, "realisasi tahun ini sebagai Realisasi Tahun Lalu"),
                                    _count(len(real.anggaran), "kegiatan")])
    if kept:
        note.carried.append("narasi " + ", ".join(kept) + (f" (menyebut tahun {real.tahun}: {', '.join(stale)})"
                                                           if stale else ""))
    note.to_fill += [_count(len(real.indikator), "target, Target Renstra dan realisasi triwulan"),
                     _count(len(real.anggaran), "pagu dan realisasi anggaran"), "tanggal",
                     "narasi Kata Pengantar, Ikhtisar, Analisis dan Penutup"]
    return wb, note


def next_year(kset: KinerjaSet, out: str | Path, *, tahun: int, hierarchy: Hierarchy, protect=(),
              overwrite: bool = False) -> list[Carried]:
    """Write next year's workbooks of one satker into ``out``; returns what each received.

    ``protect``: files and folders never written (the source set). Refuses an existing file unless
    ``overwrite``; writes all or nothing.
    """
    books = []
    for pk in kset.pks:
        books.append((Path(pk.source).name, *_pk_book(pk, tahun, hierarchy)))
    if kset.rkt is not None:
        books.append((Path(kset.rkt.source).name, *_rkt_book(kset.rkt, tahun, hierarchy)))
    if kset.realisasi is not None:
        books.append((Path(kset.realisasi.source).name, *_realisasi_book(kset.realisasi, tahun, hierarchy)))
    if not books:
        raise CarryError("Tidak ada buku kerja yang terbaca untuk dibawa ke tahun berikutnya.")
    old = next((d.tahun for d in (*kset.pks, kset.rkt, kset.realisasi) if d is not None and d.tahun), None)
    out = Path(out)
    plan = OutputPlan(protect)
    targets = [plan.claim(out / new_name(name, old, tahun)) for name, _, _ in books]
    existing = [t for t in targets if t.exists()]
    if existing and not overwrite:
        raise FileExistsError(existing[0])
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".sementara-{os.getpid()}-", dir=out))
    try:
        notes = []
        for (name, wb, note), target in zip(books, targets):
            save(wb, staging / target.name)
            note.path = target
            notes.append(note)
        for target in targets:
            os.replace(staging / target.name, target)
        return notes
    except BaseException:
        if created:
            shutil.rmtree(out, ignore_errors=True)
        raise
    finally:
        shutil.rmtree(staging, ignore_errors=True)
