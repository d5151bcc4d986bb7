import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kinerja_xl import fmt
from kinerja_xl.model import Target

# --- terbilang ---------------------------------------------------------------------------

TERBILANG = [
    (0, "nol"),
    (1, "satu"),
    (10, "sepuluh"),
    (11, "sebelas"),
    (12, "dua belas"),
    (19, "sembilan belas"),
    (20, "dua puluh"),
    (21, "dua puluh satu"),
    (100, "seratus"),
    (101, "seratus satu"),
    (110, "seratus sepuluh"),
    (111, "seratus sebelas"),
    (199, "seratus sembilan puluh sembilan"),
    (1000, "seribu"),
    (1001, "seribu satu"),
    (1100, "seribu seratus"),
    (2000, "dua ribu"),
    (11000, "sebelas ribu"),
    (21000, "dua puluh satu ribu"),
    (100000, "seratus ribu"),
    (101000, "seratus satu ribu"),
    (111111, "seratus sebelas ribu seratus sebelas"),
    (1000000, "satu juta"),
    (1001000, "satu juta seribu"),
    (1010000, "satu juta sepuluh ribu"),
    (1000001, "satu juta satu"),
    (3748550000, "tiga miliar tujuh ratus empat puluh delapan juta lima ratus lima puluh ribu"),
    (3741209000, "tiga miliar tujuh ratus empat puluh satu juta dua ratus sembilan ribu"),
    (1_000_000_000, "satu miliar"),
    (1_000_000_000_000, "satu triliun"),
    (1_001_001_001_000, "satu triliun satu miliar satu juta seribu"),
    (
        999_999_999_999_999,
        "sembilan ratus sembilan puluh sembilan triliun sembilan ratus sembilan puluh sembilan miliar "
        "sembilan ratus sembilan puluh sembilan juta sembilan ratus sembilan puluh sembilan ribu "
        "sembilan ratus sembilan puluh sembilan",
    ),
    (-1, "minus satu"),
    (-1001000, "minus satu juta seribu"),
]


@pytest.mark.parametrize(("n", "words"), TERBILANG)
def test_terbilang(n, words):
    assert fmt.terbilang(n) == words


def test_terbilang_rupiah_reference_amount():
    # The reference LAKIP writes a wrong terbilang for this pagu; this is the right one.
    assert fmt.terbilang_rupiah(3748550000) == (
        "tiga miliar tujuh ratus empat puluh delapan juta lima ratus lima puluh ribu rupiah"
    )
    assert fmt.terbilang_rupiah(0) == "nol rupiah"
    assert fmt.terbilang_rupiah(1000) == "seribu rupiah"


@pytest.mark.parametrize("n", [10**15, 10**18, -(10**15)])
def test_terbilang_too_large_raises(n):
    with pytest.raises(ValueError, match="terlalu besar"):
        fmt.terbilang(n)


@pytest.mark.parametrize("bad", [1.5, 1000.0, "1000", True, None])
def test_terbilang_refuses_non_integers(bad):
    with pytest.raises(TypeError):
        fmt.terbilang(bad)


# An independent reader of Indonesian number words, used to check terbilang both ways. It is
# strict about the canonical form: "satu ratus", "satu belas", "satu ribu" (alone) or places
# out of order ("dua puluh tiga ratus") are rejected, not read leniently.
_UNITS = {w: i for i, w in enumerate("satu dua tiga empat lima enam tujuh delapan sembilan".split(), 1)}
# word: (value, place). Ten to nineteen fill the ones place too: "sepuluh satu" is wrong.
_WHOLE = {"sepuluh": (10, 1), "sebelas": (11, 1), "seratus": (100, 100)}
_TIMES = {"belas": 1, "puluh": 10, "ratus": 100}  # word: place
_SCALE_WORDS = {"triliun": 10**12, "miliar": 10**9, "juta": 10**6, "ribu": 10**3, "seribu": 10**3}


def parse_terbilang(text: str) -> int:
    words = text.split(" ")
    sign = 1
    if words[0] == "minus":
        sign, words = -1, words[1:]
    if words == ["nol"]:
        return 0
    total, last_scale = 0, 10**15
    group, place, digit = 0, 1000, None  # place: the last place filled in this group

    def put(value, at):
        nonlocal group, place
        assert at < place, f"places out of order in {text!r}"
        group, place = group + value, at

    for w in words:
        if w in _UNITS:
            assert digit is None, text
            digit = _UNITS[w]
        elif w in _WHOLE:
            assert digit is None, text
            put(*_WHOLE[w])
        elif w in _TIMES:
            assert digit is not None and digit > 1, f"'{w}' needs a digit 2..9 before it in {text!r}"
            put(digit + 10 if w == "belas" else digit * _TIMES[w], _TIMES[w])
            digit = None
        elif w in _SCALE_WORDS:
            if w == "seribu":
                assert group == 0 and digit is None, text
                put(1, 1)
            else:
                assert not (w == "ribu" and group == 0 and digit == 1), f"'satu ribu' in {text!r}"
            if digit is not None:
                put(digit, 1)
                digit = None
            scale = _SCALE_WORDS[w]
            assert 0 < group < 1000 and scale < last_scale, text
            total += group * scale
            last_scale, group, place = scale, 0, 1000
        else:
            raise AssertionError(f"unknown word {w!r} in {text!r}")
    if digit is not None:
        put(digit, 1)
    return sign * (total + group)


def test_parser_reads_known_forms():
    assert parse_terbilang("satu juta seribu") == 1_001_000
    assert parse_terbilang("dua puluh satu ribu") == 21_000
    assert parse_terbilang("seratus dua belas") == 112
    for wrong in ["satu ribu", "satu juta satu ribu", "satu ratus", "satu belas", "dua puluh tiga ratus",
                  "satu ribu juta", "seribu seribu", "sepuluh satu", "dua belas tiga"]:
        with pytest.raises(AssertionError):
            parse_terbilang(wrong)


@settings(derandomize=True, max_examples=300, database=None)
@given(st.integers(min_value=0, max_value=10**13))
def test_terbilang_round_trips(n):
    words = fmt.terbilang(n)
    assert parse_terbilang(words) == n
    assert words == words.lower() and "  " not in words and words == words.strip()


@settings(derandomize=True, max_examples=100, database=None)
@given(st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1))
def test_terbilang_round_trips_full_range(n):
    assert parse_terbilang(fmt.terbilang(n)) == n


# --- numbers, rupiah, percent ------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "plain", "spaced"),
    [
        (3741209000, "Rp3.741.209.000", "Rp 3.741.209.000"),
        (3617455634, "Rp3.617.455.634", "Rp 3.617.455.634"),
        (0, "Rp0", "Rp 0"),
        (999, "Rp999", "Rp 999"),
        (-1000, "-Rp1.000", "-Rp 1.000"),
        (1234.5, "Rp1.235", "Rp 1.235"),  # whole rupiah, half away from zero
        (1234.49, "Rp1.234", "Rp 1.234"),
        (-0.4, "Rp0", "Rp 0"),  # no "-Rp0"
        (Decimal("1507029000.00"), "Rp1.507.029.000", "Rp 1.507.029.000"),
    ],
)
def test_rupiah(amount, plain, spaced):
    assert fmt.rupiah(amount) == plain
    assert fmt.rupiah(amount, space=True) == spaced


@pytest.mark.parametrize(
    ("x", "decimals", "text"),
    [
        (96.69, 2, "96,69"),
        (1234.5, 2, "1.234,50"),
        (90, 0, "90"),
        (90.4, 0, "90"),
        (1234567.891, 1, "1.234.567,9"),
        (0.125, 2, "0,13"),  # half up, as Excel shows it (Babel alone would give 0,12)
        (2.675, 2, "2,68"),  # the float is 2.67499999...; rounded as typed
        (-0.001, 2, "0,00"),  # no negative zero
        (-1234.5, 2, "-1.234,50"),
    ],
)
def test_number(x, decimals, text):
    assert fmt.number(x, decimals) == text


@pytest.mark.parametrize(
    ("x", "text"),
    [
        (96.6921, "96,69%"),
        (96.695, "96,70%"),
        (99.995, "100,00%"),  # decision: round half up on the typed value, like Excel
        (100, "100,00%"),
        (0, "0,00%"),
    ],
)
def test_percent(x, text):
    assert fmt.percent(x) == text


def test_percent_decimals():
    assert fmt.percent(96.6921, 1) == "96,7%"
    assert fmt.percent(96.6921, 0) == "97%"


@pytest.mark.parametrize(
    ("x", "text"),
    [(90.0, "90"), (90, "90"), (96.69, "96,69"), (96.5, "96,5"), (96.6921, "96,69"), (1500.0, "1.500"), (0.0, "0")],
)
def test_smart_number(x, text):
    assert fmt.smart_number(x) == text


@pytest.mark.parametrize("bad", [float("nan"), float("inf"), None, "90", True])
def test_number_refuses_non_numbers(bad):
    with pytest.raises((TypeError, ValueError)):
        fmt.number(bad)


# --- dates -------------------------------------------------------------------------------

BULAN = "Januari Februari Maret April Mei Juni Juli Agustus September Oktober November Desember".split()


@pytest.mark.parametrize(("month", "name"), list(enumerate(BULAN, 1)))
def test_tanggal_all_months(month, name):
    assert fmt.tanggal(dt.date(2022, month, 27)) == f"27 {name} 2022"


def test_tanggal_single_digit_day_and_datetime():
    assert fmt.tanggal(dt.date(2022, 2, 1)) == "1 Februari 2022"
    assert fmt.tanggal(dt.datetime(2022, 1, 27, 10, 30)) == "27 Januari 2022"


# --- NIP ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("198609262015051001", "19860926 201505 1 001"),
        ("197001012000122002", "19700101 200012 2 002"),
        ("19860926201505100", "19860926201505100"),  # 17 digits, as in the reference: unchanged
        ("1986092620150510011", "1986092620150510011"),
        ("19860926 201505 1 001", "19860926 201505 1 001"),
        ("19860926201505100X", "19860926201505100X"),
        ("", ""),
    ],
)
def test_nip(raw, shown):
    assert fmt.nip(raw) == shown


# --- targets -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("t", "satuan", "text"),
    [
        (Target(90.0), "%", "90%"),
        (Target(96.5), "%", "96,5%"),
        (Target(low=80, high=90), "%", "80\u201390%"),
        (Target(low=2, high=3), "dokumen", "2\u20133 dokumen"),
        (Target(text="WTP"), "predikat", "WTP"),
        (Target(text=" WTP "), "", "WTP"),
        (Target(5), "dokumen", "5 dokumen"),
        (Target(5), "", "5"),
        (Target(1500), "orang", "1.500 orang"),
        (Target(), "%", "-"),
        (None, "%", "-"),
    ],
)
def test_target(t, satuan, text):
    assert fmt.target(t, satuan) == text
