"""The layout of every template, declared once.

The template writer (:mod:`kinerja_xl.outputs.templates`) lays out the workbooks from these
declarations and the reader (:mod:`kinerja_xl.reading.read`) finds the same sheets, labels and
headers from them. Change a label here and both follow.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .model import Agregasi, Cascading, Kind, Penurunan, Polaritas, StatusJabatan

# 2: place and dates of the RKT, Pengukuran and LAKIP signatures.
# 3: the SAKIP year: Rencana Aksi (TW targets, quarterly budget plan) and Monitoring sheets in every PK,
#    Plt./Plh./Pj. and PK revisions on the PK's Identitas, "IKU" in the RKT, the Renstra workbook.
TEMPLATE_VERSION = 3
VERSION_NEWS = {  # what each version added, for the "template-version-older" finding
    2: "tempat dan tanggal penandatanganan RKT, Pengukuran dan LAKIP",
    3: "Rencana Aksi (target dan rencana anggaran per triwulan), lembar Monitoring, status Plt./Plh./Pj. dan "
       "PK Perubahan pada Identitas PK, kolom IKU pada RKT",
}
MARKER_SHEET = "_kinerja_xl"  # very hidden sheet: key/value pairs (jenis, versi, tingkat, unit, hirarki)

# Satuan that allow a non-numeric target (a predikat such as "WTP" or "B"). Any other satuan
# needs a number; this is how a non-numeric target is "declared".
NON_NUMERIC_SATUAN = ("predikat", "opini", "kategori")
SATUAN_CHOICES = ("%", "dokumen", "laporan", "kegiatan", "kali", "orang", "hari", "nilai", "indeks", *NON_NUMERIC_SATUAN)
POLARITAS_CHOICES = tuple(p.value for p in Polaritas)
CASCADING_CHOICES = tuple(c.value for c in Cascading)
AGREGASI_CHOICES = tuple(a.value for a in Agregasi)
STATUS_CHOICES = tuple(s.value for s in StatusJabatan)
PENURUNAN_CHOICES = tuple(p.value for p in Penurunan)
YA_TIDAK = ("ya", "tidak")
PERIODE_CHOICES = ("triwulanan", "semesteran", "tahunan")
TRIWULAN = ("I", "II", "III", "IV")  # roman numerals as the documents print them: "TW II"
RENSTRA_YEARS = 5  # a Renstra spans five years (2020-2024)


@dataclass(frozen=True)
class Field:
    """One labelled input of a form sheet: label in column A, value in column B of ``row``."""

    key: str
    label: str
    row: int
    kind: str = "text"  # text | int | nip | date | choice
    required: bool = True
    locked: bool = False  # filled by the template writer, not by the user
    note: str = ""
    # What a document prints when the field is empty, or absent from an older template (a warning says so).
    default: str = ""
    choices: tuple[str, ...] = ()  # kind "choice": the values a drop-down offers (matched case-blind)
    # The template version that added the field: a workbook made by an older template has no such row and
    # reads without it (its "template-version-older" finding says that there is something new).
    since: int = 1


@dataclass(frozen=True)
class Section:
    """A bold heading row inside a form sheet."""

    label: str
    row: int
    since: int = 1


@dataclass(frozen=True)
class FormSheet:
    name: str
    title: str
    fields: tuple[Field, ...]
    sections: tuple[Section, ...] = ()

    def field(self, key: str) -> Field:
        return next(f for f in self.fields if f.key == key)


@dataclass(frozen=True)
class Column:
    """One column of a table sheet. ``kind`` drives both the number format and the parser."""

    key: str
    header: str
    kind: str = "text"  # text | code | target | number | rupiah | choice | longtext
    width: int = 14
    required: bool = False
    choices: tuple[str, ...] = ()
    aliases: tuple[str, ...] = ()  # other header texts the reader accepts
    note: str = ""
    since: int = 1  # the template version that added the column (older workbooks read without it)


@dataclass(frozen=True)
class TableSheet:
    name: str
    title: str
    columns: tuple[Column, ...]
    header_row: int = 3
    rows: int = 30  # blank, styled input rows the writer prepares (users may add more)
    since: int = 1  # the template version that added the sheet: older workbooks have none, and read without it

    @property
    def first_data_row(self) -> int:
        return self.header_row + 1

    def column(self, key: str) -> Column:
        return self._by_key[key]

    @cached_property
    def _by_key(self) -> dict[str, Column]:
        # cached on the instance: hashing the frozen spec on every lookup would cost more than the search
        return {c.key: c for c in self.columns}


@dataclass(frozen=True)
class WorkbookSpec:
    kind: Kind
    title: str
    form: FormSheet
    tables: tuple[TableSheet, ...]

    def table(self, name: str) -> TableSheet:
        return next(t for t in self.tables if t.name == name)

    @property
    def sheet_names(self) -> tuple[str, ...]:
        return (PETUNJUK, self.form.name, *(t.name for t in self.tables))


PETUNJUK = "Petunjuk"

_TAHUN = Field("tahun", "Tahun", 4, "int", note="Tahun anggaran, misalnya {tahun}.")
_SATKER = Field("satker", "Satuan Kerja", 3, note="Nama satker, misalnya {satker}.")

PK_FORM = FormSheet(
    name="Identitas",
    title="IDENTITAS PERJANJIAN KINERJA",
    sections=(Section("PIHAK PERTAMA (yang berjanji)", 8), Section("PIHAK KEDUA (atasan langsung)", 13),
              Section("PENANDATANGANAN", 18), Section("STATUS JABATAN DAN PERUBAHAN PK", 22, since=3)),
    fields=(
        _SATKER,
        _TAHUN,
        Field("tingkat", "Tingkat", 5, locked=True, note="Diisi oleh template; jangan diubah."),
        Field("unit", "Unit", 6, required=False, locked=True, note="Divisi atau subbagian; diisi oleh template."),
        Field("pp_nama", "Nama", 9, note="Nama lengkap tanpa gelar yang tidak resmi."),
        Field("pp_jabatan", "Jabatan", 10),
        Field("pp_nip", "NIP", 11, "nip", required=False, note="18 digit; kosongkan untuk komisioner (bukan ASN)."),
        Field("pk_nama", "Nama", 14, required=False),
        Field("pk_jabatan", "Jabatan", 15, required=False),
        Field("pk_nip", "NIP", 16, "nip", required=False, note="18 digit; kosongkan untuk komisioner (bukan ASN)."),
        Field("tempat", "Tempat", 19, note="Kota penandatanganan, misalnya {tempat}."),
        Field("tanggal", "Tanggal", 20, "date", note="Tanggal penandatanganan, misalnya 27 Januari {tahun}."),
        # Version 3: acting officials and revised PKs (PK Perubahan). A revision is a copy of the workbook with
        # the next "Revisi ke" and the earlier workbook's file name: both stay on file and printable.
        Field("pp_status", "Status Pihak Pertama", 23, "choice", required=False, choices=STATUS_CHOICES, since=3,
              note="Kosong untuk pejabat definitif; Plt., Plh. atau Pj. untuk pejabat yang ditunjuk. Tulis "
                   "nama dan jabatan tanpa awalan ini: dokumen mencetak 'Plt. <jabatan>'."),
        Field("pk_status", "Status Pihak Kedua", 24, "choice", required=False, choices=STATUS_CHOICES, since=3,
              note="Status atasan langsung: kosong, Plt., Plh. atau Pj."),
        Field("revisi", "Revisi ke", 25, "int", required=False, since=3,
              note="Kosong atau 0 untuk PK awal; 1, 2, ... untuk PK Perubahan (salinan buku kerja PK sebelumnya)."),
        Field("berlaku", "Berlaku Mulai", 26, "date", required=False, since=3,
              note="Tanggal mulai berlaku PK Perubahan (tanggal SK atau revisi DIPA); kosong: tanggal penandatanganan."),
        Field("alasan", "Alasan Perubahan", 27, required=False, since=3,
              note="Misalnya: pelantikan pejabat definitif (SK nomor ...), revisi DIPA ke-5."),
        Field("sebelumnya", "Berkas PK Sebelumnya", 28, required=False, since=3,
              note="Nama berkas PK yang diubah, misalnya PK_10_Eselon_IV_Perencanaan.xlsx."),
    ),
)

_SASARAN_COLS = (
    Column("kode_sasaran", "Kode Sasaran", "code", 12, aliases=("Kode SS",)),
    Column("sasaran", "Sasaran", "longtext", 40, required=True,
           aliases=("Sasaran Strategis", "Sasaran Program", "Sasaran Kegiatan")),
    Column("kode", "Kode Indikator", "code", 13, required=True, aliases=("Kode IK", "Kode")),
    Column("indikator", "Indikator Kinerja", "longtext", 50, required=True, aliases=("Indikator",)),
    Column("satuan", "Satuan", "choice", 11, required=True, choices=SATUAN_CHOICES),
    Column("target", "Target", "target", 10, required=True),
    Column("polaritas", "Polaritas", "choice", 11, required=True, choices=POLARITAS_CHOICES),
)

PK_INDIKATOR = TableSheet(
    name="Indikator",
    title="SASARAN, INDIKATOR KINERJA DAN TARGET",
    columns=(
        *_SASARAN_COLS,
        Column("kode_induk", "Kode Induk", "code", 12, aliases=("Kode Indikator Induk",),
               note="Kode indikator atasan yang didukung; kosong hanya untuk dukungan manajemen."),
        Column("cascading", "Cascading", "choice", 18, choices=CASCADING_CHOICES, aliases=("Jenis Cascading",)),
        # Rencana Aksi (version 3): the target of each quarter, added up by the agregasi as the realisasi is
        # (kumulatif: the quarters add up to the year; triwulan terakhir: TW IV is the year; rata-rata: the mean).
        Column("agregasi", "Agregasi Triwulan", "choice", 18, choices=AGREGASI_CHOICES, aliases=("Agregasi",), since=3,
               note="Cara triwulan menjadi setahun, untuk target Rencana Aksi dan realisasi."),
        *(Column(f"target_tw{i}", f"Target TW {tw}", "target", 9, aliases=(f"Rencana Aksi TW {tw}",), since=3)
          for i, tw in enumerate(TRIWULAN, 1)),
    ),
)

ANGGARAN_COLS = (
    Column("kode", "Kode Kegiatan", "code", 14, required=True, aliases=("Kode",)),
    Column("uraian", "Program/Kegiatan", "longtext", 55, required=True, aliases=("Program / Kegiatan", "Kegiatan")),
)

PK_ANGGARAN = TableSheet(
    name="Anggaran",
    title="PROGRAM/KEGIATAN DAN ANGGARAN",
    columns=(*ANGGARAN_COLS, Column("jumlah", "Anggaran (Rp)", "rupiah", 20, required=True, aliases=("Anggaran",)),
             *(Column(f"rencana_tw{i}", f"Rencana TW {tw} (Rp)", "rupiah", 16, aliases=(f"Rencana TW {tw}",), since=3)
               for i, tw in enumerate(TRIWULAN, 1))),
)

# Monitoring (version 3): what the official reports each quarter, per indicator of the PK and per kegiatan.
PK_MONITORING = TableSheet(
    name="Monitoring",
    title="MONITORING CAPAIAN KINERJA TRIWULAN",
    columns=(
        Column("kode", "Kode Indikator", "code", 13, required=True, aliases=("Kode",)),
        Column("indikator", "Indikator Kinerja", "longtext", 40, aliases=("Indikator",)),
        *(c for i, tw in enumerate(TRIWULAN, 1) for c in (
            Column(f"tw{i}", f"Realisasi TW {tw}", "target", 10, aliases=(f"TW {tw}",)),
            Column(f"kendala_tw{i}", f"Kendala TW {tw}", "longtext", 28),
            Column(f"tindak_lanjut_tw{i}", f"Tindak Lanjut TW {tw}", "longtext", 28)))),
    since=3,
)

PK_MONITORING_ANGGARAN = TableSheet(
    name="Monitoring Anggaran",
    title="REALISASI ANGGARAN TRIWULAN",
    columns=(
        *ANGGARAN_COLS,
        *(Column(f"realisasi_tw{i}", f"Realisasi TW {tw} (Rp)", "rupiah", 16, aliases=(f"Realisasi TW {tw}",))
          for i, tw in enumerate(TRIWULAN, 1)),
    ),
    since=3,
)

PK_SPEC = WorkbookSpec(Kind.PK, "PERJANJIAN KINERJA", PK_FORM,
                       (PK_INDIKATOR, PK_ANGGARAN, PK_MONITORING, PK_MONITORING_ANGGARAN))

SATKER_FORM = FormSheet(name="Identitas", title="IDENTITAS", fields=(_SATKER, _TAHUN))

# Where and when the satker's own documents are signed (template version 2). Version 1 workbooks have
# no such rows: they still read, each missing field taking its default with a warning.
_KETUA_TEMPAT = "tempat pada PK Ketua"
_TTD = Section("PENANDATANGANAN", 6)
_TEMPAT = Field("tempat", "Tempat", 7, required=False, default=_KETUA_TEMPAT,
                note="Kota penandatanganan, misalnya {tempat}; kosong: tempat pada PK Ketua.")

RKT_FORM = FormSheet(
    name="Identitas", title="IDENTITAS", sections=(_TTD,),
    fields=(_SATKER, _TAHUN, _TEMPAT,
            Field("tanggal", "Tanggal", 8, "date", required=False, default="tanggal PK Ketua",
                  note="Tanggal penandatanganan RKT; kosong: tanggal PK Ketua.")),
)

REALISASI_FORM = FormSheet(
    name="Identitas", title="IDENTITAS", sections=(_TTD,),
    fields=(_SATKER, _TAHUN, _TEMPAT,
            Field("tanggal_pengukuran", "Tanggal Pengukuran", 8, "date", required=False,
                  default="31 Desember tahun anggaran",
                  note="Tanggal penandatanganan Pengukuran Kinerja, misalnya 13 Januari {tahun_berikut}."),
            Field("tanggal_laporan", "Tanggal Laporan Kinerja", 9, "date", required=False,
                  default="tanggal Pengukuran",
                  note="Tanggal Kata Pengantar Laporan Kinerja (LAKIP); kosong: tanggal Pengukuran.")),
)

RKT_TABLE = TableSheet(
    name="RKT",
    title="RENCANA KINERJA TAHUNAN",
    columns=(
        *_SASARAN_COLS,
        Column("kode_kegiatan", "Kode Kegiatan", "code", 14),
        Column("kegiatan", "Kegiatan", "longtext", 40),
        Column("anggaran", "Anggaran (Rp)", "rupiah", 20, aliases=("Anggaran",)),
        Column("iku", "IKU", "choice", 8, choices=YA_TIDAK, aliases=("Indikator Kinerja Utama",), since=3,
               note="'tidak' untuk indikator yang bukan IKU Renstra; kosong: IKU."),
    ),
)

RKT_SPEC = WorkbookSpec(Kind.RKT, "RENCANA KINERJA TAHUNAN", RKT_FORM, (RKT_TABLE,))

REALISASI_INDIKATOR = TableSheet(
    name="Realisasi Indikator",
    title="REALISASI INDIKATOR KINERJA",
    columns=(
        Column("kode", "Kode Indikator", "code", 13, required=True, aliases=("Kode",)),
        Column("indikator", "Indikator Kinerja", "longtext", 45, required=True, aliases=("Indikator",)),
        Column("satuan", "Satuan", "choice", 11, required=True, choices=SATUAN_CHOICES),
        Column("target", "Target", "target", 10, required=True),
        Column("polaritas", "Polaritas", "choice", 11, required=True, choices=POLARITAS_CHOICES),
        Column("agregasi", "Agregasi Triwulan", "choice", 18, choices=AGREGASI_CHOICES, aliases=("Agregasi",)),
        Column("tw1", "TW I", "target", 9, aliases=("Triwulan I",)),
        Column("tw2", "TW II", "target", 9, aliases=("Triwulan II",)),
        Column("tw3", "TW III", "target", 9, aliases=("Triwulan III",)),
        Column("tw4", "TW IV", "target", 9, aliases=("Triwulan IV",)),
        Column("tahunan", "Realisasi Tahunan", "target", 12, aliases=("Realisasi",),
               note="Kosongkan untuk dihitung dari triwulan."),
        Column("tahun_lalu", "Realisasi Tahun Lalu", "target", 12),
        Column("target_renstra", "Target Renstra", "target", 12, aliases=("Target Renstra Akhir",)),
        Column("keterangan", "Penyebab dan Solusi", "longtext", 45, aliases=("Keterangan",)),
    ),
)

REALISASI_ANGGARAN = TableSheet(
    name="Realisasi Anggaran",
    title="REALISASI ANGGARAN PER PROGRAM/KEGIATAN",
    columns=(
        *ANGGARAN_COLS,
        Column("pagu", "Pagu (Rp)", "rupiah", 20, required=True, aliases=("Pagu",)),
        Column("realisasi", "Realisasi (Rp)", "rupiah", 20, required=True, aliases=("Realisasi",)),
    ),
)

# Narrative of the LAKIP, written by staff; one row per part. Keys are the template placeholders.
NARASI_PARTS = (
    ("kata_pengantar", "Kata Pengantar"),
    ("ikhtisar", "Ikhtisar Eksekutif"),
    ("latar_belakang", "Bab I.A Latar Belakang"),
    ("maksud_tujuan", "Bab I.B Maksud dan Tujuan"),
    ("tugas_fungsi", "Bab I.C Tugas Pokok dan Fungsi"),
    ("struktur_organisasi", "Bab I.D Struktur Organisasi"),
    ("renstra", "Bab II.A Rencana Strategis"),
    ("analisis", "Bab III.A Analisis Capaian (penjelasan umum)"),
    ("penutup", "Bab IV Penutup"),
)

NARASI = TableSheet(
    name="Narasi",
    title="NARASI LAPORAN KINERJA (LAKIP)",
    columns=(
        Column("bagian", "Bagian", "code", 22, required=True),
        Column("judul", "Judul", "text", 36),
        Column("teks", "Teks", "longtext", 100),
    ),
    rows=len(NARASI_PARTS),
)

REALISASI_SPEC = WorkbookSpec(
    Kind.REALISASI, "REALISASI KINERJA", REALISASI_FORM, (REALISASI_INDIKATOR, REALISASI_ANGGARAN, NARASI)
)

# --- Renstra and Manual IKU (version 3) --------------------------------------------------------------
RENSTRA_FORM = FormSheet(
    name="Identitas", title="IDENTITAS RENCANA STRATEGIS",
    fields=(
        _SATKER,
        Field("periode_awal", "Tahun Awal", 4, "int", note="Tahun pertama Renstra, misalnya 2020."),
        Field("periode_akhir", "Tahun Akhir", 5, "int", note="Tahun terakhir Renstra, misalnya 2024 (lima tahun)."),
        Field("penetapan", "Dasar Penetapan", 6, required=False, note="Nomor keputusan yang menetapkan Renstra."),
    ),
)

RENSTRA_TABLE = TableSheet(
    name="Renstra",
    title="SASARAN STRATEGIS, INDIKATOR KINERJA UTAMA DAN TARGET LIMA TAHUN",
    columns=(
        *(c for c in _SASARAN_COLS if c.key != "target"),
        Column("baseline", "Baseline", "target", 10, aliases=("Kondisi Awal",)),
        *(Column(f"target_{i}", f"Target Tahun ke-{i}", "target", 10) for i in range(1, RENSTRA_YEARS + 1)),
        *(Column(f"realisasi_{i}", f"Realisasi Tahun ke-{i}", "target", 10) for i in range(1, RENSTRA_YEARS + 1)),
        Column("standar", "Standar Nasional", "target", 11, note="Kosong bila tidak ada standar nasional."),
    ),
)

MANUAL_IKU = TableSheet(
    name="Manual IKU",
    title="MANUAL INDIKATOR KINERJA UTAMA",
    columns=(
        Column("kode", "Kode Indikator", "code", 13, required=True, aliases=("Kode",)),
        Column("indikator", "Indikator Kinerja", "longtext", 36, aliases=("Indikator",)),
        Column("definisi", "Definisi Operasional", "longtext", 45, required=True),
        Column("formula", "Formula / Cara Perhitungan", "longtext", 40, aliases=("Formula", "Cara Perhitungan")),
        Column("sumber_data", "Sumber Data", "longtext", 25),
        Column("penanggung_jawab", "Penanggung Jawab", "text", 25),
        Column("cascading", "Jenis Cascading", "choice", 18, choices=CASCADING_CHOICES, aliases=("Cascading",)),
        Column("periode", "Periode Pelaporan", "choice", 14, choices=PERIODE_CHOICES),
        Column("penurunan", "Realisasi dari Bawahan", "choice", 14, choices=PENURUNAN_CHOICES,
               note="Untuk indikator tidak langsung: realisasi dihitung dari indikator bawahan (jumlah, rata-rata "
                    "atau minimum); kosong: diisi sendiri."),
    ),
)

RENSTRA_SPEC = WorkbookSpec(Kind.RENSTRA, "RENCANA STRATEGIS", RENSTRA_FORM, (RENSTRA_TABLE, MANUAL_IKU))

SPECS = {Kind.PK: PK_SPEC, Kind.RKT: RKT_SPEC, Kind.REALISASI: REALISASI_SPEC, Kind.RENSTRA: RENSTRA_SPEC}
