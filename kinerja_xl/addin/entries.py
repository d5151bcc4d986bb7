"""One entry point per ribbon button: the open book -> a grid or its folder -> kinerja_xl.api -> back into Excel.

No rules live here. Each function reads what Excel holds, calls the API, and presents the
findings in the book: a sheet "Laporan Validasi" (one row per finding), problem cells
filled with the same colours as the annotated copies of ``kinerja-xl check --anotasi``,
and a short alert. Only xlwings' public API is used, so the functions run on every engine
(desktop Excel on Windows and macOS, and the remote engine the tests use).
"""

from __future__ import annotations

from pathlib import Path, PurePath
from typing import Any, Iterable

from .. import api
from ..outputs import templates
from ..outputs.annotate import FILLS, cell_text, looks_like_formula
from ..findings.issues import Issue, Report, Severity
from ..levels import Hierarchy
from ..model import Kind
from ..reading.read import read_marker
from ..spec import MARKER_SHEET
from ..reading.source import WorkbookGrid, grid_from_values
from . import TITLE, entry_point

REPORT_SHEET = "Laporan Validasi"
HEADERS = ("No", "Sifat", "Kode", "Pesan", "Berkas", "Lembar", "Sel", "Berkas terkait", "Lembar terkait",
           "Sel terkait")
WIDTHS = (5, 11, 24, 80, 30, 18, 7, 30, 18, 9)
# Only real problems get a fill; an info finding (a skipped file) marks no cell.
COLOURS = {sev: f"#{FILLS[sev].fgColor.rgb[-6:]}" for sev in (Severity.ERROR, Severity.WARNING)}
# A cell coloured by an earlier run and fine now goes back to the template's input colour:
# nearly every flagged cell is an input cell, and the old colour cannot be read back on every engine.
INPUT_COLOUR = f"#{templates.INPUT_FILL.fgColor.rgb[-6:]}"

# Template buttons of the ribbon: the levels of the default hierarchy, then the two satker workbooks.
# A fixed tuple, not a loop over the hierarchy, because the ribbon XML is fixed too; a test holds
# the two together.
TEMPLATE_KEYS = ("ketua", "kordiv", "sekretaris", "eselon4", Kind.RKT.value, Kind.REALISASI.value)
TEMPLATE_FOLDER = "template_baru"
DOCUMENT_FOLDER = "dokumen"


# --- entry points -------------------------------------------------------------------------------------
@entry_point("validasi")
def validasi(book: Any) -> None:
    """Validate the live values of the open book (unsaved edits included)."""
    report = api.validate_grid(book_grid(book), hierarchy=book_hierarchy(book))
    refused = show_report(book, report)
    _alert(book, _counts(report) + _see_report(report) + _refused(refused), report)


@entry_point("cek_cascading")
def cek_cascading(book: Any) -> None:
    """Check the whole folder of the open book across levels; mark the cells that lie in this book.

    The folder's books that are open in Excel are checked as Excel holds them (unsaved edits
    included), the others as saved: what the user sees is what is checked.
    """
    folder = _folder(book)
    if folder is None:
        return
    live = open_books_in(book, folder)
    report = api.check([folder], live=live, hierarchy=book_hierarchy(book))
    refused = show_report(book, report)
    opened = (f" {len(live)} buku kerja yang terbuka di Excel diperiksa beserta perubahan yang belum disimpan."
              if len(live) > 1 else " Buku kerja ini diperiksa beserta perubahan yang belum disimpan.")
    _alert(book, f"Cek cascading {len(report.files)} berkas di {folder}: " + _counts(report) + _see_report(report)
           + _refused(refused) + opened, report)


@entry_point("buat_dokumen")
def buat_dokumen(book: Any) -> None:
    """Write the satker's Word documents (and PDFs when LibreOffice is installed) into ``dokumen/``."""
    _build_documents(book)


@entry_point("buat_dokumen_rencana_aksi")
def buat_dokumen_rencana_aksi(book: Any) -> None:
    """As Buat Dokumen, with every PK's Lampiran holding its Rencana Aksi (``build --target-triwulan``)."""
    _build_documents(book, target_triwulan=True)


def _build_documents(book: Any, *, target_triwulan: bool = False) -> None:
    folder = _folder(book)
    if folder is None:
        return
    from ..render.pdf import find_soffice  # the render package is loaded only when documents are made

    out = folder / DOCUMENT_FOLDER
    # find_soffice also looks in the usual install folders: on Windows LibreOffice is rarely on PATH.
    result = api.build(folder, out, pdf=find_soffice() is not None, hierarchy=book_hierarchy(book),
                       target_triwulan=target_triwulan)
    report = result.report
    refused = show_report(book, report)  # also clears the marks of an earlier, blocked run
    if result.blocked:
        _alert(book, "Dokumen tidak dibuat karena ada galat. " + _counts(report) + _see_report(report)
               + _refused(refused) + " Perbaiki, simpan, lalu ulangi.", report)
        return
    warnings = f" {_counts(report)}" if report.warnings else ""
    _alert(book, f"{len(result.written)} dokumen ditulis di folder {out}.{warnings}" + _see_report(report)
           + _refused(refused))


@entry_point("build_triwulan")
def build_triwulan(book: Any) -> None:
    """Write the Laporan Capaian Kinerja Triwulan into ``dokumen/``, for the last quarter any official reported.

    A ribbon button passes only its id (no input box), so the quarter is inferred: the last one with a
    realisasi in a Monitoring sheet of the folder's PKs (those not yet reported show in the satker report).
    """
    folder = _folder(book)
    if folder is None:
        return
    from ..render.pdf import find_soffice
    from ..render.triwulan import ROMAWI, last_reported

    hierarchy = book_hierarchy(book)
    kset, _ = api.load_set(folder, hierarchy=hierarchy)
    tw = last_reported(kset)
    if tw is None:
        _alert(book, "Laporan triwulan belum dapat dibuat: belum ada pejabat yang mengisi realisasi di lembar "
               "Monitoring PK-nya. Isi dan simpan lembar Monitoring, lalu ulangi.")
        return
    out = folder / DOCUMENT_FOLDER
    result = api.build(folder, out, pdf=find_soffice() is not None, hierarchy=hierarchy, triwulan=tw)
    report = result.report
    refused = show_report(book, report)
    if result.blocked:
        _alert(book, "Laporan triwulan tidak dibuat karena ada galat. " + _counts(report) + _see_report(report)
               + _refused(refused) + " Perbaiki, simpan, lalu ulangi.", report)
        return
    warnings = f" {_counts(report)}" if report.warnings else ""
    _alert(book, f"Laporan Capaian Kinerja Triwulan {ROMAWI[tw]} (triwulan terakhir yang dilaporkan): "
           f"{len(result.written)} dokumen ditulis di folder {out}.{warnings}" + _see_report(report)
           + _refused(refused))


def _template_entry(key: str):
    def template_baru(book: Any) -> None:
        new_templates(book, key)

    template_baru.__name__ = template_baru.__qualname__ = f"template_baru_{key}"
    template_baru.__doc__ = f"Write blank template(s) for '{key}' beside the open book."
    return template_baru


for _key in TEMPLATE_KEYS:
    entry_point(f"template_baru_{_key}")(_template_entry(_key))


def new_templates(book: Any, key: str) -> list[Path]:
    """The blank templates of one level (one per unit) or of the RKT/realisasi, in ``template_baru/``.

    Satker and tahun come from the open book when it is a kinerja_xl workbook; existing files
    are never overwritten (a numeric suffix is added instead).
    """
    folder = _folder(book)
    if folder is None:
        return []
    hierarchy = book_hierarchy(book)
    document = api.read_grid(book_grid(book), hierarchy=hierarchy).document
    satker = document.satker if document is not None else ""
    tahun = document.tahun if document is not None else None
    out = folder / TEMPLATE_FOLDER
    written = []
    for kind, level, unit, name in templates.set_filenames(hierarchy):
        if (kind is Kind.PK and level is not None and level.id == key) or (kind is not Kind.PK and kind.value == key):
            written.append(api.new_template(_free(out / name), kind=kind, level=level.id if level else "",
                                            unit=unit, satker=satker, tahun=tahun, hierarchy=hierarchy))
    if not written:
        raise api.UsageError(f"Tingkat '{key}' tidak ada dalam hierarki {hierarchy.nama}.")
    origin = f" (satker {satker}, tahun {tahun})" if satker or tahun else ""
    _alert(book, f"{len(written)} template baru{origin} ditulis di folder {out}:\n"
           + "\n".join(p.name for p in written))
    return written


# --- the book as a grid -------------------------------------------------------------------------------
def book_hierarchy(book: Any) -> Hierarchy:
    """The hierarchy for the open book: ``hirarki.toml`` in its folder, else the bundled hierarchy its
    template was made for (read from its marker sheet alone), else the default (see
    :func:`kinerja_xl.api.find_hierarchy`)."""
    path = Path(_fullname(book))
    folder = path.parent if path.is_absolute() and path.parent.is_dir() else None
    made_for = ""
    if MARKER_SHEET in [s.name for s in book.sheets]:
        marker = grid_from_values(book.name, {MARKER_SHEET: _values(book.sheets[MARKER_SHEET])})
        made_for = read_marker(marker).get("hirarki", "")
    return api.find_hierarchy(folder, made_for)


def open_books_in(book: Any, folder: Path) -> dict[str, WorkbookGrid]:
    """The live grids of the books open in Excel that are files of ``folder`` (this book at least),
    each named by its path as the check names the files."""
    try:
        books = list(book.app.books)
    except Exception:  # noqa: BLE001 - an engine that cannot list the open books: this one alone
        books = []
    if not any(_fullname(b) == _fullname(book) for b in books):
        books.append(book)
    here = api.same_file_key(folder)
    live = {}
    for other in books:
        path = Path(_fullname(other))
        if path.is_absolute() and api.same_file_key(path.parent) == here and path.suffix.lower() in (".xlsx", ".xlsm"):
            live[str(folder / path.name)] = book_grid(other, name=str(folder / path.name))
    return live


def _fullname(book: Any) -> str:
    try:
        return str(book.fullname)
    except Exception:  # noqa: BLE001 - a book closed meanwhile
        return ""


def book_grid(book: Any, *, name: str | None = None) -> WorkbookGrid:
    """Every sheet's values as Excel holds them (hidden sheets too; not our own report sheet).

    ``name``: how findings name the book (default: its name in Excel)."""
    values: dict[str, list[list[Any]]] = {}
    hidden: list[str] = []
    for sheet in book.sheets:
        if sheet.name == REPORT_SHEET:
            continue
        values[sheet.name] = _values(sheet)
        if _is_hidden(sheet):
            hidden.append(sheet.name)
    return grid_from_values(name or book.name or book.fullname, values, hidden=hidden)


def _values(sheet: Any) -> list[list[Any]]:
    used = sheet.used_range
    # ndim=2: xlwings returns a scalar for one cell and a flat list for one row or column.
    # err_to_str: a cell showing #DIV/0! must reach the reader as that text, not as an empty cell.
    rows = used.options(ndim=2, err_to_str=True).value
    # The used range need not start at A1 (an empty first row or column); the grid is anchored at A1.
    pad = [None] * (used.column - 1)
    return [[] for _ in range(used.row - 1)] + [pad + list(row) for row in rows]


def _is_hidden(sheet: Any) -> bool:
    # On Windows xlwings passes COM's XlSheetVisibility through: -1 visible, 0 hidden and 2 very
    # hidden, which is truthy; other engines return a bool.
    visible = sheet.visible
    return visible is False or visible in (0, 2)


# --- findings back into the book ------------------------------------------------------------------------
def show_report(book: Any, report: Report) -> list[str]:
    """Replace the report sheet and colour the problem cells of this book; return the sheets that refused."""
    here = _book_file(book)
    old = _previous_marks(book, here)
    _replace_report_sheet(book, report)
    marks: dict[tuple[str, str], str] = {}
    for issue in sorted(report.issues, key=lambda i: i.severity is Severity.ERROR):  # errors win a shared cell
        for ref in (issue.location, issue.related):
            if ref is not None and ref.sheet and ref.cell and issue.severity in COLOURS and _same(ref.file, here):
                marks[(ref.sheet, ref.cell)] = COLOURS[issue.severity]
    fills = {key: INPUT_COLOUR for key in old - marks.keys()} | marks
    return _paint(book, fills)


def _replace_report_sheet(book: Any, report: Report) -> None:
    names = [s.name for s in book.sheets]
    if REPORT_SHEET in names:
        book.sheets[REPORT_SHEET].delete()
    listed = _listed(report)
    if not listed:
        return  # an empty list says nothing the alert does not
    visible = [s for s in book.sheets if not _is_hidden(s)]
    sheet = book.sheets.add(REPORT_SHEET, after=visible[-1] if visible else None)
    rows = [list(HEADERS)] + [_row(n, issue) for n, issue in enumerate(listed, start=1)]
    last = len(rows)
    # Text format first, so Excel keeps every text as typed (no "3-1" turned into a date).
    sheet.range((1, 2), (last, len(HEADERS))).number_format = "@"
    sheet.range("A1").value = rows
    sheet.range((1, 1), (1, len(HEADERS))).font.bold = True
    sheet.range((2, 4), (last, 4)).wrap_text = True
    for col, width in enumerate(WIDTHS, start=1):
        sheet.range((1, col)).column_width = width


def _row(n: int, issue: Issue) -> list[Any]:
    loc, rel = issue.location, issue.related
    related = (_name(rel.file), rel.sheet, rel.cell) if rel is not None else ("", "", "")
    values = (issue.severity.label, issue.code, issue.message, _name(loc.file), loc.sheet, loc.cell, *related)
    return [n, *(_text(v) for v in values)]


def _text(value: str) -> str:
    """Text that can never become a formula: Excel takes a leading apostrophe as "this is text"."""
    value = cell_text(value)  # the same rules as the files kinerja_xl writes (annotate.put_text)
    return f"'{value}" if looks_like_formula(value) else value


def _previous_marks(book: Any, here: str) -> set[tuple[str, str]]:
    """Cells of this book that the previous report sheet lists, hence were coloured by the last run."""
    if REPORT_SHEET not in [s.name for s in book.sheets]:
        return set()
    rows = book.sheets[REPORT_SHEET].used_range.options(ndim=2).value
    col = {str(h): i for i, h in enumerate(rows[0]) if h}
    marks = set()
    for row in rows[1:]:
        for f, s, c in (("Berkas", "Lembar", "Sel"), ("Berkas terkait", "Lembar terkait", "Sel terkait")):
            if {f, s, c} <= col.keys():
                file, sheet, cell = (row[col[k]] for k in (f, s, c))
                if file and sheet and cell and _same(str(file), here):
                    marks.add((str(sheet), str(cell)))
    return marks


def _paint(book: Any, fills: dict[tuple[str, str], str]) -> list[str]:
    present = {s.name for s in book.sheets}
    by_sheet: dict[str, list[tuple[str, str]]] = {}
    for (sheet, cell), colour in sorted(fills.items()):
        if sheet in present:
            by_sheet.setdefault(sheet, []).append((cell, colour))
    refused = []
    for name, cells in by_sheet.items():
        sheet = book.sheets[name]
        try:
            for cell, colour in cells:
                sheet.range(cell).color = colour
        except Exception:  # noqa: BLE001
            # Desktop Excel refuses to format a protected sheet (the templates protect theirs);
            # the report sheet still lists every finding, so say so instead of failing.
            refused.append(name)
    return refused


# --- small helpers ------------------------------------------------------------------------------------------
def _folder(book: Any) -> Path | None:
    """The folder of the open book, or None (after telling the user) when it was never saved locally."""
    path = Path(book.fullname)
    # A new book is "Book1"; a book on SharePoint/OneDrive without a synced copy is a URL.
    if path.is_absolute() and path.parent.is_dir():
        return path.parent
    _alert(book, "Buku kerja ini belum disimpan di folder komputer ini. Simpan dulu (File > Simpan) di folder "
                 "satker bersama buku kerja lainnya, lalu ulangi.", critical=True)
    return None


def _book_file(book: Any) -> str:
    return _name(book.name or book.fullname)


def _name(file: str) -> str:
    return PurePath(file).name if file else ""


def _same(file: str, here: str) -> bool:
    return _name(file).casefold() == here.casefold()


def _free(path: Path) -> Path:
    """``path``, or ``name_2.xlsx``, ``name_3.xlsx``... when it exists: never overwrite a user's file."""
    n, candidate = 2, path
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}_{n}{path.suffix}")
        n += 1
    return candidate


def _counts(report: Report) -> str:
    errors, warnings = len(report.errors), len(report.warnings)
    if not errors and not warnings:
        return "Tidak ada galat maupun peringatan."
    return f"{errors} galat, {warnings} peringatan."


def _listed(report: Report) -> list[Issue]:
    # Skipped files are left out: in Excel the folder always holds the open book's own lock
    # file (~$...), and a row about it in every report would only be noise.
    return [i for i in report.issues if i.code != "file-skipped"]


def _see_report(report: Report) -> str:
    return f" Lihat lembar {REPORT_SHEET}." if _listed(report) else ""


def _refused(sheets: Iterable[str]) -> str:
    sheets = list(sheets)
    if not sheets:
        return ""
    return (f" Sel bermasalah di lembar {', '.join(sheets)} tidak dapat diwarnai karena lembar itu diproteksi; "
            "lihat kolom Lembar dan Sel pada laporan.")


def _alert(book: Any, message: str, report: Report | None = None, *, critical: bool = False) -> None:
    critical = critical or (report is not None and not report.valid)
    book.app.alert(message, title=TITLE, mode="critical" if critical else "info")
