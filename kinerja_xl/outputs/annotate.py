"""Findings back into Excel: a report workbook with links to both cells, and annotated copies.

The user's workbooks are never opened for writing: annotated copies go to another folder.
Text from the workbooks is always written as text, so a message or a sasaran starting with
"=", "+", "-" or "@" can never become a formula in the files we write.
"""

from __future__ import annotations

import contextlib
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import openpyxl
from openpyxl.cell.cell import MergedCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from ..fsutil import OutputPlan, atomic_path, atomic_save, serialise
from ..findings.issues import Issue, Report, Severity
from ..model import CellRef

FILLS = {
    Severity.ERROR: PatternFill("solid", fgColor="F8CBAD"),
    Severity.WARNING: PatternFill("solid", fgColor="FFE699"),
    Severity.INFO: PatternFill("solid", fgColor="BDD7EE"),
}
HEADER = Font(bold=True)
LINK = Font(color="0563C1", underline="single")


# A cell text starting so would run as a formula (CSV/formula injection): written as text instead.
FORMULA_STARTS = ("=", "+", "-", "@")


def looks_like_formula(text: str) -> bool:
    """Whether Excel would take ``text`` typed into a cell as a formula."""
    return text.startswith(FORMULA_STARTS)


def cell_text(text: str) -> str:
    """Text an .xlsx cell or comment can hold: control characters (``_x001B_`` typed in a cell, a NUL
    from another program) become U+FFFD, which Excel shows, instead of making openpyxl refuse the
    whole file (IllegalCharacterError)."""
    return ILLEGAL_CHARACTERS_RE.sub("\ufffd", text)


def put_text(ws: Worksheet, row: int, col: int, value: Any) -> None:
    """Write a value; strings are forced to text so they can never run as formulas."""
    if isinstance(value, str):
        value = cell_text(value)
    cell = ws.cell(row, col, value)
    if isinstance(value, str):
        cell.data_type = "s"
        if looks_like_formula(value):
            cell.quotePrefix = True


def _link(target: CellRef, base: Path) -> str:
    rel = os.path.relpath(Path(target.file).resolve(), base.resolve())
    if target.sheet and target.cell:
        return f"{rel}#'{target.sheet}'!{target.cell}"
    return rel


def write_report(report: Report, path: str | Path) -> Path:
    """An Excel workbook with one row per finding and links to the cell and to the related cell.

    Refuses (:class:`~kinerja_xl.fsutil.OutputConflict`) to write over a file of the checked folders.
    """
    return write_outputs(report, laporan=path).laporan


def _write_report(report: Report, path: Path) -> Path:
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


def input_plan(report: Report) -> OutputPlan:
    """An output plan protecting every file the report's run read, and every file beside them."""
    files = set(report.files) | {i.location.file for i in report.issues if i.location.file}
    plan = OutputPlan(files)
    plan.protect({Path(f).parent for f in files if Path(f).parent.is_dir()})
    return plan


def copy_names(files: Iterable[str]) -> dict[str, str]:
    """The file name of each workbook's annotated copy: its own name, prefixed by the folders that tell
    it apart from the others when the run read several folders.

    >>> copy_names(["prov/banten/KPU Kota/RKT.xlsx", "prov/jabar/KPU Kota/RKT.xlsx"])
    {'prov/banten/KPU Kota/RKT.xlsx': 'banten__KPU Kota__RKT.xlsx', 'prov/jabar/KPU Kota/RKT.xlsx': 'jabar__KPU Kota__RKT.xlsx'}
    """
    files = sorted(set(files))
    folders = {os.path.abspath(Path(f).parent) for f in files}
    if len(folders) <= 1:
        return {f: Path(f).name for f in files}
    common = os.path.commonpath(sorted(folders))
    names = {}
    for f in files:
        parts = Path(os.path.relpath(os.path.abspath(Path(f).parent), common)).parts
        names[f] = "__".join((*[p for p in parts if p not in (".", "")], Path(f).name))
    return names


def annotate(report: Report, outdir: str | Path) -> list[Path]:
    """Copies of the workbooks that have findings, problem cells coloured and commented.

    Copies keep their file name; with several satker folders the folders that tell them apart are
    prefixed. All copies are written, or none: a failure leaves no partial set. A copy never
    replaces a file of the checked folders (:class:`~kinerja_xl.fsutil.OutputConflict`, nothing written).
    """
    return list(write_outputs(report, annotate_dir=outdir).copies)


@dataclass(frozen=True)
class Outputs:
    laporan: Path | None
    copies: tuple[Path, ...]
    not_copied: tuple[str, ...] = ()  # workbooks with findings that were not read (fatal): no copy of them


def unread_files(report: Report) -> set[str]:
    """Files the run could not read (a fatal finding: damaged, encrypted, too large, crashed the reader).

    No annotated copy is made of them: opening such a file whole (openpyxl loads every cell) is what
    the reader's bounds refused to do; a merged range to XFD1048576 grows to gigabytes there.
    """
    from ..findings.codes import FATAL

    return {i.location.file for i in report.issues if i.code in FATAL and i.location.file}


def write_outputs(report: Report, *, laporan: str | Path | None = None,
                  annotate_dir: str | Path | None = None) -> Outputs:
    """Write the report workbook and/or the annotated copies, after every path has been cleared.

    No path may be a file of the checked folders, and no two may be the same file (letter case
    ignored): else :class:`~kinerja_xl.fsutil.OutputConflict` and nothing is written.
    """
    plan = input_plan(report)
    report_path = plan.claim(laporan) if laporan is not None else None
    per_file: dict[str, list[tuple[Issue, CellRef]]] = {}
    unread = unread_files(report) if annotate_dir is not None else set()
    if annotate_dir is not None:
        for issue in report.issues:
            for ref in (issue.location, issue.related):
                if ref is not None and ref.cell and ref.file.lower().endswith((".xlsx", ".xlsm")):
                    per_file.setdefault(ref.file, []).append((issue, ref))
        for file in unread:
            per_file.pop(file, None)
        names = copy_names(per_file)
        targets = {file: plan.claim_unique(Path(annotate_dir) / names[file]) for file in sorted(per_file)}
    else:
        targets = {}
    if report_path is not None:
        _write_report(report, report_path)
    with contextlib.ExitStack() as stack:
        for file, dest in targets.items():
            _annotate_copy(Path(file), stack.enter_context(atomic_path(dest)), per_file[file])
    return Outputs(report_path, tuple(targets.values()), tuple(sorted(unread)))


def _writable(ws: Worksheet, coord: str):
    """The cell that holds ``coord``: a cell inside a merged range is that range's top-left cell (only it
    takes a colour and a comment; openpyxl refuses them on the others)."""
    cell = ws[coord]
    if isinstance(cell, MergedCell):
        for merged in ws.merged_cells.ranges:
            if coord in merged:
                return ws.cell(merged.min_row, merged.min_col)
    return cell


def _annotate_copy(src: Path, tmp: Path, marks: Iterable[tuple[Issue, CellRef]]) -> None:
    # Opened from memory: the input is read once and never opened for writing, and a full disk can
    # only fail on our own write below.
    # Merged ranges past the data are cut first (one to XFD1048576 would be billions of cells).
    from ..reading.source import clip_merges

    wb = openpyxl.load_workbook(io.BytesIO(clip_merges(src.read_bytes())), keep_vba=src.suffix.lower() == ".xlsm")
    notes: dict[tuple[str, str], list[Issue]] = {}
    for issue, ref in marks:
        if ref.sheet in wb.sheetnames:
            cell = _writable(wb[ref.sheet], ref.cell)
            found = notes.setdefault((ref.sheet, cell.coordinate), [])
            if issue not in found:  # one finding about two cells of one merged range is noted once
                found.append(issue)
    for (sheet, coord), issues in notes.items():
        cell = wb[sheet][coord]
        worst = min(issues, key=lambda i: list(Severity).index(i.severity))
        cell.fill = FILLS[worst.severity]
        text = cell_text("\n".join(f"[{i.code}] {i.message}" for i in issues))
        cell.comment = Comment(text[:30000], "kinerja_xl", width=360, height=160)
    tmp.write_bytes(serialise(wb))
