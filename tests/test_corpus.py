"""The corpus of bad inputs: each gives its code and exit code, never a traceback, never a changed input."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE, sha256

from kinerja_xl.cli import app  # noqa: E402

runner = CliRunner()


@pytest.fixture(scope="session")
def corpus(bad_corpus):
    return bad_corpus


def _cases():
    # The names are fixed by make_corpus; listing them here keeps one test per file in the report.
    return [
        "csv_diganti_nama.xlsx", "pdf_diganti_nama.xlsx", "kosong.xlsx", "terpotong.xlsx", "sampah_biner.xlsx",
        "zip_tanpa_workbook.xlsx", "xml_rusak.xlsx", "excel_lama.xls", "berkata_sandi.xlsx", "bom_zip.xlsx",
        "xml_dtd.xlsx", "dari_aplikasi_lain.xlsx", "versi_lebih_baru.xlsx", "versi_lama.xlsx", "tanpa_penanda.xlsx",
        "lembar_hilang.xlsx", "lembar_ganti_nama.xlsx", "judul_kolom_diganti.xlsx", "judul_kolom_bergeser.xlsx",
        "label_identitas_hilang.xlsx", "sel_gabungan.xlsx", "baris_tersembunyi.xlsx", "teks_sangat_panjang.xlsx",
        "nama_emoji_unicode.xlsx", "tanggal_1899.xlsx", "tanggal_teks_bebas.xlsx", "nip_sebagai_angka.xlsx",
        "nip_17_digit.xlsx", "target_teks.xlsx", "target_rentang_terbalik.xlsx", "anggaran_negatif.xlsx",
        "galat_rumus.xlsx", "rumus_belum_dihitung.xlsx", "bermakro.xlsm", "rkt_10000_baris.xlsx",
    ]


def test_corpus_is_complete(corpus):
    _, cases = corpus
    assert sorted(cases) == sorted(_cases())
    assert len(cases) >= 30
    assert len({c.code for c in cases.values() if c.code}) >= 25  # distinct codes among them


@pytest.mark.parametrize("name", _cases())
def test_validate(corpus, name):
    folder, cases = corpus
    case, path = cases[name], folder / name
    before = sha256(path)
    result = runner.invoke(app, ["validate", str(path), "--format", "json"])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == case.exit, result.output
    codes = [i["code"] for i in json.loads(result.stdout)["issues"]]
    if case.code is None:
        assert [c for c in codes if c != "file-skipped"] == []
    else:
        assert case.code in codes
        assert len(set(codes)) <= 2, codes  # the defect, not a cascade of follow-on noise
    assert sha256(path) == before


@pytest.mark.parametrize("name", _cases())
def test_check_and_build_in_a_set(corpus, name, tmp_path):
    """The bad file among a satker's good ones: every command answers, nothing is half-written."""
    folder, cases = corpus
    case = cases[name]
    satker = tmp_path / "satker"
    shutil.copytree(EXAMPLE, satker, ignore=shutil.ignore_patterns("*.py", "*.md"))
    shutil.copyfile(folder / name, satker / f"zz_{name}")
    before = {p.name: sha256(p) for p in satker.iterdir()}
    checked = runner.invoke(app, ["check", str(satker), "--format", "json"])
    assert checked.exception is None or isinstance(checked.exception, SystemExit), checked.exception
    assert checked.exit_code in (0, 1, 2)
    if case.exit == 2:
        assert checked.exit_code == 2
        out = tmp_path / "hasil"
        built = runner.invoke(app, ["build", str(satker), "-o", str(out)])
        assert built.exit_code == 2 and not out.exists()
    assert {p.name: sha256(p) for p in satker.iterdir()} == before
