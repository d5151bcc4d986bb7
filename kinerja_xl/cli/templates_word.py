"""``kinerja-xl templates check``: preflight the Word templates before any rendering."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .lazy import api
from . import guarded
from .output import console, safe

app = typer.Typer(options_metavar="[OPSI]", subcommand_metavar="PERINTAH [ARGUMEN]...",
                  help="Template Word (kop surat, logo) milik kantor.\n\nContoh: kinerja-xl templates check "
                       "template_kantor/", no_args_is_help=True)


@app.command("check")
@guarded
def check(
    path: Annotated[Path, typer.Argument(
        metavar="PATH", help="Satu berkas .docx atau folder template (pk.docx, pk_bundle.docx, "
                                         "rkt.docx, pengukuran.docx, lakip.docx).")],
    jenis: Annotated[Optional[str], typer.Option("--jenis", help="Jenis template bila nama berkasnya lain: pk, "
                                                 "pk_bundle, rkt, pengukuran, lakip.")] = None,
) -> None:
    """Periksa template Word sebelum dipakai: placeholder yang tidak dikenal, yang tidak tersedia datanya,
    dan akses yang dilarang.

    Kode keluar: 0 tanpa masalah, 1 ada masalah, 2 berkas tidak ada.

    Contoh: kinerja-xl templates check template_kantor/pk.docx
    """
    results = api.check_word_templates(path, kind=jenis)
    out = console()
    bad = 0
    for file, problems in results.items():
        if problems:
            bad += 1
            out.print(f"[red]✗[/] [bold]{safe(file)}[/]")
            for problem in problems:
                out.print(f"    - {safe(problem)}")
        else:
            out.print(f"[green]✓[/] {safe(file)}")
    out.print(f"{len(results)} template diperiksa, {bad} bermasalah.")
    raise typer.Exit(1 if bad else 0)
