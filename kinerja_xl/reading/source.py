"""Raw cell grids: what a workbook holds, before any interpretation.

The reader works on a :class:`WorkbookGrid`, so the same code reads a file on disk
(:func:`load_xlsx`) and the live values of a workbook open in Excel (:func:`grid_from_values`,
fed by the add-in). Loading never writes to the input: the file is read into memory once and
parsed from there.

Two engines read a file into the same grid: the fast one (python-calamine plus a light pass over
the sheet XML, :mod:`kinerja_xl.reading.xlsx_fast`) and openpyxl, the reference the fast one is tested
against cell by cell. A file the fast engine is not sure of is read with openpyxl.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping, Sequence

from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.datetime import WINDOWS_EPOCH

from .grid import (  # noqa: F401  (re-exported)
    _MERGE, HEAD, MAX_CELLS, MAX_ROWS, WHOLE, RawCell, SheetGrid, SourceError, WorkbookGrid, ZipParts, a1,
    check_extent, layout, raw_cell, used_extent,
)

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Limits against zip bombs: a real template set is a few hundred kB; a 10,000-row sheet a few MB.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 150  # uncompressed / compressed, for members over 1 MB
def clip_merges(data: bytes) -> bytes:
    """The workbook with merged ranges cut to the cells its sheets hold (for a full openpyxl load).

    openpyxl makes an object per cell of a merged range: one ``A9:XFD1048576`` is 17 billion of them.
    The reader clips merges the same way (:func:`layout` is only ever used within the used range); an
    annotated copy is written from this version. Returns ``data`` itself when no merge reaches beyond
    :data:`MAX_CELLS` cells (nearly always).
    """
    from openpyxl.utils.cell import range_boundaries

    def too_big(ref: bytes) -> bool:
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
        return (max_row - min_row + 1) * (max_col - min_col + 1) > MAX_CELLS

    parts = inspect_zip(data)  # the one gate every workbook's bytes pass: sizes, ratios, DTDs
    sheets = sorted(n for n in parts.names if n.startswith("xl/worksheets/") and n.endswith(".xml"))
    changed: dict[str, bytes] = {}
    for name in sheets:
        xml = parts.read(name)
        if b"mergeCell" not in xml or not any(too_big(r) for r in _MERGE.findall(xml)):
            continue
        last_row, last_col = used_extent(xml)

        def clip(m: re.Match, last_row: int = last_row, last_col: int = last_col) -> bytes:
            min_col, min_row, max_col, max_row = range_boundaries(m.group(1).decode())
            max_row, max_col = min(max_row, max(last_row, min_row)), min(max_col, max(last_col, min_col))
            ref = f"{get_column_letter(min_col)}{min_row}:{get_column_letter(max_col)}{max_row}"
            return m.group(0).replace(m.group(1), ref.encode())

        changed[name] = _MERGE.sub(clip, xml)
    if not changed:
        return data
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in parts.infos.values():
            zout.writestr(info, changed.get(info.filename) or parts.read(info.filename))
    return out.getvalue()


def sniff(data: bytes, path: Path) -> ZipParts:
    """Raise :class:`SourceError` when the bytes are not an .xlsx workbook; see :func:`inspect_zip`."""
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
    if b"mimetype" in data[:64] and b"application/vnd.oasis.opendocument" in data[:128]:
        raise SourceError("file-ods")  # OpenDocument stores its type uncompressed at the start of the zip
    return inspect_zip(data)




def inspect_zip(data: bytes) -> ZipParts:
    """Refuse a zip bomb and XML with a DTD (entity expansion, external entities) before parsing.

    Returns the archive's members. Decompressing a small part whole costs no more than its head,
    so the check keeps every intact XML part it decompressed and the reader does not do it again.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            infos = zf.infolist()
            total = sum(i.file_size for i in infos)
            if total > MAX_UNCOMPRESSED:
                raise SourceError("file-zip-bomb", size=f"{total // (1024 * 1024)} MB")
            parts = ZipParts(data, infos)
            for info in infos:
                if info.file_size > 1024 * 1024 and info.file_size > MAX_RATIO * max(info.compress_size, 1):
                    raise SourceError("file-zip-bomb", size=f"{info.file_size // (1024 * 1024)} MB")
                if info.filename.endswith((".xml", ".rels", ".vml")):
                    _check_xml(zf, parts, info)
    except (zipfile.BadZipFile, EOFError, NotImplementedError, zipfile.LargeZipFile):
        raise SourceError("file-corrupt", reason="arsip zip rusak") from None
    return parts


def _check_xml(zf: zipfile.ZipFile, parts: ZipParts, info: zipfile.ZipInfo) -> None:
    if HEAD < info.file_size <= WHOLE:
        # Only the head is decompressed now; the rest when (if ever) the part is read. Many parts
        # (the theme, docProps) never are.
        head = parts.start(info)
        if head is not None:
            if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
                raise SourceError("file-xml-unsafe", part=info.filename)
            return
    whole = parts.direct(info) if info.file_size <= WHOLE else None
    if whole is not None:
        intact = len(whole) == info.file_size and zlib.crc32(whole) == info.CRC
        if intact:
            parts.whole[info.filename] = whole
        elif info.file_size <= HEAD:
            raise zipfile.BadZipFile(info.filename)  # what zipfile says on reading a short part whole
        head = whole[:HEAD]  # a longer damaged part is left for the reader to report, as it always was
    else:
        with zf.open(info) as member:
            head = member.read(HEAD)
    if b"<!DOCTYPE" in head or b"<!ENTITY" in head:
        raise SourceError("file-xml-unsafe", part=info.filename)


Engine = Literal["calamine", "openpyxl"]


def load_xlsx(path: str | Path, *, display: str | None = None, engine: Engine = "calamine",
              skip_sheets: frozenset[str] = frozenset()) -> WorkbookGrid:
    """Read an .xlsx/.xlsm file into a grid of cached values, formats and formulas.

    Macros are never run: only the XML parts are parsed. ``engine="openpyxl"`` forces the
    reference reader (the fast engine falls back to it by itself for a file it is not sure of).
    Sheets named in ``skip_sheets`` are listed but their cells are not decoded. A Strict Open XML
    workbook is read as the transitional workbook it stands for (:func:`transitional`).
    """
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise SourceError("file-unreadable", reason=exc.strerror or str(exc)) from None
    parts = sniff(data, path)
    if is_strict(parts):
        data = transitional(parts)
        parts = inspect_zip(data)
    name = display or str(path)
    if engine == "calamine":
        from . import xlsx_fast

        try:
            return xlsx_fast.load(data, name, parts, skip_sheets=skip_sheets)
        except xlsx_fast.Unsupported:
            pass  # openpyxl reads it, or gives the same finding it always gave
    return _load_openpyxl(data, name, skip_sheets)


# --- Strict Open XML -----------------------------------------------------------------------------------
# Excel's "Strict Open XML Spreadsheet" is the same workbook under other namespace names (ISO/IEC
# 29500-1 Strict; the package parts, content types and core properties keep theirs). Neither calamine
# nor openpyxl knows them, so the names are translated back in memory. Relationship types are the
# relationship namespace plus a name, two of which Strict renamed; the longer names go first.
_STRICT = (
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships/customProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/relationships",
     b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"),
    (b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/customProperties",
     b"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties"),
    (b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes",
     b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"),
    (b"http://purl.oclc.org/ooxml/officeDocument/sharedTypes",
     b"http://schemas.openxmlformats.org/officeDocument/2006/sharedTypes"),
    (b"http://purl.oclc.org/ooxml/officeDocument/math", b"http://schemas.openxmlformats.org/officeDocument/2006/math"),
    (b"http://purl.oclc.org/ooxml/officeDocument/customXml",
     b"http://schemas.openxmlformats.org/officeDocument/2006/customXml"),
    (b"http://purl.oclc.org/ooxml/spreadsheetml/main", b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"),
    (b"http://purl.oclc.org/ooxml/drawingml/chartDrawing",
     b"http://schemas.openxmlformats.org/drawingml/2006/chartDrawing"),
    (b"http://purl.oclc.org/ooxml/drawingml/chart", b"http://schemas.openxmlformats.org/drawingml/2006/chart"),
    (b"http://purl.oclc.org/ooxml/drawingml/spreadsheetDrawing",
     b"http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"),
    (b"http://purl.oclc.org/ooxml/drawingml/picture", b"http://schemas.openxmlformats.org/drawingml/2006/picture"),
    (b"http://purl.oclc.org/ooxml/drawingml/diagram", b"http://schemas.openxmlformats.org/drawingml/2006/diagram"),
    (b"http://purl.oclc.org/ooxml/drawingml/main", b"http://schemas.openxmlformats.org/drawingml/2006/main"),
)
_STRICT_MARK = b"purl.oclc.org/ooxml"
_CONFORMANCE = re.compile(rb'\sconformance="strict"')


def is_strict(parts: ZipParts) -> bool:
    """Whether the package is Strict Open XML: its main relationship has the Strict type (one small
    part, already decompressed by the safety check)."""
    try:
        rels = parts.read("_rels/.rels")
    except (KeyError, zipfile.BadZipFile, zlib.error):
        return False  # the reader reports the damage as it always did
    return _STRICT_MARK in rels


def transitional(parts: ZipParts) -> bytes:
    """The Strict package rewritten with the transitional names, as a new zip in memory (stored, not
    compressed: it is read once and dropped). The XML is otherwise untouched."""
    out = io.BytesIO()
    try:
        with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as z:
            for name, info in parts.infos.items():
                data = parts.read(name)
                if name.endswith((".xml", ".rels", ".vml")) and _STRICT_MARK in data:
                    for strict, transitional_name in _STRICT:
                        data = data.replace(strict, transitional_name)
                    data = _CONFORMANCE.sub(b"", data, count=1)
                z.writestr(zipfile.ZipInfo(name, info.date_time), data)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError):
        raise SourceError("file-corrupt", reason="arsip zip rusak") from None
    return out.getvalue()


def _load_openpyxl(data: bytes, name: str, skip_sheets: frozenset[str] = frozenset()) -> WorkbookGrid:
    import openpyxl

    try:
        values = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        formulas = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except (zipfile.BadZipFile, KeyError, EOFError, zipfile.LargeZipFile) as exc:
        raise SourceError("file-corrupt", reason=f"bagian arsip hilang atau rusak: {exc}") from None
    except Exception as exc:  # openpyxl raises many kinds for damaged XML
        raise SourceError("file-corrupt", reason=type(exc).__name__) from None
    archive = zipfile.ZipFile(io.BytesIO(data))
    try:
        grid = WorkbookGrid(name, engine="openpyxl", date1904=values.epoch != WINDOWS_EPOCH)
        for ws in values.worksheets:
            sheet = SheetGrid(ws.title, hidden=ws.sheet_state != "visible")
            grid.sheets[ws.title] = sheet
            if ws.title in skip_sheets:
                continue
            xml = _sheet_xml(archive, getattr(ws, "_worksheet_path", ""))
            check_extent(ws.title, xml)
            sheet.merged, sheet.hidden_rows = layout(xml)
            fws = formulas[ws.title]
            # Rows and columns as far as the cells go, not as far as <dimension> says: a sheet declaring
            # A1:XFD1048576 would otherwise be walked cell by cell, and cells past a short one dropped.
            ws.reset_dimensions()
            fws.reset_dimensions()
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
        return grid
    except SourceError:
        raise
    except Exception as exc:
        raise SourceError("file-corrupt", reason=type(exc).__name__) from None
    finally:
        values.close()
        formulas.close()
        archive.close()


def _sheet_xml(archive: zipfile.ZipFile, part: str) -> bytes:
    if not part:
        return b""
    try:
        return archive.read(part.lstrip("/"))
    except KeyError:
        return b""


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
