"""``kinerja-xl validate``: check each workbook on its own."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .lazy import api
from . import app, guarded
from .output import Format, show_report
from .progress import WORKERS_HELP, progress_bar

HIRARKI_HELP = "Berkas hierarki TOML (bawaan: KPU Kabupaten/Kota)."


@app.command("validate")
@guarded
def validate(
    paths: Annotated[list[Path], typer.Argument(metavar="PATH", help="Berkas .xlsx atau folder berisi berkas .xlsx.")],
    format: Annotated[Format, typer.Option("--format", "-f", help="table (bawaan) atau json.")] = Format.table,
    hirarki: Annotated[Optional[Path], typer.Option("--hirarki", help=HIRARKI_HELP)] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help=WORKERS_HELP)] = None,
) -> None:
    """Periksa setiap buku kerja: isian wajib, angka, tanggal, NIP, kode ganda.

    Kode keluar: 0 tanpa galat, 1 ada galat data, 2 berkas tidak terbaca atau argumen salah.

    Contoh: kinerja-xl validate workbooks/ --format json
    """
    with progress_bar("Memvalidasi berkas", enabled=format is not Format.json) as progress:
        report = api.validate(paths, hierarchy=hirarki, workers=workers, progress=progress)
    show_report(report, format, title="Validasi")
    raise typer.Exit(api.exit_code(report))
