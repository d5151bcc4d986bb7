"""A satker's set of workbooks as found in its folder: which files are workbooks, where the satker
folders are, and :func:`load_set`, which reads and validates each workbook of one folder.

The stage between reading and the cascade check; the facade (:mod:`kinerja_xl.api`) re-exports it, and
the roll-up (an output) uses it without reaching up to the facade.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

from .workbook import check_document
from ..findings.codes import FATAL
from ..errors import UsageError
from ..findings.issues import Issue, Report, make
from ..levels import Hierarchy, bundled, load_hierarchy
from .. import spec
from ..model import CellRef, KinerjaSet, Kind, PerjanjianKinerja, Realisasi, RencanaKinerjaTahunan, Renstra
from ..reading.parse import fold
from ..reading.read import ReadResult, read_file, read_grid
from ..reading.source import WorkbookGrid

# .xls, .xlsb and .ods are read only to say clearly that they must be saved as .xlsx; they still count
# as the workbook being present (no "workbook-missing" for an official whose PK was saved as .ods).
WORKBOOK_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
LOCK_REASON = "berkas kunci Excel/LibreOffice (~$ atau .~lock), bukan buku kerja"


def is_lock_file(path: Path) -> bool:
    """Excel's ``~$name.xlsx`` and LibreOffice's ``.~lock.name.xlsx#`` beside an open workbook."""
    return path.name.startswith(("~$", ".~lock."))


def is_workbook_file(path: Path) -> bool:
    """A file a folder search reads as a workbook (a folder named ``x.xlsx`` or a lock file is not)."""
    return path.suffix.lower() in WORKBOOK_SUFFIXES and not is_lock_file(path) and path.is_file()


@dataclass(frozen=True)
class Collected:
    """Workbook files found under the given paths, and the files skipped (as info findings)."""

    files: tuple[Path, ...]
    skipped: tuple[Issue, ...]


def collect(paths: Iterable[str | Path]) -> Collected:
    """Expand files and folders into workbook files; lock files and other files are skipped, said so."""
    files: list[Path] = []
    skipped: list[Issue] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise UsageError(f"Path tidak ditemukan: {path}")
        if path.is_file():
            if is_lock_file(path):
                skipped.append(make("file-skipped", CellRef(str(path)), value=path.name, reason=LOCK_REASON))
            else:
                files.append(path)  # named explicitly: read it whatever its extension, and say what it is
            continue
        for child in sorted(path.iterdir()):
            if child.is_dir() or (child.name.startswith(".") and not is_lock_file(child)):
                continue
            if is_workbook_file(child):
                files.append(child)
                continue
            reason = LOCK_REASON if is_lock_file(child) else "bukan buku kerja .xlsx"
            skipped.append(make("file-skipped", CellRef(str(child)), value=child.name, reason=reason))
    return Collected(tuple(dict.fromkeys(files)), tuple(skipped))


def _validated(result: ReadResult, hierarchy: Hierarchy) -> list[Issue]:
    issues = list(result.issues)
    if result.document is not None:
        # A cell the reader could not read is reported once, by the reader: a NIP stored as a number
        # is "nip-as-number", not also "nip-missing"; a realisasi TW I of "1e309" is "number-out-of-range",
        # and TW II is not also "tw-realisasi-gap" for the quarter before it (the finding's other cell).
        unreadable = {i.location for i in result.issues if i.location.cell}
        issues += [i for i in check_document(result.document, hierarchy)
                   if i.location not in unreadable and i.related not in unreadable]
    return issues


def load_set(folder: str | Path, *, hierarchy: Hierarchy | str | Path | None = None,
             live: Mapping[str | Path, WorkbookGrid] | None = None) -> tuple[KinerjaSet, Report]:
    """Read one satker folder into a :class:`KinerjaSet`, with the per-workbook findings.

    ``live``: grids that stand for some of the folder's files (by path), such as the books open in
    Excel with their unsaved edits; name each grid as the file is named in findings (``str(path)``).
    """
    h = hierarchy if isinstance(hierarchy, Hierarchy) else load_hierarchy(hierarchy)
    found = collect([folder])
    issues: list[Issue] = list(found.skipped)
    pks: list[PerjanjianKinerja] = []
    rkt: list[RencanaKinerjaTahunan] = []
    real: list[Realisasi] = []
    renstra: list[Renstra] = []
    by_path = {same_file_key(p): g for p, g in (live or {}).items()}
    for f in found.files:
        grid = by_path.get(same_file_key(f)) if by_path else None  # no path arithmetic on a roll-up
        result = read_file(f, hierarchy=h) if grid is None else read_grid(grid, hierarchy=h)
        issues += _validated(result, h)
        doc = result.document
        if isinstance(doc, PerjanjianKinerja):
            pks.append(doc)
        elif isinstance(doc, RencanaKinerjaTahunan):
            rkt.append(doc)
        elif isinstance(doc, Realisasi):
            real.append(doc)
        elif isinstance(doc, Renstra):
            renstra.append(doc)
    for kind, docs in ((Kind.RKT, rkt), (Kind.REALISASI, real), (Kind.RENSTRA, renstra)):
        label = spec.SPECS[kind].title.title()  # the template's own title: "Rencana Kinerja Tahunan", ...
        for extra in docs[1:]:  # the first one is used; a second is never silently ignored
            issues.append(make("workbook-duplicate", CellRef(extra.source), CellRef(docs[0].source), level=label,
                               unit="", file=extra.source, other=docs[0].source))
    # A workbook kinerja_xl could not open may be one of the set; one it opened and knows not to be a
    # template (a report written into the folder) is not.
    unreadable = tuple(sorted({i.location.file for i in issues if i.code in FATAL and i.code != "template-unknown"}))
    in_force, superseded = split_revisions(pks)
    kset = KinerjaSet(str(folder), in_force, rkt[0] if rkt else None, real[0] if real else None, unreadable,
                      renstra=renstra[0] if renstra else None, superseded=superseded)
    return kset, Report.of(issues, [str(f) for f in found.files])


def split_revisions(pks: Iterable[PerjanjianKinerja]) -> tuple[tuple[PerjanjianKinerja, ...], tuple[PerjanjianKinerja, ...]]:
    """The PKs in force and the ones a later revision (PK Perubahan) of the same post replaced.

    A post is a level and unit; its PK with the highest "Revisi ke" is in force, earlier revisions are
    superseded. Two PKs of one post with the same revision number both stay in force, so the cascade
    check reports them as a duplicate instead of choosing one silently.
    """
    posts: dict[tuple[str, str], list[PerjanjianKinerja]] = {}
    for pk in pks:
        posts.setdefault((pk.level, fold(pk.unit)), []).append(pk)
    in_force: list[PerjanjianKinerja] = []
    superseded: list[PerjanjianKinerja] = []
    for versions in posts.values():
        top = max(v.revisi for v in versions)
        in_force += [v for v in versions if v.revisi == top]
        superseded += sorted((v for v in versions if v.revisi != top), key=lambda v: v.revisi)
    order = {id(pk): i for i, pk in enumerate(pks)}  # the folder's order, as before
    return (tuple(sorted(in_force, key=lambda p: order[id(p)])), tuple(sorted(superseded, key=lambda p: order[id(p)])))


HIERARCHY_FILE = "hirarki.toml"


def find_hierarchy(folder: str | Path | None, made_for: str = "") -> Hierarchy:
    """The hierarchy for a satker folder when none is given: the folder's ``hirarki.toml``; else the
    bundled hierarchy the workbook was made for (its marker's ``hirarki``); else the default.
    The Excel add-in, which has no command line, chooses so."""
    if folder is not None and (Path(folder) / HIERARCHY_FILE).is_file():
        return load_hierarchy(Path(folder) / HIERARCHY_FILE)
    if made_for and made_for in bundled():
        return load_hierarchy(made_for)
    return load_hierarchy()


def hierarchy_file(hierarchy: Hierarchy | str | Path | None) -> Path | None:
    """The hierarchy file a command reads, when it was named as a file (an input never to be written)."""
    if isinstance(hierarchy, (str, Path)) and Path(hierarchy).is_file():
        return Path(hierarchy)
    return None


def satker_folders(paths: Iterable[str | Path]) -> list[Path]:
    """The satker folders under ``paths``: a folder holding workbooks, or each such folder below it
    (a national folder of province folders of satker folders, up to :data:`SATKER_DEPTH` levels down).
    Hidden folders (staging, ``.git``) are not searched."""
    out: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if not path.is_dir():
            raise UsageError(f"Folder tidak ditemukan: {path}" if not path.exists() else
                             f"Perintah ini memerlukan folder satu set buku kerja, bukan berkas: {path}")
        found = _satker_below(path, SATKER_DEPTH)
        if not found:
            raise UsageError(f"Tidak ada buku kerja di folder {path} (berkas kunci ~$ dan folder bernama .xlsx "
                             "tidak dihitung). Periksa path-nya, atau buat template dengan 'kinerja-xl template set'.")
        out.extend(found)
    return out


SATKER_DEPTH = 3


def _satker_below(folder: Path, depth: int) -> list[Path]:
    entries = sorted(folder.iterdir())
    if any(is_workbook_file(p) for p in entries):
        return [folder]
    if depth == 0:
        return []
    return [s for d in entries if d.is_dir() and not d.name.startswith(".") for s in _satker_below(d, depth - 1)]


def same_file_key(path: str | Path) -> str:
    """A key equal for two spellings of one file path (relative or absolute; case on Windows)."""
    return os.path.normcase(os.path.abspath(path))
