"""Documents of the SAKIP year (issue 11, documents): acting officials, PK Perubahan with its change list,
the Manual IKU, and the LAKIP's Renstra table and per-indicator history, standard and supporting kegiatan.

The bundled example is built once (``api.build``) and read back with python-docx; the expected figures
are read from the workbooks' cells with openpyxl, not from the model the documents were made from.
The revised PK and the Manual IKU are laid out by LibreOffice and read with ``pdftotext``.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
from docx import Document
from docx.oxml.ns import qn

from kinerja_xl import api, fmt
from kinerja_xl.model import Target
from kinerja_xl.render.build import BUNDLE_NAME, LAKIP_NAME, PENGUKURAN_NAME, RKT_NAME

ROOT = Path(__file__).resolve().parent.parent
WORKBOOKS = ROOT / "workbooks"
OLD_PK = "PK_10_Eselon_IV_Perencanaan_Data_dan_Informasi.xlsx"
NEW_PK = "PK_10_Eselon_IV_Perencanaan_Data_dan_Informasi_Perubahan_1.xlsx"
REVISED = "PK_10_Kepala_Subbagian_Perencanaan_Data_dan_Informasi_Perubahan_1.docx"
SUPERSEDED = "PK_10_Kepala_Subbagian_Perencanaan_Data_dan_Informasi.docx"
CHANGES = f"Daftar_Perubahan_{REVISED}"
MANUAL = "Manual_IKU.docx"
ACTING = "PK_09_Kepala_Subbagian_Teknis_Penyelenggaraan_Pemilu_dan_Hukum.docx"


def lines(path: Path) -> list[str]:
    """Every paragraph's text, body and table cells alike, in document order."""
    body = Document(str(path)).element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def rows(table) -> list[list[str]]:
    return [[c.text.strip() for c in r.cells] for r in table.rows]


def sheet(file: str, name: str):
    return openpyxl.load_workbook(WORKBOOKS / file, data_only=True)[name]


def table_sheet(file: str, name: str) -> list[dict]:
    """A table sheet of a workbook as one dict per row, keyed by the header row (row 3)."""
    ws = sheet(file, name)
    head = [c.value for c in ws[3]]
    out = []
    for row in ws.iter_rows(min_row=4):
        if row[0].value is None:
            continue
        out.append({h: c for h, c in zip(head, row) if h})
    return out


def percent_cell(cell) -> str:
    """A target cell as the documents print it: 0.85 in a %-formatted cell is "85%"."""
    value = cell.value
    if isinstance(value, (int, float)) and "%" in (cell.number_format or ""):
        return fmt.target(Target(value=round(value * 100, 10)), "%")
    return str(value)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("tahun") / "dokumen"
    result = api.build(WORKBOOKS, out)
    assert result.report.valid and result.written
    return {p.name: p for p in result.written}


# --- 1. acting officials ---------------------------------------------------------------------------------


def test_an_acting_official_is_printed_with_the_prefix(built):
    ws = sheet("PK_09_Eselon_IV_Teknis_Penyelenggaraan_Pemilu_dan_Hukum.xlsx", "Identitas")
    nama, jabatan, status = ws["B9"].value, ws["B10"].value, ws["B23"].value
    assert (nama, status) == ("DIAR NOVIANTI", "Plt.") and not jabatan.startswith("Plt.")
    full = f"Plt. {jabatan}"
    text = lines(built[ACTING])
    assert full.startswith("Plt. Kepala Subbagian")
    assert text.count(full) == 3  # the Pernyataan's Jabatan and both signature blocks
    assert jabatan not in [line for line in text if not line.startswith("Plt.")]  # never without the prefix
    assert lines(built[BUNDLE_NAME]).count(full) == 3
    # the LAKIP's list of signers and the superseded Plt. of Perencanaan too
    assert full in lines(built[LAKIP_NAME])
    assert "Plt. Kepala Subbagian Perencanaan, Data dan Informasi KPU Kota Serang" in lines(built[SUPERSEDED])


# --- 2. PK Perubahan ----------------------------------------------------------------------------------------


def test_the_revised_pk_is_titled_dated_and_gives_its_reason(built):
    ws = sheet(NEW_PK, "Identitas")
    assert ws["B25"].value == 1 and ws["B28"].value == OLD_PK
    berlaku, alasan = ws["B26"].value, ws["B27"].value
    text = lines(built[REVISED])
    start = text.index("PERJANJIAN KINERJA PERUBAHAN")
    assert text[start:start + 4] == ["PERJANJIAN KINERJA PERUBAHAN", "KPU KOTA SERANG", "TAHUN 2022",
                                     f"Perubahan ke-1, berlaku mulai {fmt.tanggal(berlaku.date())}"]
    assert "Perubahan ke-1, berlaku mulai 1 Juli 2022" in text
    clause = next(line for line in text if line.startswith("Perjanjian Kinerja ini merupakan perubahan ke-1"))
    assert "ditandatangani pada tanggal 27 Januari 2022" in clause and "berlaku mulai tanggal 1 Juli 2022" in clause
    assert alasan.rstrip(".") in clause
    assert clause.index("Alasan perubahan") > clause.index("berlaku mulai")
    assert text.index(clause) < text.index("Serang, 1 Juli 2022")  # before it is signed again
    assert "PERJANJIAN KINERJA PERUBAHAN TAHUN 2022" in text  # the Lampiran
    assert text.count("Perubahan ke-1, berlaku mulai 1 Juli 2022") == 2
    assert "RIZKY ANDRIANSYAH" in text and "EKLIN BERLINA" not in text


def test_the_superseded_pk_is_printed_under_its_plain_name(built):
    text = lines(built[SUPERSEDED])
    assert text[0] == "PERNYATAAN PERJANJIAN KINERJA" and not any("PERUBAHAN" in line for line in text)
    assert sheet(OLD_PK, "Identitas")["B9"].value == "EKLIN BERLINA"
    assert "EKLIN BERLINA" in text and "RIZKY ANDRIANSYAH" not in text
    assert "Serang, 27 Januari 2022" in text
    pk_files = [n for n in built if n.startswith("PK_") and n != BUNDLE_NAME]
    assert len(pk_files) == 12 and len({n[:5] for n in pk_files}) == 11  # both versions are post 10


def test_the_bundle_holds_the_versions_in_force_only(built):
    text = lines(built[BUNDLE_NAME])
    assert "RIZKY ANDRIANSYAH" in text and "EKLIN BERLINA" not in text
    assert text.count("PERNYATAAN PERJANJIAN KINERJA") + text.count("PERJANJIAN KINERJA PERUBAHAN") == 11


def test_the_change_list_names_each_changed_cell_with_both_values(built):
    old, new = sheet(OLD_PK, "Identitas"), sheet(NEW_PK, "Identitas")
    text = lines(built[CHANGES])
    assert text[:3] == ["DAFTAR PERUBAHAN PERJANJIAN KINERJA", "KPU KOTA SERANG", "TAHUN 2022"]
    for expected in (OLD_PK, NEW_PK, SUPERSEDED, REVISED, "1 Juli 2022", new["B27"].value):
        assert expected in text, expected
    doc = Document(str(built[CHANGES]))
    [table] = [t for t in doc.tables if rows(t)[0][0] == "NO"]
    found = {r[2]: r for r in rows(table)[1:]}
    expected = {"Identitas: Nama (Pihak Pertama)": ("B9", old["B9"].value, new["B9"].value),
                "Identitas: NIP (Pihak Pertama)": ("B11", fmt.nip(old["B11"].value), fmt.nip(new["B11"].value)),
                "Identitas: Tanggal (Penandatanganan)": ("B20", fmt.tanggal(old["B20"].value.date()),
                                                         fmt.tanggal(new["B20"].value.date()))}
    assert expected["Identitas: Nama (Pihak Pertama)"][1:] == ("EKLIN BERLINA", "RIZKY ANDRIANSYAH")
    for label, (cell, before, after) in expected.items():
        row = found[label]
        assert row[1] == "Diubah" and row[3:] == [before, after, f"Identitas!{cell}", f"Identitas!{cell}"], row
    numbers = [r[0] for r in rows(table)[1:]]
    assert numbers == [str(n) for n in range(1, len(numbers) + 1)]
    assert f"pada {len(numbers)} isian berikut" in " ".join(text)


# --- 3. Manual IKU ---------------------------------------------------------------------------------------------


def _manual_tables(path: Path) -> dict[str, dict[str, str]]:
    out = {}
    for table in Document(str(path)).tables:
        r = rows(table)
        if r and r[0][0] == "Kode Indikator":
            out[r[0][1]] = {label: value for label, value in r[1:]}
    return out


def test_the_manual_iku_has_one_table_per_iku_from_the_workbook(built):
    manual = table_sheet("Renstra.xlsx", "Manual IKU")
    renstra = {r["Kode Indikator"].value: r for r in table_sheet("Renstra.xlsx", "Renstra")}
    text = lines(built[MANUAL])
    assert text[:3] == ["MANUAL INDIKATOR KINERJA UTAMA", "KPU KOTA SERANG", "RENCANA STRATEGIS TAHUN 2020-2024"]
    tables = _manual_tables(built[MANUAL])
    assert list(tables) == [r["Kode Indikator"].value for r in manual] == [f"IK-K.{n}" for n in range(1, 7)]
    ident = sheet("Renstra.xlsx", "Identitas")
    years = range(ident["B4"].value, ident["B5"].value + 1)
    for row in manual:
        kode = row["Kode Indikator"].value
        got, plan = tables[kode], renstra[kode]
        assert got["Definisi Operasional"] == row["Definisi Operasional"].value
        assert got["Formula / Cara Perhitungan"] == row["Formula / Cara Perhitungan"].value
        assert got["Sumber Data"] == row["Sumber Data"].value
        assert got["Penanggung Jawab"] == row["Penanggung Jawab"].value
        assert got["Jenis Cascading"].casefold() == row["Jenis Cascading"].value.casefold()
        assert got["Periode Pelaporan"].casefold() == row["Periode Pelaporan"].value.casefold()
        assert got["Sasaran Strategis"] == plan["Sasaran"].value
        assert got["Indikator Kinerja Utama"] == plan["Indikator Kinerja"].value
        assert got["Satuan"] == plan["Satuan"].value and got["Polaritas"].startswith("Positif")
        for i, tahun in enumerate(years, 1):
            assert got[f"Target Tahun {tahun}"] == percent_cell(plan[f"Target Tahun ke-{i}"]), (kode, tahun)
    assert tables["IK-K.3"]["Target Tahun 2022"] == "90%" and tables["IK-K.3"]["Target Tahun 2024"] == "95%"


# --- 4. LAKIP ------------------------------------------------------------------------------------------------------


def test_lakip_bab_ii_a_shows_the_renstra_table_with_the_year_marked(built):
    doc = Document(str(built[LAKIP_NAME]))
    [table] = [t for t in doc.tables if "INDIKATOR KINERJA UTAMA" in rows(t)[0]]
    head = rows(table)[0]
    assert head[4:] == ["2020", "2021", "2022*", "2023", "2024"]
    rkt = {r["Indikator Kinerja"].value: percent_cell(r["Target"]) for r in table_sheet("RKT.xlsx", "RKT")}
    plan = {r["Indikator Kinerja"].value: r for r in table_sheet("Renstra.xlsx", "Renstra")}
    body = [r for r in rows(table)[2:] if r[2] in plan]
    assert len(body) == len(plan) == 6
    for r in body:
        assert r[head.index("2022*")] == rkt[r[2]], r[2]  # the RKT target of the year is the Renstra's
        assert r[3] == percent_cell(plan[r[2]]["Baseline"])
        assert r[8] == percent_cell(plan[r[2]]["Target Tahun ke-5"])
    text = lines(built[LAKIP_NAME])
    assert "* Tahun 2022: tahun laporan ini." in text
    # the table sits in Bab II.A, between its heading and Bab II.B
    start, end = text.index("A. Rencana Strategis"), text.index("B. Rencana Kinerja Tahunan 2022")
    assert start < text.index("2022*") < end


def _analysis(text: list[str], nama: str) -> list[str]:
    start = next(i for i, line in enumerate(text) if line.startswith("Indikator ") and line.endswith(nama))
    stop = next((i for i, line in enumerate(text[start + 1:], start + 1) if re.match(r"Indikator \d+: ", line)
                 or line == "B. Realisasi Anggaran"), len(text))
    return text[start:stop]


def test_lakip_bab_iii_a_history_standard_and_supporting_kegiatan(built):
    plan = {r["Kode Indikator"].value: r for r in table_sheet("Renstra.xlsx", "Renstra")}
    text = lines(built[LAKIP_NAME])
    k3 = plan["IK-K.3"]
    part = _analysis(text, k3["Indikator Kinerja"].value)
    r2020, r2021 = percent_cell(k3["Realisasi Tahun ke-1"]), percent_cell(k3["Realisasi Tahun ke-2"])
    assert (r2020, r2021) == ("84%", "88%")
    history = next(line for line in part if line.startswith("Perkembangan realisasi"))
    assert f"Realisasi 2020: {r2020}, 2021: {r2021}, 2022: 92%." in history
    standard = percent_cell(k3["Standar Nasional"])
    assert standard == "90%"
    assert f"Realisasi tahun 2022 sebesar 92% berada di atas standar nasional {standard}." in part
    # IK-K.2 has no national standard: no such sentence
    assert not any("standar nasional" in line for line in _analysis(text, plan["IK-K.2"]["Indikator Kinerja"].value))
    # the Renstra target is the Renstra workbook's final-year target
    assert f"Terhadap target jangka menengah (Renstra) sebesar {percent_cell(k3['Target Tahun ke-5'])}, " \
           "realisasi tahun 2022 telah mencapai 96,84%." in part
    # Program/kegiatan pendukung of IK-K.1: its RKT kegiatan with the budget
    rkt = [r for r in table_sheet("RKT.xlsx", "RKT") if r["Kode Indikator"].value == "IK-K.1"]
    k1 = _analysis(text, plan["IK-K.1"]["Indikator Kinerja"].value)
    listed = k1[k1.index("Program/kegiatan pendukung:") + 1:]
    for r in rkt:
        line = f"\u2022 {r['Kode Kegiatan'].value} {r['Kegiatan'].value}: {fmt.rupiah(r['Anggaran (Rp)'].value)}"
        assert line in listed, (line, listed)
    assert "\u2022 KEG-01 Pengelolaan Desain Surat Suara, Formulir dan Alat Bantu Tuna Netra Pemilu/Pemilihan: " \
           "Rp214.416.000" in listed


def test_the_other_documents_still_name_the_signer_and_the_set_is_complete(built):
    names = set(built)
    assert {BUNDLE_NAME, RKT_NAME, PENGUKURAN_NAME, LAKIP_NAME, MANUAL, CHANGES, REVISED, SUPERSEDED} <= names
    assert [n for n in names if n.startswith("Daftar_Perubahan_")] == [CHANGES]


# --- the pages, laid out by LibreOffice ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pdfs(built, tmp_path_factory):
    from conftest import soffice
    from kinerja_xl.render.pdf import to_pdf

    soffice()
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler) tidak terpasang")
    made = to_pdf([built[REVISED], built[MANUAL]], tmp_path_factory.mktemp("tahun-pdf"))
    return {p.stem: p for p in made}


def _pages(pdf: Path) -> list[str]:
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    return [page for page in text.split("\f") if page.strip()]


def test_the_revised_pk_is_two_pages_each_signed_under_its_content(pdfs):
    pages = _pages(pdfs[Path(REVISED).stem])
    assert len(pages) == 2  # the Pernyataan and the Lampiran, one page each as the original
    first, second = pages
    assert "PERJANJIAN KINERJA PERUBAHAN" in first and "Alasan perubahan" in first
    assert first.index("Alasan perubahan") < first.index("Serang, 1 Juli 2022") < first.rindex("RIZKY ANDRIANSYAH")
    assert second.index("JUMLAH") < second.index("Serang, 1 Juli 2022") < second.rindex("RIZKY ANDRIANSYAH")


def test_each_iku_table_is_whole_on_one_page(pdfs):
    pages = _pages(pdfs[Path(MANUAL).stem])
    for page in pages:  # every table that starts on a page ends on it
        assert page.count("Kode Indikator") == page.count("Target Tahun 2024"), page[:200]
    assert sum(page.count("Kode Indikator") for page in pages) == 6


# --- without a Renstra workbook; both PK versions through the fast writer ----------------------------------------


def test_without_a_renstra_the_lakip_keeps_its_text_and_the_realisasi_target_renstra(tmp_path):
    import dataclasses

    from kinerja_xl.levels import load_hierarchy
    from kinerja_xl.render import render_set

    kset, report = api.load_set(WORKBOOKS)
    assert report.valid and kset.renstra is not None
    names = {p.name: p for p in render_set(dataclasses.replace(kset, renstra=None), load_hierarchy(), tmp_path)}
    assert MANUAL not in names and CHANGES in names
    doc = Document(str(names[LAKIP_NAME]))
    assert not [t for t in doc.tables if "INDIKATOR KINERJA UTAMA" in rows(t)[0]]
    text = lines(names[LAKIP_NAME])
    assert not any(line.startswith(("Perkembangan realisasi", "* Tahun")) or "standar nasional" in line for line in text)
    # the Renstra target falls back to the realisation workbook's column (IK-S.3: 95%, not in the Renstra)
    real = {r["Kode Indikator"].value: r for r in table_sheet("Realisasi.xlsx", "Realisasi Indikator")}
    for kode in ("IK-K.3", "IK-S.3"):
        target = percent_cell(real[kode]["Target Renstra"])
        part = _analysis(text, real[kode]["Indikator Kinerja"].value)
        assert any(line.startswith(f"Terhadap target jangka menengah (Renstra) sebesar {target}, ") for line in part)


def test_both_versions_of_the_revised_pk_are_the_docxtpl_documents():
    from test_render_fast import assert_same

    from kinerja_xl.levels import load_hierarchy
    from kinerja_xl.render.context import pk_context, previous_pk
    from kinerja_xl.render.docx import template_path
    from kinerja_xl.render.fast import FastTemplate

    kset, _ = api.load_set(WORKBOOKS)
    h = load_hierarchy()
    fast = FastTemplate(template_path("pk"))
    assert fast.unsupported is None and fast.unproved is None  # prepared once, no reparse per document
    [old] = kset.superseded
    new = next(pk for pk in kset.pks if pk.perubahan)
    for pk in (old, new):
        context = pk_context(pk, h, sebelumnya=previous_pk(pk, kset.all_pks))
        assert fast.accepts(context) and context["perubahan"] is pk.perubahan
        assert_same(template_path("pk"), fast.render(context), context)


def test_two_superseded_versions_of_one_revision_never_share_a_file_name():
    """A broken chain (two earlier PKs with "Revisi ke" 0, built with --force) still gives every PK its own file."""
    import dataclasses

    from kinerja_xl.levels import load_hierarchy
    from kinerja_xl.render.build import pk_filenames, superseded_filenames

    kset, _ = api.load_set(WORKBOOKS)
    h = load_hierarchy()
    [old] = kset.superseded
    assert [name for _, name in superseded_filenames(kset, h)] == [SUPERSEDED]
    twice = dataclasses.replace(kset, superseded=(old, dataclasses.replace(old, source="PK_10_salinan.xlsx")))
    names = [name for _, name in superseded_filenames(twice, h)] + pk_filenames(twice, h)
    assert len(set(names)) == len(names) == 13
    assert "PK_10_Kepala_Subbagian_Perencanaan_Data_dan_Informasi_PK_10_salinan.docx" in names
