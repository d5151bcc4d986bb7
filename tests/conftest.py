"""Shared fixtures: a fresh copy of the bundled example, cell edits, and the office-suite rule."""

from __future__ import annotations

import hashlib
import os
import shutil
from pathlib import Path
from typing import Any

import openpyxl
import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "workbooks"
IN_CI = os.environ.get("CI", "").lower() == "true"
# Every finding made by the suite (and by the commands it runs in child processes) must be given each
# parameter its message needs: kinerja_xl.findings.issues.make raises otherwise (issue 12: no "(?)" in a message).
os.environ["KINERJA_XL_STRICT"] = "1"


@pytest.fixture
def example(tmp_path: Path) -> Path:
    """A copy of the bundled example workbooks (only the .xlsx files)."""
    target = tmp_path / "contoh"
    target.mkdir()
    for f in EXAMPLE.glob("*.xlsx"):
        shutil.copy2(f, target / f.name)
    return target


def edit(path: Path, sheet: str, cell: str, value: Any, *, number_format: str | None = None) -> None:
    """Change one cell of a workbook copy, as a user would in Excel (openpyxl keeps everything else)."""
    wb = openpyxl.load_workbook(path)
    wb[sheet][cell] = value
    if number_format:
        wb[sheet][cell].number_format = number_format
    wb.save(path)


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def soffice() -> str:
    """The LibreOffice binary: a missing one skips locally and fails in CI, where .ci/run installs it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if found:
        return found
    if IN_CI:
        pytest.fail("LibreOffice (soffice) tidak terpasang di CI; .ci/run harus memasangnya.")
    pytest.skip("LibreOffice (soffice) tidak terpasang; tes ini wajib berjalan di CI.")


def docx_template(path: Path, *lines: str) -> Path:
    """A Word template with one paragraph per line (for template safety and preflight tests)."""
    from docx import Document

    doc = Document()
    for line in lines:
        doc.add_paragraph(line)
    doc.save(str(path))
    return path


@pytest.fixture(scope="session")
def bad_corpus(tmp_path_factory) -> tuple[Path, dict]:
    """The corpus of bad inputs (tests/corpus/make_corpus.py), made once per session for every test
    that needs it: (folder, {file name: Case})."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent / "corpus"))
    from make_corpus import make

    folder = tmp_path_factory.mktemp("korpus")
    return folder, {c.name: c for c in make(folder)}
