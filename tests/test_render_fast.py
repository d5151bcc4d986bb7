"""The precompiled renderer (render/fast.py) writes the document docxtpl writes, as safely, or steps aside.

Every comparison renders the same context both ways and compares word/document.xml after XML
canonicalisation (C14N: the same elements, attributes, text and namespaces, whatever the quoting
or character references) and the paragraph and cell texts python-docx reads back.
"""

from __future__ import annotations

import copy
import io
import re
import zipfile
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.shared import Mm
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from kinerja_xl import api
from kinerja_xl.levels import load_hierarchy
from kinerja_xl.render import TemplateProblem, render, render_set, template_path
from kinerja_xl.render.build import BUNDLE_NAME
from kinerja_xl.render.context import RenderOptions, bundle_context, ordered_pks, pk_context
from kinerja_xl.render.fast import DocumentWriter, FastTemplate

from conftest import EXAMPLE, docx_template

BODY = "word/document.xml"


@pytest.fixture(scope="module")
def example():
    kset, report = api.load_set(EXAMPLE)
    assert report.valid
    h = load_hierarchy()
    return kset, h, [pk_context(pk, h) for pk in ordered_pks(kset, h)]


@pytest.fixture(scope="module")
def pk_fast():
    return FastTemplate(template_path("pk"))


def docxtpl_bytes(template: Path, context: dict) -> bytes:
    out = io.BytesIO()
    render(template, context).save(out)
    return out.getvalue()


def canonical(docx: bytes) -> list[bytes]:
    """The body and every header and footer (the DRAF mark is in the header), canonicalised."""
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        parts = [BODY] + sorted(n for n in z.namelist() if re.fullmatch(r"word/(header|footer)\d*\.xml", n))
        return [etree.tostring(etree.fromstring(z.read(n)), method="c14n") for n in parts]


def read_back(docx: bytes) -> tuple[list[str], list[list[list[str]]]]:
    """Paragraph texts (body and cells, document order) and every table's rows of cell texts."""
    doc = Document(io.BytesIO(docx))
    paragraphs = ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in doc.element.body.iter(qn("w:p"))]
    tables = [[[cell.text for cell in row.cells] for row in table.rows] for table in doc.tables]
    return paragraphs, tables


def assert_same(template: Path, fast: bytes, context: dict) -> None:
    slow = docxtpl_bytes(template, context)
    assert read_back(fast) == read_back(slow)
    assert canonical(fast) == canonical(slow)


# --- the bundled templates ---------------------------------------------------------------------


def test_default_pk_templates_take_the_fast_way_without_reparsing(pk_fast):
    bundle = FastTemplate(template_path("pk_bundle"))
    for fast in (pk_fast, bundle):
        assert fast.unsupported is None and fast.unproved is None
    assert FastTemplate(template_path("lakip")).unsupported  # a Daftar Isi: docxtpl sets updateFields


def test_every_pk_of_the_example_is_the_docxtpl_document(example, pk_fast):
    _, _, contexts = example
    assert len(contexts) == 11
    for context in contexts:
        assert pk_fast.accepts(context)
        assert_same(template_path("pk"), pk_fast.render(context), context)


def test_a_draf_pk_and_bundle_are_the_docxtpl_documents(example):
    kset, h, _ = example
    draf = RenderOptions(draf=True)
    pk = ordered_pks(kset, h)[6]
    for kind, context in (("pk", pk_context(pk, h, draf)), ("pk_bundle", bundle_context(ordered_pks(kset, h), h, draf))):
        fast = FastTemplate(template_path(kind)).render(context)
        assert_same(template_path(kind), fast, context)
        with zipfile.ZipFile(io.BytesIO(fast)) as z:
            assert any(b"DRAF" in z.read(n) for n in z.namelist() if n.startswith("word/header"))


def test_one_template_renders_draf_and_plain_headers_in_any_order(example):
    """The header is rendered once per value of the names it uses (draf) and packed once per content:
    a plain document after a draf one (and the reverse) has its own header, as docxtpl makes it."""
    kset, h, _ = example
    pk = ordered_pks(kset, h)[6]
    fast = FastTemplate(template_path("pk"))
    for draf in (False, True, False, True):
        context = pk_context(pk, h, RenderOptions(draf=draf))
        data = fast.render(context)
        assert_same(template_path("pk"), data, context)
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            headers = b"".join(z.read(n) for n in z.namelist() if n.startswith("word/header"))
        assert (b"DRAF" in headers) is draf


def test_the_bundle_is_the_docxtpl_document(example):
    kset, h, _ = example
    context = bundle_context(ordered_pks(kset, h), h)
    assert_same(template_path("pk_bundle"), FastTemplate(template_path("pk_bundle")).render(context), context)


def test_other_members_are_the_templates_bytes_and_output_is_deterministic(example, pk_fast):
    context = example[2][6]
    data = pk_fast.render(context)
    assert data == pk_fast.render(context)
    with zipfile.ZipFile(template_path("pk")) as tpl, zipfile.ZipFile(io.BytesIO(data)) as out:
        assert out.testzip() is None
        assert out.namelist() == tpl.namelist()
        for info in tpl.infolist():
            copied = out.getinfo(info.filename)
            assert (copied.compress_type, copied.date_time) == (info.compress_type, info.date_time)
            if info.filename != BODY and not info.filename.startswith("word/header"):  # headers: {% if draf %}
                assert (copied.CRC, copied.compress_size) == (info.CRC, info.compress_size)
                assert out.read(info.filename) == tpl.read(info.filename)


def test_the_build_writes_pks_and_bundle_the_fast_way(example, tmp_path):
    kset, h, _ = example
    paths = render_set(kset, h, tmp_path / "hasil")
    stamp = zipfile.ZipFile(template_path("pk")).getinfo(BODY).date_time
    pks = [p for p in paths if p.name.startswith("PK_")]
    assert len(pks) == 13 and any(p.name == BUNDLE_NAME for p in pks)  # a PK Perubahan and the PK it replaced
    for path in pks:  # docxtpl (python-docx) would stamp the time of saving
        assert zipfile.ZipFile(path).getinfo(BODY).date_time == stamp
    # the Manual IKU and the change list of the PK Perubahan go the fast way too
    others = [p for p in paths if p.name == "Manual_IKU.docx" or p.name.startswith("Daftar_Perubahan_")]
    assert len(others) == 2
    for path in others:
        assert zipfile.ZipFile(path).getinfo(BODY).date_time == stamp


# --- safety ---------------------------------------------------------------------------------------


def test_text_is_escaped_not_dropped(example, pk_fast):
    context = copy.deepcopy(example[2][6])
    context["sasaran"][0]["sasaran"] = "A & B <C>"
    context["sasaran"][0]["indikator"][0]["nama"] = "Indikator \"X\" & 'Y' <Z>"
    context["pihak_pertama"]["nama"] = "R&D <SEKRETARIS>"
    data = pk_fast.render(context)
    paragraphs, _ = read_back(data)
    for text in ("A & B <C>", "Indikator \"X\" & 'Y' <Z>", "R&D <SEKRETARIS>"):
        assert text in paragraphs
    assert_same(template_path("pk"), data, context)


@pytest.mark.parametrize("probe", ["{{ ''.__class__ }}", "{{ pihak_pertama.nama.__class__.__mro__ }}",
                                   "{{ janji.__len__() }}"])
def test_sandbox_refuses_internal_attributes(example, tmp_path, probe):
    bad = docx_template(tmp_path / "pk.docx", "{{ pihak_pertama.nama }}", probe)
    context = example[2][0]
    fast = FastTemplate(bad)
    assert fast.accepts(context)
    with pytest.raises(TemplateProblem) as info:
        fast.render(context)
    message = str(info.value)
    assert "pk.docx ditolak" in message and "atribut internal" in message and "__" in message
    with pytest.raises(TemplateProblem) as slow:
        render(bad, context)
    assert str(slow.value) == message


def test_a_broken_tag_is_reported_as_docxtpl_reports_it(example, tmp_path):
    bad = docx_template(tmp_path / "pk.docx", "{{ tahun }}", "{% if tahun %}", "{{ tahun }}")
    with pytest.raises(TemplateProblem) as fast:
        FastTemplate(bad)
    with pytest.raises(TemplateProblem) as slow:
        render(bad, example[2][0])
    assert str(fast.value) == str(slow.value) and "pk.docx rusak" in str(fast.value)


# --- templates the proof does not cover: the same document, parsed per document as docxtpl does ---


def _column_loop_template(path: Path) -> Path:
    doc = Document()
    table = doc.add_table(rows=2, cols=3)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["{%tc for j in janji %}", "{{ j[:20] }}", "{%tc endfor %}"]):
        cell.text = text
    table.rows[1].cells[0].text = "{{ tahun }}"
    doc.save(str(path))
    return path


def test_a_column_loop_gets_docxtpls_grid_fix(example, tmp_path):
    tpl = _column_loop_template(tmp_path / "kolom.docx")
    fast = FastTemplate(tpl)
    assert fast.unsupported is None and "row" in fast.unproved
    context = example[2][6]
    assert_same(tpl, fast.render(context), context)


def test_a_block_across_paragraphs_is_repaired_as_docxtpl_repairs_it(example, tmp_path):
    tpl = docx_template(tmp_path / "lintas.docx", "A {% if dua_pihak %}satu", "dua{% endif %} B", "{{ tahun }}")
    fast = FastTemplate(tpl)
    assert "well-formed" in fast.unproved
    for dua_pihak in (True, False):
        context = dict(example[2][6], dua_pihak=dua_pihak)
        assert_same(tpl, fast.render(context), context)


def test_safe_filter_is_not_trusted(example, tmp_path):
    tpl = docx_template(tmp_path / "aman.docx", "{{ tahun|safe }}")
    assert "safe" in FastTemplate(tpl).unproved
    context = dict(example[2][0], tahun="2024 <w:br/>")
    assert_same(tpl, FastTemplate(tpl).render(context), context)


texts = st.text(alphabet=st.sampled_from(list("aZ 09&<>\"'{}%#_\n\r\t\a\f\x0b\u00e9\u2014\ufffe\U0001F600")),
                max_size=25)


@settings(derandomize=True, max_examples=25, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(nama=texts, sasaran=texts, janji=texts)
def test_any_text_gives_the_docxtpl_document(example, pk_fast, nama, sasaran, janji):
    context = copy.deepcopy(example[2][6])
    context["pihak_pertama"]["nama"], context["sasaran"][0]["sasaran"], context["janji"][0] = nama, sasaran, janji
    assert_same(template_path("pk"), pk_fast.render(context), context)


def test_headers_and_footers_with_placeholders_are_rendered_as_docxtpl_does(example, tmp_path):
    tpl = tmp_path / "pk_kop.docx"
    doc = Document(str(template_path("pk")))
    doc.sections[0].header.paragraphs[0].text = "KOP {{ satker_judul }} & {{ tahun }}"
    doc.sections[0].footer.paragraphs[0].text = "Halaman tetap"
    doc.save(str(tpl))
    fast = FastTemplate(tpl)
    assert fast.unsupported is None and fast.unproved is None
    context = dict(example[2][6], satker_judul="KPU <KOTA> & \"SERANG\"")
    data = fast.render(context)
    assert_same(tpl, data, context)
    slow = docxtpl_bytes(tpl, context)
    with zipfile.ZipFile(io.BytesIO(data)) as ours, zipfile.ZipFile(io.BytesIO(slow)) as theirs, \
            zipfile.ZipFile(tpl) as original:
        parts = [n for n in original.namelist() if n.startswith(("word/header", "word/footer"))]
        assert parts
        for name in parts:
            mine = etree.tostring(etree.fromstring(ours.read(name)), method="c14n")
            assert mine == etree.tostring(etree.fromstring(theirs.read(name)), method="c14n"), name
    assert Document(io.BytesIO(data)).sections[0].header.paragraphs[0].text == 'KOP KPU <KOTA> & "SERANG" & 2022'


# --- pictures and what only docxtpl does ---------------------------------------------------------------


def _logo(tmp_path: Path) -> Path:
    from PIL import Image

    path = tmp_path / "logo.png"
    Image.new("RGB", (40, 40), (200, 30, 30)).save(path)
    return path


def test_a_logo_in_the_template_is_copied_and_its_id_renumbered_as_docxtpl_does(example, tmp_path):
    tpl = tmp_path / "pk_logo.docx"
    doc = Document(str(template_path("pk")))
    doc.paragraphs[0].insert_paragraph_before().add_run().add_picture(str(_logo(tmp_path)), width=Mm(20))
    doc.save(str(tpl))
    fast = FastTemplate(tpl)
    assert fast.unsupported is None
    context = example[2][6]
    data = fast.render(context)
    assert_same(tpl, data, context)
    assert 'id="1001"' in zipfile.ZipFile(io.BytesIO(data)).read(BODY).decode()
    assert len(Document(io.BytesIO(data)).inline_shapes) == 1


def test_an_image_from_the_data_goes_through_docxtpl(example, tmp_path):
    tpl = docx_template(tmp_path / "pk.docx", "{{ pihak_pertama.nama }}", "{{ gambar.logo }}")
    context = dict(example[2][0], gambar={"logo": str(_logo(tmp_path))})
    assert not FastTemplate(tpl).accepts(context)
    out = DocumentWriter(tpl)(context, tmp_path / "hasil.docx")
    assert len(Document(str(out)).inline_shapes) == 1


def test_values_that_write_xml_themselves_go_through_docxtpl(example, tmp_path):
    from docxtpl import RichText
    from markupsafe import Markup

    tpl = docx_template(tmp_path / "pk.docx", "{{r pihak_pertama.nama }}")
    fast = FastTemplate(tpl)
    for value in (RichText("Tebal", bold=True), Markup("<w:t>x</w:t>")):
        context = copy.deepcopy(example[2][0])
        context["pihak_pertama"]["nama"] = value
        assert not fast.accepts(context)
        with pytest.raises(ValueError, match="docx.render"):
            fast.render(context)
    context["pihak_pertama"]["nama"] = RichText("Tebal", bold=True)
    out = DocumentWriter(tpl)(context, tmp_path / "tebal.docx")
    assert [r.bold for r in Document(str(out)).paragraphs[0].runs if r.text] == [True]


def test_placeholders_in_core_properties_go_through_docxtpl(tmp_path):
    tpl = docx_template(tmp_path / "pk.docx", "{{ tahun }}")
    doc = Document(str(tpl))
    doc.core_properties.title = "PK {{ tahun }}"
    doc.save(str(tpl))
    assert "core properties" in FastTemplate(tpl).unsupported
