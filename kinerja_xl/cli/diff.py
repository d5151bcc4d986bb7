"""``kinerja-xl diff OLD NEW``: what changed between two versions of a PK, RKT or Renstra workbook."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.table import Table

from ..errors import UsageError
from . import app, guarded
from .output import Format, console, safe
from .validate import HIRARKI_HELP


@app.command("diff")
@guarded
def diff(
    old: Annotated[Path, typer.Argument(metavar="LAMA", help="Buku kerja versi lama (.xlsx).")],
    new: Annotated[Path, typer.Argument(metavar="BARU", help="Buku kerja versi baru (.xlsx).")],
    format: Annotated[Format, typer.Option("--format", "-f", help="table (bawaan) atau json.")] = Format.table,
    hirarki: Annotated[Optional[Path], typer.Option("--hirarki", help=HIRARKI_HELP)] = None,
) -> None:
    """Bandingkan dua versi buku kerja PK, RKT atau Renstra (mis. PK Perubahan dengan PK awal), sel demi sel.

    Identitas (termasuk status Plt./Plh./Pj. dan isian PK Perubahan), indikator dengan Rencana Aksi,
    anggaran dengan rencana triwulan, lembar Monitoring, serta lembar Renstra dan Manual IKU. Nilai
    dibandingkan seperti dibaca: 90% dan 0,9 adalah target yang sama; baris dicocokkan menurut
    kodenya, bukan urutannya. Kode keluar: 0 sama, 1 ada perubahan, 2 berkas tidak terbaca.

    Contoh: kinerja-xl diff PK_07_Sekretaris.xlsx PK_07_Sekretaris_Perubahan_1.xlsx
    """
    from ..outputs import diff as compare
    from ..levels import load_hierarchy

    for path in (old, new):
        if not path.is_file():
            raise UsageError(f"Berkas tidak ditemukan: {path}")
    try:
        found, _ = compare.compare_files(old, new, hierarchy=load_hierarchy(hirarki) if hirarki else None)
    except compare.NotComparable as exc:
        raise UsageError(str(exc)) from None
    if format is Format.json:
        sys.stdout.write(json.dumps({"old": str(old), "new": str(new), "changes": [d.as_dict() for d in found]},
                                    ensure_ascii=False, indent=2) + "\n")
        raise typer.Exit(1 if found else 0)
    out = console()
    if not found:
        out.print(f"[green]Tidak ada perubahan[/] antara {safe(old.name)} dan {safe(new.name)}.")
        raise typer.Exit(0)
    table = Table(show_header=True, header_style="bold", pad_edge=False)
    for header in ("Perubahan", "Isian", "Sel (lama -> baru)", "Lama", "Baru"):
        table.add_column(header, overflow="fold", max_width=50)
    for row in compare.rows_for_table(found):
        table.add_row(*map(safe, row))
    out.print(table)
    out.print(f"{len(found)} perubahan dari {safe(old.name)} ke {safe(new.name)}.")
    raise typer.Exit(1)
