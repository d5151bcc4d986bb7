"""Property-based tests: whatever the cells hold, reading, validating and checking never raise,
and every finding has a registered code and a location. Fixed seed, bounded examples (CI)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
from openpyxl.utils.exceptions import IllegalCharacterError
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kinerja_xl import api, spec
from kinerja_xl.checks.cascade import check_set
from kinerja_xl.checks.workbook import check_document
from kinerja_xl.findings.codes import REGISTRY
from kinerja_xl.levels import load_hierarchy
from kinerja_xl.model import KinerjaSet
from kinerja_xl.reading.read import read_grid
from kinerja_xl.reading.source import grid_from_values

from conftest import EXAMPLE

FUZZ = settings(derandomize=True, max_examples=150, deadline=None, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
HIERARCHY = load_hierarchy()

cell_values = st.one_of(
    st.none(),
    st.text(max_size=40),
    st.sampled_from(["90%", "90 %", "0,9", "1.507.029.000", "Rp 1,5 M", "27 Januari 2022", "=SUM(A1)", "#REF!",
                     "19860926 201505 1 001", "WTP", "80-90%", "90-80%", "-", "  ", "\u00a0", "positif", "negatif",
                     "langsung", "dukungan manajemen", "IK-K.1", "\U0001F600", "Jose\u0301", "=1+1", "@x", "+1"]),
    st.integers(min_value=-10**20, max_value=10**20),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(min_value=dt.date(1800, 1, 1), max_value=dt.date(2200, 12, 31)),
    st.datetimes(min_value=dt.datetime(1800, 1, 1), max_value=dt.datetime(2200, 1, 1)),
)


def _example_sheets(name: str) -> dict[str, list[list]]:
    wb = openpyxl.load_workbook(EXAMPLE / name)
    return {ws.title: [[c.value for c in row] for row in ws.iter_rows()] for ws in wb.worksheets}


BASE = {name: _example_sheets(name) for name in ("PK_07_Sekretaris.xlsx", "RKT.xlsx", "Realisasi.xlsx")}


def _assert_findings(issues) -> None:
    for issue in issues:
        assert issue.code in REGISTRY
        assert issue.location.file
        assert issue.message and "{" not in issue.message


@st.composite
def mutated_workbooks(draw):
    name = draw(st.sampled_from(sorted(BASE)))
    sheets = {k: [list(r) for r in v] for k, v in BASE[name].items()}
    for _ in range(draw(st.integers(1, 12))):
        sheet = draw(st.sampled_from(sorted(sheets)))
        rows = sheets[sheet]
        r = draw(st.integers(0, len(rows) + 3))
        c = draw(st.integers(0, 12))
        while len(rows) <= r:
            rows.append([])
        while len(rows[r]) <= c:
            rows[r].append(None)
        rows[r][c] = draw(cell_values)
    if draw(st.booleans()):  # structure: drop or rename a sheet
        victim = draw(st.sampled_from(sorted(sheets)))
        if draw(st.booleans()):
            del sheets[victim]
        else:
            sheets[victim + " (2)"] = sheets.pop(victim)
    return name, sheets


@FUZZ
@given(mutated_workbooks(), st.booleans())
def test_reading_and_validating_never_raise(workbook, formats_known):
    name, sheets = workbook
    grid = grid_from_values(name, sheets, number_formats={} if formats_known else None,
                            hidden=[spec.MARKER_SHEET])
    result = read_grid(grid, hierarchy=HIERARCHY)
    issues = list(result.issues)
    if result.document is not None:
        issues += check_document(result.document, HIERARCHY)
    _assert_findings(issues)


@FUZZ
@given(st.lists(mutated_workbooks(), min_size=1, max_size=3))
def test_checking_a_set_never_raises(workbooks):
    docs = []
    for n, (name, sheets) in enumerate(workbooks):
        result = read_grid(grid_from_values(f"{n}_{name}", sheets), hierarchy=HIERARCHY)
        if result.document is not None:
            docs.append(result.document)
    pks = tuple(d for d in docs if type(d).__name__ == "PerjanjianKinerja")
    rkt = next((d for d in docs if type(d).__name__ == "RencanaKinerjaTahunan"), None)
    real = next((d for d in docs if type(d).__name__ == "Realisasi"), None)
    _assert_findings(check_set(KinerjaSet("f", pks, rkt, real), HIERARCHY))


@settings(derandomize=True, max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(4, 14), st.integers(1, 9), cell_values), min_size=1, max_size=6))
def test_real_files_never_raise(tmp_path_factory, edits):
    """The same through a real .xlsx written by openpyxl and read back from disk."""
    folder: Path = tmp_path_factory.mktemp("fuzz")
    wb = openpyxl.load_workbook(EXAMPLE / "PK_07_Sekretaris.xlsx")
    for row, col, value in edits:
        if isinstance(value, float) and value != value:
            value = None  # openpyxl cannot write NaN
        try:
            wb["Indikator"].cell(row, col, value)
        except (ValueError, TypeError, IllegalCharacterError):  # openpyxl refuses control characters
            continue
    try:
        wb.save(folder / "pk.xlsx")
    except (ValueError, TypeError, OverflowError):
        return  # openpyxl itself cannot write this workbook; nothing to read
    report = api.validate([folder / "pk.xlsx"])
    _assert_findings(report.issues)
