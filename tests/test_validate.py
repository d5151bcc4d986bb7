"""The bundled example validates clean; each single defect is reported with its code at its cell."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from kinerja_xl import api
from kinerja_xl.cli import app

from conftest import EXAMPLE, edit, sha256

SEKRETARIS = "PK_07_Sekretaris.xlsx"
KETUA = "PK_01_Ketua.xlsx"
KASUBAG = "PK_08_Eselon_IV_Keuangan_Umum_dan_Logistik.xlsx"
runner = CliRunner()


def test_example_is_clean():
    report = api.validate([EXAMPLE])
    assert [i for i in report if i.code != "file-skipped"] == []
    assert len(report.files) == 15  # 11 PKs and one PK Perubahan, RKT, Realisasi, Renstra
    assert api.exit_code(report) == 0


def _errors(report):
    return [t for t, i in zip(report.flat(), report.issues) if i.severity.value == "error"]


@pytest.mark.parametrize("name, sheet, cell, value, fmt, code", [
    (SEKRETARIS, "Identitas", "B11", "19701210200003100", None, "nip-length"),  # 17 digits
    (KETUA, "Indikator", "F5", "sembilan puluh", None, "target-not-number"),
    (KASUBAG, "Identitas", "B9", None, None, "required-missing"),
    (KASUBAG, "Identitas", "B20", "27 Januari 2023", None, "date-outside-year"),
    (SEKRETARIS, "Indikator", "C6", "IK-S.1", None, "duplicate-code"),
    (KETUA, "Indikator", "F4", "=0.5+0.4", None, "formula-not-calculated"),
    (SEKRETARIS, "Identitas", "B11", "19701310200003100 1", None, "nip-birthdate-invalid"),
    (KASUBAG, "Indikator", "G4", "naik", None, "choice-invalid"),
    (KASUBAG, "Anggaran", "C4", "dua miliar", None, "value-not-number"),
    (SEKRETARIS, "Identitas", "B4", 22, None, "tahun-invalid"),
    (KASUBAG, "Identitas", "B20", "30 Februari 2022", None, "date-invalid"),
    (KASUBAG, "Identitas", "B11", None, None, "nip-missing"),
])
def test_single_defect(example: Path, name, sheet, cell, value, fmt, code):
    edit(example / name, sheet, cell, value, number_format=fmt)
    report = api.validate([example])
    assert _errors(report) == [(name, sheet, cell, code)]
    assert api.exit_code(report) == 1


def test_cli_exit_codes_and_json(example: Path):
    ok = runner.invoke(app, ["validate", str(example), "--format", "json"])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.stdout)
    assert data["valid"] is True and data["summary"]["files"] == 15
    edit(example / SEKRETARIS, "Identitas", "B11", "19701210200003100")
    bad = runner.invoke(app, ["validate", str(example), "--format", "json"])
    assert bad.exit_code == 1
    issue = json.loads(bad.stdout)["issues"][0]
    assert (issue["code"], issue["location"]["sheet"], issue["location"]["cell"]) == ("nip-length", "Identitas", "B11")
    table = runner.invoke(app, ["validate", str(example / SEKRETARIS)])
    assert table.exit_code == 1 and "nip-length" in table.stdout and "B11" in table.stdout


def test_unreadable_file_exits_2(tmp_path: Path):
    fake = tmp_path / "laporan.xlsx"
    fake.write_text("no;nama\n1;Ade\n", encoding="utf-8")
    result = runner.invoke(app, ["validate", str(fake), "--format", "json"])
    assert result.exit_code == 2
    assert json.loads(result.stdout)["issues"][0]["code"] == "file-not-xlsx"


def test_missing_path_exits_2_without_traceback(tmp_path: Path):
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "kinerja_xl", "validate", str(tmp_path / "tidak-ada")],
                          capture_output=True, text=True)
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr + proc.stdout
    assert "tidak ditemukan" in proc.stderr


def test_inputs_unchanged(example: Path):
    before = {p.name: sha256(p) for p in example.iterdir()}
    api.validate([example])
    runner.invoke(app, ["validate", str(example)])
    assert {p.name: sha256(p) for p in example.iterdir()} == before


def test_lock_files_and_other_files_are_skipped(example: Path):
    (example / "~$PK_01_Ketua.xlsx").write_bytes(b"\x00lock")
    (example / "catatan.txt").write_text("x")
    report = api.validate([example])
    skipped = sorted(i.params["value"] for i in report if i.code == "file-skipped")
    assert skipped == ["catatan.txt", "~$PK_01_Ketua.xlsx"]
    assert api.exit_code(report) == 0


def test_live_grid_gives_same_findings_as_file(example: Path):
    """The add-in validates values held in memory; same codes and cells as from the file."""
    import openpyxl

    from kinerja_xl.reading.source import grid_from_values

    path = example / SEKRETARIS
    edit(path, "Identitas", "B11", "19701210200003100")
    wb = openpyxl.load_workbook(path)
    sheets = {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}
    formats = {ws.title: [[c.number_format for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}
    grid = grid_from_values(str(path), sheets, number_formats=formats)
    assert api.validate_grid(grid).flat() == api.validate([path]).flat()


def test_formula_with_cached_value_is_read(example: Path, tmp_path: Path):
    """A formula that Excel (here LibreOffice) has calculated is read through its cached value."""
    import subprocess

    from conftest import soffice

    binary = soffice()
    src = example / KETUA
    edit(src, "Indikator", "F4", "=0.5+0.5", number_format="0%")
    out = tmp_path / "dihitung"
    proc = subprocess.run([binary, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/p",
                           "--convert-to", "xlsx:Calc MS Excel 2007 XML", "--outdir", str(out), str(src)],
                          capture_output=True, text=True, timeout=180)
    assert proc.returncode == 0, proc.stderr
    from kinerja_xl.reading.read import read_file

    result = read_file(out / KETUA)
    assert [i.code for i in result.issues if i.severity.value == "error"] == []
    assert result.document.indikator[0].target.value == 100.0


def test_quarters_without_agregasi_warn(example: Path):
    edit(example / "Realisasi.xlsx", "Realisasi Indikator", "F6", None)
    report = api.validate([example])
    assert [t for t in report.flat() if t[3] != "file-skipped"] == [
        ("Realisasi.xlsx", "Realisasi Indikator", "F6", "agregasi-missing")]
    assert api.exit_code(report) == 0


@pytest.mark.parametrize("typed, prefix", [("Plt. EKLIN BERLINA", "Plt."), ("plh Eklin Berlina", "Plh.")])
def test_an_acting_prefix_typed_into_a_name_is_a_warning_at_its_cell(example, typed, prefix):
    pk = example / "PK_10_Eselon_IV_Perencanaan_Data_dan_Informasi.xlsx"
    edit(pk, "Identitas", "B9", typed)
    report = api.validate([pk])
    found = [i for i in report.issues if i.code == "acting-prefix-in-name"]
    assert [(i.location.sheet, i.location.cell) for i in found] == [("Identitas", "B9")]
    assert f"diawali '{prefix}'" in found[0].message and f"'{prefix} Kepala Subbagian ...'" in found[0].message
    assert report.valid  # a warning: the PK is still signed as typed


def test_a_name_that_only_starts_like_a_prefix_is_no_finding(example):
    pk = example / "PK_10_Eselon_IV_Perencanaan_Data_dan_Informasi.xlsx"
    edit(pk, "Identitas", "B9", "PLTO SIMANJUNTAK")
    assert "acting-prefix-in-name" not in {i.code for i in api.validate([pk]).issues}
