"""Write the blank standardized workbooks from :mod:`kinerja_xl.spec`.

What Excel users expect: a Petunjuk sheet, input cells shaded and unlocked, headers locked
(sheet protection without a password, so nobody is locked out), dropdowns for closed lists,
Rp and date formats, frozen header rows, print settings, and a very hidden marker sheet
telling the reader the template kind, version, level and unit.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from . import spec
from .fsutil import atomic_save, safe_filename
from .levels import Hierarchy, Level, load_hierarchy
from .model import Kind

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


class TemplateError(ValueError):
    """A template cannot be written as asked (unknown level or unit); message in Bahasa Indonesia."""


def new_workbook(kind: Kind, *, level: str = "", unit: str = "", satker: str = "", tahun: int | None = None,
                 hierarchy: Hierarchy | None = None) -> Workbook:
    """A blank template workbook in memory (save it with :func:`save`)."""
    hierarchy = hierarchy or load_hierarchy()
    wb_spec = spec.SPECS[kind]
    lv = _level(hierarchy, level, unit) if kind is Kind.PK else None
    wb = Workbook()
    _petunjuk(wb.active, wb_spec, lv, unit)
    form = wb.create_sheet(wb_spec.form.name)
    _form(form, wb_spec, lv)
    for table in wb_spec.tables:
        _table(wb.create_sheet(table.name), table, lv)
    prefill: dict[str, Any] = {"satker": satker or None, "tahun": tahun}
    if lv is not None:
        prefill |= {"tingkat": lv.nama, "unit": unit or None, "pp_jabatan": lv.jabatan_for(unit, satker) if satker else None}
        parent = hierarchy.get(lv.induk)
        if parent is not None and satker:
            parent_unit = _parent_unit(hierarchy, lv, unit)
            prefill["pk_jabatan"] = parent.jabatan_for(parent_unit, satker)
    fill_form(wb, kind, {k: v for k, v in prefill.items() if v is not None})
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


def _petunjuk(ws: Worksheet, wb_spec: spec.WorkbookSpec, lv: Level | None, unit: str) -> None:
    ws.title = spec.PETUNJUK
    heading = wb_spec.title + (f" - {lv.nama}" if lv else "") + (f" {unit}" if unit else "")
    lines = [
        heading,
        "",
        "Cara mengisi:",
        "1. Isi hanya sel berwarna kuning muda. Sel abu-abu diisi oleh template; judul kolom terkunci.",
        f"2. Lembar '{wb_spec.form.name}': identitas dokumen"
        + (" (pihak pertama = pejabat yang berjanji, pihak kedua = atasan langsung)." if lv else "."),
    ]
    for n, table in enumerate(wb_spec.tables, start=3):
        lines.append(f"{n}. Lembar '{table.name}': {table.title.capitalize()}; satu baris per butir. "
                     "Baris boleh ditambah; baris kosong di tengah diabaikan.")
    lines += [
        "",
        "Penulisan angka: 90% atau 90 untuk persen; 1.507.029.000 atau Rp 1.507.029.000 untuk rupiah; "
        "koma untuk desimal (96,69).",
        "Tanggal: 27 Januari 2022 atau format tanggal Excel. NIP: 18 digit, boleh dengan spasi "
        "(19860926 201505 1 001); komisioner tidak ber-NIP.",
        "Kode Induk: kode indikator PK atasan yang didukung. Cascading 'langsung' = indikator atasan diturunkan "
        "apa adanya (rumusan sama, target tidak lebih rendah); 'dukungan manajemen' = indikator unit sendiri "
        "tanpa induk.",
        "Satuan 'predikat', 'opini' atau 'kategori' mengizinkan target berupa teks (mis. WTP).",
        "Polaritas: 'positif' bila makin tinggi makin baik; 'negatif' bila makin rendah makin baik "
        "(mis. jumlah revisi).",
        "",
        "Jangan mengganti nama lembar atau judul kolom. Periksa isian dengan: kinerja-xl validate <berkas>",
    ]
    for r, text in enumerate(lines, start=1):
        ws.cell(r, 1, text).alignment = Alignment(wrap_text=True, vertical="top")
    ws["A1"].font = TITLE_FONT
    ws.column_dimensions["A"].width = 120
    ws.protection.sheet = True


def _form(ws: Worksheet, wb_spec: spec.WorkbookSpec, lv: Level | None) -> None:
    form = wb_spec.form
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
        note = f.note
        if f.key == "pp_nip" and lv is not None:
            note = "18 digit, wajib (ASN)." if lv.asn else "Kosongkan: komisioner bukan ASN."
        if note:
            ws.cell(f.row, 3, note).font = Font(italic=True, color="666666")
    ws.protection.sheet = True
    ws.protection.formatCells = False  # the add-in colours problem cells; users may too
    ws.print_options.gridLines = False
    ws.page_setup.orientation = "portrait"
    ws.page_setup.fitToWidth = 1
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_setup.fitToHeight = 0


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
