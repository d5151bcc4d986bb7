"""A small, complete, made-up satker used to learn which placeholders each template may use.

:func:`sample_context` builds every context from this data with the same functions the real
build uses, so the list of known placeholders can never drift from what rendering provides.
Every list has at least one element and every optional part is present, so that every field
of every nested row shows up.
"""

from __future__ import annotations

import copy
import datetime as dt
from functools import lru_cache
from pathlib import Path

from ..levels import load_hierarchy
from ..model import (
    Agregasi, Anggaran, Cascading, Indikator, KinerjaSet, Pejabat, PerjanjianKinerja, Polaritas, Realisasi,
    RealisasiAnggaran, RealisasiIndikator, RencanaKinerjaTahunan, RktRow, Target,
)
from .context import PohonBagian, bundle_context, pengukuran_context, pk_context, rkt_context
from .lakip import GAMBAR, lakip_context

KINDS = ("pk", "pk_bundle", "rkt", "pengukuran", "lakip", "triwulan", "triwulan_pejabat", "manual_iku",
         "daftar_perubahan")


def _sample_set() -> KinerjaSet:
    ketua = Pejabat("NAMA KETUA", "Ketua KPU Kota Contoh")
    sekretaris = Pejabat("NAMA SEKRETARIS", "Sekretaris KPU Kota Contoh", "197001012000031001")
    top = Indikator("IK-1", "Persentase contoh", "SS-1", "Sasaran contoh", "%", Target(90.0), Polaritas.POSITIF)
    child = Indikator("IK-S.1", "Persentase contoh", "SP-1", "Sasaran contoh", "%", Target(90.0),
                      Polaritas.POSITIF, "IK-1", Cascading.LANGSUNG)
    common = dict(satker="KPU Kota Contoh", tahun=2022, tempat="Contoh", tanggal=dt.date(2022, 1, 27),
                  anggaran=(Anggaran("KEG-01", "Kegiatan contoh", 1_000_000),))
    pks = (
        PerjanjianKinerja("ketua.xlsx", "ketua", "", pihak_pertama=ketua, pihak_kedua=None,
                          indikator=(top,), **common),
        PerjanjianKinerja("sekretaris.xlsx", "sekretaris", "", pihak_pertama=sekretaris, pihak_kedua=ketua,
                          indikator=(child,), **common),
    )
    rkt = RencanaKinerjaTahunan("rkt.xlsx", "KPU Kota Contoh", 2022, (RktRow(top, "KEG-01", "Kegiatan contoh", 1_000_000),))
    real = Realisasi(
        "realisasi.xlsx", "KPU Kota Contoh", 2022,
        (RealisasiIndikator("IK-1", "Persentase contoh", "%", Target(90.0), Polaritas.POSITIF, Agregasi.AKHIR,
                            (80.0, 85.0, 90.0, 95.0), tahun_lalu=88.0, target_renstra=Target(95.0),
                            keterangan="Contoh."),),
        (RealisasiAnggaran("KEG-01", "Kegiatan contoh", 1_000_000, 950_000),),
    )
    return KinerjaSet("contoh", pks, rkt, real, renstra=_sample_renstra())


def _sample_renstra():
    """A Renstra 2020-2024 of one IKU with its Manual IKU and a national standard."""
    from ..model import ManualIku, Renstra, RenstraIndikator

    ind = RenstraIndikator("IK-1", "Persentase contoh", "SS-1", "Sasaran contoh", "%", Polaritas.POSITIF,
                           Target(80.0), tuple(Target(v) for v in (82.0, 85.0, 90.0, 92.0, 95.0)),
                           (81.0, 86.0, None, None, None), Target(85.0))
    manual = ManualIku("IK-1", "Persentase contoh", "Definisi contoh.", "A / B x 100%", "Laporan contoh",
                       "Subbagian contoh", Cascading.LANGSUNG, "triwulanan")
    return Renstra("renstra.xlsx", "KPU Kota Contoh", 2020, 2024, (ind,), (manual,), "Keputusan contoh")


@lru_cache(maxsize=None)
def _contexts() -> dict[str, dict]:
    kset, h = _sample_set(), load_hierarchy()
    ketua = kset.pks[0].pihak_pertama
    return {
        "pk": pk_context(kset.pks[1], h),
        "pk_bundle": bundle_context(kset.pks, h),
        "rkt": rkt_context(kset.rkt, penanda_tangan=ketua, tempat="Contoh"),
        "pengukuran": pengukuran_context(kset, penanda_tangan=ketua, tempat="Contoh"),
        "lakip": lakip_context(kset, h, narasi={}, images={k: Path(f"{k}.png") for k in GAMBAR},
                               pohon=[PohonBagian("pohon_1.png", (), ("IK-1",)), PohonBagian("pohon_2.png", (), ())]),
        **_triwulan_contexts(kset, h),
        **_renstra_contexts(kset, h),
    }


def _renstra_contexts(kset: KinerjaSet, h) -> dict[str, dict]:
    """The Manual IKU of the sample Renstra, and the change list of a revision of the Sekretaris' PK."""
    import dataclasses

    from .perubahan import daftar_perubahan_context
    from .renstra import manual_iku_context

    old = kset.pks[1]
    new = dataclasses.replace(old, source="sekretaris_perubahan_1.xlsx", revisi=1, berlaku=dt.date(2022, 7, 1),
                              alasan="Contoh alasan.", sebelumnya=old.source,
                              pihak_pertama=dataclasses.replace(old.pihak_pertama, nama="NAMA BARU"))
    return {"manual_iku": manual_iku_context(kset.renstra),
            "daftar_perubahan": daftar_perubahan_context(old, new, dokumen_lama="PK_02.docx",
                                                         dokumen_baru="PK_02_Perubahan_1.docx")}


def _triwulan_contexts(kset: KinerjaSet, h) -> dict[str, dict]:
    """The quarterly reports (TW II) of the sample satker: the Ketua has reported, the Sekretaris not yet."""
    import dataclasses

    from ..model import MonitoringAnggaran, MonitoringIndikator
    from .triwulan import TEMPLATE_PEJABAT, TEMPLATE_SATKER, pejabat_context, satker_context

    plan = (Target(80.0), Target(85.0), Target(90.0), Target(90.0))
    ketua, sekretaris = kset.pks
    ketua = dataclasses.replace(
        ketua,
        indikator=tuple(dataclasses.replace(i, agregasi=Agregasi.AKHIR, target_tw=plan) for i in ketua.indikator),
        anggaran=tuple(dataclasses.replace(a, rencana_tw=(200_000, 300_000, 300_000, 200_000))
                       for a in ketua.anggaran),
        monitoring=(MonitoringIndikator("IK-1", realisasi=(82.0, 86.0, None, None), kendala=("", "Contoh.", "", ""),
                                        tindak_lanjut=("", "Contoh.", "", "")),),
        monitoring_anggaran=(MonitoringAnggaran("KEG-01", realisasi=(150_000, 250_000, None, None)),))
    kset = dataclasses.replace(kset, pks=(ketua, sekretaris))
    gambar = Path("tren.png")
    return {TEMPLATE_SATKER: satker_context(kset, h, 2, gambar=gambar),
            TEMPLATE_PEJABAT: pejabat_context(ketua, h, 2, gambar=gambar)}


def sample_context(kind: str) -> dict:
    """The context of one document kind built from the sample satker (a fresh copy each call)."""
    if kind not in KINDS:
        raise ValueError(f"Jenis dokumen tidak dikenal: '{kind}'. Pilih salah satu: {', '.join(KINDS)}.")
    return copy.deepcopy(_contexts()[kind])
