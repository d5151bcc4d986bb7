"""Generate the corpus of bad inputs, each with the finding code and exit code it must give.

Run:  python tests/corpus/make_corpus.py OUTDIR   (the tests call :func:`make` into a temp folder)
Every file starts from the bundled example or from a real template, then breaks one thing the way it
happens on real desks: a renamed CSV, a password, a truncated download, a merged cell, ...
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import openpyxl

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "workbooks"
SEKRETARIS = "PK_07_Sekretaris.xlsx"


@dataclass(frozen=True)
class Case:
    name: str  # file name in the corpus
    code: str | None  # the code validate must report (None: nothing but clean reading)
    exit: int  # the exit code of `kinerja-xl validate FILE`


def _copy(out: Path, name: str, source: str = SEKRETARIS) -> Path:
    target = out / name
    shutil.copyfile(EXAMPLE / source, target)
    return target


def _edit(out: Path, name: str, change: Callable[[openpyxl.Workbook], None], source: str = SEKRETARIS) -> Path:
    path = _copy(out, name, source)
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)
    return path


def _rezip(src: Path, dest: Path, change: Callable[[str, bytes], bytes | None], extra: dict[str, bytes] | None = None) -> None:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dest, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = change(info.filename, zin.read(info))
            if data is not None:
                zout.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            zout.writestr(name, data)


def make(out: Path) -> list[Case]:
    """Write every bad input into ``out``; return the expectations."""
    out.mkdir(parents=True, exist_ok=True)
    cases: list[Case] = []
    example = (EXAMPLE / SEKRETARIS).read_bytes()

    def add(name: str, code: str | None, exit_code: int) -> None:
        cases.append(Case(name, code, exit_code))

    # --- not a workbook at all --------------------------------------------------------------------
    (out / "csv_diganti_nama.xlsx").write_text("no;nama;target\n1;Ade;90%\n", encoding="utf-8")
    add("csv_diganti_nama.xlsx", "file-not-xlsx", 2)
    (out / "pdf_diganti_nama.xlsx").write_bytes(b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n")
    add("pdf_diganti_nama.xlsx", "file-not-xlsx", 2)
    (out / "kosong.xlsx").write_bytes(b"")
    add("kosong.xlsx", "file-empty", 2)
    (out / "terpotong.xlsx").write_bytes(example[: len(example) // 2])
    add("terpotong.xlsx", "file-corrupt", 2)
    (out / "sampah_biner.xlsx").write_bytes(bytes(range(256)) * 40)
    add("sampah_biner.xlsx", "file-not-xlsx", 2)
    with zipfile.ZipFile(out / "zip_tanpa_workbook.xlsx", "w") as z:
        z.writestr("catatan.txt", "bukan excel")
    add("zip_tanpa_workbook.xlsx", "file-corrupt", 2)
    _rezip(EXAMPLE / SEKRETARIS, out / "xml_rusak.xlsx",
           lambda n, d: d[: len(d) // 2] if n == "xl/workbook.xml" else d)
    add("xml_rusak.xlsx", "file-corrupt", 2)
    _legacy_xls(out / "excel_lama.xls")
    add("excel_lama.xls", "file-xls-legacy", 2)
    _encrypted(out / "berkata_sandi.xlsx", example)
    add("berkata_sandi.xlsx", "file-encrypted", 2)
    _rezip(EXAMPLE / SEKRETARIS, out / "bom_zip.xlsx", lambda n, d: d,
           extra={"xl/media/isi.bin": b"\0" * (8 * 1024 * 1024)})
    add("bom_zip.xlsx", "file-zip-bomb", 2)
    doctype = b'<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
    _rezip(EXAMPLE / SEKRETARIS, out / "xml_dtd.xlsx",
           lambda n, d: re.sub(rb"^(<\?xml[^>]*\?>)?", lambda m: (m.group(0) or b"") + doctype, d, count=1)
           if n == "xl/workbook.xml" else d)
    add("xml_dtd.xlsx", "file-xml-unsafe", 2)
    plain = openpyxl.Workbook()
    plain.active.append(["No", "Nama", "Nilai"])
    plain.active.append([1, "Ade", 90])
    plain.save(out / "dari_aplikasi_lain.xlsx")
    add("dari_aplikasi_lain.xlsx", "template-unknown", 2)

    # --- a template, but not as expected -------------------------------------------------------------
    _edit(out, "versi_lebih_baru.xlsx", lambda wb: wb["_kinerja_xl"].__setitem__("B2", 99))
    add("versi_lebih_baru.xlsx", "template-version-newer", 2)
    _edit(out, "versi_lama.xlsx", lambda wb: wb["_kinerja_xl"].__setitem__("B2", 0))
    add("versi_lama.xlsx", "template-version-older", 0)
    _edit(out, "tanpa_penanda.xlsx", lambda wb: wb.remove(wb["_kinerja_xl"]))
    add("tanpa_penanda.xlsx", "template-marker-missing", 0)
    _edit(out, "lembar_hilang.xlsx", lambda wb: wb.remove(wb["Anggaran"]))
    add("lembar_hilang.xlsx", "sheet-missing", 1)
    _edit(out, "lembar_ganti_nama.xlsx", lambda wb: setattr(wb["Indikator"], "title", "IKU 2022"))
    add("lembar_ganti_nama.xlsx", "sheet-renamed", 0)
    _edit(out, "judul_kolom_diganti.xlsx", lambda wb: wb["Indikator"].__setitem__("F3", "Sasaran Angka"))
    add("judul_kolom_diganti.xlsx", "column-missing", 1)
    _edit(out, "judul_kolom_bergeser.xlsx", lambda wb: wb["Indikator"].insert_rows(1, 2))
    add("judul_kolom_bergeser.xlsx", "header-moved", 0)
    _edit(out, "label_identitas_hilang.xlsx", lambda wb: wb["Identitas"].__setitem__("A19", "Kota"))
    add("label_identitas_hilang.xlsx", "field-missing", 1)
    _edit(out, "sel_gabungan.xlsx", lambda wb: wb["Indikator"].merge_cells("A8:A9"))
    add("sel_gabungan.xlsx", "merged-cells", 0)
    _edit(out, "baris_tersembunyi.xlsx", lambda wb: setattr(wb["Indikator"].row_dimensions[6], "hidden", True))
    add("baris_tersembunyi.xlsx", "row-hidden", 0)
    _edit(out, "teks_sangat_panjang.xlsx", lambda wb: wb["Indikator"].__setitem__("D4", "Persentase " * 300))
    add("teks_sangat_panjang.xlsx", "text-too-long", 0)

    # --- values people type ---------------------------------------------------------------------------
    _edit(out, "nama_emoji_unicode.xlsx",
          lambda wb: wb["Identitas"].__setitem__("B9", "HENDRO SULISTYO \U0001F600 Jose\u0301"))
    add("nama_emoji_unicode.xlsx", None, 0)
    # One cell typed as a user might, one finding each.
    for name, sheet, cell, value, code in (
        ("tanggal_1899.xlsx", "Identitas", "B20", "27 Januari 1899", "date-outside-year"),
        ("tanggal_teks_bebas.xlsx", "Identitas", "B20", "akhir Januari", "date-invalid"),
        ("nip_sebagai_angka.xlsx", "Identitas", "B11", 197012102000031001, "nip-as-number"),
        ("nip_17_digit.xlsx", "Identitas", "B11", "19701210200003100", "nip-length"),
        ("target_teks.xlsx", "Indikator", "F4", "sembilan puluh", "target-not-number"),
        ("target_rentang_terbalik.xlsx", "Indikator", "F4", "90-80%", "target-range-reversed"),
        ("anggaran_negatif.xlsx", "Anggaran", "C4", "-5.000.000", "amount-negative"),
        ("galat_rumus.xlsx", "Indikator", "F4", "#DIV/0!", "formula-error"),
        ("rumus_belum_dihitung.xlsx", "Indikator", "F4", "=0.45*2", "formula-not-calculated"),
    ):
        _edit(out, name, lambda wb, s=sheet, c=cell, v=value: wb[s].__setitem__(c, v))
        add(name, code, 1)
    _rezip(EXAMPLE / SEKRETARIS, out / "bermakro.xlsm", lambda n, d: d,
           extra={"xl/vbaProject.bin": _ole_bytes()})
    add("bermakro.xlsm", None, 0)
    _ten_thousand_rows(out / "rkt_10000_baris.xlsx")
    add("rkt_10000_baris.xlsx", None, 0)
    return cases


def _ole_bytes() -> bytes:
    """A real OLE2 compound file (the VBA project of xlwings' add-in) to stand where OLE goes."""
    import importlib.util

    package = Path(importlib.util.find_spec("xlwings").origin).parent  # xlwings is a dependency
    with zipfile.ZipFile(package / "quickstart_addin_ribbon.xlam") as z:
        return z.read("xl/vbaProject.bin")


def _legacy_xls(path: Path) -> None:
    """A real Excel 97-2003 file from LibreOffice when present; else an OLE2 container like one."""
    soffice = shutil.which("soffice")
    if soffice:
        tmp = path.parent / ".xls_work"
        tmp.mkdir(exist_ok=True)
        subprocess.run([soffice, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp}/p",
                        "--convert-to", "xls", "--outdir", str(tmp), str(EXAMPLE / SEKRETARIS)],
                       capture_output=True, timeout=180)
        made = tmp / (Path(SEKRETARIS).stem + ".xls")
        if made.exists():
            shutil.move(made, path)
            shutil.rmtree(tmp, ignore_errors=True)
            return
        shutil.rmtree(tmp, ignore_errors=True)
    path.write_bytes(_ole_bytes())


def _encrypted(path: Path, data: bytes) -> None:
    """The workbook encrypted with a password to open, as Excel's File > Protect Workbook does."""
    from msoffcrypto.format.ooxml import OOXMLFile

    with open(path, "wb") as handle:
        OOXMLFile(io.BytesIO(data)).encrypt("rahasia", handle)


def _ten_thousand_rows(path: Path) -> None:
    from kinerja_xl import spec
    from kinerja_xl.model import Kind
    from kinerja_xl.outputs.templates import fill_form, fill_table, new_workbook, save

    wb = new_workbook(Kind.RKT, satker="KPU Kota Serang", tahun=2022)
    fill_form(wb, Kind.RKT, {"tempat": "Serang", "tanggal": dt.date(2022, 1, 3)})
    rows = [{"kode_sasaran": f"SS-{n // 10}", "sasaran": f"Sasaran {n // 10}", "kode": f"IK-{n}",
             "indikator": f"Persentase capaian kegiatan nomor {n}", "satuan": "%", "target": 0.9,
             "polaritas": "positif", "kode_kegiatan": f"KEG-{n}", "kegiatan": f"Kegiatan {n}", "anggaran": 1_000_000}
            for n in range(10_000)]
    fill_table(wb, spec.RKT_TABLE, rows, number_formats={"target": "0%"})
    save(wb, path)


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else Path("corpus_out")
    for case in make(target):
        print(f"{case.name:35} {case.code or '-':28} exit {case.exit}")
