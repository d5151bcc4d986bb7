"""``kinerja-xl check`` and ``kinerja-xl tree``: the cascade across a satker's workbooks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.tree import Tree

from .lazy import api
from . import app, guarded
from .output import Format, console, safe, show_report
from .progress import WORKERS_HELP, progress_bar
from .validate import HIRARKI_HELP


@app.command("check")
@guarded
def check(
    folders: Annotated[list[Path], typer.Argument(
        metavar="FOLDER", help="Folder satu satker (atau folder berisi folder-folder satker).")],
    format: Annotated[Format, typer.Option("--format", "-f", help="table (bawaan) atau json.")] = Format.table,
    laporan: Annotated[Optional[Path], typer.Option("--laporan", help="Tulis laporan Excel (.xlsx) berisi temuan "
                                                    "dan tautan ke sel.")] = None,
    annotate: Annotated[Optional[Path], typer.Option("--annotate", help="Folder untuk salinan buku kerja yang "
                                                     "sel bermasalahnya diwarnai dan diberi komentar.")] = None,
    hirarki: Annotated[Optional[Path], typer.Option("--hirarki", help=HIRARKI_HELP)] = None,
    workers: Annotated[Optional[int], typer.Option("--workers", min=1, help=WORKERS_HELP)] = None,
) -> None:
    """Periksa setiap buku kerja lalu cascading antar tingkat: kode induk, dukungan, target, RKT,
    pihak kedua, NIP, tahun dan anggaran.

    Kode keluar: 0 tanpa galat, 1 ada galat, 2 berkas tidak terbaca atau argumen salah.

    Contoh: kinerja-xl check workbooks/ --laporan temuan.xlsx --annotate bertanda/
    """
    api.clear_check_outputs(folders, laporan=laporan, annotate_dir=annotate)
    with progress_bar("Memeriksa satker", enabled=format is not Format.json) as progress:
        report = api.check(folders, hierarchy=hirarki, workers=workers, progress=progress)
    show_report(report, format, title="Cek cascading")
    out = console(stderr=format is Format.json)
    if laporan is not None or annotate is not None:
        again = " (menimpa versi lama)" if laporan is not None and laporan.exists() else ""
        written = api.write_outputs(report, laporan=laporan, annotate_dir=annotate)
        if written.laporan is not None:
            out.print(f"Laporan Excel: {safe(str(written.laporan))}{again}")
        if annotate is not None:
            out.print(f"{len(written.copies)} salinan bertanda di {safe(str(annotate))}")
            if written.not_copied:
                names = ", ".join(safe(Path(f).name) for f in written.not_copied)
                out.print(f"Tanpa salinan bertanda ({len(written.not_copied)} berkas yang tidak terbaca; "
                          f"lihat temuannya di atas): {names}")
    raise typer.Exit(api.exit_code(report))


@app.command("tree")
@guarded
def tree(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="Folder satu satker.")],
    gambar: Annotated[Optional[Path], typer.Option("--gambar", "-o", help="Tulis pohon kinerja sebagai gambar "
                                                   ".png atau .svg.")] = None,
    hirarki: Annotated[Optional[Path], typer.Option("--hirarki", help=HIRARKI_HELP)] = None,
) -> None:
    """Tampilkan pohon kinerja (cascading indikator) dan tandai indikator tanpa pendukung atau tanpa induk.

    Contoh: kinerja-xl tree workbooks/ --gambar pohon.png
    """
    result = api.tree(folder, hierarchy=hirarki, image=gambar)
    out = console()
    marks = {"unsupported": " [red](tidak didukung)[/]", "orphan": " [red](induk tidak ada)[/]"}

    def add(branch: Tree, node) -> None:
        unit = f" {safe(node.unit)}" if node.unit else ""
        label = f"[bold]{safe(node.kode)}[/] {safe(node.nama)} [dim]({safe(node.level)}{unit}; " \
                f"target {safe(node.target)})[/]{marks.get(node.flag, '')}"
        child = branch.add(label)
        for sub in node.children:
            add(child, sub)

    root = Tree(f"[bold]Pohon kinerja {safe(folder)}[/]")
    for node in result.roots:
        add(root, node)
    if result.orphans:
        lost = root.add("[red]Indikator tanpa induk yang dikenal[/]")
        for node in result.orphans:
            add(lost, node)
    out.print(root)
    if gambar is not None:
        out.print(f"Gambar ditulis: {safe(gambar)}")
