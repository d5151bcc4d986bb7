"""Raw cell grids: what a workbook holds, before any interpretation.

The reader works on a :class:`WorkbookGrid`, so the same code reads a file on disk
(:func:`load_xlsx`) and the live values of a workbook open in Excel (:func:`grid_from_values`,
fed by the add-in). Loading never writes to the input: the file is read into memory once and
parsed from there.

Two engines read a file into the same grid: the fast one (python-calamine plus a light pass over
the sheet XML, :mod:`kinerja_xl.xlsx_fast`) and openpyxl, the reference the fast one is tested
against cell by cell. A file the fast engine is not sure of is read with openpyxl.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Literal, Mapping, Sequence

from openpyxl.utils.cell import get_column_letter
from openpyxl.utils.datetime import WINDOWS_EPOCH

OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

# Limits against zip bombs: a real template set is a few hundred kB; a 10,000-row sheet a few MB.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_RATIO = 150  # uncompressed / compressed, for members over 1 MB
_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')
_HIDDEN_ROW = re.compile(rb'<(?:\w+:)?row\b[^>]*>')


@dataclass(frozen=True)
class RawCell:
    value: Any
    # The cell's number format. None when the engine did not look it up: the fast engine leaves it
    # so for a plain text cell (no formula), since no reading of text depends on its format.
    number_format: str | None = "General"
    formula: str | None = None  # the formula text when the cell holds one


_new_object = object.__new__


def raw_cell(value: Any, number_format: str | None, formula: str | None) -> RawCell:
    """``RawCell(value, number_format, formula)``, built without the frozen dataclass's three
    ``object.__setattr__`` calls (the fast engine makes one per cell of a roll-up); the same object."""
    cell = _new_object(RawCell)
    fields = cell.__dict__
    fields["value"] = value
    fields["number_format"] = number_format
    fields["formula"] = formula
    return cell


@dataclass
class SheetGrid:
    name: str
    cells: dict[tuple[int, int], RawCell] = field(default_factory=dict)
    hidden: bool = False
    merged: tuple[tuple[int, int, int, int], ...] = ()  # (min_row, min_col, max_row, max_col)
    hidden_rows: frozenset[int] = frozenset()
    _bounds: tuple[int, int, int] = field(default=(-1, 0, 0), init=False, repr=False, compare=False)

    @property
    def max_row(self) -> int:
        return self._extent()[0]

    @property
    def max_col(self) -> int:
        return self._extent()[1]

    def _extent(self) -> tuple[int, int]:
        # The reader asks for the extent inside its loops; a grid is filled once and then only
        # read, so the extent is kept until the number of cells changes.
        count, rows, cols = self._bounds
        if count != len(self.cells):
            count = len(self.cells)
            rows = max((r for r, _ in self.cells), default=0)
            cols = max((c for _, c in self.cells), default=0)
            self._bounds = (count, rows, cols)
        return rows, cols

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
    engine: str = ""  # "calamine" or "openpyxl" for a file; "" for live values
    # The workbook counts dates from 1904 (workbookPr date1904): a date typed as a plain number is a
    # serial of that calendar. Date-formatted cells are already dates in the grid.
    date1904: bool = False

    def sheet(self, name: str) -> SheetGrid | None:
        if name in self.sheets:
            return self.sheets[name]
        key = name.casefold().strip()
        return next((s for n, s in self.sheets.items() if n.casefold().strip() == key), None)


class SourceError(Exception):
    """The file cannot be read as a workbook at all; ``code`` is an issue code, ``sheet`` and ``cell``
    where in the file (when one place is the cause)."""

    def __init__(self, code: str, *, sheet: str = "", cell: str = "", **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.sheet, self.cell = sheet, cell
        self.params = params


# The used range of a sheet (its cells that hold something) is bounded before any engine decodes it:
# calamine allocates rows x columns cells at once, so one cell at XFD1048576 of a 12 kB file asks
# for 512 GiB, and the reader's loops run over every row. A real PK, RKT or realisation sheet has
# tens of rows; the largest the tests read is a 10,000-row RKT. Beyond either limit: sheet-too-large.
MAX_ROWS = 20_000
MAX_CELLS = 1_000_000  # rows x columns of the used range (the grid calamine allocates), about 32 MB
# A sheet within both limits has no cell reference with two letters (column AA or later) or a
# five-digit row; one plain regex search tells the usual sheet (a few columns, tens of rows) apart.
_FAR_REF = re.compile(rb'r="[A-Z](?:[A-Z]|[0-9]{5})')  # about 5 us for a 5 kB sheet
# A cell element holding something (not <c .../> nor <c ...></c>), whatever its prefix and attribute order.
_CONTENT_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})([0-9]{1,7})"[^>]*?(?<!/)>(?!</)')


def check_extent(sheet: str, xml: bytes) -> None:
    """Raise ``sheet-too-large`` when the cells of a sheet's XML reach beyond :data:`MAX_ROWS` rows or
    :data:`MAX_CELLS` cells (rows x columns from A1). Read from the cell references, not from the
    ``<dimension>`` the sheet declares, which any writer may get wrong."""
    if _FAR_REF.search(xml) is None:
        return
    from openpyxl.utils.cell import column_index_from_string

    rows = cols = 0
    far_row = far_col = ""
    letters_seen: dict[bytes, int] = {}
    for match in _CONTENT_REF.finditer(xml):
        letters, digits = match.groups()
        row = int(digits)
        col = letters_seen.get(letters)
        if col is None:
            col = letters_seen[letters] = column_index_from_string(letters.decode())
        if row > rows:
            rows, far_row = row, (letters + digits).decode()
        if col > cols:
            cols, far_col = col, (letters + digits).decode()
    if rows > MAX_ROWS or rows * cols > MAX_CELLS:
        far = far_row if rows > MAX_ROWS else far_col
        raise SourceError("sheet-too-large", sheet=sheet, cell=far, rows=_count(rows), columns=_count(cols),
                          max_rows=_count(MAX_ROWS), max_cells=_count(MAX_CELLS))


def used_extent(xml: bytes) -> tuple[int, int]:
    """(last row, last column) holding a value in a sheet's XML; (0, 0) for an empty sheet."""
    from openpyxl.utils.cell import column_index_from_string

    rows = cols = 0
    letters_seen: dict[bytes, int] = {}
    for match in _CONTENT_REF.finditer(xml):
        letters, digits = match.groups()
        col = letters_seen.get(letters)
        if col is None:
            col = letters_seen[letters] = column_index_from_string(letters.decode())
        rows, cols = max(rows, int(digits)), max(cols, col)
    return rows, cols


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


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # Indonesian grouping: 1.048.576


def a1(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


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


HEAD = 4096  # bytes of each XML part searched for a DTD
WHOLE = 16 * 1024 * 1024  # XML parts up to this size are decompressed whole by the check and kept


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


class ZipParts:
    """The members of a workbook held in memory, decompressed straight from the bytes.

    zipfile's per-member bookkeeping costs more than decompressing a small XML part; a roll-up
    reads some 150,000 of them. Stored and deflated members are read here (the CRC checked);
    anything else goes through zipfile.
    """

    def __init__(self, data: bytes, infos: list[zipfile.ZipInfo]) -> None:
        self.data = data
        self.infos = {i.filename: i for i in infos}
        self.whole: dict[str, bytes] = {}  # intact parts already decompressed
        self.started: dict[str, tuple[Any, bytes]] = {}  # parts whose head only is decompressed

    @property
    def names(self) -> frozenset[str]:
        return frozenset(self.infos)

    def read(self, name: str) -> bytes:
        """A whole member; KeyError when there is none, zipfile.BadZipFile when it is damaged."""
        if name in self.whole:
            return self.whole[name]
        info = self.infos[name]
        whole = self._finish(name, info) if name in self.started else self.direct(info)
        if whole is None:
            with zipfile.ZipFile(io.BytesIO(self.data)) as zf:
                return zf.read(info)
        if len(whole) != info.file_size or zlib.crc32(whole) != info.CRC:
            raise zipfile.BadZipFile(f"Bad CRC-32 for file {name!r}")
        return whole

    def start(self, info: zipfile.ZipInfo) -> bytes | None:
        """The first HEAD bytes of a deflated member, the rest left for :meth:`read`; None when the
        head cannot be read this way (the caller then reads the member as before)."""
        if info.compress_type != zipfile.ZIP_DEFLATED:
            return None
        raw = self._raw(info)
        if raw is None:
            return None
        inflate = zlib.decompressobj(-15)
        try:
            head = inflate.decompress(raw, HEAD)
            while len(head) < HEAD and inflate.unconsumed_tail:
                head += inflate.decompress(inflate.unconsumed_tail, HEAD - len(head))
        except zlib.error:
            return None
        self.started[info.filename] = (inflate, head)
        return head

    def _finish(self, name: str, info: zipfile.ZipInfo) -> bytes | None:
        """The rest of a member :meth:`start` began: the same bytes :meth:`direct` gives, unchecked."""
        inflate, head = self.started.pop(name)
        try:
            return head + inflate.decompress(inflate.unconsumed_tail, info.file_size + 1 - len(head))
        except zlib.error:
            return None

    def _raw(self, info: zipfile.ZipInfo) -> memoryview | None:
        if info.flag_bits & 0x1:
            return None
        offset = info.header_offset
        header = self.data[offset:offset + 30]
        if len(header) < 30 or header[:4] != b"PK\x03\x04":
            return None
        start = offset + 30 + int.from_bytes(header[26:28], "little") + int.from_bytes(header[28:30], "little")
        return memoryview(self.data)[start:start + info.compress_size]

    def direct(self, info: zipfile.ZipInfo) -> bytes | None:
        """The member's bytes, unchecked, or None when zipfile must read it (encrypted, other methods)."""
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            return None
        raw = self._raw(info)
        if raw is None:
            return None
        if info.compress_type == zipfile.ZIP_STORED:
            return bytes(raw)
        try:
            # Never more than the declared size (plus one byte, to see a lie): a forged size cannot
            # make this a zip bomb; the caller compares length and CRC.
            return zlib.decompressobj(-15).decompress(raw, info.file_size + 1)
        except zlib.error:
            return None


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


def layout(xml: bytes) -> tuple[tuple[tuple[int, int, int, int], ...], frozenset[int]]:
    """Merged ranges and hidden rows of one sheet, read from its XML (read-only openpyxl hides them)."""
    from openpyxl.utils.cell import range_boundaries

    merged = []
    for ref in _MERGE.findall(xml) if b"mergeCell" in xml else ():  # a plain search first: most sheets have none
        min_col, min_row, max_col, max_row = range_boundaries(ref.decode())
        merged.append((min_row, min_col, max_row, max_col))
    hidden = set()
    if b"hidden=" in xml:  # most sheets hide no row: skip the scan over every <row>
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
