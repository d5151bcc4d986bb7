"""Documents a reviewer signs without retyping (issue 12, Documents): read back with python-docx, and
laid out by LibreOffice, read with ``pdftotext -bbox`` (the position of every word on every page).

Every document of the example and of a variant set (a 120-character jabatan, empty signing dates) is
converted in one LibreOffice call for the whole module.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
import subprocess
from html import unescape
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn

from conftest import soffice
from kinerja_xl import api
from kinerja_xl.levels import load_hierarchy
from kinerja_xl.render import pk_filenames, render_set, to_pdf
from kinerja_xl.render.build import LAKIP_NAME
from kinerja_xl.render.context import ordered_pks

ROOT = Path(__file__).resolve().parent.parent
LONG_JABATAN = ("Plt. Kepala Subbagian Teknis Penyelenggaraan Pemilu, Partisipasi dan Hubungan Masyarakat, Hukum "
                "dan SDM KPU Kota Serang")[:120]


def _long_jabatan_set(kset):
    """The example with one Kasubag's jabatan 120 characters long: one side of the signature wraps more."""
    pks = list(kset.pks)
    i = next(n for n, pk in enumerate(pks) if pk.level == "eselon4")
    pp = dataclasses.replace(pks[i].pihak_pertama, jabatan=LONG_JABATAN.ljust(120, "x")[:120])
    pks[i] = dataclasses.replace(pks[i], pihak_pertama=pp)
    return dataclasses.replace(kset, pks=tuple(pks))


@dataclasses.dataclass(frozen=True)
class Word:
    page: int
    x: float
    y: float  # yMin, points from the top of the page
    text: str
    y2: float = 0.0  # yMax


def words(pdf: Path) -> list[Word]:
    """Every word of the PDF with its page and position (pdftotext -bbox)."""
    html = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True, capture_output=True,
                          text=True).stdout
    out, page = [], 0
    for line in html.splitlines():
        if "<page " in line:
            page += 1
        m = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">(.*?)</word>', line)
        if m:
            out.append(Word(page, float(m.group(1)), float(m.group(2)), unescape(m.group(4)), float(m.group(3))))
    return out


def pages(pdf: Path) -> dict[int, list[Word]]:
    by_page: dict[int, list[Word]] = {}
    for w in words(pdf):
        by_page.setdefault(w.page, []).append(w)
    return by_page


FORCED = ("PK_01_Ketua", "PK_Gabungan", "RKT", "Pengukuran", "LAKIP")  # of the set built with errors


def _forced_build(base: Path) -> dict[str, Path]:
    """The example with an error (the Ketua's PK undated), built with --force."""
    from conftest import EXAMPLE, edit

    folder = base / "galat"
    folder.mkdir()
    for f in EXAMPLE.glob("*.xlsx"):
        shutil.copy2(f, folder / f.name)
    edit(folder / "PK_01_Ketua.xlsx", "Identitas", "B20", None)
    result = api.build(folder, base / "galat-hasil", force=True)
    assert not result.report.valid
    return {p.name: p for p in result.written}


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    """The example, the variant set and the forced set built to .docx, then to PDF in one LibreOffice call."""
    office = soffice()
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler) tidak terpasang")
    h = load_hierarchy()
    kset, report = api.load_set(ROOT / "workbooks")
    assert report.valid
    base = tmp_path_factory.mktemp("tata-letak")
    sets = {"contoh": kset, "panjang": _long_jabatan_set(kset)}
    built = {name: {p.name: p for p in render_set(k, h, base / name)} for name, k in sets.items()}
    built["galat"] = _forced_build(base)
    # One call for all: each source copied under a name that says its set ("contoh__RKT.docx").
    sources = base / "sumber"
    sources.mkdir()
    for name, files in built.items():
        for p in files.values():
            if p.suffix != ".docx" or (name == "galat" and p.stem not in FORCED):
                continue
            shutil.copy2(p, sources / f"{name}__{p.name}")  # the .docx as given: its Daftar Isi holds the pages
    pdf: dict[str, dict[str, Path]] = {name: {} for name in built}
    for made in to_pdf(sorted(sources.iterdir()), base / "pdf") if office else []:
        name, stem = made.stem.split("__", 1)
        pdf[name][stem] = made
    return {"sets": sets, "docx": built, "pdf": pdf, "h": h}


def _last(page: list[Word], text: str) -> Word | None:
    found = [w for w in page if w.text == text]
    return max(found, key=lambda w: w.y) if found else None


# --- 1. signature blocks -------------------------------------------------------------------------------------


@pytest.mark.parametrize("variant", ["contoh", "panjang"])
def test_both_names_and_nips_of_a_pk_are_on_one_line(docs, variant):
    kset, h = docs["sets"][variant], docs["h"]
    checked = 0
    for pk, name in zip(ordered_pks(kset, h), pk_filenames(kset, h)):
        if pk.pihak_kedua is None or pk.level == "ketua":
            continue
        stem = Path(name).stem
        signed = {n: page for n, page in pages(docs["pdf"][variant][stem]).items()
                  if any(w.text == "Pertama," for w in page)}
        assert len(signed) == 2, (stem, sorted(signed))  # the Pernyataan and the Lampiran
        for number, page in signed.items():
            first = _last(page, pk.pihak_pertama.nama.split()[0])
            second = _last(page, pk.pihak_kedua.nama.split()[0])
            assert first and second, (stem, number)
            assert abs(first.y - second.y) < 1, (stem, number, first, second)
            nips = sorted((w for w in page if w.text == "NIP."), key=lambda w: w.y)
            if pk.pihak_pertama.nip and pk.pihak_kedua.nip:
                assert len(nips) == 2 and abs(nips[0].y - nips[1].y) < 1, (stem, number, nips)
            checked += 1
    assert checked >= 20  # 10 two-party PKs, Pernyataan and Lampiran each



# --- 3. every signature's place and date come from data -------------------------------------------------------


def _paragraphs(path: Path) -> list[str]:
    body = Document(str(path)).element.body
    return ["".join(t.text or "" for t in p.iter(qn("w:t"))) for p in body.iter(qn("w:p"))]


def _signed_documents(folder: Path, out: Path):
    kset, report = api.load_set(folder)
    assert report.valid, [i.code for i in report.issues if i.severity.name == "ERROR"]
    return {p.name: _paragraphs(p) for p in render_set(kset, load_hierarchy(), out) if p.suffix == ".docx"}, report


@pytest.fixture(scope="module")
def built_example(tmp_path_factory):
    """The example's documents, read back as paragraphs."""
    kset, _ = api.load_set(ROOT / "workbooks")
    out = tmp_path_factory.mktemp("contoh") / "hasil"
    return {p.name: _paragraphs(p) for p in render_set(kset, load_hierarchy(), out) if p.suffix == ".docx"}


def test_rkt_pengukuran_and_lakip_are_dated_from_the_workbooks(example, tmp_path):
    docs, _ = _signed_documents(example, tmp_path / "hasil")
    assert "Serang, 3 Januari 2022" in docs["RKT.docx"]
    assert "Serang, 13 Januari 2023" in docs["Pengukuran.docx"]
    assert "Serang, 31 Januari 2023" in docs["LAKIP.docx"]  # the Kata Pengantar
    for name, lines in docs.items():
        assert not any("....." in line for line in lines), name


def _as_version_1(path: Path) -> None:
    """What a workbook of template version 1 (kinerja_xl 0.2) looks like: no signing rows in Identitas."""
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["Identitas"]
    for row in range(6, 10):
        for col in (1, 2, 3):
            ws.cell(row, col).value = None
    marker = wb["_kinerja_xl"]
    for row in range(1, marker.max_row + 1):
        if marker.cell(row, 1).value == "versi":
            marker.cell(row, 2).value = 1
    wb.save(path)


def test_an_old_workbook_without_the_dates_reads_with_defaults_and_warnings(example, tmp_path):
    _as_version_1(example / "RKT.xlsx")
    _as_version_1(example / "Realisasi.xlsx")
    docs, report = _signed_documents(example, tmp_path / "hasil")
    found = sorted((i.code, Path(i.location.file).name, i.location.cell) for i in report.issues
                   if i.code in ("field-default", "template-version-older"))
    assert found == [
        ("field-default", "RKT.xlsx", "B7"), ("field-default", "RKT.xlsx", "B8"),
        ("field-default", "Realisasi.xlsx", "B7"), ("field-default", "Realisasi.xlsx", "B8"),
        ("field-default", "Realisasi.xlsx", "B9"),
        ("template-version-older", "RKT.xlsx", ""), ("template-version-older", "Realisasi.xlsx", ""),
    ]
    assert "Serang, 27 Januari 2022" in docs["RKT.docx"]  # the Ketua's PK
    assert "Serang, 31 Desember 2022" in docs["Pengukuran.docx"]
    assert "Serang, 31 Desember 2022" in docs["LAKIP.docx"]
    for name, lines in docs.items():
        assert not any("....." in line for line in lines), name


def test_an_empty_date_cell_is_a_warning_at_the_cell(example, tmp_path):
    from conftest import edit

    edit(example / "Realisasi.xlsx", "Identitas", "B8", None)
    docs, report = _signed_documents(example, tmp_path / "hasil")
    assert [(i.code, i.location.cell) for i in report.issues if i.code == "field-default"] == [("field-default", "B8")]
    assert "Serang, 31 Desember 2022" in docs["Pengukuran.docx"]
    assert "Serang, 31 Januari 2023" in docs["LAKIP.docx"]


# --- 7. a forced build is marked DRAF ----------------------------------------------------------------------


def _header_texts(path: Path) -> list[str]:
    doc = Document(str(path))
    out = []
    for section in doc.sections:
        for header in (section.header, section.first_page_header):
            out += [p.text for p in header.paragraphs]
    return out


def test_a_forced_build_marks_every_page_draf(docs):
    for stem in FORCED:
        for number, page in pages(docs["pdf"]["galat"][stem]).items():
            assert any(w.text == "DRAF" for w in page), (stem, number)
    for stem, pdf in docs["pdf"]["contoh"].items():
        assert not any(w.text == "DRAF" for w in words(pdf)), stem


def test_draf_is_in_the_header_of_every_forced_document_only(docs):
    for name, path in docs["docx"]["galat"].items():
        if path.suffix == ".docx":
            assert any(t.startswith("DRAF") for t in _header_texts(path)), name
    for name, path in docs["docx"]["contoh"].items():
        assert not any("DRAF" in t for t in _header_texts(path)), name


def test_output_names_are_cut_after_a_whole_word():
    kset, _ = api.load_set(ROOT / "workbooks")
    h = load_hierarchy()
    names = pk_filenames(kset, h)
    assert names[2] == "PK_03_Koordinator_Divisi_Sosialisasi_Pendidikan_Pemilih_Partisipasi.docx"
    for pk, name in zip(ordered_pks(kset, h), names):
        jabatan_words = set(re.findall(r"[A-Za-z0-9]+", pk.pihak_pertama.jabatan))
        stem = Path(name).stem
        if pk.perubahan:  # a PK Perubahan: the jabatan, then its revision
            assert stem.endswith(f"_Perubahan_{pk.revisi}"), name
            stem = stem[: -len(f"_Perubahan_{pk.revisi}")]
        assert set(stem.split("_")[2:]) <= jabatan_words, name


# --- 5. a line break in a Narasi cell is a new paragraph ------------------------------------------------------


def test_a_line_break_in_a_narasi_cell_starts_a_new_paragraph(example, tmp_path):
    from conftest import edit

    edit(example / "Realisasi.xlsx", "Narasi", "C4",
         "Puji syukur kami panjatkan.\nLaporan ini disusun sesuai PermenPAN-RB 53/2014.\r\n\n- butir satu")
    docs, _ = _signed_documents(example, tmp_path / "hasil")
    lines = docs["LAKIP.docx"]
    start = lines.index("KATA PENGANTAR")
    assert lines[start + 1: start + 4] == ["Puji syukur kami panjatkan.", "Laporan ini disusun sesuai PermenPAN-RB "
                                           "53/2014.", "\u2022 butir satu"]


# --- 6. the pohon kinerja: whole names, whole codes, efisiensi with its unit -------------------------------


def test_pohon_kinerja_wraps_names_instead_of_cutting_them():
    from kinerja_xl.render import charts

    kset, _ = api.load_set(ROOT / "workbooks")
    h = load_hierarchy()
    drawn = charts._layout(kset, h, frozenset(), wrap=30)
    labels = [" ".join(text.split("\n")) for _, _, text in drawn.labels]
    assert "Kepala Subbagian Keuangan, Umum dan Logistik" in labels  # was "Kepala Subbagian Keuangan, Umum dan..."
    assert {charts._short_jabatan_text(pk) for pk in kset.pks} <= set(labels)
    bodies = {" ".join(lines[1:]) for _, _, _, lines, _ in drawn.boxes}
    assert {i.nama for pk in kset.pks for i in pk.indikator} <= bodies
    assert not any("\u2026" in line for _, _, _, lines, _ in drawn.boxes for line in lines)


def test_pohon_parts_are_balanced(tmp_path):
    from kinerja_xl.render import charts

    kset, _ = api.load_set(ROOT / "workbooks")
    parts = charts.pohon_halaman(kset, load_hierarchy(), tmp_path)
    assert len(parts) > 1
    sizes = [len(p.kode) for p in parts]
    assert min(sizes) * 2 >= max(sizes), sizes  # no part of a single pair of boxes beside full pages


def test_the_pohon_caption_never_breaks_a_code(docs):
    pdf = docs["pdf"]["contoh"]["LAKIP"]
    caption = [w.text for w in words(pdf)]
    codes = [t for t in caption if re.match(r"IK\W", t)]
    assert codes and all(re.fullmatch(r"IK[-\u2011][A-Z]\d*\.\d+[,)]?", t) for t in codes), codes


def test_efisiensi_is_printed_as_a_percentage(built_example):
    text = "\n".join(built_example["LAKIP.docx"])
    found = re.findall(r"efisiensi\)? (?:sebesar )?([\d.,]+)(\S?)", text)
    assert len(found) >= 9 and all(unit == "%" for _, unit in found), found


# --- 2. page flow --------------------------------------------------------------------------------------------
def _lines(page: list[Word]) -> list[tuple[float, str]]:
    """The page's text lines, top to bottom (words within 2 pt of height are one line)."""
    rows: list[list[Word]] = []
    for w in sorted(page, key=lambda w: (w.y, w.x)):
        if rows and abs(rows[-1][0].y - w.y) < 2:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [(row[0].y, " ".join(w.text for w in sorted(row, key=lambda w: w.x))) for row in rows]


SIGNATURE_WORDS = {"Pertama,", "Kedua,", "NIP."}


@pytest.mark.parametrize("variant", ["contoh", "panjang"])
def test_no_page_holds_only_a_signature_block(docs, variant):
    """The end of the table goes with the signatures: every signing page has the table's last rows above them."""
    kset = docs["sets"][variant]
    names = {pk.pihak_pertama.nama.upper() for pk in kset.pks}
    checked = 0
    for stem, pdf in docs["pdf"][variant].items():
        for number, page in pages(pdf).items():
            lines = _lines(page)
            signing = [y for y, text in lines if any(name in text.upper() for name in names)]
            if not signing:
                continue
            place = next((y for y, text in lines if re.match(r"^[A-Z][a-z]+, \d{1,2} [A-Z][a-z]+ \d{4}$", text)), None)
            if place is None or place > min(signing):
                continue  # names in a table (the LAKIP's list of signers), not a signature block
            # "Serang, 27 Januari 2022": the block starts there
            above = [text for y, text in lines if y < place - 1 and not re.fullmatch(r"DRAF.*|\d+|[ivx]+", text)]
            assert len(above) >= 3, (stem, number, above)  # a title alone is not content
            checked += 1
    assert checked >= 20


def _heading_texts(path: Path, levels=("Heading 1", "Heading 2", "Heading 3")) -> list[str]:
    return [" ".join(p.text.split()) for p in Document(str(path)).paragraphs
            if p.style is not None and p.style.name in levels and p.text.strip()]


def test_no_lakip_page_ends_with_a_heading_or_holds_two_stray_lines(docs):
    pdf = docs["pdf"]["contoh"]["LAKIP"]
    headings = {h.split(":")[0] for h in _heading_texts(docs["docx"]["contoh"][LAKIP_NAME])}
    by_page = pages(pdf)
    for number, page in by_page.items():
        lines = [text for _, text in _lines(page) if not re.fullmatch(r"\d+|[ivx]+", text)]  # the page number
        assert lines, number
        if number > 1 and not lines[0].startswith("Gambar "):  # the cover is three lines; a figure is its picture
            assert len(lines) >= 3 or lines[0].split(":")[0] in headings, (number, lines)
        last = lines[-1].split(":")[0]
        assert last not in headings, (number, lines[-3:])  # a heading never sits alone at a page's foot


# --- 4. Daftar Isi stored in the .docx, front matter i, ii, iii ---------------------------------------------
def _toc_lines(path: Path) -> tuple[list[str], bool]:
    """The lines stored inside the TOC field of the .docx, and whether the field is still one Word refreshes."""
    from kinerja_xl.render.toc import toc_paragraphs

    doc = Document(str(path))
    spans = toc_paragraphs(doc)
    field = spans[0] if spans else None
    dirty = field is not None and any(c.get(qn("w:dirty")) == "true" for c in field.iter(qn("w:fldChar")))
    lines = ["".join("\t" if el.tag == qn("w:tab") else el.text or "" for el in p.iter(qn("w:t"), qn("w:tab"))
                     if el.getparent().tag == qn("w:r")) for p in spans]  # a tab run, not a tab stop
    return lines, dirty


def test_the_daftar_isi_is_stored_in_the_docx_with_page_numbers(built_example, tmp_path):
    lakip = tmp_path / "hasil"
    kset, _ = api.load_set(ROOT / "workbooks")
    path = next(p for p in render_set(kset, load_hierarchy(), lakip) if p.name == LAKIP_NAME)
    lines, dirty = _toc_lines(path)
    headings = _heading_texts(path)
    assert dirty  # Word still refreshes it on opening
    assert [line.rsplit("\t", 1)[0] for line in lines] == headings
    assert all(re.fullmatch(r"\d+|[ivx]+", line.rsplit("\t", 1)[1]) for line in lines), lines
    assert lines[0] == "KATA PENGANTAR\ti" and lines[3] == "BAB I PENDAHULUAN\t1"
    assert not any("diperbarui saat dokumen dibuka" in t for t in built_example[LAKIP_NAME])


def test_daftar_isi_pages_are_the_printed_pages_of_the_headings(docs):
    """Read from the PDF of the .docx as given: the number after each heading is the number printed on its page."""
    pdf = docs["pdf"]["contoh"]["LAKIP"]
    by_page = pages(pdf)
    printed = {}
    for number, page in by_page.items():
        foot = max(page, key=lambda w: w.y)
        printed[number] = foot.text if re.fullmatch(r"\d+|[ivx]+", foot.text) else ""
    assert printed[1] == ""  # the cover carries no number
    assert [printed[n] for n in (2, 3, 4)] == ["i", "ii", "iii"]  # Kata Pengantar, Ikhtisar, Daftar Isi
    lines, _ = _toc_lines(docs["docx"]["contoh"][LAKIP_NAME])
    toc_page = next(n for n, page in by_page.items() if _lines(page)[0][1] == "DAFTAR ISI")
    for line in lines:
        title, shown = line.rsplit("\t", 1)
        start = " ".join(title.split()[:4])
        found = [n for n, page in by_page.items() if (n != toc_page or title == "DAFTAR ISI")
                 and any(text.startswith(start) for _, text in _lines(page))]
        assert found and printed[found[0]] == shown, (title, shown, found[:1], found and printed[found[0]])


def test_without_the_layout_the_daftar_isi_lists_every_heading_for_word_to_number(tmp_path):
    kset, _ = api.load_set(ROOT / "workbooks")
    path = next(p for p in render_set(kset, load_hierarchy(), tmp_path / "hasil", toc_pages=False)
                if p.name == LAKIP_NAME)
    lines, dirty = _toc_lines(path)
    assert dirty and [line.rstrip("\t") for line in lines] == _heading_texts(path)
    assert all(line.endswith("\t") for line in lines)  # no number made up: Word fills them on opening


def test_a_templates_own_toc_levels_are_kept(tmp_path):
    """A kantor's LAKIP template whose TOC lists levels 1-2 (\\o "1-2") gets lines for those levels only."""
    from docx.oxml import OxmlElement

    from kinerja_xl.render import toc

    doc = Document()
    p = doc.add_paragraph()
    # the instruction split over two runs, as Word may store it
    for kind, text in (("begin", None), (None, " TO"), (None, 'C \\o "1-2" \\h '), ("separate", None),
                       (None, "lama"), ("end", None)):
        run = OxmlElement("w:r")
        if kind:
            child = OxmlElement("w:fldChar")
            child.set(qn("w:fldCharType"), kind)
        elif "TO" in text or "\\o" in text:
            child = OxmlElement("w:instrText")
            child.text = text
        else:
            child = OxmlElement("w:t")
            child.text = text
        run.append(child)
        p._p.append(run)
    for level, text in ((1, "BAB I"), (2, "A. Satu"), (3, "1. Rinci"), (1, "BAB II")):
        doc.add_heading(text, level)
    path = tmp_path / "lakip.docx"
    doc.save(str(path))
    assert toc.fill(path, None) is False  # no LibreOffice asked: lines without numbers
    lines, dirty = _toc_lines(path)
    assert dirty and [line.rstrip("\t") for line in lines] == ["BAB I", "A. Satu", "BAB II"]


def test_build_says_when_the_daftar_isi_has_no_page_numbers(tmp_path, monkeypatch):
    """Without LibreOffice the LAKIP's lines carry no number; build says so (and with it says nothing)."""
    from typer.testing import CliRunner

    from kinerja_xl.cli import app
    from kinerja_xl.render import build as build_module

    soffice()  # the first build lays the pages out with it
    runner = CliRunner()
    with_lo = runner.invoke(app, ["build", str(ROOT / "workbooks"), "-o", str(tmp_path / "a")])
    assert with_lo.exit_code == 0 and "tanpa nomor halaman" not in with_lo.output
    monkeypatch.setattr(build_module, "find_soffice", lambda: None)
    without = runner.invoke(app, ["build", str(ROOT / "workbooks"), "-o", str(tmp_path / "b")])
    assert without.exit_code == 0, without.output
    assert "Daftar Isi LAKIP tanpa nomor halaman" in " ".join(without.output.split())
    lines, _ = _toc_lines(tmp_path / "b" / LAKIP_NAME)
    assert lines and all(line.endswith("\t") for line in lines)


def test_a_daftar_isi_without_headings_keeps_its_field(tmp_path):
    from kinerja_xl.render import toc

    path = tmp_path / "kosong.docx"
    doc = Document()
    doc.add_paragraph("Daftar Isi")
    doc.save(str(path))
    assert toc.fill(path, None) is None  # no TOC field: nothing to do
    import zipfile

    from kinerja_xl.render.docx import DEFAULT_TEMPLATES_DIR

    bare = Document(str(DEFAULT_TEMPLATES_DIR / "lakip.docx"))
    for p in list(bare.paragraphs):
        if p.style is not None and p.style.name.startswith("Heading"):
            p._p.getparent().remove(p._p)
    bare.save(str(path))
    assert toc.fill(path, None) is True  # every (no) entry has its number
    lines, dirty = _toc_lines(path)
    assert dirty and lines == [""]
    with zipfile.ZipFile(path) as z:
        assert b'fldCharType="end"' in z.read("word/document.xml")
