"""What people type into cells, read as they meant it."""

from __future__ import annotations

import datetime as dt

import pytest

from kinerja_xl.reading import parse
from kinerja_xl.model import Target


@pytest.mark.parametrize("raw, fmt, expected, notes", [
    ("90%", "General", 90.0, []),
    ("90 %", "General", 90.0, []),
    ("90\u00a0%", "General", 90.0, []),
    ("90", "General", 90.0, []),
    (90, "General", 90.0, []),
    (0.9, "0%", 90.0, []),
    (0.9667, "0.00%", 96.67, []),
    ("96,69%", "General", 96.69, []),
    ("0,9", "General", 90.0, ["target-fraction"]),
    (0.9, "General", 90.0, ["target-fraction"]),
    (" 100% ", "General", 100.0, []),
])
def test_percent_targets(raw, fmt, expected, notes):
    target, got_notes = parse.parse_target(raw, fmt, percent=True)
    assert target == Target(value=expected)
    assert got_notes == notes


def test_range_and_text_targets():
    assert parse.parse_target("80-90%", percent=True)[0] == Target(low=80.0, high=90.0)
    assert parse.parse_target("80 – 90", percent=True)[0] == Target(low=80.0, high=90.0)
    assert parse.parse_target("WTP", allow_text=True)[0] == Target(text="WTP")
    with pytest.raises(parse.ParseError) as err:
        parse.parse_target("sembilan puluh", percent=True)
    assert err.value.code == "value-not-number"
    with pytest.raises(parse.ParseError) as err:
        parse.parse_target("90-80%", percent=True)
    assert err.value.code == "target-range-reversed"


def test_non_percent_target_keeps_small_numbers():
    assert parse.parse_target(1, percent=False) == (Target(value=1.0), [])


@pytest.mark.parametrize("raw, expected", [
    ("1.507.029.000", 1_507_029_000),
    ("Rp 1.507.029.000", 1_507_029_000),
    ("Rp1.507.029.000,-", 1_507_029_000),
    ("Rp. 3.741.209.000,00", 3_741_209_000),
    ("1,5 M", 1_500_000_000),
    ("1,5 miliar", 1_500_000_000),
    ("250 juta", 250_000_000),
    (1507029000, 1_507_029_000),
    (1507029000.0, 1_507_029_000),
    ("1,507,029,000", 1_507_029_000),
    ("21.000.000 ", 21_000_000),
])
def test_rupiah(raw, expected):
    assert parse.parse_rupiah(raw) == expected


# The reading rule, one row per hard case: what a number cell typed as text is read as (parse_target,
# parse_number) and as an amount (parse_rupiah); a code names the refusal. "." groups thousands and ","
# is the decimal mark; English style is read where it cannot be mistaken: the decimal mark comes last
# and once, every group after a thousands separator has exactly three digits. A lone "," before three
# digits ("2,500") is 2,5 or 2.500: refused as a number, 2500 as an amount (rupiah have no decimals).
# Rows that changed with issues 12 and 14 are tests/test_probe_numbers.py; these guard the rest.
RULES = [
    # typed            number (or code)         rupiah (or code)
    ("1.234",          1234.0,                  1234),
    ("1.234,5",        1234.5,                  "amount-fraction"),
    ("1,234.5",        1234.5,                  "amount-fraction"),
    ("1.234.567,89",   1234567.89,              "amount-fraction"),
    ("1,234,567",      1234567.0,               1234567),
    ("Rp 48,750,000",  48750000.0,              48750000),
    ("1.5",            1.5,                     "number-grouping"),
    ("0,9",            0.9,                     "number-grouping"),
    ("0.123",          0.123,                   "number-grouping"),
    ("1234,5",         1234.5,                  "number-grouping"),
    ("1500,00",        1500.0,                  1500),
    ("2,500",          "number-grouping",       2500),
    ("442.311.00",     "number-grouping",       "number-grouping"),
    ("1.23,4",         "number-grouping",       "number-grouping"),
    ("90 %",           90.0,                    "value-not-number"),
    ("Rp 1,5 M",       1.5e9,                   1_500_000_000),
    ("2,5 juta",       2.5e6,                   2_500_000),
    ("1.000.000,-",    1e6,                     1_000_000),
    ("Rp11.200.000,-", 11.2e6,                  11_200_000),
    (" 1 234 567 ",    1234567.0,               1234567),
    ("1\u00a0234\u00a0567", 1234567.0,          1234567),
    ("1 234,5",        1234.5,                  "amount-fraction"),
    ("(1.000)",        -1000.0,                 "amount-negative"),
    ("-1.000",         -1000.0,                 "amount-negative"),
    ("-",              "value-not-number",      "value-not-number"),
    ("",               "value-not-number",      "value-not-number"),
    ("1e3",            "value-not-number",      "value-not-number"),
    ("1..2",           "value-not-number",      "value-not-number"),
    ("\u0661\u0662\u0663", "value-not-number", "value-not-number"),
    (-11200000.0,      -11200000.0,             "amount-negative"),  # LibreOffice's reading of "11.200.000,-"
    (1507029000.0,     1507029000.0,            1_507_029_000),
]


@pytest.mark.parametrize("typed, number, amount", RULES)
def test_reading_rules(typed, number, amount):
    for fn, expected in ((lambda v: parse.parse_number(v)[0], number), (parse.parse_rupiah, amount)):
        if isinstance(expected, str):
            with pytest.raises(parse.ParseError) as err:
                fn(typed)
            assert err.value.code == expected
        else:
            assert fn(typed) == expected


def test_every_refusal_fills_its_message():
    """A refusal carries what the registry's message needs: no '?' in what the user reads."""
    from kinerja_xl.findings.issues import make
    from kinerja_xl.model import CellRef

    for typed, _, _ in RULES:
        for fn in (parse.parse_number, parse.parse_rupiah):
            try:
                fn(typed)
            except parse.ParseError as err:
                issue = make(err.code, CellRef("f.xlsx", "S", "C5"), label="Pagu (Rp)", **err.params)
                assert "?" not in issue.message, issue.message


@pytest.mark.parametrize("raw, code", [("seribu", "value-not-number"), ("-5.000", "amount-negative"),
                                       ("12%", "value-not-number"), ("1..2", "value-not-number")])
def test_rupiah_refused(raw, code):
    with pytest.raises(parse.ParseError) as err:
        parse.parse_rupiah(raw)
    assert err.value.code == code


def test_decimal_comma_and_thousands():
    assert parse.parse_number("1,5") == (1.5, False)
    assert parse.parse_number("1.500") == (1500.0, False)
    assert parse.parse_number("0.5") == (0.5, False)
    assert parse.parse_number("1.234,56") == (1234.56, False)


@pytest.mark.parametrize("raw, expected", [
    (dt.datetime(2022, 1, 27), dt.date(2022, 1, 27)),
    ("27 Januari 2022", dt.date(2022, 1, 27)),
    ("27 januari 2022", dt.date(2022, 1, 27)),
    ("Kamis, 27 Januari 2022", dt.date(2022, 1, 27)),
    ("27 Jan 2022", dt.date(2022, 1, 27)),
    ("27-01-2022", dt.date(2022, 1, 27)),
    ("27/01/2022", dt.date(2022, 1, 27)),
    ("2022-01-27", dt.date(2022, 1, 27)),
    ("1 Agustus 2022", dt.date(2022, 8, 1)),
    (44588, dt.date(2022, 1, 27)),  # Excel serial
])
def test_dates(raw, expected):
    assert parse.parse_date(raw) == expected


@pytest.mark.parametrize("raw", ["31 Februari 2022", "besok", "2022"])
def test_bad_dates(raw):
    with pytest.raises(parse.ParseError) as err:
        parse.parse_date(raw)
    assert err.value.code == "date-invalid"


@pytest.mark.parametrize("raw", ["19860926 201505 1 001", "198609262015051001", "NIP. 19860926 201505 1 001",
                                 "19860926\u00a0201505\u00a01\u00a0001 ", "19860926-201505-1-001"])
def test_nip_forms(raw):
    assert parse.parse_nip(raw) == "198609262015051001"


def test_nip_as_number_is_refused():
    with pytest.raises(parse.ParseError) as err:
        parse.parse_nip(198609262015051001)
    assert err.value.code == "nip-as-number"


def test_clean_text():
    assert parse.clean_text("  Ade\u00a0 Jahran \t") == "Ade Jahran"
    assert parse.clean_text("Cafe\u0301") == "Caf\u00e9"  # NFC
