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
    level: Annotated[str, typer.Option("--level", help="Tingkat PK: ketua, kordiv, sekretaris, eselon4.")] = "",
    unit: Annotated[str, typer.Option("--unit", help="Divisi atau subbagian (untuk kordiv dan eselon4).")] = "",
    satker: Annotated[str, typer.Option("--satker", help="Nama satuan kerja.")] = "",
    tahun: Annotated[Optional[int], typer.Option("--tahun", help="Tahun anggaran.")] = None,
    jenis: Annotated[Kind, typer.Option("--jenis", help="pk (bawaan), rkt, realisasi atau renstra.")] = Kind.PK,
    hirarki: Annotated[Optional[Path], typer.Option("--hirarki", help=HIRARKI_HELP)] = None,
    timpa: Annotated[bool, typer.Option("--timpa", help="Timpa berkas yang sudah ada.")] = False,
    tingkat: Annotated[str, typer.Option("--tingkat", hidden=True, help="Nama lama --level.")] = "",
) -> None:
    """Buat satu template kosong.

    Contoh: kinerja-xl template new --level eselon4 --unit "Keuangan, Umum dan Logistik"
    --satker "KPU Kota Serang" --tahun 2022 -o pk_kasubag_keuangan.xlsx
    """
    level = level or tingkat  # --tingkat: the spelling of version 0.1, still understood
    if jenis is Kind.PK and not level:
        raise api.UsageError("Template PK memerlukan --level (ketua, kordiv, sekretaris, eselon4).")
    path = api.new_template(output, kind=jenis, level=level, unit=unit, satker=satker, tahun=tahun,
                            hierarchy=hirarki, overwrite=timpa)
    console().print(f"Template ditulis: {safe(path)}")


@app.command("set")
@guarded
def template_set(
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder tujuan.")],
    satker: Annotated[str, typer.Option("--satker", help="Nama satuan kerja (tanpa --dari: wajib).")] = "",
    tahun: Annotated[Optional[int], typer.Option("--tahun", help="Tahun anggaran (dengan --dari: bawaan tahun "
                                                 "sumber + 1).")] = None,
    dari: Annotated[Optional[Path], typer.Option("--dari", metavar="FOLDER",
                                                 help="Folder satker tahun ini: isian yang tetap dibawa ke "
                                                      "tahun berikutnya (PK yang berlaku, Renstra; target IKU "
                                                      "diusulkan dari Renstra).")] = None,
    hirarki: Annotated[Optional[Path], typer.Option("--hirarki", help=HIRARKI_HELP)] = None,
    timpa: Annotated[bool, typer.Option("--timpa", help="Timpa berkas yang sudah ada.")] = False,
) -> None:
    """Buat seluruh template satu satker: PK setiap pejabat, RKT, realisasi dan Renstra.

    Dengan --dari, buku kerja tahun berikutnya diisi dari folder tahun ini: pejabat, sasaran, indikator,
    satuan, polaritas, induk, kegiatan, dan realisasi tahun ini sebagai Realisasi Tahun Lalu. Target,
    anggaran dan tanggal dikosongkan untuk diputuskan lagi; ringkasan menyebut apa yang dibawa dan apa
    yang harus diisi, dan validate menunjuk setiap sel yang masih kosong.

    Contoh: kinerja-xl template set --satker "KPU Kota Serang" --tahun 2022 -o isian/

    Contoh: kinerja-xl template set --dari isian_2022/ --tahun 2023 -o isian_2023/
    """
    out = console()
    if dari is not None:
        if satker:
            raise api.UsageError("--satker tidak dipakai bersama --dari: satker dibaca dari buku kerja sumber.")
        year, notes, _ = api.next_year_set(dari, output, tahun=tahun, hierarchy=hirarki, overwrite=timpa)
        for note in notes:
            out.print(f"[bold]{safe(note.path.name)}[/]")
            if note.carried:
                out.print(f"  dibawa: {safe('; '.join(note.carried))}")
            if note.to_fill:
                out.print(f"  [yellow]isi[/]: {safe('; '.join(note.to_fill))}")
        out.print(f"{len(notes)} buku kerja {year} ditulis di {safe(output)}. Isi sel yang masih kosong, lalu "
                  f"jalankan: kinerja-xl validate {safe(output)}")
        return
    if not satker or tahun is None:
        raise api.UsageError("template set memerlukan --satker dan --tahun (atau --dari FOLDER).")
    paths = api.new_set(output, satker=satker, tahun=tahun, hierarchy=hirarki, overwrite=timpa)
    for p in paths:
        out.print(f"  {safe(p)}")
    out.print(f"{len(paths)} template ditulis di {safe(output)}")
