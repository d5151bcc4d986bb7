"""Parsing what people type into cells: Indonesian numbers, percentages, rupiah, dates, NIP.

Each parser returns the value, or raises :class:`ParseError` carrying an issue code; the
reader turns that into a finding at the cell. No parser guesses silently: where a reading
is a guess (0,9 for a percent target), the caller gets a ``notes`` code to warn with.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from typing import Any

from .model import Target

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


def parse_number(value: Any) -> tuple[float, bool]:
    """Read a number as typed in Indonesia; returns (number, had_percent_sign).

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
        if isinstance(value, float) and not math.isfinite(value):
            raise ParseError("value-not-number", value=str(value))
        return float(value), False
    text = clean_text(value).lower()
    if not text:
        raise ParseError("value-not-number", value="")
    text = re.sub(r"^rp\.?\s*", "", text)
    text = re.sub(r",-$|,--$|\.-$", "", text).strip()
    percent = text.endswith("%")
    text = text.rstrip("%").strip()
    negative = text.startswith("-") or (text.startswith("(") and text.endswith(")"))
    text = text.strip("()").lstrip("-").strip()
    multiplier = 1
    for pattern, factor in _MULTIPLIERS:
        stripped = pattern.sub("", text).strip()
        if stripped != text and re.fullmatch(r"[\d.,]+", stripped):
            text, multiplier = stripped, factor
            break
    text = text.replace(" ", "")
    if not re.fullmatch(r"\d[\d.,]*", text) or text[-1] in ".," or re.search(r"[.,]{2}", text):
        raise ParseError("value-not-number", value=clean_text(value))
    number = _digits_to_float(text)
    number *= multiplier
    return (-number if negative else number), percent


def _digits_to_float(text: str) -> float:
    dots, commas = text.count("."), text.count(",")
    if dots and commas:  # the separator that comes last is the decimal one
        dec = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if dec == "," else ","
        return float(text.replace(thousands, "").replace(dec, "."))
    if commas:
        if commas > 1:
            return float(text.replace(",", ""))
        return float(text.replace(",", "."))  # Indonesian decimal comma: "1,5"
    if dots:
        head, _, tail = text.partition(".")
        if dots > 1 or (len(tail) == 3 and head != "0"):
            return float(text.replace(".", ""))  # Indonesian thousands: "1.500" is 1500
        return float(text)
    return float(text)


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
        number = float(value)
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
        except ParseError:
            pass
        else:
            if low > high:
                raise ParseError("target-range-reversed", value=text)
            return Target(low=_tidy(low), high=_tidy(high)), notes
    try:
        number, had_percent = parse_number(text)
    except ParseError:
        if allow_text:
            return Target(text=text), notes
        raise ParseError("value-not-number", value=text) from None
    if percent and not had_percent and 0 < number <= 1:
        number *= 100
        notes.append("target-fraction")
    return Target(value=_tidy(number)), notes


def _tidy(x: float) -> float:
    """Drop binary noise: 0.9*100 is 90.00000000000001 in floating point."""
    return round(x, 9)


def parse_rupiah(value: Any) -> int:
    """Read an amount in whole rupiah: 1507029000, "1.507.029.000", "Rp 1,5 M"."""
    number, percent = parse_number(value)
    if percent:
        raise ParseError("value-not-number", value=clean_text(value))
    if number < 0:
        raise ParseError("amount-negative", value=clean_text(value))
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
        raise ParseError("value-not-integer", value=clean_text(value))
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
