"""The Laporan Capaian Kinerja Triwulan (issue item 3): the example built for TW II and TW IV, read back.

Every figure is compared with the workbook cell it comes from (found through the model's cell references,
read with openpyxl), and capaian with the test's own arithmetic, not the package's.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import subprocess
import sys
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from typer.testing import CliRunner

from conftest import EXAMPLE, ROOT, edit, soffice
from kinerja_xl import api
from kinerja_xl.checks.plan import in_force_at
from kinerja_xl.levels import load_hierarchy
from kinerja_xl.render.build import pk_filenames
from kinerja_xl.render.context import ordered_pks
from kinerja_xl.render.triwulan import last_reported, parse_triwulan

V02 = ROOT / "tests" / "fixtures" / "set_v0_2"
KORDIV_HUKUM = "Koordinator Divisi Hukum dan Pengawasan"


# --- reading workbooks and documents ---------------------------------------------------------------------------

def cell(ref):
    """The value of the workbook cell a model object points at; a %-cell in percent points (0.88 -> 88)."""
    sheet = openpyxl.load_workbook(ref.file, data_only=True)[ref.sheet]
    value = sheet[ref.cell].value
    if isinstance(value, (int, float)) and "%" in sheet[ref.cell].number_format:
        return round(value * 100, 10)
    return value


def persen(text: str) -> float:
    """ "103,53%" -> 103.53."""
    return float(text.strip().rstrip("%").replace(".", "").replace(",", "."))


def rupiah(text: str) -> int:
    """ "1.111.382.054" -> 1111382054."""
    return int(text.strip().replace(".", ""))


def table(document: docx.Document, first: str, column: str) -> list[dict[str, str]]:
    """The data rows of the table whose header starts with ``first`` and has ``column``, keyed by header."""
    for t in document.tables:
        head = [c.text.strip() for c in t.rows[0].cells]
        if head and head[0] == first and column in head:
            rows = [[c.text.strip() for c in r.cells] for r in t.rows[1:]]
            return [dict(zip(head, r)) for r in rows if not r[0].startswith("(")]
    raise AssertionError(f"no table with {column!r} in the document")


def by_kode(rows: list[dict[str, str]]) -> dict[str, dict[str, str]]:
    return {r["KODE"]: r for r in rows}


def paragraphs(path: Path) -> list[str]:
    body = docx.Document(str(path)).element.body
    return [t for t in ("".join(x.text or "" for x in p.iter(qn("w:t"))).strip() for p in body.iter(qn("w:p"))) if t]


def section(path: Path, title: str) -> list[str]:
    """The paragraphs after the heading starting with ``title``, up to the signature (the date line)."""
    texts = paragraphs(path)
    start = next(i for i, t in enumerate(texts) if t.startswith(title)) + 1
    out = []
    for t in texts[start:]:
        if t.startswith("Serang, "):
            break
        out.append(t)
    return out


# --- the builds -------------------------------------------------------------------------------------------------

def _copy(source: Path, target: Path) -> Path:
    target.mkdir(parents=True)
    for f in source.glob("*.xlsx"):
        shutil.copy2(f, target / f.name)
    return target


@pytest.fixture(scope="module")
def example_set(tmp_path_factory):
    folder = _copy(EXAMPLE, tmp_path_factory.mktemp("triwulan") / "contoh")
    kset, report = api.load_set(folder)
    assert report.valid
    return folder, kset, load_hierarchy()


@pytest.fixture(scope="module")
def tw2(example_set, tmp_path_factory):
    folder, kset, h = example_set
    out = tmp_path_factory.mktemp("tw2") / "hasil"
    result = api.build(folder, out, triwulan=2)
    assert result.report.valid and result.written
    return out, result


@pytest.fixture(scope="module")
def tw4(example_set, tmp_path_factory):
    folder, kset, h = example_set
    out = tmp_path_factory.mktemp("tw4") / "hasil"
    result = api.build(folder, out, triwulan="IV")  # the roman numeral, as on the command line
    assert result.written
    return out, result


def official_file(out: Path, kset, h, jabatan_part: str, tw: str = "II") -> Path:
    names = pk_filenames(kset, h)
    pk = next(pk for pk in ordered_pks(kset, h) if jabatan_part in pk.pihak_pertama.jabatan)
    return out / f"Triwulan_{tw}" / f"Capaian_TW{tw}_{names[ordered_pks(kset, h).index(pk)]}"


# --- files --------------------------------------------------------------------------------------------------------

def test_tw2_writes_the_satker_report_and_one_per_official(example_set, tw2):
    _, kset, h = example_set
    out, result = tw2
    # the PKs in force on 30 June: PK_10 is still the first one (its revision begins on 1 July)
    expected = sorted(f"Capaian_TWII_{name}" for name in pk_filenames(in_force_at(kset, dt.date(2022, 6, 30)), h))
    assert len(expected) == 11
    assert "Capaian_TWII_PK_10_Kepala_Subbagian_Perencanaan_Data_dan_Informasi.docx" in expected
    assert sorted(p.name for p in (out / "Triwulan_II").iterdir()) == expected
    assert sorted(p.name for p in out.iterdir()) == ["Laporan_Triwulan_II.docx", "Triwulan_II"]  # no yearly ones
    assert sorted(p.relative_to(out).as_posix() for p in result.written) == sorted(
        ["Laporan_Triwulan_II.docx", *(f"Triwulan_II/{n}" for n in expected)])
    # one report per PK in force: the revised Kasubag Perencanaan PK, not the version it replaced
    assert len(kset.superseded) == 1 and kset.superseded[0] not in kset.pks


# --- figures of the indicators --------------------------------------------------------------------------------------

def test_satker_ketua_indicator_figures_are_the_workbook_cells(example_set, tw2):
    _, kset, h = example_set
    out, _ = tw2
    rows = by_kode(table(docx.Document(out / "Laporan_Triwulan_II.docx"), "NO", "REALISASI TW II"))
    ketua = ordered_pks(kset, h)[0]
    assert list(rows) == [i.kode for i in ketua.indikator]
    ind = next(i for i in ketua.indikator if i.kode == "IK-K.3")
    ri = next(r for r in kset.realisasi.indikator if r.kode == "IK-K.3")
    target_tw2, real_tw2 = cell(ind.refs["target_tw2"]), cell(ri.refs["tw2"])  # Rencana Aksi; Realisasi workbook
    assert (target_tw2, real_tw2) == (85, 88)
    row = rows["IK-K.3"]
    assert persen(row["TARGET TW II"]) == target_tw2 and persen(row["REALISASI TW II"]) == real_tw2
    # triwulan terakhir: to the end of TW II is the TW II figure itself
    assert persen(row["TARGET S.D. TW II"]) == 85 and persen(row["REALISASI S.D. TW II"]) == 88
    assert persen(row["CAPAIAN S.D. TW II (%)"]) == round(88 * 100 / 85, 2) == 103.53
    assert row["KATEGORI"] == "Sangat Baik"  # >= 91 on the default scale
    six = rows["IK-K.6"]
    assert persen(six["CAPAIAN S.D. TW II (%)"]) == round(75 * 100 / 85, 2) and six["KATEGORI"] == "Baik"
    kendala = by_kode(table(docx.Document(out / "Laporan_Triwulan_II.docx"), "NO", "KENDALA"))
    monitoring = ketua.monitoring_of("IK-K.6")
    assert kendala["IK-K.6"]["KENDALA"] == cell(monitoring.refs["kendala_tw2"])
    assert kendala["IK-K.6"]["TINDAK LANJUT"] == cell(monitoring.refs["tindak_lanjut_tw2"])
    assert kendala["IK-K.3"]["KENDALA"] == "-"


def test_official_report_takes_the_monitoring_sheet(example_set, tw2):
    _, kset, h = example_set
    out, _ = tw2
    path = official_file(out, kset, h, "Sekretaris")
    pk = next(pk for pk in kset.pks if pk.pihak_pertama.jabatan.startswith("Sekretaris"))
    rows = by_kode(table(docx.Document(path), "NO", "REALISASI TW II"))
    assert list(rows) == [i.kode for i in pk.indikator]
    for ind in pk.indikator:
        m = pk.monitoring_of(ind.kode)
        real, target = cell(m.refs["tw2"]), cell(ind.refs["target_tw2"])
        assert persen(rows[ind.kode]["REALISASI TW II"]) == real
        assert persen(rows[ind.kode]["TARGET TW II"]) == target
        assert persen(rows[ind.kode]["CAPAIAN S.D. TW II (%)"]) == round(real * 100 / target, 2)
    # IK-S.3 grows over the year (20, 45, 70, 90): s.d. TW II is the TW II figure, 45 -> 45
    assert rows["IK-S.3"]["TARGET S.D. TW II"] == "45%" and rows["IK-S.3"]["REALISASI S.D. TW II"] == "45%"
    texts = paragraphs(path)
    assert "LAPORAN CAPAIAN KINERJA TRIWULAN II TAHUN 2022" in texts
    assert pk.pihak_pertama.nama in texts and "Serang, 30 Juni 2022" in texts


PK_10 = "PK_10_Kepala_Subbagian_Perencanaan_Data_dan_Informasi"


def test_each_quarter_is_reported_by_the_pk_in_force_at_its_end(example_set, tw2, tw4):
    """PK_10 was revised from 1 July 2022 (a definitive Kasubag after the Plt.): TW II is the first PK's,
    signed by the Plt. then in office with the first PK's Monitoring; TW IV is the revision's."""
    folder, _, _ = example_set
    first = openpyxl.load_workbook(folder / "PK_10_Eselon_IV_Perencanaan_Data_dan_Informasi.xlsx", data_only=True)
    revised = openpyxl.load_workbook(folder / "PK_10_Eselon_IV_Perencanaan_Data_dan_Informasi_Perubahan_1.xlsx",
                                     data_only=True)
    two = paragraphs(tw2[0] / "Triwulan_II" / f"Capaian_TWII_{PK_10}.docx")
    assert first["Identitas"]["B9"].value in two and revised["Identitas"]["B9"].value not in two
    assert "Plt. " + first["Identitas"]["B10"].value in two
    assert not (tw2[0] / "Triwulan_II" / f"Capaian_TWII_{PK_10}_Perubahan_1.docx").exists()
    four = paragraphs(tw4[0] / "Triwulan_IV" / f"Capaian_TWIV_{PK_10}_Perubahan_1.docx")
    assert revised["Identitas"]["B9"].value in four and first["Identitas"]["B9"].value not in four
    assert not (tw4[0] / "Triwulan_IV" / f"Capaian_TWIV_{PK_10}.docx").exists()


def test_acting_official_signs_with_the_status_before_the_jabatan(example_set, tw2):
    _, kset, h = example_set
    out, _ = tw2
    pk = next(pk for pk in kset.pks if pk.pihak_pertama.status is not None)
    path = official_file(out, kset, h, pk.pihak_pertama.jabatan)
    texts = paragraphs(path)
    assert pk.pihak_pertama.jabatan_lengkap.startswith("Plt. ")
    assert texts.count(pk.pihak_pertama.jabatan_lengkap) == 2  # the identity and the signature
    assert texts[texts.index("Serang, 30 Juni 2022") + 1] == pk.pihak_pertama.jabatan_lengkap


# --- budget ------------------------------------------------------------------------------------------------------------

def test_budget_to_the_end_of_tw2_is_the_sum_of_the_monitoring_cells(example_set, tw2):
    _, kset, h = example_set
    out, _ = tw2
    ketua = ordered_pks(kset, h)[0]
    rows = table(docx.Document(out / "Laporan_Triwulan_II.docx"), "NO", "REALISASI S.D. TW II (Rp)")
    lines = [r for r in rows if r["NO"] != "JUMLAH"]
    assert [r["PROGRAM/KEGIATAN"] for r in lines] == [a.uraian for a in ketua.anggaran]
    spent = {m.kode: m for m in ketua.monitoring_anggaran}
    total = 0
    for row, a in zip(lines, ketua.anggaran):
        real = cell(spent[a.kode].refs["realisasi_tw1"]) + cell(spent[a.kode].refs["realisasi_tw2"])
        plan = cell(a.refs["rencana_tw1"]) + cell(a.refs["rencana_tw2"])
        assert rupiah(row["REALISASI S.D. TW II (Rp)"]) == real
        assert rupiah(row["RENCANA S.D. TW II (Rp)"]) == plan
        assert rupiah(row["ANGGARAN (Rp)"]) == cell(a.refs["jumlah"])
        assert persen(row["SERAPAN (%)"]) == round(real * 100 / cell(a.refs["jumlah"]), 2)
        total += real
    jumlah = next(r for r in rows if r["NO"] == "JUMLAH")
    assert rupiah(jumlah["REALISASI S.D. TW II (Rp)"]) == total
    assert rupiah(next(r for r in lines if "Belanja Gaji" in r["PROGRAM/KEGIATAN"])[
        "REALISASI S.D. TW II (Rp)"]) == 416768270 + 694613784


def test_official_budget_is_the_officials_own_lines(example_set, tw2):
    _, kset, h = example_set
    out, _ = tw2
    pk = next(pk for pk in kset.pks if "Keuangan, Umum dan Logistik" in pk.pihak_pertama.jabatan)
    rows = [r for r in table(docx.Document(official_file(out, kset, h, "Keuangan, Umum dan Logistik")), "NO",
                             "REALISASI S.D. TW II (Rp)") if r["NO"] != "JUMLAH"]
    assert [r["PROGRAM/KEGIATAN"] for r in rows] == [a.uraian for a in pk.anggaran]
    for row, m in zip(rows, pk.monitoring_anggaran):
        assert rupiah(row["REALISASI S.D. TW II (Rp)"]) == cell(m.refs["realisasi_tw1"]) + cell(m.refs["realisasi_tw2"])
    # a Koordinator Divisi's PK holds no budget: said, not an empty table
    kordiv = official_file(out, kset, h, KORDIV_HUKUM)
    assert "Perjanjian Kinerja ini tidak memuat anggaran." in paragraphs(kordiv)


# --- who has reported ----------------------------------------------------------------------------------------------------

def test_tw2_every_official_has_reported(example_set, tw2):
    _, kset, h = example_set
    kset = in_force_at(kset, dt.date(2022, 6, 30))  # the Plt. Kasubag Perencanaan, before her PK's revision
    out, _ = tw2
    path = out / "Laporan_Triwulan_II.docx"
    rekap = table(docx.Document(path), "NO", "MELAPORKAN TW II")
    assert [r["JABATAN"] for r in rekap] == [pk.pihak_pertama.jabatan_lengkap for pk in ordered_pks(kset, h)]
    assert {r["MELAPORKAN TW II"] for r in rekap} == {"Sudah"}
    assert [int(r["JUMLAH INDIKATOR"]) for r in rekap] == [len(pk.indikator) for pk in ordered_pks(kset, h)]
    assert section(path, "D. PEJABAT YANG BELUM MELAPORKAN TW II") == ["Semua pejabat telah melaporkan."]
    assert "Serang, 30 Juni 2022" in paragraphs(path)
    assert ordered_pks(kset, h)[0].pihak_pertama.nama in paragraphs(path)[-3:]  # the Ketua signs


def test_tw4_lists_the_koordinator_hukum_as_not_reported(example_set, tw4):
    _, kset, h = example_set
    out, _ = tw4
    path = out / "Laporan_Triwulan_IV.docx"
    belum = section(path, "D. PEJABAT YANG BELUM MELAPORKAN TW IV")
    assert len(belum) == 1 and KORDIV_HUKUM in belum[0] and "IK-D5.1, IK-D5.2" in belum[0]
    rekap = {r["JABATAN"]: r for r in table(docx.Document(path), "NO", "MELAPORKAN TW IV")}
    assert [j for j, r in rekap.items() if r["MELAPORKAN TW IV"] == "Belum"] == [
        f"{KORDIV_HUKUM} KPU Kota Serang"]
    assert "Serang, 31 Desember 2022" in paragraphs(path)
    own = official_file(out, kset, h, KORDIV_HUKUM, "IV")
    rows = by_kode(table(docx.Document(own), "NO", "REALISASI TW IV"))
    assert {r["REALISASI TW IV"] for r in rows.values()} == {"belum dilaporkan"}
    # no capaian "s.d. TW IV" from the TW III figures: the quarter is not reported
    assert {(r["REALISASI S.D. TW IV"], r["CAPAIAN S.D. TW IV (%)"]) for r in rows.values()} == {("-", "-")}
    assert rekap[f"{KORDIV_HUKUM} KPU Kota Serang"]["RATA-RATA CAPAIAN (%)"] == "-"
    assert any(t.startswith("Status pelaporan Triwulan IV: belum melaporkan") for t in paragraphs(own))
    assert last_reported(kset) == 4


def test_older_template_set_counts_every_official_as_not_reported(tmp_path):
    folder = _copy(V02, tmp_path / "v02")
    result = api.build(folder, tmp_path / "hasil", triwulan=2)
    assert result.written
    path = tmp_path / "hasil" / "Laporan_Triwulan_II.docx"
    belum = section(path, "D. PEJABAT YANG BELUM MELAPORKAN TW II")
    kset, _ = api.load_set(folder)
    assert len(belum) == len(kset.pks) == 11
    assert all("belum melaporkan (template lama tanpa lembar Monitoring)" in b for b in belum)
    assert len(list((tmp_path / "hasil" / "Triwulan_II").glob("*.docx"))) == 11


# --- the gate, the options, the templates -----------------------------------------------------------------------------------

def test_bad_quarter_is_a_usage_error_in_bahasa_indonesia(tmp_path):
    for bad in ("5", "0", "V", "dua"):
        proc = subprocess.run([sys.executable, "-m", "kinerja_xl", "build", str(EXAMPLE), "-o", str(tmp_path / "x"),
                               "--triwulan", bad], capture_output=True, text=True, cwd=ROOT,
                              env={**os.environ, "COLUMNS": "200"})
        assert proc.returncode == 2, proc.stdout + proc.stderr
        assert f"Triwulan tidak dikenal: {bad}" in proc.stdout + proc.stderr
    assert not (tmp_path / "x").exists()
    assert [parse_triwulan(v) for v in ("1", "ii", "III", "TW IV", 2)] == [1, 2, 3, 4, 2]


def test_errors_block_unless_forced_and_then_every_page_says_draf(tmp_path):
    folder = _copy(EXAMPLE, tmp_path / "galat")
    edit(folder / "PK_01_Ketua.xlsx", "Identitas", "B20", None)  # the Ketua's PK undated: an error
    blocked = api.build(folder, tmp_path / "tidak", triwulan=2)
    assert blocked.blocked and not (tmp_path / "tidak").exists()
    forced = api.build(folder, tmp_path / "paksa", triwulan=2, force=True)
    assert not forced.report.valid and len(forced.written) == 12
    for path in (tmp_path / "paksa" / "Laporan_Triwulan_II.docx", *(tmp_path / "paksa" / "Triwulan_II").iterdir()):
        header = "".join(p.text for p in docx.Document(str(path)).sections[0].header.paragraphs)
        assert header.startswith("DRAF"), path.name


def test_a_user_template_folder_without_the_quarterly_templates_falls_back(tmp_path, example_set):
    folder, _, _ = example_set
    own = tmp_path / "kantor"
    own.mkdir()
    shutil.copy2(ROOT / "kinerja_xl" / "render" / "templates_docx" / "pk.docx", own / "pk.docx")
    result = api.build(folder, tmp_path / "hasil", triwulan=1, templates_dir=own)
    assert (tmp_path / "hasil" / "Laporan_Triwulan_I.docx").is_file() and len(result.written) == 12
    texts = paragraphs(tmp_path / "hasil" / "Laporan_Triwulan_I.docx")
    assert "LAPORAN CAPAIAN KINERJA TRIWULAN I TAHUN 2022" in texts and "Serang, 31 Maret 2022" in texts


def test_word_check_lists_the_quarterly_templates():
    from kinerja_xl.cli import app

    result = CliRunner().invoke(app, ["word", "check", str(ROOT / "kinerja_xl" / "render" / "templates_docx")])
    assert result.exit_code == 0, result.output
    assert "triwulan.docx: 0 galat" in result.stdout and "triwulan_pejabat.docx: 0 galat" in result.stdout


def test_the_trend_chart_is_in_each_report(example_set, tw2):
    _, kset, h = example_set
    out, _ = tw2
    for path in (out / "Laporan_Triwulan_II.docx", official_file(out, kset, h, "Sekretaris")):
        document = docx.Document(str(path))
        assert len(document.inline_shapes) == 1
        assert "Gambar 1. Tren Capaian Kinerja s.d. Triwulan II Tahun 2022" in paragraphs(path)


def test_pdf_of_the_quarterly_reports(example_set, tmp_path):
    soffice()
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler) tidak terpasang")
    folder, _, _ = example_set
    result = api.build(folder, tmp_path / "hasil", triwulan=2, pdf=True)
    pdfs = [p for p in result.written if p.suffix == ".pdf"]
    assert len(pdfs) == 12 and len(list((tmp_path / "hasil" / "Triwulan_II").glob("*.pdf"))) == 11  # beside each
    text = subprocess.run(["pdftotext", "-layout", str(tmp_path / "hasil" / "Laporan_Triwulan_II.pdf"), "-"],
                          capture_output=True, text=True, check=True).stdout
    assert "LAPORAN CAPAIAN KINERJA TRIWULAN II TAHUN 2022" in text
    assert "103,53%" in text and "1.111.382.054" in text and "Semua pejabat telah melaporkan." in text


def test_add_in_button_builds_the_last_reported_quarter(example, monkeypatch):
    """The ribbon passes only the button id: the quarter is the last one reported (TW IV in the example).
    xlwings' remote engine as in tests/test_addin_entries.py."""
    from test_addin_entries import PK07, excel_lock_file, open_book

    import kinerja_xl.addin as addin
    import xlwings
    from kinerja_xl.addin.build import ribbon_button_ids

    assert "build_triwulan" in addin.ENTRY_POINTS and "build_triwulan" in ribbon_button_ids()
    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    if "remote" not in xlwings.engines.engines_by_name:
        from xlwings.pro import _xlremote

        monkeypatch.setitem(xlwings.engines.engines_by_name, "remote", xlwings.Engine(impl=_xlremote.engine))
    monkeypatch.setattr("kinerja_xl.render.pdf.find_soffice", lambda: None)  # the .docx are enough here
    excel_lock_file(example, PK07)
    book = open_book(xlwings, example / PK07, fullname=str(example / PK07))
    addin.run("build_triwulan", book)
    out = example / "dokumen"
    assert (out / "Laporan_Triwulan_IV.docx").is_file()
    assert len(list((out / "Triwulan_IV").glob("*.docx"))) == 11
    belum = section(out / "Laporan_Triwulan_IV.docx", "D. PEJABAT YANG BELUM MELAPORKAN TW IV")
    assert len(belum) == 1 and KORDIV_HUKUM in belum[0]


def test_rebuild_says_it_replaces_the_reports_in_their_folder(tmp_path, example_set):
    from kinerja_xl.cli import app

    folder, _, _ = example_set
    out = tmp_path / "hasil"
    first = CliRunner().invoke(app, ["build", str(folder), "-o", str(out), "--triwulan", "III"])
    assert first.exit_code == 0 and "12 dokumen ditulis" in first.stdout and "menimpa" not in first.stdout
    again = CliRunner().invoke(app, ["build", str(folder), "-o", str(out), "--triwulan", "3"])
    assert again.exit_code == 0 and "12 di antaranya menimpa dokumen lama" in again.stdout
    assert "Serang, 30 September 2022" in paragraphs(out / "Laporan_Triwulan_III.docx")
