"""``kinerja-xl diff OLD NEW`` (issue 11.4): what a revised PK changes, cell by cell, read back as JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import EXAMPLE, edit
from probe import run

PK10 = "PK_10_Eselon_IV_Perencanaan_Data_dan_Informasi.xlsx"


@pytest.fixture
def versions(tmp_path: Path) -> tuple[Path, Path]:
    old, new = tmp_path / "lama" / PK10, tmp_path / "baru" / PK10
    for p in (old, new):
        p.parent.mkdir()
        shutil.copyfile(EXAMPLE / PK10, p)
    return old, new


def changes(old: Path, new: Path, code: int) -> list[dict]:
    r = run(["diff", old, new, "--format", "json"], inputs=[old, new])
    assert r.code == code, r.output
    return json.loads(r.stdout)["changes"]


def test_the_same_workbook_has_no_change(versions):
    old, new = versions
    assert changes(old, new, 0) == []
    r = run(["diff", old, new], inputs=[old, new])
    assert r.code == 0 and "Tidak ada perubahan" in r.stdout


def test_a_new_official_a_target_and_a_budget_are_listed_with_both_cells(versions):
    old, new = versions
    edit(new, "Identitas", "B9", "RINA MARLINA")
    edit(new, "Indikator", "F4", 0.95, number_format="0%")
    edit(new, "Anggaran", "C4", 15_000_000)
    found = changes(old, new, 1)
    assert [(c["what"], c["old"], c["new"], c["old_location"]["cell"], c["new_location"]["cell"]) for c in found] == [
        ("Identitas: Nama (Pihak Pertama)", "EKLIN BERLINA", "RINA MARLINA", "B9", "B9"),
        ("Indikator: Target IK-E3.1", "90%", "95%", "F4", "F4"),
        ("Anggaran: Anggaran (Rp) KEG-07", "14.045.000", "15.000.000", "C4", "C4"),
    ]
    r = run(["diff", old, new], inputs=[old, new])
    assert r.code == 1 and "3 perubahan" in r.stdout and "RINA MARLINA" in r.stdout


def test_a_value_typed_another_way_is_no_change(versions):
    old, new = versions
    edit(new, "Indikator", "F4", "90%")  # was 0.9 in a percent cell
    edit(new, "Identitas", "B9", "  Eklin   Berlina ")  # spaces and letter case
    assert changes(old, new, 0) == []


def test_rows_are_matched_by_code_not_by_position(versions):
    old, new = versions
    wb = openpyxl.load_workbook(new)
    ws = wb["Indikator"]
    ws.insert_rows(4)  # a new indicator above the others
    for col, value in zip("ABCDEFGHI", ("SK-9", "Sasaran baru", "IK-E3.9", "Indikator baru", "%", 0.8,
                                          "positif", "IK-S.3", "langsung")):
        ws[f"{col}4"] = value
    wb.save(new)
    found = changes(old, new, 1)
    assert [(c["change"], c["what"], c["new_location"]["cell"]) for c in found] == [
        ("ditambah", "Indikator: baris IK-E3.9", "A4")]


def test_a_removed_row_points_at_the_old_cell(versions):
    old, new = versions
    wb = openpyxl.load_workbook(new)
    wb["Anggaran"].delete_rows(4)
    wb.save(new)
    found = changes(old, new, 1)
    assert [(c["change"], c["what"], c["old_location"]["cell"], c["new_location"]) for c in found] == [
        ("dihapus", "Anggaran: baris KEG-07", "A4", None)]


def test_a_pk_and_an_rkt_are_not_compared(versions):
    old, _ = versions
    rkt = EXAMPLE / "RKT.xlsx"
    r = run(["diff", old, rkt], inputs=[old, rkt])
    assert r.code == 2 and "harus sejenis" in r.output


def test_a_missing_file_is_a_clear_message(versions, tmp_path):
    old, _ = versions
    r = run(["diff", old, tmp_path / "tidak_ada.xlsx"], inputs=[old])
    assert r.code == 2 and "tidak ditemukan" in r.output


def test_a_damaged_workbook_is_named_not_a_traceback(versions, tmp_path):
    old, _ = versions
    bad = tmp_path / "rusak.xlsx"
    bad.write_bytes(b"PK\x03\x04 bukan zip yang utuh")
    r = run(["diff", old, bad], inputs=[old, bad])
    assert r.code == 2 and "rusak.xlsx tidak dapat dibaca" in r.output
