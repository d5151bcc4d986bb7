"""The functions both shells (the command line and the Excel add-in) call.

>>> from kinerja_xl import api
>>> report = api.validate(["workbooks"])
>>> report.valid
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from .checks.capaian import CapaianRules, rules_for
from .checks.cascade import check_set
from .findings.codes import FATAL
from .errors import UsageError
from .fsutil import OutputPlan
from .findings.issues import Issue, Report
from .levels import Hierarchy, load_hierarchy
from .model import Kind
from .reading.read import read_file, read_grid
from .reading.source import WorkbookGrid
from .outputs import templates
from .outputs.annotate import annotate, write_outputs, write_report  # noqa: F401  (re-exported)
from .checks.sets import (  # noqa: F401  (re-exported)
    HIERARCHY_FILE, LOCK_REASON, SATKER_DEPTH, WORKBOOK_SUFFIXES, Collected, _validated, collect,
    find_hierarchy, hierarchy_file, is_lock_file, is_workbook_file, load_set, same_file_key, satker_folders,
)
from .outputs.tree import CascadeTree, cascade_tree
from .workers import Progress, run_tasks


def validate(paths: Iterable[str | Path], *, hierarchy: Hierarchy | str | Path | None = None,
             workers: int | None = None, progress: Progress | None = None) -> Report:
    """Read and check each workbook on its own; folders are searched for .xlsx/.xlsm files.

    Files are spread over ``workers`` processes (None: one per CPU, when there are enough files;
    1: in this process); the report is the same whatever the number. ``progress(done, total)``
    is called after each file.
    """
    h = hierarchy if isinstance(hierarchy, Hierarchy) else load_hierarchy(hierarchy)
    paths = list(paths)
    found = collect(paths)
    if not found.files:
        raise UsageError(f"Tidak ada buku kerja di {', '.join(map(str, paths))}: tidak ada berkas .xlsx (berkas kunci "
                         "~$ dan folder tidak dihitung). Periksa path-nya, atau buat template dengan "
                         "'kinerja-xl template set'.")
    issues: list[Issue] = list(found.skipped)
    for found_issues in run_tasks(_validate_file, found.files, h, workers=workers, progress=progress,
                                  min_per_worker=VALIDATE_FILES_PER_WORKER):
        issues += found_issues
    return Report.of(issues, [str(f) for f in found.files])


# Below these counts a process pool costs more than it saves (starting one imports the package).
VALIDATE_FILES_PER_WORKER = 40
CHECK_FOLDERS_PER_WORKER = 3


def _validate_file(path: Path, hierarchy: Hierarchy) -> list[Issue]:
    return _validated(read_file(path, hierarchy=hierarchy), hierarchy)


def check(paths: Iterable[str | Path], *, hierarchy: Hierarchy | str | Path | None = None,
          workers: int | None = None, progress: Progress | None = None,
          live: Mapping[str | Path, WorkbookGrid] | None = None) -> Report:
    """Validate every workbook of each satker folder, then run the cross-level (cascade) rules.

    Satker folders are spread over ``workers`` processes (None: one per CPU, when there are enough
    folders; 1: in this process); each process reads one satker at a time and sends back only its
    findings, so a national roll-up never holds every workbook in memory. ``progress(done, total)``
    is called after each satker. ``live``: grids read instead of some files (see :func:`load_set`);
    then everything runs in this process.
    """
    h = hierarchy if isinstance(hierarchy, Hierarchy) else load_hierarchy(hierarchy)
    issues: list[Issue] = []
    files: list[str] = []
    task = functools.partial(_check_folder, live=live) if live else _check_folder
    for found in run_tasks(task, satker_folders(paths), h, workers=1 if live else workers, progress=progress,
                           min_per_worker=CHECK_FOLDERS_PER_WORKER):
        issues += found.issues
        files += found.files
    return Report.of(issues, files)  # one sort at the end: merging per folder re-sorted everything each time


def clear_check_outputs(paths: Iterable[str | Path], *, laporan: str | Path | None = None,
                        annotate_dir: str | Path | None = None) -> None:
    """Refuse, before any work, a report or annotated copy that would replace a workbook of ``paths``.

    Every workbook that could get an annotated copy is cleared, not only those that will have findings:
    an answer that depended on the findings would let a clean run pass and the next run destroy a file.
    :func:`~kinerja_xl.outputs.annotate.write_outputs` clears the final paths again when writing.
    """
    from .outputs.annotate import copy_names  # noqa: F401  (re-exported)

    paths = list(paths)
    folders = satker_folders(paths)
    plan = OutputPlan([*paths, *folders])
    if laporan is not None:
        plan.claim(laporan)
    if annotate_dir is not None:
        names = copy_names(str(f) for folder in folders for f in collect([folder]).files)
        for file in sorted(names):
            plan.claim_unique(Path(annotate_dir) / names[file])


def _check_folder(folder: Path, hierarchy: Hierarchy, live: Mapping[str | Path, WorkbookGrid] | None = None) -> Report:
    kset, found = load_set(folder, hierarchy=hierarchy, live=live)
    return found.merge(Report.of(check_set(kset, hierarchy)))


def validate_grid(grid: WorkbookGrid, *, hierarchy: Hierarchy | None = None) -> Report:
    """Validate the values of a workbook held in memory (the live book of the Excel add-in)."""
    h = hierarchy or load_hierarchy()
    return Report.of(_validated(read_grid(grid, hierarchy=h), h), [grid.path])


def is_fatal(report: Report) -> bool:
    """True when a file could not be read at all (exit code 2)."""
    return any(i.code in FATAL for i in report.issues)


def exit_code(report: Report) -> int:
    """0 clean (warnings allowed), 1 data errors, 2 a file could not be read."""
    if is_fatal(report):
        return 2
    return 0 if report.valid else 1


def new_template(out: str | Path, *, kind: Kind = Kind.PK, level: str = "", unit: str = "", satker: str = "",
                 tahun: int | None = None, hierarchy: Hierarchy | str | Path | None = None,
                 overwrite: bool = False) -> Path:
    """Write one blank template; refuses to overwrite an existing file unless asked."""
    out = Path(out)
    if out.exists() and not overwrite:
        raise UsageError(f"Berkas {out} sudah ada; pakai --timpa untuk menimpanya.")
    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"Nama berkas keluaran harus berakhiran .xlsx: {out}")
    h = hierarchy if isinstance(hierarchy, Hierarchy) else load_hierarchy(hierarchy)
    try:
        return templates.write_template(out, kind, level=level, unit=unit, satker=satker, tahun=tahun, hierarchy=h)
    except templates.TemplateError as exc:
        raise UsageError(str(exc)) from None


def new_set(folder: str | Path, *, satker: str, tahun: int, hierarchy: Hierarchy | str | Path | None = None,
            overwrite: bool = False) -> list[Path]:
    """Write every template of a satker's set (one PK per official, the RKT and the realisasi)."""
    h = hierarchy if isinstance(hierarchy, Hierarchy) else load_hierarchy(hierarchy)
    try:
        return templates.write_set(folder, satker=satker, tahun=tahun, hierarchy=h, overwrite=overwrite)
    except FileExistsError as exc:
        raise UsageError(f"Berkas {exc.args[0]} sudah ada; pakai --timpa untuk menimpanya.") from None


def rollup(paths: Iterable[str | Path], out: str | Path, **options):
    """One consolidated workbook for a province or the national office (:func:`kinerja_xl.outputs.rollup.rollup`)."""
    from .outputs.rollup import rollup as write

    return write(paths, out, **options)


def next_year_set(source: str | Path, out: str | Path, *, tahun: int | None = None,
                  hierarchy: Hierarchy | str | Path | None = None, overwrite: bool = False):
    """Next year's workbooks of one satker, prefilled from this year's folder (:mod:`.carry`).

    Returns (year, what each workbook received, the source's reading report). Refuses a source
    folder holding several satker, an unreadable workbook, and a year that is not after the source's.
    """
    from .outputs import carry

    h = hierarchy if isinstance(hierarchy, Hierarchy) else load_hierarchy(hierarchy)
    folders = satker_folders([source])
    if len(folders) != 1:
        raise UsageError(f"--dari memerlukan folder satu satker; {source} berisi {len(folders)} satker.")
    kset, report = load_set(folders[0], hierarchy=h)
    if is_fatal(report):
        bad = sorted({Path(i.location.file).name for i in report.issues if i.code in FATAL})
        raise UsageError(f"Buku kerja di {source} tidak terbaca ({', '.join(bad)}); perbaiki dulu, lalu ulangi.")
    old = next((d.tahun for d in (*kset.pks, kset.rkt, kset.realisasi) if d is not None and d.tahun), None)
    if tahun is None:
        if old is None:
            raise UsageError(f"Tahun buku kerja di {source} tidak terbaca; sebutkan --tahun.")
        tahun = old + 1
    if old is not None and tahun <= old:
        raise UsageError(f"--tahun {tahun} harus sesudah tahun buku kerja sumber ({old}).")
    try:
        notes = carry.next_year(kset, out, tahun=tahun, hierarchy=h, protect=[folders[0], *report.files],
                                overwrite=overwrite)
    except FileExistsError as exc:
        raise UsageError(f"Berkas {exc.args[0]} sudah ada; pakai --timpa untuk menimpanya.") from None
    except carry.CarryError as exc:
        raise UsageError(str(exc)) from None
    return tahun, notes, report


def tree(folder: str | Path, *, hierarchy: Hierarchy | str | Path | None = None,
         image: str | Path | None = None) -> CascadeTree:
    """The pohon kinerja of one satker; with ``image`` also drawn as .png or .svg."""
    h = hierarchy if isinstance(hierarchy, Hierarchy) else load_hierarchy(hierarchy)
    [one] = satker_folders([folder])[:1] or [Path(folder)]
    kset, _ = load_set(one, hierarchy=h)
    result = cascade_tree(kset, h, Report.of(check_set(kset, h)))
    if image is not None:
        image = Path(image)
        if image.suffix.lower() not in (".png", ".svg"):
            raise UsageError(f"Gambar harus berakhiran .png atau .svg: {image}")
        from .render.charts import pohon_kinerja

        OutputPlan([one, *[p for p in [hierarchy_file(hierarchy)] if p]]).claim(image)
        pohon_kinerja(kset, h, image, flagged=result.flagged())
    return result


@dataclass(frozen=True)
class BuildResult:
    """What ``build`` did: the findings, and the documents written (none when errors stopped it)."""

    report: Report
    written: tuple[Path, ...] = ()
    removed: tuple[Path, ...] = ()  # PDFs of an earlier build that no longer match their .docx
    toc_unnumbered: bool = False  # the LAKIP's Daftar Isi has no page numbers (no LibreOffice to lay it out)

    @property
    def blocked(self) -> bool:
        return not self.written and not self.report.valid


def build(folder: str | Path, out: str | Path, *, pdf: bool = False, force: bool = False,
          templates_dir: str | Path | None = None, narasi: str | Path | None = None,
          hierarchy: Hierarchy | str | Path | None = None, rupiah_space: bool = False,
          toc_pages: bool = True, rules: CapaianRules | str | Path | None = None,
          triwulan: int | None = None, target_triwulan: bool = False) -> BuildResult:
    """Validate and check one satker folder, then write every Word document (and PDF on request).

    With errors nothing is written, unless ``force``; warnings never block. ``toc_pages``: see
    :func:`~kinerja_xl.render.build.render_set` (the add-in leaves the Daftar Isi's pages to Word).
    ``rules``: the capaian rules (category scale, text-target scores) or their TOML file
    (``--skala FILE``), the same that :func:`rollup` takes; None: the folder's ``skala.toml``, else
    the defaults (:func:`kinerja_xl.checks.capaian.rules_for`). ``triwulan`` (1..4, or "I".."IV"): the
    Laporan Capaian Kinerja of that quarter instead of the year's documents (:mod:`kinerja_xl.render.triwulan`).
    ``target_triwulan``: every PK's Lampiran also prints its Rencana Aksi (target per quarter, budget plan per
    quarter), where the workbook has one.
    """
    if triwulan is not None:  # a wrong quarter is refused before any reading
        from .render.triwulan import parse_triwulan

        triwulan = parse_triwulan(triwulan)
    h = hierarchy if isinstance(hierarchy, Hierarchy) else load_hierarchy(hierarchy)
    scale_file = None if rules is None or isinstance(rules, CapaianRules) else Path(rules)
    folders = satker_folders([folder])
    if len(folders) != 1:
        raise UsageError(f"Perintah build memerlukan folder satu satker; {folder} berisi {len(folders)} satker.")
    rules = rules_for(folders[0], rules)
    kset, found = load_set(folders[0], hierarchy=h)
    report = found.merge(Report.of(check_set(kset, h)))
    if is_fatal(report) or (not report.valid and not force):
        return BuildResult(report)
    if narasi is not None and not Path(narasi).is_file():
        raise UsageError(f"Berkas narasi tidak ditemukan: {narasi}")
    if templates_dir is not None and not Path(templates_dir).is_dir():
        raise UsageError(f"Folder template tidak ditemukan: {templates_dir}")
    from .render.build import render_set
    from .render.context import RenderOptions
    from .render.lakip import NarasiProblem

    plan = OutputPlan([folders[0], *[Path(p) for p in (narasi, templates_dir, hierarchy_file(hierarchy), scale_file)
                                     if p]])
    try:
        written = render_set(kset, h, Path(out), templates_dir=Path(templates_dir) if templates_dir else None,
                             pdf=pdf, narasi_file=Path(narasi) if narasi else None,
                             flagged=cascade_tree(kset, h, report).flagged(),
                             options=RenderOptions(rules=rules, rupiah_space=rupiah_space, draf=not report.valid,
                                                   target_triwulan=target_triwulan),
                             plan=plan,
                             toc_pages=toc_pages, triwulan=triwulan)
    except NarasiProblem as exc:  # Word-template and PDF problems are findings (Problem): they go up as such
        raise UsageError(str(exc)) from None
    from .render.build import LAKIP_NAME
    from .render.toc import missing_pages

    lakip = next((p for p in written if p.name == LAKIP_NAME), None)
    unnumbered = toc_pages and lakip is not None and missing_pages(lakip)
    return BuildResult(report, tuple(written), () if pdf else _remove_stale_pdfs(written), unnumbered)


def _remove_stale_pdfs(written: Iterable[Path]) -> tuple[Path, ...]:
    """A build without --pdf replaces each .docx; the PDF an earlier build made of it beside it would
    now show other figures than the document of the same name, so it is removed (and said)."""
    removed = []
    for doc in written:
        old = doc.with_suffix(".pdf")
        if doc.suffix == ".docx" and old.is_file():
            old.unlink()
            removed.append(old)
    return tuple(removed)
