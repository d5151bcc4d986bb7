"""``kinerja-xl template``: write blank standardized workbooks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .lazy import api
from ..model import Kind
from . import guarded
from .output import console, safe
from .validate import HIRARKI_HELP

app = typer.Typer(options_metavar="[OPSI]", subcommand_metavar="PERINTAH [ARGUMEN]...",
                  help="Membuat template Excel baku.\n\nContoh: kinerja-xl template set --satker \"KPU Kota Serang\" "
                       "--tahun 2022 -o isian/", no_args_is_help=True)


@app.command("new")
@guarded
def new(
    output: Annotated[Path, typer.Option("--output", "-o", help="Berkas .xlsx yang dibuat.")],
    level: Annotated[str, typer.Option("--level", "--tingkat", help="Tingkat PK: ketua, kordiv, sekretaris, eselon4.")] = "",
    unit: Annotated[str, typer.Option("--unit", help="Divisi atau subbagian (untuk kordiv dan eselon4).")] = "",
    satker: Annotated[str, typer.Option("--satker", help="Nama satuan kerja.")] = "",
    tahun: Annotated[Optional[int], typer.Option("--tahun", help="Tahun anggaran.")] = None,
    jenis: Annotated[Kind, typer.Option("--jenis", help="pk (bawaan), rkt atau realisasi.")] = Kind.PK,
    hirarki: Annotated[Optional[Path], typer.Option("--hirarki", help=HIRARKI_HELP)] = None,
    timpa: Annotated[bool, typer.Option("--timpa", help="Timpa berkas yang sudah ada.")] = False,
) -> None:
    """Buat satu template kosong.

    Contoh: kinerja-xl template new --level eselon4 --unit "Keuangan, Umum dan Logistik"
    --satker "KPU Kota Serang" --tahun 2022 -o pk_kasubag_keuangan.xlsx
    """
    if jenis is Kind.PK and not level:
        raise api.UsageError("Template PK memerlukan --level (ketua, kordiv, sekretaris, eselon4).")
    path = api.new_template(output, kind=jenis, level=level, unit=unit, satker=satker, tahun=tahun,
                            hierarchy=hirarki, overwrite=timpa)
    console().print(f"Template ditulis: {safe(path)}")


@app.command("set")
@guarded
def template_set(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder tujuan.")],
    satker: Annotated[str, typer.Option("--satker", help="Nama satuan kerja.")],
    tahun: Annotated[int, typer.Option("--tahun", help="Tahun anggaran.")],
    hirarki: Annotated[Optional[Path], typer.Option("--hirarki", help=HIRARKI_HELP)] = None,
    timpa: Annotated[bool, typer.Option("--timpa", help="Timpa berkas yang sudah ada.")] = False,
) -> None:
    """Buat seluruh template satu satker: PK setiap pejabat, RKT dan realisasi.

    Contoh: kinerja-xl template set --satker "KPU Kota Serang" --tahun 2022 -o isian/
    """
    paths = api.new_set(output, satker=satker, tahun=tahun, hierarchy=hirarki, overwrite=timpa)
    out = console()
    for p in paths:
        out.print(f"  {safe(p)}")
    out.print(f"{len(paths)} template ditulis di {safe(output)}")
