"""The LAKIP context (PermenPAN-RB 53/2014, Lampiran II) and the narrative (narasi) it carries.

The figures and the analysis sentences of Bab III are written here from the model; the free
text (Kata Pengantar, Latar Belakang, ...) comes from the Narasi sheet of the realisation
workbook or from a text file (:func:`load_narasi`). Pure functions except ``load_narasi``.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Mapping, Sequence

from .. import fmt
from ..checks.capaian import efisiensi, efisiensi_label, serapan
from ..levels import Hierarchy
from ..model import KinerjaSet, Renstra, RktRow, Target
from ..spec import NARASI_PARTS
from .context import (
    DEFAULT_OPTIONS, PohonBagian, RenderOptions, Ukuran, measure, ordered_pks, paragraphs, pejabat,
    pengukuran_context, persen, pk_context, previous_pk, realisasi_text, rkt_context, rupiah, satker_panjang,
    tanggal_laporan, tempat_tanggal, top_pk, wrapped_paragraphs,
)
from .renstra import kegiatan_pendukung, renstra_table, riwayat, standar

GAMBAR = ("struktur", "capaian", "serapan")  # the charts a LAKIP template places as gambar.<name>; the pohon is a list

SISTEMATIKA = (
    ("Kata Pengantar, Ikhtisar Eksekutif dan Daftar Isi",
     "Pengantar laporan, ringkasan capaian kinerja dan anggaran, serta daftar isi."),
    ("Bab I Pendahuluan",
     "Menyajikan penjelasan umum organisasi, dengan penekanan pada aspek strategis organisasi serta "
     "permasalahan utama (strategic issues) yang sedang dihadapi organisasi."),
    ("Bab II Perencanaan Kinerja",
     "Menguraikan ringkasan Rencana Strategis, Rencana Kinerja Tahunan dan Perjanjian Kinerja tahun yang "
     "bersangkutan."),
    ("Bab III Akuntabilitas Kinerja",
     "Menyajikan capaian kinerja organisasi untuk setiap pernyataan kinerja sesuai hasil pengukuran kinerja, "
     "beserta analisisnya, serta realisasi anggaran yang digunakan untuk mewujudkan kinerja organisasi "
     "sesuai dokumen Perjanjian Kinerja."),
    ("Bab IV Penutup",
     "Menguraikan simpulan umum atas capaian kinerja organisasi serta langkah di masa mendatang yang akan "
     "dilakukan organisasi untuk meningkatkan kinerjanya."),
    ("Lampiran", "Rencana Kinerja Tahunan, Perjanjian Kinerja dan Pengukuran Kinerja."),
)


class NarasiProblem(ValueError):
    """The narasi file cannot be used; the message says why and where, in Bahasa Indonesia."""


# --- narasi ------------------------------------------------------------------------------------


def _norm(text: str) -> str:
    return re.sub(r"[^0-9a-z]+", "_", text.casefold()).strip("_")


_PART_KEYS = {**{_norm(title): key for key, title in NARASI_PARTS}, **{key: key for key, _ in NARASI_PARTS}}


def load_narasi(path: str | Path) -> dict[str, str]:
    """Read a UTF-8 .txt/.md file whose parts start with lines ``## kata_pengantar`` (or ``## Kata Pengantar``).

    A file such as ``## kata_pengantar`` / ``Puji syukur ...`` / ``## penutup`` / ``Demikian ...``
    gives ``{"kata_pengantar": "Puji syukur ...", "penutup": "Demikian ..."}``; blank lines separate
    paragraphs (each returned on one line, as in a Narasi cell), lines starting with "- " become bullet
    paragraphs. Keys: spec.NARASI_PARTS.
    """
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise NarasiProblem(f"Berkas narasi tidak ditemukan: {path}") from None
    except UnicodeDecodeError:
        raise NarasiProblem(f"Berkas narasi {path} bukan teks UTF-8; simpan ulang sebagai UTF-8.") from None
    parts: dict[str, list[str]] = {}
    current: str | None = None
    for lineno, line in enumerate(text.splitlines(), 1):
        heading = re.match(r"^##(?!#)\s*(.*?)\s*#*\s*$", line)
        if heading:
            key = _PART_KEYS.get(_norm(heading.group(1)))
            if key is None:
                raise NarasiProblem(
                    f"{path} baris {lineno}: bagian '{heading.group(1)}' tidak dikenal. Pilih salah satu: "
                    + ", ".join(k for k, _ in NARASI_PARTS) + "."
                )
            if key in parts:
                raise NarasiProblem(f"{path} baris {lineno}: bagian '{key}' ditulis dua kali.")
            parts[key], current = [], key
        elif current is not None:
            parts[current].append(line)
        elif line.strip() and not line.startswith("# "):  # a "# Judul" line on top is allowed
            raise NarasiProblem(
                f"{path} baris {lineno}: ada teks sebelum judul bagian pertama; awali setiap bagian dengan "
                "baris seperti '## kata_pengantar'."
            )
    # A file's lines may be wrapped: joined here into one line per paragraph, as a Narasi cell holds them.
    return {key: "\n".join(wrapped_paragraphs("\n".join(lines))) for key, lines in parts.items()}


def _narasi_paragraphs(narasi: Mapping[str, str]) -> dict[str, list[str]]:
    out = {}
    for key, title in NARASI_PARTS:
        text = (narasi.get(key) or "").strip()
        # A visible reminder beats a silently empty chapter in a signed report.
        out[key] = paragraphs(text) if text else [
            f"[Bagian \u201c{title}\u201d belum diisi. Isi sheet Narasi pada buku kerja Realisasi, "
            f"atau berkas narasi dengan judul '## {key}'.]"
        ]
    return out


# --- Bab III.A: one analysis per indicator ---------------------------------------------------------


def _selisih(now: float, before: float, satuan: str) -> str:
    diff = abs(now - before)
    unit = "poin persen" if satuan.strip() == "%" else satuan.strip()
    return f"{fmt.smart_number(diff)} {unit}".strip()


def _uraian(u: Ukuran, tahun: int | None, options: RenderOptions, renstra: Renstra | None = None) -> list[str]:
    ri, t = u.ri, tahun or 0
    target = fmt.target(ri.target, ri.satuan)
    real = realisasi_text(ri, u.realisasi)
    out = []
    if u.capaian.value is not None:
        out.append(f"Target indikator ini pada tahun {t} sebesar {target} dengan realisasi {real}, sehingga "
                   f"capaian kinerjanya {persen(u.capaian.value)} (kategori {u.capaian.category}).")
    else:
        out.append(f"Target indikator ini pada tahun {t} sebesar {target} dengan realisasi {real}; capaian "
                   f"tidak dapat dihitung ({u.capaian.note}).")
    if ri.tahun_lalu is None:
        out.append(f"Realisasi tahun {t - 1} tidak tersedia sebagai pembanding.")
    elif u.realisasi is None:
        out.append(f"Realisasi tahun {t - 1} sebesar {fmt.target(Target(value=ri.tahun_lalu), ri.satuan)}; "
                   f"realisasi tahun {t} belum berupa angka sehingga belum dapat dibandingkan.")
    else:
        before = fmt.target(Target(value=ri.tahun_lalu), ri.satuan)
        if u.realisasi > ri.tahun_lalu:
            trend = f"meningkat {_selisih(u.realisasi, ri.tahun_lalu, ri.satuan)}"
        elif u.realisasi < ri.tahun_lalu:
            trend = f"menurun {_selisih(u.realisasi, ri.tahun_lalu, ri.satuan)}"
        else:
            trend = "sama"
        out.append(f"Dibandingkan realisasi tahun {t - 1} sebesar {before}, realisasi tahun {t} {trend}.")
    # the years before last (the Renstra's realisasi) and the national standard, where the Renstra has them
    out += [line for line in (riwayat(renstra, ri, tahun, u.realisasi), standar(renstra, ri, tahun, u.realisasi))
            if line]
    if u.target_renstra is not None and u.target_renstra.is_numeric:
        capaian = u.capaian_renstra
        head = f"Terhadap target jangka menengah (Renstra) sebesar {fmt.target(u.target_renstra, ri.satuan)}, "
        out.append(head + (f"realisasi tahun {t} telah mencapai {persen(capaian.value)}." if capaian.value is not None
                           else f"capaian belum dapat dihitung ({capaian.note})."))
    else:
        out.append("Target jangka menengah (Renstra) untuk indikator ini tidak tersedia.")
    if ri.keterangan.strip():
        out.append(f"Penyebab keberhasilan/kegagalan serta langkah perbaikan: {ri.keterangan.strip()}")
    else:
        out.append("Penjelasan penyebab keberhasilan/kegagalan dan langkah perbaikan belum diisi "
                   "(kolom keterangan pada buku kerja Realisasi).")
    if u.kegiatan is not None and u.serapan is not None:
        eff = f"{persen(u.efisiensi)} ({efisiensi_label(u.efisiensi)})" if u.efisiensi is not None \
            else efisiensi_label(None)
        out.append(f"Anggaran kegiatan pendukungnya, {u.kegiatan.uraian}, terserap {persen(u.serapan)} "
                   f"({rupiah(u.kegiatan.realisasi, options)} dari pagu {rupiah(u.kegiatan.pagu, options)}); "
                   f"perbandingan capaian kinerja dengan serapan anggaran (efisiensi) sebesar {eff}.")
    else:
        out.append("Efisiensi tidak dapat dihitung: indikator ini tidak terhubung dengan kegiatan beranggaran "
                   "dalam RKT.")
    return out


def _kegiatan_rows(rows: list[RktRow], options: RenderOptions) -> list[dict]:
    return [{"kode": r.kode_kegiatan or "-", "uraian": r.kegiatan or "-", "anggaran": rupiah(r.anggaran, options)}
            for r in rows]


def _analisis(ukuran: tuple[Ukuran, ...], kset: KinerjaSet, options: RenderOptions) -> list[dict]:
    tahun, rkt_rows = kset.tahun, list(kset.rkt.rows) if kset.rkt else []
    kode_sasaran = {i.kode: i.kode_sasaran for pk in kset.pks for i in pk.indikator if i.kode_sasaran}
    rows = []
    for no, u in enumerate(ukuran, 1):
        ri = u.ri
        renstra = u.capaian_renstra
        rows.append({
            "no": str(no),
            "judul": f"Indikator {no}: {ri.nama}",
            "nama": ri.nama,
            "sasaran": u.sasaran or "-",
            "target": fmt.target(ri.target, ri.satuan),
            "realisasi": realisasi_text(ri, u.realisasi),
            "capaian": persen(u.capaian.value),
            "kategori": u.capaian.category or "-",
            "tahun_lalu": fmt.target(Target(value=ri.tahun_lalu), ri.satuan) if ri.tahun_lalu is not None else "-",
            "target_renstra": fmt.target(u.target_renstra, ri.satuan) if u.target_renstra else "-",
            "capaian_renstra": persen(renstra.value) if renstra else "-",
            "triwulan": [fmt.target(Target(value=q), ri.satuan) if q is not None else "-" for q in ri.triwulan],
            "uraian": _uraian(u, tahun, options, kset.renstra),
            # Program/kegiatan pendukung: the RKT kegiatan of the indicator (else of its sasaran), with the budget
            "kegiatan": _kegiatan_rows(kegiatan_pendukung(rkt_rows, ri.kode, kode_sasaran.get(ri.kode, "")), options),
        })
    return rows


# --- the whole report ----------------------------------------------------------------------------------


def _ringkasan(ukuran: tuple[Ukuran, ...], kset: KinerjaSet, options: RenderOptions) -> dict:
    values = [u.capaian.value for u in ukuran if u.capaian.value is not None]
    met = sum(1 for v in values if v >= 100)
    rata = sum(values) / len(values) if values else None
    real = kset.realisasi
    ser = serapan(real.total_pagu, real.total_realisasi) if real else None
    eff = efisiensi(rata, ser)
    kinerja = [f"Dari {len(ukuran)} indikator kinerja, {met} indikator mencapai atau melampaui target dan "
               f"{len(values) - met} indikator belum mencapai target"
               + (f"; {len(ukuran) - len(values)} indikator tidak dapat dihitung capaiannya." if len(values) < len(ukuran)
                  else ".")]
    if rata is not None:
        kinerja.append(f"Rata-rata capaian kinerja sebesar {persen(rata)} (kategori {options.rules.category(rata)}).")
    anggaran = []
    if real:
        anggaran.append(
            f"{kset.satker} mendapatkan pagu anggaran tahun {kset.tahun} sebesar {rupiah(real.total_pagu, options)} "
            f"({fmt.terbilang_rupiah(real.total_pagu)}) dengan realisasi sebesar "
            f"{rupiah(real.total_realisasi, options)} atau {persen(ser)} dari pagu."
        )
    efis = (f"Perbandingan rata-rata capaian kinerja ({persen(rata)}) dengan serapan anggaran ({persen(ser)}) "
            f"menghasilkan tingkat efisiensi {persen(eff)}, yang berarti penggunaan sumber daya "
            f"{efisiensi_label(eff)}." if eff is not None else
            "Tingkat efisiensi tidak dapat dihitung karena capaian kinerja atau serapan anggaran tidak tersedia.")
    return {"kinerja": kinerja, "anggaran": anggaran, "efisiensi": efis,
            "rata_capaian": persen(rata), "serapan": persen(ser)}


def _skala(options: RenderOptions) -> str:
    """The category scale in words: "Sangat Baik ≥ 91%; ...; Sangat Kurang < 51%"."""
    bands = options.rules.scale.bands
    parts = [f"{b.label} \u2265 {fmt.smart_number(b.lower)}%" for b in bands[:-1]]
    below = f"< {fmt.smart_number(bands[-2].lower)}%" if len(bands) > 1 else ""
    return "; ".join([*parts, f"{bands[-1].label} {below}".strip()])


def lakip_context(kset: KinerjaSet, hierarchy: Hierarchy, *, narasi: Mapping[str, str],
                  images: Mapping[str, Path], pohon: Sequence[PohonBagian] = (),
                  options: RenderOptions = DEFAULT_OPTIONS) -> dict:
    """Context of the LAKIP: narrative, RKT, PK, measured capaian with analysis, budget and charts.

    ``pohon``: the parts of the pohon kinerja (``charts.pohon_halaman``); the template loops over
    ``pohon`` (each with ``gambar``, ``nomor`` such as "2" or "2a", and ``keterangan``).
    """
    top = top_pk(kset, hierarchy)
    ketua = top.pihak_pertama if top else None
    tempat = (kset.realisasi.tempat if kset.realisasi else "") or (top.tempat if top else "")
    tahun = kset.tahun
    ukuran = measure(kset, options=options)
    ring = _ringkasan(ukuran, kset, options)
    pk = pk_context(top, hierarchy, options, sebelumnya=previous_pk(top, kset.superseded)) if top else None
    pk_intro = (f"Pada tanggal {fmt.tanggal(top.tanggal)} " if top and top.tanggal else "") + (
        f"{ketua.jabatan_lengkap} telah menetapkan Perjanjian Kinerja Tahun {tahun} sebagai pernyataan komitmen "
        f"untuk mewujudkan target kinerja berikut:" if ketua else "Perjanjian Kinerja tingkat organisasi belum tersedia.")
    sasaran_strategis = list(dict.fromkeys(i.sasaran for i in top.indikator)) if top else []
    return {
        "draf": options.draf,
        "judul": "LAPORAN KINERJA",
        "satker": kset.satker,
        "satker_panjang": satker_panjang(kset.satker),
        "tahun": str(tahun or ""),
        "tahun_lalu": str(tahun - 1) if tahun else "",
        "tempat_tanggal": tempat_tanggal(tempat, tanggal_laporan(kset), tahun + 1 if tahun else None),
        "ketua": pejabat(ketua),
        "narasi": _narasi_paragraphs(narasi),
        "sasaran_strategis": sasaran_strategis,
        "indikator_utama": [i.nama for i in top.indikator] if top else [],
        "ringkasan": ring,
        "struktur": [{"no": str(n), "jabatan": p.pihak_pertama.jabatan_lengkap, "nama": p.pihak_pertama.nama}
                     for n, p in enumerate(ordered_pks(kset, hierarchy), 1)],
        "sistematika": [{"judul": j, "uraian": u} for j, u in SISTEMATIKA],
        "rkt": rkt_context(kset.rkt, penanda_tangan=ketua, tempat=top.tempat if top else "",
                           tanggal=top.tanggal if top else None, options=options) if kset.rkt else None,
        "pk": pk,
        "pk_intro": pk_intro,
        "pengukuran": pengukuran_context(kset, penanda_tangan=ketua, tempat=tempat, options=options),
        "skala": _skala(options),
        "analisis": _analisis(ukuran, kset, options),
        "renstra": renstra_table(kset.renstra, tahun),  # Bab II.A's table; None without a Renstra workbook
        "gambar": {key: str(images[key]) if images.get(key) else "" for key in GAMBAR},
        "pohon": _pohon_parts(pohon),
    }


def _pohon_parts(parts: Sequence[PohonBagian]) -> list[dict]:
    """Figure numbers 2a, 2b ... when the pohon takes several pages (Gambar 1 is the struktur
    organisasi); which cascades each part holds."""
    many = len(parts) > 1
    out = []
    for n, part in enumerate(parts):
        # A code is never cut at its hyphen across two lines ("IK-" / "K.1"): U+2011 does not break.
        akar = ", ".join(kode.replace("-", "\u2011") for kode in part.akar)
        keterangan = f" (bagian {n + 1} dari {len(parts)}: {akar} dan turunannya)" if many else ""
        nomor = ("2" + (chr(ord("a") + n) if n < 26 else f".{n + 1}")) if many else "2"
        out.append({"gambar": part.path, "nomor": nomor, "keterangan": keterangan})
    return out
