"""``template set --dari FOLDER_2022 --tahun 2023`` (issue 11.5): next year's set, prefilled from this year's.

Read back cell by cell: what is carried equals the 2022 cells, what must be decided again is empty, and
``validate`` of the new set finds only the cells still to fill.
"""

from __future__ import annotations

import json
from pathlib import Path

import openpyxl
import pytest

from conftest import EXAMPLE
from probe import run

from kinerja_xl import api, spec
from kinerja_xl.checks.capaian import annual_realisasi

TO_FILL = {"required-missing", "field-default"}  # an empty target, budget or date; a signing date left to default


@pytest.fixture(scope="module")
def next_set(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tahun") / "isian_2023"
    r = run(["template", "set", "--dari", EXAMPLE, "-o", out], inputs=[EXAMPLE])
    assert r.code == 0, r.output
    assert "13 buku kerja 2023 ditulis" in r.stdout
    return out


def _sheet(path: Path, name: str):
    return openpyxl.load_workbook(path, data_only=True)[name]


def test_the_new_set_validates_with_only_cells_to_fill(next_set):
    r = run(["validate", next_set, "--format", "json"], inputs=[next_set])
    found = json.loads(r.stdout)
    assert r.code == 1
    assert {i["code"] for i in found["issues"]} <= TO_FILL
    missing = {(Path(i["location"]["file"]).name, i["location"]["sheet"], i["location"]["cell"][0])
               for i in found["issues"] if i["code"] == "required-missing"}
    # every target, every budget, every PK date: each named at its column
    assert ("PK_01_Ketua.xlsx", "Indikator", "F") in missing
    assert ("PK_01_Ketua.xlsx", "Anggaran", "C") in missing
    assert ("PK_07_Sekretaris.xlsx", "Identitas", "B") in missing
    assert ("Realisasi.xlsx", "Realisasi Anggaran", "C") in missing
    assert all(year == 2023 for year in _years(next_set))


def _years(folder: Path) -> list[int]:
    return [_sheet(p, "Identitas")["B4"].value for p in sorted(folder.glob("*.xlsx"))]


def test_carried_values_equal_the_2022_cells(next_set):
    for old in sorted(EXAMPLE.glob("PK_*.xlsx")):
        new = next_set / old.name
        a, b = _sheet(old, "Identitas"), _sheet(new, "Identitas")
        for f in spec.PK_FORM.fields:
            if f.key in ("tahun", "tanggal"):
                continue
            assert b.cell(f.row, 2).value == a.cell(f.row, 2).value, (old.name, f.key)
        assert b["B20"].value is None  # the signing date is decided again
        for table, empty in ((spec.PK_INDIKATOR, {"target"}), (spec.PK_ANGGARAN, {"jumlah"})):
            a, b = _sheet(old, table.name), _sheet(new, table.name)
            for r in range(table.first_data_row, table.first_data_row + 10):
                for c, col in enumerate(table.columns, start=1):
                    if col.key in empty:
                        assert b.cell(r, c).value is None, (old.name, table.name, r, col.key)
                    else:
                        assert b.cell(r, c).value == a.cell(r, c).value, (old.name, table.name, r, col.key)


def test_this_years_realisasi_becomes_realisasi_tahun_lalu(next_set):
    kset, _ = api.load_set(EXAMPLE)
    new, _ = api.load_set(next_set)
    assert new.realisasi.tahun == 2023
    carried = {ri.kode: ri.tahun_lalu for ri in new.realisasi.indikator}
    expected = {ri.kode: annual_realisasi(ri) for ri in kset.realisasi.indikator}
    assert carried.keys() == expected.keys()
    for kode, value in expected.items():
        assert carried[kode] == pytest.approx(value, abs=1e-9), kode
    assert all(ri.target is None and ri.triwulan == (None,) * 4 for ri in new.realisasi.indikator)
    assert new.realisasi.narasi.get("latar_belakang") == kset.realisasi.narasi["latar_belakang"]
    assert not new.realisasi.narasi.get("kata_pengantar")  # speaks of 2022: written again


def test_the_source_folder_is_never_written(tmp_path):
    import shutil

    src = tmp_path / "isian_2022"
    shutil.copytree(EXAMPLE, src, ignore=shutil.ignore_patterns("*.py", "*.md"))
    r = run(["template", "set", "--dari", src, "-o", src], inputs=[src])
    assert r.code == 2 and "PK_01_Ketua.xlsx" in r.output and "Tidak ada" in r.output


def test_a_year_not_after_the_source_is_refused(tmp_path):
    r = run(["template", "set", "--dari", EXAMPLE, "--tahun", "2022", "-o", tmp_path / "x"], inputs=[EXAMPLE])
    assert r.code == 2 and "harus sesudah tahun buku kerja sumber (2022)" in r.output
    assert not (tmp_path / "x").exists()


def test_existing_files_are_kept_unless_timpa(next_set):
    r = run(["template", "set", "--dari", EXAMPLE, "-o", next_set], inputs=[EXAMPLE, next_set])
    assert r.code == 2 and "--timpa" in r.output


def test_a_source_with_an_unreadable_workbook_is_refused(tmp_path):
    import shutil

    src = tmp_path / "isian_2022"
    shutil.copytree(EXAMPLE, src, ignore=shutil.ignore_patterns("*.py", "*.md"))
    (src / "PK_07_Sekretaris.xlsx").write_bytes(b"PK\x03\x04 rusak")
    out = tmp_path / "isian_2023"
    r = run(["template", "set", "--dari", src, "-o", out], inputs=[src])
    assert r.code == 2 and "PK_07_Sekretaris.xlsx" in r.output and "tidak terbaca" in r.output
    assert not out.exists()  # nothing half-written
