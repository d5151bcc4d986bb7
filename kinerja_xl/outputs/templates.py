"""Write the blank standardized workbooks from :mod:`kinerja_xl.spec`.

What Excel users expect: a Petunjuk sheet, input cells shaded and unlocked, headers locked
(sheet protection without a password, so nobody is locked out), dropdowns for closed lists,
Rp and date formats, frozen header rows, print settings, and a very hidden marker sheet
telling the reader the template kind, version, level and unit.
"""

from __future__ import annotations

import re

import datetime as dt
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.page import PageMargins
from openpyxl.worksheet.worksheet import Worksheet

from .. import spec
from ..fsutil import atomic_save, safe_filename
from ..levels import Hierarchy, Level, load_hierarchy
from ..model import Kind

INPUT_FILL = PatternFill("solid", fgColor="FFF9E5")  # pale yellow: "type here"
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")  # grey: filled by the template
HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
TITLE_FONT = Font(bold=True, size=14)
THIN = Side(style="thin", color="A6A6A6")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
UNLOCKED = Protection(locked=False)

RUPIAH_FORMAT = '"Rp"#,##0'
DATE_FORMAT = "[$-421]d mmmm yyyy"  # Indonesian month names in Excel and LibreOffice
TEXT_FORMAT = "@"
# Narrow margins: a blank table's prepared rows and its header fit on one landscape page.
PRINT_MARGINS = PageMargins(left=0.5, right=0.5, top=0.6, bottom=0.6, header=0.3, footer=0.3)


class TemplateError(ValueError):
    """A template cannot be written as asked (unknown level or unit); message in Bahasa Indonesia."""


def new_workbook(kind: Kind, *, level: str = "", unit: str = "", satker: str = "", tahun: int | None = None,
                 hierarchy: Hierarchy | None = None) -> Workbook:
    """A blank template workbook in memory (save it with :func:`save`)."""
    hierarchy = hierarchy or load_hierarchy()
    wb_spec = spec.SPECS[kind]
    lv = _level(hierarchy, level, unit) if kind is Kind.PK else None
    wb = Workbook()
    _petunjuk(wb.active, wb_spec, lv, unit, satker, tahun, hierarchy)
    form = wb.create_sheet(wb_spec.form.name)
    _form(form, wb_spec, lv, satker, tahun, hierarchy, unit)
    for table in wb_spec.tables:
        _table(wb.create_sheet(table.name), table, lv)
    prefill: dict[str, Any] = {"satker": satker or None, "tahun": tahun}
    if lv is not None:
        prefill |= {"tingkat": lv.nama, "unit": unit or None, "pp_jabatan": lv.jabatan_for(unit, satker) if satker else None}
        parent = hierarchy.get(lv.induk)
        if parent is not None and satker:
            parent_unit = _parent_unit(hierarchy, lv, unit)
            prefill["pk_jabatan"] = parent.jabatan_for(parent_unit, satker)
    keys = {f.key for f in wb_spec.form.fields}  # the Renstra has a period, not a year
    fill_form(wb, kind, {k: v for k, v in prefill.items() if v is not None and k in keys})
    if kind is Kind.REALISASI:
        fill_table(wb, spec.NARASI, [{"bagian": key, "judul": title} for key, title in spec.NARASI_PARTS])
    _marker(wb, kind, hierarchy, lv, unit)
    return wb


def save(wb: Workbook, path: str | Path) -> Path:
    """Save atomically: a failure leaves no half-written file."""
    return atomic_save(wb, path)


def write_template(path: str | Path, kind: Kind, **options: Any) -> Path:
    """Write one blank template: ``write_template("pk.xlsx", Kind.PK, level="ketua", satker="KPU Kota Serang")``."""
    return save(new_workbook(kind, **options), path)


def set_filenames(hierarchy: Hierarchy) -> list[tuple[Kind, Level | None, str, str]]:
    """Every workbook of a satker's set: (kind, level, unit, file name), in hierarchy order."""
    out: list[tuple[Kind, Level | None, str, str]] = []
    for n, (lv, unit) in enumerate(hierarchy.holders(), start=1):
        name = safe_filename(f"{lv.nama} {unit}".strip())
        out.append((Kind.PK, lv, unit, f"PK_{n:02d}_{name}.xlsx"))
    out.append((Kind.RKT, None, "", "RKT.xlsx"))
    out.append((Kind.REALISASI, None, "", "Realisasi.xlsx"))
    out.append((Kind.RENSTRA, None, "", "Renstra.xlsx"))
    return out


def write_set(folder: str | Path, *, satker: str, tahun: int, hierarchy: Hierarchy | None = None,
              overwrite: bool = False) -> list[Path]:
    """Write the whole set of blank templates for one satker into ``folder``."""
    hierarchy = hierarchy or load_hierarchy()
    folder = Path(folder)
    plan = [(kind, lv, unit, folder / name) for kind, lv, unit, name in set_filenames(hierarchy)]
    existing = [p for *_, p in plan if p.exists()]
    if existing and not overwrite:
        raise FileExistsError(existing[0])
    return [
        write_template(path, kind, level=lv.id if lv else "", unit=unit, satker=satker, tahun=tahun,
                       hierarchy=hierarchy)
        for kind, lv, unit, path in plan
    ]


# --- filling (the example, tests and the benchmark generator use the same layout) -------------------
def fill_form(wb: Workbook, kind: Kind, values: Mapping[str, Any]) -> None:
    form = spec.SPECS[kind].form
    ws = wb[form.name]
    for key, value in values.items():
        ws.cell(form.field(key).row, 2, value)


def fill_table(wb: Workbook, table: spec.TableSheet, rows: Sequence[Mapping[str, Any]],
               *, number_formats: Mapping[str, str] | None = None) -> None:
    """Write rows (dicts by column key) under the header; more rows than prepared are styled too."""
    ws = wb[table.name]
    columns = {c.key: i for i, c in enumerate(table.columns, start=1)}
    for r, row in enumerate(rows, start=table.first_data_row):
        if r >= table.first_data_row + table.rows:
            _style_row(ws, table, r)
        for key, value in row.items():
            cell = ws.cell(r, columns[key], value)
            if number_formats and key in number_formats:
                cell.number_format = number_formats[key]


# --- layout ----------------------------------------------------------------------------------------
def _level(hierarchy: Hierarchy, level: str, unit: str) -> Level:
    lv = hierarchy.get(level) or next((x for x in hierarchy.levels if x.nama.casefold() == level.casefold()), None)
    if lv is None:
        names = ", ".join(x.id for x in hierarchy.levels)
        raise TemplateError(f"Tingkat '{level}' tidak dikenal. Pilihan: {names}.")
    if lv.units and not lv.unit(unit):
        names = "; ".join(u.nama for u in lv.units)
        raise TemplateError(f"Tingkat '{lv.id}' memerlukan --unit salah satu dari: {names}.")
    if not lv.units and unit:
        raise TemplateError(f"Tingkat '{lv.id}' tidak mempunyai unit; hapus --unit.")
    return lv


def _parent_unit(hierarchy: Hierarchy, lv: Level, unit: str) -> str:
    parent = hierarchy.level(lv.induk)
    if not parent.units:
        return ""
    own = lv.unit(unit)
    return own.induk if own and own.induk else parent.units[0].nama


# What each column means, for the Petunjuk (the column's own ``note`` is used when the spec has none here).
# Keyed by column key, or by (sheet, key) where one key means something else on another sheet.
_COLUMN_TEXT = {
    "kode_sasaran": "satu kode untuk satu rumusan sasaran (mis. SS-1).",
    "sasaran": "rumusan sasaran; yang sama pada beberapa baris dicetak dalam satu sel.",
    "kode": "kode indikator, unik dalam buku kerja (mis. IK-S.1).",
    "indikator": "rumusan indikator kinerja.",
    "satuan": "pilih dari daftar; 'predikat', 'opini', 'kategori' untuk target teks (WTP).",
    "target": "target setahun: 90% atau 90 untuk persen; desimal 96,69; rentang 80-90.",
    "polaritas": "'positif': makin tinggi makin baik; 'negatif': makin rendah makin baik.",
    "kode_induk": "kode indikator pada PK atasan langsung yang didukung indikator ini.",
    "cascading": "'langsung': indikator atasan apa adanya (target tidak lebih rendah); 'tidak langsung': "
                 "indikator sendiri yang mendukungnya; 'dukungan manajemen': tanpa induk.",
    "kode_kegiatan": "kode kegiatan yang mendanai indikator ini (sama dengan kode pada lembar Anggaran PK).",
    "kegiatan": "nama program/kegiatan.",
    "anggaran": "anggaran kegiatan dalam rupiah tanpa sen.",
    ("RKT", "iku"): "'tidak' untuk indikator yang bukan IKU Renstra; kosong: IKU (target = target Renstra tahun ini).",
    ("Indikator", "agregasi"): "cara triwulan menjadi setahun: 'kumulatif': dijumlah; 'triwulan terakhir': status "
                               "s.d. saat itu, TW IV = setahun; 'rata-rata': reratanya.",
    "agregasi": "cara menghitung realisasi setahun dari triwulan: 'kumulatif' (dijumlah), 'triwulan terakhir' "
                "(nilai triwulan terakhir yang terisi, untuk status/persentase), 'rata-rata'.",
    ("Indikator", "target_tw1"): "Rencana Aksi: target tiap triwulan; kumulatif: jumlahnya = Target; triwulan "
                                 "terakhir: TW IV = Target; rata-rata: reratanya = Target.",
    "tw1": "realisasi tiap triwulan, ditulis seperti target.",
    "tahunan": "kosongkan agar dihitung dari triwulan menurut Agregasi Triwulan; isi bila diukur tersendiri.",
    "tahun_lalu": "realisasi indikator ini pada tahun {tahun_lalu} (pembanding di LAKIP).",
    "target_renstra": "target akhir periode Renstra (jangka menengah); dengan buku kerja Renstra di folder, "
                      "dokumen memakai target dari sana.",
    "keterangan": "penyebab capaian (terutama bila tidak tercapai) dan solusinya; dikutip di LAKIP Bab III.",
    "pagu": "pagu anggaran kegiatan dalam rupiah.",
    "realisasi": "realisasi anggaran kegiatan dalam rupiah.",
    "bagian": "bagian LAKIP (diisi template; jangan diubah).",
    "judul": "judul bagian (diisi template).",
    "teks": "teks bagian itu; Alt+Enter di dalam sel memulai paragraf baru.",
    # Monitoring (PK): reported at the end of each quarter
    ("Monitoring", "tw1"): "realisasi triwulan itu, ditulis seperti target.",
    "kendala_tw1": "hambatan, terutama bila di bawah target triwulan.",
    "tindak_lanjut_tw1": "langkah mengatasi kendala itu.",
    "realisasi_tw1": "anggaran terserap pada triwulan itu saja (bukan kumulatif).",
    # Renstra and Manual IKU
    "baseline": "kondisi awal: capaian tahun sebelum Tahun Awal.",
    "target_1": "target tiap tahun: Tahun ke-1 = Tahun Awal, Tahun ke-5 = Tahun Akhir; menjadi target RKT dan PK "
                "tahun itu.",
    "realisasi_1": "realisasi tahun yang sudah diukur (dari Realisasi tahun itu).",
    "definisi": "arti indikator dan batasannya secara jelas (kriteria evaluasi SAKIP).",
    "formula": "cara menghitung, misalnya pembilang / penyebut x 100%.",
    "sumber_data": "dokumen atau sistem asal data.",
    "penanggung_jawab": "unit yang mengukur dan melaporkan.",
    ("Manual IKU", "cascading"): "'langsung', 'tidak langsung' atau 'dukungan manajemen' (lihat PK).",
    "periode": "triwulanan, semesteran atau tahunan.",
}
_ANGGARAN_TEXT = {"kode": "kode kegiatan (mis. KEG-01).", "uraian": "nama program/kegiatan.",
                  "jumlah": "anggaran setahun, rupiah tanpa sen: 1.507.029.000.",
                  "rencana_tw1": "rencana penyerapan tiap triwulan; jumlahnya = Anggaran."}
# What the Petunjuk says of a form field, where the field's own note (column C of the form) says more than
# the one page of the Petunjuk can hold.
_FIELD_TEXT = {
    "pp_nama": "nama lengkap yang berjanji, tanpa gelar tidak resmi.",
    "tanggal": "tanggal penandatanganan: 27 Januari {tahun} atau tanggal Excel.",
    "pp_status": "Plt., Plh. atau Pj. bila ditunjuk, kosong bila definitif; tidak ditulis di Nama atau "
                 "Jabatan (dokumen mencetak 'Plt. <jabatan>').",
    "pk_status": "sama, untuk atasan langsung.",
    "revisi": "kosong atau 0 untuk PK awal; 1, 2, ... untuk PK Perubahan.",
    "berlaku": "tanggal SK atau revisi DIPA; kosong: tanggal penandatanganan.",
    "alasan": "misalnya pelantikan pejabat definitif, revisi DIPA ke-5.",
    "sebelumnya": "nama berkas PK yang diganti.",
    "periode_awal": "tahun pertama Renstra (Tahun ke-1).",
    "periode_akhir": "tahun terakhir Renstra (lima tahun).",
}
# Said once before a group of fields or columns, by the key of the first one.
_INTRO_TEXT = {
    "revisi": "PK Perubahan: salin buku kerja ini, naikkan Revisi ke, isi Berlaku Mulai, Alasan Perubahan dan "
              "Berkas PK Sebelumnya; berkas PK lama tetap di folder.",
}
_SHEET_TEXT = {
    "Monitoring": "Diisi setiap akhir triwulan: satu baris per indikator lembar Indikator, dengan kodenya.",
    "Monitoring Anggaran": "Diisi setiap akhir triwulan: satu baris per kegiatan lembar Anggaran.",
    "Manual IKU": "Satu baris per IKU lembar Renstra.",
}
PETUNJUK_WIDTH = 72  # column A: a portrait A4 page at 100% (LibreOffice does not shrink this sheet to fit)
# What fits on one printed line of it, in widths of the digit "0" (the unit of a column width, whatever the
# font): measured with DejaVu Sans, LibreOffice's stand-in for Calibri and wider than Calibri, less a margin.
_LINE_CAPACITY = 70.0
_LINE_HEIGHT = 15  # points per line of 11 pt text
_GAP_HEIGHT = 7  # an empty row between two parts: half a line, so that the sheet fits one page
_A4_HEIGHT = 842  # points
_MAX_SHRINK = 1.3  # the Petunjuk is printed on one page when that prints 11 pt text at no less than 8.5 pt
# Widths of DejaVu Sans' characters in digit widths (bold: about a tenth wider); any other character: 1.
_CHAR_WIDTHS = {
    **dict.fromkeys("ijlIJ'", 0.45), **dict.fromkeys(" ,.:;/|\\", 0.52), **dict.fromkeys("ft-()[]!r", 0.62),
    **dict.fromkeys("csz?*_`\"", 0.84), **dict.fromkeys("kvxyLPFTYE", 0.93), **dict.fromkeys("abdeghnopqu", 0.98), **dict.fromkeys("ABCKRVXZ", 1.08),
    **dict.fromkeys("DGHNOQU&", 1.2), **dict.fromkeys("w#+<=>^~", 1.32), **dict.fromkeys("mMW%@", 1.56),
}


def _text_width(text: str, bold: bool = False) -> float:
    return sum(_CHAR_WIDTHS.get(ch, 1.0) for ch in text) * (1.1 if bold else 1.0)


def wrapped_lines(text: str, capacity: float = _LINE_CAPACITY, bold: bool = False) -> int:
    """How many lines a cell of the Petunjuk prints ``text`` on: wrapped at spaces like a spreadsheet does.

    >>> wrapped_lines("kata " * 10), wrapped_lines("kata " * 40)
    (1, 3)
    """
    lines, used, space = 1, 0.0, _text_width(" ", bold)
    for word in text.split():
        w = _text_width(word, bold)
        if used and used + space + w > capacity:
            lines, used = lines + 1, 0.0
        if not used and w > capacity:  # a word longer than the line (a file name) is broken anywhere
            extra = int(w // capacity)
            lines, w = lines + extra, w - extra * capacity
        used += (space if used else 0.0) + w
    return lines


def example_values(satker: str, tahun: int | None) -> dict[str, str]:
    """The values the template's examples use: its own satker and year, or the bundled example's.

    >>> example_values("KPU Kabupaten Lebak", 2024)["tempat"], example_values("", None)["tahun"]
    ('Lebak', '2022')
    """
    satker = satker or "KPU Kota Serang"
    year = tahun or 2022
    tempat = satker
    for prefix in ("KPU ", "Provinsi ", "Kabupaten ", "Kota ", "Kab. "):
        tempat = tempat.removeprefix(prefix)
    return {"satker": satker, "tahun": str(year), "tahun_lalu": str(year - 1), "tahun_berikut": str(year + 1),
            "tempat": tempat}


def note_text(note: str, satker: str, tahun: int | None) -> str:
    """A field's note with the template's own examples filled in (``{satker}``, ``{tahun}``, ...)."""
    return note.format_map(example_values(satker, tahun)) if "{" in note else note


_ACRONYMS = {"LAKIP", "RKT", "PK", "DIPA", "SAKIP", "TW"}


def _sentence_case(title: str) -> str:
    """'NARASI LAPORAN KINERJA (LAKIP)' -> 'Narasi laporan kinerja (LAKIP)': acronyms stay capitals."""
    words = title.capitalize().split(" ")
    return " ".join(w.upper() if w.strip("()/,.").upper() in _ACRONYMS else w for w in words)


def _level_notes(lv: Level, unit: str, satker: str, hierarchy: Hierarchy | None) -> dict[str, str]:
    """What the PK of this level asks in the officials' fields and the cascade columns, by field/column key.

    The top level (no induk) signs alone and has no parent indicator; the others name their own superior.
    """
    nip = "18 digit, wajib (ASN)." if lv.asn else f"kosongkan: {lv.nama} bukan ASN."
    notes = {"pp_jabatan": f"misalnya {lv.jabatan_for(unit, satker)}.", "pp_nip": nip}
    parent = hierarchy.get(lv.induk) if hierarchy is not None and lv.induk else None
    if not lv.induk:
        below = [x.nama for x in (hierarchy.levels if hierarchy is not None else ()) if x.induk == lv.id]
        alone = f"kosongkan: PK {lv.nama} ditandatangani sendiri."
        notes |= {"pk_nama": alone, "pk_jabatan": alone, "pk_nip": alone, "pk_status": alone,
                  "kode_induk": f"kosongkan: {lv.nama} tidak mempunyai atasan; kode di sini menjadi Kode Induk "
                                f"pada PK {' dan '.join(below) or 'di bawahnya'}.",
                  "cascading": "kosongkan: indikator tingkat teratas tidak diturunkan dari indikator lain."}
    elif parent is not None:
        parent_unit = _parent_unit(hierarchy, lv, unit)
        notes |= {"pk_nama": f"nama {parent.nama}, atasan langsung.",
                  "pk_jabatan": f"misalnya {parent.jabatan_for(parent_unit, satker)}.",
                  "pk_nip": "18 digit, wajib (ASN)." if parent.asn else f"kosongkan: {parent.nama} bukan ASN.",
                  "kode_induk": f"kode pada PK {parent.nama} yang didukung; kosong: dukungan manajemen."}
    return notes


def _petunjuk_lines(wb_spec: spec.WorkbookSpec, lv: Level | None, unit: str, satker: str,
                    tahun: int | None, hierarchy: Hierarchy | None = None) -> list[tuple[str, str]]:
    """The Petunjuk as (style, text) lines: only the sheets and fields this workbook has."""
    ex = example_values(satker, tahun)
    heading = wb_spec.title + (f" - {lv.nama}" if lv else "") + (f" {unit}" if unit else "")
    lines = [("title", heading)]
    if satker or tahun:
        lines.append(("sub", " ".join(x for x in (satker, f"Tahun {tahun}" if tahun else "") if x)))
    written = "Angka: koma untuk desimal, titik untuk ribuan; rupiah tanpa sen" + (
        f"; tanggal: 27 Januari {ex['tahun']}." if any(f.kind == "date" for f in wb_spec.form.fields) else ".")
    lines += [("", ""), ("", "Isi hanya sel kuning muda; sel abu-abu diisi template; judul kolom dan nama lembar "
                             "jangan diganti. Tabel: satu baris per butir; baris boleh ditambah. " + written)]
    form = wb_spec.form
    lines += [("", ""), ("bold", f"Lembar '{form.name}'")]
    level_notes = _level_notes(lv, unit, ex["satker"], hierarchy) if lv is not None else {}
    for f in form.fields:
        if f.locked:
            continue
        if f.key in _INTRO_TEXT:
            lines.append(("", _INTRO_TEXT[f.key]))
        note = note_text(level_notes.get(f.key) or _FIELD_TEXT.get(f.key) or f.note, satker, tahun)
        section = next((s.label.split(" (")[0].title() for s in reversed(form.sections) if s.row < f.row), "")
        label = f"{f.label} ({section})" if f.label in ("Nama", "Jabatan", "NIP") and section else f.label
        lines.append(("item", f"- {label}: {_lower_first(note) if note else 'wajib diisi.'}"))
    explained: set[str] = set()
    for table in wb_spec.tables:
        lines += [("", ""), ("bold", f"Lembar '{table.name}': {_sentence_case(table.title)}")]
        if table.name in _SHEET_TEXT:
            lines.append(("", _SHEET_TEXT[table.name]))
        anggaran = table.columns[0] in spec.ANGGARAN_COLS
        for col, header in _grouped_columns(table):
            own = _COLUMN_TEXT.get((table.name, col.key))
            if header in explained and not own:
                continue  # "Kode Indikator" of the Monitoring sheet: said on the sheet before
            explained.add(header)
            text = (own or (_ANGGARAN_TEXT.get(col.key) if anggaran else None) or level_notes.get(col.key)
                    or col.note or _COLUMN_TEXT.get(col.key, ""))
            lines.append(("item", f"- {header}: {_lower_first(note_text(text, satker, tahun))}"))
    lines += [("", ""), ("bold", "Memeriksa dan membuat dokumen"),
              ("", "Add-in kinerja_xl di Excel, tab 'Kinerja': Validasi, Cek Cascading, Buat Dokumen (Word/PDF), "
                   "Template Baru; atau kinerja-xl validate <berkas> dan kinerja-xl check <folder>.")]
    return lines


_KEEP_CAPITAL = ("Rencana Aksi",)  # a name at the start of an explanation keeps its capital


def _lower_first(text: str) -> str:
    """'Kosong untuk ...' -> 'kosong untuk ...'; an acronym, 'Plt., Plh. ...' and 'Rencana Aksi' stay.

    >>> _lower_first("Tahun anggaran."), _lower_first("Plt., Plh. atau Pj."), _lower_first("IKU Renstra.")
    ('tahun anggaran.', 'Plt., Plh. atau Pj.', 'IKU Renstra.')
    """
    word = text.split(" ", 1)[0]
    if word[1:2].isupper() or word.rstrip(",;").endswith((".", ":")) or text.startswith(_KEEP_CAPITAL):
        return text
    return text[:1].lower() + text[1:]


_SERIES = re.compile(r"^(.*?)(\d)$")  # target_tw1 .. target_tw4, target_1 .. target_5


def _grouped_columns(table: spec.TableSheet) -> list[tuple[spec.Column, str]]:
    """The columns the Petunjuk explains, a numbered series once: "Target TW I s.d. TW IV"."""
    out: list[tuple[spec.Column, str]] = []
    keys = [c.key for c in table.columns]
    for col in table.columns:
        m = _SERIES.match(col.key)
        if not m or m.group(2) != "1" or f"{m.group(1)}2" not in keys:
            if not m or f"{m.group(1)}1" not in keys or m.group(2) == "1":
                out.append((col, col.header))
            continue
        last = table.column(max((k for k in keys if _SERIES.match(k) and _SERIES.match(k).group(1) == m.group(1)),
                                key=lambda k: int(k[-1])))
        first, final = col.header.split(), last.header.split()
        i = next((n for n, (a, b) in enumerate(zip(first, final)) if a != b), len(first) - 1)
        out.append((col, " ".join([*first[:i + 1], "s.d.", final[i], *first[i + 1:]])))
    return out


def _petunjuk(ws: Worksheet, wb_spec: spec.WorkbookSpec, lv: Level | None, unit: str, satker: str = "",
              tahun: int | None = None, hierarchy: Hierarchy | None = None) -> None:
    ws.title = spec.PETUNJUK
    lines = _petunjuk_lines(wb_spec, lv, unit, satker, tahun, hierarchy)
    fonts = {"title": TITLE_FONT, "sub": Font(bold=True, size=12), "bold": Font(bold=True)}
    for r, (style, text) in enumerate(lines, start=1):
        cell = ws.cell(r, 1, text)
        cell.alignment = Alignment(wrap_text=True, vertical="top", indent=1 if style == "item" else 0)
        if style in fonts:
            cell.font = fonts[style]
        # Neither Excel nor LibreOffice grows a row for wrapped text written by a program: without a
        # height, a long line prints over the next one.
        size = {"title": 14, "sub": 12}.get(style, 11)
        wrapped = wrapped_lines(text, _LINE_CAPACITY * 11 / size, style in fonts)
        height = _LINE_HEIGHT * size / 11 * wrapped + (2 if wrapped > 1 else 0)
        ws.row_dimensions[r].height = round(height, 1) if text else _GAP_HEIGHT
    total = sum(ws.row_dimensions[r].height for r in range(1, len(lines) + 1))
    ws.column_dimensions["A"].width = PETUNJUK_WIDTH
    ws.print_area = f"A1:A{len(lines)}"
    ws.page_setup.orientation = "portrait"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    # One page when a little shrinking does it (no second page holding the last lines), else as many
    # pages down as needed at full size.
    printable = _A4_HEIGHT - 72 * (PRINT_MARGINS.top + PRINT_MARGINS.bottom)
    ws.page_setup.fitToHeight = 1 if total <= _MAX_SHRINK * printable else 0
    ws.page_margins = PRINT_MARGINS
    ws.protection.sheet = True


def _form(ws: Worksheet, wb_spec: spec.WorkbookSpec, lv: Level | None, satker: str = "",
          tahun: int | None = None, hierarchy: Hierarchy | None = None, unit: str = "") -> None:
    form = wb_spec.form
    nips = {k: v for k, v in _level_notes(lv, unit, example_values(satker, tahun)["satker"], hierarchy).items()
            if k in ("pp_nip", "pk_nip")} if lv is not None else {}
    ws["A1"] = form.title
    ws["A1"].font = TITLE_FONT
    ws.column_dimensions["A"].width = 22
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 60
    for section in form.sections:
        if lv is not None and not lv.induk and section.label.startswith("PIHAK KEDUA"):
            label = section.label + " - kosongkan: PK pimpinan tertinggi ditandatangani sendiri"
        else:
            label = section.label
        ws.cell(section.row, 1, label).font = Font(bold=True)
    for f in form.fields:
        ws.cell(f.row, 1, f.label).font = Font(bold=True)
        cell = ws.cell(f.row, 2)
        cell.border = BOX
        if f.locked:
            cell.fill = LOCKED_FILL
        else:
            cell.fill, cell.protection = INPUT_FILL, UNLOCKED
        cell.number_format = {"date": DATE_FORMAT, "nip": TEXT_FORMAT, "int": "0"}.get(f.kind, TEXT_FORMAT)
        if f.kind == "date":
            cell.alignment = Alignment(horizontal="left")
        if f.choices:
            dv = DataValidation(type="list", formula1='"' + ",".join(f.choices) + '"', allow_blank=True,
                                showErrorMessage=True, errorTitle="Pilihan tidak sah", error=f"Pilih {f.label} dari daftar.")
            dv.add(cell.coordinate)
            ws.add_data_validation(dv)
        note = nips.get(f.key) or note_text(f.note, satker, tahun)
        note = note[:1].upper() + note[1:]
        if note:
            ws.cell(f.row, 3, note).font = Font(italic=True, color="666666")
    ws.protection.sheet = True
    ws.protection.formatCells = False  # the add-in colours problem cells; users may too
    ws.print_options.gridLines = False
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0
    ws.page_margins = PRINT_MARGINS


def _table(ws: Worksheet, table: spec.TableSheet, lv: Level | None) -> None:
    ws["A1"] = table.title
    ws["A1"].font = TITLE_FONT
    ws["A2"] = "Isi sel kuning; baris boleh ditambah. Judul kolom jangan diubah."
    ws["A2"].font = Font(italic=True, color="666666")
    for c, col in enumerate(table.columns, start=1):
        header = col.header
        if col.key == "sasaran" and lv is not None:
            header = "Sasaran"  # the level's own wording goes to the document, the header stays stable
        cell = ws.cell(table.header_row, c, header)
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, BOX
        cell.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        ws.column_dimensions[get_column_letter(c)].width = col.width
    ws.row_dimensions[table.header_row].height = 32
    for r in range(table.first_data_row, table.first_data_row + table.rows):
        _style_row(ws, table, r)
    last = table.first_data_row + max(table.rows, 1000) - 1
    for c, col in enumerate(table.columns, start=1):
        if not col.choices:
            continue
        strict = col.key != "satuan"  # satuan suggests; other lists are closed
        dv = DataValidation(type="list", formula1='"' + ",".join(col.choices) + '"', allow_blank=True,
                            showErrorMessage=strict, errorTitle="Pilihan tidak sah",
                            error=f"Pilih {col.header} dari daftar.", promptTitle=col.header,
                            prompt=col.note[:250] if col.note else None, showInputMessage=bool(col.note))
        letter = get_column_letter(c)
        dv.add(f"{letter}{table.first_data_row}:{letter}{last}")
        ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(table.first_data_row, 1)
    ws.protection.sheet = True
    # Users must be able to add rows and filter while the headers stay locked.
    ws.protection.insertRows = False
    ws.protection.deleteRows = False
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.formatCells = False
    ws.protection.autoFilter = False
    ws.print_title_rows = f"{table.header_row}:{table.header_row}"
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_margins = PRINT_MARGINS


def _style_row(ws: Worksheet, table: spec.TableSheet, r: int) -> None:
    for c, col in enumerate(table.columns, start=1):
        cell = ws.cell(r, c)
        cell.fill, cell.border, cell.protection = INPUT_FILL, BOX, UNLOCKED
        cell.alignment = Alignment(wrap_text=col.kind == "longtext", vertical="top")
        if col.kind == "rupiah":
            cell.number_format = RUPIAH_FORMAT
        elif col.kind in ("code", "text", "longtext", "choice"):
            cell.number_format = TEXT_FORMAT


def _marker(wb: Workbook, kind: Kind, hierarchy: Hierarchy, lv: Level | None, unit: str) -> None:
    ws = wb.create_sheet(spec.MARKER_SHEET)
    pairs: Iterable[tuple[str, Any]] = (
        ("jenis", kind.value), ("versi", spec.TEMPLATE_VERSION), ("hirarki", hierarchy.id),
        ("tingkat", lv.id if lv else ""), ("unit", unit), ("dibuat", dt.date.today().isoformat()),
        ("pembuat", "kinerja_xl"),
    )
    for r, (key, value) in enumerate(pairs, start=1):
        ws.cell(r, 1, key)
        ws.cell(r, 2, value)
    ws.sheet_state = "veryHidden"
    ws.protection.sheet = True
