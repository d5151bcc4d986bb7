"""Next year's set from this year's (``kinerja-xl template set --dari FOLDER_2022 --tahun 2023``).

What stays from one year to the next is written into the new workbooks; what must be decided again
is left empty, so that ``validate`` names each cell still to fill (never a silent copy):

* carried: the officials (pihak pertama and kedua: names, jabatan, NIP and Plt./Plh./Pj. status, to be
  checked), the place of signing, every sasaran and indikator with its kode, satuan, polaritas, kode
  induk, cascading and agregasi, the kegiatan (kode and uraian), the RKT's IKU column, this year's
  realisasi as next year's "Realisasi Tahun Lalu", the Narasi parts that describe the office (latar
  belakang, maksud dan tujuan, tugas dan fungsi, struktur organisasi, Renstra), and the Renstra workbook
  (the same five-year period) as it is, with this year's annual realisasi in its "Realisasi Tahun ke-n"
  where that cell is empty (one typed there is kept);
* proposed: when the new year is inside the Renstra's period, the Renstra target of that year becomes the
  PK and RKT target of each IKU (the Renstra cell copied, format and all); the summary says so;
* to fill: every other target, the Rencana Aksi (the quarters' targets and budget plan), the Monitoring
  sheets, every budget (anggaran, pagu), every date, the quarters' realisation, the Target Renstra of
  Realisasi, and the Narasi parts that speak of one year (kata pengantar, ikhtisar, analisis, penutup).

Of a post with a PK Perubahan, only the version in force is carried: next year's PK is a first PK again,
under the plain name of the post's PK (the earliest version's, without "_Perubahan_1"), with Revisi ke,
Berlaku Mulai, Alasan Perubahan and Berkas PK Sebelumnya empty.
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

from typing import Any

import openpyxl

from .. import spec
from ..checks.capaian import annual_realisasi
from ..fsutil import OutputPlan
from ..levels import Hierarchy
from ..model import CellRef, KinerjaSet, Kind, PerjanjianKinerja, Realisasi, RencanaKinerjaTahunan, Renstra
from .templates import fill_form, fill_table, new_workbook, save, set_filenames

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


class _Cells:
    """The source workbooks, each opened once, to copy a cell as it is: its value and its number format
    (a Renstra target typed 92% in a percent cell stays 92% in the new PK)."""

    def __init__(self) -> None:
        self._books: dict[str, Any] = {}

    def get(self, ref: CellRef | None) -> tuple[Any, str] | None:
        if ref is None or not ref.cell:
            return None
        if ref.file not in self._books:
            self._books[ref.file] = openpyxl.load_workbook(ref.file, data_only=True)
        cell = self._books[ref.file][ref.sheet][ref.cell]
        return None if cell.value is None else (cell.value, cell.number_format)


def _put(wb, table: spec.TableSheet, row: int, key: str, copied: tuple[Any, str]) -> None:
    """Write a copied cell into row ``row`` (0-based, under the header) of ``table``."""
    column = [c.key for c in table.columns].index(key) + 1
    cell = wb[table.name].cell(table.first_data_row + row, column, copied[0])
    cell.number_format = copied[1]


@dataclass
class _Renstra:
    """The Renstra's target of each IKU for the new year, as cells to copy (empty outside its period)."""

    cells: _Cells
    renstra: Renstra | None
    tahun: int

    @property
    def year(self) -> int | None:
        """1..5: the new year's place in the period (None: no Renstra, or the year is outside it)."""
        i = self.renstra.year_index(self.tahun) if self.renstra is not None else None
        return None if i is None else i + 1

    def target(self, kode: str) -> tuple[Any, str] | None:
        if self.renstra is None or self.year is None:
            return None
        ind = self.renstra.indikator_of(kode)
        return self.cells.get(ind.refs.get(f"target_{self.year}")) if ind is not None else None

    def proposed(self, n: int) -> str:
        return _count(n, f"target diusulkan dari Renstra (Target Tahun ke-{self.year}, {self.tahun}; periksa)")


def new_name(name: str, old: int | None, new: int) -> str:
    """The file name for the new year: a four-digit old year in it becomes the new one.

    >>> new_name("PK_2022_Ketua.xlsx", 2022, 2023), new_name("RKT.xlsx", 2022, 2023)
    ('PK_2023_Ketua.xlsx', 'RKT.xlsx')
    """
    return re.sub(rf"(?<!\d){old}(?!\d)", str(new), name) if old else name


def _pk_book(pk: PerjanjianKinerja, tahun: int, hierarchy: Hierarchy, plan: _Renstra):
    wb = new_workbook(Kind.PK, level=pk.level, unit=pk.unit, satker=pk.satker, tahun=tahun, hierarchy=hierarchy)
    pp, kedua = pk.pihak_pertama, pk.pihak_kedua
    values = {"pp_nama": pp.nama, "pp_jabatan": pp.jabatan, "pp_nip": pp.nip,
              "pp_status": pp.status.value if pp.status else None, "tempat": pk.tempat}
    if kedua is not None:
        values |= {"pk_nama": kedua.nama, "pk_jabatan": kedua.jabatan, "pk_nip": kedua.nip,
                   "pk_status": kedua.status.value if kedua.status else None}
    fill_form(wb, Kind.PK, {k: v for k, v in values.items() if v})
    rows = [{"kode_sasaran": i.kode_sasaran or None, "sasaran": i.sasaran, "kode": i.kode, "indikator": i.nama,
             "satuan": i.satuan or None, "polaritas": i.polaritas.value if i.polaritas else None,
             "kode_induk": i.kode_induk or None, "cascading": i.cascading.value if i.cascading else None,
             "agregasi": i.agregasi.value if i.agregasi else None}
            for i in pk.indikator]
    fill_table(wb, spec.PK_INDIKATOR, [{k: v for k, v in r.items() if v is not None} for r in rows])
    proposed = 0
    for n, ind in enumerate(pk.indikator):
        target = plan.target(ind.kode)
        if target is not None:
            _put(wb, spec.PK_INDIKATOR, n, "target", target)
            proposed += 1
    fill_table(wb, spec.PK_ANGGARAN, [{"kode": a.kode, "uraian": a.uraian} for a in pk.anggaran])
    note = Carried(Path())
    if pk.perubahan:
        note.carried.append(f"PK Perubahan ke-{pk.revisi} ({Path(pk.source).name}), versi yang berlaku; Revisi ke, "
                            "Berlaku Mulai, Alasan Perubahan dan Berkas PK Sebelumnya dikosongkan")
    note.carried.append("pejabat dan statusnya (periksa bila berganti)")
    note.carried.append(_count(len(pk.indikator), "indikator dengan sasaran, satuan, polaritas, induk dan agregasi"))
    if proposed:
        note.carried.append(plan.proposed(proposed))
    if len(pk.indikator) > proposed:
        note.to_fill.append(_count(len(pk.indikator) - proposed, "target"))
    note.to_fill += ["target triwulan (Rencana Aksi)", "tanggal penandatanganan"]
    if pk.anggaran:
        note.carried.append(_count(len(pk.anggaran), "kegiatan"))
        note.to_fill.append(_count(len(pk.anggaran), "anggaran dan rencana triwulannya"))
    note.to_fill.append("lembar Monitoring (setiap triwulan)")
    return wb, note


def _plain_name(pk: PerjanjianKinerja, kset: KinerjaSet, hierarchy: Hierarchy) -> str:
    """The file name of a post's PK without its revision: the earliest version's on file, else the set's."""
    name = Path(pk.source).name
    if not pk.perubahan:
        return name
    earlier = [v for v in kset.superseded if (v.level, v.unit.casefold()) == (pk.level, pk.unit.casefold())]
    if earlier:
        return Path(min(earlier, key=lambda v: v.revisi).source).name
    for kind, lv, unit, set_name in set_filenames(hierarchy):
        if kind is Kind.PK and lv is not None and lv.id == pk.level and unit.casefold() == pk.unit.casefold():
            return set_name
    return re.sub(r"_Perubahan_\d+(?=\.xlsx$)", "", name, flags=re.IGNORECASE)


def _rkt_book(rkt: RencanaKinerjaTahunan, tahun: int, hierarchy: Hierarchy, plan: _Renstra):
    wb = new_workbook(Kind.RKT, satker=rkt.satker, tahun=tahun, hierarchy=hierarchy)
    if rkt.tempat:
        fill_form(wb, Kind.RKT, {"tempat": rkt.tempat})
    rows = []
    for r in rkt.rows:
        i = r.indikator
        row = {"kode_sasaran": i.kode_sasaran, "sasaran": i.sasaran, "kode": i.kode, "indikator": i.nama,
               "satuan": i.satuan, "polaritas": i.polaritas.value if i.polaritas else None,
               "kode_kegiatan": r.kode_kegiatan, "kegiatan": r.kegiatan,
               "iku": None if r.iku is None else ("ya" if r.iku else "tidak")}
        rows.append({k: v for k, v in row.items() if v})
    fill_table(wb, spec.RKT_TABLE, rows)
    proposed = 0
    for n, r in enumerate(rkt.rows):
        target = plan.target(r.indikator.kode) if r.iku is not False else None  # "tidak": not an IKU
        if target is not None:
            _put(wb, spec.RKT_TABLE, n, "target", target)
            proposed += 1
    carried = [_count(len(rkt.rows), "baris indikator, kegiatan dan IKU")]
    if proposed:
        carried.append(plan.proposed(proposed))
    to_fill = ([_count(len(rkt.rows) - proposed, "target")] if len(rkt.rows) > proposed else []) + [
        _count(len(rkt.rows), "anggaran"), "tanggal RKT"]
    return wb, Carried(Path(), carried=carried, to_fill=to_fill)


def _renstra_book(renstra: Renstra, tahun: int, hierarchy: Hierarchy, plan: _Renstra,
                  real: Realisasi | None = None):
    """The Renstra as it is (the same period): every cell of its two sheets copied with its format; the
    realisasi of the year just ended ("Realisasi Tahun ke-n"), where its cell is empty, from the annual
    realisasi of the Realisasi workbook (the value also carried as its "Realisasi Tahun Lalu")."""
    wb = new_workbook(Kind.RENSTRA, satker=renstra.satker, hierarchy=hierarchy)
    fill_form(wb, Kind.RENSTRA, {k: v for k, v in (("periode_awal", renstra.periode_awal),
                                                   ("periode_akhir", renstra.periode_akhir),
                                                   ("penetapan", renstra.penetapan)) if v})
    for table, rows in ((spec.RENSTRA_TABLE, renstra.indikator), (spec.MANUAL_IKU, renstra.manual)):
        for n, row in enumerate(rows):
            for col in table.columns:
                copied = plan.cells.get(row.refs.get(col.key))
                if copied is not None:
                    _put(wb, table, n, col.key, copied)
    period = f"{renstra.periode_awal}-{renstra.periode_akhir}"
    note = Carried(Path(), carried=[f"Renstra {period}: {_count(len(renstra.indikator), 'IKU')} dengan target dan "
                                    f"realisasinya, {_count(len(renstra.manual), 'Manual IKU')}"])
    ended = renstra.year_index(tahun - 1)  # the year just reported, 0-based in the period (None: outside)
    filled = typed = 0
    if ended is not None:
        typed = sum(1 for ind in renstra.indikator if ended < len(ind.realisasi) and ind.realisasi[ended] is not None)
    if ended is not None and real is not None and real.tahun == tahun - 1:
        key = f"realisasi_{ended + 1}"
        measured = {ri.kode: ri for ri in real.indikator}
        for n, ind in enumerate(renstra.indikator):
            ri = measured.get(ind.kode)
            value = annual_realisasi(ri) if ri is not None else None
            if value is None or (ended < len(ind.realisasi) and ind.realisasi[ended] is not None):
                continue  # not measured, or typed in the Renstra already (kept as typed)
            _put(wb, spec.RENSTRA_TABLE, n, key, (value / 100, PERCENT) if ri.satuan == "%" else (value, "General"))
            filled += 1
        if filled:
            note.carried.append(_count(filled, f"realisasi {tahun - 1} dari Realisasi {tahun - 1} ke Realisasi Tahun "
                                                f"ke-{ended + 1} Renstra"))
    if plan.year is None:
        note.to_fill.append(f"Renstra baru: tahun {tahun} di luar periode {period}")
    if ended is not None and filled + typed < len(renstra.indikator):
        note.to_fill.append(f"Realisasi Tahun ke-{ended + 1} ({tahun - 1}) dari "
                            f"{_count(len(renstra.indikator) - filled - typed, 'IKU')} lain bila sudah diukur")
    return wb, note


def _realisasi_book(real: Realisasi, tahun: int, hierarchy: Hierarchy, has_renstra: bool = False):
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
    # The Target Renstra is the period's end target: with a Renstra workbook the documents take it from there.
    renstra_note = "" if has_renstra else ", Target Renstra"
    note.to_fill += [_count(len(real.indikator), f"target{renstra_note} dan realisasi triwulan"),
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
    plan = _Renstra(_Cells(), kset.renstra, tahun)
    for pk in kset.pks:  # the versions in force: a superseded PK is not carried
        books.append((_plain_name(pk, kset, hierarchy), *_pk_book(pk, tahun, hierarchy, plan)))
    if kset.rkt is not None:
        books.append((Path(kset.rkt.source).name, *_rkt_book(kset.rkt, tahun, hierarchy, plan)))
    if kset.realisasi is not None:
        books.append((Path(kset.realisasi.source).name, *_realisasi_book(kset.realisasi, tahun, hierarchy, kset.renstra is not None)))
    if kset.renstra is not None:
        books.append((Path(kset.renstra.source).name, *_renstra_book(kset.renstra, tahun, hierarchy, plan, kset.realisasi)))
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
