"""Workbook to model: each kind of workbook (PK, RKT, Realisasi, Renstra) to its document, every value
with its cell.

The forms and tables are read by :class:`.sheets.SheetReader`, which finds sheets, labels and table
headers from :mod:`kinerja_xl.spec`, so a row inserted above a table, a column moved or a renamed sheet
is still read (with a warning). The reader only reports what it cannot read (a text where a number
belongs, a formula never calculated); judging the values is the job of :mod:`kinerja_xl.checks`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from . import parse
from .. import spec, workers
from ..findings.issues import Issue, make
from ..levels import Hierarchy, load_hierarchy
from ..model import (
    Agregasi, Anggaran, Cascading, CellRef, Document, Indikator, Kind, ManualIku, MonitoringAnggaran,
    MonitoringIndikator, Pejabat, Penurunan, PerjanjianKinerja, Polaritas, Realisasi, RealisasiAnggaran,
    RealisasiIndikator, RencanaKinerjaTahunan, Renstra, RenstraIndikator, RktRow, StatusJabatan, Target,
)
from .sheets import SheetReader, TableRow
from .source import SourceError, WorkbookGrid, load_xlsx


@dataclass(frozen=True)
class ReadResult:
    """What one workbook holds (``document`` is None when it could not be read) and the findings."""

    path: str
    document: Document | None
    issues: tuple[Issue, ...] = ()
    kind: Kind | None = None
    meta: dict[str, str] = field(default_factory=dict)


def read_file(path: str | Path, *, hierarchy: Hierarchy | None = None, display: str | None = None) -> ReadResult:
    """Read one workbook file. Never raises for bad input: problems come back as issues."""
    name = display or str(path)
    crashed = workers.begin_reading(str(path))  # in a worker process: noted, in case the file kills it
    if crashed is not None:  # it did, earlier in this run: not read again
        return ReadResult(name, None, (make("file-crashed", CellRef(name), reason=crashed),))
    try:
        # The instructions sheet is the template's own text: the reader never needs its cells.
        grid = load_xlsx(path, display=name, skip_sheets=frozenset({spec.PETUNJUK}))
        return read_grid(grid, hierarchy=hierarchy)
    except SourceError as err:
        return ReadResult(name, None, (make(err.code, CellRef(name, err.sheet, err.cell), **err.params),))
    finally:
        workers.end_reading()


def read_grid(grid: WorkbookGrid, *, hierarchy: Hierarchy | None = None) -> ReadResult:
    """Read a workbook grid (from a file or from the live values of an open book)."""
    return _Reader(grid, hierarchy or load_hierarchy()).run()


def read_marker(grid: WorkbookGrid) -> dict[str, str]:
    sheet = grid.sheet(spec.MARKER_SHEET)
    if sheet is None:
        return {}
    out = {}
    for row in range(1, sheet.max_row + 1):
        key, value = sheet.value(row, 1), sheet.value(row, 2)
        if key is not None:
            out[parse.clean_text(key)] = parse.clean_text(value)
    return out


class _Reader(SheetReader):
    """One workbook to its document (PK, RKT, Realisasi, Renstra)."""

    # --- entry ---------------------------------------------------------------------------------------
    def run(self) -> ReadResult:
        meta = read_marker(self.grid)
        kind = self._kind(meta)
        if kind is None:
            self.add("template-unknown", self.ref())
            return ReadResult(self.file, None, tuple(self.issues), None, meta)
        version = meta.get("versi", "")
        self.version = int(version) if version.isdigit() else None
        if version.isdigit() and int(version) > spec.TEMPLATE_VERSION:
            self.add("template-version-newer", self.ref(spec.MARKER_SHEET), version=version,
                     supported=spec.TEMPLATE_VERSION)
            return ReadResult(self.file, None, tuple(self.issues), kind, meta)
        if version.isdigit() and int(version) < spec.TEMPLATE_VERSION:
            news = [text for v, text in sorted(spec.VERSION_NEWS.items()) if v > int(version)]
            self.add("template-version-older", self.ref(spec.MARKER_SHEET), version=version,
                     supported=spec.TEMPLATE_VERSION, new="; ".join(news))
        made_for = meta.get("hirarki", "")
        if made_for and made_for != self.hierarchy.id:  # levels and units will not be what the book expects
            self.add("hierarchy-mismatch", self.ref(spec.MARKER_SHEET), made_for=made_for, used=self.hierarchy.id)
        builder = {Kind.PK: self._pk, Kind.RKT: self._rkt, Kind.REALISASI: self._realisasi,
                   Kind.RENSTRA: self._renstra}[kind]
        document = builder(meta)
        return ReadResult(self.file, document, tuple(self.issues), kind, meta)

    def _kind(self, meta: dict[str, str]) -> Kind | None:
        if meta.get("jenis") in {k.value for k in Kind}:
            return Kind(meta["jenis"])
        specs = ((Kind.REALISASI, spec.REALISASI_SPEC), (Kind.RENSTRA, spec.RENSTRA_SPEC), (Kind.RKT, spec.RKT_SPEC),
                 (Kind.PK, spec.PK_SPEC))
        # Sheets found by their own names first; only then by headers (a renamed sheet). The sheets a later
        # template version added are not needed to recognise a workbook.
        def tables(s: spec.WorkbookSpec) -> list[spec.TableSheet]:
            return [t for t in s.tables if t.since == 1]
        guesses = [k for k, s in specs if all(self.grid.sheet(t.name) and self._find_table(t, quiet=True)
                                               for t in tables(s))]
        guesses = guesses or [k for k, s in specs if all(self._find_table(t, quiet=True) for t in tables(s))]
        if not guesses:
            return None
        self.add("template-marker-missing", self.ref(), kind=guesses[0].value)
        return guesses[0]

    def _indikator(self, row: TableRow, table: spec.TableSheet) -> Indikator:
        satuan = self._required_text(row, table, "satuan")
        return Indikator(
            kode=self._required_text(row, table, "kode"),
            nama=self._required_text(row, table, "indikator"),
            kode_sasaran=self._text(row, "kode_sasaran"),
            sasaran=self._required_text(row, table, "sasaran"),
            satuan=satuan,
            target=self._target(row, "target", table.column("target").header, satuan, required=True),
            polaritas=self._choice(row, table, "polaritas", Polaritas, required=True),
            kode_induk=self._text(row, "kode_induk") if "kode_induk" in row.refs else "",
            cascading=self._choice(row, table, "cascading", Cascading, required=False) if "cascading" in row.refs else None,
            agregasi=self._choice(row, table, "agregasi", Agregasi, required=False) if "agregasi" in row.refs else None,
            target_tw=tuple(self._target(row, f"target_tw{i}", table.column(f"target_tw{i}").header, satuan)
                            if f"target_tw{i}" in row.refs else None for i in range(1, 5)),
            refs=MappingProxyType(dict(row.refs)),
        )

    def _anggaran(self, row: TableRow, table: spec.TableSheet, key: str = "jumlah") -> Anggaran:
        return Anggaran(
            kode=self._required_text(row, table, "kode"),
            uraian=self._required_text(row, table, "uraian"),
            jumlah=self._rupiah(row, key, table.column(key).header),
            rencana_tw=tuple(self._rupiah(row, f"rencana_tw{i}", table.column(f"rencana_tw{i}").header, required=False)
                             for i in range(1, 5)) if "rencana_tw1" in row.refs else (None,) * 4,
            refs=MappingProxyType(dict(row.refs)),
        )

    # --- documents -----------------------------------------------------------------------------------

    def _pk(self, meta: dict[str, str]) -> PerjanjianKinerja | None:
        values, refs = self._satker_form(spec.PK_FORM)
        level_id = meta.get("tingkat") or self._level_from_name(values.get("tingkat", ""))
        if self.hierarchy.get(level_id or "") is None:
            self.add("level-unknown", refs.get("tingkat", self.ref(spec.PK_FORM.name)),
                     level=level_id or values.get("tingkat", ""), hierarchy=self.hierarchy.id)
        rows = self._table(spec.PK_INDIKATOR) or []
        indikator = tuple(self._indikator(r, spec.PK_INDIKATOR) for r in rows)
        budget_rows = self._table(spec.PK_ANGGARAN, allow_empty=True) or []
        anggaran = tuple(self._anggaran(r, spec.PK_ANGGARAN) for r in budget_rows)
        pihak_kedua = None
        if values.get("pk_nama") or values.get("pk_jabatan") or values.get("pk_nip"):
            pihak_kedua = Pejabat(values.get("pk_nama", ""), values.get("pk_jabatan", ""), values.get("pk_nip"),
                                  _status(values.get("pk_status")))
        satuan = {i.kode: i.satuan for i in indikator}
        monitoring = self._monitoring(satuan)
        spent = self._table(spec.PK_MONITORING_ANGGARAN, allow_empty=True)
        return PerjanjianKinerja(
            source=self.file,
            level=level_id or "",
            unit=meta.get("unit", values.get("unit", "")) or values.get("unit", ""),
            satker=values.get("satker", ""),
            tahun=values.get("tahun"),
            pihak_pertama=Pejabat(values.get("pp_nama", ""), values.get("pp_jabatan", ""), values.get("pp_nip"),
                                  _status(values.get("pp_status"))),
            pihak_kedua=pihak_kedua,
            tempat=values.get("tempat", ""),
            tanggal=values.get("tanggal"),
            indikator=indikator,
            anggaran=anggaran,
            refs=MappingProxyType(refs),  # one key scheme: the form's field keys (pp_nama, pk_nip, ...)
            revisi=values.get("revisi") or 0,
            berlaku=values.get("berlaku"),
            alasan=values.get("alasan") or "",
            sebelumnya=values.get("sebelumnya") or "",
            monitoring=monitoring,
            monitoring_anggaran=None if spent is None else tuple(self._spent(r) for r in spent),
        )

    def _monitoring(self, satuan: dict[str, str]) -> tuple[MonitoringIndikator, ...] | None:
        table = spec.PK_MONITORING
        rows = self._table(table, allow_empty=True)
        if rows is None:
            return None
        out = []
        for r in rows:
            kode = self._required_text(r, table, "kode")
            unit = satuan.get(kode, "")
            values = [self._target(r, f"tw{i}", table.column(f"tw{i}").header, unit) for i in range(1, 5)]
            out.append(MonitoringIndikator(
                kode=kode,
                nama=self._text(r, "indikator"),
                realisasi=tuple(None if v is None else v.comparable() for v in values),
                teks=tuple(None if v is None else v.text for v in values),
                kendala=tuple(self._text(r, f"kendala_tw{i}") for i in range(1, 5)),
                tindak_lanjut=tuple(self._text(r, f"tindak_lanjut_tw{i}") for i in range(1, 5)),
                refs=MappingProxyType(dict(r.refs)),
            ))
        return tuple(out)

    def _spent(self, row: TableRow) -> MonitoringAnggaran:
        table = spec.PK_MONITORING_ANGGARAN
        return MonitoringAnggaran(
            kode=self._required_text(row, table, "kode"),
            uraian=self._text(row, "uraian"),
            realisasi=tuple(self._rupiah(row, f"realisasi_tw{i}", table.column(f"realisasi_tw{i}").header,
                                         required=False) for i in range(1, 5)),
            refs=MappingProxyType(dict(row.refs)),
        )

    def _level_from_name(self, name: str) -> str:
        key = parse.fold(name)
        return next((lv.id for lv in self.hierarchy.levels if lv.nama.casefold() == key or lv.id == key), "")

    def _rkt(self, meta: dict[str, str]) -> RencanaKinerjaTahunan:
        values, refs = self._satker_form(spec.RKT_SPEC.form)
        rows = []
        for r in self._table(spec.RKT_TABLE) or []:
            rows.append(RktRow(
                indikator=self._indikator(r, spec.RKT_TABLE),
                kode_kegiatan=self._text(r, "kode_kegiatan"),
                kegiatan=self._text(r, "kegiatan"),
                anggaran=self._rupiah(r, "anggaran", spec.RKT_TABLE.column("anggaran").header, required=False),
                iku=self._yes_no(r, spec.RKT_TABLE, "iku"),
                refs=MappingProxyType(dict(r.refs)),
            ))
        return RencanaKinerjaTahunan(self.file, values.get("satker", ""), values.get("tahun"), tuple(rows),
                                     refs=MappingProxyType(refs), tempat=values.get("tempat") or "",
                                     tanggal=values.get("tanggal"))

    def _realisasi(self, meta: dict[str, str]) -> Realisasi:
        values, refs = self._satker_form(spec.REALISASI_SPEC.form)
        table = spec.REALISASI_INDIKATOR
        indikator = []
        for r in self._table(table) or []:
            satuan = self._required_text(r, table, "satuan")
            non_numeric = satuan.lower() in spec.NON_NUMERIC_SATUAN
            quarters = tuple(self._number(r, k, f"Realisasi {table.column(k).header}", satuan)
                             for k in ("tw1", "tw2", "tw3", "tw4"))
            tahunan = self._target(r, "tahunan", table.column("tahunan").header, satuan)
            indikator.append(RealisasiIndikator(
                kode=self._required_text(r, table, "kode"),
                nama=self._required_text(r, table, "indikator"),
                satuan=satuan,
                target=self._target(r, "target", table.column("target").header, satuan, required=True),
                polaritas=self._choice(r, table, "polaritas", Polaritas, required=True),
                agregasi=self._choice(r, table, "agregasi", Agregasi, required=False),
                triwulan=quarters,  # type: ignore[arg-type]
                tahunan=tahunan.value if tahunan and not non_numeric else None,
                teks=tahunan.text if tahunan and non_numeric else None,
                tahun_lalu=self._number(r, "tahun_lalu", table.column("tahun_lalu").header, satuan),
                target_renstra=self._target(r, "target_renstra", table.column("target_renstra").header, satuan),
                keterangan=self._text(r, "keterangan"),
                refs=MappingProxyType(dict(r.refs)),
            ))
        anggaran = []
        budget = spec.REALISASI_ANGGARAN
        for r in self._table(budget) or []:
            anggaran.append(RealisasiAnggaran(
                kode=self._required_text(r, budget, "kode"),
                uraian=self._required_text(r, budget, "uraian"),
                pagu=self._rupiah(r, "pagu", budget.column("pagu").header),
                realisasi=self._rupiah(r, "realisasi", budget.column("realisasi").header),
                refs=MappingProxyType(dict(r.refs)),
            ))
        narasi = {}
        if self.grid.sheet(spec.NARASI.name) is not None:
            for r in self._table(spec.NARASI, allow_empty=True) or []:
                key = self._text(r, "bagian")
                # Each line cleaned apart: a line break typed in the cell (Alt+Enter) is a new paragraph.
                raw = self.value(r.cells.get("teks"), r.refs.get("teks", self.ref()))
                text = "\n".join(parse.clean_text(line) for line in str(raw or "").splitlines()).strip()
                if key and text:
                    narasi[key] = text
        return Realisasi(self.file, values.get("satker", ""), values.get("tahun"), tuple(indikator),
                         tuple(anggaran), MappingProxyType(narasi), refs=MappingProxyType(refs),
                         tempat=values.get("tempat") or "", tanggal_pengukuran=values.get("tanggal_pengukuran"),
                         tanggal_laporan=values.get("tanggal_laporan"))

    def _renstra(self, meta: dict[str, str]) -> Renstra:
        values, refs = self._satker_form(spec.RENSTRA_FORM)
        table = spec.RENSTRA_TABLE
        indikator = []
        for r in self._table(table) or []:
            satuan = self._required_text(r, table, "satuan")

            def target(key: str) -> Target | None:
                return self._target(r, key, table.column(key).header, satuan)

            indikator.append(RenstraIndikator(
                kode=self._required_text(r, table, "kode"),
                nama=self._required_text(r, table, "indikator"),
                kode_sasaran=self._text(r, "kode_sasaran"),
                sasaran=self._required_text(r, table, "sasaran"),
                satuan=satuan,
                polaritas=self._choice(r, table, "polaritas", Polaritas, required=True),
                baseline=target("baseline"),
                targets=tuple(target(f"target_{i}") for i in range(1, spec.RENSTRA_YEARS + 1)),
                realisasi=tuple(self._number(r, f"realisasi_{i}", table.column(f"realisasi_{i}").header, satuan)
                                for i in range(1, spec.RENSTRA_YEARS + 1)),
                standar=target("standar"),
                refs=MappingProxyType(dict(r.refs)),
            ))
        manual = []
        iku = spec.MANUAL_IKU
        for r in self._table(iku, allow_empty=True) or []:
            manual.append(ManualIku(
                kode=self._required_text(r, iku, "kode"),
                nama=self._text(r, "indikator"),
                definisi=self._required_text(r, iku, "definisi"),
                formula=self._text(r, "formula"),
                sumber_data=self._text(r, "sumber_data"),
                penanggung_jawab=self._text(r, "penanggung_jawab"),
                cascading=self._choice(r, iku, "cascading", Cascading, required=False),
                periode=self._choice_value(self._text(r, "periode"), iku.column("periode").choices,
                                           r.refs.get("periode", self.ref()), iku.column("periode").header) or "",
                penurunan=self._choice(r, iku, "penurunan", Penurunan, required=False),
                refs=MappingProxyType(dict(r.refs)),
            ))
        return Renstra(self.file, values.get("satker", ""), values.get("periode_awal"), values.get("periode_akhir"),
                       tuple(indikator), tuple(manual), penetapan=values.get("penetapan") or "",
                       refs=MappingProxyType(refs))


def _status(value: str | None) -> StatusJabatan | None:
    return StatusJabatan(value) if value else None
