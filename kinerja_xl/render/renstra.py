"""The Renstra (five-year strategic plan) in the documents: the Manual IKU, the LAKIP's Renstra table and
history, and the one choice of an indicator's Renstra target.

Pure functions over the model, with formatting from :mod:`kinerja_xl.fmt` only. The one choice of an
indicator's Renstra target is :func:`kinerja_xl.checks.plan.renstra_target` (the check that the Realisasi
agrees with the Renstra uses it too), re-exported here for :mod:`.context`.

>>> from kinerja_xl import api
>>> kset, _ = api.load_set("workbooks")
>>> ri = next(r for r in kset.realisasi.indikator if r.kode == "IK-K.3")
>>> renstra_target(kset.renstra, ri)
Target(value=95.0, low=None, high=None, text=None)
"""

from __future__ import annotations

from typing import Sequence

from .. import fmt
from ..checks.plan import renstra_target  # noqa: F401  (the one choice, re-exported for the documents)
from ..model import ManualIku, Polaritas, RealisasiIndikator, Renstra, RenstraIndikator, RktRow, Target

JUDUL_MANUAL_IKU = "MANUAL INDIKATOR KINERJA UTAMA"
MANUAL_IKU_NAME = "Manual_IKU.docx"
KOSONG = "-"


# --- the Renstra target: one choice for every document ------------------------------------------------


# --- small helpers -----------------------------------------------------------------------------------------


def _target(t: Target | None, satuan: str) -> str:
    return fmt.target(t, satuan) if t is not None else KOSONG


def _value(v: float | None, satuan: str) -> str:
    return fmt.target(Target(value=v), satuan) if v is not None else KOSONG


def periode(renstra: Renstra) -> str:
    """ "2020-2024" ("" when the years are not filled in)."""
    years = renstra.years
    return f"{years[0]}-{years[-1]}" if years else ""


def _ordered(renstra: Renstra) -> list[tuple[RenstraIndikator | None, ManualIku | None]]:
    """The IKU in the Renstra table's order with their Manual IKU rows; a Manual IKU row of a code the
    table lacks comes last."""
    out = [(ind, renstra.manual_of(ind.kode)) for ind in renstra.indikator]
    known = {ind.kode for ind in renstra.indikator}
    out += [(None, m) for m in renstra.manual if m.kode not in known]
    return out


# --- Manual IKU -------------------------------------------------------------------------------------------


def has_manual(renstra: Renstra | None) -> bool:
    """Whether a Manual IKU document is made: a Renstra with at least one Manual IKU row."""
    return renstra is not None and bool(renstra.manual)


def _polaritas(p: Polaritas | None) -> str:
    if p is None:
        return KOSONG
    return {Polaritas.POSITIF: "Positif (semakin tinggi semakin baik)",
            Polaritas.NEGATIF: "Negatif (semakin rendah semakin baik)"}[p]


def _manual_rows(renstra: Renstra, ind: RenstraIndikator | None, m: ManualIku) -> list[dict]:
    nama = (ind.nama if ind else "") or m.nama
    satuan = ind.satuan if ind else ""
    rows = [
        ("Sasaran Strategis", ind.sasaran if ind else ""),
        ("Indikator Kinerja Utama", nama),
        ("Definisi Operasional", m.definisi),
        ("Formula / Cara Perhitungan", m.formula),
        ("Satuan", satuan),
        ("Polaritas", _polaritas(ind.polaritas if ind else None)),
        ("Sumber Data", m.sumber_data),
        ("Penanggung Jawab", m.penanggung_jawab),
        ("Jenis Cascading", m.cascading.value.capitalize() if m.cascading else ""),
        ("Periode Pelaporan", m.periode.capitalize()),
    ]
    if m.penurunan is not None:
        rows.append(("Realisasi dari Bawahan", m.penurunan.value.capitalize()))
    if ind is not None and ind.baseline is not None:
        rows.append(("Baseline", _target(ind.baseline, satuan)))
    for i, tahun in enumerate(renstra.years):
        t = ind.targets[i] if ind is not None and i < len(ind.targets) else None
        rows.append((f"Target Tahun {tahun}", _target(t, satuan)))
    out = [{"label": label, "isi": " ".join(str(text).split()) or KOSONG, "akhir": False} for label, text in rows]
    out[-1]["akhir"] = True  # the last row is not kept with what follows: one IKU's chain ends with its table
    return out


def manual_iku_context(renstra: Renstra, *, draf: bool = False) -> dict:
    """Context of the Manual IKU: one table per IKU, Sasaran Strategis to the target of each year of the period."""
    iku = []
    for no, (ind, m) in enumerate(((i, m) for i, m in _ordered(renstra) if m is not None), 1):
        iku.append({"no": str(no), "kode": m.kode, "nama": (ind.nama if ind else "") or m.nama or m.kode,
                    "baris": _manual_rows(renstra, ind, m)})
    span = periode(renstra)
    return {
        "draf": draf,
        "judul": JUDUL_MANUAL_IKU,
        "satker": renstra.satker,
        "satker_judul": renstra.satker.upper(),
        "periode": span,
        "judul_periode": f"RENCANA STRATEGIS TAHUN {span}" if span else "RENCANA STRATEGIS",
        "penetapan": renstra.penetapan,
        "iku": iku,
    }


# --- LAKIP Bab II.A: the Renstra table ----------------------------------------------------------------------

TAHUN_KOLOM = 5  # the year columns of the LAKIP's Renstra table (spec.RENSTRA_YEARS)


def renstra_table(renstra: Renstra | None, tahun: int | None) -> dict | None:
    """The LAKIP's Bab II.A table: per sasaran strategis its IKU, baseline and the target of each year,
    the report's year marked "*" in the header. None without a Renstra holding indicators."""
    if renstra is None or not renstra.indikator:
        return None
    years = list(renstra.years[:TAHUN_KOLOM])
    labels = [f"{y}*" if y == tahun else str(y) for y in years]
    labels += [""] * (TAHUN_KOLOM - len(labels))
    groups: list[dict] = []
    for ind in renstra.indikator:
        targets = [_target(ind.targets[i] if i < len(ind.targets) else None, ind.satuan) for i in range(len(years))]
        row = {"kode": ind.kode, "nama": ind.nama, "baseline": _target(ind.baseline, ind.satuan),
               "target": targets + [""] * (TAHUN_KOLOM - len(targets))}
        key = (ind.kode_sasaran, ind.sasaran)
        if groups and groups[-1]["_key"] == key:
            groups[-1]["indikator"].append(row)
        else:
            groups.append({"_key": key, "no": str(len(groups) + 1), "sasaran": ind.sasaran or KOSONG,
                           "indikator": [row]})
    for g in groups:
        del g["_key"]
    span = periode(renstra)
    marked = tahun in years
    intro = (f"Rencana Strategis {renstra.satker} Tahun {span}".strip()
             + (f" ({renstra.penetapan})" if renstra.penetapan.strip() else "")
             + " menetapkan sasaran strategis, indikator kinerja utama, kondisi awal (baseline) dan target setiap "
               "tahun berikut:")
    return {"periode": span, "tahun": labels, "sasaran": groups, "intro": intro,
            "catatan": f"* Tahun {tahun}: tahun laporan ini." if marked else ""}


# --- LAKIP Bab III.A: history, national standard, supporting kegiatan ------------------------------------------


def riwayat(renstra: Renstra | None, ri: RealisasiIndikator, tahun: int | None, realisasi: float | None) -> str:
    """ "Perkembangan realisasi dalam periode Renstra 2020-2024: 2020: 84%, 2021: 88%, 2022: 92%." from the
    Renstra's realisasi of the years before this one and this year's; "" when the Renstra has none."""
    ind = renstra.indikator_of(ri.kode) if renstra is not None else None
    if ind is None or tahun is None:
        return ""
    points: list[tuple[int, float]] = []
    for i, y in enumerate(renstra.years):
        if y < tahun and i < len(ind.realisasi) and ind.realisasi[i] is not None:
            points.append((y, ind.realisasi[i]))
    if not points:
        return ""
    if realisasi is not None and renstra.year_index(tahun) is not None:
        points.append((tahun, realisasi))
    listed = ", ".join(f"{y}: {_value(v, ri.satuan)}" for y, v in points)
    text = f"Perkembangan realisasi dalam periode Renstra {periode(renstra)}: Realisasi {listed}."
    (y0, first), (y1, last) = points[0], points[-1]
    if len(points) > 1:
        unit = "poin persen" if ri.satuan.strip() == "%" else ri.satuan.strip()
        diff = f"{fmt.smart_number(abs(last - first))} {unit}".strip()
        trend = f"meningkat {diff}" if last > first else f"menurun {diff}" if last < first else "tetap"
        text += f" Sejak {y0} realisasi {trend}."
    return text


def standar(renstra: Renstra | None, ri: RealisasiIndikator, tahun: int | None, realisasi: float | None) -> str:
    """This year's realisasi against the national standard, where the Renstra gives one ("" otherwise):
    "... berada di atas standar nasional 90%."."""
    ind = renstra.indikator_of(ri.kode) if renstra is not None else None
    std = ind.standar if ind is not None else None
    if std is None:
        return ""
    shown = fmt.target(std, ri.satuan)
    value = std.comparable()
    if not std.is_numeric or value is None:
        return f"Standar nasional untuk indikator ini: {shown}."
    if realisasi is None:
        return f"Standar nasional untuk indikator ini sebesar {shown}; realisasi tahun {tahun} belum berupa angka."
    real = _value(realisasi, ri.satuan)
    if std.is_range and std.low <= realisasi <= std.high:
        where = f"berada dalam rentang standar nasional {shown}"
    elif realisasi > (std.high if std.is_range else value):
        where = f"berada di atas standar nasional {shown}"
    elif realisasi < value:
        where = f"berada di bawah standar nasional {shown}"
    else:
        where = f"sama dengan standar nasional {shown}"
    negatif = ri.polaritas == Polaritas.NEGATIF
    return (f"Realisasi tahun {tahun} sebesar {real} {where}"
            + (" (polaritas negatif: semakin rendah semakin baik)." if negatif else "."))


def kegiatan_pendukung(rows: Sequence[RktRow], kode: str, kode_sasaran: str = "") -> list[RktRow]:
    """The RKT kegiatan that serve an indicator: its own rows, else those of its sasaran (``kode_sasaran``,
    or the one its RKT rows name); each kegiatan once."""
    own = [r for r in rows if r.indikator.kode == kode and (r.kode_kegiatan or r.kegiatan)]
    if not own:
        sasaran = {r.indikator.kode_sasaran for r in rows if r.indikator.kode == kode} | {kode_sasaran}
        sasaran.discard("")
        own = [r for r in rows if r.indikator.kode_sasaran in sasaran and (r.kode_kegiatan or r.kegiatan)]
    seen: dict[tuple[str, str], RktRow] = {}
    for r in own:
        seen.setdefault((r.kode_kegiatan, r.kegiatan), r)
    return list(seen.values())
