"""Templates: readable by openpyxl, python-calamine and LibreOffice; filled values round-trip."""

from __future__ import annotations

import datetime as dt
import subprocess
import zipfile
from pathlib import Path

import openpyxl
from openpyxl.utils import get_column_letter
import pytest
from python_calamine import CalamineWorkbook

from kinerja_xl import api, spec
from kinerja_xl.levels import load_hierarchy
from kinerja_xl.model import Kind, Target
from kinerja_xl.reading.read import read_file
from kinerja_xl.outputs.templates import fill_form, fill_table, new_workbook, save

from conftest import soffice


@pytest.fixture(scope="module")
def template_set(tmp_path_factory) -> list[Path]:
    folder = tmp_path_factory.mktemp("set")
    return api.new_set(folder, satker="KPU Kota Serang", tahun=2022)


def test_set_has_one_pk_per_official_plus_rkt_realisasi_and_renstra(template_set):
    names = [p.name for p in template_set]
    assert len(names) == 14
    assert sum(n.startswith("PK_") for n in names) == 11
    assert {"RKT.xlsx", "Realisasi.xlsx", "Renstra.xlsx"} <= set(names)


def test_openpyxl_and_calamine_read_every_template(template_set):
    for path in template_set:
        wb = openpyxl.load_workbook(path)
        kind = Kind(wb[spec.MARKER_SHEET]["B1"].value)
        assert wb[spec.MARKER_SHEET].sheet_state == "veryHidden"
        assert list(spec.SPECS[kind].sheet_names) == wb.sheetnames[:-1]
        cal = CalamineWorkbook.from_path(str(path))
        assert set(spec.SPECS[kind].sheet_names) <= set(cal.sheet_names)
        header = cal.get_sheet_by_name(spec.SPECS[kind].tables[0].name).to_python()[2]
        assert header[: len(spec.SPECS[kind].tables[0].columns)] == [
            "Sasaran" if c.key == "sasaran" and kind is Kind.PK else c.header for c in spec.SPECS[kind].tables[0].columns
        ]


def test_template_conveniences(template_set):
    path = next(p for p in template_set if "Eselon_IV" in p.name)
    wb = openpyxl.load_workbook(path)
    ind = wb["Indikator"]
    assert ind.freeze_panes == "A4"
    assert ind.protection.sheet and not ind.protection.password
    assert ind["A3"].protection.locked and not ind["A4"].protection.locked
    lists = {str(dv.sqref).split(":")[0]: dv.formula1 for dv in ind.data_validations.dataValidation}
    assert lists["G4"] == '"positif,negatif"'
    assert "dukungan manajemen" in lists["I4"]
    assert wb["Anggaran"]["C4"].number_format == '"Rp"#,##0'
    ident = wb["Identitas"]
    assert ident["B15"].value == "Sekretaris KPU Kota Serang"  # pihak kedua follows from the hierarchy
    assert ident["B11"].number_format == "@"  # NIP as text keeps its 18 digits
    assert ind.print_title_rows == "$3:$3"


def test_libreoffice_converts_every_template(template_set, tmp_path):
    binary = soffice()
    out = tmp_path / "pdf"
    proc = subprocess.run(
        [binary, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
         "--convert-to", "pdf", "--outdir", str(out), *map(str, template_set)],
        capture_output=True, text=True, timeout=240,
    )
    assert proc.returncode == 0, proc.stderr
    pdfs = sorted(p.stem for p in out.glob("*.pdf"))
    assert pdfs == sorted(p.stem for p in template_set)
    assert all(p.stat().st_size > 1000 for p in out.glob("*.pdf"))


def test_round_trip(tmp_path):
    wb = new_workbook(Kind.PK, level="eselon4", unit="Perencanaan, Data dan Informasi", satker="KPU Kota Serang",
                      tahun=2022)
    fill_form(wb, Kind.PK, {"pp_nama": "Eklin\u00a0Berlina ", "pp_jabatan": "Plt. Kepala Subbagian", "pp_nip":
                            "19900520 201903 2 009", "pk_nama": "HENDRO SULISTYO", "pk_jabatan": "Sekretaris",
                            "pk_nip": "197012102000031001", "tempat": "Serang", "tanggal": "27 Januari 2022"})
    rows = [
        {"kode_sasaran": "SK-1", "sasaran": "Sasaran A & B <C>", "kode": "IK-1", "indikator": "Indikator satu",
         "satuan": "%", "target": "90 %", "polaritas": "positif", "kode_induk": "IK-S.3", "cascading": "langsung"},
        {},  # a blank row inside the table
        {"kode_sasaran": "SK-2", "sasaran": "Sasaran dua", "kode": "IK-2", "indikator": "Jumlah revisi DIPA",
         "satuan": "kali", "target": 2, "polaritas": "negatif", "kode_induk": "IK-S.5", "cascading": "tidak langsung"},
    ]
    fill_table(wb, spec.PK_INDIKATOR, rows)
    fill_table(wb, spec.PK_ANGGARAN, [{"kode": "KEG-07", "uraian": "Layanan Data", "jumlah": "Rp 14.045.000"}])
    path = save(wb, tmp_path / "pk.xlsx")
    result = read_file(path)
    assert result.issues == ()
    pk = result.document
    assert (pk.pihak_pertama.nama, pk.pihak_pertama.nip) == ("Eklin Berlina", "199005202019032009")
    assert pk.tanggal == dt.date(2022, 1, 27) and pk.tahun == 2022 and pk.level == "eselon4"
    assert [(i.kode, i.sasaran, i.target, i.polaritas.value, i.kode_induk) for i in pk.indikator] == [
        ("IK-1", "Sasaran A & B <C>", Target(value=90.0), "positif", "IK-S.3"),
        ("IK-2", "Sasaran dua", Target(value=2.0), "negatif", "IK-S.5"),
    ]
    assert pk.indikator[1].refs["target"].cell == "F6"
    assert [(a.kode, a.jumlah) for a in pk.anggaran] == [("KEG-07", 14_045_000)]


def test_rows_added_beyond_the_prepared_ones_are_read(tmp_path):
    wb = new_workbook(Kind.RKT, satker="KPU Kota Serang", tahun=2022)
    fill_form(wb, Kind.RKT, {"tempat": "Serang", "tanggal": dt.date(2022, 1, 3)})
    rows = [{"kode_sasaran": "SS", "sasaran": "S", "kode": f"IK-{n}", "indikator": f"I {n}", "satuan": "%",
             "target": 0.9, "polaritas": "positif"} for n in range(45)]
    fill_table(wb, spec.RKT_TABLE, rows, number_formats={"target": "0%"})
    result = read_file(save(wb, tmp_path / "rkt.xlsx"))
    assert len(result.document.rows) == 45 and result.issues == ()
    assert result.document.rows[-1].indikator.refs["kode"].cell == "C48"


def test_other_hierarchy_from_config(tmp_path):
    h = load_hierarchy("pemda_dinas")
    paths = api.new_set(tmp_path, satker="Kabupaten Contoh", tahun=2024, hierarchy=h)
    assert len(paths) == 1 + 1 + 2 + 2 + 3  # six PKs; the RKT, Realisasi and Renstra
    wb = openpyxl.load_workbook(next(p for p in paths if "Eselon_IV_Kurikulum" in p.name))
    assert wb["Identitas"]["B15"].value == "Kepala Bidang Pendidikan Dasar"


def test_existing_output_is_not_overwritten(tmp_path):
    target = tmp_path / "pk.xlsx"
    target.write_bytes(b"data")
    with pytest.raises(api.UsageError):
        api.new_template(target, level="ketua")
    assert target.read_bytes() == b"data"


def test_xlsx_is_a_clean_zip(template_set):
    with zipfile.ZipFile(template_set[0]) as z:
        assert z.testzip() is None


def test_a_book_read_with_another_hierarchy_says_so(tmp_path):
    """A Pemda template read with the KPU hierarchy: the warning names both and the way out; read with
    its own hierarchy (by file name or by the id the marker records), no such warning."""
    paths = api.new_set(tmp_path, satker="Kabupaten Contoh", tahun=2024, hierarchy="pemda_dinas")
    book = next(p for p in paths if "Eselon_IV_Kurikulum" in p.name)
    wrong = api.validate([book])
    (found,) = [i for i in wrong.issues if i.code == "hierarchy-mismatch"]
    assert (found.location.sheet, found.params) == (spec.MARKER_SHEET, {"made_for": "pemda-dinas",
                                                                         "used": "kpu-kabkota"})
    assert "--hirarki pemda-dinas" in found.message
    for name in ("pemda_dinas", "pemda-dinas"):
        assert "hierarchy-mismatch" not in api.validate([book], hierarchy=name).codes()


def test_find_hierarchy_for_a_folder(tmp_path):
    assert api.find_hierarchy(None).id == "kpu-kabkota"
    assert api.find_hierarchy(None, "pemda-dinas").id == "pemda-dinas"
    assert api.find_hierarchy(tmp_path, "tidak-ada").id == "kpu-kabkota"  # unknown id: the default
    own = (load_hierarchy("pemda_dinas").levels, )
    (tmp_path / api.HIERARCHY_FILE).write_text(
        (Path(api.__file__).parent / "levels" / "pemda_dinas.toml").read_text(encoding="utf-8")
        .replace('id = "pemda-dinas"', 'id = "dinas-kabupaten-contoh"'), encoding="utf-8")
    found = api.find_hierarchy(tmp_path, "kpu-kabkota")  # the folder's own file wins over the marker
    assert found.id == "dinas-kabupaten-contoh" and found.levels == own[0]


def test_a_v3_pk_filled_in_libreoffice_reads_back(tmp_path):
    """Typed in LibreOffice (id-ID) into a version 3 PK: the Status drop-down and a Monitoring row come back."""
    import os

    from test_probe_numbers import _INDONESIAN_PROFILE, _TYPE_IN_LIBREOFFICE, _python_with_uno

    from kinerja_xl.model import StatusJabatan

    office = soffice()
    found = _python_with_uno()
    if found is None:
        from conftest import IN_CI

        if IN_CI:
            pytest.fail("pyuno (python3-uno) tidak terpasang di CI; .ci/run harus memasangnya.")
        pytest.skip("pyuno (python3-uno) tidak tersedia untuk mengetik di LibreOffice; tes ini wajib di CI")
    python, path = found
    wb = new_workbook(Kind.PK, level="eselon4", unit="Perencanaan, Data dan Informasi", satker="KPU Kota Serang",
                      tahun=2022)
    fill_form(wb, Kind.PK, {"pp_nama": "EKLIN BERLINA", "pp_nip": "199005202019032009", "pk_nama": "HENDRO SULISTYO",
                            "pk_nip": "197012102000031001", "tempat": "Serang", "tanggal": dt.date(2022, 1, 27)})
    fill_table(wb, spec.PK_INDIKATOR, [{"kode_sasaran": "SK-3", "sasaran": "Sasaran", "kode": "IK-E3.1",
                                        "indikator": "Indikator", "satuan": "%", "target": 0.9, "polaritas": "positif",
                                        "kode_induk": "IK-S.3", "cascading": "langsung"}],
               number_formats={"target": "0%"})
    src = save(wb, tmp_path / "pk.xlsx")
    form, mon = spec.PK_FORM, spec.PK_MONITORING
    col = {c.key: get_column_letter(i) for i, c in enumerate(mon.columns, start=1)}
    row = mon.first_data_row
    typed = {("Identitas", f"B{form.field('pp_status').row}"): "Plt.",
             ("Indikator", f"{get_column_letter([c.key for c in spec.PK_INDIKATOR.columns].index('agregasi') + 1)}4"):
                 "triwulan terakhir",
             (mon.name, f"{col['kode']}{row}"): "IK-E3.1", (mon.name, f"{col['tw3']}{row}"): "85%",
             (mon.name, f"{col['kendala_tw3']}{row}"): "Data Disdukcapil terlambat"}
    profile = tmp_path / "profil"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_INDONESIAN_PROFILE, encoding="utf-8")
    script = tmp_path / "ketik.py"
    script.write_text(_TYPE_IN_LIBREOFFICE, encoding="utf-8")
    out = tmp_path / "diketik.xlsx"
    env = {**os.environ, **({"PYTHONPATH": path} if path else {})}
    subprocess.run([python, str(script), office, str(profile), f"kinerja_xl_v3_{os.getpid()}", str(src), str(out),
                    *(f"{s}|{c}|{t}" for (s, c), t in typed.items())], check=True, timeout=240, env=env)
    result = read_file(out)
    assert not [i for i in result.issues if i.severity.value == "error"], [i.message for i in result.issues]
    pk = result.document
    assert pk.pihak_pertama.status is StatusJabatan.PLT
    assert pk.indikator[0].agregasi.value == "triwulan terakhir"
    (m,) = pk.monitoring
    assert (m.kode, m.realisasi[2], m.kendala[2]) == ("IK-E3.1", 85.0, "Data Disdukcapil terlambat")
    assert m.realisasi[:2] == (None, None) and m.refs["tw3"].cell == f"{col['tw3']}{row}"
