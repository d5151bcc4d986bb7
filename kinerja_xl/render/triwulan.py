"""The Laporan Capaian Kinerja Triwulan: one satker report and one per official, for one quarter (TW I-IV).

What each official reported in the Monitoring sheets of the PK (realisasi, kendala and tindak lanjut per
indicator, the budget spent per kegiatan) against the Rencana Aksi (the target of each quarter and the
quarterly budget plan), to the end of the quarter asked: the quarter's own figures, the figures "s.d. TW N"
(the quarters so far, added up by the indicator's agregasi: :func:`~kinerja_xl.checks.capaian.aggregate`),
the capaian s.d. TW N and its category (:func:`~kinerja_xl.checks.capaian.ukur`, under the build's rules)
and a chart of the capaian quarter by quarter. The satker report adds who has reported and who has not
(DOMAIN.md, "Monitoring triwulan": the province wants to see who has not reported yet).

Contexts are pure (the model in, formatted strings out), as in :mod:`.context`; :func:`reports` lists the
documents of a quarter with their contexts and charts, which :func:`~kinerja_xl.render.build.render_set`
renders and moves into place.

>>> parse_triwulan("III"), parse_triwulan(2), ROMAWI[4]
(3, 2, 'IV')
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

from .. import fmt
from ..checks.capaian import Capaian, aggregate, serapan, ukur
from ..errors import UsageError
from ..levels import Hierarchy
from ..model import Agregasi, Indikator, KinerjaSet, PerjanjianKinerja, RealisasiIndikator, Target
from .context import (
    DEFAULT_OPTIONS, RenderOptions, _mark_last, ordered_pks, persen, ribuan, satker_panjang, tempat_tanggal,
    top_pk,
)

ROMAWI = {1: "I", 2: "II", 3: "III", 4: "IV"}
JUDUL = "LAPORAN CAPAIAN KINERJA"
TEMPLATE_SATKER, TEMPLATE_PEJABAT = "triwulan", "triwulan_pejabat"
TEMPLATE_LAMA = "template lama tanpa lembar Monitoring"
SEMUA_MELAPORKAN = "Semua pejabat telah melaporkan."
BELUM_DILAPORKAN = "belum dilaporkan"


def parse_triwulan(value: int | str) -> int:
    """The quarter 1..4 from "2", 2, "II", "ii" or "TW II"; a :class:`UsageError` (exit code 2) otherwise."""
    text = str(value).strip().upper()
    if text.startswith("TW"):
        text = text[2:].strip()
    by_roman = {v: k for k, v in ROMAWI.items()}
    if text in by_roman:
        return by_roman[text]
    if text.isdigit() and int(text) in ROMAWI:
        return int(text)
    raise UsageError(f"Triwulan tidak dikenal: {value}. Tulis 1 sampai 4 (atau I sampai IV), "
                     "mis. --triwulan 2 untuk Triwulan II.")


def akhir_triwulan(tahun: int | None, tw: int) -> dt.date | None:
    """The last day of the quarter: 31 Maret, 30 Juni, 30 September, 31 Desember."""
    if tahun is None:
        return None
    month = 3 * tw
    return dt.date(tahun, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.date(tahun, 12, 31)


def satker_filename(tw: int) -> str:
    return f"Laporan_Triwulan_{ROMAWI[tw]}.docx"


def folder_name(tw: int) -> str:
    return f"Triwulan_{ROMAWI[tw]}"


def pejabat_filename(pk_name: str, tw: int) -> str:
    """An official's report named after the PK's document: "PK_07_Sekretaris.docx" ->
    "Capaian_TWII_PK_07_Sekretaris.docx" (the PK's name from :func:`~kinerja_xl.render.build.pk_filenames`)."""
    return f"Capaian_TW{ROMAWI[tw]}_{pk_name}"


# --- measuring one indicator to the end of a quarter ---------------------------------------------------------


def target_sd(targets: Sequence[Target | None], agregasi: Agregasi | None) -> Target | None:
    """The target to the end of the quarters given (the Rencana Aksi's), added up as the realisasi are.

    Numbers and ranges go through :func:`~kinerja_xl.checks.capaian.aggregate` (a range bound by bound);
    a text target ("WTP") is the last one written, as a status is.
    """
    filled = [t for t in targets if t is not None]
    if not filled:
        return None
    if all(t.value is not None for t in filled):
        return Target(value=aggregate([t.value for t in filled], agregasi))
    if all(t.is_range for t in filled):
        return Target(low=aggregate([t.low for t in filled], agregasi),
                      high=aggregate([t.high for t in filled], agregasi))
    return filled[-1]


@dataclass(frozen=True)
class CapaianTriwulan:
    """One indicator measured to the end of quarter ``tw``."""

    indikator: Indikator
    tw: int
    realisasi: tuple  # float | None per quarter, TW I..IV (as reported)
    teks: tuple  # str | None per quarter
    kendala: str
    tindak_lanjut: str
    dilaporkan: bool  # a realisasi of quarter tw is filled in
    target_sd: Target | None
    realisasi_sd: float | None
    capaian: Capaian
    tren: tuple[float | None, ...]  # capaian s.d. TW I .. s.d. TW tw


def _as_realisasi(ind: Indikator, realisasi: Sequence, teks: Sequence, upto: int) -> RealisasiIndikator:
    """The indicator to the end of quarter ``upto`` as the one capaian entry point reads an indicator."""
    quarters = tuple(realisasi[:upto]) + (None,) * (4 - upto)
    texts = [t for t in teks[:upto] if t is not None and str(t).strip()]
    return RealisasiIndikator(ind.kode, ind.nama, ind.satuan, target=target_sd(ind.target_tw[:upto], ind.agregasi),
                              polaritas=ind.polaritas, agregasi=ind.agregasi, triwulan=quarters,
                              teks=texts[-1] if texts else None)


def measure_tw(ind: Indikator, realisasi: Sequence, teks: Sequence, kendala: Sequence, tindak_lanjut: Sequence,
               tw: int, options: RenderOptions = DEFAULT_OPTIONS) -> CapaianTriwulan:
    """One indicator's figures for quarter ``tw`` and to its end; capaian by :func:`ukur` under the build's rules."""
    measured = [ukur(_as_realisasi(ind, realisasi, teks, k), options.rules) for k in range(1, tw + 1)]
    ri = _as_realisasi(ind, realisasi, teks, tw)
    reported = realisasi[tw - 1] is not None or (teks[tw - 1] is not None and str(teks[tw - 1]).strip() != "")
    tren = tuple(c.value for c in measured)
    if not reported:
        # Not "s.d. TW III" under a TW IV heading: a quarter not reported has no capaian to its end (an
        # earlier quarter's figure would read as this quarter's in the report and in the official's mean).
        return CapaianTriwulan(ind, tw, tuple(realisasi), tuple(teks), "", "", False, ri.target, None,
                               Capaian(None, None, BELUM_DILAPORKAN), tren[:-1] + (None,))
    return CapaianTriwulan(ind, tw, tuple(realisasi), tuple(teks), (kendala[tw - 1] or "").strip(),
                           (tindak_lanjut[tw - 1] or "").strip(), reported, ri.target,
                           aggregate(ri.triwulan, ri.agregasi), measured[-1], tren)


def measure_pk(pk: PerjanjianKinerja, tw: int, options: RenderOptions = DEFAULT_OPTIONS) -> list[CapaianTriwulan]:
    """Every indicator of the PK with what its Monitoring sheet holds (nothing: an older template)."""
    out = []
    for ind in pk.indikator:
        m = pk.monitoring_of(ind.kode)
        if m is None:
            out.append(measure_tw(ind, (None,) * 4, (None,) * 4, ("",) * 4, ("",) * 4, tw, options))
        else:
            out.append(measure_tw(ind, m.realisasi, m.teks, m.kendala, m.tindak_lanjut, tw, options))
    return out


def measure_satker(kset: KinerjaSet, hierarchy: Hierarchy, tw: int,
                   options: RenderOptions = DEFAULT_OPTIONS) -> list[CapaianTriwulan]:
    """The satker's indicators: the Ketua's PK's, each quarter from the Realisasi workbook where it has the
    quarter filled in, else from the Ketua's Monitoring sheet (kendala and tindak lanjut from the latter)."""
    top = top_pk(kset, hierarchy)
    if top is None:
        return []
    real = {ri.kode: ri for ri in kset.realisasi.indikator} if kset.realisasi else {}
    out = []
    for ind in top.indikator:
        m, ri = top.monitoring_of(ind.kode), real.get(ind.kode)
        if ind.agregasi is None and ri is not None:  # an older PK without Rencana Aksi: the workbook's own
            ind = dataclasses.replace(ind, agregasi=ri.agregasi)
        mon_real = m.realisasi if m else (None,) * 4
        teks = m.teks if m else (None,) * 4
        quarters = tuple(ri.triwulan[k] if ri is not None and ri.triwulan[k] is not None else mon_real[k]
                         for k in range(4))
        out.append(measure_tw(ind, quarters, teks, m.kendala if m else ("",) * 4,
                              m.tindak_lanjut if m else ("",) * 4, tw, options))
    return out


# --- reporting status ------------------------------------------------------------------------------------------


def status_pelaporan(pk: PerjanjianKinerja, tw: int) -> tuple[bool, str]:
    """(reported, why not): every indicator of the PK has a realisasi of quarter ``tw`` in its Monitoring sheet."""
    if pk.monitoring is None:
        return False, TEMPLATE_LAMA
    missing = [ind.kode for ind in pk.indikator
               if (m := pk.monitoring_of(ind.kode)) is None or not m.reported(tw)]
    if missing:
        return False, f"realisasi TW {ROMAWI[tw]} belum diisi untuk {', '.join(missing)}"
    return True, ""


def last_reported(kset: KinerjaSet) -> int | None:
    """The last quarter for which any official in force has reported a realisasi (None: none yet)."""
    found = [tw for pk in kset.pks for m in pk.monitoring or () for tw in range(1, 5) if m.reported(tw)]
    return max(found) if found else None


def _mean(values: Sequence[float | None]) -> float | None:
    filled = [v for v in values if v is not None]
    return sum(filled) / len(filled) if filled else None


# --- contexts --------------------------------------------------------------------------------------------------


def _value(value: float | None, satuan: str) -> str:
    return "-" if value is None else fmt.target(Target(value=value), satuan)


def _indikator_rows(measured: Sequence[CapaianTriwulan]) -> list[dict]:
    rows = []
    for n, c in enumerate(measured, 1):
        ind, i = c.indikator, c.tw - 1
        real_tw = _value(c.realisasi[i], ind.satuan) if c.realisasi[i] is not None else (
            str(c.teks[i]).strip() if c.teks[i] is not None and str(c.teks[i]).strip() else BELUM_DILAPORKAN)
        texts = [t for t in c.teks[:c.tw] if t is not None and str(t).strip()]
        real_sd = _value(c.realisasi_sd, ind.satuan) if c.realisasi_sd is not None else (
            str(texts[-1]).strip() if texts else "-")
        rows.append({
            "no": str(n), "kode": ind.kode, "nama": ind.nama, "satuan": ind.satuan or "-",
            "target_tw": fmt.target(ind.target_tw[i], ind.satuan),
            "realisasi_tw": real_tw,
            "target_sd": fmt.target(c.target_sd, ind.satuan),
            "realisasi_sd": real_sd,
            "capaian": persen(c.capaian.value),
            "kategori": c.capaian.category or "-",
            "catatan": c.capaian.note,
            "kendala": c.kendala or "-",
            "tindak_lanjut": c.tindak_lanjut or "-",
        })
    return _mark_last(rows)


def _sum(values: Sequence[int | None]) -> int | None:
    filled = [v for v in values if v is not None]
    return sum(filled) if filled else None


def _anggaran(lines: Sequence[tuple[str, str, int | None, int | None, int | None]],
              options: RenderOptions) -> dict:
    """The budget table from (kode, uraian, pagu, rencana s.d., realisasi s.d.) lines, with the totals."""
    rows = _mark_last([{"no": str(n), "kode": k, "uraian": u, "pagu": ribuan(p), "rencana": ribuan(r),
                        "realisasi": ribuan(s), "serapan": persen(serapan(p, s))}
                       for n, (k, u, p, r, s) in enumerate(lines, 1)])
    pagu, rencana, real = (_sum([line[i] for line in lines]) for i in (2, 3, 4))
    return {"anggaran": rows, "ada_anggaran": bool(rows), "total_pagu": ribuan(pagu),
            "total_rencana": ribuan(rencana), "total_realisasi": ribuan(real),
            "total_serapan": persen(serapan(pagu, real))}


def _pk_lines(pk: PerjanjianKinerja, tw: int) -> list[tuple]:
    spent = {m.kode: m for m in pk.monitoring_anggaran or ()}
    return [(a.kode, a.uraian, a.jumlah, _sum(a.rencana_tw[:tw]),
             _sum(spent[a.kode].realisasi[:tw]) if a.kode in spent else None) for a in pk.anggaran]


def _satker_lines(kset: KinerjaSet, hierarchy: Hierarchy, top: PerjanjianKinerja | None, tw: int) -> list[tuple]:
    """The satker's budget: the Ketua's PK lines and the Ketua's own Monitoring Anggaran.

    Why the Ketua's own sheet and not a sum: a kegiatan is handed down unchanged from the Ketua through the
    Sekretaris to the Eselon IV who runs it, and each of these PKs reports the same spending again; summing
    the PKs would count it two or three times. The Ketua's sheet is the satker's figure (the Ketua signs this
    report). Only a line the Ketua's sheet lacks is taken from the PKs of the lowest level holding that
    kegiatan (where the money is spent), summed when several units share it.
    """
    if top is None:
        return []
    order = {lv.id: i for i, lv in enumerate(hierarchy.levels)}
    own = {m.kode for m in top.monitoring_anggaran or ()}
    lines = []
    for kode, uraian, pagu, rencana, real in _pk_lines(top, tw):
        if kode not in own:
            holders = [pk for pk in kset.pks
                       if pk is not top and any(m.kode == kode for m in pk.monitoring_anggaran or ())]
            if holders:
                deepest = max(order.get(pk.level, -1) for pk in holders)
                real = _sum([_sum(m.realisasi[:tw]) for pk in holders if order.get(pk.level, -1) == deepest
                             for m in pk.monitoring_anggaran if m.kode == kode])
        lines.append((kode, uraian, pagu, rencana, real))
    return lines


def _ttd(pk: PerjanjianKinerja | None) -> dict:
    """The signer: the official of the PK, with the acting status before the jabatan (Plt. ...)."""
    if pk is None:
        return {"label": "", "nama": "", "jabatan": "", "nip": ""}
    p = pk.pihak_pertama
    return {"label": "", "nama": p.nama, "jabatan": p.jabatan_lengkap, "nip": fmt.nip(p.nip) if p.nip else ""}


def _common(pk: PerjanjianKinerja | None, satker: str, tahun: int | None, tw: int, measured: Sequence[CapaianTriwulan],
            budget: dict, options: RenderOptions, gambar: str | Path | None) -> dict:
    tahun_text = str(tahun or "")
    reported = [c for c in measured if c.dilaporkan]
    return {
        "draf": options.draf,
        "judul": JUDUL,
        "judul_lengkap": f"{JUDUL} TRIWULAN {ROMAWI[tw]} TAHUN {tahun_text}".strip(),
        "tw": ROMAWI[tw],
        "tahun": tahun_text,
        "satker": satker,
        "satker_panjang": satker_panjang(satker),
        "pejabat": {"nama": pk.pihak_pertama.nama if pk else "-",
                    "jabatan": pk.pihak_pertama.jabatan_lengkap if pk else "-",
                    "unit": (pk.unit or pk.satker or "-") if pk else "-"},  # the Ketua's unit: the satker
        "indikator": _indikator_rows(measured),
        "ringkasan": (f"{len(reported)} dari {len(measured)} indikator telah dilaporkan realisasinya untuk "
                      f"Triwulan {ROMAWI[tw]}; rata-rata capaian s.d. Triwulan {ROMAWI[tw]}: "
                      f"{persen(_mean([c.capaian.value for c in measured]))}."),
        **budget,
        "gambar": {"tren": str(gambar) if gambar else ""},
        "tempat_tanggal": tempat_tanggal(pk.tempat if pk else "", akhir_triwulan(tahun, tw), tahun),
        "ttd": _ttd(pk),
    }


def pejabat_context(pk: PerjanjianKinerja, hierarchy: Hierarchy, tw: int, *,
                    options: RenderOptions = DEFAULT_OPTIONS, gambar: str | Path | None = None) -> dict:
    """Context of one official's quarterly report (template ``triwulan_pejabat``)."""
    level = hierarchy.get(pk.level)
    show_budget = level is None or level.anggaran or bool(pk.anggaran)
    budget = _anggaran(_pk_lines(pk, tw) if show_budget else [], options)
    ctx = _common(pk, pk.satker, pk.tahun, tw, measure_pk(pk, tw, options), budget, options, gambar)
    done, why = status_pelaporan(pk, tw)
    ctx["status"] = "sudah melaporkan" if done else f"belum melaporkan ({why})"
    return ctx


def satker_context(kset: KinerjaSet, hierarchy: Hierarchy, tw: int, *, options: RenderOptions = DEFAULT_OPTIONS,
                   gambar: str | Path | None = None) -> dict:
    """Context of the satker's quarterly report (template ``triwulan``): the Ketua's indicators and budget,
    every official's reporting, and who has not reported."""
    top = top_pk(kset, hierarchy)
    ctx = _common(top, kset.satker, kset.tahun, tw, measure_satker(kset, hierarchy, tw, options),
                  _anggaran(_satker_lines(kset, hierarchy, top, tw), options), options, gambar)
    rekap, belum = [], []
    for n, pk in enumerate(ordered_pks(kset, hierarchy), 1):
        done, why = status_pelaporan(pk, tw)
        rata = _mean([c.capaian.value for c in measure_pk(pk, tw, options)])
        jabatan = pk.pihak_pertama.jabatan_lengkap or pk.pihak_pertama.nama
        rekap.append({"no": str(n), "jabatan": jabatan, "nama": pk.pihak_pertama.nama,
                      "jumlah": str(len(pk.indikator)), "lapor": "Sudah" if done else "Belum",
                      "keterangan": why or "-", "rata_rata": persen(rata)})
        if not done:
            belum.append(f"{jabatan} ({pk.pihak_pertama.nama}): belum melaporkan ({why}).")
    ctx.update({"rekap": _mark_last(rekap), "belum": belum, "semua_lapor": not belum,
                "semua_lapor_teks": SEMUA_MELAPORKAN})
    return ctx


# --- the chart and the documents -------------------------------------------------------------------------------


def tren_chart(measured: Sequence[CapaianTriwulan], tw: int, path: Path, *, judul: str = "") -> Path | None:
    """Line chart of the capaian s.d. each quarter TW I..tw, one line per indicator, the 100% line dashed.

    None (no chart) when no indicator has a capaian yet.
    """
    if not any(v is not None for c in measured for v in c.tren):
        return None
    from . import charts  # loads matplotlib (Agg), with the charts' deterministic saving

    fig = charts.Figure(figsize=(7.5, 3.6))
    ax = fig.add_subplot()
    xs = list(range(1, tw + 1))
    top = 110.0
    for c in measured:
        points = [(x, v) for x, v in zip(xs, c.tren) if v is not None]
        if points:
            ax.plot([x for x, _ in points], [v for _, v in points], marker="o", linewidth=1.5, label=c.indikator.kode)
            top = max(top, *(v for _, v in points))
    ax.axhline(100, color=charts.MERAH, linewidth=1, linestyle="--", label="100%")
    ax.set_xticks(xs, [f"TW {ROMAWI[x]}" for x in xs])
    ax.set_xlim(0.6, tw + 0.4)
    ax.set_ylim(0, top * 1.12)
    ax.set_ylabel("Capaian s.d. triwulan (%)")
    ax.set_title(judul or f"Tren Capaian Kinerja s.d. Triwulan {ROMAWI[tw]}", fontsize=11)
    ax.legend(loc="center left", bbox_to_anchor=(1.01, 0.5), fontsize=8, frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return charts._save(fig, path)


def reports(kset: KinerjaSet, hierarchy: Hierarchy, tw: int, *, pk_names: Sequence[str], charts_dir: Path,
            options: RenderOptions = DEFAULT_OPTIONS) -> list[tuple[str, dict, Path]]:
    """Every report of quarter ``tw`` as (template kind, context, path relative to the output folder):
    the satker's at the top, one per official in ``Triwulan_<N>/`` named after the PK's file name
    (``pk_names``: :func:`~kinerja_xl.render.build.pk_filenames`, in :func:`ordered_pks` order). The
    charts are drawn into ``charts_dir``, which must outlive the rendering (the build's temporary folder).
    """
    chart = tren_chart(measure_satker(kset, hierarchy, tw, options), tw, charts_dir / "tren_satker.png",
                       judul=" ".join(f"Tren Capaian Kinerja {kset.satker} s.d. Triwulan {ROMAWI[tw]}".split()))
    out = [(TEMPLATE_SATKER, satker_context(kset, hierarchy, tw, options=options, gambar=chart),
            Path(satker_filename(tw)))]
    for n, (pk, name) in enumerate(zip(ordered_pks(kset, hierarchy), pk_names), 1):
        chart = tren_chart(measure_pk(pk, tw, options), tw, charts_dir / f"tren_{n:02d}.png")
        out.append((TEMPLATE_PEJABAT, pejabat_context(pk, hierarchy, tw, options=options, gambar=chart),
                    Path(folder_name(tw)) / pejabat_filename(name, tw)))
    return out
