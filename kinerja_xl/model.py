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
    refs: Mapping[str, CellRef] = field(default_factory=lambda: EMPTY_REFS, compare=False, repr=False)


@dataclass(frozen=True)
class Anggaran:
    """A programme/kegiatan line with its budget in whole rupiah."""

    kode: str
    uraian: str
    jumlah: int | None
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

    @property
    def total_anggaran(self) -> int:
        return sum(a.jumlah or 0 for a in self.anggaran)


@dataclass(frozen=True)
class RktRow:
    """One row of the RKT: an indicator with the kegiatan and budget that serve it."""

    indikator: Indikator
    kode_kegiatan: str = ""
    kegiatan: str = ""
    anggaran: int | None = None
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


Document = PerjanjianKinerja | RencanaKinerjaTahunan | Realisasi


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
