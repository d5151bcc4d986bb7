"""``kinerja-xl addin``: install the Excel add-in, or build its .xlam file."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated, Optional

import typer

from .lazy import api
from . import guarded
from .output import console, fail, safe

app = typer.Typer(options_metavar="[OPSI]", subcommand_metavar="PERINTAH [ARGUMEN]...",
                  
    help="Add-in Excel Kinerja: tab 'Kinerja' dengan tombol Validasi, Cek Cascading, Buat Dokumen dan "
         "Template Baru.\n\nContoh: kinerja-xl addin install",
    no_args_is_help=True,
)


@app.command("install")
@guarded
def install(
    python: Annotated[Optional[Path], typer.Option(
        "--python", help="Interpreter Python yang dijalankan add-in (bawaan: Python yang menjalankan perintah ini, "
                         "yang sudah memuat kinerja_xl).")] = None,
) -> None:
    """Pasang add-in ke Excel pengguna ini (Windows atau macOS) dan arahkan ke Python ini.

    Tutup Excel dulu; tab 'Kinerja' muncul saat Excel dibuka lagi. Kode keluar: 0 terpasang,
    2 platform tidak didukung atau berkas tidak dapat ditulis.

    Contoh: kinerja-xl addin install
    """
    # Imported here: the add-in modules are not needed by the other commands.
    from ..addin.install import AddinUnsupported, config_path, install as install_addin

    try:
        xlam = install_addin(python=str(python) if python else sys.executable, platform=sys.platform)
    except (AddinUnsupported, PermissionError, ValueError) as exc:
        fail(str(exc))
        raise typer.Exit(2) from None
    out = console()
    out.print(f"Add-in dipasang: {safe(xlam)}")
    out.print(f"Interpreter dicatat di: {safe(config_path(sys.platform))}")
    out.print("Buka Excel; tab 'Kinerja' ada di pita (ribbon).")


@app.command("build")
@guarded
def build(
    output: Annotated[Path, typer.Option("--output", "-o", help="Berkas .xlam yang ditulis.")],
) -> None:
    """Bangun berkas add-in (.xlam) tanpa memasangnya, misalnya untuk dibagikan ke komputer lain.

    Komputer penerima tetap perlu Python dengan kinerja_xl; pasang di sana dengan 'kinerja-xl addin install'.

    Contoh: kinerja-xl addin build -o kinerja_xl.xlam
    """
    if output.suffix.lower() != ".xlam":
        raise api.UsageError(f"Nama berkas add-in harus berakhiran .xlam: {output}")
    from ..addin.build import build_xlam, xlwings_version

    path = build_xlam(output)
    console().print(f"Add-in ditulis: {safe(path)} (dasar: xlwings {xlwings_version()})")
