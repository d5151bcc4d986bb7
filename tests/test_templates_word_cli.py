"""``kinerja-xl word check``: the bundled templates pass; a broken one is refused before rendering."""

from __future__ import annotations

from pathlib import Path

import docx
from typer.testing import CliRunner

from kinerja_xl.cli import app
from kinerja_xl.render.docx import DEFAULT_TEMPLATES_DIR, TEMPLATE_FILES

runner = CliRunner()


def test_bundled_templates_pass():
    result = runner.invoke(app, ["word", "check", str(DEFAULT_TEMPLATES_DIR)])
    assert result.exit_code == 0, result.output
    assert f"{len(TEMPLATE_FILES)} template, 0 galat" in result.stdout  # every kind, the bundled ones all


def test_missing_and_unknown_placeholders_are_listed(tmp_path: Path):
    doc = docx.Document(DEFAULT_TEMPLATES_DIR / "pk.docx")
    doc.add_paragraph("{{ nama_kantor }} {{ pihak_pertama.nmaa }}")
    bad = tmp_path / "pk.docx"
    doc.save(bad)
    result = runner.invoke(app, ["word", "check", str(tmp_path)])
    assert result.exit_code == 1
    assert "nama_kantor" in result.stdout and "nmaa" in result.stdout
    assert "word-placeholder-unknown" in result.stdout and "word-field-unknown" in result.stdout


def test_unknown_kind_and_missing_file_exit_2(tmp_path: Path):
    assert runner.invoke(app, ["word", "check", str(tmp_path / "tidak_ada.docx")]).exit_code == 2
    other = tmp_path / "kop.docx"
    docx.Document().save(other)
    assert runner.invoke(app, ["word", "check", str(other)]).exit_code == 2


def test_build_rupiah_with_space_and_force(tmp_path: Path):
    """--rupiah-spasi writes "Rp 3.741.209.000"; --force writes despite errors and still exits 1."""
    import shutil

    from conftest import EXAMPLE, edit

    out = tmp_path / "hasil"
    result = runner.invoke(app, ["build", str(EXAMPLE), "-o", str(out), "--rupiah-spasi"])
    assert result.exit_code == 0, result.output
    text = "\n".join(p.text for p in docx.Document(out / "LAKIP.docx").paragraphs)
    assert "Rp 3.741.209.000" in text and "Rp3.741.209.000" not in text
    broken = tmp_path / "rusak"
    shutil.copytree(EXAMPLE, broken, ignore=shutil.ignore_patterns("*.py", "*.md"))
    edit(broken / "PK_07_Sekretaris.xlsx", "Identitas", "B14", "ADE JAHRIAN")
    blocked = runner.invoke(app, ["build", str(broken), "-o", str(tmp_path / "tidak")])
    assert blocked.exit_code == 1 and not (tmp_path / "tidak").exists()
    forced = runner.invoke(app, ["build", str(broken), "-o", str(tmp_path / "paksa"), "--force"])
    assert forced.exit_code == 1 and (tmp_path / "paksa" / "PK_07_Sekretaris.docx").exists()
    assert "pihak-kedua-mismatch" in forced.stdout


def test_rebuild_says_it_replaces_previous_documents(tmp_path: Path):
    from conftest import EXAMPLE

    out = tmp_path / "hasil"
    first = runner.invoke(app, ["build", str(EXAMPLE), "-o", str(out)])
    assert first.exit_code == 0 and "menimpa" not in first.stdout
    again = runner.invoke(app, ["build", str(EXAMPLE), "-o", str(out)])
    # 12 PKs (a PK Perubahan and the PK it replaced), bundle, RKT, Pengukuran, LAKIP, Manual IKU, change list
    assert again.exit_code == 0 and "18 di antaranya menimpa dokumen lama" in again.stdout
