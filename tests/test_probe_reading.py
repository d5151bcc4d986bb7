"""Small or odd workbooks that killed, starved or misled the reader (issue 14.9, 14.10, 14.18, 14.19).

A 12 kB workbook with one cell at XFD1048576 aborted the process (calamine allocated 512 GiB) and,
in a parallel check, the whole run; one merged range A4:XFD1048576 grew `validate` past 24 GB; a
column filled to row 1,048,576 ran for minutes; 200,000 rows took 2.3 GB. A Strict Open XML workbook
was "not a kinerja_xl template", and a date typed as a number in a 1904 workbook was read four years
early. The workbooks are written at test time by tests/corpus/make_probe_reading.py.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent / "corpus"))
import make_probe_reading as probe_books  # noqa: E402

from conftest import EXAMPLE, soffice  # noqa: E402
from probe import run  # noqa: E402

from kinerja_xl import api  # noqa: E402
from kinerja_xl.reading import read, source  # noqa: E402
from kinerja_xl.reading.source import MAX_CELLS, MAX_ROWS, SourceError, check_extent, load_xlsx  # noqa: E402
from kinerja_xl.workers import WorkerDied  # noqa: E402

PK08 = probe_books.PK
KETUA = "PK_01_Ketua.xlsx"


def codes(result) -> list[tuple[str, str, str, str]]:
    """(file name, sheet, cell, code) of each finding in a ``--format json`` answer."""
    return [(Path(i["location"]["file"]).name, i["location"]["sheet"], i["location"]["cell"], i["code"])
            for i in json.loads(result.stdout)["issues"]]


def satker_set(folder: Path, replace: dict[str, Path] | None = None) -> Path:
    """A copy of the bundled example satker, with some workbooks replaced."""
    folder.mkdir(parents=True)
    for f in EXAMPLE.glob("*.xlsx"):
        shutil.copyfile(f, folder / f.name)
    for name, path in (replace or {}).items():
        shutil.copyfile(path, folder / name)
    return folder


# --- 14.9: a cell far away is refused before calamine allocates ---------------------------------------
def test_one_cell_at_xfd1048576_is_refused(tmp_path):
    book = probe_books.stray_cell(tmp_path / PK08)
    assert book.stat().st_size < 24_000  # a small workbook (the probe's was 12.8 kB; a v3 PK is 19 kB): the size is not the cause
    r = run(["validate", book, "--format", "json"], inputs=[book], max_rss_mb=300, timeout=60)
    assert r.code == 2  # was: Rust backtrace, abort (exit 134)
    assert codes(r) == [(PK08, "Indikator", "XFD1048576", "sheet-too-large")]
    assert "Ctrl+End" in r.stdout


def test_parallel_check_reports_the_big_sheet_and_checks_the_rest(tmp_path):
    bad = probe_books.stray_cell(tmp_path / "bad.xlsx")
    prov = tmp_path / "prov"
    for name in ("a", "b", "c"):
        satker_set(prov / name, {PK08: bad} if name == "b" else None)
    r = run(["check", prov, "--workers", "2", "--format", "json"], inputs=[prov], max_rss_mb=1024, timeout=120)
    assert r.code == 2  # was: BrokenProcessPool, traceback, no output
    found = json.loads(r.stdout)
    assert len(found["files"]) == 3 * len(list(EXAMPLE.glob("*.xlsx")))
    too_large = [i["location"] for i in found["issues"] if i["code"] == "sheet-too-large"]
    assert too_large == [{"file": str(prov / "b" / PK08), "sheet": "Indikator", "cell": "XFD1048576"}]
    # the other satker were checked as usual: the example's own findings, in each folder
    clean = {(i["code"], Path(i["location"]["file"]).name) for i in found["issues"] if "/a/" in i["location"]["file"]}
    assert clean and clean == {(i["code"], Path(i["location"]["file"]).name)
                               for i in found["issues"] if "/c/" in i["location"]["file"]}
    assert not any(i["code"] == "workbook-missing" for i in found["issues"])


def test_dimension_alone_is_not_trusted(tmp_path):
    """A sheet that declares A1:XFD1048576 but holds the usual cells reads as usual, in both engines
    (openpyxl's read-only mode walked the declared range, 17 billion cells)."""
    declared = tmp_path / "dimensi.xlsx"
    probe_books.rewrite(EXAMPLE / PK08, declared,
                        lambda n, d: re.sub(rb'<dimension ref="[^"]*"/>', b'<dimension ref="A1:XFD1048576"/>', d))
    assert b"XFD1048576" in zipfile.ZipFile(declared).read(probe_books.sheet_part(declared, "Indikator"))
    script = ("import sys; from kinerja_xl.reading.source import load_xlsx; "
              "a = load_xlsx(sys.argv[1]); b = load_xlsx(sys.argv[1], engine='openpyxl'); "
              "print(a.sheets['Indikator'].max_row, a.sheets['Indikator'].max_col, "
              "b.sheets['Indikator'].max_row, b.sheets['Indikator'].max_col)")
    out = subprocess.run([sys.executable, "-c", script, str(declared)], capture_output=True, text=True, timeout=60)
    assert out.stdout.split() == ["5", "14", "5", "14"], out.stderr[-2000:]  # 14 columns with the Rencana Aksi (v3)


@pytest.mark.parametrize("last, width, refused", [
    (MAX_ROWS, 1, False), (MAX_ROWS + 1, 1, True),                  # rows
    (1000, MAX_CELLS // 1000, False), (1000, MAX_CELLS // 1000 + 1, True),  # rows x columns
    (1, 16384, False),                                              # one full row is small
])
def test_limits(last, width, refused):
    from openpyxl.utils.cell import get_column_letter

    far = f"{get_column_letter(width)}{last}"
    xml = (b'<worksheet><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row>'
           b'<row r="%d"><c r="%s"><v>1</v></c></row></sheetData></worksheet>' % (last, far.encode()))
    if not refused:
        check_extent("S", xml)
        return
    with pytest.raises(SourceError) as err:
        check_extent("S", xml)
    assert (err.value.code, err.value.sheet, err.value.cell) == ("sheet-too-large", "S", far)


def test_blank_styled_cells_do_not_count():
    """Formatting reaching the last row (<c r=".." s="1"/>) holds nothing: calamine allocates nothing for it."""
    check_extent("S", b'<sheetData><row r="1048576"><c r="XFD1048576" s="1"/><c r="XFC1048576" s="2"></c>'
                      b'</row></sheetData>')


# --- 14.10: work bounded by the data present ------------------------------------------------------------
def test_merged_range_to_the_last_cell_is_clipped(tmp_path):
    book = probe_books.merge_to_end(tmp_path / PK08)
    r = run(["validate", book, "--format", "json"], inputs=[book], max_rss_mb=300, timeout=60)
    assert r.code == 1  # was: MemoryError past 24 GB
    assert (PK08, "Indikator", "A4", "merged-cells") in codes(r)


def _annotate(tmp_path: Path, book: Path):
    """``check --annotate`` of the example satker with ``book`` as its PK_08, under a 600 MB ceiling."""
    folder = satker_set(tmp_path / "satker", {PK08: book})
    out = tmp_path / "bertanda"
    return run(["check", folder, "--annotate", out], inputs=[folder], max_rss_mb=600, timeout=120), out


def test_annotating_a_merge_to_the_last_cell_stays_small(tmp_path):
    """`check --annotate` opens the workbook whole (openpyxl): the merge is cut to the data first."""
    import openpyxl

    r, out = _annotate(tmp_path, probe_books.merge_to_end(tmp_path / "merge.xlsx"))
    assert r.code == 1  # was: killed for memory past 24 GB
    copy = out / PK08
    assert copy.is_file()
    ws = openpyxl.load_workbook(copy)["Indikator"]
    merged = [str(m) for m in ws.merged_cells.ranges]
    assert not any(m.endswith("1048576") for m in merged), merged
    assert ws["A4"].comment is not None and "merged-cells" in ws["A4"].comment.text


def test_no_annotated_copy_of_a_workbook_that_was_not_read(tmp_path):
    r, out = _annotate(tmp_path, probe_books.stray_cell(tmp_path / "stray.xlsx"))
    assert r.code == 2
    assert not (out / PK08).exists()
    assert f"Tanpa salinan bertanda (1 berkas yang tidak terbaca; lihat temuannya di atas): {PK08}" in r.stdout


def test_column_filled_to_row_1048576_is_refused_quickly(tmp_path):
    book = probe_books.filled_column(tmp_path / PK08)
    r = run(["validate", book, "--format", "json"], inputs=[book], max_rss_mb=600, timeout=60)
    assert r.code == 2  # was: 9 minutes at 15 GB
    assert codes(r) == [(PK08, "Indikator", "G1048576", "sheet-too-large")]


def test_200000_rows_are_refused(tmp_path):
    book = probe_books.many_rows(tmp_path / "big.xlsx")
    folder = satker_set(tmp_path / "satker", {PK08: book})
    r = run(["check", folder, "--format", "json"], inputs=[folder], max_rss_mb=600, timeout=60)
    assert r.code == 2  # was: 98 s and 2.3 GB
    assert [t for t in codes(r) if t[3] == "sheet-too-large"] == [(PK08, "Indikator", "A200005", "sheet-too-large")]
    assert "workbook-missing" not in {t[3] for t in codes(r)}


# --- 14.9: a worker that dies takes only its own file with it ------------------------------------------
def _abort() -> None:
    """Die of SIGABRT, as a native library does, without pytest's fault handler printing its dump."""
    import faulthandler
    import resource

    faulthandler.disable()
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))  # no core file left behind
    os.abort()


def _abort_on(monkeypatch, marker: str) -> None:
    """Make reading any file whose path holds ``marker`` kill its process, as calamine's abort did.
    Worker processes are forked, so they inherit the patch."""
    real = read.load_xlsx

    def load(path, **kwargs):
        if marker in str(path):
            _abort()
        return real(path, **kwargs)
    monkeypatch.setattr(read, "load_xlsx", load)


@pytest.fixture
def province(tmp_path) -> Path:
    for name in ("a", "b", "c", "d"):
        satker_set(tmp_path / "prov" / name)
    return tmp_path / "prov"


def test_dead_worker_in_check_is_one_finding(province, monkeypatch):
    def outside_b(report):
        return [t for t, i in zip(report.flat(), report.issues) if f"{os.sep}b{os.sep}" not in i.location.file]

    expected = api.check([province], workers=1)
    _abort_on(monkeypatch, f"{os.sep}b{os.sep}{PK08}")
    report = api.check([province], workers=2)  # was: BrokenProcessPool
    crashed = [i for i in report.issues if i.code == "file-crashed"]
    assert [(i.location.file, i.location.sheet) for i in crashed] == [(str(province / "b" / PK08), "")]
    assert "SIGABRT" in crashed[0].message
    assert outside_b(report) == outside_b(expected)  # the other satker: the same findings
    assert "workbook-missing" not in report.codes()  # the dead file counts as present
    assert len(report.files) == len(expected.files)


def test_dead_worker_in_validate_is_one_finding(province, monkeypatch):
    folders = sorted(province.iterdir())
    _abort_on(monkeypatch, f"{os.sep}c{os.sep}{KETUA}")
    report = api.validate(folders, workers=2)
    assert [(t[0], t[3]) for t in report.flat() if t[3] == "file-crashed"] == [(KETUA, "file-crashed")]
    assert len(report.files) == 4 * len(list(EXAMPLE.glob("*.xlsx")))
    assert api.exit_code(report) == 2


def test_dead_worker_in_rollup_is_one_finding(province, tmp_path, monkeypatch):
    from kinerja_xl.outputs.rollup import rollup

    _abort_on(monkeypatch, f"{os.sep}d{os.sep}Realisasi.xlsx")
    result = rollup([province], tmp_path / "rekap.xlsx", workers=2)  # was: BrokenProcessPool, no rekap
    assert [(t[0], t[3]) for t in result.report.flat() if t[3] == "file-crashed"] == [("Realisasi.xlsx", "file-crashed")]
    assert len(result.satker) == 4 and (tmp_path / "rekap.xlsx").exists()


def test_dead_worker_outside_reading_is_a_clear_error(province, monkeypatch):
    real = api.check_set

    def check_set(kset, hierarchy):
        if f"{os.sep}b" in kset.folder:
            _abort()
        return real(kset, hierarchy)
    monkeypatch.setattr(api, "check_set", check_set)
    with pytest.raises(WorkerDied, match=r"SIGABRT\) saat memeriksa .*b, di luar"):
        list(api.check([province], workers=2).issues)


# --- 14.18: Strict Open XML ------------------------------------------------------------------------------
def _grid(path: Path, engine: str):
    from test_scale import _comparable

    return _comparable(load_xlsx(path, engine=engine))


def test_strict_workbook_is_read_as_its_transitional_twin(tmp_path):
    book = probe_books.strict(tmp_path / PK08)
    with zipfile.ZipFile(book) as z:
        assert b'conformance="strict"' in z.read("xl/workbook.xml")
        assert b"schemas.openxmlformats.org/spreadsheetml" not in b"".join(z.read(n) for n in z.namelist())
    assert source.is_strict(source.sniff(book.read_bytes(), book))
    for engine in ("calamine", "openpyxl"):
        assert _grid(book, engine) == _grid(EXAMPLE / PK08, engine), engine
    assert load_xlsx(book).engine == "calamine"
    r = run(["validate", book, "--format", "json"], inputs=[book], timeout=60)
    assert (r.code, codes(r)) == (0, [])  # was: template-unknown, exit 2


def test_strict_workbook_in_a_check(tmp_path):
    plain = run(["check", satker_set(tmp_path / "biasa"), "--format", "json"], timeout=60)
    folder = satker_set(tmp_path / "strict", {PK08: probe_books.strict(tmp_path / "s.xlsx")})
    r = run(["check", folder, "--format", "json"], inputs=[folder], timeout=60)
    assert r.code == plain.code == 0
    assert codes(r) == codes(plain)


def test_libreoffice_reads_the_strict_fixture(tmp_path):
    """The generated file is a real Strict workbook: LibreOffice opens it and finds the same cells."""
    office = soffice()
    book = probe_books.strict(tmp_path / PK08)
    out = tmp_path / "out"
    subprocess.run([office, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profil",
                    "--convert-to", "xlsx", "--outdir", str(out), str(book)], capture_output=True, timeout=180)
    converted = load_xlsx(out / PK08)
    assert converted.sheets["Indikator"].value(4, 3) == "IK-E1.1"
    assert converted.sheets["Identitas"].value(3, 2) == load_xlsx(EXAMPLE / PK08).sheets["Identitas"].value(3, 2)


# --- 14.19: the 1904 date system ---------------------------------------------------------------------
@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_1904_serial_typed_as_a_number(tmp_path, engine):
    book = probe_books.date1904(tmp_path / KETUA)
    grid = load_xlsx(book, engine=engine)
    assert grid.date1904 and grid.sheets["Identitas"].value(20, 2) == 43126
    assert read.read_grid(grid).document.tanggal == dt.date(2022, 1, 27)  # was 2018-01-26
    assert not load_xlsx(EXAMPLE / KETUA, engine=engine).date1904


@pytest.mark.parametrize("engine", ["calamine", "openpyxl"])
def test_1904_date_formatted_cell(tmp_path, engine):
    """A date-formatted serial was already right in both engines; it stays so."""
    book = tmp_path / KETUA
    probe_books.rewrite(EXAMPLE / KETUA, book, lambda n, d: d.replace(b"<workbookPr/>", b'<workbookPr date1904="1"/>')
                        .replace(b"<v>44588</v>", b"<v>43126</v>"))
    assert load_xlsx(book, engine=engine).sheets["Identitas"].value(20, 2) == dt.datetime(2022, 1, 27)


def test_1904_workbook_in_a_check(tmp_path):
    folder = satker_set(tmp_path / "satker", {KETUA: probe_books.date1904(tmp_path / "k.xlsx")})
    r = run(["check", folder, "--format", "json"], inputs=[folder], timeout=60)
    assert r.code == 0  # was: date-outside-year (27 January 2018), exit 1
    assert "date-outside-year" not in {t[3] for t in codes(r)}


def test_1904_serial_out_of_range(tmp_path):
    book = probe_books.date1904(tmp_path / KETUA, serial=2_957_004)
    assert [t[3] for t in api.validate([book]).flat()] == ["date-invalid"]
