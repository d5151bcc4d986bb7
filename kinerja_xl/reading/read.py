"""Workbook to model: parse what the sheets hold, with the cell of every value.

The reader finds sheets, labels and table headers from :mod:`kinerja_xl.spec`, so a row
inserted above a table, a column moved or a renamed sheet is still read (with a warning).
It only reports what it cannot read (a text where a number belongs, a formula never
calculated); judging the values is the job of :mod:`kinerja_xl.checks`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any, Callable

from . import parse
from .. import spec, workers
from ..findings.issues import Issue, make
from ..levels import Hierarchy, load_hierarchy
from ..model import (
    Agregasi, Anggaran, Cascading, CellRef, Document, Indikator, Kind, ManualIku, MonitoringAnggaran,
    MonitoringIndikator, Pejabat, Penurunan, PerjanjianKinerja, Polaritas, Realisasi, RealisasiAnggaran,
    RealisasiIndikator, RencanaKinerjaTahunan, Renstra, RenstraIndikator, RktRow, StatusJabatan, Target,
)
from .headers import match_header
from .source import RawCell, SheetGrid, SourceError, WorkbookGrid, a1, load_xlsx

MAX_TEXT = 1000  # characters; longer sasaran/indikator texts break the document tables
EXCEL_ERRORS = {"#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}


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


@dataclass
class _Row:
    """One data row of a table: the raw cells by column key, and where each one is."""

    number: int
    cells: dict[str, RawCell]
    refs: dict[str, CellRef]


class _Reader:
    def __init__(self, grid: WorkbookGrid, hierarchy: Hierarchy) -> None:
        self.grid = grid
        self.hierarchy = hierarchy
        self.issues: list[Issue] = []
        self.file = grid.path
        self._where: set[CellRef] = set()  # cells already reported, so a follow-on finding is not added
        self.version: int | None = None  # the template version of the marker (None: not known)

    # --- helpers -----------------------------------------------------------------------------------
    def ref(self, sheet: str = "", row: int = 0, col: int = 0) -> CellRef:
        return CellRef(self.file, sheet, a1(row, col) if row and col else "")

    def add(self, code: str, where: CellRef, **params: Any) -> None:
        self.issues.append(make(code, where, **params))
        self._where.add(where)

    def value(self, cell: RawCell | None, where: CellRef) -> Any:
        """The cached value of a cell; reports formulas never calculated and Excel errors."""
        if cell is None:
            return None
        if cell.formula is not None and cell.value is None:
            self.add("formula-not-calculated", where, formula=cell.formula)
            return None
        if isinstance(cell.value, str) and cell.value.strip() in EXCEL_ERRORS:
            self.add("formula-error", where, value=cell.value.strip())
            return None
        return cell.value

    def parsed(self, fn: Callable[[Any], Any], raw: Any, where: CellRef, label: str) -> Any:
        if parse.is_blank(raw):
            return None
        try:
            return fn(raw)
        except parse.ParseError as err:
            self.add(err.code, where, label=label, **err.params)
            return None

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

    # --- form sheets ---------------------------------------------------------------------------------
    def _form(self, form: spec.FormSheet) -> tuple[dict[str, Any], dict[str, CellRef]] | None:
        sheet = self.grid.sheet(form.name)
        if sheet is None:
            self.add("sheet-missing", self.ref(form.name), expected=form.name)
            return None
        labels: dict[str, list[int]] = {}
        for row in range(1, sheet.max_row + 1):
            text = parse.fold(sheet.value(row, 1)).rstrip(":").strip()
            if text:
                labels.setdefault(text, []).append(row)
        values: dict[str, Any] = {}
        refs: dict[str, CellRef] = {}
        for f in form.fields:
            rows = labels.get(f.label.casefold(), [])
            if not rows:
                if not self.expects(f.since):  # added by a later template version: read without it
                    continue
                if f.default:  # a field an older template lacks: the document uses the default, said so
                    self.add("field-default", self.ref(form.name, f.row, 2), label=f.label, default=f.default)
                else:
                    self.add("field-missing", self.ref(form.name, f.row, 1), label=f.label)
                continue
            row = min(rows, key=lambda r: abs(r - f.row))  # "Nama" appears twice: take the nearest
            where = self.ref(form.name, row, 2)
            refs[f.key] = where
            raw = self.value(sheet.get(row, 2), where)
            values[f.key] = self._field_value(f, raw, where)
            if f.required and parse.is_blank(raw) and not self._reported(where):
                self.add("required-missing", where, label=field_label(form, f))
            elif f.default and values[f.key] in (None, "") and not self._reported(where):
                self.add("field-default", where, label=f.label, default=f.default)
        return values, refs

    def _field_value(self, f: spec.Field, raw: Any, where: CellRef) -> Any:
        if f.kind == "int":
            return self.parsed(parse.parse_int, raw, where, f.label)
        if f.kind == "date":
            return self.parsed(self._date, raw, where, f.label)
        if f.kind == "nip":
            return self.parsed(parse.parse_nip, raw, where, f.label)
        if f.kind == "choice":
            return self._choice_value(parse.clean_text(raw), f.choices, where, f.label)
        return parse.clean_text(raw)

    def expects(self, since: int) -> bool:
        """Whether this workbook's template has what version ``since`` added (unknown version: assumed)."""
        return self.version is None or self.version >= since

    def _choice_value(self, text: str, choices: tuple[str, ...], where: CellRef, label: str) -> str | None:
        """One of ``choices`` as the spec spells it, matched case- and dot-blind ("plt" = "Plt."); None if empty."""
        if not text:
            return None
        key = text.casefold().rstrip(".").strip()
        for choice in choices:
            if choice.casefold().rstrip(".") == key:
                return choice
        self.add("choice-invalid", where, value=text, label=label, choices=", ".join(choices))
        return None

    def _date(self, raw: Any) -> Any:
        """:func:`parse.parse_date`, with a date typed as a plain number counted in the workbook's
        calendar: 43126 is 27 January 2022 in a 1904 workbook (44588 in a 1900 one)."""
        if self.grid.date1904 and isinstance(raw, (int, float)) and not isinstance(raw, bool):
            from openpyxl.utils.datetime import CALENDAR_MAC_1904, from_excel

            if not 0 <= raw < 2_957_004:  # 1904-01-01 .. 9999-12-31
                raise parse.ParseError("date-invalid", value=parse.shown(raw))
            raw = from_excel(raw, CALENDAR_MAC_1904)
        return parse.parse_date(raw)

    # --- table sheets --------------------------------------------------------------------------------
    def _find_table(self, table: spec.TableSheet, *, quiet: bool = False) -> tuple[SheetGrid, int, dict[str, int]] | None:
        """Locate a table: its sheet, header row and column of each key (or None)."""
        sheet = self.grid.sheet(table.name)
        # A renamed sheet is looked for among the sheets no table of a template is named after: a deleted
        # Anggaran is not found in "Monitoring Anggaran", whose first columns have the same headers.
        candidates = [sheet] if sheet is not None else [
            s for n, s in self.grid.sheets.items() if n != spec.MARKER_SHEET and not s.hidden and n not in _TABLE_NAMES
        ]
        for candidate in candidates:
            found = match_header(candidate, table)
            if found:
                if candidate is not sheet and not quiet:
                    self.add("sheet-renamed", self.ref(candidate.name), expected=table.name)
                return candidate, found[0], found[1]
        if not quiet:
            if sheet is None:
                self.add("sheet-missing", self.ref(table.name), expected=table.name)
            else:
                for col in table.columns:
                    if col.required:
                        self.add("column-missing", self.ref(table.name, table.header_row, 1), column=col.header)
        return None

    def _table(self, table: spec.TableSheet, *, allow_empty: bool = False) -> list[_Row] | None:
        if table.since > 1 and not self.expects(table.since) and self.grid.sheet(table.name) is None:
            return None  # a sheet a later template version added: an older workbook has none
        found = self._find_table(table)
        if found is None:
            return None
        sheet, header_row, columns = found
        if header_row != table.header_row:
            self.add("header-moved", self.ref(sheet.name, header_row, 1), row=header_row, expected=table.header_row)
        for col in table.columns:
            if col.required and col.key not in columns:
                self.add("column-missing", self.ref(sheet.name, header_row, 1), column=col.header)
        fill = self._merged(sheet, header_row)
        grid_cells = sheet.cells
        letters = {key: a1(1, c)[:-1] for key, c in columns.items()}  # "F" of F1: each row's refs are built
        file, name = self.file, sheet.name
        rows = []
        for r in range(header_row + 1, sheet.max_row + 1):
            if fill:
                cells = {key: fill.get((r, c)) or grid_cells.get((r, c)) for key, c in columns.items()}
            else:  # no merge in the data area (nearly always): the grid's cells alone
                cells = {key: grid_cells.get((r, c)) for key, c in columns.items()}
            if all(c is None or (c.formula is None and parse.is_blank(c.value)) for c in cells.values()):
                continue  # blank rows inside the table are allowed
            if r in sheet.hidden_rows:
                self.add("row-hidden", self.ref(sheet.name, r, 1), row=r)
            refs = {key: CellRef(file, name, f"{letter}{r}") for key, letter in letters.items()}
            for key, cell in cells.items():
                raw = None if cell is None else cell.value
                if isinstance(raw, str) and len(raw) > MAX_TEXT and table.column(key).kind == "longtext":
                    self.add("text-too-long", refs[key], label=table.column(key).header, length=len(raw))
            rows.append(_Row(r, {k: v for k, v in cells.items() if v is not None}, refs))
        if not rows and not allow_empty:
            self.add("table-empty", self.ref(sheet.name, header_row + 1, 1))
        return rows

    def _merged(self, sheet: SheetGrid, header_row: int) -> dict[tuple[int, int], RawCell]:
        """Cells covered by a merge in the data area take the value of its top-left cell (said so)."""
        fill: dict[tuple[int, int], RawCell] = {}
        for min_row, min_col, max_row, max_col in sheet.merged:
            if max_row <= header_row:
                continue
            top = sheet.get(min_row, min_col)
            self.add("merged-cells", self.ref(sheet.name, min_row, min_col),
                     range=f"{a1(min_row, min_col)}:{a1(max_row, max_col)}")
            if top is None:
                continue
            # Only as far as the sheet's cells go: A9:XFD1048576 covers 17 billion cells, none of them read.
            for r in range(max(min_row, header_row + 1), min(max_row, sheet.max_row) + 1):
                for c in range(min_col, min(max_col, sheet.max_col) + 1):
                    fill[(r, c)] = top
        return fill

    def _text(self, row: _Row, key: str) -> str:
        where = row.refs.get(key)
        if where is None:  # built only when needed: this runs for every text cell of a table
            where = self.ref()
        return parse.clean_text(self.value(row.cells.get(key), where))

    def _required_text(self, row: _Row, table: spec.TableSheet, key: str) -> str:
        text = self._text(row, key)
        if not text and key in row.refs and not self._reported(row.refs[key]):
            self.add("required-missing", row.refs[key], label=table.column(key).header)
        return text

    def _choice(self, row: _Row, table: spec.TableSheet, key: str, enum: type, *, required: bool) -> Any:
        text = self._text(row, key).lower()
        col = table.column(key)
        if not text:
            if required and key in row.refs and not self._reported(row.refs[key]):
                self.add("required-missing", row.refs[key], label=col.header)
            return None
        try:
            return enum(text)
        except ValueError:
            self.add("choice-invalid", row.refs[key], value=text, label=col.header, choices=", ".join(col.choices))
            return None

    def _target(self, row: _Row, key: str, label: str, satuan: str, *, required: bool = False) -> Target | None:
        where = row.refs.get(key)
        cell = row.cells.get(key)
        raw = self.value(cell, where) if where else None
        if parse.is_blank(raw):
            if required and where and not self._reported(where):
                self.add("required-missing", where, label=label)
            return None
        allow_text = satuan.lower() in spec.NON_NUMERIC_SATUAN
        number_format = cell.number_format
        if not self.grid.formats_known and satuan == "%" and isinstance(raw, (int, float)) and 0 < raw <= 1:
            number_format = "0%"  # live Excel values: 0.9 is what a cell showing 90% holds
        try:
            target, notes = parse.parse_target(raw, number_format, percent=satuan == "%", allow_text=allow_text)
        except parse.ParseError as err:
            code = "target-not-number" if err.code == "value-not-number" else err.code
            self.add(code, where, label=label, satuan=satuan, **err.params)
            return None
        for note in notes:
            self.add(note, where, label=label, value=parse.shown(raw), reading=_num(target.value))
        if any(v is not None and v < 0 for v in (target.value, target.low)):
            self.add("target-negative", where, label=label, value=parse.shown(raw))
        top = target.high if target.is_range else target.value
        if satuan == "%" and top is not None and top > 100 and key == "target":
            self.add("percent-over-100", where, label=label, value=_num(top))
        return target

    def _rupiah(self, row: _Row, key: str, label: str, *, required: bool = True) -> int | None:
        where = row.refs.get(key)
        if where is None:
            return None
        raw = self.value(row.cells.get(key), where)
        if parse.is_blank(raw) or parse.clean_text(raw) == "-":
            if required and not self._reported(where):
                self.add("required-missing", where, label=label)
            return None
        return self.parsed(parse.parse_rupiah, raw, where, label)

    def _indikator(self, row: _Row, table: spec.TableSheet) -> Indikator:
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

    def _anggaran(self, row: _Row, table: spec.TableSheet, key: str = "jumlah") -> Anggaran:
        return Anggaran(
            kode=self._required_text(row, table, "kode"),
            uraian=self._required_text(row, table, "uraian"),
            jumlah=self._rupiah(row, key, table.column(key).header),
            rencana_tw=tuple(self._rupiah(row, f"rencana_tw{i}", table.column(f"rencana_tw{i}").header, required=False)
                             for i in range(1, 5)) if "rencana_tw1" in row.refs else (None,) * 4,
            refs=MappingProxyType(dict(row.refs)),
        )

    # --- documents -----------------------------------------------------------------------------------
    def _satker_form(self, form: spec.FormSheet) -> tuple[dict[str, Any], dict[str, CellRef]]:
        return self._form(form) or ({}, {})

    def _reported(self, where: CellRef) -> bool:
        return where in self._where

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

    def _spent(self, row: _Row) -> MonitoringAnggaran:
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

    def _yes_no(self, row: _Row, table: spec.TableSheet, key: str) -> bool | None:
        if key not in row.refs:
            return None
        answer = self._choice_value(self._text(row, key), table.column(key).choices, row.refs[key],
                                    table.column(key).header)
        return None if answer is None else answer == "ya"

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

    def _number(self, row: _Row, key: str, label: str, satuan: str) -> float | None:
        target = self._target(row, key, label, satuan)
        return None if target is None else target.comparable()


_TABLE_NAMES = frozenset(t.name for s in spec.SPECS.values() for t in s.tables)


def field_label(form: spec.FormSheet, f: spec.Field) -> str:
    """A form field's label as findings name it: "Nama Pihak Kedua" for the pk_nama of the PK form."""
    section = max((s for s in form.sections if s.row < f.row), key=lambda s: s.row, default=None)
    if section and f.key[:3] in ("pp_", "pk_") and section.label.startswith("PIHAK"):
        return f"{f.label} {section.label.split(' (')[0].title()}"
    return f.label


def _status(value: str | None) -> StatusJabatan | None:
    return StatusJabatan(value) if value else None


def _num(x: float | None) -> str:
    if x is None:
        return "?"
    return parse.shown(x)  # Indonesian: 95.000, 0,9
