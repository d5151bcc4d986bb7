"""The sheets of a workbook to values: forms (label, value) and tables (header row, data rows), each value
with its cell, and the reading findings (a formula never calculated, a text where a number belongs).

:class:`SheetReader` knows the layout from :mod:`kinerja_xl.spec` (a moved column, a renamed sheet, rows
inserted above a table are still found) and nothing of the documents; :mod:`.read` builds the model of
each kind of workbook on it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from . import parse
from .. import spec
from ..findings.issues import Issue, make
from ..levels import Hierarchy
from ..model import CellRef, Target
from .headers import match_header
from .source import RawCell, SheetGrid, WorkbookGrid, a1

MAX_TEXT = 1000  # characters; longer sasaran/indikator texts break the document tables
EXCEL_ERRORS = {"#REF!", "#DIV/0!", "#VALUE!", "#NAME?", "#N/A", "#NUM!", "#NULL!", "#SPILL!", "#CALC!"}

@dataclass
class TableRow:
    """One data row of a table: the raw cells by column key, and where each one is."""

    number: int
    cells: dict[str, RawCell]
    refs: dict[str, CellRef]


class SheetReader:
    """Forms and tables of one workbook grid, and the findings of reading them."""

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

    def _table(self, table: spec.TableSheet, *, allow_empty: bool = False) -> list[TableRow] | None:
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
            rows.append(TableRow(r, {k: v for k, v in cells.items() if v is not None}, refs))
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

    def _text(self, row: TableRow, key: str) -> str:
        where = row.refs.get(key)
        if where is None:  # built only when needed: this runs for every text cell of a table
            where = self.ref()
        return parse.clean_text(self.value(row.cells.get(key), where))

    def _required_text(self, row: TableRow, table: spec.TableSheet, key: str) -> str:
        text = self._text(row, key)
        if not text and key in row.refs and not self._reported(row.refs[key]):
            self.add("required-missing", row.refs[key], label=table.column(key).header)
        return text

    def _choice(self, row: TableRow, table: spec.TableSheet, key: str, enum: type, *, required: bool) -> Any:
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

    def _target(self, row: TableRow, key: str, label: str, satuan: str, *, required: bool = False) -> Target | None:
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

    def _rupiah(self, row: TableRow, key: str, label: str, *, required: bool = True) -> int | None:
        where = row.refs.get(key)
        if where is None:
            return None
        raw = self.value(row.cells.get(key), where)
        if parse.is_blank(raw) or parse.clean_text(raw) == "-":
            if required and not self._reported(where):
                self.add("required-missing", where, label=label)
            return None
        return self.parsed(parse.parse_rupiah, raw, where, label)

    def _satker_form(self, form: spec.FormSheet) -> tuple[dict[str, Any], dict[str, CellRef]]:
        return self._form(form) or ({}, {})

    def _reported(self, where: CellRef) -> bool:
        return where in self._where

    def _yes_no(self, row: TableRow, table: spec.TableSheet, key: str) -> bool | None:
        if key not in row.refs:
            return None
        answer = self._choice_value(self._text(row, key), table.column(key).choices, row.refs[key],
                                    table.column(key).header)
        return None if answer is None else answer == "ya"

    def _number(self, row: TableRow, key: str, label: str, satuan: str) -> float | None:
        target = self._target(row, key, label, satuan)
        return None if target is None else target.comparable()


_TABLE_NAMES = frozenset(t.name for s in spec.SPECS.values() for t in s.tables)


def field_label(form: spec.FormSheet, f: spec.Field) -> str:
    """A form field's label as findings name it: "Nama Pihak Kedua" for the pk_nama of the PK form."""
    section = max((s for s in form.sections if s.row < f.row), key=lambda s: s.row, default=None)
    if section and f.key[:3] in ("pp_", "pk_") and section.label.startswith("PIHAK"):
        return f"{f.label} {section.label.split(' (')[0].title()}"
    return f.label


def _num(x: float | None) -> str:
    if x is None:
        return "?"
    return parse.shown(x)  # Indonesian: 95.000, 0,9
