import pytest

from kinerja_xl import fmt
from kinerja_xl.checks.capaian import (
    DEFAULT_SCALE, Band, Capaian, Scale, aggregate, annual_realisasi, efisiensi, efisiensi_label, hitung,
    serapan,
)
from kinerja_xl.model import Agregasi, Polaritas, RealisasiIndikator, Target

POS, NEG = Polaritas.POSITIF, Polaritas.NEGATIF
PREDIKAT = {"WTP": 100, "WDP": 75, "TW": 50}

# --- hitung: numbers ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("target", "realisasi", "expected"),
    [
        (90, 90, 100.0),
        (90, 87.0, 96.6666666667),
        (100, 96.69, 96.69),
        (90, 99, 110.0),  # uncapped: the real figure is reported
        (5, 10, 200.0),
        (90, 0, 0.0),
    ],
)
def test_positive(target, realisasi, expected):
    c = hitung(Target(target), realisasi, POS)
    assert c.value == pytest.approx(expected, abs=1e-9)
    assert c.note == ""


@pytest.mark.parametrize(
    ("target", "realisasi", "expected"),
    [
        (2, 1, 150.0),
        (2, 2, 100.0),
        (2, 0, 200.0),
        (2, 3, 50.0),
        (2, 4, 0.0),
        (2, 5, 0.0),  # (4 - 5) / 2 would be -50: floored at 0
    ],
)
def test_negative(target, realisasi, expected):
    c = hitung(Target(target), realisasi, NEG)
    assert c.value == expected


def test_missing_polaritas_counts_as_positive():
    assert hitung(Target(2), 1, None).value == 50.0


def test_category_attached():
    assert hitung(Target(90), 90, POS) == Capaian(100.0, "Sangat Baik", "")
    assert hitung(Target(100), 60, POS).category == "Kurang"
    assert hitung(Target(2), 5, NEG).category == "Sangat Kurang"


def test_no_float_noise_on_boundaries():
    # 76 / 100 * 100 is 76.00000000000001 and 0.29 * 100 is 28.999999999999996 in floats.
    assert hitung(Target(100), 76, POS).value == 76.0
    assert hitung(Target(100), 0.29 * 100, POS).value == 29.0
    assert hitung(Target(1), 0.76, POS).category == "Baik"


# --- hitung: ranges ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("realisasi", "polaritas", "expected"),
    [
        (80, POS, 100.0),  # bounds are inside
        (85, POS, 100.0),
        (90, POS, 100.0),
        (99, POS, 110.0),  # above: compared with the upper bound 90
        (72, POS, 90.0),  # below: compared with the lower bound 80
        (85, NEG, 100.0),
        (99, NEG, 90.0),  # above is worse for a negative indicator: (180 - 99) / 90
        (72, NEG, 110.0),  # below is better: (160 - 72) / 80
    ],
)
def test_range(realisasi, polaritas, expected):
    assert hitung(Target(low=80, high=90), realisasi, polaritas).value == pytest.approx(expected)


def test_range_written_backwards_is_read_low_high():
    assert hitung(Target(low=90, high=80), 85, POS).value == 100.0
    assert hitung(Target(low=90, high=80), 72, POS).value == 90.0


def test_range_with_zero_lower_bound_below_has_no_division():
    c = hitung(Target(low=0, high=5), -1, NEG)
    assert c.value is None and c.note.startswith("target 0")


# --- hitung: target 0, missing values ----------------------------------------------------


@pytest.mark.parametrize("polaritas", [POS, NEG])
def test_target_zero(polaritas):
    met = hitung(Target(0), 0, polaritas)
    assert (met.value, met.category) == (100.0, "Sangat Baik")
    missed = hitung(Target(0), 3, polaritas)
    assert missed.value is None and missed.category is None
    assert missed.note.startswith("target 0")


def test_negative_target_has_no_ratio():
    c = hitung(Target(-5), -4, POS)
    assert c.value is None and "negatif" in c.note


@pytest.mark.parametrize(
    ("target", "realisasi", "teks", "note"),
    [
        (None, 90, None, "target belum diisi"),
        (Target(), 90, None, "target belum diisi"),
        (Target(90), None, None, "realisasi belum diisi"),
        (Target(90), None, "WTP", "target berupa angka tetapi realisasi bukan angka"),
    ],
)
def test_missing(target, realisasi, teks, note):
    assert hitung(target, realisasi, POS, realisasi_teks=teks) == Capaian(None, None, note)


# --- hitung: text targets ----------------------------------------------------------------


@pytest.mark.parametrize("teks", ["WTP", "wtp", "WTP ", " wtp\t"])
def test_text_target_met_without_mapping(teks):
    assert hitung(Target(text="WTP"), None, POS, realisasi_teks=teks).value == 100.0


def test_text_target_spaces_inside_are_normalised():
    c = hitung(Target(text="Sangat  Baik"), None, POS, realisasi_teks="sangat baik")
    assert c.value == 100.0


def test_text_target_not_met_without_mapping():
    c = hitung(Target(text="WTP"), None, POS, realisasi_teks="WDP")
    assert c.value is None and c.category is None
    assert c.note.startswith("target bukan angka")
    assert '"WTP"' in c.note and '"WDP"' in c.note


def test_text_target_with_mapping():
    c = hitung(Target(text="WTP"), None, POS, realisasi_teks="wdp", mapping=PREDIKAT)
    assert (c.value, c.category) == (75.0, "Cukup")
    better = hitung(Target(text="WDP"), None, POS, realisasi_teks="WTP", mapping=PREDIKAT)
    assert better.value == pytest.approx(133.3333333333)


def test_text_target_realisasi_outside_mapping():
    c = hitung(Target(text="WTP"), None, POS, realisasi_teks="TMP", mapping=PREDIKAT)
    assert c.value is None and '"TMP"' in c.note and '"WTP"' not in c.note


def test_text_target_without_realisasi_teks():
    c = hitung(Target(text="WTP"), 100, POS, mapping=PREDIKAT)
    assert c.value is None and c.note.startswith("target bukan angka")


def test_text_target_mapped_to_zero():
    c = hitung(Target(text="X"), None, POS, realisasi_teks="Y", mapping={"X": 0, "Y": 10})
    assert c.value is None and "lebih dari 0" in c.note


# --- aggregation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("triwulan", "agregasi", "expected"),
    [
        ((1, 2, 3, 4), Agregasi.KUMULATIF, 10),
        ((1, None, 3, None), Agregasi.KUMULATIF, 4),
        ((1, 2, 3, 4), Agregasi.AKHIR, 4),
        ((60, 80, None, None), Agregasi.AKHIR, 80),
        ((60, None, 90, None), Agregasi.AKHIR, 90),  # the last filled, even after a gap
        ((None, None, None, 0), Agregasi.AKHIR, 0),  # 0 is a value, not a blank
        ((80, 90, 100, None), Agregasi.RATA_RATA, 90),
        ((80, None, None, 95), Agregasi.RATA_RATA, 87.5),
        ((1, None, 3, None), None, 4),  # None means KUMULATIF
    ],
)
def test_aggregate(triwulan, agregasi, expected):
    assert aggregate(triwulan, agregasi) == expected


@pytest.mark.parametrize("agregasi", [*Agregasi, None])
def test_aggregate_nothing_filled(agregasi):
    assert aggregate((None, None, None, None), agregasi) is None


def test_annual_realisasi():
    quarters = (60, 80, None, None)
    typed = RealisasiIndikator("1.1", "x", triwulan=quarters, agregasi=Agregasi.AKHIR, tahunan=85)
    assert annual_realisasi(typed) == 85
    derived = RealisasiIndikator("1.1", "x", triwulan=quarters, agregasi=Agregasi.AKHIR)
    assert annual_realisasi(derived) == 80
    summed = RealisasiIndikator("1.1", "x", triwulan=quarters)
    assert annual_realisasi(summed) == 140
    assert annual_realisasi(RealisasiIndikator("1.1", "x")) is None


# --- category scale ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "label"),
    [
        (150, "Sangat Baik"),
        (100, "Sangat Baik"),
        (91, "Sangat Baik"),
        (90.99, "Baik"),
        (90.5, "Baik"),
        (90, "Baik"),
        (76, "Baik"),
        (75.99, "Cukup"),
        (75.5, "Cukup"),
        (66, "Cukup"),
        (65.9, "Kurang"),
        (51, "Kurang"),
        (50.5, "Sangat Kurang"),
        (50, "Sangat Kurang"),
        (0, "Sangat Kurang"),
        (-10, "Sangat Kurang"),  # the lowest band takes everything below it
    ],
)
def test_default_scale(value, label):
    assert DEFAULT_SCALE.category(value) == label


def test_custom_scale_from_mapping_either_order():
    descending = Scale.from_mapping({"A": 90, "B": 80, "C": 70, "D": 0})
    ascending = Scale.from_mapping({"D": 0, "C": 70, "B": 80, "A": 90})
    assert descending == ascending
    assert descending.bands[0] == Band(90, "A")
    assert [descending.category(v) for v in (95, 90, 89.9, 80, 70, 69.9)] == ["A", "A", "B", "B", "C", "D"]


def test_custom_scale_used_by_hitung():
    scale = Scale.from_mapping({"Tinggi": 100, "Rendah": 0})
    assert hitung(Target(100), 99.9, POS, scale=scale).category == "Rendah"
    assert hitung(Target(100), 100, POS, scale=scale).category == "Tinggi"


@pytest.mark.parametrize(
    "mapping",
    [
        {"A": 90, "B": 96, "C": 70},  # a typo out of order
        {"A": 90, "B": 90},  # duplicate bound
        {},
        {"A": "90", "B": 0},
        {"A": float("nan"), "B": 0},
        {"": 90, "B": 0},
    ],
)
def test_bad_scale_rejected_in_indonesian(mapping):
    with pytest.raises(ValueError, match="[Ss]kala|kategori"):
        Scale.from_mapping(mapping)


def test_scale_rejects_unsorted_bands():
    with pytest.raises(ValueError, match="urut menurun"):
        Scale((Band(50, "X"), Band(90, "Y")))


# --- budget ------------------------------------------------------------------------------


def test_serapan_reference_numbers():
    s = serapan(3741209000, 3617455634)
    assert s == pytest.approx(96.6921558, abs=1e-7)
    assert fmt.percent(s) == "96,69%"


@pytest.mark.parametrize(("pagu", "realisasi"), [(0, 100), (None, 100), (100, None), (-5, 1)])
def test_serapan_undefined(pagu, realisasi):
    assert serapan(pagu, realisasi) is None


def test_serapan_overspent_and_zero():
    assert serapan(1000, 1100) == 110.0
    assert serapan(1000, 0) == 0.0


def test_efisiensi():
    e = efisiensi(100.0, serapan(3741209000, 3617455634))
    assert e == pytest.approx(103.4210058, abs=1e-7)
    assert efisiensi_label(e) == "efisien"
    assert efisiensi(90.0, 100.0) == 90.0
    assert efisiensi_label(90.0) == "kurang efisien"
    assert efisiensi(96.69, 96.69) == 100.0
    assert efisiensi_label(100.0) == "efisien"


@pytest.mark.parametrize(("capaian", "serapan_"), [(None, 90.0), (90.0, None), (90.0, 0.0)])
def test_efisiensi_undefined(capaian, serapan_):
    assert efisiensi(capaian, serapan_) is None
    assert efisiensi_label(None) == "tidak dapat dihitung"
