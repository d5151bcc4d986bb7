"""``kinerja-xl kode``: the list of finding codes."""

from __future__ import annotations

import sys
from typing import Annotated

import typer
from rich.table import Table

from ..findings.codes import REGISTRY, markdown_table
from . import app
from .output import console


@app.command("kode")
def kode(
    markdown: Annotated[bool, typer.Option("--markdown", help="Cetak sebagai tabel Markdown (untuk README).")] = False,
) -> None:
    """Daftar semua kode temuan beserta sifat dan artinya.

    Contoh: kinerja-xl kode
    """
    if markdown:
        sys.stdout.write(markdown_table())
        return
    table = Table("Kode", "Sifat", "Arti", "Saran")
    for code, kind in REGISTRY.items():
        table.add_row(code, kind.severity.label, kind.title, kind.hint)
    console().print(table)
