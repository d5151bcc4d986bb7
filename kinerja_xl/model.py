"""The domain model: frozen dataclasses read from the workbooks.

Every value read from Excel keeps where it came from: each object carries ``refs``,
a mapping from the key of its column or form field in :mod:`kinerja_xl.spec` to the
:class:`CellRef` of the cell it was read from, so a check can point at the exact cell
(``ind.refs["target"]``, ``pk.refs["pp_nip"]``). One key scheme: the spec's keys.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Mapping

EMPTY_REFS: Mapping[str, "CellRef"] = MappingProxyType({})


@dataclass(frozen=True, order=True)
class CellRef:
    """A place in a workbook: file, sheet and A1 cell ("" for the whole sheet or file)."""

    file: str
    sheet: str = ""
    cell: str = ""

    def __str__(self) -> str:
        where = self.file
        if self.sheet:
            where += f" [{self.sheet}]"
        if self.cell:
            where += f" {self.cell}"
        return where


class Kind(StrEnum):
    """What a workbook holds; written into the hidden marker sheet."""

    PK = "pk"
    RKT = "rkt"
    REALISASI = "realisasi"
    RENSTRA = "renstra"


class Polaritas(StrEnum):
    POSITIF = "positif"  # higher is better
    NEGATIF = "negatif"  # lower is better, e.g. "jumlah revisi"


class Cascading(StrEnum):
    LANGSUNG = "langsung"  # handed down unchanged to one subordinate
    TIDAK_LANGSUNG = "tidak langsung"  # split across several subordinates
    DUKUNGAN = "dukungan manajemen"  # the unit's own support indicator: no parent


class Agregasi(StrEnum):
    """How quarterly realisasi add up to the year."""

    KUMULATIF = "kumulatif"  # sum of the quarters
    AKHIR = "triwulan terakhir"  # the last quarter filled in (a status)
    RATA_RATA = "rata-rata"  # mean of the quarters filled in


class StatusJabatan(StrEnum):
    """An official appointed to act in a post; printed before the jabatan ("Plt. Kepala Subbagian ...")."""

    PLT = "Plt."  # pelaksana tugas: a vacant post
    PLH = "Plh."  # pelaksana harian: the holder is away
    PJ = "Pj."  # penjabat


class Penurunan(StrEnum):
    """How an indirectly cascaded indicator's realisasi follows from its subordinates' (Manual IKU)."""

    JUMLAH = "jumlah"
    RATA_RATA = "rata-rata"
    MINIMUM = "minimum"


Quarters = tuple  # four values, TW I..IV (None: not filled in)
NO_QUARTERS = (None, None, None, None)


@dataclass(frozen=True)
class Target:
    """A target: a number, a range (low-high) or a non-numeric text such as "WTP".

    Percentages are stored as percent points: "90%" and 0.9 in a %-cell are both 90.0.
    """

    value: float | None = None
    low: float | None = None
    high: float | None = None
    text: str | None = None

    @property
    def is_range(self) -> bool:
        return self.low is not None and self.high is not None

    @property
    def is_numeric(self) -> bool:
        return self.value is not None or self.is_range

    def comparable(self) -> float | None:
        """The number used to compare two targets (the lower bound of a range)."""
        if self.value is not None:
            return self.value
        return self.low


@dataclass(frozen=True)
class Pejabat:
    """An official: pihak pertama or pihak kedua of a PK. ``nip`` holds digits only.

    Its cells are in the PK's ``refs`` under the form's keys (``pp_nama`` ... ``pk_nip``).
    """

    nama: str
    jabatan: str
    nip: str | None = None
    status: StatusJabatan | None = field(default=None, compare=False)  # Plt./Plh./Pj.; None: definitif

    @property
    def jabatan_lengkap(self) -> str:
        """The jabatan as documents print it: "Plt. Kepala Subbagian ..." for an acting official."""
        return f"{self.status.value} {self.jabatan}" if self.status and self.jabatan else self.jabatan


@dataclass(frozen=True)
class Indikator:
    """One row of a PK or RKT table: an indicator under its sasaran."""

    kode: str
    nama: str
    kode_sasaran: str = ""
    sasaran: str = ""
    satuan: str = ""
    target: Target | None = None
    polaritas: Polaritas | None = None
    kode_induk: str = ""
    cascading: Cascading | None = None
    # Rencana Aksi (PK, template version 3): how the quarters add up and the target of each quarter
    agregasi: Agregasi | None = None
    target_tw: Quarters = NO_QUARTERS  # Target | None, TW I..IV
    refs: Mapping[str, CellRef] = field(default_factory=lambda: EMPTY_REFS, compare=False, repr=False)

    @property
    def has_rencana_aksi(self) -> bool:
        return any(t is not None for t in self.target_tw)


@dataclass(frozen=True)
class Anggaran:
    """A programme/kegiatan line with its budget in whole rupiah."""

    kode: str
    uraian: str
    jumlah: int | None
    rencana_tw: Quarters = NO_QUARTERS  # int | None: the quarterly budget plan (Rencana Aksi)
    refs: Mapping[str, CellRef] = field(default_factory=lambda: EMPTY_REFS, compare=False, repr=False)


@dataclass(frozen=True)
class MonitoringIndikator:
    """What an official reported for one indicator of the PK, each quarter (sheet Monitoring)."""

    kode: str
    nama: str = ""
    realisasi: Quarters = NO_QUARTERS  # float | None (percent points for %)
    teks: Quarters = NO_QUARTERS  # str | None: a non-numeric realisasi such as "WTP"
    kendala: Quarters = ("", "", "", "")
    tindak_lanjut: Quarters = ("", "", "", "")
    refs: Mapping[str, CellRef] = field(default_factory=lambda: EMPTY_REFS, compare=False, repr=False)

    def reported(self, tw: int) -> bool:
        return self.realisasi[tw - 1] is not None or self.teks[tw - 1] is not None


@dataclass(frozen=True)
class MonitoringAnggaran:
    """Budget spent per quarter on one kegiatan of the PK (sheet Monitoring Anggaran), whole rupiah."""

    kode: str
    uraian: str = ""
    realisasi: Quarters = NO_QUARTERS
    refs: Mapping[str, CellRef] = field(default_factory=lambda: EMPTY_REFS, compare=False, repr=False)


@dataclass(frozen=True)
class PerjanjianKinerja:
    """One signed performance agreement (PK) of one official."""

    source: str
    level: str
    unit: str
    satker: str
    tahun: int | None
    pihak_pertama: Pejabat
    pihak_kedua: Pejabat | None
    tempat: str
    tanggal: dt.date | None
    indikator: tuple[Indikator, ...] = ()
    anggaran: tuple[Anggaran, ...] = ()
    # the Identitas form's cells by spec.PK_FORM field key: "tahun", "pp_nama", "pk_nip", ...
    refs: Mapping[str, CellRef] = field(default_factory=lambda: EMPTY_REFS, compare=False, repr=False)
    # PK Perubahan (template version 3): 0 = the first PK of the year; the revision's own start date,
    # reason and the file of the PK it replaces
    revisi: int = 0
    berlaku: dt.date | None = None
    alasan: str = ""
    sebelumnya: str = ""
    # Monitoring sheets (version 3); None: the workbook has none (an older template)
    monitoring: tuple[MonitoringIndikator, ...] | None = None
    monitoring_anggaran: tuple[MonitoringAnggaran, ...] | None = None

    @property
    def total_anggaran(self) -> int:
        return sum(a.jumlah or 0 for a in self.anggaran)

    @property
    def perubahan(self) -> bool:
        """A revised PK (PK Perubahan), signed again to replace an earlier one."""
        return self.revisi > 0

    @property
    def mulai_berlaku(self) -> dt.date | None:
        """From when this version is in force: its own start date, else its signature date."""
        return self.berlaku or self.tanggal

    def monitoring_of(self, kode: str) -> MonitoringIndikator | None:
        return next((m for m in self.monitoring or () if m.kode == kode), None)


@dataclass(frozen=True)
class RktRow:
    """One row of the RKT: an indicator with the kegiatan and budget that serve it."""

    indikator: Indikator
    kode_kegiatan: str = ""
    kegiatan: str = ""
    anggaran: int | None = None
    iku: bool | None = None  # "IKU" column: False = declared not an IKU of the Renstra; None = not said
    refs: Mapping[str, CellRef] = field(default_factory=lambda: EMPTY_REFS, compare=False, repr=False)


@dataclass(frozen=True)
class RencanaKinerjaTahunan:
    """The annual plan (RKT) of a satker."""

    source: str
    satker: str
    tahun: int | None
    rows: tuple[RktRow, ...] = ()
    refs: Mapping[str, CellRef] = field(default_factory=lambda: EMPTY_REFS, compare=False, repr=False)
    tempat: str = ""  # where and when the RKT is signed ("" / None: not filled in)
    tanggal: dt.date | None = None

    @property
    def total_anggaran(self) -> int:
        return sum(r.anggaran or 0 for r in self.rows)


@dataclass(frozen=True)
class RealisasiIndikator:
    """Target against realisasi for one indicator, per quarter and for the year."""

    kode: str
    nama: str
    satuan: str = ""
    target: Target | None = None
    polaritas: Polaritas | None = None
    agregasi: Agregasi | None = None
    triwulan: tuple[float | None, float | None, float | None, float | None] = (None, None, None, None)
    tahunan: float | None = None  # typed by the user; otherwise derived from the quarters
    teks: str | None = None  # a non-numeric realisasi such as "WTP"
    tahun_lalu: float | None = None
    target_renstra: Target | None = None
    keterangan: str = ""
    refs: Mapping[str, CellRef] = field(default_factory=lambda: EMPTY_REFS, compare=False, repr=False)


@dataclass(frozen=True)
class RealisasiAnggaran:
    """Budget ceiling (pagu) against spending (realisasi) for one programme/kegiatan."""

    kode: str
    uraian: str
    pagu: int | None
    realisasi: int | None
    refs: Mapping[str, CellRef] = field(default_factory=lambda: EMPTY_REFS, compare=False, repr=False)


@dataclass(frozen=True)
class Realisasi:
    """The realisation workbook of a satker (the basis of the Pengukuran Kinerja)."""

    source: str
    satker: str
    tahun: int | None
    indikator: tuple[RealisasiIndikator, ...] = ()
    anggaran: tuple[RealisasiAnggaran, ...] = ()
    narasi: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    refs: Mapping[str, CellRef] = field(default_factory=lambda: EMPTY_REFS, compare=False, repr=False)
    tempat: str = ""  # where the Pengukuran and the LAKIP are signed, and when
    tanggal_pengukuran: dt.date | None = None
    tanggal_laporan: dt.date | None = None

    @property
    def total_pagu(self) -> int:
        return sum(a.pagu or 0 for a in self.anggaran)

    @property
    def total_realisasi(self) -> int:
        return sum(a.realisasi or 0 for a in self.anggaran)


@dataclass(frozen=True)
class RenstraIndikator:
    """One indikator kinerja utama (IKU) of the Renstra: baseline, a target and realisasi per year."""

    kode: str
    nama: str
    kode_sasaran: str = ""
    sasaran: str = ""
    satuan: str = ""
    polaritas: Polaritas | None = None
    baseline: Target | None = None
    targets: tuple[Target | None, ...] = ()  # year 1..5 of the period
    realisasi: tuple[float | None, ...] = ()  # year 1..5 (the years already reported)
    standar: Target | None = None  # a national standard, where one exists
    refs: Mapping[str, CellRef] = field(default_factory=lambda: EMPTY_REFS, compare=False, repr=False)


@dataclass(frozen=True)
class ManualIku:
    """The Manual IKU of one indicator: how it is defined, computed, sourced and owned."""

    kode: str
    nama: str = ""
    definisi: str = ""
    formula: str = ""
    sumber_data: str = ""
    penanggung_jawab: str = ""
    cascading: Cascading | None = None
    periode: str = ""
    penurunan: Penurunan | None = None
    refs: Mapping[str, CellRef] = field(default_factory=lambda: EMPTY_REFS, compare=False, repr=False)


@dataclass(frozen=True)
class Renstra:
    """The satker's five-year strategic plan (Rencana Strategis) with its Manual IKU."""

    source: str
    satker: str
    periode_awal: int | None
    periode_akhir: int | None
    indikator: tuple[RenstraIndikator, ...] = ()
    manual: tuple[ManualIku, ...] = ()
    penetapan: str = ""
    refs: Mapping[str, CellRef] = field(default_factory=lambda: EMPTY_REFS, compare=False, repr=False)

    def year_index(self, tahun: int | None) -> int | None:
        """0-based position of ``tahun`` in the period (None when outside it or unknown)."""
        if tahun is None or self.periode_awal is None:
            return None
        i = tahun - self.periode_awal
        end = self.periode_akhir if self.periode_akhir is not None else self.periode_awal + 4
        return i if 0 <= i and tahun <= end else None

    @property
    def years(self) -> tuple[int, ...]:
        if self.periode_awal is None:
            return ()
        end = self.periode_akhir if self.periode_akhir is not None else self.periode_awal + 4
        return tuple(range(self.periode_awal, end + 1))

    def indikator_of(self, kode: str) -> RenstraIndikator | None:
        return next((i for i in self.indikator if i.kode == kode), None)

    def manual_of(self, kode: str) -> ManualIku | None:
        return next((m for m in self.manual if m.kode == kode), None)

    def target_for(self, kode: str, tahun: int | None) -> tuple[Target | None, str]:
        """The Renstra target of ``kode`` in ``tahun`` and its column key ("target_3"), or (None, "")."""
        ind, i = self.indikator_of(kode), self.year_index(tahun)
        if ind is None or i is None or i >= len(ind.targets):
            return None, ""
        return ind.targets[i], f"target_{i + 1}"


Document = PerjanjianKinerja | RencanaKinerjaTahunan | Realisasi | Renstra


@dataclass(frozen=True)
class KinerjaSet:
    """One satker's set of workbooks: every PK, the RKT and the realisation (either may be absent)."""

    folder: str
    pks: tuple[PerjanjianKinerja, ...] = ()
    rkt: RencanaKinerjaTahunan | None = None
    realisasi: Realisasi | None = None
    # Workbook files of the folder that could not be read at all (an .ods, a password): each already has
    # its own fatal finding, and stands for a workbook that is present, not missing.
    unreadable: tuple[str, ...] = ()
    renstra: Renstra | None = None
    # PKs replaced by a later revision of the same official's PK (PK Perubahan): still on file, printable
    # and checked against the superior in force at their own date; ``pks`` holds the versions in force.
    superseded: tuple[PerjanjianKinerja, ...] = ()

    @property
    def all_pks(self) -> tuple[PerjanjianKinerja, ...]:
        """Every PK of the folder: the versions in force and the ones a revision replaced."""
        return (*self.pks, *self.superseded)

    @property
    def satker(self) -> str:
        for doc in (*self.pks, self.rkt, self.realisasi):
            if doc is not None and doc.satker:
                return doc.satker
        return ""

    @property
    def tahun(self) -> int | None:
        years = [d.tahun for d in (*self.pks, self.rkt, self.realisasi) if d is not None and d.tahun]
        return max(set(years), key=years.count) if years else None
