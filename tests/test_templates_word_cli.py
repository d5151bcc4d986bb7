"""``kinerja-xl templates check``: the bundled templates pass; a broken one is refused before rendering."""

from __future__ import annotations

from pathlib import Path

import docx
from typer.testing import CliRunner

from kinerja_xl.cli import app
from kinerja_xl.render.docx import DEFAULT_TEMPLATES_DIR

runner = CliRunner()


def test_bundled_templates_pass():
    result = runner.invoke(app, ["templates", "check", str(DEFAULT_TEMPLATES_DIR)])
    assert result.exit_code == 0, result.output
    assert "5 template diperiksa, 0 bermasalah" in result.stdout


def test_missing_and_unknown_placeholders_are_listed(tmp_path: Path):
    doc = docx.Document(DEFAULT_TEMPLATES_DIR / "pk.docx")
    doc.add_paragraph("{{ nama_kantor }} {{ pihak_pertama.nmaa }}")
    bad = tmp_path / "pk.docx"
    doc.save(bad)
    result = runner.invoke(app, ["templates", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert "nama_kantor" in result.stdout and "nmaa" in result.stdout


def test_unknown_kind_and_missing_file_exit_2(tmp_path: Path):
    assert runner.invoke(app, ["templates", "check", str(tmp_path / "tidak_ada.docx")]).exit_code == 2
    other = tmp_path / "kop.docx"
    docx.Document().save(other)
    assert runner.invoke(app, ["templates", "check", str(other)]).exit_code == 2
