"""``kinerja-xl word check``: preflight the Word templates before any rendering.

The Excel templates are ``kinerja-xl template``; the Word ones were ``kinerja-xl templates``, one letter
apart. ``templates`` is still accepted (hidden), with a one-line note naming ``word``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .lazy import LazyModule, api
from . import guarded
from .output import Format, console, show_report

docx = LazyModule("kinerja_xl.render.docx")

NAME, OLD_NAME = "word", "templates"

app = typer.Typer(options_metavar="[OPSI]", subcommand_metavar="PERINTAH [ARGUMEN]...",
                  help="Template Word (kop surat, logo) milik kantor.\n\nContoh: kinerja-xl word check "
                       "template_kantor/", no_args_is_help=True)


def check(
    path: Annotated[Path, typer.Argument(
        metavar="PATH", help="Satu berkas .docx atau folder template (pk.docx, pk_bundle.docx, "
                             "rkt.docx, pengukuran.docx, lakip.docx, triwulan.docx, triwulan_pejabat.docx, "
                             "manual_iku.docx, daftar_perubahan.docx).")],
    jenis: Annotated[Optional[str], typer.Option("--jenis", help="Jenis template bila nama berkasnya lain: pk, "
                                                 "pk_bundle, rkt, pengukuran, lakip, triwulan, "
                                                 "triwulan_pejabat, manual_iku, daftar_perubahan.")] = None,
    format: Annotated[Format, typer.Option("--format", "-f", help="table (bawaan) atau json.")] = Format.table,
) -> None:
    """Periksa template Word sebelum dipakai: placeholder yang tidak dikenal, yang tidak tersedia datanya,
    akses yang dilarang, tautan ke luar berkas, dan pengisian yang melewati batas.

    Setiap masalah adalah temuan berkode (word-...), seperti pada validate. Kode keluar: 0 tanpa galat,
    1 ada template bermasalah, 2 berkas tidak ada atau argumen salah.

    Contoh: kinerja-xl word check template_kantor/ --format json
    """
    report = docx.check_templates(path, kind=jenis)
    show_report(report, format, title="Pemeriksaan template Word", noun="template", part="Bagian")
    raise typer.Exit(api.exit_code(report))


app.command("check")(guarded(check))

# The old name: hidden from --help, still working, and it says what to type instead.
legacy = typer.Typer(options_metavar="[OPSI]", subcommand_metavar="PERINTAH [ARGUMEN]...", no_args_is_help=True,
                     help=f"Nama lama dari 'kinerja-xl {NAME}' (template Word); pakai 'kinerja-xl {NAME}'.\n\n"
                          f"Contoh: kinerja-xl {NAME} check template_kantor/")


@legacy.callback()
def _old_name() -> None:
    console(stderr=True).print(f"[yellow]Catatan:[/] 'kinerja-xl {OLD_NAME}' sudah diganti 'kinerja-xl {NAME}' "
                               f"(mis. kinerja-xl {NAME} check); nama lama masih diterima untuk sementara.")


legacy.command("check")(guarded(check))
