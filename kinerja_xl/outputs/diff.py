"""What changed between two versions of one workbook, cell by cell (``kinerja-xl diff OLD NEW``).

A PK revised mid-year (a new official, a Plt., a target or budget changed after a DIPA revision) is
a new copy of the workbook beside the old one (PK Perubahan); this lists what differs between them, each
change with the cell of both versions: the Identitas (status Plt./Plh./Pj., Revisi ke, Berlaku Mulai,
Alasan Perubahan, Berkas PK Sebelumnya too), the indicators with their Rencana Aksi, the budget with its
quarterly plan, and the Monitoring sheets. Two versions of an RKT or of a Renstra (both of its sheets,
Renstra and Manual IKU) compare the same way. Values are compared as read (``90%`` and ``0,9`` in a percent cell
are the same target; a name differing only in spaces is the same name), so reformatting a cell is not
a change. Rows are matched by their code (kode indikator, kode kegiatan), not by their position:
inserting a row above the others changes nothing but that row.

Labels come from :mod:`.spec` (the field label, the column header), as in every message.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from typing import Any

from .. import fmt, spec
from ..model import (CellRef, Indikator, Kind, ManualIku, MonitoringAnggaran, MonitoringIndikator, PerjanjianKinerja,
                     RencanaKinerjaTahunan, Renstra, RenstraIndikator, RktRow, Target)


class Change(str, Enum):
    CHANGED = "diubah"
    ADDED = "ditambah"
    REMOVED = "dihapus"


@dataclass(frozen=True)
class Difference:
    """One change: what (a field or a row's column), the old and new value, and where each one is."""

    change: Change
    what: str
    old: str
    new: str
    old_ref: CellRef | None = None
    new_ref: CellRef | None = None

    def as_dict(self) -> dict[str, Any]:
        def ref(r: CellRef | None):
            return None if r is None else {"file": r.file, "sheet": r.sheet, "cell": r.cell}

        return {"change": self.change.value, "what": self.what, "old": self.old, "new": self.new,
                "old_location": ref(self.old_ref), "new_location": ref(self.new_ref)}


class NotComparable(ValueError):
    """The two workbooks are not two versions of one document (different kinds, unreadable)."""


def _shown(value: Any) -> str:
    """A value as a person reads it (dates the Indonesian way, numbers with Indonesian separators)."""
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, dt.date):
        return fmt.tanggal(value)
    if isinstance(value, bool):
        return "ya" if value else "tidak"
    if isinstance(value, int):
        return fmt.number(value, 0)
    if isinstance(value, float):
        return fmt.smart_number(value)
    return " ".join(str(value).split())


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold() if a and b else a == b


# --- what each kind of workbook holds, keyed as the spec declares it ------------------------------------------
def _pk_form(pk: PerjanjianKinerja) -> dict[str, Any]:
    pp, kedua = pk.pihak_pertama, pk.pihak_kedua
    return {"satker": pk.satker, "tahun": pk.tahun, "tingkat": pk.level, "unit": pk.unit,
            "pp_nama": pp.nama, "pp_jabatan": pp.jabatan, "pp_nip": fmt.nip(pp.nip) if pp.nip else "",
            "pk_nama": kedua.nama if kedua else "", "pk_jabatan": kedua.jabatan if kedua else "",
            "pk_nip": fmt.nip(kedua.nip) if kedua and kedua.nip else "", "tempat": pk.tempat, "tanggal": pk.tanggal,
            "pp_status": pp.status, "pk_status": kedua.status if kedua else None, "revisi": pk.revisi,
            "berlaku": pk.berlaku, "alasan": pk.alasan, "sebelumnya": pk.sebelumnya}


def _renstra_form(doc: Renstra) -> dict[str, Any]:
    return {"satker": doc.satker, "periode_awal": doc.periode_awal, "periode_akhir": doc.periode_akhir,
            "penetapan": doc.penetapan}


def _rkt_form(rkt: RencanaKinerjaTahunan) -> dict[str, Any]:
    return {"satker": rkt.satker, "tahun": rkt.tahun, "tempat": rkt.tempat,
            "tanggal": rkt.tanggal}


def _target(t: Target | None, satuan: str) -> str:
    return fmt.target(t, satuan) if t is not None else ""


def _realised(value: float | None, satuan: str, text: str | None = None) -> str:
    """A realisasi as read (percent points for %) shown like a target: "92%"; a predikat as typed."""
    if value is None:
        return text or ""
    return fmt.target(Target(value=value), satuan)


def _rupiah(amount: int | None) -> str:
    return fmt.number(amount, 0) if amount is not None else ""


def _quarters(prefix: str, values: Sequence[Any], show: Callable[[Any], str] = lambda v: v) -> dict[str, Any]:
    """{"target_tw1": ..., "target_tw4": ...}: the four quarters of a series under the spec's keys."""
    return {f"{prefix}{i}": show(v) if v is not None else "" for i, v in enumerate(values, 1)}


def _indikator_cells(ind: Indikator) -> dict[str, Any]:
    return {"kode_sasaran": ind.kode_sasaran, "sasaran": ind.sasaran, "kode": ind.kode, "indikator": ind.nama,
            "satuan": ind.satuan, "target": _target(ind.target, ind.satuan),
            "polaritas": ind.polaritas, "kode_induk": ind.kode_induk, "cascading": ind.cascading,
            "agregasi": ind.agregasi, **_quarters("target_tw", ind.target_tw, lambda t: _target(t, ind.satuan))}


def _rkt_cells(row: RktRow) -> dict[str, Any]:
    return {**_indikator_cells(row.indikator), "kode_kegiatan": row.kode_kegiatan, "kegiatan": row.kegiatan,
            "anggaran": _rupiah(row.anggaran), "iku": row.iku}


def _monitoring_cells(satuan: Mapping[str, str]) -> Callable[[MonitoringIndikator], dict[str, Any]]:
    """A Monitoring row's cells; its realisasi are written in the satuan of the indicator (sheet Indikator)."""
    def cells(m: MonitoringIndikator) -> dict[str, Any]:
        unit = satuan.get(m.kode, "")
        out: dict[str, Any] = {"kode": m.kode, "indikator": m.nama}
        for i in range(1, 5):
            out |= {f"tw{i}": _realised(m.realisasi[i - 1], unit, m.teks[i - 1]),
                    f"kendala_tw{i}": m.kendala[i - 1], f"tindak_lanjut_tw{i}": m.tindak_lanjut[i - 1]}
        return out
    return cells


def _spent_cells(m: MonitoringAnggaran) -> dict[str, Any]:
    return {"kode": m.kode, "uraian": m.uraian, **_quarters("realisasi_tw", m.realisasi, _rupiah)}


def _renstra_cells(ind: RenstraIndikator) -> dict[str, Any]:
    unit = ind.satuan
    return {"kode_sasaran": ind.kode_sasaran, "sasaran": ind.sasaran, "kode": ind.kode, "indikator": ind.nama,
            "satuan": unit, "polaritas": ind.polaritas, "baseline": _target(ind.baseline, unit),
            **{f"target_{i}": _target(t, unit) for i, t in enumerate(ind.targets, 1)},
            **{f"realisasi_{i}": _realised(v, unit) for i, v in enumerate(ind.realisasi, 1)},
            "standar": _target(ind.standar, unit)}


def _manual_cells(m: ManualIku) -> dict[str, Any]:
    return {"kode": m.kode, "indikator": m.nama, "definisi": m.definisi, "formula": m.formula,
            "sumber_data": m.sumber_data, "penanggung_jawab": m.penanggung_jawab, "cascading": m.cascading,
            "periode": m.periode, "penurunan": m.penurunan}


def _refs(obj) -> Mapping[str, CellRef]:
    return getattr(obj, "refs", None) or {}


@dataclass(frozen=True)
class _Rows:
    """One table of a workbook: its spec, the rows, a row's key, its cells and its refs."""

    table: spec.TableSheet
    rows: Sequence[Any]
    key: Callable[[Any], str]
    cells: Callable[[Any], dict[str, Any]]
    refs: Callable[[Any], Mapping[str, CellRef]] = _refs


def _by_kode(row) -> str:
    return row.kode


def _tables(doc) -> list[_Rows]:
    if isinstance(doc, PerjanjianKinerja):
        satuan = {i.kode: i.satuan for i in doc.indikator}
        # Monitoring sheets: None for a workbook of an older template, compared as empty
        return [_Rows(spec.PK_INDIKATOR, doc.indikator, _by_kode, _indikator_cells),
                _Rows(spec.PK_ANGGARAN, doc.anggaran, _by_kode,
                      lambda a: {"kode": a.kode, "uraian": a.uraian, "jumlah": _rupiah(a.jumlah),
                                 **_quarters("rencana_tw", a.rencana_tw, _rupiah)}),
                _Rows(spec.PK_MONITORING, doc.monitoring or (), _by_kode, _monitoring_cells(satuan)),
                _Rows(spec.PK_MONITORING_ANGGARAN, doc.monitoring_anggaran or (), _by_kode, _spent_cells)]
    if isinstance(doc, RencanaKinerjaTahunan):
        return [_Rows(spec.RKT_TABLE, doc.rows, lambda r: f"{r.indikator.kode} / {r.kode_kegiatan}".rstrip(" /"),
                      _rkt_cells, lambda r: {**_refs(r.indikator), **_refs(r)})]
    if isinstance(doc, Renstra):
        return [_Rows(spec.RENSTRA_TABLE, doc.indikator, _by_kode, _renstra_cells),
                _Rows(spec.MANUAL_IKU, doc.manual, _by_kode, _manual_cells)]
    raise NotComparable("Perbandingan dibuat untuk buku kerja PK, RKT dan Renstra.")


def _form(doc) -> tuple[spec.FormSheet, dict[str, Any]]:
    if isinstance(doc, PerjanjianKinerja):
        return spec.PK_FORM, _pk_form(doc)
    if isinstance(doc, Renstra):
        return spec.RENSTRA_FORM, _renstra_form(doc)
    return spec.RKT_FORM, _rkt_form(doc)


_KINDS = ((PerjanjianKinerja, Kind.PK), (RencanaKinerjaTahunan, Kind.RKT), (Renstra, Kind.RENSTRA))


def _kind(doc) -> Kind | None:
    return next((kind for cls, kind in _KINDS if isinstance(doc, cls)), None)


def compare(old, new) -> list[Difference]:
    """Every difference between two read documents of one kind (PK, RKT or Renstra), in sheet and row order."""
    if _kind(old) is None or _kind(old) != _kind(new):
        raise NotComparable("Kedua buku kerja harus sejenis (PK dengan PK, RKT dengan RKT, Renstra dengan Renstra).")
    out: list[Difference] = []
    form, old_form = _form(old)
    _, new_form = _form(new)
    for f in form.fields:
        a, b = (_shown(str(v) if f.kind == "int" and v is not None else v)  # a year is 2023, not 2.023
                for v in (old_form.get(f.key), new_form.get(f.key)))
        if not _same(a, b):
            label = f"{form.name}: {f.label}" + (f" ({_section(form, f)})" if _section(form, f) else "")
            out.append(Difference(Change.CHANGED, label, a, b, _refs(old).get(f.key), _refs(new).get(f.key)))
    for old_rows, new_rows in zip(_tables(old), _tables(new)):
        out += _compare_rows(old_rows, new_rows)
    return out


def _section(form: spec.FormSheet, f: spec.Field) -> str:
    """The section a field sits in ("PIHAK PERTAMA ..."), for the two "Nama" of a PK. The fields of version 3
    ("Status Pihak Pertama", "Revisi ke") say what they are by themselves: no section after them."""
    above = [s for s in form.sections if s.row < f.row]
    return above[-1].label.split(" (")[0].title() if above and above[-1].since == 1 else ""


def _compare_rows(old: _Rows, new: _Rows) -> list[Difference]:
    table = old.table
    by_key_old = {old.key(r): r for r in old.rows}
    by_key_new = {new.key(r): r for r in new.rows}
    out: list[Difference] = []
    keys = list(by_key_old) + [k for k in by_key_new if k not in by_key_old]
    for key in keys:
        a, b = by_key_old.get(key), by_key_new.get(key)
        if a is None or b is None:
            row = a if a is not None else b
            refs = (old if a is not None else new).refs(row)
            first = next(iter(refs.values()), None)
            cells = (old if a is not None else new).cells(row)
            text = " | ".join(_shown(v) for k, v in cells.items() if _shown(v) and k != "kode")
            change = Change.REMOVED if b is None else Change.ADDED
            out.append(Difference(change, f"{table.name}: baris {key}", text if a is not None else "",
                                  text if b is not None else "", first if a is not None else None,
                                  first if b is not None else None))
            continue
        cells_a, cells_b = old.cells(a), new.cells(b)
        for column in table.columns:
            va, vb = _shown(cells_a.get(column.key)), _shown(cells_b.get(column.key))
            if not _same(va, vb):
                out.append(Difference(Change.CHANGED, f"{table.name}: {column.header} {key}", va, vb,
                                      old.refs(a).get(column.key), new.refs(b).get(column.key)))
    return out


def compare_files(old_path, new_path, *, hierarchy=None) -> tuple[list[Difference], list]:
    """Read both workbooks and compare them; returns the differences and the reading findings (fatal
    findings raise :class:`NotComparable` naming the file)."""
    from ..reading.read import read_file

    docs, found = [], []
    for path in (old_path, new_path):
        result = read_file(path, hierarchy=hierarchy)
        found += list(result.issues)
        if result.document is None:
            first = result.issues[0].message if result.issues else ""
            raise NotComparable(f"{path} tidak dapat dibaca: {first}")
        docs.append(result.document)
    return compare(*docs), found


def rows_for_table(differences: Iterable[Difference]) -> list[tuple[str, str, str, str, str]]:
    """(perubahan, apa, sel lama -> sel baru, lama, baru) for a printed table."""
    def cell(r: CellRef | None) -> str:
        return f"{r.sheet}!{r.cell}" if r is not None and r.cell else "-"

    return [(d.change.value, d.what, f"{cell(d.old_ref)} -> {cell(d.new_ref)}", d.old or "-", d.new or "-")
            for d in differences]
