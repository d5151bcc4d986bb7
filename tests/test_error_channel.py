"""Issue 13, items 2 and 4: one error channel and one name per thing.

Every problem a user can meet (a workbook's data, a Word template, the hierarchy file, the PDF conversion)
is an Issue with a registered code, so ``kinerja-xl word check --format json`` reports like ``validate``;
the Word-template command is ``word`` (``templates`` is a hidden old name); help shows no value for flags.
"""

from __future__ import annotations

import json
import pickle
import re
from pathlib import Path

import docx
import pytest
import typer.main
from typer.testing import CliRunner

from kinerja_xl.cli import app
from kinerja_xl.findings.codes import FATAL, REGISTRY
from kinerja_xl.errors import Problem

runner = CliRunner()
ROOT = Path(__file__).resolve().parent.parent


def _pk_template(folder: Path, *lines: str) -> Path:
    from kinerja_xl.render.docx import DEFAULT_TEMPLATES_DIR

    folder.mkdir(parents=True, exist_ok=True)
    doc = docx.Document(DEFAULT_TEMPLATES_DIR / "pk.docx")
    for line in lines:
        doc.add_paragraph(line)
    doc.save(folder / "pk.docx")
    return folder / "pk.docx"


def _with_dtd(path: Path) -> Path:
    """The template with a DTD right after the XML declaration of its document.xml (refused: word-dtd)."""
    import zipfile

    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    xml = members["word/document.xml"]
    end = xml.index(b"?>") + 2
    members["word/document.xml"] = xml[:end] + b'<!DOCTYPE w:document [<!ENTITY x "y">]>' + xml[end:]
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


# --- Word templates --------------------------------------------------------------------------------------

def test_word_check_json_is_a_report_like_validate(tmp_path: Path):
    path = _pk_template(tmp_path / "tpl", "{{ nama_kantor }} {{ pihak_pertama.nmaa }} {{ satker.__class__ }}")
    result = runner.invoke(app, ["word", "check", str(tmp_path / "tpl"), "--format", "json"])
    assert result.exit_code == 1, result.output
    report = json.loads(result.stdout)
    assert set(report) == {"valid", "summary", "files", "issues"} and report["valid"] is False
    assert report["files"] == [str(path)]
    assert report["summary"] == {"files": 1, "errors": 3, "warnings": 0, "info": 0}
    codes = {i["code"] for i in report["issues"]}
    assert codes == {"word-placeholder-unknown", "word-field-unknown", "word-internal-attribute"}
    for issue in report["issues"]:
        assert issue["code"] in REGISTRY and issue["location"]["file"] == str(path)
        assert issue["message"].startswith("pk.docx: ")


def test_word_check_json_of_the_bundled_templates_is_valid():
    from kinerja_xl.render.docx import DEFAULT_TEMPLATES_DIR, KINDS

    result = runner.invoke(app, ["word", "check", str(DEFAULT_TEMPLATES_DIR), "-f", "json"])
    assert result.exit_code == 0, result.output
    report = json.loads(result.stdout)
    assert len(KINDS) >= 7  # pk, pk_bundle, rkt, pengukuran, lakip, manual_iku, daftar_perubahan ...
    assert report["valid"] is True and report["issues"] == [] and len(report["files"]) == len(KINDS)


def test_word_check_usage_errors_exit_2(tmp_path: Path):
    missing = runner.invoke(app, ["word", "check", str(tmp_path / "tidak_ada"), "-f", "json"])
    assert missing.exit_code == 2 and "Template tidak ditemukan" in missing.output


def test_a_refused_package_names_its_part(tmp_path: Path):
    """What the package check refuses is a finding of the template's part (the report's 'sheet')."""
    from kinerja_xl.render.docx import check_templates

    path = _pk_template(tmp_path / "tpl", "{{ satker }}")
    _with_dtd(path)
    report = check_templates(path)
    assert report.flat() == [("pk.docx", "word/document.xml", "", "word-dtd")]
    assert "bagian word/document.xml memuat DTD" in report.issues[0].message


def test_a_render_limit_is_a_coded_template_problem(monkeypatch, tmp_path: Path):
    from kinerja_xl.render import limits
    from kinerja_xl.render.docx import TemplateProblem, render
    from kinerja_xl.render.sample import sample_context

    monkeypatch.setattr(limits, "MAX_STEPS", 1000)
    path = _pk_template(tmp_path / "tpl", "{% for i in range(100000) %}{% endfor %}")
    with pytest.raises(TemplateProblem) as caught:
        render(path, sample_context("pk"))
    assert caught.value.code == "word-limit" and caught.value.file == str(path)
    assert "Template pk.docx dihentikan: template menjalankan lebih dari 1.000 langkah" in str(caught.value)


def test_template_problems_are_findings_not_fatal():
    """``word check`` judges a template as ``validate`` judges a workbook: exit 1, not 2."""
    assert not {code for code in REGISTRY if code.startswith("word-")} & FATAL


# --- the hierarchy file ------------------------------------------------------------------------------------

_LEVEL = '[[tingkat]]\nid = "{id}"\nnama = "{id}"\ninduk = "{induk}"\n'
HIERARCHIES = {
    "hierarchy-file-invalid": "id = \n",
    "hierarchy-file-incomplete": 'id = "x"\n',
    "hierarchy-level-duplicate": _LEVEL.format(id="a", induk="") + _LEVEL.format(id="a", induk=""),
    "hierarchy-top-not-one": _LEVEL.format(id="a", induk="") + _LEVEL.format(id="b", induk=""),
    "hierarchy-parent-unknown": _LEVEL.format(id="a", induk="") + _LEVEL.format(id="b", induk="z"),
    "hierarchy-unit-parent-unknown": _LEVEL.format(id="a", induk="") + 'unit = ["U"]\n'
                                     + _LEVEL.format(id="b", induk="a") + 'unit = [{nama = "V", induk = "W"}]\n',
    "hierarchy-cycle": _LEVEL.format(id="t", induk="") + _LEVEL.format(id="a", induk="b")
                       + _LEVEL.format(id="b", induk="a"),
}


@pytest.mark.parametrize("code", sorted(HIERARCHIES))
def test_every_hierarchy_problem_has_its_code(code: str, tmp_path: Path):
    from kinerja_xl.levels import HierarchyError, load_hierarchy

    path = tmp_path / "hirarki.toml"
    path.write_text(HIERARCHIES[code], encoding="utf-8")
    with pytest.raises(HierarchyError) as caught:
        load_hierarchy(path)
    assert caught.value.code == code and caught.value.issue.location.file == str(path.resolve())
    assert str(caught.value).startswith("Berkas hierarki ")
    assert code in FATAL


def test_missing_hierarchy_file(tmp_path: Path):
    from kinerja_xl.levels import HierarchyError, load_hierarchy

    with pytest.raises(HierarchyError, match="Berkas hierarki tidak ditemukan") as caught:
        load_hierarchy(tmp_path / "tidak_ada.toml")
    assert caught.value.code == "hierarchy-file-missing"


def test_a_bad_hierarchy_file_is_a_json_report_with_exit_2(tmp_path: Path):
    from conftest import EXAMPLE

    bad = tmp_path / "hirarki.toml"
    bad.write_text(HIERARCHIES["hierarchy-top-not-one"], encoding="utf-8")
    result = runner.invoke(app, ["validate", str(EXAMPLE), "--hirarki", str(bad), "--format", "json"])
    assert result.exit_code == 2
    report = json.loads(result.stdout)
    assert [i["code"] for i in report["issues"]] == ["hierarchy-top-not-one"] and report["valid"] is False
    text = runner.invoke(app, ["validate", str(EXAMPLE), "--hirarki", str(bad)])
    assert text.exit_code == 2 and "harus ada tepat satu tingkat tanpa induk" in " ".join(text.output.split())


# --- the PDF conversion ------------------------------------------------------------------------------------

def _fake_soffice(tmp_path: Path, body: str) -> str:
    script = tmp_path / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(0o755)
    return str(script)


def test_pdf_problems_have_codes(monkeypatch, tmp_path: Path):
    from kinerja_xl.render import pdf

    doc = tmp_path / "a.docx"
    docx.Document().save(doc)
    monkeypatch.setattr(pdf, "find_soffice", lambda: None)
    with pytest.raises(pdf.PdfUnavailable, match="LibreOffice tidak ditemukan") as caught:
        pdf.to_pdf([doc], tmp_path / "keluar")
    assert caught.value.code == "pdf-unavailable"

    monkeypatch.setattr(pdf, "find_soffice", lambda: _fake_soffice(tmp_path, "echo gagal total >&2\nexit 3"))
    with pytest.raises(pdf.PdfFailed) as caught:
        pdf.to_pdf([doc], tmp_path / "keluar")
    assert caught.value.code == "pdf-failed"
    assert str(caught.value) == "LibreOffice tidak menghasilkan a.pdf (kode 3). gagal total"

    monkeypatch.setattr(pdf, "find_soffice", lambda: _fake_soffice(tmp_path, "sleep 30"))
    with pytest.raises(pdf.PdfFailed, match="tidak selesai dalam 1 detik") as caught:
        pdf.to_pdf([doc], tmp_path / "keluar", timeout=1)
    assert caught.value.code == "pdf-timeout"

    other = tmp_path / "lain"
    other.mkdir()
    docx.Document().save(other / "a.docx")
    with pytest.raises(ValueError, match="Nama berkas ganda") as caught:
        pdf.to_pdf([doc, other / "a.docx"], tmp_path / "keluar")
    assert caught.value.code == "pdf-name-duplicate" and "(a)" in str(caught.value)
    assert {"pdf-unavailable", "pdf-failed", "pdf-timeout", "pdf-name-duplicate"} <= FATAL


# --- the exceptions themselves -----------------------------------------------------------------------------

def test_every_problem_class_is_a_registered_finding(tmp_path: Path):
    from kinerja_xl.levels import HierarchyError
    from kinerja_xl.render.docx import TemplateProblem
    from kinerja_xl.render.package import PackageProblem
    from kinerja_xl.render.pdf import PdfFailed, PdfNameClash, PdfUnavailable

    made = [TemplateProblem("word-not-docx", file=tmp_path / "pk.docx", name="pk.docx", reason="rusak"),
            PackageProblem("word-dtd", file="pk.docx", sheet="word/styles.xml", name="pk.docx",
                           part="word/styles.xml"),
            HierarchyError("hierarchy-cycle", file="h.toml", level="a"),
            PdfFailed("pdf-timeout", file="hasil", seconds="5"), PdfUnavailable("pdf-unavailable"),
            PdfNameClash("pdf-name-duplicate", names="a")]
    for exc in made:
        assert isinstance(exc, Problem) and exc.code in REGISTRY
        assert str(exc) == exc.issue.message and exc.issue.code == exc.code
        again = pickle.loads(pickle.dumps(exc))  # raised in a worker, shown by the parent
        assert type(again) is type(exc) and str(again) == str(exc) and again.issue == exc.issue
    assert made[1].issue.location.sheet == "word/styles.xml"
    assert isinstance(made[0], ValueError) and isinstance(made[3], RuntimeError)  # what callers caught before


def test_problem_without_its_parameters_is_refused_under_the_suite():
    from kinerja_xl.findings.issues import MissingParameter
    from kinerja_xl.levels import HierarchyError

    with pytest.raises(MissingParameter, match="level"):
        str(HierarchyError("hierarchy-cycle", file="h.toml"))


# --- item 4: names -----------------------------------------------------------------------------------------

def test_templates_is_a_hidden_old_name_that_points_to_word():
    from kinerja_xl.render.docx import DEFAULT_TEMPLATES_DIR

    result = runner.invoke(app, ["templates", "check", str(DEFAULT_TEMPLATES_DIR / "pk.docx"), "-f", "json"])
    assert result.exit_code == 0
    assert json.loads(result.stdout)["valid"] is True  # the note goes to stderr: the JSON stays clean
    assert "kinerja-xl word" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    listing = runner.invoke(app, ["--help"]).output
    assert re.search(r"│ word\s", listing) and not re.search(r"│ templates\s", listing)


def _commands(group, prefix: str = ""):
    for name, cmd in group.commands.items():
        if hasattr(cmd, "commands"):
            yield f"{prefix}{name}", cmd
            yield from _commands(cmd, f"{prefix}{name} ")
        else:
            yield f"{prefix}{name}", cmd


def test_help_shows_no_value_for_flags():
    root = typer.main.get_command(app)
    for name in ["", *(n for n, _ in _commands(root))]:
        output = runner.invoke(app, [*name.split(), "--help"], env={"COLUMNS": "200"}).output
        assert "<bool>" not in output, name
    build = runner.invoke(app, ["build", "--help"], env={"COLUMNS": "200"}).output
    assert re.search(r"--output\s+-o\s+<path>", build)  # an option with a value still shows its type


# ``template new`` still shows --level and --tingkat (kinerja_xl/cli/template.py, another owner's file).
_KNOWN_DOUBLE_NAMES: set[tuple[str, str]] = set()


def test_each_option_has_one_name():
    """One spelling per option: an option is English (--format, --output, --force) or Indonesian (--tahun,
    --hirarki, --laporan), never both; an old spelling kept for compatibility is hidden."""
    root = typer.main.get_command(app)
    for name, cmd in [("", root), *_commands(root)]:
        for param in cmd.params:
            if getattr(param, "hidden", False) or (name, param.name) in _KNOWN_DOUBLE_NAMES:
                continue
            long_names = [o for o in [*param.opts, *param.secondary_opts] if o.startswith("--")]
            assert len(long_names) <= 1, (name, long_names)
    assert runner.invoke(app, ["--versi"]).exit_code == 0  # the old spelling, hidden, still answers
    assert "--tingkat" not in runner.invoke(app, ["template", "new", "--help"]).output


def test_readme_code_table_is_the_registry():
    from kinerja_xl.findings.codes import markdown_table

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert markdown_table() in readme


def test_build_with_a_refused_template_reports_its_code_as_json(tmp_path: Path):
    """build passes a Word-template problem on as the finding it is (it was a UsageError without code)."""
    import shutil

    from conftest import EXAMPLE

    satker = tmp_path / "satker"
    shutil.copytree(EXAMPLE, satker, ignore=shutil.ignore_patterns("*.py", "*.md"))
    path = _pk_template(tmp_path / "tpl", "{{ satker }}")
    _with_dtd(path)
    result = runner.invoke(app, ["build", str(satker), "-o", str(tmp_path / "hasil"), "--template",
                                 str(tmp_path / "tpl"), "--format", "json"])
    assert result.exit_code == 2, result.output
    report = json.loads(result.stdout)
    assert [(i["code"], i["location"]["sheet"]) for i in report["issues"]] == [("word-dtd", "word/document.xml")]
    assert not (tmp_path / "hasil").exists()


def test_the_old_tingkat_spelling_still_makes_a_template(tmp_path: Path):
    out = tmp_path / "pk.xlsx"
    result = runner.invoke(app, ["template", "new", "--tingkat", "ketua", "--satker", "KPU Kota Serang",
                                 "--tahun", "2022", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file()
