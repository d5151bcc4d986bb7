"""Scale: the fast reader reads what openpyxl reads, workers do not change a report, the roll-up
holds the numbers of the satker it was made from, and the generated sets carry the defects they say."""

from __future__ import annotations

import functools
import io
import json
import re
import shutil
import sys
import zipfile
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from conftest import EXAMPLE

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
sys.path.insert(0, str(Path(__file__).parent / "corpus"))
import generate  # noqa: E402
import synth  # noqa: E402

from kinerja_xl import api  # noqa: E402
from kinerja_xl.checks import capaian  # noqa: E402
from kinerja_xl.reading import read  # noqa: E402
from kinerja_xl.cli import app  # noqa: E402
import kinerja_xl.cli.rollup  # noqa: E402,F401  (registers the command until cli/__init__ imports it)
from kinerja_xl.levels import load_hierarchy  # noqa: E402
from kinerja_xl.reading.parse import is_percent_format  # noqa: E402
from kinerja_xl.outputs.rollup import rollup  # noqa: E402
from kinerja_xl.reading.source import SourceError, load_xlsx  # noqa: E402

runner = CliRunner()


@pytest.fixture(scope="session")
def generated(tmp_path_factory) -> Path:
    """Four satker, each with one seeded defect of a different kind (defects=1.0, round-robin)."""
    return generate.generate(4, seed=7, defects=1.0, out=tmp_path_factory.mktemp("gen") / "set", quiet=True)


@pytest.fixture(scope="session")
def clean_set(tmp_path_factory) -> Path:
    return generate.generate(3, seed=3, defects=0.0, out=tmp_path_factory.mktemp("gen") / "bersih", quiet=True)


@pytest.fixture(scope="session")
def corpus(bad_corpus) -> Path:
    return bad_corpus[0]  # made once per session (conftest), shared with tests/test_corpus.py


# --- the two engines read the same grid ----------------------------------------------------------------
def _escapes(value):
    # openpyxl leaves OOXML escapes such as _x000D_ in text; calamine decodes them (a known difference).
    if isinstance(value, str):
        return re.sub(r"_x([0-9A-Fa-f]{4})_", lambda m: chr(int(m.group(1), 16)), value)
    return value


def _comparable(grid):
    """Per sheet: visibility, merges, hidden rows, and per cell value, type, formula and, for a
    number or date, whether its format is a percent (the only use the reader has for a format; the
    fast engine does not look up the format of a plain text cell).

    A cell holding the empty string is left out: calamine does not tell it from a blank cell, and
    the reader treats both alike (another known difference)."""
    return {name: (sheet.hidden, sheet.merged, sheet.hidden_rows,
                   {key: (_escapes(c.value), type(c.value).__name__, c.formula,
                          None if isinstance(c.value, str) and c.formula is None else is_percent_format(c.number_format))
                    for key, c in sheet.cells.items() if c.value != "" or c.formula is not None})
            for name, sheet in grid.sheets.items()}


def _same_grid(path: Path) -> None:
    fast, reference = load_xlsx(path), load_xlsx(path, engine="openpyxl")
    assert fast.engine == "calamine", path
    assert list(fast.sheets) == list(reference.sheets)
    assert _comparable(fast) == _comparable(reference), path


def test_engines_agree_on_the_example():
    for path in sorted(EXAMPLE.glob("*.xlsx")):
        _same_grid(path)


def test_engines_agree_on_a_generated_set(generated):
    for path in sorted(generated.glob("*/*.xlsx")):
        _same_grid(path)


def test_engines_agree_on_the_corpus(corpus):
    """Every corpus file: the same grid, or the same SourceError code and parameters."""
    read_fast = 0
    for path in sorted(corpus.iterdir()):
        try:
            reference = load_xlsx(path, engine="openpyxl")
        except SourceError as err:
            with pytest.raises(SourceError) as fast_err:
                load_xlsx(path)
            assert (fast_err.value.code, fast_err.value.params) == (err.code, err.params), path.name
            continue
        fast = load_xlsx(path)
        assert _comparable(fast) == _comparable(reference), path.name
        read_fast += fast.engine == "calamine"
    assert read_fast >= 20  # the fast engine really read them (a fallback would hide a difference)


def _report(path: Path, engine: str):
    h = load_hierarchy()
    grid = load_xlsx(path, engine=engine)
    return api.Report.of(api._validated(read.read_grid(grid, hierarchy=h), h))


def test_reports_are_identical_whichever_engine(corpus, generated, monkeypatch):
    paths = [*sorted(EXAMPLE.glob("*.xlsx")), *sorted(generated.glob("*/*.xlsx"))[:13]]
    paths += [p for p in sorted(corpus.iterdir()) if p.suffix == ".xlsx"]
    for path in paths:
        try:
            expected = _report(path, "openpyxl")
        except SourceError:
            continue
        assert _report(path, "calamine") == expected, path.name
    fast = api.check([generated], workers=1)
    monkeypatch.setattr(read, "load_xlsx", functools.partial(load_xlsx, engine="openpyxl"))
    assert api.check([generated], workers=1) == fast


def _xlsx(sheet_xml: bytes, *, shared: bytes | None = None, styles: bytes | None = None) -> bytes:
    """A minimal workbook with one sheet "S" written by hand, to reach what no writer here produces."""
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    parts = {
        "[Content_Types].xml": '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
        '<Override PartName="/xl/sharedStrings.xml" '
        'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>',
        "_rels/.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="r1" Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        "xl/workbook.xml": f'<workbook xmlns="{main}" xmlns:r="{rel}"><sheets>'
        '<sheet name="S" sheetId="1" r:id="r1"/></sheets></workbook>',
        "xl/_rels/workbook.xml.rels": '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        f'relationships"><Relationship Id="r1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="r2" Type="{rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>',
        "xl/worksheets/sheet1.xml": f'<worksheet xmlns="{main}"><sheetData>'.encode() + sheet_xml
        + b"</sheetData></worksheet>",
        "xl/sharedStrings.xml": f'<sst xmlns="{main}">'.encode() + (shared or b"") + b"</sst>",
    }
    if styles:
        parts["xl/styles.xml"] = (f'<styleSheet xmlns="{main}">'.encode() + styles + b"</styleSheet>")
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    return out.getvalue()


STYLES = (b'<numFmts count="2"><numFmt numFmtId="164" formatCode="[$-421]d mmmm yyyy"/>'
          b'<numFmt numFmtId="165" formatCode="0.0&quot;%&quot;"/></numFmts>'
          b'<fonts count="1"><font/></fonts><fills count="1"><fill><patternFill patternType="none"/></fill></fills>'
          b'<borders count="1"><border/></borders><cellStyleXfs count="1"><xf/></cellStyleXfs>'
          b'<cellXfs count="5"><xf numFmtId="0"/><xf numFmtId="164"/><xf numFmtId="9"/><xf numFmtId="14"/>'
          b'<xf numFmtId="165"/></cellXfs>')


def test_engines_agree_on_hand_written_xml(tmp_path):
    """Types, dates, percent styles, errors and every kind of formula, as Excel and others write them."""
    sheet = (
        b'<row r="2"><c r="B2" t="s"><v>0</v></c><c r="C2" t="s"><v>1</v></c><c r="D2" t="s"><v>2</v></c></row>'
        b'<row r="3"><c r="B3" t="e"><v>#DIV/0!</v></c><c r="C3" t="str"><f>A1&amp;"x"</f><v>a &amp; b</v></c>'
        b'<c r="D3" t="b"><v>1</v></c><c r="E3" t="inlineStr"><is><t>teks</t></is></c></row>'
        b'<row r="4"><c r="B4" s="1"><v>44588</v></c><c r="C4" s="3"><v>0</v></c><c r="D4" s="3"><v>60.5</v></c>'
        b'<c r="E4" s="3"><v>3000000</v></c></row>'
        b'<row r="5"><c r="B5" s="2"><v>0.9</v></c><c r="C5"><v>1E5</v></c><c r="D5"><v>197012102000031001</v></c>'
        b'<c r="E5" s="4"><v>90</v></c><c r="F5"><v>2022</v></c></row>'
        b'<row r="6" hidden="1"><c r="B6"><f t="shared" ref="B6:B7" si="0">C6*2</f><v>2</v></c><c r="C6"><v>1</v></c>'
        b'</row><row r="7"><c r="B7"><f t="shared" si="0"/></c><c r="C7" s="2"><f>0.45*2</f></c></row>'
        b'<row r="8"><c r="B8"><f t="array" ref="B8">SUM(C6:C7)</f><v>5</v></c><c r="C8" t="str"><v></v></c>'
        b'<c r="D8" t="s"><v>3</v></c></row>')
    shared = (b"<si><t>Target</t></si><si><r><t>kaya</t></r><r><t xml:space=\"preserve\"> teks</t></r></si>"
              b"<si><t/></si><si><t>baris_x000D_baru</t></si>")
    path = tmp_path / "tangan.xlsx"
    path.write_bytes(_xlsx(sheet, shared=shared, styles=STYLES))
    with pytest.warns(UserWarning):  # openpyxl warns about the out-of-range date; the fast engine does not
        _same_grid(path)
    grid = load_xlsx(path)
    cells = grid.sheets["S"].cells
    assert cells[(5, 6)].value == 2022 and isinstance(cells[(5, 6)].value, int)
    assert cells[(5, 4)].value == 197012102000031001  # beyond a float's precision: kept as written
    assert cells[(7, 2)].formula == "=C7*2" and cells[(7, 3)] .formula == "=0.45*2" and cells[(7, 3)].value is None
    assert cells[(3, 2)].value == "#DIV/0!" and cells[(4, 5)].value == "#VALUE!"
    assert cells[(8, 4)].value == "baris\rbaru"
    assert is_percent_format(cells[(5, 2)].number_format) and not is_percent_format(cells[(5, 5)].number_format)
    assert grid.sheets["S"].hidden_rows == frozenset({6})


def test_engines_agree_on_a_prefixed_namespace(tmp_path):
    """Some generators write <x:c> with a namespace prefix: the fast engine scans such a sheet whole."""
    path = tmp_path / "awalan.xlsx"
    main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    with zipfile.ZipFile(io.BytesIO(_xlsx(b""))) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    parts["xl/worksheets/sheet1.xml"] = (
        f'<x:worksheet xmlns:x="{main}"><x:sheetData><x:row r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>Kode'
        '</x:t></x:is></x:c><x:c r="B1"><x:v>5</x:v></x:c><x:c r="C1"><x:f>B1*2</x:f><x:v>10</x:v></x:c>'
        '</x:row></x:sheetData></x:worksheet>').encode()
    with zipfile.ZipFile(path, "w") as z:
        for name, data in parts.items():
            z.writestr(name, data)
    _same_grid(path)
    assert load_xlsx(path).sheets["S"].cells[(1, 3)].formula == "=B1*2"


def test_a_file_the_fast_engine_is_unsure_of_is_read_by_openpyxl(tmp_path):
    path = tmp_path / "tanpa_r.xlsx"
    path.write_bytes(_xlsx(b'<row r="1"><c t="inlineStr"><is><t>Kode</t></is></c><c><v>5</v></c></row>'))
    grid = load_xlsx(path)
    assert grid.engine == "openpyxl"
    assert {k: c.value for k, c in grid.sheets["S"].cells.items()} == {(1, 1): "Kode", (1, 2): 5}


# --- workers ---------------------------------------------------------------------------------------------
def test_check_gives_the_same_report_with_one_or_two_workers(generated):
    seen = []
    one = api.check([generated], workers=1)
    two = api.check([generated], workers=2, progress=lambda done, total: seen.append((done, total)))
    assert one == two and one.files == two.files
    assert seen == [(n, 4) for n in range(1, 5)]
    assert len(one.files) == 4 * 13


def test_validate_gives_the_same_report_with_one_or_two_workers(generated, corpus):
    paths = [generated, corpus / "nip_17_digit.xlsx", corpus / "terpotong.xlsx"]
    assert api.validate(paths, workers=1) == api.validate(paths, workers=2)


def test_cli_json_output_stays_pure_with_workers(generated):
    result = runner.invoke(app, ["check", str(generated), "--workers", "2", "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["summary"]["files"] == 4 * 13
    result = runner.invoke(app, ["validate", str(generated / "000_KPU_Republik_Indonesia"), "--workers", "0"])
    assert result.exit_code == 2


def test_progress_bar_only_on_a_terminal_and_never_for_json(monkeypatch):
    from kinerja_xl.cli import progress

    with progress.progress_bar("Memeriksa") as update:
        assert update is None  # pytest's stderr is not a terminal
    monkeypatch.setattr(progress.Console, "is_terminal", property(lambda self: True))
    with progress.progress_bar("Memeriksa", enabled=False) as update:
        assert update is None
    monkeypatch.setattr(progress, "DELAY", 0.0)
    with progress.progress_bar("Memeriksa") as update:
        assert update is not None
        for done in range(1, 4):
            update(done, 3)


# --- the generated sets ----------------------------------------------------------------------------------
def test_generated_defects_are_found_where_the_manifest_says(generated):
    manifest = json.loads((generated / "manifest.json").read_text(encoding="utf-8"))
    assert {d["kind"] for d in manifest["defects"]} == set(synth.DEFECT_KINDS)
    found = {(Path(i.location.file).parent.name, Path(i.location.file).name, i.location.sheet, i.location.cell,
              i.code) for i in api.check([generated], workers=1)}
    for d in manifest["defects"]:
        assert (d["folder"], d["file"], d["sheet"], d["cell"], d["code"]) in found


def test_a_generated_set_without_defects_checks_clean(clean_set):
    report = api.check([clean_set])
    assert report.valid and not report.warnings
    assert {i.code for i in report} <= {"self-supervised"}  # the Ketua coordinating a division, as in the example


def test_generation_is_deterministic_and_cached(clean_set, tmp_path):
    names = {(lv.id if lv else kind.value, unit): name
             for kind, lv, unit, name in generate.set_filenames(load_hierarchy())}
    first = synth.plan_satker(2, seed=3, tahun=2024, filenames=names)
    assert synth.plan_satker(2, seed=3, tahun=2024, filenames=names) == first
    assert synth.plan_satker(2, seed=4, tahun=2024, filenames=names) != first
    texts = [r[k] for b in first[0] for s in b.tables.values() for r in s.rows for k in ("sasaran", "indikator")
             if k in r]
    assert texts and all(60 <= len(t) <= 200 for t in texts)
    before = {p: p.stat().st_mtime_ns for p in clean_set.rglob("*.xlsx")}
    assert generate.generate(3, seed=3, defects=0.0, out=clean_set, quiet=True) == clean_set
    assert {p: p.stat().st_mtime_ns for p in clean_set.rglob("*.xlsx")} == before
    (tmp_path / "milik_orang").mkdir()
    (tmp_path / "milik_orang" / "data.xlsx").write_bytes(b"")
    with pytest.raises(SystemExit):  # never overwrites a folder it did not make
        generate.generate(1, out=tmp_path / "milik_orang", quiet=True)


# --- the roll-up -----------------------------------------------------------------------------------------
def test_rollup_holds_the_figures_of_each_satker(generated, tmp_path):
    satker = tmp_path / "satker"
    shutil.copytree(generated, satker, ignore=shutil.ignore_patterns("*.json", ".kinerja*"))
    first = sorted(satker.iterdir())[0]
    wb = openpyxl.load_workbook(first / "Realisasi.xlsx")
    wb["Realisasi Indikator"]["B4"] = "=SUM(A1:A9) bukan rumus"
    wb["Realisasi Indikator"]["B4"].data_type = "s"  # typed as text in the input (a leading apostrophe)
    wb.save(first / "Realisasi.xlsx")
    out = tmp_path / "rekap.xlsx"
    result = runner.invoke(app, ["rollup", str(satker), "-o", str(out), "--workers", "2"])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Ringkasan", "Capaian", "Anggaran", "Peringkat"]
    for ws in book:
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref.startswith("A1:")

    report = api.check([satker], workers=1)
    summary = {row[1]: row for row in book["Ringkasan"].iter_rows(min_row=2, values_only=True)}
    assert len(summary) == 4
    for folder in sorted(satker.iterdir()):
        kset, _ = api.load_set(folder)
        row = summary[kset.satker]
        issues = [i for i in report if Path(i.location.file).is_relative_to(folder) or i.location.file == str(folder)]
        assert row[9:11] == (sum(i.severity.value == "error" for i in issues),
                             sum(i.severity.value == "warning" for i in issues))
        assert row[6:8] == (kset.realisasi.total_pagu, kset.realisasi.total_realisasi)
        assert row[8] == pytest.approx(kset.realisasi.total_realisasi / kset.realisasi.total_pagu)

    capaian_rows = list(book["Capaian"].iter_rows(min_row=2))
    kset, _ = api.load_set(first)
    ri = kset.realisasi.indikator[1]
    expected = capaian.hitung(ri.target, capaian.annual_realisasi(ri), ri.polaritas)
    row = next(r for r in capaian_rows if r[1].value == kset.satker and r[2].value == ri.kode)
    assert row[7].value == pytest.approx(expected.value / 100) and row[7].number_format == "0.00%"
    assert row[8].value == expected.category
    text = next(r for r in capaian_rows if r[1].value == kset.satker and r[2].value == kset.realisasi.indikator[0].kode)
    assert text[3].value == "=SUM(A1:A9) bukan rumus" and text[3].data_type == "s"  # text, never a formula

    budget = next(book["Anggaran"].iter_rows(min_row=2))
    assert budget[4].number_format == '"Rp"#,##0' and isinstance(budget[4].value, int)
    ranks = list(book["Peringkat"].iter_rows(min_row=2, values_only=True))
    means = [r[2] for r in ranks]
    assert [r[0] for r in ranks] == sorted(r[0] for r in ranks) and means == sorted(means, reverse=True)
    fewest = min(ranks, key=lambda r: (r[4], r[5]))
    assert fewest[3] == 1


def test_rollup_refuses_an_output_that_is_not_xlsx(clean_set, tmp_path):
    result = runner.invoke(app, ["rollup", str(clean_set), "-o", str(tmp_path / "rekap.csv")])
    assert result.exit_code == 2 and not (tmp_path / "rekap.csv").exists()
    assert rollup([clean_set], tmp_path / "r.xlsx", workers=1).satker[0].errors == 0
