"""``kinerja-xl build``: every Word document (and PDF) of a satker's set."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from .lazy import api
from . import app, guarded
from .output import Format, console, safe, show_report
from .validate import HIRARKI_HELP

SKALA_HELP = ("Berkas TOML skala capaian: bagian \\[kategori] berisi nama = batas bawah persen (mis. "
              "\"Sangat Baik\" = 91), dan bila perlu bagian \\[predikat] berisi teks target = nilai (mis. "
              "WTP = 100). Tanpa opsi ini: berkas skala.toml di folder satker bila ada (juga untuk tombol "
              "Excel), selain itu skala bawaan.")

TRIWULAN_HELP = ("Buat Laporan Capaian Kinerja Triwulan N (1 sampai 4, atau I sampai IV) alih-alih dokumen "
                 "tahunan: Laporan_Triwulan_<N>.docx satker dan satu laporan per pejabat di folder "
                 "Triwulan_<N>, dari lembar Rencana Aksi dan Monitoring setiap PK.")

TARGET_TRIWULAN_HELP = ("Lampiran setiap PK juga memuat Rencana Aksi: target TW I-IV di samping target tahunan "
                        "dan rencana anggaran per triwulan (format \"Prediksi Capaian TW I-IV\"), bila buku "
                        "kerjanya mengisi lembar itu.")


@app.command("build")
@guarded
def build(
    folder: Annotated[Path, typer.Argument(metavar="FOLDER", help="Folder satu satker.")],
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder keluaran dokumen.")],
    pdf: Annotated[bool, typer.Option("--pdf", help="Buat juga PDF (memerlukan LibreOffice).")] = False,
    force: Annotated[bool, typer.Option("--force", help="Tetap buat dokumen walau ada galat (galat tetap "
                                        "dicantumkan).")] = False,
    template: Annotated[Optional[Path], typer.Option("--template", help="Folder template Word milik kantor "
                                                     "(kop surat, logo).")] = None,
    narasi: Annotated[Optional[Path], typer.Option("--narasi", help="Berkas teks narasi LAKIP (bila tidak di "
                                                   "lembar Narasi).")] = None,
    rupiah_spasi: Annotated[bool, typer.Option("--rupiah-spasi", help="Tulis \"Rp 3.741.209.000\" (dengan spasi) "
                                               "alih-alih \"Rp3.741.209.000\" (PUEBI).")] = False,
    format: Annotated[Format, typer.Option("--format", "-f", help="table (bawaan) atau json.")] = Format.table,
    hirarki: Annotated[Optional[Path], typer.Option("--hirarki", help=HIRARKI_HELP)] = None,
    skala: Annotated[Optional[Path], typer.Option("--skala", metavar="FILE", help=SKALA_HELP)] = None,
    triwulan: Annotated[Optional[str], typer.Option("--triwulan", metavar="N", help=TRIWULAN_HELP)] = None,
    target_triwulan: Annotated[bool, typer.Option("--target-triwulan", help=TARGET_TRIWULAN_HELP)] = False,
) -> None:
    """Periksa lalu buat dokumen Word: PK setiap pejabat, gabungan PK, RKT, Pengukuran Kinerja dan LAKIP.

    Bila ada galat, tidak ada dokumen yang ditulis (kecuali --force). Kode keluar: 0 berhasil, 1 ada galat,
    2 berkas tidak terbaca atau argumen salah.

    Contoh: kinerja-xl build workbooks/ -o hasil/ --pdf

    Laporan triwulan: kinerja-xl build workbooks/ -o hasil/ --triwulan 2
    """
    # by the path inside the output folder: the quarterly reports have a folder of their own (Triwulan_II/)
    existing = {p.relative_to(output) for p in output.rglob("*")} if output.is_dir() else set()
    result = api.build(folder, output, pdf=pdf, force=force, templates_dir=template, narasi=narasi,
                       hierarchy=hirarki, rupiah_space=rupiah_spasi, rules=skala, triwulan=triwulan,
                       target_triwulan=target_triwulan)
    show_report(result.report, format, title="Pemeriksaan sebelum membuat dokumen")
    out = console(stderr=format is Format.json)
    if result.blocked:
        out.print("[red]Dokumen tidak dibuat karena ada galat.[/] Perbaiki galat di atas, atau pakai --force.")
    replaced = [p for p in result.written if p.relative_to(output) in existing]
    for path in result.written:
        out.print(f"  {safe(path)}" + ("  [yellow](menimpa versi lama)[/]" if path in replaced else ""))
    if result.written:
        note = f"; {len(replaced)} di antaranya menimpa dokumen lama" if replaced else ""
        out.print(f"{len(result.written)} dokumen ditulis di {safe(output)}{note}")
    if result.toc_unnumbered:
        out.print("[yellow]Daftar Isi LAKIP tanpa nomor halaman[/]: LibreOffice tidak ada untuk menghitungnya. Word "
                  "mengisinya saat dokumen dibuka; untuk LibreOffice/WPS pasang LibreOffice lalu ulangi build.")
    if result.removed:
        out.print(f"[yellow]{len(result.removed)} PDF lama dihapus[/] karena tidak sesuai lagi dengan dokumen Word "
                  "yang baru ditulis; pakai --pdf untuk membuatnya lagi.")
    raise typer.Exit(api.exit_code(result.report))
