"""The cells a workbook holds (:class:`WorkbookGrid`), and the bounds and parts every reader shares.

Both engines of :mod:`kinerja_xl.reading.source` (openpyxl) and :mod:`kinerja_xl.reading.xlsx_fast` (calamine) fill the
same grid; both bound a sheet by its cells (:func:`check_extent`) and read members through
:class:`ZipParts`. Kept apart from :mod:`kinerja_xl.reading.source` so that the fast engine depends on these and
not on the module that chooses between the engines (no import cycle).
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass, field
from typing import Any

from openpyxl.utils.cell import get_column_letter

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
    rows, cols, far_row, far_col = _extent(xml)
    if rows > MAX_ROWS or rows * cols > MAX_CELLS:
        far = far_row if rows > MAX_ROWS else far_col
        raise SourceError("sheet-too-large", sheet=sheet, cell=far, rows=_count(rows), columns=_count(cols),
                          max_rows=_count(MAX_ROWS), max_cells=_count(MAX_CELLS))


def used_extent(xml: bytes) -> tuple[int, int]:
    """(last row, last column) holding a value in a sheet's XML; (0, 0) for an empty sheet."""
    rows, cols, _, _ = _extent(xml)
    return rows, cols


def _extent(xml: bytes) -> tuple[int, int, str, str]:
    """The last row and column holding a value, and the cells that reach them ("G1048576", "XFD9")."""
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
    return rows, cols, far_row, far_col


def _count(n: int) -> str:
    return f"{n:,}".replace(",", ".")  # Indonesian grouping: 1.048.576


def a1(row: int, col: int) -> str:
    return f"{get_column_letter(col)}{row}"


HEAD = 4096  # bytes of each XML part searched for a DTD
WHOLE = 16 * 1024 * 1024  # XML parts up to this size are decompressed whole by the check and kept


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
