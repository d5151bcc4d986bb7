"""Indonesian formatting: Rupiah, numbers, percentages, dates, terbilang, NIP and targets.

Pure functions, no I/O. Grouping and month names come from Babel (locale ``id_ID``);
rounding is done here, half away from zero on the number as written (``repr``), because
that is what Excel shows and what staff expect: 0,125 -> "0,13", 99,995 -> "100,00".

>>> rupiah(3741209000)
'Rp3.741.209.000'
>>> percent(96.6921)
'96,69%'
>>> terbilang(1001000)
'satu juta seribu'
"""

from __future__ import annotations

import datetime as dt
import operator
from decimal import ROUND_HALF_UP, Decimal
from numbers import Integral, Real

from babel.dates import format_date
from babel.numbers import format_decimal

from .model import Target

LOCALE = "id_ID"
RANGE_DASH = "\u2013"  # en dash, as in "80–90%"


def _decimal(x: Real | Decimal, decimals: int) -> Decimal:
    """``x`` rounded half away from zero to ``decimals`` places, without a negative zero."""
    if decimals < 0:
        raise ValueError(f"Jumlah desimal tidak boleh negatif: {decimals}")
    if isinstance(x, Decimal):
        d = x
    elif isinstance(x, Integral) and not isinstance(x, bool):
        d = Decimal(int(x))
    elif isinstance(x, Real) and not isinstance(x, bool):
        # repr gives the shortest string that round-trips, i.e. the number as typed: the float
        # 99.995 is stored as 99.99499999..., yet Excel and people round it to 100,00.
        d = Decimal(repr(float(x)))
    else:
        raise TypeError(f"Bukan angka: {x!r}")
    if not d.is_finite():
        raise ValueError(f"Angka tidak terhingga atau tidak valid: {x!r}")
    d = d.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return d.copy_abs() if d.is_zero() else d  # "-0,00" would read as a loss


def _pattern(decimals: int) -> str:
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def rupiah(amount: int | float, *, space: bool = False) -> str:
    """Rupiah in whole rupiah: "Rp3.741.209.000" (PUEBI) or "Rp 3.741.209.000" (``space=True``); "-Rp1.000"."""
    d = _decimal(amount, 0)
    sign = "-" if d < 0 else ""
    return f"{sign}Rp{' ' if space else ''}{format_decimal(abs(d), _pattern(0), locale=LOCALE)}"


def number(x: float, decimals: int = 2) -> str:
    """A number with decimal comma and thousands dot, exactly ``decimals`` decimals: "1.234,50"."""
    return format_decimal(_decimal(x, decimals), _pattern(decimals), locale=LOCALE)


def percent(x: float, decimals: int = 2) -> str:
    """Percent points with a "%" sign and no space: percent(96.6921) == "96,69%"."""
    return number(x, decimals) + "%"


def smart_number(x: float, max_decimals: int = 2) -> str:
    """A number without trailing zero decimals, for targets: 90.0 -> "90", 96.5 -> "96,5", 96.69 -> "96,69"."""
    d = _decimal(x, max_decimals)
    shown = max(0, -d.normalize().as_tuple().exponent) if not d.is_zero() else 0
    return format_decimal(d, _pattern(shown), locale=LOCALE)


def tanggal(d: dt.date) -> str:
    """A date as Indonesian documents write it: "27 Januari 2022"."""
    return format_date(d, "d MMMM y", locale=LOCALE)


# --- terbilang -------------------------------------------------------------------------
# Hand-written on purpose: num2words(lang="id") says "satu juta satu ribu" for 1.001.000,
# where Indonesian says "satu juta seribu". The rules are few and stable, so a small
# function we can test exhaustively beats a dependency we would have to patch around.

_DIGITS = ("", "satu", "dua", "tiga", "empat", "lima", "enam", "tujuh", "delapan", "sembilan")
_SCALES = ("", "ribu", "juta", "miliar", "triliun")  # groups of three digits, lowest first
_LIMIT = 10**15  # one thousand triliun: the first number without a scale word


def _below_thousand(n: int) -> list[str]:
    """Words for 1..999 ("seratus", "sebelas", "dua puluh satu")."""
    words: list[str] = []
    hundreds, rest = divmod(n, 100)
    if hundreds == 1:
        words.append("seratus")
    elif hundreds:
        words += [_DIGITS[hundreds], "ratus"]
    tens, ones = divmod(rest, 10)
    if rest == 10:
        words.append("sepuluh")
    elif rest == 11:
        words.append("sebelas")
    elif tens == 1:
        words += [_DIGITS[ones], "belas"]
    else:
        if tens:
            words += [_DIGITS[tens], "puluh"]
        if ones:
            words.append(_DIGITS[ones])
    return words


def terbilang(n: int) -> str:
    """A whole number in Indonesian words, lowercase: terbilang(1001000) == "satu juta seribu".

    Works up to 999.999.999.999.999 (below 1.000 triliun); negative numbers start with "minus".
    """
    if isinstance(n, bool):
        raise TypeError(f"Terbilang memerlukan bilangan bulat, bukan {n!r}")
    n = operator.index(n)  # a float such as 1.5 has no terbilang; refuse it instead of truncating
    if n < 0:
        return "minus " + terbilang(-n)
    if n >= _LIMIT:
        raise ValueError(
            f"Angka {n} terlalu besar untuk terbilang: batasnya di bawah seribu triliun (10^15)."
        )
    if n == 0:
        return "nol"
    words: list[str] = []
    for power in range(len(_SCALES) - 1, -1, -1):
        group = n // 1000**power % 1000
        if not group:
            continue
        if power == 1 and group == 1:
            words.append("seribu")  # only 1 in the thousands group: 1.001.000 = "satu juta seribu"
        else:
            words += _below_thousand(group)
            if _SCALES[power]:
                words.append(_SCALES[power])
    return " ".join(words)


def terbilang_rupiah(n: int) -> str:
    """An amount in words followed by "rupiah": "tiga miliar ... lima puluh ribu rupiah"."""
    return terbilang(n) + " rupiah"


# --- NIP and targets -------------------------------------------------------------------


def nip(digits: str) -> str:
    """An 18-digit NIP with the usual spaces: "19860926 201505 1 001"; anything else unchanged."""
    if len(digits) != 18 or not (digits.isascii() and digits.isdigit()):
        return digits  # not ours to correct: the validator reports a bad NIP
    return f"{digits[:8]} {digits[8:14]} {digits[14]} {digits[15:]}"


def target(t: Target | None, satuan: str = "") -> str:
    """A target as written in a PK: "90%", "96,5%", "80–90%", "5 dokumen", "WTP"; "-" when absent."""
    if t is None:
        return "-"
    if t.value is not None:
        shown = smart_number(t.value)
    elif t.is_range:
        shown = f"{smart_number(t.low)}{RANGE_DASH}{smart_number(t.high)}"
    elif t.text and t.text.strip():
        return t.text.strip()  # a predikat carries its own meaning; "WTP predikat" would be wrong
    else:
        return "-"
    unit = satuan.strip()
    if not unit:
        return shown
    return shown + unit if unit == "%" else f"{shown} {unit}"
