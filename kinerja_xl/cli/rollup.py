"""``kinerja-xl rollup``: one consolidated workbook for a province or the national office."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .lazy import api
from . import app, guarded
from .output import console, safe
from .progress import WORKERS_HELP, progress_bar
from .build import SKALA_HELP
from .validate import HIRARKI_HELP


@app.command("rollup")
@guarded
def rollup(
    folders: Annotated[list[Path], typer.Argument(
        metavar="FOLDER", help="Folder satker, atau folder berisi folder-folder satker.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Berkas rekap keluaran (.xlsx).")],
    hirarki: Annotated[Optional[Path], typer.Option("--hirarki", help=HIRARKI_HELP)] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help=WORKERS_HELP)] = None,
    tahun: Annotated[Optional[int], typer.Option("--tahun", help="Rekap hanya satker tahun ini (satu rekap satu "
                                                 "tahun; satker tahun lain disebutkan).")] = None,
    skala: Annotated[Optional[Path], typer.Option("--skala", metavar="FILE", help=SKALA_HELP)] = None,
) -> None:
    """Rekap banyak satker dalam satu buku kerja: capaian setiap indikator (target, realisasi, capaian,
    kategori), pagu dan realisasi anggaran, jumlah galat dan peringatan per satker, serta peringkat satker
    menurut rata-rata capaian dan menurut temuan.

    Setiap satker tetap diperiksa (validasi dan cascading); temuannya dihitung, tidak menghentikan rekap.

    Kode keluar: 0 rekap ditulis, 2 folder tidak ditemukan atau argumen salah.

    Contoh: kinerja-xl rollup kpu_banten/ -o rekap_banten.xlsx --skala skala.toml
    """
    with progress_bar("Merekap satker") as progress:
        result = api.rollup(folders, output, hierarchy=hirarki, workers=workers, progress=progress, tahun=tahun,
                            rules=skala)
    out = console()
    for issue in result.report.issues:
        if issue.code in ("rollup-years-mixed", "rollup-year-excluded"):
            out.print(f"[yellow]Peringatan:[/] {safe(issue.message)}")
    counts = result.report.counts()
    out.print(f"Rekap {len(result.satker)} satker ditulis: {safe(result.path)}")
    out.print(f"Temuan: {counts.get('error', 0)} galat, {counts.get('warning', 0)} peringatan "
              f"(rincian per satker di lembar Ringkasan; periksa dengan kinerja-xl check).")
