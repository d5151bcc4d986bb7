"""Workbooks that once killed or starved the reader (issue 14.9, 14.10, 14.18, 14.19), made at test time.

Each function rewrites the XML of a bundled example workbook the way the file was met, and writes
the result to ``dest``; nothing big is committed. Run:
``python tests/corpus/make_probe_reading.py OUTDIR`` to write one of each (the big ones included).
"""

from __future__ import annotations

import posixpath
import re
import sys
import zipfile
from pathlib import Path
from typing import Callable
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "workbooks"
PK = "PK_08_Eselon_IV_Keuangan_Umum_dan_Logistik.xlsx"  # a 12 kB workbook, as in the issue

Change = Callable[[str, bytes], bytes]


def rewrite(src: Path, dest: Path, change: Change) -> Path:
    """Copy a workbook, passing every member through ``change(name, data)``."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, change(info.filename, zin.read(info)))
    return dest


def sheet_part(src: Path, sheet: str) -> str:
    """The zip member holding the sheet named ``sheet``."""
    with zipfile.ZipFile(src) as z:
        workbook = z.read("xl/workbook.xml").decode()
        rels = z.read("xl/_rels/workbook.xml.rels").decode()
    rid = re.search(rf'<sheet [^>]*name="{re.escape(sheet)}"[^>]*r:id="([^"]+)"', workbook).group(1)
    target = re.search(rf'<Relationship [^>]*Target="([^"]+)"[^>]*Id="{rid}"', rels) or \
        re.search(rf'<Relationship [^>]*Id="{rid}"[^>]*Target="([^"]+)"', rels)
    path = target.group(1)
    return path.lstrip("/") if path.startswith("/") else posixpath.normpath(posixpath.join("xl", path))


def _in_sheet(src: Path, sheet: str, change: Callable[[bytes], bytes]) -> Change:
    part = sheet_part(src, sheet)
    return lambda name, data: change(data) if name == part else data


def _cell(ref: str, text: str) -> bytes:
    return f'<c r="{ref}" t="inlineStr"><is><t>{escape(text)}</t></is></c>'.encode()


def stray_cell(dest: Path, *, src: Path = EXAMPLE / PK, sheet: str = "Indikator", ref: str = "XFD1048576",
               text: str = "x") -> Path:
    """One extra cell far from the table (the 12.8 kB workbook that aborted calamine)."""
    row = re.search(r"\d+", ref).group(0)
    add = b'<row r="%s">%s</row></sheetData>' % (row.encode(), _cell(ref, text))
    return rewrite(src, dest, _in_sheet(src, sheet, lambda d: d.replace(b"</sheetData>", add, 1)))


def merge_to_end(dest: Path, *, src: Path = EXAMPLE / PK, sheet: str = "Indikator",
                 ref: str = "A4:XFD1048576") -> Path:
    """A merged range from the first data row to the last cell of the sheet."""
    def change(data: bytes) -> bytes:
        merge = b'<mergeCell ref="%s"/>' % ref.encode()
        if b"<mergeCells" in data:
            return re.sub(rb'<mergeCells count="(\d+)">',
                          lambda m: b'<mergeCells count="%d">%s' % (int(m.group(1)) + 1, merge), data, count=1)
        return data.replace(b"</sheetData>", b'</sheetData><mergeCells count="1">%s</mergeCells>' % merge, 1)
    return rewrite(src, dest, _in_sheet(src, sheet, change))


def filled_column(dest: Path, *, src: Path = EXAMPLE / PK, sheet: str = "Indikator", column: str = "G",
                  text: str = "positif", first: int = 6, last: int = 1_048_576) -> Path:
    """One column filled down to the last row of the sheet (Ctrl+D to the end), nothing else beside it."""
    rows = b"".join(b'<row r="%d">%s</row>' % (r, _cell(f"{column}{r}", text)) for r in range(first, last + 1))
    return rewrite(src, dest, _in_sheet(src, sheet, lambda d: d.replace(b"</sheetData>", rows + b"</sheetData>", 1)))


def many_rows(dest: Path, *, src: Path = EXAMPLE / PK, sheet: str = "Indikator", rows: int = 200_000,
              first: int = 6) -> Path:
    """``rows`` varied indicator rows below the table (every column filled, every row different)."""
    def row(r: int) -> bytes:
        n = r - first
        values = (f"SK-{n // 7}", f"Sasaran strategis nomor {n // 7} untuk satker", f"IK-X.{n}",
                  f"Persentase capaian kegiatan ke-{n} yang selesai tepat waktu", "%", None, "positif",
                  f"IK-S.{n % 9}", "langsung")
        cells = b"".join(_cell(f"{chr(65 + i)}{r}", v) if v is not None else b'<c r="F%d"><v>%d</v></c>' % (r, n % 100)
                         for i, v in enumerate(values))
        return b'<row r="%d">%s</row>' % (r, cells)
    body = b"".join(row(r) for r in range(first, first + rows))
    return rewrite(src, dest, _in_sheet(src, sheet, lambda d: d.replace(b"</sheetData>", body + b"</sheetData>", 1)))


# --- Strict Open XML -------------------------------------------------------------------------------
# What Excel's "Strict Open XML Spreadsheet" writes instead of the transitional names (ISO/IEC 29500-1
# Strict, Annex A); the package parts (content types, package relationships, core properties) keep
# their names. Relationship types follow the namespace, except those renamed in Strict.
TO_STRICT = (
    (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/extended-properties",
     b"http://purl.oclc.org/ooxml/officeDocument/relationships/extendedProperties"),
    (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/custom-properties",
     b"http://purl.oclc.org/ooxml/officeDocument/relationships/customProperties"),
    (b"http://schemas.openxmlformats.org/officeDocument/2006/relationships",
     b"http://purl.oclc.org/ooxml/officeDocument/relationships"),
    (b"http://schemas.openxmlformats.org/spreadsheetml/2006/main", b"http://purl.oclc.org/ooxml/spreadsheetml/main"),
    (b"http://schemas.openxmlformats.org/drawingml/2006/main", b"http://purl.oclc.org/ooxml/drawingml/main"),
    (b"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties",
     b"http://purl.oclc.org/ooxml/officeDocument/extendedProperties"),
    (b"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes",
     b"http://purl.oclc.org/ooxml/officeDocument/docPropsVTypes"),
)


def strict(dest: Path, *, src: Path = EXAMPLE / PK) -> Path:
    """The workbook as Excel saves it in Strict Open XML: strict namespaces and ``conformance="strict"``."""
    def change(name: str, data: bytes) -> bytes:
        if not name.endswith((".xml", ".rels")):
            return data
        for transitional, strict_name in TO_STRICT:
            data = data.replace(transitional, strict_name)
        if name == "xl/workbook.xml":
            data = re.sub(rb"(<(?:\w+:)?workbook\b)", rb'\1 conformance="strict"', data, count=1)
        return data
    return rewrite(src, dest, change)


# --- 1904 date system ---------------------------------------------------------------------------------
def date1904(dest: Path, *, src: Path = EXAMPLE / "PK_01_Ketua.xlsx", sheet: str = "Identitas", cell: str = "B20",
             serial: int = 43126) -> Path:
    """The workbook switched to the 1904 date system with the signing date typed as a plain number
    (43126 = 27 January 2022 in 1904 serials; 44588 in 1900 serials)."""
    part = sheet_part(src, sheet)

    def change(name: str, data: bytes) -> bytes:
        if name == "xl/workbook.xml":
            if b"<workbookPr/>" in data:
                return data.replace(b"<workbookPr/>", b'<workbookPr date1904="1"/>', 1)
            return re.sub(rb"<workbookPr\b", b'<workbookPr date1904="1"', data, count=1)
        if name == part:  # the cell keeps its place, becomes a number in the General style
            return re.sub(rb'<c r="%s"[^>]*?(?:/>|>.*?</c>)' % cell.encode(), b'<c r="%s"><v>%d</v></c>' % (cell.encode(), serial),
                          data, count=1, flags=re.S)
        return data
    return rewrite(src, dest, change)


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("probe_reading_out")
    out.mkdir(parents=True, exist_ok=True)
    for make in (stray_cell, merge_to_end, filled_column, many_rows, strict, date1904):
        path = make(out / f"{make.__name__}.xlsx")
        print(f"{path.name:24} {path.stat().st_size:>12,} B")
