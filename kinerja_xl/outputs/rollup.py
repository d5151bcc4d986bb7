"""The roll-up of many satker into one workbook, for a province or the national office.

Each satker folder is read and checked on its own (in worker processes, one satker at a time:
:func:`summarise` keeps only the figures the roll-up shows), then the summaries are laid out as
one workbook with four sheets:

- ``Ringkasan``: one row per satker: mean capaian (of its indicators, uncapped, as
  :mod:`kinerja_xl.checks.capaian` reports them), pagu, realisasi, serapan, findings;
- ``Capaian``: one row per satker and indicator: target, realisasi, capaian and its category;
- ``Anggaran``: one row per satker and budget line: pagu, realisasi, serapan;
- ``Peringkat``: satker ranked by mean capaian, with their rank by findings beside.

Figures stay numbers with Excel's own formats (0.00%, "Rp"#,##0), so the sheets can be sorted,
filtered and summed; every text read from the workbooks is written as text (never a formula).

>>> from kinerja_xl.outputs.rollup import rollup
>>> result = rollup(["kpu_banten/"], "rekap.xlsx")   # doctest: +SKIP
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any, Iterable

from ..checks import capaian as cp
from ..errors import UsageError
from ..checks.sets import hierarchy_file, load_set, satker_folders
from ..checks.cascade import check_set
from ..fsutil import OutputPlan
from ..findings.issues import Report, Severity
from ..levels import Hierarchy, load_hierarchy
from ..model import Target
from ..workers import Progress, run_tasks

PERCENT_FORMAT = "0.00%"
RUPIAH_FORMAT = '"Rp"#,##0'
NUMBER_FORMAT = "#,##0.##"


@dataclass(frozen=True)
class IndicatorFigures:
    """One indicator of one satker: target against realisasi, as the Pengukuran Kinerja shows it."""

    kode: str
    nama: str
    satuan: str
    target: Target | None
    realisasi: float | None
    realisasi_teks: str | None
    capaian: float | None  # percent points, uncapped (150 means 150%)
    kategori: str | None
    catatan: str


@dataclass(frozen=True)
class BudgetFigures:
    kode: str
    uraian: str
    pagu: int | None
    realisasi: int | None
    serapan: float | None  # percent points


@dataclass(frozen=True)
class SatkerSummary:
    """What the roll-up keeps of one satker: small enough to send back from a worker process."""

    folder: str
    satker: str
    tahun: int | None
    indikator: tuple[IndicatorFigures, ...]
    anggaran: tuple[BudgetFigures, ...]
    errors: int
    warnings: int
    info: int
    report: Report

    @property
    def mean_capaian(self) -> float | None:
        values = [i.capaian for i in self.indikator if i.capaian is not None]
        return sum(values) / len(values) if values else None

    @property
    def pagu(self) -> int:
        return sum(b.pagu or 0 for b in self.anggaran)

    @property
    def realisasi(self) -> int:
        return sum(b.realisasi or 0 for b in self.anggaran)


@dataclass(frozen=True)
class RollupResult:
    """The workbook written, the satker in it, and every finding of the checks run on the way."""

    path: Path
    satker: tuple[SatkerSummary, ...]
    report: Report


def summarise(folder: Path, hierarchy: Hierarchy, rules: cp.CapaianRules | None = None) -> SatkerSummary:
    """Read and check one satker folder; keep its figures and the count of its findings.

    Capaian under ``rules``; None: the folder's own (``skala.toml``, else the defaults), as ``build``
    of that folder chooses them.
    """
    rules = cp.rules_for(folder, rules)
    kset, found = load_set(folder, hierarchy=hierarchy)
    report = found.merge(Report.of(check_set(kset, hierarchy)))
    indikator: list[IndicatorFigures] = []
    anggaran: list[BudgetFigures] = []
    if kset.realisasi is not None:
        for ri in kset.realisasi.indikator:
            value = cp.annual_realisasi(ri)
            result = cp.ukur(ri, rules)
            indikator.append(IndicatorFigures(ri.kode, ri.nama, ri.satuan, ri.target, value, ri.teks, result.value,
                                              result.category, result.note))
        for a in kset.realisasi.anggaran:
            anggaran.append(BudgetFigures(a.kode, a.uraian, a.pagu, a.realisasi, cp.serapan(a.pagu, a.realisasi)))
    counts = report.counts()
    return SatkerSummary(str(folder), kset.satker or Path(folder).name, kset.tahun, tuple(indikator), tuple(anggaran),
                         counts.get(Severity.ERROR.value, 0), counts.get(Severity.WARNING.value, 0),
                         counts.get(Severity.INFO.value, 0), report)


def rollup(paths: Iterable[str | Path], out: str | Path, *, hierarchy: Hierarchy | str | Path | None = None,
           workers: int | None = None, progress: Progress | None = None, tahun: int | None = None,
           rules: cp.CapaianRules | str | Path | None = None) -> RollupResult:
    """Check every satker folder under ``paths`` and write the consolidated workbook ``out``.

    Capaian and categories under ``rules`` (a :class:`~kinerja_xl.checks.capaian.CapaianRules` or the path of
    its TOML file, ``--skala FILE``; None: each satker folder's ``skala.toml``, else the defaults), the
    same rules ``build`` takes, so the roll-up and each satker's LAKIP and Pengukuran give one indicator
    the same category.

    One roll-up is one year: with ``tahun`` only the satker of that year are rolled up (the others
    are named in a ``rollup-year-excluded`` warning); without it, satker of several years give a
    ``rollup-years-mixed`` warning, since their averages and ranks are not comparable.
    """
    out = Path(out)
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"Nama berkas keluaran harus berakhiran .xlsx: {out}")
    h = hierarchy if isinstance(hierarchy, Hierarchy) else load_hierarchy(hierarchy)
    scale_file = None if rules is None or isinstance(rules, cp.CapaianRules) else Path(rules)
    rules = None if rules is None else cp.load_rules(rules)  # None: each satker's own (see summarise)
    paths = list(paths)
    folders = satker_folders(paths)
    # The roll-up never replaces a workbook it reads (``-o kpu_banten/RKT.xlsx``): refused before any work.
    OutputPlan([*paths, *folders, *[p for p in [hierarchy_file(hierarchy), scale_file] if p]]).claim(out)
    if rules is None:
        for folder in folders:  # a satker's unusable skala.toml refuses the roll-up before any work
            cp.rules_for(folder)
    summaries = tuple(run_tasks(partial(summarise, rules=rules), folders, h, workers=workers, progress=progress,
                                min_per_worker=3))
    summaries, year_issues = _one_year(summaries, tahun)
    write_rollup(summaries, out)
    issues = [i for s in summaries for i in s.report.issues] + year_issues
    files = [f for s in summaries for f in s.report.files]
    return RollupResult(out, summaries, Report.of(issues, files))


def _one_year(summaries: tuple[SatkerSummary, ...], tahun: int | None) -> tuple[tuple[SatkerSummary, ...], list]:
    from collections import Counter

    from ..findings.issues import make
    from ..model import CellRef

    def years_text(counter: Counter) -> str:
        # most satker first; on a tie the later year, the one a roll-up is usually made for
        ordered = sorted(counter.items(), key=lambda x: (-x[1], -(x[0] or 0)))
        return ", ".join(f"{y or 'tanpa tahun'} ({n} satker)" for y, n in ordered)

    if tahun is not None:
        others = [s for s in summaries if s.tahun != tahun]
        kept = tuple(s for s in summaries if s.tahun == tahun)
        issues = [make("rollup-year-excluded", CellRef(s.folder), tahun=tahun, value=s.tahun or "tanpa tahun",
                       satker=s.satker) for s in others]
        return kept, issues
    years = Counter(s.tahun for s in summaries)
    if len(years) <= 1:
        return summaries, []
    main = max(years, key=lambda y: (years[y], y or 0))
    first = next(s for s in summaries if s.tahun != main)
    return summaries, [make("rollup-years-mixed", CellRef(first.folder), years=years_text(years),
                            tahun=main or "")]


def target_cell(target: Target | None, satuan: str) -> tuple[Any, str | None]:
    """How a target or realisasi goes into a cell: a number with its format, or text."""
    from .. import fmt

    if target is None:
        return None, None
    if target.value is not None:
        return number_cell(target.value, satuan)
    return fmt.target(target, satuan), None


def number_cell(value: float | None, satuan: str) -> tuple[Any, str | None]:
    """A figure in the satuan's unit: percent points become an Excel fraction shown as 0.00%."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None, None
    if satuan.strip() == "%":
        return value / 100, PERCENT_FORMAT
    return value, NUMBER_FORMAT


# --- the workbook ----------------------------------------------------------------------------------------
Cell = tuple[Any, "str | None"]  # a value and its number format (None: General)


def write_rollup(summaries: Iterable[SatkerSummary], out: str | Path) -> Path:
    """Write the four sheets of the roll-up (see the module docstring); atomic, like every output."""
    from openpyxl import Workbook

    from ..fsutil import atomic_save

    summaries = list(summaries)
    wb = Workbook()
    _table(wb.active, "Ringkasan", _SUMMARY_HEAD, [_summary_row(n, s) for n, s in enumerate(summaries, start=1)])
    rows = [[(s.satker, None), *_indicator_cells(i)] for s in summaries for i in s.indikator]
    _table(wb.create_sheet(), "Capaian", _INDICATOR_HEAD, [[(n, None), *r] for n, r in enumerate(rows, start=1)])
    rows = [[(s.satker, None), (b.kode, None), (b.uraian, None), *_money(b.pagu, b.realisasi, b.serapan)]
            for s in summaries for b in s.anggaran]
    _table(wb.create_sheet(), "Anggaran", _BUDGET_HEAD, [[(n, None), *r] for n, r in enumerate(rows, start=1)])
    _table(wb.create_sheet(), "Peringkat", _RANK_HEAD, _ranking(summaries))
    atomic_save(wb, out)
    return Path(out)


_SUMMARY_HEAD = (("No", 5), ("Satker", 40), ("Folder", 40), ("Tahun", 7), ("Jumlah Indikator", 10),
                 ("Rata-rata Capaian", 12), ("Pagu (Rp)", 18), ("Realisasi (Rp)", 18), ("Serapan", 10),
                 ("Galat", 8), ("Peringatan", 11), ("Info", 7))
_INDICATOR_HEAD = (("No", 6), ("Satker", 36), ("Kode", 10), ("Indikator", 60), ("Satuan", 10), ("Target", 10),
                   ("Realisasi", 10), ("Capaian", 10), ("Kategori", 14), ("Catatan", 40))
_BUDGET_HEAD = (("No", 6), ("Satker", 36), ("Kode", 10), ("Program/Kegiatan", 50), ("Pagu (Rp)", 18),
                ("Realisasi (Rp)", 18), ("Serapan", 10))
_RANK_HEAD = (("Peringkat Capaian", 10), ("Satker", 40), ("Rata-rata Capaian", 12), ("Peringkat Temuan", 10),
              ("Galat", 8), ("Peringatan", 11))


def _percent(points: float | None) -> Cell:
    return (None, None) if points is None else (points / 100, PERCENT_FORMAT)


def _money(pagu: int | None, realisasi: int | None, serapan: float | None) -> list[Cell]:
    return [(pagu, RUPIAH_FORMAT), (realisasi, RUPIAH_FORMAT), _percent(serapan)]


def _summary_row(n: int, s: SatkerSummary) -> list[Cell]:
    return [(n, None), (s.satker, None), (s.folder, None), (s.tahun, None), (len(s.indikator), None),
            _percent(s.mean_capaian), *_money(s.pagu, s.realisasi, cp.serapan(s.pagu, s.realisasi)),
            (s.errors, None), (s.warnings, None), (s.info, None)]


def _indicator_cells(i: IndicatorFigures) -> list[Cell]:
    realisasi = number_cell(i.realisasi, i.satuan) if i.realisasi is not None else (i.realisasi_teks, None)
    return [(i.kode, None), (i.nama, None), (i.satuan, None), target_cell(i.target, i.satuan), realisasi,
            _percent(i.capaian), (i.kategori, None), (i.catatan or None, None)]


def _ranking(summaries: list[SatkerSummary]) -> list[list[Cell]]:
    """Rank 1 = highest mean capaian; by findings, rank 1 = fewest errors, then fewest warnings."""
    import pandas as pd

    if not summaries:
        return []
    frame = pd.DataFrame({
        "satker": [s.satker for s in summaries],
        "capaian": [s.mean_capaian for s in summaries],
        "errors": [s.errors for s in summaries],
        "warnings": [s.warnings for s in summaries],
    }, dtype=object).astype({"capaian": float, "errors": int, "warnings": int})
    frame["rank_capaian"] = frame["capaian"].rank(ascending=False, method="min", na_option="bottom").astype(int)
    findings = frame["errors"] * (frame["warnings"].max() + 1) + frame["warnings"]
    frame["rank_temuan"] = findings.rank(method="min").astype(int)
    frame = frame.sort_values(["rank_capaian", "rank_temuan", "satker"], kind="stable")
    return [[(int(r.rank_capaian), None), (r.satker, None),
             _percent(None if math.isnan(r.capaian) else float(r.capaian)), (int(r.rank_temuan), None),
             (int(r.errors), None), (int(r.warnings), None)] for r in frame.itertuples()]


def _table(ws, title: str, head: tuple[tuple[str, int], ...], rows: list[list[Cell]]) -> None:
    """A sheet with a bold, frozen header row, an autofilter, column widths and formatted cells."""
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from .annotate import put_text

    ws.title = title
    for c, (text, width) in enumerate(head, start=1):
        put_text(ws, 1, c, text)
        cell = ws.cell(1, c)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor="1F4E79")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = width
    for r, row in enumerate(rows, start=2):
        for c, (value, number_format) in enumerate(row, start=1):
            if value is None:
                continue
            put_text(ws, r, c, value)
            if number_format:
                ws.cell(r, c).number_format = number_format
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(head))}{max(len(rows) + 1, 2)}"
