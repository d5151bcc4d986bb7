"""Issue 12, items 10, 11 and 14: what a user sees for an .ods, for a path without workbooks, and in help."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE, soffice
from probe import run

from kinerja_xl.cli import app

runner = CliRunner()
SEKRETARIS = "PK_07_Sekretaris.xlsx"


@pytest.fixture(scope="module")
def ods_set(tmp_path_factory) -> Path:
    """The example with the Sekretaris' PK saved as .ods by LibreOffice, as a user of LibreOffice would."""
    folder = tmp_path_factory.mktemp("ods") / "satker"
    folder.mkdir()
    for f in EXAMPLE.glob("*.xlsx"):
        shutil.copy2(f, folder / f.name)
    profile = folder.parent / "profil"
    subprocess.run([soffice(), "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
                    "--convert-to", "ods", "--outdir", str(folder), str(folder / SEKRETARIS)],
                   check=True, capture_output=True, timeout=180)
    (folder / SEKRETARIS).unlink()
    return folder


def _codes(stdout: str) -> list[str]:
    return [i["code"] for i in json.loads(stdout)["issues"]]


def test_ods_named_alone(ods_set: Path):
    result = run(["validate", str(ods_set / "PK_07_Sekretaris.ods"), "--format", "json"], inputs=[ods_set])
    assert result.code == 2
    issues = json.loads(result.stdout)["issues"]
    assert [i["code"] for i in issues] == ["file-ods"]
    assert "Simpan Sebagai" in issues[0]["message"] and ".xlsx" in issues[0]["message"]
    assert "?" not in issues[0]["message"]


def test_ods_in_a_folder_is_present_not_missing(ods_set: Path):
    result = run(["check", str(ods_set), "--format", "json"], inputs=[ods_set])
    assert result.code == 2
    codes = _codes(result.stdout)
    assert "file-ods" in codes
    assert "workbook-missing" not in codes and "file-skipped" not in codes


@pytest.mark.parametrize("shape", ["kosong", "folder_bernama_xlsx", "hanya_berkas_kunci", "kunci_libreoffice"])
@pytest.mark.parametrize("command", ["validate", "check"])
def test_no_workbook_is_exit_2(tmp_path: Path, shape: str, command: str):
    target = tmp_path / "isian"
    target.mkdir()
    if shape == "folder_bernama_xlsx":
        target = tmp_path / "x.xlsx"
        target.mkdir()
    elif shape == "hanya_berkas_kunci":
        (target / "~$PK_01_Ketua.xlsx").write_bytes(b"\x00" * 165)
    elif shape == "kunci_libreoffice":
        (target / ".~lock.PK_01_Ketua.xlsx#").write_text("user,host,...")
    result = run([command, str(target)])
    assert result.code == 2, result.output
    assert "Tidak ada buku kerja" in " ".join(result.stderr.split())


def _commands(typer_app, prefix=()):
    import typer.main

    group = typer.main.get_command(typer_app)
    stack = [(prefix, group)]
    while stack:
        path, cmd = stack.pop()
        yield list(path)
        for name, sub in getattr(cmd, "commands", {}).items():
            stack.append(((*path, name), sub))


ENGLISH = re.compile(r"Show this message|Usage:|\bOptions\b|\bArguments\b|\bCommands\b|\[required\]|\[default:|"
                     r"COMMAND \[ARGS\]|\[OPTIONS\]")


def test_help_is_indonesian_everywhere():
    seen = 0
    for path in _commands(app):
        result = runner.invoke(app, [*path, "--help"], terminal_width=100)
        assert result.exit_code == 0, path
        assert not ENGLISH.search(result.output), (path, ENGLISH.search(result.output).group(0), result.output)
        assert "Tampilkan bantuan ini lalu keluar." in " ".join(result.output.replace("│", " ").split())
        seen += 1
    assert seen >= 12


@pytest.mark.parametrize("argv, indonesian", [
    (["check"], "Argumen 'FOLDER' belum diberikan."),
    (["check", "x", "--format", "xml"], "bukan salah satu dari"),
    (["bogus"], "Perintah 'bogus' tidak dikenal."),
    (["validate", "x", "--tidak-ada"], "Opsi tidak dikenal: --tidak-ada"),
    (["rollup", "x"], "Opsi '--output' / '-o' wajib diisi."),
    (["check", "x", "--workers", "nol"], "harus bilangan bulat"),
    (["check", "x", "--workers", "0"], "harus paling sedikit 1."),
])
def test_usage_errors_are_indonesian(argv, indonesian):
    result = run(argv)
    assert result.code == 2
    text = " ".join(result.stderr.replace("│", " ").split())
    assert indonesian in text, text
    assert not ENGLISH.search(text) and "Missing" not in text and "Invalid" not in text and "Try " not in text


# --- item 12: warnings a careful reviewer would give ---------------------------------------------------
def _copy_satker(folder: Path, tahun: int | None = None) -> Path:
    import openpyxl

    folder.mkdir(parents=True)
    for f in EXAMPLE.glob("*.xlsx"):
        shutil.copy2(f, folder / f.name)
        if tahun is not None:
            wb = openpyxl.load_workbook(folder / f.name)
            for row in wb["Identitas"].iter_rows(min_col=1, max_col=2):
                if row[0].value == "Tahun":
                    row[1].value = tahun
            wb.save(folder / f.name)
    return folder


def test_rollup_of_several_years_warns_and_tahun_keeps_one(tmp_path: Path):
    import openpyxl

    national = tmp_path / "nasional"
    _copy_satker(national / "serang")
    _copy_satker(national / "cilegon", tahun=2021)
    mixed = run(["rollup", str(national), "-o", str(tmp_path / "r.xlsx")], inputs=[national])
    assert mixed.code == 0
    text = " ".join(mixed.stdout.split())
    assert "2022 (1 satker), 2021 (1 satker)" in text and "--tahun 2022" in text
    one = run(["rollup", str(national), "-o", str(tmp_path / "r2022.xlsx"), "--tahun", "2022"], inputs=[national])
    assert one.code == 0 and "bertahun 2021, bukan 2022" in " ".join(one.stdout.split())
    rows = list(openpyxl.load_workbook(tmp_path / "r2022.xlsx")["Ringkasan"].iter_rows(min_row=2, values_only=True))
    assert [r[2] for r in rows] == [str(national / "serang")]


def test_pihak_kedua_differing_only_in_case_is_a_warning(tmp_path: Path):
    from conftest import edit
    from kinerja_xl import api

    folder = _copy_satker(tmp_path / "v")
    edit(folder / SEKRETARIS, "Identitas", "B14", "Ade Jahran")  # the Ketua signs as ADE JAHRAN
    found = {(i.code, Path(i.location.file).name, i.location.cell, Path(i.related.file).name, i.related.cell)
             for i in api.check([folder]).issues if i.code.startswith("pihak-kedua")}
    assert found == {("pihak-kedua-spelling", SEKRETARIS, "B14", "PK_01_Ketua.xlsx", "B9")}


# --- item 10: no message with an unfilled placeholder ------------------------------------------------
def test_every_code_renders_with_its_declared_parameters():
    from kinerja_xl.findings.codes import REGISTRY
    from kinerja_xl.findings.issues import make
    from kinerja_xl.model import CellRef

    for code, kind in REGISTRY.items():
        values = {p: f"<{p}>" for p in kind.params}
        issue = make(code, CellRef("buku.xlsx", "Lembar", "C7"), **values)
        assert issue.message.count("?") == (kind.template + kind.hint).count("?"), (code, issue.message)
        # No placeholder left unfilled; a Word template's message may quote a tag: '{{ x }}', {% for %}.
        assert not re.search(r"\{\w*\}", issue.message), (code, issue.message)
        for value in values.values():
            assert value in issue.message, (code, value, issue.message)


def test_strict_mode_refuses_a_finding_without_its_parameters():
    import os

    from kinerja_xl.findings.issues import MissingParameter, make
    from kinerja_xl.model import CellRef

    assert os.environ.get("KINERJA_XL_STRICT") == "1"  # conftest: every finding of the suite is checked
    with pytest.raises(MissingParameter, match="nip"):
        make("nip-length", CellRef("b.xlsx", "Identitas", "B11"))


def test_one_kode_sasaran_with_two_texts_is_a_warning(tmp_path: Path):
    import openpyxl

    from conftest import edit
    from kinerja_xl import api

    folder = _copy_satker(tmp_path / "v")
    first = openpyxl.load_workbook(folder / SEKRETARIS)["Indikator"]["B4"].value
    edit(folder / SEKRETARIS, "Indikator", "A5", "SS-1")  # row 5 now claims row 4's sasaran, with its own text
    found = [(i.code, i.location.cell, i.related.cell) for i in api.validate([folder / SEKRETARIS]).issues]
    assert found == [("sasaran-text-differs", "B5", "B4")]
    edit(folder / SEKRETARIS, "Indikator", "B5", "  " + first.upper() + " ")
    assert api.validate([folder / SEKRETARIS]).issues == ()  # spaces and letter case: the same text
