"""Presenting a report in the terminal (rich) or as JSON. No logic beyond layout."""

from __future__ import annotations

import json
import re
import sys
from enum import StrEnum

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from ..findings.issues import Report, Severity

STYLE = {Severity.ERROR: "bold red", Severity.WARNING: "yellow", Severity.INFO: "cyan"}


class Format(StrEnum):
    table = "table"
    json = "json"


# C0/C1 control characters except tab and newline: text from a cell (``_x001B_`` is ESC) must never
# move the cursor, clear the screen or start a terminal hyperlink.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: object) -> str:
    r"""User text (cell values, file names, messages quoting them) ready for a rich markup string:
    markup escaped (``[lampiran]`` stays visible, ``[link=...]`` is no link, ``[/]`` cannot crash)
    and control characters shown as U+FFFD.

    >>> print(safe("[link=file:///etc/passwd]x[/] \x1b[2J"))
    \[link=file:///etc/passwd]x\[/] �[2J
    """
    return escape(_CONTROL.sub("\ufffd", str(text)))


def console(stderr: bool = False) -> Console:
    probe = Console(stderr=stderr)
    # Piped output (CI logs, files) gets a wide page instead of 80 columns of wrapped paths.
    width = None if probe.is_terminal else 140
    return Console(stderr=stderr, highlight=False, width=width)


def show_report(report: Report, fmt: Format, *, title: str = "Hasil pemeriksaan", noun: str = "berkas",
                part: str = "Lembar") -> None:
    """The report as tables per file (``table``) or as JSON on stdout (``json``, :meth:`Report.to_dict`).

    ``noun`` names what the files are in the summary line ("5 template, 0 galat, ..."), ``part`` the column
    of a finding's place inside its file (a workbook's sheet, a Word template's part).
    """
    if fmt is Format.json:
        sys.stdout.write(json.dumps(report.to_dict(), ensure_ascii=False, indent=2) + "\n")
        return
    out = console()
    skipped = [i for i in report.issues if i.code == "file-skipped"]
    if skipped:
        names = ", ".join(safe(i.params.get("value", i.location.file)) for i in skipped)
        out.print(f"[cyan]Dilewati ({len(skipped)}):[/] {names}")
    for file, issues in report.by_file().items():
        issues = [i for i in issues if i.code != "file-skipped"]
        if file not in report.files and not issues:
            continue
        errors = sum(i.severity is Severity.ERROR for i in issues)
        warnings = sum(i.severity is Severity.WARNING for i in issues)
        mark = "[green]✓[/]" if not errors else "[red]✗[/]"
        out.print(f"{mark} [bold]{safe(file)}[/]: {errors} galat, {warnings} peringatan")
        if not issues:
            continue
        table = Table(show_header=True, header_style="bold", expand=False, show_lines=False, pad_edge=False)
        table.add_column("Sifat")
        table.add_column(part)
        table.add_column("Sel")
        table.add_column("Kode")
        table.add_column("Pesan", overflow="fold", max_width=90)
        for i in issues:
            table.add_row(f"[{STYLE[i.severity]}]{i.severity.label}[/]", safe(i.location.sheet),
                          safe(i.location.cell), i.code,
                          safe(i.message + (f" (terkait: {i.related})" if i.related else "")))
        out.print(table)
    counts = report.counts()
    verdict = "[green]Tidak ada galat.[/]" if report.valid else "[red]Ada galat yang harus diperbaiki.[/]"
    out.print(f"\n{title}: {len(report.files)} {noun}, {counts.get('error', 0)} galat, "
              f"{counts.get('warning', 0)} peringatan, {counts.get('info', 0)} info. {verdict}")


def fail(message: str) -> None:
    console(stderr=True).print(f"[bold red]Galat:[/] {safe(message)}")
