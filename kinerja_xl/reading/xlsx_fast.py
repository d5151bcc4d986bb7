"""The fast .xlsx engine: python-calamine for the text, one light pass over the sheet XML for the rest.

openpyxl parses every cell into Python objects twice (values, then formulas); on a national
roll-up of 7,000 workbooks that is most of the run. Here calamine (Rust) decodes each sheet, and
the sheet XML is consulted only at the number and date cells calamine found, and at formula and
error cells, for what calamine does not keep: the number format of the cell's style (the reader
only asks whether a number's format is a percent), the formula text, and the raw number, so that
numbers and dates come out exactly as openpyxl types them (``2022`` an int, ``0.9`` a float, a
date-formatted serial a datetime, an out-of-range "date" ``#VALUE!``). A plain text cell, most
cells of a workbook, is taken from calamine as it is, with ``number_format`` None (not looked up).

Whatever this engine is not sure to read the way openpyxl would (no ``r`` attribute on a cell, a
sheet that is not UTF-8, a style index out of range, anything calamine refuses) raises
:class:`Unsupported`, and :func:`kinerja_xl.reading.source.load_xlsx` reads the file with openpyxl
instead, so a damaged file still gets exactly the finding it got before.

Known differences from openpyxl's read-only mode, none of which changes a finding: OOXML escapes such as
``_x000D_`` in text are decoded rather than left in the text; a cell holding the empty string is
left out like a blank one (calamine does not tell them apart; the reader treats them alike); a file
openpyxl refuses for a detail Excel ignores (a style sheet it cannot map, shared strings missing
from the content types) is read.
"""

from __future__ import annotations

import functools
import html
import io
import posixpath
import re
from typing import Any, Callable

from openpyxl.formula.translate import Translator
from openpyxl.utils.datetime import WINDOWS_EPOCH as _WINDOWS_EPOCH, from_excel, from_ISO8601

from .grid import RawCell, SheetGrid, SourceError, WorkbookGrid, ZipParts, check_extent, layout, raw_cell

NS_MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
NS_REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
NS_PKG = "{http://schemas.openxmlformats.org/package/2006/relationships}"
NS_CT = "{http://schemas.openxmlformats.org/package/2006/content-types}"

# Cells with content only: <c .../> and <c ...></c> (how openpyxl writes a styled blank) hold nothing.
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?<!/)>(?!</)(.*?)</(?:\w+:)?c>", re.S)
_ATTR = re.compile(rb'([\w:]+)="([^"]*)"')
_VALUE = re.compile(rb"<(?:\w+:)?v(?:\s[^>]*)?>(.*?)</(?:\w+:)?v>", re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b([^>]*?)(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_INLINE = re.compile(rb"<(?:\w+:)?is\b")
_SHEET_DATA = re.compile(rb"<(?:\w+:)?sheetData\b")
_COORD = re.compile(r"([A-Z]{1,3})([0-9]+)")
_ATTR_R = re.compile(rb'\br="([^"]*)"')
_CANON = re.compile(rb'\s*r="[A-Z]{1,3}[0-9]+"(?: s="([0-9]+)")?(?: t="([a-zA-Z]+)")?\s*')


class Unsupported(Exception):
    """The fast engine cannot promise openpyxl's reading of this file; read it with openpyxl."""


def load(data: bytes, name: str, parts: ZipParts, *, skip_sheets: frozenset[str] = frozenset()) -> WorkbookGrid:
    """Read a workbook into a grid; ``parts`` are its members, from :func:`kinerja_xl.reading.source.sniff`.

    Sheets in ``skip_sheets`` appear in the grid without cells (the reader never looks at them).
    """
    import python_calamine

    try:
        member = functools.partial(_member, parts)
        book = _book(parts.names, member)
        styles = _styles(member(book.styles)) if book.styles else _DEFAULT_STYLES
        calamine = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    except Unsupported:
        raise
    except Exception as exc:  # calamine and the XML parser raise many kinds for a damaged file
        raise Unsupported(type(exc).__name__) from None
    grid = WorkbookGrid(name, engine="calamine", date1904=book.epoch != _WINDOWS_EPOCH)
    try:
        for sheet_name, part, hidden in book.sheets:
            xml = member(part)
            if xml[:2] in (b"\xff\xfe", b"\xfe\xff"):
                raise Unsupported("UTF-16")
            sheet = SheetGrid(sheet_name, hidden=hidden)
            if sheet_name in skip_sheets:
                grid.sheets[sheet_name] = sheet
                continue
            check_extent(sheet_name, xml)  # before calamine allocates rows x columns cells
            sheet.merged, sheet.hidden_rows = layout(xml)
            rows = calamine.get_sheet_by_name(sheet_name).to_python(skip_empty_area=False)
            _cells(sheet, xml, styles, rows, book.epoch)
            grid.sheets[sheet_name] = sheet
    except (Unsupported, SourceError):
        raise
    except Exception as exc:
        raise Unsupported(type(exc).__name__) from None
    finally:
        calamine.close()
    return grid


def _member(parts: ZipParts, name: str) -> bytes:
    try:
        return parts.read(name)
    except KeyError:
        raise Unsupported(f"missing {name}") from None


# --- the workbook: which sheets, in which parts -----------------------------------------------------
class _Book:
    def __init__(self, sheets: tuple[tuple[str, str, bool], ...], styles: str, epoch: Any) -> None:
        self.sheets, self.styles, self.epoch = sheets, styles, epoch


def _book(names: frozenset[str], member: Callable[[str], bytes]) -> _Book:
    """Sheet names, parts and visibility, as openpyxl finds them (content types, then relationships)."""
    part = _workbook_part(member("[Content_Types].xml"))
    folder, base = posixpath.split(part)
    rels_part = posixpath.join(folder, "_rels", f"{base}.rels")
    return _parse_book(part, member(part), member(rels_part), names)


@functools.lru_cache(maxsize=64)  # the workbooks of one template share their content types
def _workbook_part(content_types: bytes) -> str:
    from defusedxml.ElementTree import fromstring
    from openpyxl.xml.constants import XLSM, XLSX, XLTM, XLTX

    types = fromstring(content_types)
    overrides = [(o.get("ContentType"), o.get("PartName", "")) for o in types.iter(f"{NS_CT}Override")]
    part = next((p for ct in (XLTM, XLTX, XLSM, XLSX) for t, p in overrides if t == ct), None)
    if part is None:
        raise Unsupported("no workbook part")
    return part.lstrip("/")


@functools.lru_cache(maxsize=256)  # a generated or copied set repeats the same few workbook parts
def _parse_book(part: str, workbook_xml: bytes, rels_xml: bytes, names: frozenset[str]) -> _Book:
    from defusedxml.ElementTree import fromstring
    from openpyxl.utils.datetime import CALENDAR_MAC_1904, WINDOWS_EPOCH

    workbook = fromstring(workbook_xml)
    rels = _relationships(rels_xml, posixpath.dirname(part))  # targets are relative to the workbook part
    props = workbook.find(f"{NS_MAIN}workbookPr")
    date1904 = props is not None and props.get("date1904", "").lower() in ("1", "true")
    sheets = []
    for node in workbook.iter(f"{NS_MAIN}sheet"):
        rid = node.get(f"{NS_REL}id")
        if not rid or rid not in rels:
            raise Unsupported("sheet without relationship")
        target, kind = rels[rid]
        if target not in names or "chartsheet" in kind:
            continue
        sheets.append((node.get("name", ""), target, node.get("state", "visible") != "visible"))
    styles = "xl/styles.xml"  # openpyxl reads the style sheet from this fixed part, not from the relationships
    return _Book(tuple(sheets), styles if styles in names else "", CALENDAR_MAC_1904 if date1904 else WINDOWS_EPOCH)


def _relationships(xml: bytes, parent: str) -> dict[str, tuple[str, str]]:
    from defusedxml.ElementTree import fromstring

    out = {}
    for rel in fromstring(xml).iter(f"{NS_PKG}Relationship"):
        target = rel.get("Target", "")
        if rel.get("TargetMode") != "External":
            target = target[1:] if target.startswith("/") else posixpath.normpath(posixpath.join(parent, target))
        out[rel.get("Id", "")] = (target, rel.get("Type", ""))
    return out


# --- styles: the number format of each cell style ---------------------------------------------------
class _Styles:
    def __init__(self, formats: tuple[str, ...], dates: frozenset[int], timedeltas: frozenset[int]) -> None:
        self.formats, self.dates, self.timedeltas = formats, dates, timedeltas


_DEFAULT_STYLES = _Styles(("General",), frozenset(), frozenset())


@functools.lru_cache(maxsize=64)  # a set of workbooks from one template shares a handful of style sheets
def _styles(xml: bytes) -> _Styles:
    """Per cellXfs index: openpyxl's number_format, and whether openpyxl reads the cell as a date."""
    from defusedxml.ElementTree import fromstring
    from openpyxl.styles.numbers import BUILTIN_FORMATS, is_date_format, is_timedelta_format

    root = fromstring(xml)
    custom = {int(n.get("numFmtId")): n.get("formatCode", "")
              for n in root.iterfind(f"{NS_MAIN}numFmts/{NS_MAIN}numFmt")}
    xfs = root.findall(f"{NS_MAIN}cellXfs/{NS_MAIN}xf")
    if not xfs:
        return _DEFAULT_STYLES
    ids = [int(xf.get("numFmtId", 0)) for xf in xfs]
    # openpyxl renumbers custom formats from 164 in the order the styles use them.
    renumbered = list(dict.fromkeys(custom[i] for i in ids if i in custom))
    formats, dates, timedeltas = [], set(), set()
    for idx, fmt_id in enumerate(ids):
        if fmt_id in custom:
            code = date_code = custom[fmt_id]
        else:
            date_code = BUILTIN_FORMATS.get(fmt_id)
            if fmt_id < 164:
                code = BUILTIN_FORMATS.get(fmt_id, "General")
            elif fmt_id - 164 < len(renumbered):
                code = renumbered[fmt_id - 164]
            else:
                raise Unsupported("number format out of range")
        formats.append(code)
        if is_date_format(date_code):
            dates.add(idx)
        if is_timedelta_format(date_code):
            timedeltas.add(idx)
    return _Styles(tuple(formats), frozenset(dates), frozenset(timedeltas))


# --- cells ---------------------------------------------------------------------------------------------
class _NotCanonical(Exception):
    """A cell calamine found is not where the canonical layout puts it: scan the whole sheet instead."""


def _cells(sheet: SheetGrid, xml: bytes, styles: _Styles, rows: list[list[Any]], epoch: Any) -> None:
    """Fill ``sheet.cells`` from the sheet XML and calamine's decoded ``rows``."""
    data = _SHEET_DATA.search(xml)
    if data is None:
        return
    try:
        if not xml.startswith(b"<sheetData", data.start()):
            raise _NotCanonical  # a namespace prefix (<x:c ...>): only the scan handles it
        _cells_by_position(sheet, xml, data.start(), styles, rows, epoch)
    except _NotCanonical:
        sheet.cells.clear()
        _cells_by_scan(sheet, xml, data.start(), styles, rows, epoch)


def _cells_by_position(sheet: SheetGrid, xml: bytes, begin: int, styles: _Styles, rows: list[list[Any]],
                       epoch: Any) -> None:
    """Visit only the number and date cells calamine found, each looked up at ``<c r="A1"`` from
    the previous one; text cells are calamine's.

    Excel, LibreOffice and openpyxl write cells in row order, ``r`` first: every lookup is a short
    forward search, and the blank styled cells a template is full of cost nothing. Formula and
    error cells (calamine leaves a formula without a cached value, and errors, empty) come after,
    in document order, which shared formulas need.
    """
    cells = sheet.cells
    find = xml.find  # bound once: this loop runs for every cell of a roll-up
    new_cell = raw_cell
    at = begin
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            if value.__class__ is str:
                if value:  # text: calamine's value is the reading; a formula or error is met below
                    cells[(r, c)] = new_cell(value, None, None)
                continue
            needle = _needle(r, c)
            at = find(needle, at)
            if at < 0:
                raise _NotCanonical
            end = find(b">", at)
            if xml[end - 1] == 0x2F:  # "/>": no content where calamine saw some
                raise _NotCanonical
            close = find(b"</c>", end)
            if close < 0:
                raise _NotCanonical
            inner = xml[end + 1:close]
            if b"<f" in inner:
                continue
            cell = _cell(xml[at + 2:end], inner, r, c, value, styles, epoch, {})
            if cell is not None:
                cells[(r, c)] = cell
            at = close
    # Data validations (<formula1>) live after sheetData: look for formulas and errors inside it only.
    stop = xml.find(b"</sheetData>", at)
    stop = len(xml) if stop < 0 else stop  # <sheetData/>: an empty sheet
    marks = sorted(_marks(xml, b"<f", begin, stop) + _marks(xml, b't="e"', begin, stop))
    shared: dict[bytes, Any] = {}
    last = -1
    for mark in marks:
        at = xml.rfind(b"<c ", begin, mark)
        if at < 0:
            raise _NotCanonical
        if at == last:
            continue  # an error cell holding a formula: done with the formula
        last = at
        end = xml.find(b">", at)
        close = xml.find(b"</c>", end)
        found = _ATTR_R.search(xml, at, end)
        if close < 0 or found is None:
            raise _NotCanonical
        r, c = _coordinate(found.group(1).decode())
        value = rows[r - 1][c - 1] if r <= len(rows) and c <= len(rows[r - 1]) else ""
        cell = _cell(xml[at + 2:end], xml[end + 1:close], r, c, value, styles, epoch, shared)
        if cell is not None:
            cells[(r, c)] = cell


def _marks(xml: bytes, needle: bytes, start: int, stop: int) -> list[int]:
    """Where ``needle`` occurs between start and stop (a plain search: far cheaper than a regex scan)."""
    out = []
    at = xml.find(needle, start, stop)
    while at >= 0:
        if needle != b"<f" or xml[at + 2:at + 3] in (b" ", b">", b"/"):  # <f>, <f t=..>, <f/>; not <font>
            out.append(at)
        at = xml.find(needle, at + len(needle), stop)
    return out


def _cells_by_scan(sheet: SheetGrid, xml: bytes, begin: int, styles: _Styles, rows: list[list[Any]],
                   epoch: Any) -> None:
    """Every non-empty ``<c>`` element, whatever the attribute order or namespace prefix."""
    shared: dict[bytes, Any] = {}
    for match in _CELL.finditer(xml, begin):
        attrs = match.group(1)
        found = _ATTR_R.search(attrs)
        if found is None:
            raise Unsupported("cell without reference")
        r, c = _coordinate(found.group(1).decode())
        value = rows[r - 1][c - 1] if r <= len(rows) and c <= len(rows[r - 1]) else ""
        cell = _cell(attrs, match.group(2), r, c, value, styles, epoch, shared)
        if cell is not None:
            sheet.cells[(r, c)] = cell


def _cell(attr_text: bytes, inner: bytes, row: int, col: int, text: Any, styles: _Styles, epoch: Any,
          shared: dict) -> RawCell | None:
    """One cell as openpyxl reads it: ``text`` is calamine's value, used for the string types."""
    canonical = _CANON.fullmatch(attr_text)
    if canonical is not None:  # r, s, t in this order: every writer we know; a dict otherwise
        style_text, kind = canonical.group(1), canonical.group(2) or b"n"
    else:
        attrs = dict(_ATTR.findall(attr_text))
        style_text, kind = attrs.get(b"s"), attrs.get(b"t", b"n")
    style = int(style_text) if style_text else 0
    if style >= len(styles.formats):
        raise Unsupported("style out of range")
    if inner.startswith(b"<v>") and inner.endswith(b"</v>") and b"<" not in inner[3:-4]:
        raw = inner[3:-4]
    else:
        found = _VALUE.search(inner)
        raw = found.group(1) if found else b""
    value: Any = None
    if kind in (b"s", b"str", b"inlineStr"):
        # openpyxl reads no value from an empty <v>, nor from an inline string without <is>.
        if _INLINE.search(inner) if kind == b"inlineStr" else raw:
            if not isinstance(text, str):
                raise Unsupported("text cell not read as text")
            value = text
    elif raw:
        value = _typed(kind, raw, style, styles, epoch)
    formula = None
    if b"<f" in inner or b":f" in inner:
        ref = _ATTR_R.search(attr_text)
        formula = _formula(inner, ref.group(1).decode() if ref else "", shared)
    if value is None and formula is None:
        return None
    return raw_cell(value, styles.formats[style], formula)


def _typed(kind: bytes, raw: bytes, style: int, styles: _Styles, epoch: Any) -> Any:
    """A number, boolean, error or ISO date from its XML text, typed as openpyxl types it."""
    if kind == b"n":
        text = raw.decode()
        number = float(text) if ("." in text or "E" in text or "e" in text) else int(text)
        if style in styles.dates:
            try:
                return from_excel(number, epoch, timedelta=style in styles.timedeltas)
            except (OverflowError, ValueError):
                return "#VALUE!"  # openpyxl's reading of a "date" outside the calendar
        return number
    if kind == b"b":
        return bool(int(raw))
    if kind == b"d":
        return from_ISO8601(_text(raw))
    return _text(raw)  # an error such as #DIV/0!, or a type openpyxl leaves as text


def _formula(inner: bytes, ref: str, shared: dict) -> str | None:
    """The formula text as openpyxl gives it: "=" + text, shared formulas translated to this cell."""
    found = _FORMULA.search(inner)
    if found is None:
        return None
    attrs = dict(_ATTR.findall(found.group(1)))
    value = "=" + (_text(found.group(2)) if found.group(2) else "")
    kind = attrs.get(b"t")
    if kind == b"shared":
        key = attrs.get(b"si")
        if key in shared:
            return shared[key].translate_formula(ref)
        if value != "=":
            shared[key] = Translator(value, ref)
    elif kind == b"dataTable":
        return None  # openpyxl gives an object, not a formula text, for a data table
    return value


def _text(raw: bytes) -> str:
    """XML character data as the XML parser would hand it over: entities decoded, line ends LF."""
    text = raw.decode()
    if "&" in text:
        text = html.unescape(text)
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text


@functools.lru_cache(maxsize=65536)
def _needle(row: int, col: int) -> bytes:
    """How a canonical cell starts: ``<c r="F4"`` (the closing quote keeps F4 from matching F40)."""
    from openpyxl.utils.cell import get_column_letter

    return f'<c r="{get_column_letter(col)}{row}"'.encode()


@functools.lru_cache(maxsize=4096)
def _coordinate(ref: str) -> tuple[int, int]:
    from openpyxl.utils.cell import column_index_from_string

    found = _COORD.fullmatch(ref)
    if found is None:
        raise Unsupported(f"cell reference {ref!r}")
    return int(found.group(2)), column_index_from_string(found.group(1))
