"""Raw cell grids: what a workbook holds, before any interpretation.

The reader works on a :class:`WorkbookGrid`, so the same code reads a file on disk
(:func:`load_xlsx`, through openpyxl) and the live values of a workbook open in Excel
(:func:`grid_from_values`, fed by the add-in). Loading never writes to the input: the file
is read into memory once and parsed from there.
"""

from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from openpyxl.utils.cell import get_column_letter

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Limits against zip bombs: a real template set is a few hundred kB; a 10,000-row sheet a few MB.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 150  # uncompressed / compressed, for members over 1 MB
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*>')


@dataclass(frozen=True)
class RawCell:
    value: Any
    number_format: str = "General"
    formula: str | None = None  # the formula text when the cell holds one


@dataclass
class SheetGrid:
    name: str
    cells: dict[tuple[int, int], RawCell] = field(default_factory=dict)
    hidden: bool = False
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (min_row, min_col, max_row, max_col)
    hidden_rows: frozenset[int] = frozenset()

    @property
    def max_row(self) -> int:
        return max((r for r, _ in self.cells), default=0)

    @property
    def max_col(self) -> int:
        return max((c for _, c in self.cells), default=0)

    def get(self, row: int, col: int) -> RawCell | None:
        return self.cells.get((row, col))

    def value(self, row: int, col: int) -> Any:
        cell = self.cells.get((row, col))
        return None if cell is None else cell.value


@dataclass
class WorkbookGrid:
    path: str  # how the workbook is named in findings (the path as given, or the book name)
    sheets: dict[str, SheetGrid] = field(default_factory=dict)
    # False when the number formats are unknown (live values from Excel through xlwings): a
    # fraction in a percent row is then what Excel shows as a percentage, not a guess to warn about.
    formats_known: bool = True

    def sheet(self, name: str) -> SheetGrid | None:
        if name in self.sheets:
            return self.sheets[name]
        key = name.casefold().strip()
        return next((s for n, s in self.sheets.items() if n.casefold().strip() == key), None)


class SourceError(Exception):
    """The file cannot be read as a workbook at all; ``code`` is an issue code."""

    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def a1(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


def sniff(data: bytes, path: Path) -> None:
    """Raise :class:`SourceError` when the bytes are not an .xlsx workbook."""
    suffix = path.suffix.lower()
    if not data:
        raise SourceError("file-empty")
    if data.startswith(OLE_SIGNATURE):
        # An OLE container is either a legacy .xls or an OOXML file encrypted with a password.
        if b"E\x00n\x00c\x00r\x00y\x00p\x00t\x00i\x00o\x00n\x00I\x00n\x00f\x00o" in data:
            raise SourceError("file-encrypted")
        raise SourceError("file-xls-legacy")
    if not data.startswith(b"PK"):
        raise SourceError("file-not-xlsx", suffix=suffix or "(tanpa ekstensi)")
    if suffix == ".xlsb":
        raise SourceError("file-not-xlsx", suffix=suffix)
    inspect_zip(data)


def inspect_zip(data: bytes) -> None:
    """Refuse a zip bomb and XML with a DTD (entity expansion, external entities) before parsing."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_UNCOMPRESSED:
                raise SourceError("file-zip-bomb", size=f"{total // (1024 * 1024)} MB")
            for info in infos:
                if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise SourceError("file-zip-bomb", size=f"{info.file_size // (1024 * 1024)} MB")
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    with zf.open(info) as member:
                        head = member.read(4096)
                    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                        raise SourceError("file-xml-unsafe", part=info.filename)
    except (zipfile.BadZipFile, EOFError, NotImplementedError, zipfile.LargeZipFile):
        raise SourceError("file-corrupt", reason="arsip zip rusak") from None


def load_xlsx(path: str | Path, *, display: str | None = None) -> WorkbookGrid:
    """Read an .xlsx/.xlsm file into a grid of cached values, formats and formulas.

    Macros are never run: openpyxl only parses the XML parts.
    """
    import openpyxl

    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError("file-unreadable", reason=exc.strerror or str(exc)) from None
    sniff(data, path)
    try:
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, EOFError, zipfile.LargeZipFile):
        raise SourceError("file-corrupt") from None
    except Exception as exc:  # openpyxl raises many kinds for damaged XML
        raise SourceError("file-corrupt", reason=type(exc).__name__) from None
    archive = zipfile.ZipFile(io.BytesIO(data))
    try:
        grid = WorkbookGrid(display or str(path))
        for ws in values.worksheets:
            fws = formulas[ws.title]
            sheet = SheetGrid(ws.title, hidden=ws.sheet_state != "visible")
            sheet.merged, sheet.hidden_rows = _layout(archive, getattr(ws, "_worksheet_path", ""))
            for row in ws.iter_rows():
                for cell in row:
                    if cell.value is not None:  # read-only mode yields EmptyCell for gaps
                        sheet.cells[(cell.row, cell.column)] = RawCell(cell.value, cell.number_format or "General")
            for row in fws.iter_rows():
                for cell in row:
                    text = getattr(cell.value, "text", cell.value)  # ArrayFormula keeps its text in .text
                    if isinstance(text, str) and text.startswith("="):
                        key = (cell.row, cell.column)
                        old = sheet.cells.get(key)
                        sheet.cells[key] = RawCell(
                            None if old is None else old.value,
                            old.number_format if old else (cell.number_format or "General"),
                            text,
                        )
            grid.sheets[ws.title] = sheet
        return grid
    except Exception as exc:
        raise SourceError("file-corrupt", reason=type(exc).__name__) from None
    finally:
        values.close()
        formulas.close()
        archive.close()


def _layout(archive: zipfile.ZipFile, part: str) -> tuple[tuple[tuple[int, int, int, int], ...], frozenset[int]]:
    """Merged ranges and hidden rows of one sheet, read from its XML (read-only openpyxl hides them)."""
    from openpyxl.utils.cell import range_boundaries

    if not part:
        return (), frozenset()
    try:
        xml = archive.read(part.lstrip("/"))
    except KeyError:
        return (), frozenset()
    merged = []
    for ref in _MERGE.findall(xml):
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
        merged.append((min_row, min_col, max_row, max_col))
    hidden = set()
    for tag in _HIDDEN_ROW.findall(xml):
        if re.search(rb'\shidden="(1|true)"', tag):
            number = re.search(rb'\sr="(\d+)"', tag)
            if number:
                hidden.add(int(number.group(1)))
    return tuple(merged), frozenset(hidden)


def grid_from_values(
    name: str,
    sheets: Mapping[str, Sequence[Sequence[Any]]],
    *,
    number_formats: Mapping[str, Sequence[Sequence[str]]] | None = None,
    hidden: Iterable[str] = (),
) -> WorkbookGrid:
    """Build a grid from 2-D lists of values (row 1, column A first), e.g. from xlwings."""
    hidden = set(hidden)
    grid = WorkbookGrid(name, formats_known=number_formats is not None)
    for sheet_name, rows in sheets.items():
        fmts = (number_formats or {}).get(sheet_name)
        sheet = SheetGrid(sheet_name, hidden=sheet_name in hidden)
        for r, row in enumerate(rows, start=1):
            for c, value in enumerate(row, start=1):
                if value is None or value == "":
                    continue
                fmt = "General"
                if fmts and r - 1 < len(fmts) and c - 1 < len(fmts[r - 1]):
                    fmt = fmts[r - 1][c - 1] or "General"
                sheet.cells[(r, c)] = RawCell(value, fmt)
        grid.sheets[sheet_name] = sheet
    return grid
