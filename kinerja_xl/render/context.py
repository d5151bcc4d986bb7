"""Template contexts for the PK, RKT and Pengukuran documents (the LAKIP is in :mod:`.lakip`).

Pure functions, no I/O: each turns the model into plain dicts and lists of strings that are
already formatted the Indonesian way ("90%", "Rp3.741.209.000", "27 Januari 2022",
NIP "19701210 200003 1 001"), so a template only places text and never computes.
The few non-strings are flags a template tests with ``{% if %}`` (``dua_pihak``).

>>> from kinerja_xl import api
>>> from kinerja_xl.levels import load_hierarchy
>>> kset, _ = api.load_set("workbooks")
>>> pk_context(kset.pks[6], load_hierarchy())["pihak_pertama"]["nip"]
'19701210 200003 1 001'
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, NamedTuple, Sequence

from .. import fmt
from ..checks.capaian import DEFAULT_RULES, Capaian, CapaianRules, annual_realisasi, efisiensi, serapan, ukur
from ..levels import Hierarchy
from .renstra import renstra_target
from ..model import (
    Anggaran, Indikator, KinerjaSet, Pejabat, PerjanjianKinerja, RealisasiAnggaran, RealisasiIndikator,
    RencanaKinerjaTahunan, Target,
)

# The official wording (PermenPAN-RB 53/2014, Lampiran I); the reference PKs garble it, we do not.
JUDUL_PK = "PERNYATAAN PERJANJIAN KINERJA"
JUDUL_PK_PERUBAHAN = "PERJANJIAN KINERJA PERUBAHAN"  # a revised PK (PK Perubahan), signed again
PEMBUKA = (
    "Dalam rangka mewujudkan manajemen pemerintahan yang efektif, transparan dan akuntabel serta "
    "berorientasi pada hasil, kami yang bertanda tangan di bawah ini:"
)
JANJI_PERTAMA = (
    "Pihak pertama berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran perjanjian ini, "
    "dalam rangka mencapai target kinerja jangka menengah seperti yang telah ditetapkan dalam dokumen "
    "perencanaan. Keberhasilan dan kegagalan pencapaian target kinerja tersebut menjadi tanggung jawab kami."
)
JANJI_KEDUA = (
    "Pihak kedua akan melakukan supervisi yang diperlukan serta akan melakukan evaluasi terhadap capaian "
    "kinerja dari perjanjian ini dan mengambil tindakan yang diperlukan dalam rangka pemberian penghargaan "
    "dan sanksi."
)
# The top official signs alone: there is no pihak kedua to name, so the promise has no subject.
JANJI_SENDIRI = (
    "Berjanji akan mewujudkan target kinerja yang seharusnya sesuai lampiran perjanjian ini, dalam rangka "
    "mencapai target kinerja jangka menengah seperti yang telah ditetapkan dalam dokumen perencanaan. "
    "Keberhasilan dan kegagalan pencapaian target kinerja tersebut menjadi tanggung jawab kami."
)
BELUM_DITANGGALI = "." * 24  # a blank to write the date in by hand, as offices do on drafts

# Abbreviations spelled out in document headers: "KPU Kota Serang" -> "Komisi Pemilihan Umum Kota Serang".
SINGKATAN = {
    "KPU": "Komisi Pemilihan Umum",
    "Bawaslu": "Badan Pengawas Pemilihan Umum",
    "Pemkot": "Pemerintah Kota",
    "Pemkab": "Pemerintah Kabupaten",
    "Pemprov": "Pemerintah Provinsi",
}


class PohonBagian(NamedTuple):
    """One page-sized part of the pohon kinerja in a document (see ``charts.pohon_halaman``)."""

    path: str  # the PNG
    kode: tuple[str, ...]  # the indicators drawn in it
    akar: tuple[str, ...]  # the top-level indicators whose cascades it holds ("" parts: none)


@dataclass(frozen=True)
class RenderOptions:
    """Presentation choices shared by every document."""

    rules: CapaianRules = DEFAULT_RULES  # the category scale and text-target scores (capaian.ukur)
    rupiah_space: bool = False  # "Rp 3.741.209.000" instead of PUEBI "Rp3.741.209.000"
    draf: bool = False  # built with errors (build --force): every page is marked DRAF
    # The PK Lampiran also prints the Rencana Aksi: the target of each quarter per indicator and the budget
    # plan per quarter (build --target-triwulan), as the Permen format's "Prediksi Capaian TW I-IV" does.
    target_triwulan: bool = False


DEFAULT_OPTIONS = RenderOptions()


# --- small formatting helpers ------------------------------------------------------------------


def satker_panjang(satker: str) -> str:
    """The satker's full name in capitals for headers: "KPU Kota Serang" -> "KOMISI PEMILIHAN UMUM KOTA SERANG"."""
    words = satker.split()
    if words:
        full = next((v for k, v in SINGKATAN.items() if k.casefold() == words[0].casefold()), None)
        if full:
            words[0] = full
    return " ".join(words).upper()


def tempat_tanggal(tempat: str, tanggal: dt.date | None, tahun: int | None = None) -> str:
    """ "Serang, 27 Januari 2022"; a dotted blank for the date when none was given."""
    when = fmt.tanggal(tanggal) if tanggal else f"{BELUM_DITANGGALI} {tahun or ''}".rstrip()
    return f"{tempat.strip()}, {when}" if tempat.strip() else when


def rupiah(amount: int | None, options: RenderOptions = DEFAULT_OPTIONS) -> str:
    """Rupiah with the chosen spacing; "-" when the amount is missing."""
    return "-" if amount is None else fmt.rupiah(amount, space=options.rupiah_space)


def ribuan(amount: int | None) -> str:
    """A whole number with thousands dots for a column already headed "(Rp)"; "-" when missing."""
    return "-" if amount is None else fmt.number(amount, 0)


def persen(value: float | None) -> str:
    """ "96,69%"; "-" when the figure cannot be computed."""
    return "-" if value is None else fmt.percent(value)


def paragraphs(text: str) -> list[str]:
    r"""Text of a Narasi cell split into paragraphs: every line is one (Alt+Enter in Excel starts a new
    paragraph, as Enter does in Word); blank lines are dropped; "- " items become bullets.

    >>> paragraphs("Puji syukur.\nLaporan ini disusun.\n\n- butir")
    ['Puji syukur.', 'Laporan ini disusun.', '• butir']
    """
    out = []
    for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n"):
        line = line.strip()
        item = re.match(r"^[-*\u2022]\s+(.*)$", line)
        if item:
            out.append("\u2022 " + item.group(1))
        elif line:
            out.append(line)
    return out


def wrapped_paragraphs(text: str) -> list[str]:
    """Text from a file, where lines may be wrapped: blank lines separate paragraphs, list items stand alone."""
    out: list[str] = []
    for block in re.split(r"\n\s*\n", text.replace("\r\n", "\n").strip()):
        current: list[str] = []
        for line in block.splitlines():
            line = line.strip()
            if not line:
                continue
            item = re.match(r"^([-*\u2022])\s+(.*)$", line)
            if item or re.match(r"^(\d+|[a-z])[.)]\s+", line):
                if current:
                    out.append(" ".join(current))
                current = ["\u2022 " + item.group(2)] if item else [line]
            else:
                current.append(line)
        if current:
            out.append(" ".join(current))
    return out


def pejabat(p: Pejabat | None, label: str = "") -> dict:
    """A signature block: label ("Pihak Pertama,"), jabatan, nama and NIP ("" when none)."""
    if p is None:
        return {"label": "", "nama": "", "jabatan": "", "nip": ""}
    # jabatan_lengkap: an acting official signs as "Plt. Kepala Subbagian ...", never as the holder of the post
    return {"label": label, "nama": p.nama, "jabatan": p.jabatan_lengkap, "nip": fmt.nip(p.nip) if p.nip else ""}


def _mark_last(rows: list[dict]) -> list[dict]:
    """``akhir``: True on a table's last row only, which a template keeps on the page of the signature below."""
    for n, row in enumerate(rows):
        row["akhir"] = n == len(rows) - 1
    return rows


def _group(items: Iterable, key, start: int = 1) -> list[tuple[int, object, list]]:
    """Consecutive items with the same key, numbered from ``start``: the rows one sasaran cell spans."""
    groups: list[tuple[int, object, list]] = []
    for item in items:
        k = key(item)
        if groups and groups[-1][1] == k:
            groups[-1][2].append(item)
        else:
            groups.append((start + len(groups), k, [item]))
    return groups


# --- Perjanjian Kinerja ------------------------------------------------------------------------


def _indikator_row(ind: Indikator) -> dict:
    return {"kode": ind.kode, "nama": ind.nama, "target": fmt.target(ind.target, ind.satuan),
            **{f"tw{n}": fmt.target(t, ind.satuan) if t is not None else "-" for n, t in enumerate(ind.target_tw, 1)}}


def _anggaran_rows(lines: Sequence[Anggaran]) -> list[dict]:
    return _mark_last([{"no": str(i), "kode": a.kode, "uraian": a.uraian, "jumlah": ribuan(a.jumlah),
                        **{f"tw{n}": ribuan(p) if p is not None else "-" for n, p in enumerate(a.rencana_tw, 1)}}
                       for i, a in enumerate(lines, 1)])


def _is_top(pk: PerjanjianKinerja, hierarchy: Hierarchy) -> bool:
    level = hierarchy.get(pk.level)
    return level is not None and not level.induk


def perubahan_baris(pk: PerjanjianKinerja) -> str:
    """The line under a revised PK's title: "Perubahan ke-1, berlaku mulai 1 Juli 2022" ("" for a first PK)."""
    if not pk.perubahan:
        return ""
    mulai = pk.mulai_berlaku
    return f"Perubahan ke-{pk.revisi}, berlaku mulai {fmt.tanggal(mulai) if mulai else BELUM_DITANGGALI}"


def perubahan_keterangan(pk: PerjanjianKinerja, sebelumnya: PerjanjianKinerja | None = None) -> str:
    """The clause a revised PK closes its Pernyataan with: what it replaces, from when, and why."""
    if not pk.perubahan:
        return ""
    mulai = pk.mulai_berlaku
    atas = f"Perjanjian Kinerja Tahun {pk.tahun or ''}".rstrip()
    if sebelumnya is not None and sebelumnya.tanggal:
        atas += f" yang ditandatangani pada tanggal {fmt.tanggal(sebelumnya.tanggal)}"
    text = (f"Perjanjian Kinerja ini merupakan perubahan ke-{pk.revisi} atas {atas} dan berlaku mulai tanggal "
            f"{fmt.tanggal(mulai) if mulai else BELUM_DITANGGALI}.")
    alasan = " ".join(pk.alasan.split()).rstrip(".")
    return text + (f" Alasan perubahan: {alasan}." if alasan else "")


def previous_pk(pk: PerjanjianKinerja, candidates: Iterable[PerjanjianKinerja]) -> PerjanjianKinerja | None:
    """The PK a revision replaces: the file named in "Berkas PK Sebelumnya", else the same post's latest
    earlier revision (None for a first PK or when it is not in the folder)."""
    if not pk.perubahan:
        return None
    same_post = [c for c in candidates if c is not pk and c.level == pk.level
                 and " ".join(c.unit.split()).casefold() == " ".join(pk.unit.split()).casefold()
                 and c.revisi < pk.revisi]
    named = pk.sebelumnya.strip().casefold()
    by_name = [c for c in same_post if named and Path(c.source).name.casefold() == named]
    if by_name:
        return by_name[0]
    return max(same_post, key=lambda c: c.revisi, default=None)


def pk_context(pk: PerjanjianKinerja, hierarchy: Hierarchy, options: RenderOptions = DEFAULT_OPTIONS, *,
               sebelumnya: PerjanjianKinerja | None = None) -> dict:
    """Context of one PK: the Pernyataan page and its Lampiran (sasaran table and anggaran).

    A revised PK (PK Perubahan) is titled so, with its revision line and, before the signatures, the
    clause naming what it replaces (``sebelumnya``: that PK, for its signing date) and why.
    """
    level = hierarchy.get(pk.level)
    tahun = str(pk.tahun or "")
    # The top level (Ketua) has no superior: one party, one signature, the promise without "Pihak pertama".
    dua_pihak = pk.pihak_kedua is not None and not _is_top(pk, hierarchy)
    groups = _group(pk.indikator, key=lambda i: (i.kode_sasaran, i.sasaran))
    show_anggaran = level is None or level.anggaran
    sasaran = [{"no": str(no), "sasaran": k[1], "indikator": [_indikator_row(i) for i in items]}
               for no, k, items in groups]
    _mark_last([row for g in sasaran for row in g["indikator"]])
    return {
        "draf": options.draf,
        "judul": JUDUL_PK_PERUBAHAN if pk.perubahan else JUDUL_PK,
        "perubahan": pk.perubahan,
        "revisi": str(pk.revisi) if pk.perubahan else "",
        "perubahan_baris": perubahan_baris(pk),
        "perubahan_keterangan": perubahan_keterangan(pk, sebelumnya),
        "satker": pk.satker,
        "satker_judul": pk.satker.upper(),
        "satker_panjang": satker_panjang(pk.satker),
        "tahun": tahun,
        "tingkat": (level.nama if level else pk.level).upper(),
        "unit": pk.unit,
        "label_sasaran": level.label_sasaran if level else "SASARAN",
        "pembuka": PEMBUKA,
        "dua_pihak": dua_pihak,
        "pihak_pertama": pejabat(pk.pihak_pertama),
        "pihak_kedua": pejabat(pk.pihak_kedua if dua_pihak else None),
        "janji": [JANJI_PERTAMA, JANJI_KEDUA] if dua_pihak else [JANJI_SENDIRI],
        "tempat_tanggal": tempat_tanggal(pk.tempat, pk.tanggal, pk.tahun),
        "ttd_kiri": pejabat(pk.pihak_kedua, "Pihak Kedua,") if dua_pihak else pejabat(None),
        "ttd_kanan": pejabat(pk.pihak_pertama, "Pihak Pertama," if dua_pihak else ""),
        "sasaran": sasaran,
        "anggaran": _anggaran_rows(pk.anggaran) if show_anggaran else [],
        "total_anggaran": ribuan(pk.total_anggaran) if show_anggaran else "",
        # The quarterly columns only where asked for and where the workbook has a Rencana Aksi to print: a PK
        # without one (a 0.2 workbook, a plan not yet written) keeps the one-target Lampiran.
        "target_triwulan": options.target_triwulan and any(t is not None for i in pk.indikator for t in i.target_tw),
        "rencana_triwulan": (options.target_triwulan and show_anggaran
                             and any(p is not None for a in pk.anggaran for p in a.rencana_tw)),
        **{f"total_tw{n}": ribuan(sum(p for a in pk.anggaran if (p := a.rencana_tw[n - 1]) is not None))
           if show_anggaran else "" for n in range(1, 5)},
    }


def ordered_pks(kset: KinerjaSet, hierarchy: Hierarchy) -> list[PerjanjianKinerja]:
    """The PKs in hierarchy order (Ketua first, then each level in its declared unit order)."""
    order = {lv.id: i for i, lv in enumerate(hierarchy.levels)}

    def key(pk: PerjanjianKinerja) -> tuple[int, int]:
        level = hierarchy.get(pk.level)
        units = [u.nama.casefold() for u in level.units] if level else []
        unit = pk.unit.casefold().strip()
        return order.get(pk.level, len(order)), units.index(unit) if unit in units else len(units)

    return sorted(kset.pks, key=key)


def top_pk(kset: KinerjaSet, hierarchy: Hierarchy) -> PerjanjianKinerja | None:
    """The PK of the top level (the Ketua), whose signer also signs the satker's documents."""
    return next((pk for pk in ordered_pks(kset, hierarchy) if _is_top(pk, hierarchy)), None)


def bundle_context(pks: Sequence[PerjanjianKinerja], hierarchy: Hierarchy,
                   options: RenderOptions = DEFAULT_OPTIONS, *, superseded: Sequence[PerjanjianKinerja] = ()) -> dict:
    """Context of the bundle: every PK, each rendered on its own pages by the bundle template.

    The build passes the versions in force only (``KinerjaSet.pks``); ``superseded`` (the PKs they
    replaced) only dates the "perubahan atas ..." clause of a revised PK.
    """
    first = pks[0] if pks else None
    return {
        "draf": options.draf,
        "judul": "PERJANJIAN KINERJA",
        "satker": first.satker if first else "",
        "satker_panjang": satker_panjang(first.satker) if first else "",
        "tahun": str(first.tahun or "") if first else "",
        "pks": [pk_context(pk, hierarchy, options, sebelumnya=previous_pk(pk, superseded)) for pk in pks],
    }


# --- RKT ---------------------------------------------------------------------------------------


def rkt_context(rkt: RencanaKinerjaTahunan, *, penanda_tangan: Pejabat | None = None, tempat: str = "",
                tanggal: dt.date | None = None, label_sasaran: str = "SASARAN PROGRAM",
                options: RenderOptions = DEFAULT_OPTIONS) -> dict:
    """Context of the RKT: sasaran, indikator, target, kegiatan and anggaran, with the total.

    ``tempat`` and ``tanggal`` (those of the Ketua's PK) are used where the RKT workbook has none.
    """
    groups = _group(rkt.rows, key=lambda r: (r.indikator.kode_sasaran, r.indikator.sasaran))
    sasaran = []
    for no, k, rows in groups:
        baris, previous = [], None
        for r in rows:
            same = previous is not None and previous.kode == r.indikator.kode
            # One indicator served by several kegiatan: name it once, as printed RKTs do.
            baris.append({
                "indikator": "" if same else r.indikator.nama,
                "target": "" if same else fmt.target(r.indikator.target, r.indikator.satuan),
                "kegiatan": r.kegiatan or "-",
                "anggaran": ribuan(r.anggaran),
            })
            previous = r.indikator
        sasaran.append({"no": str(no), "sasaran": k[1], "baris": baris})
    _mark_last([b for g in sasaran for b in g["baris"]])
    return {
        "draf": options.draf,
        "judul": "RENCANA KINERJA TAHUNAN",
        "satker": rkt.satker,
        "satker_panjang": satker_panjang(rkt.satker),
        "tahun": str(rkt.tahun or ""),
        "label_sasaran": label_sasaran,
        "sasaran": sasaran,
        "total_anggaran": ribuan(rkt.total_anggaran),
        "ada_ttd": penanda_tangan is not None,
        "ttd": pejabat(penanda_tangan),
        "tempat_tanggal": tempat_tanggal(rkt.tempat or tempat, rkt.tanggal or tanggal, rkt.tahun),
    }


# --- Pengukuran ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Ukuran:
    """One indicator measured: the year's realisasi, its capaian and the budget of its kegiatan."""

    ri: RealisasiIndikator
    sasaran: str
    realisasi: float | None
    capaian: Capaian
    capaian_renstra: Capaian | None  # against the Renstra target; None when there is none
    kegiatan: RealisasiAnggaran | None
    serapan: float | None
    efisiensi: float | None
    target_renstra: Target | None = None  # the one the documents show (renstra.renstra_target)


def _sasaran_of(kset: KinerjaSet) -> dict[str, str]:
    """kode indikator -> sasaran, from the RKT first (the satker's own plan), then from the PKs."""
    found: dict[str, str] = {}
    for pk in kset.pks:
        for ind in pk.indikator:
            found.setdefault(ind.kode, ind.sasaran)
    if kset.rkt:
        found.update({r.indikator.kode: r.indikator.sasaran for r in kset.rkt.rows})
    return found


def measure(kset: KinerjaSet, *, options: RenderOptions = DEFAULT_OPTIONS) -> tuple[Ukuran, ...]:
    """Every indicator of the realisation workbook with its capaian, serapan and efisiensi."""
    if kset.realisasi is None:
        return ()
    sasaran = _sasaran_of(kset)
    kegiatan_of = {r.indikator.kode: r.kode_kegiatan for r in kset.rkt.rows} if kset.rkt else {}
    budget = {a.kode: a for a in kset.realisasi.anggaran}
    out = []
    for ri in kset.realisasi.indikator:
        cap = ukur(ri, options.rules)
        # The Renstra workbook's final-year target where it has one, else the column of the realisation workbook.
        target_renstra = renstra_target(kset.renstra, ri)
        renstra = (ukur(dataclasses.replace(ri, target_renstra=target_renstra), options.rules, renstra=True)
                   if target_renstra is not None else None)
        keg = budget.get(kegiatan_of.get(ri.kode, ""))
        ser = serapan(keg.pagu, keg.realisasi) if keg else None
        out.append(Ukuran(ri, sasaran.get(ri.kode, ""), annual_realisasi(ri), cap, renstra, keg, ser,
                          efisiensi(cap.value, ser), target_renstra))
    return tuple(out)


def realisasi_text(ri: RealisasiIndikator, value: float | None) -> str:
    """The year's realisasi as written beside its target: "92%", "WTP", "-"."""
    if value is not None:
        return fmt.target(Target(value=value), ri.satuan)
    return ri.teks.strip() if ri.teks and ri.teks.strip() else "-"


def _ukuran_row(u: Ukuran) -> dict:
    return {
        "kode": u.ri.kode,
        "nama": u.ri.nama,
        "target": fmt.target(u.ri.target, u.ri.satuan),
        "realisasi": realisasi_text(u.ri, u.realisasi),
        "capaian": persen(u.capaian.value),
        "kategori": u.capaian.category or "-",
        "catatan": u.capaian.note,
    }


def anggaran_rows(lines: Sequence[RealisasiAnggaran], options: RenderOptions = DEFAULT_OPTIONS) -> list[dict]:
    """Pagu against realisasi per kegiatan, formatted."""
    return _mark_last([{"no": str(i), "kode": a.kode, "uraian": a.uraian, "pagu": rupiah(a.pagu, options),
                        "realisasi": rupiah(a.realisasi, options), "persen": persen(serapan(a.pagu, a.realisasi))}
                       for i, a in enumerate(lines, 1)])


def pengukuran_context(kset: KinerjaSet, *, penanda_tangan: Pejabat | None = None, tempat: str = "",
                       options: RenderOptions = DEFAULT_OPTIONS) -> dict:
    """Context of the Pengukuran Kinerja: target against realisasi per indicator, and the budget.

    ``tempat`` (the Ketua's) is used where the realisation workbook has none.
    """
    real = kset.realisasi
    ukuran = measure(kset, options=options)
    groups = _group(ukuran, key=lambda u: u.sasaran)
    lines = real.anggaran if real else ()
    return {
        "draf": options.draf,
        "judul": "PENGUKURAN KINERJA",
        "satker": kset.satker,
        "satker_panjang": satker_panjang(kset.satker),
        "tahun": str(kset.tahun or ""),
        "sasaran": [{"no": str(no), "sasaran": k or "-", "indikator": [_ukuran_row(u) for u in items]}
                    for no, k, items in groups],
        "anggaran": anggaran_rows(lines, options),
        "total_pagu": rupiah(real.total_pagu, options) if real else "-",
        "total_realisasi": rupiah(real.total_realisasi, options) if real else "-",
        "total_persen": persen(serapan(real.total_pagu, real.total_realisasi)) if real else "-",
        "ada_ttd": penanda_tangan is not None,
        "ttd": pejabat(penanda_tangan),
        "tempat_tanggal": tempat_tanggal((real.tempat if real else "") or tempat, tanggal_pengukuran(kset),
                                         kset.tahun),
    }


def tanggal_pengukuran(kset: KinerjaSet) -> dt.date | None:
    """The Pengukuran's signing date: the realisation workbook's, else 31 December of the year."""
    real = kset.realisasi
    if real is not None and real.tanggal_pengukuran:
        return real.tanggal_pengukuran
    return dt.date(kset.tahun, 12, 31) if kset.tahun else None


def tanggal_laporan(kset: KinerjaSet) -> dt.date | None:
    """The LAKIP's date (its Kata Pengantar): the realisation workbook's, else the Pengukuran's."""
    real = kset.realisasi
    return real.tanggal_laporan if real is not None and real.tanggal_laporan else tanggal_pengukuran(kset)
