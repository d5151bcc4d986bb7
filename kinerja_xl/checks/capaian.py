"""Achievement (capaian) formulas, categories, budget absorption (serapan) and efficiency.

Pure functions over the model; every figure is in percent points (96.69 means 96,69%).
Capaian is reported uncapped: 150 means 150%, because the LAKIP must show the real figure
and explain it; capping is a presentation choice left to the renderer.

>>> from kinerja_xl.model import Polaritas, Target
>>> hitung(Target(2), 1, Polaritas.NEGATIF).value
150.0
>>> round(serapan(3741209000, 3617455634), 2)
96.69

Every document and output (Pengukuran, LAKIP, charts, roll-up, and the add-in through them)
measures an indicator with :func:`ukur` under one :class:`CapaianRules` (the category scale and
the scores of text targets), so one indicator never gets two categories.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping, Sequence

from ..model import Agregasi, Polaritas, RealisasiIndikator, Target


def _tidy(x: float) -> float:
    # Drop binary noise (75.99999999999999 for 76) so that a figure on a band boundary lands
    # in the band people expect; ten decimals is far beyond what any report shows.
    return round(x, 10) + 0.0  # + 0.0 turns -0.0 into 0.0


# --- quarterly aggregation ---------------------------------------------------------------


def aggregate(triwulan: Sequence[float | None], agregasi: Agregasi | None) -> float | None:
    """The year's realisasi from the quarters filled in; None when no quarter is filled.

    KUMULATIF sums the filled quarters, AKHIR takes the last filled one (a status),
    RATA_RATA averages the filled ones. ``agregasi=None`` means KUMULATIF: the template
    leaves the column optional, and DOMAIN.md lists cumulative first; an undeclared
    status indicator with several quarters then shows a capaian far above 100%, which
    a reader notices, rather than a quietly low one.

    >>> aggregate((10, None, 5, None), Agregasi.AKHIR)
    5
    """
    filled = [q for q in triwulan if q is not None]
    if not filled:
        return None
    if agregasi is None or agregasi == Agregasi.KUMULATIF:
        return sum(filled)
    if agregasi == Agregasi.AKHIR:
        return filled[-1]
    if agregasi == Agregasi.RATA_RATA:
        return sum(filled) / len(filled)
    raise ValueError(f"Agregasi tidak dikenal: {agregasi!r}")


def annual_realisasi(ri: RealisasiIndikator) -> float | None:
    """The year's realisasi: ``ri.tahunan`` when typed in, else the aggregate of the quarters."""
    if ri.tahunan is not None:
        return ri.tahunan
    return aggregate(ri.triwulan, ri.agregasi)


# --- category scale ----------------------------------------------------------------------


def _is_number(x: object) -> bool:
    return isinstance(x, (int, float)) and not isinstance(x, bool) and not math.isnan(x)


@dataclass(frozen=True)
class Band:
    """One category: from ``lower`` (inclusive) up to the next band's lower bound (exclusive)."""

    lower: float
    label: str


@dataclass(frozen=True)
class Scale:
    """A category scale, bands from the highest lower bound down.

    Bands are defined by their lower bound only, so any value falls into exactly one band:
    90.99 is "Baik" under the default (76 <= x < 91). The lowest band also takes
    everything below its bound (a negative capaian still needs a label).
    """

    bands: tuple[Band, ...]

    def __post_init__(self) -> None:
        if not self.bands:
            raise ValueError("Skala kategori tidak boleh kosong.")
        lowers = [b.lower for b in self.bands]
        if not all(_is_number(x) for x in lowers):
            raise ValueError(f"Batas bawah skala kategori harus berupa angka: {lowers}")
        if any(a <= b for a, b in zip(lowers, lowers[1:])):
            raise ValueError(
                f"Batas bawah skala kategori harus urut menurun dan tidak boleh kembar: {lowers}"
            )
        labels = [b.label.strip() for b in self.bands]
        if any(not label for label in labels) or len(set(labels)) != len(labels):
            raise ValueError(f"Nama kategori tidak boleh kosong atau kembar: {labels}")

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, float]) -> Scale:
        """A scale from {label: lower bound}, as written in a TOML file, in either sort order.

        >>> Scale.from_mapping({"Tinggi": 80, "Sedang": 60, "Rendah": 0}).category(79.9)
        'Sedang'
        """
        items = list(mapping.items())
        lowers = [lower for _, lower in items]
        if not all(_is_number(x) for x in lowers):
            raise ValueError(f"Batas bawah skala kategori harus berupa angka: {dict(items)}")
        # A bound out of order is almost always a typo ("Baik" = 96 instead of 76): refuse it
        # rather than sort it into a scale nobody meant.
        ascending = all(a < b for a, b in zip(lowers, lowers[1:]))
        descending = all(a > b for a, b in zip(lowers, lowers[1:]))
        if not (ascending or descending):
            raise ValueError(
                "Batas bawah skala kategori harus urut (naik atau turun) dan tidak boleh kembar: "
                + ", ".join(f"{label} = {lower}" for label, lower in items)
            )
        if ascending and not descending:
            items.reverse()
        return cls(tuple(Band(lower, label) for label, lower in items))

    def category(self, value: float) -> str:
        """The label of the band holding ``value``: DEFAULT_SCALE.category(90.5) == "Baik"."""
        for band in self.bands:
            if value >= band.lower:
                return band.label
        return self.bands[-1].label


DEFAULT_SCALE = Scale(
    (
        Band(91, "Sangat Baik"),
        Band(76, "Baik"),
        Band(66, "Cukup"),
        Band(51, "Kurang"),
        Band(0, "Sangat Kurang"),
    )
)


# --- capaian -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Capaian:
    """An achievement: ``value`` in percent points and its category, or None with a ``note`` saying why."""

    value: float | None
    category: str | None
    note: str = ""


def _none(note: str) -> Capaian:
    return Capaian(None, None, note)


def _ratio(target: float, realisasi: float, polaritas: Polaritas) -> float:
    # Multiply before dividing: 90 * 100 / 100 is exactly 90.0, 90 / 100 * 100 is not.
    if polaritas == Polaritas.NEGATIF:
        # PermenPAN-RB 8/2021: (1 + (1 - R/T)) x 100, floored at 0 (a capaian below 0 means nothing).
        return max(0.0, (2 * target - realisasi) * 100 / target)
    return realisasi * 100 / target


def _key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _text_capaian(
    target_text: str, realisasi_teks: str | None, mapping: Mapping[str, float] | None
) -> tuple[float | None, str]:
    """Capaian of a non-numeric target (a predikat such as "WTP"): equal text, or the mapping's ratio."""
    if realisasi_teks is None or not realisasi_teks.strip():
        return None, "target bukan angka; realisasi (teks) belum diisi"
    if _key(realisasi_teks) == _key(target_text):
        return 100.0, ""
    scores = {_key(k): v for k, v in (mapping or {}).items()}
    t, r = scores.get(_key(target_text)), scores.get(_key(realisasi_teks))
    if t is None or r is None:
        missing = [s for s, v in ((target_text, t), (realisasi_teks, r)) if v is None]
        return None, (
            "target bukan angka; tidak ada nilai pemetaan untuk "
            + " dan ".join(f'"{s.strip()}"' for s in missing)
        )
    if t <= 0:
        return None, f'target bukan angka; nilai pemetaan "{target_text.strip()}" harus lebih dari 0'
    return r * 100 / t, ""


def hitung(
    target: Target | None,
    realisasi: float | None,
    polaritas: Polaritas | None,
    *,
    realisasi_teks: str | None = None,
    scale: Scale = DEFAULT_SCALE,
    mapping: Mapping[str, float] | None = None,
) -> Capaian:
    """Capaian of one indicator (DOMAIN.md "Capaian"); uncapped, None with a note when undefined.

    - positive polarity: R / T x 100; negative: (2T - R) / T x 100, floored at 0.
      ``polaritas=None`` counts as positive (the validator reports the missing polaritas).
    - range [low, high]: 100 inside; above the range the polarity formula with T = high,
      below it with T = low (positive: above > 100, below < 100; negative: the reverse).
      A range written high-low is read as low-high.
    - target 0: no division; 100 when realisasi is 0 too, else None with a note.
    - text target ("WTP", "B"): 100 when ``realisasi_teks`` is the same text (case and spaces
      ignored); else ``mapping`` scores (higher is better) give score(R) / score(T) x 100.

    >>> hitung(Target(low=80, high=90), 99, Polaritas.POSITIF).value
    110.0
    >>> hitung(Target(text="WTP"), None, None, realisasi_teks="WDP", mapping={"WTP": 100, "WDP": 75}).value
    75.0
    """
    if target is None:
        return _none("target belum diisi")
    if not target.is_numeric:
        if target.text is None or not target.text.strip():
            return _none("target belum diisi")
        value, note = _text_capaian(target.text, realisasi_teks, mapping)
        if value is None:
            return _none(note)
        value = _tidy(value)
        return Capaian(value, scale.category(value))
    if realisasi is None:
        if realisasi_teks is not None and realisasi_teks.strip():
            return _none("target berupa angka tetapi realisasi bukan angka")
        return _none("realisasi belum diisi")
    pol = polaritas or Polaritas.POSITIF
    bounds = (target.value,) if target.value is not None else (target.low, target.high)
    if not all(math.isfinite(x) for x in (realisasi, *bounds)):  # the reader refuses these; never "Sangat Baik"
        return _none("target atau realisasi bukan angka terhingga")

    if target.value is not None:  # value first, as Target.comparable() and fmt.target() do
        t = target.value
    else:
        low, high = sorted((target.low, target.high))
        if low <= realisasi <= high:
            return Capaian(100.0, scale.category(100.0))
        t = high if realisasi > high else low
    if t == 0:
        if realisasi == 0:
            return Capaian(100.0, scale.category(100.0))
        return _none("target 0: capaian tidak dapat dihitung sebagai persentase")
    if t < 0:
        return _none("target negatif: capaian tidak dapat dihitung sebagai persentase")
    value = _tidy(_ratio(t, realisasi, pol))
    if not math.isfinite(value):  # 1e300 / 1e-300 overflows
        return _none("capaian di luar jangkauan angka")
    return Capaian(value, scale.category(value))


# --- the one entry point -------------------------------------------------------------------


@dataclass(frozen=True)
class CapaianRules:
    """The one configuration of capaian: the category scale and the scores of text targets.

    Built once (from ``--skala FILE``, see :meth:`from_toml`, or the defaults) and handed to every
    consumer; :func:`ukur` is the only place it is applied.
    """

    scale: Scale = DEFAULT_SCALE
    mapping: Mapping[str, float] | None = None  # scores for text targets ("WTP": 100, "WDP": 75, ...)

    def category(self, value: float) -> str:
        """The category of a figure that is not one indicator's (the mean capaian of the LAKIP)."""
        return self.scale.category(value)

    @classmethod
    def from_toml(cls, path: str | Path) -> CapaianRules:
        """Rules from a TOML file: ``[kategori]`` label = lower bound, optional ``[predikat]`` text = score.

        >>> import tempfile, os
        >>> with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
        ...     _ = f.write('[kategori]\\n"Tinggi" = 80\\n"Rendah" = 0\\n')
        >>> CapaianRules.from_toml(f.name).category(79)
        'Rendah'
        >>> os.unlink(f.name)
        """
        import tomllib

        path = Path(path)
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except OSError as exc:
            raise ValueError(f"Berkas skala {path} tidak dapat dibaca: {exc.strerror or exc}") from None
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise ValueError(f"Berkas skala {path} bukan TOML yang sah: {exc}") from None
        return cls.from_dict(raw, source=str(path))

    @classmethod
    def from_dict(cls, raw: Mapping[str, Any], *, source: str = "skala") -> CapaianRules:
        """Rules from the parsed TOML (see :meth:`from_toml`); unknown keys are refused (a typo)."""
        unknown = sorted(set(raw) - {"kategori", "predikat"})
        if unknown:
            raise ValueError(f"{source}: bagian tidak dikenal {', '.join(unknown)}; "
                             "yang dikenal: [kategori] dan [predikat].")
        kategori, predikat = raw.get("kategori"), raw.get("predikat")
        if kategori is not None and (not isinstance(kategori, Mapping) or not kategori):
            raise ValueError(f"{source}: [kategori] harus berisi nama kategori = batas bawah (persen).")
        if predikat is not None and (not isinstance(predikat, Mapping)
                                     or not all(_is_number(v) for v in predikat.values())):
            raise ValueError(f"{source}: [predikat] harus berisi teks target = nilai (angka).")
        try:
            scale = Scale.from_mapping(kategori) if kategori is not None else DEFAULT_SCALE
        except ValueError as exc:
            raise ValueError(f"{source}: {exc}") from None
        return cls(scale, dict(predikat) if predikat is not None else None)


DEFAULT_RULES = CapaianRules()


SCALE_FILE = "skala.toml"  # a satker folder's own rules, read when no --skala is given (as hirarki.toml)


def rules_for(folder: str | Path | None, given: CapaianRules | str | Path | None = None) -> CapaianRules:
    """The rules for one satker folder: ``given`` (``--skala FILE``) when there is one, else the
    folder's ``skala.toml``, else the defaults. ``build``, the roll-up and the Excel add-in (which has
    no command line) all choose so: one folder, one set of categories.
    """
    if given is None and folder is not None and (Path(folder) / SCALE_FILE).is_file():
        given = Path(folder) / SCALE_FILE
    return load_rules(given)


def load_rules(source: CapaianRules | str | Path | None) -> CapaianRules:
    """The rules of a run: given, read from a TOML file (``--skala FILE``), or the defaults for None.

    A file that cannot be used is a :class:`~kinerja_xl.errors.UsageError` (exit code 2), like any
    wrong argument: no document or roll-up is made with a scale nobody meant.
    """
    if source is None:
        return DEFAULT_RULES
    if isinstance(source, CapaianRules):
        return source
    from ..errors import UsageError

    if not Path(source).is_file():
        raise UsageError(f"Berkas skala tidak ditemukan: {source}")
    try:
        return CapaianRules.from_toml(source)
    except ValueError as exc:
        raise UsageError(str(exc)) from None


def ukur(ri: RealisasiIndikator, rules: CapaianRules = DEFAULT_RULES, *, renstra: bool = False) -> Capaian:
    """Capaian of one indicator of the realisation workbook: the one entry point of every consumer.

    The year's realisasi (:func:`annual_realisasi`) against the year's target, or against the
    Renstra target with ``renstra=True``; categories and text-target scores from ``rules``.
    """
    target = ri.target_renstra if renstra else ri.target
    return hitung(target, annual_realisasi(ri), ri.polaritas, realisasi_teks=ri.teks, scale=rules.scale,
                  mapping=rules.mapping)


# --- budget ------------------------------------------------------------------------------


def serapan(pagu: int | None, realisasi: int | None) -> float | None:
    """Budget absorption in percent: realisasi / pagu x 100; None without a positive pagu.

    >>> round(serapan(3741209000, 3617455634), 4)
    96.6922
    """
    if pagu is None or realisasi is None or pagu <= 0:
        return None
    return _tidy(realisasi * 100 / pagu)


def efisiensi(capaian_kinerja: float | None, serapan_anggaran: float | None) -> float | None:
    """Efficiency: capaian kinerja / serapan anggaran x 100, both in percent points.

    It answers Bab III.A's question "was the result worth the money": 100 means the result
    came at the planned cost per unit; above 100, more result per rupiah than planned (e.g.
    capaian 100% with serapan 96,69% gives 103,42); below 100, less. None when either
    figure is missing or nothing was spent (no rupiah to divide by).
    """
    if capaian_kinerja is None or serapan_anggaran is None or serapan_anggaran <= 0:
        return None
    return _tidy(capaian_kinerja * 100 / serapan_anggaran)


def efisiensi_label(value: float | None) -> str:
    """ "efisien" from 100 up, "kurang efisien" below, "tidak dapat dihitung" for None."""
    if value is None:
        return "tidak dapat dihitung"
    return "efisien" if value >= 100 else "kurang efisien"
