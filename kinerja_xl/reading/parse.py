"""Parsing what people type into cells: Indonesian numbers, percentages, rupiah, dates, NIP.

Each parser returns the value, or raises :class:`ParseError` carrying an issue code; the
reader turns that into a finding at the cell. No parser guesses silently: where a reading
is a guess (0,9 for a percent target), the caller gets a ``notes`` code to warn with.

A number typed as text is read only when its reading is sure. "." groups thousands and ","
is the decimal mark (Indonesian); English style is read where it cannot be mistaken:

=================  ==================  ===================  =========================================
typed              target, realisasi   rupiah               why
=================  ==================  ===================  =========================================
1.234              1234                1234                 "." before three digits groups thousands
1.234,5 / 1,234.5  1234,5              amount-fraction      the mark that comes last, once, is decimal
1.5 / 1,5 / 0,9    1,5 / 1,5 / 0,9     number-grouping      a decimal; an amount has none
2,500              number-grouping     2500                 2,5 or 2.500; an amount has no decimals
442.311.00         number-grouping     number-grouping      every group after a separator has 3 digits
1 234 567          1234567             1234567              spaces (NBSP too) group, in threes
Rp 1,5 M, 2,5 juta 1.500.000.000       1.500.000.000        multiplier words: decimals by design
1.000.000,-        1000000             1000000              ",-" means "no sen"
(1.000), -1.000    -1000               amount-negative      accounting brackets are a minus
90 %, 88 persen    90 (with %)         value-not-number
-, 1e3, ١٢٣        value-not-number    value-not-number     only ASCII digits (Excel keeps others as text)
1e309 (a number)   number-out-of-range number-out-of-range  infinity, NaN, 10^15 and beyond
2.5 (a number)     2,5                 amount-fraction      LibreOffice (id) stores a typed "2,500" so
=================  ==================  ===================  =========================================

A cell LibreOffice or Excel already holds as a number is taken as it is (no grouping to
doubt), except the last two rows. LibreOffice in Indonesian stores a typed "Rp11.200.000,-"
as the number -11200000 (the dash is a trailing minus): the reader reports amount-negative,
whose hint explains the ",-".
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from decimal import Decimal
from typing import Any

from ..model import Target

# Spaces people paste from Word and the web: NBSP, narrow NBSP, figure space, thin space, BOM.
_SPACES = re.compile(r"[\s\u00a0\u202f\u2007\u2009\u200b\ufeff]+")
_DASHES = re.compile(r"\s*[-\u2013\u2014]\s*")


class ParseError(ValueError):
    def __init__(self, code: str, **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.params = params


def clean_text(value: Any) -> str:
    """A cell value as text: NFC-normalised, odd spaces made plain, runs collapsed, trimmed."""
    if value is None:
        return ""
    if type(value) is str and value.isascii() and value.isprintable() and "  " not in value:
        return value.strip()  # the common case: nothing to normalise (NFC and odd spaces are non-ASCII)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, (dt.datetime, dt.date)):
        value = value.strftime("%Y-%m-%d")
    text = unicodedata.normalize("NFC", str(value))
    return _SPACES.sub(" ", text).strip()


def fold(value: Any) -> str:
    """Text for comparison: :func:`clean_text`, case-folded."""
    return clean_text(value).casefold()


def is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not clean_text(value))


_MULTIPLIERS = (
    (re.compile(r"(triliun|t)$"), 10**12),
    (re.compile(r"(miliar|milyar|m)$"), 10**9),
    (re.compile(r"(juta|jt)$"), 10**6),
    (re.compile(r"(ribu|rb)$"), 10**3),
)

# Beyond 15 significant digits Excel itself drops digits; no target, realisasi or amount of one
# office comes near 10^15 (the whole national budget is about Rp3 x 10^15), so anything larger,
# and infinity or NaN (a cell holding 1e309), is refused rather than carried into capaian.
MAX_MAGNITUDE = 1e15

_SEPARATORS = ".,"
_BODY = re.compile(r"[0-9]+(?:[., ][0-9]+)*")
_GROUPED = {sep: re.compile(rf"[1-9][0-9]{{0,2}}(?:{re.escape(sep)}[0-9]{{3}})+") for sep in ".,"}


def shown(value: Any) -> str:
    """A cell value as the user saw it, for messages: text as typed, numbers the Indonesian way.

    >>> shown(0.9), shown(-11200000.0), shown(1234567.5), shown(" 1.5 ")
    ('0,9', '-11.200.000', '1.234.567,5', '1.5')
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if isinstance(value, float) and math.isnan(value):
            return "NaN (bukan angka)"
        if isinstance(value, float) and math.isinf(value):
            return ("minus " if value < 0 else "") + "tak terhingga"
        if abs(value) >= MAX_MAGNITUDE:  # 1,8 x 10^308: all its digits would say nothing
            mantissa, _, exponent = f"{Decimal(value):.2e}".partition("e")
            return f"{mantissa.rstrip('0').rstrip('.').replace('.', ',')} x 10^{int(exponent)}"
        from .. import fmt

        return fmt.smart_number(value, 10)
    text = clean_text(value)
    return text if len(text) <= 60 else text[:57] + "..."


def _in_range(number: float, value: Any) -> float:
    if not math.isfinite(number) or abs(number) >= MAX_MAGNITUDE:
        raise ParseError("number-out-of-range", value=shown(value))
    return number


def parse_number(value: Any, *, whole: bool = False) -> tuple[float, bool]:
    """Read a number as typed in Indonesia (or English style); returns (number, had_percent_sign).

    A text is read only when its reading is unambiguous: "." groups thousands and "," is the
    decimal mark; English "1,234.5" is read too, since a decimal mark comes last and once.
    Groups after a thousands separator are exactly three digits; a space may group as well.
    ``whole=True`` (rupiah) accepts no decimal reading of a lone separator, so "2,500" can only
    be 2500 there, and "1.5" is refused. Every refusal is a :class:`ParseError`: ``number-grouping``
    for a grouping that cannot be read for sure, ``number-out-of-range`` for infinity, NaN and
    beyond 10^15, ``value-not-number`` for anything else.

    >>> parse_number("1.507.029.000")
    (1507029000.0, False)
    >>> parse_number("Rp 1,5 M")
    (1500000000.0, False)
    >>> parse_number("90 %")
    (90.0, True)
    """
    if isinstance(value, bool):
        raise ParseError("value-not-number", value=str(value))
    if isinstance(value, (int, float)):
        return _in_range(float(value), value), False
    text = clean_text(value).lower()
    if not text:
        raise ParseError("value-not-number", value="")
    text = re.sub(r"^rp\.?\s*", "", text)
    text = re.sub(r"\s*(?:,-|,--|\.-)$", "", text)  # "Rp11.200.000,-": the dash means "no sen"
    percent = bool(re.search(r"(?:%|persen)$", text))
    text = re.sub(r"\s*(?:%|persen)$", "", text)
    negative = text[:1] in ("-", "\u2212") or (text.startswith("(") and text.endswith(")"))
    if negative:
        text = text[1:-1] if text.startswith("(") else text[1:]
    text = re.sub(r"^rp\.?\s*", "", text.strip())  # "(Rp 1.000)", "-Rp1.000"
    multiplier = 1
    for pattern, factor in _MULTIPLIERS:
        stripped = pattern.sub("", text).strip()
        if stripped != text and _BODY.fullmatch(stripped):
            text, multiplier = stripped, factor
            break
    if not _BODY.fullmatch(text):
        raise ParseError("value-not-number", value=clean_text(value))
    # With a multiplier the figure counts millions or billions: "1,5 M" has decimals by design.
    number = _read_body(text, whole=whole and multiplier == 1, typed=clean_text(value)) * multiplier
    return _in_range(-number if negative else number, value), percent


def _grouping(typed: str, reason: str) -> ParseError:
    return ParseError("number-grouping", value=typed, reason=reason)


def _read_body(body: str, *, whole: bool, typed: str) -> float:
    """Digits with "." "," or " " between them (checked by ``_BODY``) as a number, or a refusal."""
    if " " in body:  # " 1 234 567 " (a space or NBSP groups thousands); one "." or "," may follow as decimal
        *heads, last = body.split(" ")
        m = re.fullmatch(r"([0-9]+)(?:[.,]([0-9]+))?", last)
        if m is None or any(not h.isdigit() for h in heads):
            raise _grouping(typed, "spasi dan titik atau koma bercampur sebagai pemisah ribuan")
        digits, frac = m.groups()
        if not _GROUPED["."].fullmatch(".".join([*heads, digits])):
            raise _grouping(typed, "kelompok angka yang dipisah spasi harus tiga digit")
        return float("".join([*heads, digits]) + "." + (frac or "0"))
    dots, commas = body.count("."), body.count(",")
    if dots and commas:  # both: the one that comes last, once, is the decimal mark
        mark = "," if body.rfind(",") > body.rfind(".") else "."
        group = "." if mark == "," else ","
        head, _, frac = body.rpartition(mark)
        if mark in head:
            raise _grouping(typed, f"tanda desimal '{mark}' muncul lebih dari sekali")
        if not _GROUPED[group].fullmatch(head):
            raise _grouping(typed, "sesudah pemisah ribuan harus ada tepat tiga digit")
        return float(head.replace(group, "") + "." + frac)
    if not dots and not commas:
        return float(body)
    sep = "." if dots else ","
    head, *tails = body.split(sep)
    if len(tails) > 1:  # "1.507.029.000", "1,507,029,000"; "442.311.00" has a group of two
        if not _GROUPED[sep].fullmatch(body):
            raise _grouping(typed, "sesudah pemisah ribuan harus ada tepat tiga digit")
        return float(body.replace(sep, ""))
    tail = tails[0]
    if _GROUPED[sep].fullmatch(body):  # "1.234" / "2,500": could be a thousands group
        if sep == "." or whole:  # "." groups in Indonesian; an amount has no decimals, so "2,500" is 2500
            return float(head + tail)
        decimal = f"{head},{tail.rstrip('0')}" if tail.strip("0") else head
        raise _grouping(typed, f"dapat berarti {decimal} (koma desimal) atau {head}.{tail} (koma sebagai "
                               "pemisah ribuan cara Inggris)")
    if whole and tail.strip("0"):  # "1.5", "1,5", "1234.5" as rupiah: neither a group of three nor whole
        raise _grouping(typed, f"jumlah rupiah tidak berdesimal, dan sesudah '{sep}' harus ada tepat tiga digit")
    return float(head + "." + tail)  # the only reading: "1,5", "0,9", "0.5", "12.75"


def is_percent_format(number_format: str) -> bool:
    fmt = re.sub(r'"[^"]*"|\\.', "", number_format or "")  # drop quoted literals
    return "%" in fmt


def parse_target(value: Any, number_format: str = "General", *, percent: bool = False,
                 allow_text: bool = False) -> tuple[Target, list[str]]:
    """Read a target or realisasi cell; returns the target and warning codes.

    ``percent`` says the indicator's satuan is %: then 0.9 in a %-formatted cell, "90%",
    "90 %" and 90 all read as 90. A bare fraction such as "0,9" is read as 90 with the
    ``target-fraction`` warning. ``allow_text`` accepts a predikat such as "WTP".
    """
    notes: list[str] = []
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        number = _in_range(float(value), value)
        if is_percent_format(number_format):
            number *= 100
        elif percent and 0 < number <= 1:
            number *= 100
            notes.append("target-fraction")
        return Target(value=_tidy(number)), notes
    text = clean_text(value)
    text = re.sub(r"^(≥|>=|≤|<=|minimal|maksimal|min\.?|maks\.?)\s*", "", text, flags=re.I)
    parts = _DASHES.split(text)
    if len(parts) == 2 and all(parts):
        try:
            (low, _), (high, _) = parse_number(parts[0]), parse_number(parts[1])
        except ParseError as err:
            if err.code != "value-not-number" and not allow_text:
                raise  # "2,500-3,000": say what is unsure about the number, not that it is no number
        else:
            if low > high:
                raise ParseError("target-range-reversed", value=text)
            return Target(low=_tidy(low), high=_tidy(high)), notes
    try:
        number, had_percent = parse_number(text)
    except ParseError as err:
        if allow_text:
            return Target(text=text), notes
        if err.code != "value-not-number":
            raise
        raise ParseError("value-not-number", value=text) from None
    if percent and not had_percent and 0 < number <= 1:
        number *= 100
        notes.append("target-fraction")
    return Target(value=_tidy(number)), notes


def _tidy(x: float) -> float:
    """Drop binary noise: 0.9*100 is 90.00000000000001 in floating point."""
    return round(x, 9)


# A rupiah figure closer than this to a whole number is float noise of a formula, not sen.
_SEN_NOISE = 0.001


def parse_rupiah(value: Any) -> int:
    """Read an amount in whole rupiah: 1507029000, "1.507.029.000", "Rp 1,5 M", "2,500" (English grouping).

    An amount with sen (2.5, as LibreOffice in Indonesian stores a typed "2,500") is refused with
    ``amount-fraction``: rounding it would silently turn Rp2.500 into Rp3.
    """
    number, percent = parse_number(value, whole=True)
    if percent:
        raise ParseError("value-not-number", value=shown(value))
    if number < 0:
        raise ParseError("amount-negative", value=shown(value))
    if abs(number - round(number)) > _SEN_NOISE:
        raise ParseError("amount-fraction", value=shown(value))
    return int(round(number))


MONTHS = {
    "januari": 1, "jan": 1, "january": 1,
    "februari": 2, "feb": 2, "pebruari": 2, "february": 2,
    "maret": 3, "mar": 3, "march": 3,
    "april": 4, "apr": 4,
    "mei": 5, "may": 5,
    "juni": 6, "jun": 6, "june": 6,
    "juli": 7, "jul": 7, "july": 7,
    "agustus": 8, "agu": 8, "agt": 8, "aug": 8, "august": 8,
    "september": 9, "sep": 9, "sept": 9,
    "oktober": 10, "okt": 10, "oct": 10, "october": 10,
    "november": 11, "nov": 11, "nopember": 11,
    "desember": 12, "des": 12, "dec": 12, "december": 12,
}


def parse_date(value: Any) -> dt.date:
    """Read a date: an Excel date, a serial number, "27 Januari 2022", "27/01/2022", "2022-01-27"."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # Excel's serial range (1900-01-01 .. 9999-12-31)
            from openpyxl.utils.datetime import from_excel

            moment = from_excel(value)
            return moment.date() if isinstance(moment, dt.datetime) else moment
        raise ParseError("date-invalid", value=str(value))
    text = clean_text(value).lower().rstrip(".")
    text = re.sub(r"^[a-z]+,\s*", "", text)  # "Kamis, 27 Januari 2022"
    m = re.fullmatch(r"(\d{1,2})\s*[ .\-/]?\s*([a-z]+)\.?\s*[ .\-/]?\s*(\d{4})", text)
    try:
        if m and m.group(2) in MONTHS:
            return dt.date(int(m.group(3)), MONTHS[m.group(2)], int(m.group(1)))
        m = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", text)
        if m:  # Indonesian order: day first
            return dt.date(int(m.group(3)), int(m.group(2)), int(m.group(1)))
        m = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[t ][\d:.]+z?)?", text)  # ISO, as JSON sends dates
        if m:
            return dt.date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
    except ValueError:
        raise ParseError("date-invalid", value=clean_text(value)) from None
    raise ParseError("date-invalid", value=clean_text(value))


def parse_int(value: Any) -> int:
    number, percent = parse_number(value)
    if percent or not float(number).is_integer():
        raise ParseError("value-not-integer", value=shown(value))
    return int(number)


def parse_nip(value: Any) -> str:
    """Read a NIP as its digits: "19860926 201505 1 001" and "NIP. 1986..." give 18 digits.

    A NIP stored as a number has lost its last digits (Excel keeps 15 significant digits),
    so a numeric cell of NIP length is refused with ``nip-as-number``.
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if abs(value) >= 1e15:
            raise ParseError("nip-as-number", value=clean_text(value))
        value = clean_text(value)
    text = clean_text(value)
    text = re.sub(r"^nip\.?\s*:?\s*", "", text, flags=re.I)
    digits = re.sub(r"[\s.\-]", "", text)
    if not digits.isdigit():
        raise ParseError("nip-invalid", value=text)
    return digits
