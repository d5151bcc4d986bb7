"""The SAKIP-year rules (kinerja_xl.checks.plan): Renstra and Manual IKU, Rencana Aksi, monitoring and PK
revisions. One seeded defect at a time in a copy of the example, reported at its cell(s), nothing else."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import openpyxl
import pytest

from kinerja_xl import api

from conftest import EXAMPLE, ROOT

KETUA = "PK_01_Ketua.xlsx"
KORDIV_DATA = "PK_04_Koordinator_Divisi_Perencanaan_Data_dan_Informasi.xlsx"
SEKRETARIS = "PK_07_Sekretaris.xlsx"
SEKRETARIS_REV = "PK_07_Sekretaris_Perubahan_1.xlsx"
KASUBAG_KEU = "PK_08_Eselon_IV_Keuangan_Umum_dan_Logistik.xlsx"
KASUBAG_TEKNIS = "PK_09_Eselon_IV_Teknis_Penyelenggaraan_Pemilu_dan_Hukum.xlsx"
KASUBAG_DATA = "PK_10_Eselon_IV_Perencanaan_Data_dan_Informasi.xlsx"
KASUBAG_DATA_REV = "PK_10_Eselon_IV_Perencanaan_Data_dan_Informasi_Perubahan_1.xlsx"
RKT, REALISASI, RENSTRA = "RKT.xlsx", "Realisasi.xlsx", "Renstra.xlsx"
V0_2 = ROOT / "tests" / "fixtures" / "set_v0_2"

SAKIP_CODES = {
    "renstra-target-mismatch", "renstra-indicator-unknown", "renstra-year-outside", "renstra-period-invalid",
    "renstra-target-missing", "renstra-realisasi-target-differs", "manual-iku-missing", "manual-iku-unknown", "rencana-aksi-empty",
    "tw-target-incomplete", "tw-agregasi-missing", "tw4-target-mismatch", "tw-target-falls",
    "tw-target-below-parent", "rencana-anggaran-mismatch", "tw-realisasi-gap", "monitoring-kode-unknown",
    "monitoring-anggaran-over", "monitoring-realisasi-differs", "realisasi-derived-differs",
    "revision-superior-mismatch", "revision-chain-broken", "revision-date-order", "revision-reason-missing",
    "revision-previous-unknown",
}
# The new Sekretaris, from 1 July (a PK Perubahan of the Sekretaris' post).
NEW_SEKRETARIS, NEW_NIP = "RINA MARLINA", "197805122003122001"
OLD_SEKRETARIS, OLD_NIP = "HENDRO SULISTYO", "197012102000031001"
PCT = object()  # marks a value typed as a percentage (number format 0%)


def _end(ref):
    return None if ref is None else (Path(ref.file).name, ref.sheet, ref.cell)


def _key(issue):
    return issue.code, _end(issue.location), _end(issue.related)


def _new(folder: Path) -> set:
    """Findings of ``folder`` that the example does not have."""
    base = {_key(i) for i in api.check([EXAMPLE])}
    return {_key(i) for i in api.check([folder])} - base


def _issues(folder: Path, code: str) -> list:
    return [i for i in api.check([folder]) if i.code == code]


def _set(path: Path, sheet: str, cells: dict[str, object]) -> None:
    """Type values into cells as a user would; (value, PCT) types a percentage."""
    wb = openpyxl.load_workbook(path)
    ws = wb[sheet]
    for cell, value in cells.items():
        percent = isinstance(value, tuple) and value[1] is PCT
        ws[cell] = value[0] if percent else value
        if percent:
            ws[cell].number_format = "0%"
        elif isinstance(value, dt.date):
            ws[cell].number_format = "DD/MM/YYYY"
    wb.save(path)


def _pct(x: float) -> tuple:
    return x, PCT


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A copy of the example folder (workbooks only)."""
    target = tmp_path / "contoh"
    shutil.copytree(EXAMPLE, target, ignore=shutil.ignore_patterns("*.py", "*.md"))
    return target


# --- the example and the 0.2 set --------------------------------------------------------------------------
def test_example_has_no_sakip_year_finding():
    report = api.check([EXAMPLE])
    assert {i.code for i in report} == {"self-supervised", "file-skipped"}
    assert not {i.code for i in api.validate([EXAMPLE])} & SAKIP_CODES


def test_v0_2_set_gives_only_its_realisasi_gap():
    """The 0.2 example had IK-K.6 reported from TW III on (TW I and II empty): the one gap the rule finds.
    None of the other SAKIP-year rules speak about a version 2 set (no Rencana Aksi, Monitoring, Renstra)."""
    found = [i for i in api.check([V0_2]) if i.code in SAKIP_CODES]
    assert [_key(i) for i in found] == [
        ("tw-realisasi-gap", (REALISASI, "Realisasi Indikator", "I9"), (REALISASI, "Realisasi Indikator", "H9"))]
    assert "(sel H9)" in found[0].message


# --- Renstra and Manual IKU ---------------------------------------------------------------------------------
def test_rkt_target_differs_from_renstra_target_of_the_year(folder):
    _set(folder / RENSTRA, "Renstra", {"J6": _pct(0.95)})  # IK-K.3 in 2022 (year 3 of 2020-2024)
    assert _new(folder) == {("renstra-target-mismatch", (RKT, "RKT", "F6"), (RENSTRA, "Renstra", "J6"))}
    [issue] = _issues(folder, "renstra-target-mismatch")
    assert "IK-K.3" in issue.message and "2022" in issue.message and "90%" in issue.message and "95%" in issue.message


def test_realisasi_target_renstra_differs_from_the_renstra_workbook(folder, tmp_path):
    _set(folder / REALISASI, "Realisasi Indikator", {"M6": _pct(0.93)})  # IK-K.3; the Renstra's 2024: 95%
    assert _new(folder) == {("renstra-realisasi-target-differs", (REALISASI, "Realisasi Indikator", "M6"),
                             (RENSTRA, "Renstra", "L6"))}
    [issue] = _issues(folder, "renstra-realisasi-target-differs")
    assert "93%" in issue.message and "95%" in issue.message and "2024" in issue.message
    # the documents keep the Renstra workbook's target (one choice: checks.plan.renstra_target)
    kset, _ = api.load_set(folder)
    ri = next(r for r in kset.realisasi.indikator if r.kode == "IK-K.3")
    from kinerja_xl.checks.plan import renstra_target
    from kinerja_xl.render.context import measure
    assert renstra_target(kset.renstra, ri).value == 95.0
    assert next(u for u in measure(kset) if u.ri.kode == "IK-K.3").target_renstra.value == 95.0
    # without the Renstra workbook the typed cell is the target, and nothing is said
    (folder / RENSTRA).unlink()
    assert not _issues(folder, "renstra-realisasi-target-differs")
    kset, _ = api.load_set(folder)
    assert next(u for u in measure(kset) if u.ri.kode == "IK-K.3").target_renstra.value == 93.0


def test_rkt_indicator_repeated_over_kegiatan_is_compared_once(folder):
    _set(folder / RENSTRA, "Renstra", {"J6": _pct(0.95)})
    wb = openpyxl.load_workbook(folder / RKT)
    ws = wb["RKT"]
    for col in "ABCDEFG":  # IK-K.3 again, for a second kegiatan without a budget
        ws[f"{col}12"] = ws[f"{col}6"].value
    ws["F12"].number_format = "0%"
    ws["K12"] = "ya"
    wb.save(folder / RKT)
    assert [_end(i.location) for i in _issues(folder, "renstra-target-mismatch")] == [(RKT, "RKT", "F6")]


def test_rkt_indicator_not_in_renstra_unless_declared_not_iku(folder):
    _set(folder / RKT, "RKT", {"K10": "ya"})  # IK-S.3: the Sekretaris' own indicator, not a Renstra IKU
    assert _new(folder) == {("renstra-indicator-unknown", (RKT, "RKT", "C10"), (RENSTRA, "Renstra", ""))}
    _set(folder / RKT, "RKT", {"K10": None})  # not said either way: an IKU, so it must be in the Renstra
    assert _new(folder) == {("renstra-indicator-unknown", (RKT, "RKT", "C10"), (RENSTRA, "Renstra", ""))}


def test_renstra_target_of_the_year_missing(folder):
    _set(folder / RENSTRA, "Renstra", {"J7": None})  # IK-K.4, 2022
    assert _new(folder) == {("renstra-target-missing", (RENSTRA, "Renstra", "J7"), (RKT, "RKT", "F7"))}


def test_year_outside_the_renstra_period(folder):
    _set(folder / RENSTRA, "Identitas", {"B4": 2015, "B5": 2019})
    assert _new(folder) == {("renstra-year-outside", (RKT, "Identitas", "B4"), (RENSTRA, "Identitas", "B4"))}
    [issue] = _issues(folder, "renstra-year-outside")
    assert "2022" in issue.message and "2015-2019" in issue.message


def test_manual_iku_missing_and_unknown(folder):
    _set(folder / RENSTRA, "Manual IKU", {"A9": "IK-K.9"})  # IK-K.6's row now names an indicator of no Renstra
    assert {i for i in _new(folder)} == {
        ("manual-iku-missing", (RENSTRA, "Renstra", "C9"), None),
        ("manual-iku-unknown", (RENSTRA, "Manual IKU", "A9"), (RENSTRA, "Renstra", "")),
    }
    assert {i.code for i in api.validate([folder / RENSTRA])} == {"manual-iku-missing", "manual-iku-unknown"}


# --- Rencana Aksi: the targets of the quarters --------------------------------------------------------------
def test_tw4_target_differs_from_annual_target(folder):
    _set(folder / KASUBAG_TEKNIS, "Indikator", {"N5": _pct(0.95)})  # triwulan terakhir: TW IV is the year (90%)
    assert _new(folder) == {
        ("tw4-target-mismatch", (KASUBAG_TEKNIS, "Indikator", "N5"), (KASUBAG_TEKNIS, "Indikator", "F5"))}
    [issue] = _issues(folder, "tw4-target-mismatch")
    assert "triwulan terakhir: 95%" in issue.message and "(90%)" in issue.message


def test_cumulative_quarters_add_up_to_the_year(folder):
    # The Ketua's IK-K.1 (100%) planned kumulatif: 25% a quarter is the year; 20% a quarter is not.
    _set(folder / KETUA, "Indikator", {"J4": "kumulatif", "K4": _pct(0.25), "L4": _pct(0.25), "M4": _pct(0.25),
                                       "N4": _pct(0.25)})
    assert _new(folder) == set()
    _set(folder / KETUA, "Indikator", {"N4": _pct(0.2)})
    assert _new(folder) == {("tw4-target-mismatch", (KETUA, "Indikator", "N4"), (KETUA, "Indikator", "F4"))}
    [issue] = _issues(folder, "tw4-target-mismatch")
    assert "kumulatif: 95%" in issue.message


def test_mean_of_quarters_is_the_year(folder):
    # IK-E2.2 (90%) planned rata-rata: 85, 90, 90, 95 is the year (and no quarter below IK-S.6's).
    _set(folder / KASUBAG_TEKNIS, "Indikator", {"J5": "rata-rata", "K5": _pct(0.85), "L5": _pct(0.9),
                                                "M5": _pct(0.9), "N5": _pct(0.95)})
    assert _new(folder) == set()
    _set(folder / KASUBAG_TEKNIS, "Indikator", {"N5": _pct(1.0)})
    assert _new(folder) == {
        ("tw4-target-mismatch", (KASUBAG_TEKNIS, "Indikator", "N5"), (KASUBAG_TEKNIS, "Indikator", "F5"))}
    [issue] = _issues(folder, "tw4-target-mismatch")
    assert "rata-rata: 91,25%" in issue.message


def test_status_target_falls(folder):
    _set(folder / KASUBAG_TEKNIS, "Indikator", {"M5": _pct(0.95)})  # TW III 95%, TW IV 90% (= the year)
    assert _new(folder) == {
        ("tw-target-falls", (KASUBAG_TEKNIS, "Indikator", "N5"), (KASUBAG_TEKNIS, "Indikator", "M5"))}
    [issue] = _issues(folder, "tw-target-falls")
    assert "TW IV (90%)" in issue.message and "TW III (95%)" in issue.message


def test_status_target_of_a_negative_indicator_must_not_rise(folder):
    # IK-E2.2 made negatif (lower is better): its plan 80, 85, 90, 90 now goes the wrong way twice.
    _set(folder / KASUBAG_TEKNIS, "Indikator", {"G5": "negatif"})
    falls = {k for k in _new(folder) if k[0] == "tw-target-falls"}
    assert falls == {
        ("tw-target-falls", (KASUBAG_TEKNIS, "Indikator", "L5"), (KASUBAG_TEKNIS, "Indikator", "K5")),
        ("tw-target-falls", (KASUBAG_TEKNIS, "Indikator", "M5"), (KASUBAG_TEKNIS, "Indikator", "L5")),
    }


def test_incomplete_quarters_and_missing_agregasi(folder):
    _set(folder / KASUBAG_TEKNIS, "Indikator", {"M5": None, "N5": None, "J4": None})
    assert _new(folder) == {
        ("tw-target-incomplete", (KASUBAG_TEKNIS, "Indikator", "M5"), None),
        ("tw-agregasi-missing", (KASUBAG_TEKNIS, "Indikator", "J4"), None),
    }
    [issue] = _issues(folder, "tw-target-incomplete")
    assert "TW I, TW II" in issue.message and "TW III, TW IV kosong" in issue.message
    # A status indicator's TW IV is compared with the year even while an earlier quarter is empty.
    _set(folder / KASUBAG_TEKNIS, "Indikator", {"J4": "triwulan terakhir", "K5": None, "M5": _pct(0.9),
                                                "N5": _pct(0.95)})
    assert _new(folder) == {
        ("tw-target-incomplete", (KASUBAG_TEKNIS, "Indikator", "K5"), None),
        ("tw4-target-mismatch", (KASUBAG_TEKNIS, "Indikator", "N5"), (KASUBAG_TEKNIS, "Indikator", "F5")),
    }


def test_rencana_aksi_empty_is_said_once(folder):
    _set(folder / KASUBAG_TEKNIS, "Indikator", {f"{c}{r}": None for c in "KLMN" for r in (4, 5)})
    assert _new(folder) == {("rencana-aksi-empty", (KASUBAG_TEKNIS, "Indikator", "K4"), None)}
    [issue] = _issues(folder, "rencana-aksi-empty")
    assert "2 indikator" in issue.message


def test_subordinate_quarter_below_parent(folder):
    _set(folder / KASUBAG_TEKNIS, "Indikator", {"L5": _pct(0.8)})  # IK-E2.2 TW II 80% < IK-S.6 TW II 85%
    assert _new(folder) == {
        ("tw-target-below-parent", (KASUBAG_TEKNIS, "Indikator", "L5"), (SEKRETARIS, "Indikator", "L9"))}
    [issue] = _issues(folder, "tw-target-below-parent")
    assert "IK-E2.2 TW II (80%)" in issue.message and "IK-S.6" in issue.message and "(85%)" in issue.message


def test_budget_plan_differs_from_budget(folder):
    _set(folder / KASUBAG_TEKNIS, "Anggaran", {"D4": 42_883_201})
    assert _new(folder) == {
        ("rencana-anggaran-mismatch", (KASUBAG_TEKNIS, "Anggaran", "G4"), (KASUBAG_TEKNIS, "Anggaran", "C4"))}
    _set(folder / KASUBAG_TEKNIS, "Anggaran", {"D4": None})  # a plan still being written: not compared
    assert _new(folder) == set()


# --- monitoring -----------------------------------------------------------------------------------------------
def test_monitoring_quarter_typed_after_an_empty_one(folder):
    _set(folder / KASUBAG_TEKNIS, "Monitoring", {"F5": None})  # IK-E2.2: TW II empty, TW III typed
    assert _new(folder) == {
        ("tw-realisasi-gap", (KASUBAG_TEKNIS, "Monitoring", "I5"), (KASUBAG_TEKNIS, "Monitoring", "F5"))}
    [issue] = _issues(folder, "tw-realisasi-gap")
    assert "TW III" in issue.message and "TW II masih kosong (sel F5)" in issue.message


def test_realisasi_workbook_quarter_typed_after_an_empty_one(folder):
    _set(folder / REALISASI, "Realisasi Indikator", {"H6": None})  # IK-K.3: TW II empty, TW III typed
    assert _new(folder) == {
        ("tw-realisasi-gap", (REALISASI, "Realisasi Indikator", "I6"), (REALISASI, "Realisasi Indikator", "H6"))}
    assert [i.code for i in api.validate([folder / REALISASI])] == ["tw-realisasi-gap"]


def test_monitoring_differs_from_realisasi_workbook(folder):
    _set(folder / KETUA, "Monitoring", {"C6": _pct(0.8)})  # IK-K.3 TW I: 80% here, 85% in Realisasi.xlsx
    assert _new(folder) == {
        ("monitoring-realisasi-differs", (KETUA, "Monitoring", "C6"), (REALISASI, "Realisasi Indikator", "G6"))}
    [issue] = _issues(folder, "monitoring-realisasi-differs")
    assert "(80%)" in issue.message and "(85%)" in issue.message


def test_monitoring_row_of_another_pk_and_budget_overspent(folder):
    _set(folder / KASUBAG_TEKNIS, "Monitoring", {"A6": "IK-E9.9", "C6": _pct(0.5)})
    _set(folder / KASUBAG_TEKNIS, "Monitoring Anggaran", {"F5": 30_000_000})  # KEG-02: 60.537.000 > 48.750.000
    assert _new(folder) == {
        ("monitoring-kode-unknown", (KASUBAG_TEKNIS, "Monitoring", "A6"), None),
        ("monitoring-anggaran-over", (KASUBAG_TEKNIS, "Monitoring Anggaran", "F5"), (KASUBAG_TEKNIS, "Anggaran", "C5")),
    }
    [issue] = _issues(folder, "monitoring-anggaran-over")
    assert "s.d. TW IV (Rp60.537.000)" in issue.message and "(Rp48.750.000)" in issue.message


def test_realisasi_derived_from_subordinates(folder):
    # IK-K.3 split (tidak langsung) over IK-D3.1 and IK-S.5; its Manual IKU derives the realisasi as their mean.
    _set(folder / RENSTRA, "Manual IKU", {"I6": "rata-rata"})
    _set(folder / KORDIV_DATA, "Indikator", {"I4": "tidak langsung"})
    _set(folder / SEKRETARIS, "Indikator", {"I8": "tidak langsung"})
    assert _new(folder) == set()  # every quarter: the mean of two equal figures is the Ketua's
    _set(folder / KORDIV_DATA, "Monitoring", {"C4": _pct(0.75)})  # TW I: mean (75 + 85) / 2 = 80, Ketua 85
    assert _new(folder) == {
        ("realisasi-derived-differs", (KETUA, "Monitoring", "C6"), (KORDIV_DATA, "Monitoring", "C4"))}
    [issue] = _issues(folder, "realisasi-derived-differs")
    assert "(85%)" in issue.message and "rata-rata" in issue.message and "(80%)" in issue.message


# --- PK revisions (PK Perubahan) -------------------------------------------------------------------------------
def _revise_sekretaris(folder: Path, start: dt.date = dt.date(2022, 7, 15)) -> None:
    """A new Sekretaris from 15 July: the Sekretaris' PK Perubahan ke-1, beside the first PK."""
    shutil.copy2(folder / SEKRETARIS, folder / SEKRETARIS_REV)
    _set(folder / SEKRETARIS_REV, "Identitas", {
        "B9": NEW_SEKRETARIS, "B11": NEW_NIP, "B20": start, "B25": 1, "B26": start,
        "B27": "Pelantikan Sekretaris definitif", "B28": SEKRETARIS})


def test_revised_superior_alone_changes_nothing(folder):
    """Every subordinate signed in January (and the Kasubag Perencanaan's revision of 1 July) names the
    Sekretaris of that date: still right after the Sekretaris changed on 15 July."""
    _revise_sekretaris(folder)
    assert _new(folder) == set()


def test_revision_on_the_day_the_superior_changed_names_the_new_one(folder):
    _revise_sekretaris(folder, dt.date(2022, 7, 1))  # the new Sekretaris from the Kasubag revision's own date
    assert _new(folder) == {
        ("revision-superior-mismatch", (KASUBAG_DATA_REV, "Identitas", "B14"), (SEKRETARIS_REV, "Identitas", "B9")),
        ("revision-superior-mismatch", (KASUBAG_DATA_REV, "Identitas", "B16"), (SEKRETARIS_REV, "Identitas", "B11")),
    }


def test_pk_signed_after_the_superior_changed_names_the_old_one(folder):
    _revise_sekretaris(folder)
    # The Kasubag Perencanaan's revision now dates from 1 August, and still names the old Sekretaris.
    _set(folder / KASUBAG_DATA_REV, "Identitas", {"B20": dt.date(2022, 8, 1), "B26": dt.date(2022, 8, 1)})
    assert _new(folder) == {
        ("revision-superior-mismatch", (KASUBAG_DATA_REV, "Identitas", "B14"), (SEKRETARIS_REV, "Identitas", "B9")),
        ("revision-superior-mismatch", (KASUBAG_DATA_REV, "Identitas", "B16"), (SEKRETARIS_REV, "Identitas", "B11")),
    }
    nama = next(i for i in _issues(folder, "revision-superior-mismatch") if i.location.cell == "B14")
    assert OLD_SEKRETARIS in nama.message and NEW_SEKRETARIS in nama.message and "1 Agustus 2022" in nama.message


def test_pk_signed_in_january_names_the_later_superior(folder):
    _revise_sekretaris(folder)
    _set(folder / KASUBAG_KEU, "Identitas", {"B14": NEW_SEKRETARIS, "B16": NEW_NIP})  # signed 27 January
    assert _new(folder) == {
        ("revision-superior-mismatch", (KASUBAG_KEU, "Identitas", "B14"), (SEKRETARIS, "Identitas", "B9")),
        ("revision-superior-mismatch", (KASUBAG_KEU, "Identitas", "B16"), (SEKRETARIS, "Identitas", "B11")),
    }
    nama = next(i for i in _issues(folder, "revision-superior-mismatch") if i.location.cell == "B14")
    assert "27 Januari 2022" in nama.message and f"'{OLD_SEKRETARIS}'" in nama.message


def test_superior_without_revision_keeps_pihak_kedua_mismatch(folder):
    _set(folder / KASUBAG_KEU, "Identitas", {"B14": NEW_SEKRETARIS, "B16": NEW_NIP})
    assert _new(folder) == {
        ("pihak-kedua-mismatch", (KASUBAG_KEU, "Identitas", "B14"), (SEKRETARIS, "Identitas", "B9")),
        ("pihak-kedua-mismatch", (KASUBAG_KEU, "Identitas", "B16"), (SEKRETARIS, "Identitas", "B11")),
    }


def test_superseded_pk_is_checked_against_its_superior(folder):
    _set(folder / KASUBAG_DATA, "Identitas", {"B14": NEW_SEKRETARIS})  # the first PK, replaced from 1 July
    assert _new(folder) == {
        ("revision-superior-mismatch", (KASUBAG_DATA, "Identitas", "B14"), (SEKRETARIS, "Identitas", "B9"))}


def test_revision_number_skips_one(folder):
    _set(folder / KASUBAG_DATA_REV, "Identitas", {"B25": 2})
    assert _new(folder) == {("revision-chain-broken", (KASUBAG_DATA_REV, "Identitas", "B25"), None)}
    [issue] = _issues(folder, "revision-chain-broken")
    assert "revisi ke-2" in issue.message and "revisi ke-1" in issue.message and "Perencanaan" in issue.message


def test_revision_starts_before_the_pk_it_replaces(folder):
    _set(folder / KASUBAG_DATA_REV, "Identitas", {"B20": dt.date(2022, 1, 10), "B26": dt.date(2022, 1, 10)})
    assert _new(folder) == {
        ("revision-date-order", (KASUBAG_DATA_REV, "Identitas", "B26"), (KASUBAG_DATA, "Identitas", "B20"))}
    [issue] = _issues(folder, "revision-date-order")
    assert "10 Januari 2022" in issue.message and "27 Januari 2022" in issue.message


def test_revision_without_reason(folder):
    _set(folder / KASUBAG_DATA_REV, "Identitas", {"B27": None})
    assert _new(folder) == {("revision-reason-missing", (KASUBAG_DATA_REV, "Identitas", "B27"), None)}


def test_previous_pk_file_named_wrongly(folder):
    _set(folder / KASUBAG_DATA_REV, "Identitas", {"B28": KASUBAG_DATA.upper()})  # letter case does not matter
    assert _new(folder) == set()
    _set(folder / KASUBAG_DATA_REV, "Identitas", {"B28": "PK_10_lama.xlsx"})
    assert _new(folder) == {("revision-previous-unknown", (KASUBAG_DATA_REV, "Identitas", "B28"), None)}
    [issue] = _issues(folder, "revision-previous-unknown")
    assert "'PK_10_lama.xlsx'" in issue.message


# --- built from the templates -----------------------------------------------------------------------------------
def test_renstra_period_and_manual_from_a_new_template(tmp_path):
    from kinerja_xl.model import Kind
    from kinerja_xl.outputs.templates import fill_form, fill_table, new_workbook, save
    from kinerja_xl import spec

    wb = new_workbook(Kind.RENSTRA, satker="KPU Kota Contoh")
    fill_form(wb, Kind.RENSTRA, {"periode_awal": 2020, "periode_akhir": 2026})
    fill_table(wb, spec.RENSTRA_TABLE, [{"kode_sasaran": "SS-1", "sasaran": "Sasaran", "kode": "IK-1",
                                         "indikator": "Indikator", "satuan": "%", "polaritas": "positif",
                                         "target_1": 0.9}], number_formats={"target_1": "0%"})
    path = save(wb, tmp_path / "Renstra.xlsx")
    found = {(i.code, i.location.sheet, i.location.cell) for i in api.validate([path]) if i.code in SAKIP_CODES}
    assert found == {("renstra-period-invalid", "Identitas", "B5"), ("manual-iku-missing", "Renstra", "C4")}
