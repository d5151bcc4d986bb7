"""Findings back into Excel: a report workbook with links to both cells, and annotated copies.

The user's workbooks are never opened for writing: annotated copies go to another folder.
Text from the workbooks is always written as text, so a message or a sasaran starting with
"=", "+", "-" or "@" can never become a formula in the files we write.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any, Iterable

import openpyxl
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from .fsutil import atomic_path, atomic_save
from .issues import Issue, Report, Severity
from .model import CellRef

FILLS = {
    Severity.ERROR: PatternFill("solid", fgColor="F8CBAD"),
    Severity.WARNING: PatternFill("solid", fgColor="FFE699"),
    Severity.INFO: PatternFill("solid", fgColor="BDD7EE"),
}
HEADER = Font(bold=True)
LINK = Font(color="0563C1", underline="single")


def put_text(ws: Worksheet, row: int, col: int, value: Any) -> None:
    """Write a value; strings are forced to text so they can never run as formulas."""
    cell = ws.cell(row, col, value)
    if isinstance(value, str):
        cell.data_type = "s"
        if value[:1] in ("=", "+", "-", "@"):
            cell.quotePrefix = True


def _link(target: CellRef, base: Path) -> str:
    rel = os.path.relpath(Path(target.file).resolve(), base.resolve())
    if target.sheet and target.cell:
        return f"{rel}#'{target.sheet}'!{target.cell}"
    return rel


def write_report(report: Report, path: str | Path) -> Path:
    """An Excel workbook with one row per finding and links to the cell and to the related cell."""
    path = Path(path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Temuan"
    headers = ("No", "Sifat", "Kode", "Pesan", "Berkas", "Lembar", "Sel", "Buka sel", "Terkait", "Buka sel terkait")
    for c, text in enumerate(headers, start=1):
        put_text(ws, 1, c, text)
        ws.cell(1, c).font = HEADER
    base = path.parent
    for r, issue in enumerate(report.issues, start=2):
        loc, rel = issue.location, issue.related
        values = (r - 1, issue.severity.label, issue.code, issue.message, loc.file, loc.sheet, loc.cell)
        for c, value in enumerate(values, start=1):
            put_text(ws, r, c, value)
        ws.cell(r, 2).fill = FILLS[issue.severity]
        _hyperlink(ws, r, 8, loc, base)
        if rel is not None:
            put_text(ws, r, 9, str(rel))
            _hyperlink(ws, r, 10, rel, base)
    for letter, width in zip("ABCDEFGHIJ", (5, 11, 24, 80, 40, 18, 7, 10, 40, 10)):
        ws.column_dimensions[letter].width = width
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:J{max(len(report.issues) + 1, 2)}"
    summary = wb.create_sheet("Ringkasan")
    for c, text in enumerate(("Berkas", "Galat", "Peringatan", "Info"), start=1):
        put_text(summary, 1, c, text)
        summary.cell(1, c).font = HEADER
    for r, (file, issues) in enumerate(report.by_file().items(), start=2):
        put_text(summary, r, 1, file)
        for c, sev in enumerate((Severity.ERROR, Severity.WARNING, Severity.INFO), start=2):
            summary.cell(r, c, sum(i.severity is sev for i in issues))
    summary.column_dimensions["A"].width = 70
    summary.freeze_panes = "A2"
    return atomic_save(wb, path)


def _hyperlink(ws: Worksheet, row: int, col: int, target: CellRef, base: Path) -> None:
    if not target.file:
        return
    cell = ws.cell(row, col, "buka")
    cell.hyperlink = _link(target, base)
    cell.font = LINK


def annotate(report: Report, outdir: str | Path) -> list[Path]:
    """Copies of the workbooks that have findings, problem cells coloured and commented.

    Copies keep their file name; with several satker folders the folder name is prefixed.
    """
    outdir = Path(outdir)
    per_file: dict[str, list[tuple[Issue, CellRef]]] = {}
    for issue in report.issues:
        for ref in (issue.location, issue.related):
            if ref is not None and ref.cell and ref.file.lower().endswith((".xlsx", ".xlsm")):
                per_file.setdefault(ref.file, []).append((issue, ref))
    folders = {Path(f).parent for f in per_file}
    written = []
    for file, marks in sorted(per_file.items()):
        src = Path(file)
        name = src.name if len(folders) == 1 else f"{src.parent.name}__{src.name}"
        written.append(_annotate_copy(src, outdir / name, marks))
    return written


def _annotate_copy(src: Path, dest: Path, marks: Iterable[tuple[Issue, CellRef]]) -> Path:
    with atomic_path(dest) as tmp:
        shutil.copyfile(src, tmp)
        wb = openpyxl.load_workbook(tmp, keep_vba=src.suffix.lower() == ".xlsm")
        notes: dict[tuple[str, str], list[Issue]] = {}
        for issue, ref in marks:
            if ref.sheet in wb.sheetnames:
                notes.setdefault((ref.sheet, ref.cell), []).append(issue)
        for (sheet, coord), issues in notes.items():
            cell = wb[sheet][coord]
            worst = min(issues, key=lambda i: list(Severity).index(i.severity))
            cell.fill = FILLS[worst.severity]
            text = "\n".join(f"[{i.code}] {i.message}" for i in issues)
            cell.comment = Comment(text[:30000], "kinerja_xl", width=360, height=160)
        wb.save(tmp)
    return dest
