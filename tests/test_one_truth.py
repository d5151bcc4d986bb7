"""One truth per rule (issue 13.1): each rule is written once and every output agrees with it.

- capaian and its category come from ``capaian.ukur`` under one ``CapaianRules``: with a custom
  category scale, the Pengukuran, the LAKIP and the roll-up, read back from the files they write,
  give every indicator of the bundled example the same capaian and the same category;
- sheet names come only from ``spec``: the reader and the cascade check hold no literal of one.
"""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path

import docx
import openpyxl
import pytest
from typer.testing import CliRunner

from kinerja_xl import spec
from kinerja_xl.cli import app

PACKAGE = Path(__file__).resolve().parent.parent / "kinerja_xl"

# Bands that cut through the example's capaian (94,44% to 107,43%), with none of the default labels.
SKALA = '[kategori]\n"Istimewa" = 100\n"Memadai" = 95\n"Perlu Perhatian" = 80\n"Buruk" = 0\n'
BANDS = ((100, "Istimewa"), (95, "Memadai"), (80, "Perlu Perhatian"), (0, "Buruk"))
DEFAULT_LABELS = {"Sangat Baik", "Baik", "Cukup", "Kurang", "Sangat Kurang"}


def band(points: float) -> str:
    """The category by the test's own reading of the bands (not the package's)."""
    return next((label for lower, label in BANDS if points >= lower), BANDS[-1][1])


def persen(text: str) -> float:
    """ "102,22%" -> 102.22."""
    return float(text.strip().rstrip("%").replace(".", "").replace(",", "."))


def indicator_table(document: docx.Document) -> dict[str, tuple[float, str]]:
    """The Pengukuran table (INDIKATOR KINERJA ... CAPAIAN (%), KATEGORI): name -> (capaian, category)."""
    for table in document.tables:
        head = [c.text.strip() for c in table.rows[0].cells]
        if "INDIKATOR KINERJA" in head and "KATEGORI" in head:
            name, cap, cat = head.index("INDIKATOR KINERJA"), head.index("CAPAIAN (%)"), head.index("KATEGORI")
            rows = [[c.text.strip() for c in r.cells] for r in table.rows[2:]]
            return {r[name]: (persen(r[cap]), r[cat]) for r in rows if r[name]}
    raise AssertionError("no Pengukuran table in the document")


@pytest.fixture(scope="module")
def outputs(tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("one_truth")
    folder = root / "contoh"
    folder.mkdir()
    for f in (PACKAGE.parent / "workbooks").glob("*.xlsx"):
        shutil.copy2(f, folder / f.name)
    skala = root / "skala.toml"
    skala.write_text(SKALA, encoding="utf-8")
    runner = CliRunner()
    built = runner.invoke(app, ["build", str(folder), "-o", str(root / "dokumen"), "--skala", str(skala)])
    assert built.exit_code == 0, built.output
    rolled = runner.invoke(app, ["rollup", str(folder), "-o", str(root / "rekap.xlsx"), "--skala", str(skala),
                                 "--workers", "1"])
    assert rolled.exit_code == 0, rolled.output
    return {"dokumen": root / "dokumen", "rekap": root / "rekap.xlsx"}


def test_custom_scale_one_category_per_indicator(outputs):
    sheet = openpyxl.load_workbook(outputs["rekap"])["Capaian"]
    head = [c.value for c in sheet[1]]
    name, cap, cat = head.index("Indikator"), head.index("Capaian"), head.index("Kategori")
    rekap = {r[name]: (round(r[cap] * 100, 2), r[cat]) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert len(rekap) == 8

    pengukuran = indicator_table(docx.Document(outputs["dokumen"] / "Pengukuran.docx"))
    lakip_doc = docx.Document(outputs["dokumen"] / "LAKIP.docx")
    lakip = indicator_table(lakip_doc)
    assert pengukuran == lakip == rekap

    # the scale is the custom one, applied as the test reads the bands; both sides of a cut are present
    assert {c for _, c in rekap.values()} == {"Istimewa", "Perlu Perhatian"}
    for value, category in rekap.values():
        assert category == band(value)

    # Bab III: one table and one sentence per indicator, in the roll-up's order, with the same category
    analysis = [t for t in lakip_doc.tables if [c.text.strip() for c in t.rows[0].cells][:4]
                == ["TARGET", "REALISASI", "CAPAIAN", "KATEGORI"]]
    assert [(persen(t.rows[1].cells[2].text), t.rows[1].cells[3].text.strip()) for t in analysis] \
        == list(rekap.values())
    sentences = [m.groups() for p in lakip_doc.paragraphs
                 for m in [re.search(r"capaian kinerjanya ([\d.,]+%) \(kategori ([^)]+)\)", p.text)] if m]
    assert [(persen(v), c) for v, c in sentences] == list(rekap.values())
    text = "\n".join(p.text for p in lakip_doc.paragraphs)
    assert not any(f"(kategori {label})" in text for label in DEFAULT_LABELS)


def test_folder_scale_file_is_the_one_the_add_in_build_and_rollup_use(tmp_path, example):
    """Without --skala, the satker folder's skala.toml: the Excel button (no command line), build and
    rollup of that folder give one category per indicator. xlwings' remote engine as in
    tests/test_addin_entries.py (its ``xw`` fixture, inlined)."""
    from test_addin_entries import PK07, excel_lock_file, open_book

    import kinerja_xl.addin as addin
    import xlwings

    (example / "skala.toml").write_text(SKALA, encoding="utf-8")
    monkey = pytest.MonkeyPatch()
    try:
        monkey.setenv("XLWINGS_LICENSE_KEY", "noncommercial")
        if "remote" not in xlwings.engines.engines_by_name:
            from xlwings.pro import _xlremote

            monkey.setitem(xlwings.engines.engines_by_name, "remote", xlwings.Engine(impl=_xlremote.engine))
        excel_lock_file(example, PK07)
        book = open_book(xlwings, example / PK07, fullname=str(example / PK07))
        addin.run("buat_dokumen", book)
    finally:
        monkey.undo()
    button = indicator_table(docx.Document(example / "dokumen" / "Pengukuran.docx"))

    runner = CliRunner()
    built = runner.invoke(app, ["build", str(example), "-o", str(tmp_path / "cli")])
    assert built.exit_code == 0, built.output
    rolled = runner.invoke(app, ["rollup", str(example), "-o", str(tmp_path / "rekap.xlsx"), "--workers", "1"])
    assert rolled.exit_code == 0, rolled.output
    sheet = openpyxl.load_workbook(tmp_path / "rekap.xlsx")["Capaian"]
    rekap = {r[3]: (round(r[7] * 100, 2), r[8]) for r in sheet.iter_rows(min_row=2, values_only=True)}
    assert button == indicator_table(docx.Document(tmp_path / "cli" / "LAKIP.docx")) == rekap
    assert {c for _, c in rekap.values()} == {"Istimewa", "Perlu Perhatian"}


def test_bad_scale_file_is_refused_before_any_output(tmp_path, example):
    skala = tmp_path / "skala.toml"
    skala.write_text('[kategori]\n"Baik" = 50\n"Sangat Baik" = 90\n"Kurang" = 0\n', encoding="utf-8")
    runner = CliRunner()
    for args in (["build", str(example), "-o", str(tmp_path / "dokumen")],
                 ["rollup", str(example), "-o", str(tmp_path / "rekap.xlsx")]):
        result = runner.invoke(app, [*args, "--skala", str(skala)])
        assert result.exit_code == 2, result.output
        assert "urut" in result.output
    assert not (tmp_path / "dokumen").exists() and not (tmp_path / "rekap.xlsx").exists()
    shutil.copy2(skala, example / "skala.toml")  # the folder's own file: refused the same way
    for args in (["build", str(example), "-o", str(tmp_path / "dokumen")],
                 ["rollup", str(example), "-o", str(tmp_path / "rekap.xlsx")]):
        result = runner.invoke(app, args)
        assert result.exit_code == 2 and "skala.toml" in result.output, result.output
    assert not (tmp_path / "dokumen").exists() and not (tmp_path / "rekap.xlsx").exists()


def test_capaian_is_computed_only_by_capaian_ukur():
    """No module but capaian.py calls the formula (``hitung``) or a scale's ``category`` directly."""
    offenders = []
    for path in PACKAGE.rglob("*.py"):
        if path.name == "capaian.py" and path.parent == PACKAGE / "checks":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                f = node.func
                called = f.attr if isinstance(f, ast.Attribute) else f.id if isinstance(f, ast.Name) else ""
                owner = f.value if isinstance(f, ast.Attribute) else None
                scale_category = (called == "category" and isinstance(owner, ast.Attribute)
                                  and owner.attr == "scale")
                if called == "hitung" or scale_category:
                    offenders.append(f"{path.relative_to(PACKAGE)}:{node.lineno}")
    assert offenders == []


# --- sheet names and headers only from spec ----------------------------------------------------------------------

def spec_sheet_names() -> set[str]:
    names = {spec.MARKER_SHEET, spec.PETUNJUK}
    for workbook in spec.SPECS.values():
        names |= set(workbook.sheet_names)
    return names


def spec_labels() -> set[str]:
    """Every header, alias, form label and title that spec declares."""
    labels: set[str] = set()
    for workbook in spec.SPECS.values():
        labels |= {workbook.title, workbook.form.title}
        labels |= {f.label for f in workbook.form.fields} | {s.label for s in workbook.form.sections}
        for table in workbook.tables:
            labels.add(table.title)
            for column in table.columns:
                labels |= {column.header, *column.aliases}
    return labels


def literals(path: Path) -> list[tuple[int, str]]:
    return [(node.lineno, node.value) for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
            if isinstance(node, ast.Constant) and isinstance(node.value, str)]


READERS = ("reading/read.py", *(f"checks/{p.name}" for p in sorted((PACKAGE / "checks").glob("*.py"))
                                 if p.name not in ("capaian.py", "sets.py")))


@pytest.mark.parametrize("module", READERS)
def test_no_sheet_name_or_header_literal_outside_spec(module):
    """The reader and the checks name a sheet or a column only through spec (a rename there reaches them)."""
    names, labels = spec_sheet_names(), spec_labels()
    assert "Indikator" in names and "Realisasi Indikator" in names and "Target Renstra" in labels
    found = [f"{module}:{line} {text!r}" for line, text in literals(PACKAGE / module)
             if text in names or text in labels]
    assert found == []


def test_pk_cell_refs_have_one_key_scheme(example):
    """A PK's cells are keyed once, by the spec's form and column keys; officials carry no refs of their own."""
    from kinerja_xl import api
    from kinerja_xl.model import Pejabat

    assert "refs" not in Pejabat.__dataclass_fields__
    kset, _ = api.load_set(example)
    pk = kset.pks[6]
    assert set(pk.refs) <= {f.key for f in spec.PK_FORM.fields}
    assert {"pp_nama", "pp_nip", "pk_nama", "pk_nip", "tahun", "tanggal"} <= set(pk.refs)
    assert (pk.refs["pp_nip"].sheet, pk.refs["pp_nip"].cell) == (spec.PK_FORM.name,
                                                                  f"B{spec.PK_FORM.field('pp_nip').row}")
    for ind in pk.indikator:
        assert set(ind.refs) <= {c.key for c in spec.PK_INDIKATOR.columns}
