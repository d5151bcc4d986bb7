"""The ribbon's entry points on a real xlwings object model: the remote engine.

``xw.Book(json=payload)`` builds a book from the data an xlwings client sends (sheet names,
values anchored at A1, used range, visibility); everything the entry point does is recorded as
the client actions ``book.json()["actions"]`` (``setRangeColor``, ``addSheet``, ``setValues``,
``alert``...). Payloads are made from real workbooks with openpyxl, the way desktop Excel holds
their values: every number a double, dates as datetimes, the very hidden marker sheet included.

The remote engine lives in ``xlwings/pro`` and is dual-licensed; these tests use it under the
PolyForm Noncommercial License 1.0.0 via the key "noncommercial", set in the fixture only.
"""

from __future__ import annotations

import datetime as dt
import shutil
import sys
import zipfile
from pathlib import Path, PurePath
from typing import Any

import openpyxl
import pytest
from typer.testing import CliRunner

import kinerja_xl.addin as addin
from kinerja_xl import api
from kinerja_xl.addin import entries
from kinerja_xl.addin.build import build_bytes, ribbon_button_ids
from kinerja_xl.addin.entries import COLOURS, INPUT_COLOUR, REPORT_SHEET, TEMPLATE_KEYS
from kinerja_xl.findings.issues import Severity
from kinerja_xl.levels import load_hierarchy
from kinerja_xl.model import Kind
from kinerja_xl.render.pdf import find_soffice
from kinerja_xl.spec import MARKER_SHEET
from kinerja_xl.outputs.templates import set_filenames

from conftest import EXAMPLE, edit, sha256

PK07 = "PK_07_Sekretaris.xlsx"
PK08 = "PK_08_Eselon_IV_Keuangan_Umum_dan_Logistik.xlsx"
NIP_17 = "19701210200003100"  # one digit short
VISIBILITY = {"visible": "Visible", "hidden": "Hidden", "veryHidden": "VeryHidden"}


@pytest.fixture
def xw(monkeypatch):
    """xlwings with its remote engine registered (PolyForm Noncommercial key, this test only)."""
    # Imported before the key is set, so xlwings registers no PRO engine for the whole session;
    # the remote engine is registered here and unregistered after the test.
    import xlwings

    monkeypatch.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
    if "remote" not in xlwings.engines.engines_by_name:
        from xlwings.pro import _xlremote  # checks the key on its first import

        monkeypatch.setitem(xlwings.engines.engines_by_name, "remote", xlwings.Engine(impl=_xlremote.engine))
    return xlwings


# --- payloads from real workbooks ------------------------------------------------------------------------
def excel_value(value: Any) -> Any:
    """A cell value as the xlwings client sends it."""
    if value is None:
        return ""  # the client's empty cell
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)  # Excel holds every number as a double; desktop xlwings returns floats
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%dT%H:%M:%S.000Z")  # Date.toISOString() of the Office.js client
    if isinstance(value, dt.date):
        return f"{value.isoformat()}T00:00:00.000Z"
    return str(value)


def payload(path: Path, *, fullname: str | None = None, extra: dict[str, list[list[Any]]] | None = None) -> dict:
    """The remote-engine payload of an .xlsx file: book name, active sheet, names, every sheet."""
    import xlwings

    wb = openpyxl.load_workbook(path, data_only=True)  # cached values: what Excel shows
    sheets = []
    for ws in wb.worksheets:
        used = ws.dimensions  # before iter_rows, which creates the cells it passes over
        rows = [[excel_value(v) for v in row] for row in ws.iter_rows(
            min_row=1, min_col=1, max_row=ws.max_row, max_col=ws.max_column, values_only=True)]
        sheets.append(sheet_payload(ws.title, rows, VISIBILITY[ws.sheet_state], used))
    for name, rows in (extra or {}).items():
        width = max(len(r) for r in rows)
        sheets.append(sheet_payload(name, rows, "Visible", f"A1:{openpyxl.utils.get_column_letter(width)}{len(rows)}"))
    return {
        "client": "Office.js",
        "version": xlwings.__version__,
        # The remote engine has no path: its fullname is the name, so the name carries the path.
        "book": {"name": fullname or path.name, "active_sheet_index": wb.worksheets.index(wb.active),
                 "selection": "A1"},
        "names": [],
        "sheets": sheets,
    }


def sheet_payload(name: str, rows: list[list[Any]], visibility: str, used: str) -> dict:
    return {"name": name, "values": rows or [[]], "visibility": visibility, "used_range_address": used,
            "pictures": [], "shapes": [], "charts": [], "notes": [], "tables": [], "print_area": None,
            "show_gridlines": True, "pivot_tables": []}


def open_book(xw, path: Path, **kwargs):
    return xw.Book(json=payload(path, **kwargs))


# --- reading the actions back ---------------------------------------------------------------------------
def actions(book, func: str | None = None) -> list[dict]:
    return [a for a in book.json()["actions"] if func is None or a["func"] == func]


def cell_name(action: dict) -> str:
    return openpyxl.utils.get_column_letter(action["start_column"] + 1) + str(action["start_row"] + 1)


def colours(book) -> dict[tuple[str, str], str]:
    """(sheet, cell) -> fill colour, in the sheet order after the run (as the client applies them)."""
    names = [s.name for s in book.sheets]
    out = {}
    for a in actions(book, "setRangeColor"):
        assert (a["row_count"], a["column_count"]) == (1, 1)
        out[(names[a["sheet_position"]], cell_name(a))] = a["args"][0]
    return out


def report_rows(book) -> list[list[Any]]:
    """The rows written to the report sheet (header first); [] when none was written."""
    names = [s.name for s in book.sheets]
    if REPORT_SHEET not in names:
        return []
    (written,) = [a for a in actions(book, "setValues") if a["sheet_position"] == names.index(REPORT_SHEET)]
    assert (written["start_row"], written["start_column"]) == (0, 0)
    return written["values"]


def reported(book) -> list[tuple[str, str, str, str]]:
    """(Berkas, Lembar, Sel, Kode) of each row of the report sheet."""
    rows = report_rows(book)
    if not rows:
        return []
    col = {h: i for i, h in enumerate(rows[0])}
    return [(r[col["Berkas"]], r[col["Lembar"]], r[col["Sel"]], r[col["Kode"]]) for r in rows[1:]]


def alert(book) -> str:
    (shown,) = actions(book, "alert")
    assert shown["args"][1] == "Kinerja"
    return shown["args"][0]


def expected_colours(report, file_name: str) -> dict[tuple[str, str], str]:
    """What the add-in must colour: the cells of ``file_name`` named by an error or warning."""
    out: dict[tuple[str, str], str] = {}
    for issue in sorted(report.issues, key=lambda i: i.severity is Severity.ERROR):
        for ref in (issue.location, issue.related):
            if ref and ref.cell and PurePath(ref.file).name == file_name and issue.severity in COLOURS:
                out[(ref.sheet, ref.cell)] = COLOURS[issue.severity]
    return out


def flat(report) -> list[tuple[str, str, str, str]]:
    """The report's findings as the report sheet lists them: skipped files (Excel's lock file) left out."""
    return [(PurePath(i.location.file).name, i.location.sheet, i.location.cell, i.code) for i in report.issues
            if i.code != "file-skipped"]


# --- registry ----------------------------------------------------------------------------------------------
def test_registry_equals_ribbon_ids():
    assert set(addin.ENTRY_POINTS) == ribbon_button_ids()
    with pytest.raises(TypeError):
        addin.ENTRY_POINTS["hapus"] = print  # type: ignore[index]


def test_template_buttons_follow_the_default_hierarchy():
    levels = tuple(lv.id for lv in load_hierarchy().levels)
    assert TEMPLATE_KEYS == levels + ("rkt", "realisasi")


def test_importing_the_addin_loads_neither_xlwings_nor_the_api():
    # RunPython imports kinerja_xl.addin in Excel's Python; `kinerja-xl addin install` imports it too
    # and must work even where the rest of the package cannot be loaded.
    import subprocess

    probe = ("import sys, kinerja_xl.addin, kinerja_xl.addin.install; "
             "print(sorted({'xlwings', 'kinerja_xl.api', 'kinerja_xl.addin.entries'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", probe], check=True, capture_output=True, text=True, timeout=60)
    assert out.stdout.strip() == "[]"


def test_a_second_function_cannot_take_a_registered_id():
    with pytest.raises(ValueError, match="validasi"):
        addin.entry_point("validasi")(lambda book: None)
    assert addin.ENTRY_POINTS["validasi"] is entries.validasi


# --- validasi ----------------------------------------------------------------------------------------------
def test_validasi_marks_the_same_cells_as_validate(xw, example):
    path = example / PK07
    edit(path, "Identitas", "B11", NIP_17)
    report = api.validate([path])
    assert ("Identitas", "B11", "nip-length") in [(s, c, k) for _, s, c, k in flat(report)]

    book = open_book(xw, path)
    addin.run("validasi", book)

    assert reported(book) == flat(report)
    assert colours(book) == expected_colours(report, PK07) == {("Identitas", "B11"): COLOURS[Severity.ERROR]}
    # The report goes after the last visible sheet, before the very hidden marker sheet.
    assert [s.name for s in book.sheets][-2:] == [REPORT_SHEET, MARKER_SHEET]
    assert alert(book) == "1 galat, 0 peringatan. Lihat lembar Laporan Validasi."


@pytest.mark.parametrize("name", sorted(p.name for p in EXAMPLE.glob("*.xlsx")))
def test_live_values_validate_like_the_file(xw, example, name):
    # Numbers arrive as doubles and dates as datetimes, percentages as fractions without formats.
    report = api.validate([example / name])
    book = open_book(xw, example / name)
    addin.run("validasi", book)
    assert reported(book) == flat(report)
    assert colours(book) == expected_colours(report, name)
    counted = f"{len(report.errors)} galat, {len(report.warnings)} peringatan."
    assert alert(book).startswith(counted if report.errors or report.warnings
                                  else "Tidak ada galat maupun peringatan.")


@pytest.mark.parametrize("name", [PK07, "Realisasi.xlsx"])
def test_book_grid_holds_what_the_file_holds(xw, name):
    from kinerja_xl.reading.source import load_xlsx

    on_disk = load_xlsx(EXAMPLE / name)
    live = entries.book_grid(open_book(xw, EXAMPLE / name))
    assert list(live.sheets) == list(on_disk.sheets)
    assert {n: s.hidden for n, s in live.sheets.items()} == {n: n == MARKER_SHEET for n in on_disk.sheets}
    assert not live.formats_known
    for sheet_name, sheet in on_disk.sheets.items():
        filled = {k: c.value for k, c in sheet.cells.items() if c.value not in (None, "")}
        assert {k: c.value for k, c in live.sheets[sheet_name].cells.items()} == filled, sheet_name


def test_used_range_away_from_a1(xw, tmp_path):
    # A user inserted two rows and a column above/before the table: Excel's used range is B3:O35 (14 columns from B).
    path = tmp_path / PK07
    path.write_bytes((EXAMPLE / PK07).read_bytes())
    wb = openpyxl.load_workbook(path)
    wb["Indikator"].insert_rows(1, 2)
    wb["Indikator"].insert_cols(1)
    wb["Indikator"]["G6"] = "sembilan puluh"  # the first target (was F4), now not a number
    wb.save(path)
    book = open_book(xw, path)
    assert book.sheets["Indikator"].used_range.address == "$B$3:$O$35"
    addin.run("validasi", book)
    report = api.validate([path])
    assert "G6" in {cell for _, sheet, cell, _ in flat(report) if sheet == "Indikator"}
    assert reported(book) == flat(report)
    assert ("Indikator", "G6") in colours(book)


def test_excel_error_values_reach_the_reader(xw, example):
    path = example / PK07
    edit(path, "Indikator", "F5", "#DIV/0!")  # openpyxl stores it as an error cell, as Excel would
    report = api.validate([path])
    assert ("Indikator", "F5", "formula-error") in [(s, c, k) for _, s, c, k in flat(report)]
    book = open_book(xw, path)
    addin.run("validasi", book)
    assert reported(book) == flat(report)


def test_validasi_on_a_fresh_template(xw, tmp_path):
    path = api.new_template(tmp_path / "baru.xlsx", kind=Kind.PK, level="eselon4",
                            unit="Keuangan, Umum dan Logistik", satker="KPU Kota Serang", tahun=2022)
    report = api.validate([path])
    assert report.errors  # a blank template is not a finished PK
    book = open_book(xw, path)
    addin.run("validasi", book)
    assert reported(book) == flat(report)
    assert colours(book) == expected_colours(report, "baru.xlsx")
    counts = report.counts()
    assert alert(book).startswith(f"{counts['error']} galat, {counts.get('warning', 0)} peringatan.")


def test_report_text_can_never_become_a_formula(xw, example):
    path = example / PK07
    edit(path, "Identitas", "B11", NIP_17)
    book = open_book(xw, path, fullname="=HYPERLINK(1).xlsx")
    addin.run("validasi", book)
    rows = report_rows(book)
    assert rows[1][4] == "'=HYPERLINK(1).xlsx"
    texts = [v for row in rows for v in row if isinstance(v, str)]
    assert not [t for t in texts if t and t[0] in "=+-@"]
    # and the columns are text-formatted before anything is written
    names = [s.name for s in book.sheets]
    fmt = [a for a in actions(book, "setNumberFormat") if a["sheet_position"] == names.index(REPORT_SHEET)]
    assert [a["args"] for a in fmt] == [["@"]]


def test_second_run_resets_the_cells_fixed_since(xw, example):
    broken = example / PK07
    fixed_copy = example.parent / PK07
    fixed_copy.write_bytes(broken.read_bytes())
    edit(broken, "Identitas", "B11", NIP_17)
    first = open_book(xw, broken)
    addin.run("validasi", first)
    assert ("Identitas", "B11") in colours(first)

    # The user fixes B11; the book still holds the first run's report sheet.
    second = xw.Book(json=payload(fixed_copy, extra={REPORT_SHEET: report_rows(first)}))
    addin.run("validasi", second)
    assert colours(second) == {("Identitas", "B11"): INPUT_COLOUR}
    assert REPORT_SHEET not in [s.name for s in second.sheets]
    assert len(actions(second, "sheetDelete")) == 1
    assert alert(second) == "Tidak ada galat maupun peringatan."


# --- cek_cascading ----------------------------------------------------------------------------------------
def broken_set(folder: Path) -> None:
    edit(folder / PK07, "Identitas", "B11", NIP_17)
    edit(folder / PK08, "Indikator", "F4", 0.8)  # below the parent's 100%: cascade-target-lower


def excel_lock_file(folder: Path, name: str) -> None:
    """The owner file Excel keeps beside a workbook it has open."""
    (folder / f"~${name}").write_bytes(b"\x04Budi" + b" " * 160)


@pytest.mark.parametrize("opened", [PK07, PK08])
def test_cek_cascading_marks_this_books_cells(xw, example, opened):
    broken_set(example)
    excel_lock_file(example, opened)
    report = api.check([example])
    assert {"cascade-target-lower", "pihak-kedua-mismatch", "nip-length", "file-skipped"} <= report.codes()

    book = open_book(xw, example / opened, fullname=str(example / opened))
    addin.run("cek_cascading", book)

    assert reported(book) == flat(report)
    marked = colours(book)
    assert marked == expected_colours(report, opened)
    if opened == PK07:  # the related ends of cross-level findings lie in the parent's book
        assert {("Identitas", "B11"), ("Indikator", "F5")} == set(marked)
    else:
        # F4 is also below its own Rencana Aksi's TW IV (N4): tw4-target-mismatch marks both
        assert {("Identitas", "B16"), ("Indikator", "F4"), ("Indikator", "N4")} == set(marked)
    assert alert(book).startswith(f"Cek cascading {len(report.files)} berkas di {example}: "
                                  f"{len(report.errors)} galat, {len(report.warnings)} peringatan.")


def test_unsaved_book_is_refused(xw, example):
    book = open_book(xw, example / PK07, fullname="Book1")
    for control in ("cek_cascading", "buat_dokumen", "template_baru_ketua"):
        before = len(actions(book))
        addin.run(control, book)
        new = book.json()["actions"][before:]
        assert [a["func"] for a in new] == ["alert"]
        assert "belum disimpan" in new[0]["args"][0]
    assert not (example / "dokumen").exists() and not (example / "template_baru").exists()


# --- buat_dokumen ------------------------------------------------------------------------------------------
def test_buat_dokumen_writes_the_documents(xw, example):
    excel_lock_file(example, PK07)
    book = open_book(xw, example / PK07, fullname=str(example / PK07))
    addin.run("buat_dokumen", book)
    out = example / "dokumen"
    written = sorted(p.name for p in out.iterdir())
    assert "PK_07_Sekretaris.docx" in written and "LAKIP.docx" in written
    for name in written:
        if name.endswith(".docx"):
            assert zipfile.ZipFile(out / name).testzip() is None
    with_pdf = find_soffice() is not None
    assert sorted(n for n in written if n.endswith(".pdf")) == (
        sorted(n.replace(".docx", ".pdf") for n in written if n.endswith(".docx")) if with_pdf else [])
    # The example's one finding is an info (a Koordinator Divisi who is also the Ketua): listed, no colour.
    assert reported(book) == [(PurePath(f).name, "Identitas", "B9", "self-supervised") for f in
                              [next(example.glob("PK_02_*.xlsx"))]]
    assert colours(book) == {}
    assert alert(book) == f"{len(written)} dokumen ditulis di folder {out}. Lihat lembar Laporan Validasi."


def test_buat_dokumen_rencana_aksi_prints_the_quarters_in_the_pk_lampiran(xw, example, monkeypatch):
    import docx

    from kinerja_xl.render import pdf

    monkeypatch.setattr(pdf, "find_soffice", lambda: None)  # Word documents only: the PDFs are the other test's
    book = open_book(xw, example / PK07, fullname=str(example / PK07))
    addin.run("buat_dokumen_rencana_aksi", book)
    out = example / "dokumen"
    heads = [[c.text.strip() for c in t.rows[0].cells] for t in docx.Document(str(out / "PK_07_Sekretaris.docx")).tables]
    assert ["NO", "SASARAN PROGRAM", "INDIKATOR KINERJA", "TARGET", "TW I", "TW II", "TW III", "TW IV"] in heads
    sheet = openpyxl.load_workbook(example / PK07, data_only=True)["Indikator"]
    sasaran = next(t for t in docx.Document(str(out / "PK_07_Sekretaris.docx")).tables
                   if t.rows[0].cells[-1].text.strip() == "TW IV")
    row = [c.text.strip() for c in sasaran.rows[2 + 2].cells]  # IK-S.3, the sheet's row 6
    assert row[4:] == [f"{round(sheet[f'{c}6'].value * 100)}%" for c in "KLMN"] == ["20%", "45%", "70%", "90%"]
    assert alert(book).startswith(f"{len(list(out.iterdir()))} dokumen ditulis di folder {out}.")
    addin.run("buat_dokumen", book)  # the plain button: the one-target Lampiran again
    heads = [[c.text.strip() for c in t.rows[0].cells] for t in docx.Document(str(out / "PK_07_Sekretaris.docx")).tables]
    assert ["NO", "SASARAN PROGRAM", "INDIKATOR KINERJA", "TARGET"] in heads


def test_buat_dokumen_blocked_by_errors_shows_them(xw, example):
    broken_set(example)
    report = api.check([example])
    book = open_book(xw, example / PK07, fullname=str(example / PK07))
    addin.run("buat_dokumen", book)
    assert not (example / "dokumen").exists()
    assert reported(book) == flat(report)
    assert colours(book) == expected_colours(report, PK07)
    assert alert(book).startswith(f"Dokumen tidak dibuat karena ada galat. {len(report.errors)} galat,")


# --- template_baru ------------------------------------------------------------------------------------------
def planned(key: str) -> list[str]:
    return [name for kind, lv, _, name in set_filenames(load_hierarchy())
            if (lv is not None and lv.id == key) or (lv is None and kind.value == key)]


@pytest.mark.parametrize("key", TEMPLATE_KEYS)
def test_template_baru_writes_the_levels_templates(xw, example, key):
    book = open_book(xw, example / PK07, fullname=str(example / PK07))
    addin.run(f"template_baru_{key}", book)
    out = example / "template_baru"
    names = planned(key)
    assert sorted(p.name for p in out.iterdir()) == sorted(names)
    assert len(names) == {"kordiv": 5, "eselon4": 4}.get(key, 1)
    for name in names:
        wb = openpyxl.load_workbook(out / name)
        assert (wb["Identitas"]["B3"].value, wb["Identitas"]["B4"].value) == ("KPU Kota Serang", 2022)
        marker = {r[0]: r[1] for r in wb[MARKER_SHEET].iter_rows(values_only=True)}
        pk = key not in ("rkt", "realisasi")
        assert (marker["jenis"], marker["tingkat"]) == (("pk", key) if pk else (key, None))
    text = alert(book)
    assert text.startswith(f"{len(names)} template baru (satker KPU Kota Serang, tahun 2022) ditulis di folder {out}")

    # A second click never overwrites: the new files get a suffix.
    hashes = {n: sha256(out / n) for n in names}
    addin.run(f"template_baru_{key}", book)
    assert {n: sha256(out / n) for n in names} == hashes
    suffixed = [n.replace(".xlsx", "_2.xlsx") for n in names]
    assert sorted(p.name for p in out.iterdir()) == sorted(names + suffixed)


def test_template_baru_from_a_foreign_book_leaves_satker_empty(xw, tmp_path):
    foreign = tmp_path / "catatan.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "daftar belanja"
    wb.save(foreign)
    book = open_book(xw, foreign, fullname=str(foreign))
    addin.run("template_baru_sekretaris", book)
    (made,) = (tmp_path / "template_baru").iterdir()
    assert made.name == "PK_07_Sekretaris.xlsx"
    ws = openpyxl.load_workbook(made)["Identitas"]
    assert (ws["B3"].value, ws["B4"].value) == (None, None)
    assert alert(book).startswith("1 template baru ditulis di folder")


# --- the dispatcher -----------------------------------------------------------------------------------------
def test_unknown_control_is_refused_with_an_alert(xw, example):
    book = open_book(xw, example / PK07)
    addin.run("hapus_semua", book)
    assert [a["func"] for a in actions(book)] == ["alert"]
    assert "Tombol 'hapus_semua' tidak dikenal" in alert(book)


def test_exceptions_become_alerts(xw, tmp_path, monkeypatch):
    # A user-facing failure (no workbook in the folder) keeps its Indonesian message...
    (tmp_path / "kosong").mkdir()
    book = open_book(xw, EXAMPLE / PK07, fullname=str(tmp_path / "kosong" / "Buku.xlsb"))
    addin.run("cek_cascading", book)
    assert alert(book).startswith(f"Tidak ada buku kerja di folder {tmp_path / 'kosong'} ")

    # ...and a bug becomes a plain alert too, never a traceback in Excel.
    def rusak(book):
        raise ZeroDivisionError("pembagian dengan nol")

    monkeypatch.setitem(addin._registry, "uji_rusak", rusak)
    book = open_book(xw, EXAMPLE / PK07)
    addin.run("uji_rusak", book)
    text = alert(book)
    assert text.startswith("Kesalahan internal kinerja_xl (ZeroDivisionError: pembagian dengan nol di rusak)")


def test_run_without_a_book_uses_the_caller(xw, example, monkeypatch):
    path = example / PK07
    edit(path, "Identitas", "B11", NIP_17)
    book = open_book(xw, path)
    # What RunPython sets up in Excel; set_mock_caller() is xlwings' documented way in Python.
    monkeypatch.setattr(xw.Book, "_mock_caller", book, raising=False)
    addin.run("validasi")
    assert [k for *_, k in reported(book)] == ["nip-length"]


# --- command line ----------------------------------------------------------------------------------------------
def test_cli_build_writes_the_addin(tmp_path):
    from kinerja_xl.cli.addin import app

    out = tmp_path / "kinerja.xlam"
    result = CliRunner().invoke(app, ["build", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes() == build_bytes()
    assert str(out) in result.output
    refused = CliRunner().invoke(app, ["build", "-o", str(tmp_path / "kinerja.xlsx")])
    assert refused.exit_code == 2 and not (tmp_path / "kinerja.xlsx").exists()


@pytest.mark.skipif(sys.platform in ("win32", "darwin"), reason="would really install into this Excel")
def test_cli_install_refuses_other_platforms():
    from kinerja_xl.cli.addin import app

    result = CliRunner().invoke(app, ["install"])
    assert result.exit_code == 2
    assert "Windows atau macOS" in result.output


def test_cli_help_texts_end_with_an_example():
    import typer.main

    from kinerja_xl.cli.addin import app

    group = typer.main.get_command(app)
    assert "Contoh: kinerja-xl addin" in group.help
    assert set(group.commands) == {"install", "build"}
    for cmd in group.commands.values():
        assert cmd.help.rstrip().splitlines()[-1].startswith("Contoh: kinerja-xl addin " + cmd.name)


def test_cek_cascading_checks_the_open_book_as_excel_holds_it(xw, example, tmp_path):
    """Unsaved edits count: a NIP fixed in Excel but not saved is no longer reported, and a target
    lowered in Excel but not saved is, at its cell, with the parent's cell as the related end."""
    fixed = tmp_path / PK07
    shutil.copy2(example / PK07, fixed)  # the clean book, as the user has it on screen after fixing it
    edit(example / PK07, "Identitas", "B11", NIP_17)  # what is saved on disk still has the 17-digit NIP
    on_disk = api.check([example])
    assert "nip-length" in on_disk.codes()

    book = open_book(xw, fixed, fullname=str(example / PK07))
    addin.run("cek_cascading", book)
    assert "nip-length" not in {row[3] for row in reported(book)}
    assert "beserta perubahan yang belum disimpan" in alert(book)
    assert (example / PK07).read_bytes() != fixed.read_bytes()  # the saved file was not touched

    lowered = tmp_path / "lowered" / PK08
    lowered.parent.mkdir()
    shutil.copy2(example / PK08, lowered)
    edit(lowered, "Indikator", "F4", 0.8)  # on screen only: below the parent's 100%
    book = open_book(xw, lowered, fullname=str(example / PK08))
    addin.run("cek_cascading", book)
    rows = [r for r in reported(book) if r[3] == "cascade-target-lower"]
    assert [(PurePath(r[0]).name, r[1], r[2]) for r in rows] == [(PK08, "Indikator", "F4")]
    assert colours(book)[("Indikator", "F4")] == COLOURS[Severity.ERROR]
    assert "cascade-target-lower" not in api.check([example]).codes()  # nothing of it is saved


def test_the_addin_reads_a_book_with_the_hierarchy_it_was_made_for(xw, tmp_path):
    """No command line in Excel: a Pemda book is read with the Pemda hierarchy (named by its marker),
    and a folder's own hirarki.toml is used for every button."""
    paths = api.new_set(tmp_path, satker="Kabupaten Contoh", tahun=2024, hierarchy="pemda_dinas")
    path = next(p for p in paths if "Eselon_IV_Kurikulum" in p.name)
    expected = api.validate([path], hierarchy="pemda_dinas")
    assert "hierarchy-mismatch" in api.validate([path]).codes()  # the default would not fit
    book = open_book(xw, path, fullname="Book1")  # not even saved: the marker alone tells
    addin.run("validasi", book)
    assert sorted(r[3] for r in reported(book)) == sorted(i.code for i in expected.issues)
    assert entries.book_hierarchy(book).id == "pemda-dinas"

    (tmp_path / api.HIERARCHY_FILE).write_text(
        (Path(api.__file__).parent / "levels" / "pemda_dinas.toml").read_text(encoding="utf-8")
        .replace('id = "pemda-dinas"', 'id = "dinas-contoh"'), encoding="utf-8")
    saved = open_book(xw, path, fullname=str(path))
    assert entries.book_hierarchy(saved).id == "dinas-contoh"
    addin.run("validasi", saved)
    assert "hierarchy-mismatch" in {r[3] for r in reported(saved)}  # made for pemda-dinas, read with the folder's
