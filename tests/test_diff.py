"""``kinerja-xl diff OLD NEW`` (issue 11.4): what a revised PK changes, cell by cell, read back as JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from conftest import EXAMPLE, edit
from probe import run

from kinerja_xl import spec

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


# --- template version 3: the PK Perubahan of the example, the new columns and sheets, the Renstra ---------------

PK10_REVISED = "PK_10_Eselon_IV_Perencanaan_Data_dan_Informasi_Perubahan_1.xlsx"


def _field(key: str) -> str:
    f = spec.PK_FORM.field(key)
    return f"Identitas: {f.label}" + {"pp_nama": " (Pihak Pertama)", "pp_nip": " (Pihak Pertama)",
                                      "tanggal": " (Penandatanganan)"}.get(key, "")


def _column(table, key: str, kode: str) -> str:
    return f"{table.name}: {table.column(key).header} {kode}"


def _where(table, key: str, row: int) -> str:
    return f"{get_column_letter([c.key for c in table.columns].index(key) + 1)}{row}"


def test_the_pk_perubahan_of_the_example_lists_the_new_official_the_revision_and_the_later_quarters():
    """PK_10 and its PK Perubahan: the definitive official from 1 July (no longer Plt.), the revision fields,
    and the TW III/IV reported in the revision only (the earlier PK stopped at TW II)."""
    old, new = EXAMPLE / PK10, EXAMPLE / PK10_REVISED
    found = changes(old, new, 1)
    got = [(c["what"], c["old_location"]["cell"], c["new_location"]["cell"], c["old"], c["new"]) for c in found]
    form = [(_field(k), f"B{spec.PK_FORM.field(k).row}") for k in
            ("pp_nama", "pp_nip", "tanggal", "pp_status", "revisi", "berlaku", "alasan", "sebelumnya")]
    mon, spent = spec.PK_MONITORING, spec.PK_MONITORING_ANGGARAN
    quarters = [(_column(mon, f"tw{n}", kode), _where(mon, f"tw{n}", row))
                for kode, row in (("IK-E3.1", 4), ("IK-E3.2", 5)) for n in (3, 4)]  # row by row
    quarters += [(_column(spent, f"realisasi_tw{n}", "KEG-07"), _where(spent, f"realisasi_tw{n}", 4)) for n in (3, 4)]
    assert [(what, a) for what, a, b, *_ in got] == form + quarters
    assert all(a == b for _, a, b, *_ in got)  # both cells named: the same place in both workbooks
    values = {what: (before, after) for what, _, _, before, after in got}
    assert values[_field("pp_nama")] == ("EKLIN BERLINA", "RIZKY ANDRIANSYAH")
    assert values[_field("pp_status")] == ("Plt.", "")
    assert values[_field("revisi")] == ("0", "1")
    assert values[_field("berlaku")] == ("", "1 Juli 2022")
    assert values[_field("sebelumnya")] == ("", PK10)
    assert values[_column(mon, "tw4", "IK-E3.1")] == ("", "96,69%")
    assert values[_column(mon, "tw3", "IK-E3.2")] == ("", "90%")
    assert values[_column(spent, "realisasi_tw4", "KEG-07")][0] == ""
    r = run(["diff", old, new], inputs=[old, new])
    assert r.code == 1 and f"{len(found)} perubahan" in r.stdout


def test_the_rencana_aksi_and_monitoring_columns_are_compared(versions):
    old, new = versions
    ind, ang, mon = spec.PK_INDIKATOR, spec.PK_ANGGARAN, spec.PK_MONITORING
    edit(new, ind.name, _where(ind, "agregasi", 4), "kumulatif")
    edit(new, ind.name, _where(ind, "target_tw2", 4), 0.5, number_format="0%")
    edit(new, ang.name, _where(ang, "rencana_tw3", 4), 4_000_000)
    edit(new, mon.name, _where(mon, "kendala_tw1", 5), "Jaringan terganggu")
    edit(new, "Identitas", f"B{spec.PK_FORM.field('pk_status').row}", "Plh.")
    found = changes(old, new, 1)
    assert [(c["what"], c["old"], c["new"], c["new_location"]["cell"]) for c in found] == [
        ("Identitas: Status Pihak Kedua", "", "Plh.", "B24"),
        (_column(ind, "agregasi", "IK-E3.1"), "triwulan terakhir", "kumulatif", _where(ind, "agregasi", 4)),
        (_column(ind, "target_tw2", "IK-E3.1"), "45%", "50%", _where(ind, "target_tw2", 4)),
        (_column(ang, "rencana_tw3", "KEG-07"), "3.511.250", "4.000.000", _where(ang, "rencana_tw3", 4)),
        (_column(mon, "kendala_tw1", "IK-E3.2"), "", "Jaringan terganggu", _where(mon, "kendala_tw1", 5)),
    ]


def test_the_iku_column_of_the_rkt_is_compared(tmp_path):
    old, new = tmp_path / "lama.xlsx", tmp_path / "baru.xlsx"
    shutil.copyfile(EXAMPLE / "RKT.xlsx", old)
    shutil.copyfile(EXAMPLE / "RKT.xlsx", new)
    edit(new, "RKT", _where(spec.RKT_TABLE, "iku", 4), "tidak")
    edit(new, "Identitas", "B4", 2023)
    found = changes(old, new, 1)
    assert [(c["what"], c["old"], c["new"]) for c in found] == [
        ("Identitas: Tahun", "2022", "2023"),  # a year, not 2.022
        ("RKT: IKU IK-K.1 / KEG-01", "ya", "tidak")]


def test_two_versions_of_the_renstra_are_compared_on_both_sheets(tmp_path):
    old, new = tmp_path / "lama" / "Renstra.xlsx", tmp_path / "baru" / "Renstra.xlsx"
    for p in (old, new):
        p.parent.mkdir()
        shutil.copyfile(EXAMPLE / "Renstra.xlsx", p)
    table, manual = spec.RENSTRA_TABLE, spec.MANUAL_IKU
    edit(new, "Identitas", f"B{spec.RENSTRA_FORM.field('penetapan').row}", "Keputusan KPU Nomor 1 Tahun 2022")
    edit(new, table.name, _where(table, "target_4", 6), 0.93, number_format="0%")  # IK-K.3
    edit(new, manual.name, _where(manual, "sumber_data", 5), "Sidalih")
    found = changes(old, new, 1)
    assert [(c["what"], c["new"], c["old_location"]["cell"], c["new_location"]["cell"]) for c in found] == [
        ("Identitas: Dasar Penetapan", "Keputusan KPU Nomor 1 Tahun 2022", "B6", "B6"),
        ("Renstra: Target Tahun ke-4 IK-K.3", "93%", _where(table, "target_4", 6), _where(table, "target_4", 6)),
        ("Manual IKU: Sumber Data IK-K.2", "Sidalih", _where(manual, "sumber_data", 5),
         _where(manual, "sumber_data", 5)),
    ]
    assert found[1]["old"] == "92%"
    r = run(["diff", old, EXAMPLE / PK10], inputs=[old, EXAMPLE / PK10])
    assert r.code == 2 and "harus sejenis" in r.output
