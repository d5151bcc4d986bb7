"""``template set --dari FOLDER_2022 --tahun 2023`` (issue 11.5): next year's set, prefilled from this year's.

Read back cell by cell: what is carried equals the 2022 cells, what must be decided again is empty, the
Renstra target of 2023 is proposed as the target of each IKU, and ``validate`` of the new set finds only
the cells still to fill.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pytest

from conftest import EXAMPLE
from probe import run

from kinerja_xl import api, spec
from kinerja_xl.checks.capaian import annual_realisasi

# What validate says of the new set, and only that: an empty target, budget or signing date of a PK
# (required-missing); a date of the RKT or Realisasi left to its default (field-default); each PK's
# Rencana Aksi still to plan (rencana-aksi-empty, one per PK).
TO_FILL = {"required-missing", "field-default", "rencana-aksi-empty"}
PK10 = "PK_10_Eselon_IV_Perencanaan_Data_dan_Informasi.xlsx"
PK10_REVISED = "PK_10_Eselon_IV_Perencanaan_Data_dan_Informasi_Perubahan_1.xlsx"
REVISION_FIELDS = ("revisi", "berlaku", "alasan", "sebelumnya")
RE_DECIDED = {"target", "target_tw1", "target_tw2", "target_tw3", "target_tw4",  # Indikator (target: unless IKU)
              "jumlah", "rencana_tw1", "rencana_tw2", "rencana_tw3", "rencana_tw4"}  # Anggaran


def _source_of(name: str) -> Path:
    """The 2022 PK a 2023 PK is carried from: the version in force (PK_10: its PK Perubahan)."""
    return EXAMPLE / (PK10_REVISED if name == PK10 else name)


def _renstra_target(kode: str, year: int = 4):
    """(value, number format) of the Renstra's Target Tahun ke-<year> cell of ``kode`` (None: not an IKU)."""
    ws = _sheet(EXAMPLE / "Renstra.xlsx", spec.RENSTRA_TABLE.name)
    keys = [c.key for c in spec.RENSTRA_TABLE.columns]
    for r in range(spec.RENSTRA_TABLE.first_data_row, ws.max_row + 1):
        if ws.cell(r, keys.index("kode") + 1).value == kode:
            cell = ws.cell(r, keys.index(f"target_{year}") + 1)
            return cell.value, cell.number_format
    return None


@pytest.fixture(scope="module")
def next_set(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("tahun") / "isian_2023"
    r = run(["template", "set", "--dari", EXAMPLE, "-o", out], inputs=[EXAMPLE])
    assert r.code == 0, r.output
    said = " ".join(r.stdout.split())
    assert "14 buku kerja 2023 ditulis" in said
    assert "6 target diusulkan dari Renstra (Target Tahun ke-4, 2023; periksa)" in said  # PK Ketua and RKT
    assert "lembar Monitoring (setiap triwulan)" in said and "target triwulan (Rencana Aksi)" in said
    assert "PK Perubahan ke-1 (" + PK10_REVISED + "), versi yang berlaku" in said
    return out


def _sheet(path: Path, name: str):
    return openpyxl.load_workbook(path, data_only=True)[name]


def test_the_new_set_validates_with_only_cells_to_fill(next_set):
    r = run(["validate", next_set, "--format", "json"], inputs=[next_set])
    found = json.loads(r.stdout)
    assert r.code == 1
    assert {i["code"] for i in found["issues"]} == TO_FILL, {i["code"] for i in found["issues"]}
    missing = {(Path(i["location"]["file"]).name, i["location"]["sheet"], i["location"]["cell"][0])
               for i in found["issues"] if i["code"] == "required-missing"}
    # every target not proposed by the Renstra, every budget, every PK date: each named at its column
    assert ("PK_07_Sekretaris.xlsx", "Indikator", "F") in missing
    assert ("PK_01_Ketua.xlsx", "Indikator", "F") not in missing  # the Ketua's IKU: targets from the Renstra
    assert ("PK_01_Ketua.xlsx", "Anggaran", "C") in missing
    assert ("PK_07_Sekretaris.xlsx", "Identitas", "B") in missing
    assert ("Realisasi.xlsx", "Realisasi Anggaran", "C") in missing
    unplanned = sorted(Path(i["location"]["file"]).name for i in found["issues"] if i["code"] == "rencana-aksi-empty")
    assert unplanned == sorted(p.name for p in next_set.glob("PK_*.xlsx"))  # each PK: its Rencana Aksi to plan
    defaults = {(Path(i["location"]["file"]).name, i["location"]["cell"]) for i in found["issues"]
                if i["code"] == "field-default"}
    assert defaults == {("RKT.xlsx", "B8"), ("Realisasi.xlsx", "B8"), ("Realisasi.xlsx", "B9")}
    assert all(year == 2023 for year in _years(next_set) if year is not None)


def _years(folder: Path) -> list[int]:
    return [_sheet(p, "Identitas")["B4"].value for p in sorted(folder.glob("*.xlsx")) if p.name != "Renstra.xlsx"]


def test_only_the_pk_in_force_of_each_post_is_carried_under_the_plain_name(next_set):
    names = sorted(p.name for p in next_set.glob("*.xlsx"))
    assert PK10 in names and not [n for n in names if "Perubahan" in n]
    assert len([n for n in names if n.startswith("PK_")]) == 11
    ident = _sheet(next_set / PK10, "Identitas")
    assert ident[f"B{spec.PK_FORM.field('pp_nama').row}"].value == "RIZKY ANDRIANSYAH"  # the revision's official
    for key in REVISION_FIELDS:  # next year's PK is a first PK again
        assert ident.cell(spec.PK_FORM.field(key).row, 2).value is None, key
    new, _ = api.load_set(next_set)
    assert not new.superseded and all(pk.revisi == 0 for pk in new.pks)


def test_carried_values_equal_the_2022_cells(next_set):
    news = sorted(next_set.glob("PK_*.xlsx"))
    assert len(news) == 11
    for new in news:
        old = _source_of(new.name)
        a, b = _sheet(old, "Identitas"), _sheet(new, "Identitas")
        for f in spec.PK_FORM.fields:
            if f.key in ("tahun", "tanggal", *REVISION_FIELDS):
                assert f.key == "tahun" or b.cell(f.row, 2).value is None, (new.name, f.key)
                continue
            assert b.cell(f.row, 2).value == a.cell(f.row, 2).value, (new.name, f.key)  # pp_status too
        assert b["B20"].value is None  # the signing date is decided again
        for table in (spec.PK_INDIKATOR, spec.PK_ANGGARAN):
            a, b = _sheet(old, table.name), _sheet(new, table.name)
            keys = [c.key for c in table.columns]
            for r in range(table.first_data_row, table.first_data_row + 10):
                for c, col in enumerate(table.columns, start=1):
                    got = b.cell(r, c).value
                    if col.key == "target" and a.cell(r, keys.index("kode") + 1).value is not None:
                        iku = _renstra_target(a.cell(r, keys.index("kode") + 1).value)
                        assert got == (iku[0] if iku else None), (new.name, r)  # the Renstra's 2023, or empty
                    elif col.key in RE_DECIDED:
                        assert got is None, (new.name, table.name, r, col.key)
                    else:
                        assert got == a.cell(r, c).value, (new.name, table.name, r, col.key)
        for table in (spec.PK_MONITORING, spec.PK_MONITORING_ANGGARAN):  # reported again each quarter
            ws = _sheet(new, table.name)
            assert table is spec.PK_MONITORING_ANGGARAN or _sheet(old, table.name)["A4"].value is not None
            assert all(cell.value is None for row in ws.iter_rows(min_row=table.first_data_row) for cell in row), \
                (new.name, table.name)


def test_the_renstra_target_of_2023_is_proposed_for_each_iku(next_set):
    value, number_format = _renstra_target("IK-K.3")  # Target Tahun ke-4 of the Renstra 2020-2024
    assert value == pytest.approx(0.92)
    ketua = _sheet(next_set / "PK_01_Ketua.xlsx", spec.PK_INDIKATOR.name)
    row = next(r for r in range(4, 20) if ketua[f"C{r}"].value == "IK-K.3")
    assert (ketua[f"F{row}"].value, ketua[f"F{row}"].number_format) == (value, number_format)
    new, _ = api.load_set(next_set)
    assert next(i for i in new.pks[0].indikator if i.kode == "IK-K.3").target.value == pytest.approx(92.0)
    rkt = {r.indikator.kode: r for r in new.rkt.rows}
    assert rkt["IK-K.3"].indikator.target.value == pytest.approx(92.0)
    assert rkt["IK-S.3"].indikator.target is None and rkt["IK-S.3"].iku is False  # not an IKU: left to fill
    assert all(r.indikator.target is not None for r in new.rkt.rows if r.iku)
    # a cascaded copy of an IKU (another kode) is not the Renstra's: its target stays empty
    assert all(i.target is None for pk in new.pks[1:] for i in pk.indikator)


def test_the_renstra_is_copied_as_it_is(next_set):
    old, new = EXAMPLE / "Renstra.xlsx", next_set / "Renstra.xlsx"
    for sheet in (spec.RENSTRA_FORM.name, spec.RENSTRA_TABLE.name, spec.MANUAL_IKU.name):
        a, b = _sheet(old, sheet), _sheet(new, sheet)
        cells = [(c.coordinate, c.value, c.number_format) for row in a.iter_rows() for c in row if c.value is not None]
        assert len(cells) > 10
        for where, value, number_format in cells:
            assert b[where].value == value, (sheet, where)
            if sheet != spec.RENSTRA_FORM.name:  # the form's formats are the template's own
                assert b[where].number_format == number_format, (sheet, where)
    renstra = api.load_set(next_set)[0].renstra
    assert (renstra.periode_awal, renstra.periode_akhir, len(renstra.indikator), len(renstra.manual)) == (2020, 2024, 6, 6)


def test_the_renstra_gets_the_realisasi_of_the_year_just_ended(next_set):
    """Realisasi Tahun ke-3 (2022) of each IKU, empty in the 2022 Renstra, is the 2022 Realisasi's annual
    value: for these "triwulan terakhir" indicators the TW IV cell (column J), as a percent cell."""
    real = _sheet(EXAMPLE / "Realisasi.xlsx", spec.REALISASI_INDIKATOR.name)
    tw4 = {real[f"A{r}"].value: real[f"J{r}"].value for r in range(spec.REALISASI_INDIKATOR.first_data_row, real.max_row + 1)
           if real[f"A{r}"].value}
    old, new = _sheet(EXAMPLE / "Renstra.xlsx", spec.RENSTRA_TABLE.name), _sheet(next_set / "Renstra.xlsx",
                                                                                spec.RENSTRA_TABLE.name)
    rows = range(spec.RENSTRA_TABLE.first_data_row, old.max_row + 1)
    assert [old[f"O{r}"].value for r in rows if old[f"C{r}"].value] == [None] * 6  # not typed in 2022's Renstra
    got = {new[f"C{r}"].value: new[f"O{r}"].value for r in rows if new[f"C{r}"].value}
    assert got == {kode: tw4[kode] for kode in got} and len(got) == 6
    assert got["IK-K.6"] == 0.85 and new["O9"].number_format.endswith("%")


def test_a_renstra_realisasi_already_typed_is_kept(tmp_path):
    source = tmp_path / "isian_2022"
    shutil.copytree(EXAMPLE, source, ignore=shutil.ignore_patterns("*.py", "*.md"))
    wb = openpyxl.load_workbook(source / "Renstra.xlsx")
    wb[spec.RENSTRA_TABLE.name]["O6"] = 0.91  # IK-K.3, 2022, typed by the planner (the Realisasi says 92%)
    wb[spec.RENSTRA_TABLE.name]["O6"].number_format = "0%"
    wb.save(source / "Renstra.xlsx")
    out = tmp_path / "isian_2023"
    r = run(["template", "set", "--dari", source, "-o", out], inputs=[source])
    assert r.code == 0, r.output
    said = " ".join(r.stdout.split())
    assert "5 realisasi 2022 dari Realisasi 2022 ke Realisasi Tahun ke-3 Renstra" in said
    assert "bila sudah diukur" not in said  # the sixth is typed already: nothing left to fill
    new = _sheet(out / "Renstra.xlsx", spec.RENSTRA_TABLE.name)
    assert new["O6"].value == 0.91 and new["O7"].value == 0.95


def test_a_year_after_the_renstra_period_proposes_no_target(tmp_path):
    out = tmp_path / "isian_2025"
    r = run(["template", "set", "--dari", EXAMPLE, "--tahun", "2025", "-o", out], inputs=[EXAMPLE])
    assert r.code == 0, r.output
    said = " ".join(r.stdout.split())
    assert "diusulkan dari Renstra" not in said and "Renstra baru: tahun 2025 di luar periode 2020-2024" in said
    new, _ = api.load_set(out)
    assert all(i.target is None for pk in new.pks for i in pk.indikator)
    assert new.renstra.periode_akhir == 2024


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
