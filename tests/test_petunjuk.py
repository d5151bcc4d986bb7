"""The Petunjuk sheet (issue 12.13): it explains the fields its own workbook has, with the template's own
satker and year, names the add-in's Kinerja tab, and prints one page wide without lines over each other;
a blank data sheet prints on one page. Printed with LibreOffice, read back with pdftotext."""

from __future__ import annotations

import re
import shutil
import statistics
import subprocess
from pathlib import Path

import openpyxl
import pytest

from conftest import soffice
from test_documents_layout import pages

from kinerja_xl import spec
from kinerja_xl.model import Kind
from kinerja_xl.render import to_pdf
from kinerja_xl.outputs.templates import write_template

SATKER, TAHUN = "KPU Kabupaten Lebak", 2024
KINDS = {  # name: (kind, level, unit)
    "ketua": (Kind.PK, "ketua", ""),
    "kordiv": (Kind.PK, "kordiv", "Hukum dan Pengawasan"),
    "sekretaris": (Kind.PK, "sekretaris", ""),
    "eselon4": (Kind.PK, "eselon4", "Keuangan, Umum dan Logistik"),
    "rkt": (Kind.RKT, "", ""),
    "realisasi": (Kind.REALISASI, "", ""),
    "renstra": (Kind.RENSTRA, "", ""),
}
# The first word of every sheet title: a printed page starting with one of them is not a Petunjuk page.
SHEET_TITLES = {t.title.split()[0] for s in spec.SPECS.values() for t in (s.form, *s.tables)}


def _write(folder: Path, name: str) -> Path:
    kind, level, unit = KINDS[name]
    return write_template(folder / f"{name}.xlsx", kind, level=level, unit=unit, satker=SATKER, tahun=TAHUN)


@pytest.fixture(scope="module")
def templates(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("petunjuk")
    return {name: _write(folder, name) for name in KINDS}


def petunjuk_text(path: Path) -> list[str]:
    ws = openpyxl.load_workbook(path)[spec.PETUNJUK]
    return [str(c.value) for c in ws["A"] if c.value]


def explained(text: str) -> set[str]:
    """The labels and headers the Petunjuk explains, one "- Label: ..." line each; a numbered series is one
    line ("- Target TW I s.d. IV: ...", "- Target Tahun ke-1 s.d. ke-5: ...") standing for each of its headers."""
    out: set[str] = set()
    for line in text.splitlines():
        if not line.startswith("- ") or ":" not in line:
            continue
        label = line[2:].split(": ", 1)[0]
        out |= {label, label.split(" (")[0]}  # "Nama (Pihak Pertama)"; "Anggaran (Rp)" stays whole too
        m = re.fullmatch(r"(.*?)(\S+) s\.d\. (\S+)(.*)", label)
        if m:
            head, first, last, tail = m.groups()
            if first in spec.TRIWULAN and last in spec.TRIWULAN:
                series = spec.TRIWULAN[spec.TRIWULAN.index(first):spec.TRIWULAN.index(last) + 1]
            else:
                stem, a, b = re.fullmatch(r"(.*?)(\d+)", first).group(1), int(first[-1]), int(last[-1])
                assert last == f"{stem}{b}", label
                series = [f"{stem}{n}" for n in range(a, b + 1)]
            assert len(series) > 1, label
            out |= {f"{head}{x}{tail}" for x in series}
    return out


def test_a_numbered_series_is_explained_once():
    assert explained("- Target TW I s.d. IV: x\n- Realisasi Tahun ke-1 s.d. ke-5: y\n- Nama (Pihak Kedua): z") >= {
        "Target TW I", "Target TW III", "Target TW IV", "Realisasi Tahun ke-3", "Nama"}
    assert "Target TW II" not in explained("- Target TW III s.d. IV: x")


def _inputs(kind: Kind) -> tuple[set[str], set[str]]:
    """(form field labels the user fills, column headers) of a kind of workbook."""
    wb_spec = spec.SPECS[kind]
    return ({f.label for f in wb_spec.form.fields if not f.locked},
            {c.header for t in wb_spec.tables for c in t.columns})


@pytest.mark.parametrize("name", KINDS)
def test_the_petunjuk_explains_every_field_of_its_workbook_and_no_other(templates, name):
    text = "\n".join(petunjuk_text(templates[name]))
    kind = KINDS[name][0]
    fields, headers = _inputs(kind)
    said = explained(text)
    for label in fields | headers:
        assert label in said, (name, label)
    others = set()
    for other in Kind:
        if other is not kind:
            others |= _inputs(other)[1]
    # no "Kode Induk" in the RKT, no "Baseline" in a PK, no "TW I" (Realisasi) in a PK
    assert not (others - headers) & said, (name, (others - headers) & said)
    if kind is not Kind.PK:
        assert "Pihak" not in text and "NIP" not in text


@pytest.mark.parametrize("name", KINDS)
def test_examples_use_the_templates_own_satker_and_year(templates, name):
    text = "\n".join(petunjuk_text(templates[name]))
    assert SATKER in text and str(TAHUN) in text
    assert "Serang" not in text and "2022" not in text
    ws = openpyxl.load_workbook(templates[name])["Identitas"]
    notes = " ".join(str(c.value) for c in ws["C"] if c.value)
    assert f"misalnya {SATKER}" in notes and "Serang" not in notes


def test_the_petunjuk_of_realisasi_explains_its_own_columns(templates):
    text = "\n".join(petunjuk_text(templates["realisasi"]))
    for words in ("'kumulatif'", "'triwulan terakhir'", "'rata-rata'", "dihitung dari triwulan",
                  f"pada tahun {TAHUN - 1}", "target akhir periode Renstra"):
        assert words in text, words
    assert "'tidak langsung'" in "\n".join(petunjuk_text(templates["eselon4"]))


@pytest.mark.parametrize("name", KINDS)
def test_the_petunjuk_names_the_add_in_tab(templates, name):
    text = "\n".join(petunjuk_text(templates[name]))
    assert "tab 'Kinerja'" in text
    assert all(button in text for button in ("Validasi", "Cek Cascading", "Buat Dokumen", "Template Baru"))


@pytest.fixture(scope="module")
def printed(templates, tmp_path_factory) -> dict[str, Path]:
    soffice()
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler) tidak terpasang")
    out = tmp_path_factory.mktemp("cetak")
    return {p.stem: p for p in to_pdf(list(templates.values()), out)}


def _lines(page) -> list[tuple[float, float, str]]:
    """(top, bottom, text) of each printed line of a page (words within 2 pt of height are one line)."""
    rows: list[list] = []
    for w in sorted(page, key=lambda w: (w.y, w.x)):
        if rows and abs(rows[-1][0].y - w.y) < 2:
            rows[-1].append(w)
        else:
            rows.append([w])
    return [(r[0].y, max(w.y2 for w in r), " ".join(w.text for w in sorted(r, key=lambda w: w.x))) for r in rows]


@pytest.mark.parametrize("name", KINDS)
def test_the_petunjuk_prints_one_page_wide_without_overprinting(templates, printed, name):
    pdf = printed[name]
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = " ".join(text.split())
    for line in petunjuk_text(templates[name]):
        assert " ".join(line.split()) in flat, line  # nothing cut at the right edge of the page
    by_page = pages(pdf)
    petunjuk = [n for n, page in by_page.items() if n == 1 or _lines(page)[0][2].split()[0] not in SHEET_TITLES]
    for number in petunjuk:
        lines = _lines(by_page[number])
        for (top, bottom, a), (next_top, _, b) in zip(lines, lines[1:]):
            # a line prints below the one before it (glyph boxes of a cell's wrapped lines touch by a point
            # or two; a row too low for its text puts two lines at almost the same height)
            assert next_top >= top + 0.75 * (bottom - top), (name, number, a, b)


@pytest.mark.parametrize("name", KINDS)
def test_every_blank_data_sheet_prints_on_one_page(templates, printed, name):
    wb_spec = spec.SPECS[KINDS[name][0]]
    by_page = pages(printed[name])
    titles = [_lines(page)[0][2] for page in by_page.values()]
    sheets = titles[titles.index(wb_spec.form.title):]  # after the Petunjuk's pages: one page per sheet
    assert sheets == [wb_spec.form.title, *(t.title for t in wb_spec.tables)], (name, titles)
    first = titles.index(wb_spec.form.title) + 1
    sizes = subprocess.run(["pdfinfo", "-f", "1", "-l", str(len(titles)), str(printed[name])], capture_output=True,
                           text=True, check=True).stdout
    pages_wh = [tuple(float(x) for x in m.groups()) for m in re.finditer(r"Page\s+\d+ size: ([\d.]+) x ([\d.]+)", sizes)]
    # the table sheets (Monitoring: 14 columns) print landscape, one page wide
    assert all(w > h for w, h in pages_wh[first:]), (name, pages_wh)


@pytest.mark.parametrize("name", KINDS)
def test_the_petunjuk_prints_on_one_page_when_a_little_shrinking_does_it(templates, printed, name):
    """No second Petunjuk page holding its last few lines; a long one runs on at full size instead."""
    wb_spec = spec.SPECS[KINDS[name][0]]
    titles = [_lines(page)[0][2] for page in pages(printed[name]).values()]
    assert titles.index(wb_spec.form.title) == 1, (name, titles)
    assert openpyxl.load_workbook(templates[name])[spec.PETUNJUK].page_setup.fitToHeight == 1


def _text_height(page) -> float:
    return statistics.median(w.y2 - w.y for w in page)


@pytest.mark.parametrize("name", KINDS)
def test_the_one_page_petunjuk_prints_its_text_at_no_less_than_8_5_pt(printed, name):
    """Fitting one page shrinks the sheet by at most 1.3: 11 pt text stays 8.5 pt (the RKT's is not shrunk)."""
    full = _text_height(pages(printed["rkt"])[1])
    assert _text_height(pages(printed[name])[1]) >= full / 1.3 - 0.02, name


def test_the_petunjuk_explains_the_sakip_year(templates):
    """Rencana Aksi, Monitoring, Plt./Plh./Pj. and PK Perubahan in the PK; Tahun ke-1 in the Renstra."""
    for name in ("ketua", "kordiv", "sekretaris", "eselon4"):
        text = "\n".join(petunjuk_text(templates[name]))
        for words in ("'kumulatif': dijumlah", "'triwulan terakhir': status s.d. saat itu, TW IV = setahun",
                      "'rata-rata'", "- Target TW I s.d. IV: Rencana Aksi", "triwulan terakhir: TW IV = Target",
                      "Diisi setiap akhir triwulan", "- Kendala TW I s.d. IV:", "- Tindak Lanjut TW I s.d. IV:",
                      "- Status Pihak Pertama: Plt., Plh. atau Pj.", "tidak ditulis di Nama atau Jabatan",
                      "PK Perubahan: salin buku kerja ini, naikkan Revisi ke, isi Berlaku Mulai",
                      "berkas PK lama tetap di folder", "- Rencana TW I s.d. IV (Rp):", "(bukan kumulatif)"):
            assert words in text, (name, words)
    assert "- Status Pihak Kedua: kosongkan: PK Ketua ditandatangani sendiri" in "\n".join(
        petunjuk_text(templates["ketua"]))
    renstra = "\n".join(petunjuk_text(templates["renstra"]))
    assert "Tahun ke-1 = Tahun Awal" in renstra and "- Target Tahun ke-1 s.d. ke-5:" in renstra
    assert "- IKU: 'tidak'" in "\n".join(petunjuk_text(templates["rkt"]))


def test_the_petunjuk_of_each_level_names_its_own_superior(templates):
    ketua = "\n".join(petunjuk_text(templates["ketua"]))
    assert "- Nama (Pihak Kedua): kosongkan" in ketua and "- Kode Induk: kosongkan" in ketua
    assert "- Cascading: kosongkan" in ketua and "'tidak langsung'" not in ketua  # the top level cascades nothing
    eselon4 = "\n".join(petunjuk_text(templates["eselon4"]))
    assert "- Nama (Pihak Kedua): nama Sekretaris" in eselon4 and "pada PK Sekretaris" in eselon4
    assert f"misalnya Sekretaris {SATKER}" in eselon4
    kordiv = "\n".join(petunjuk_text(templates["kordiv"]))
    assert "- NIP (Pihak Pertama): kosongkan" in kordiv and "pada PK Ketua" in kordiv
    for text in (ketua, eselon4, kordiv):
        assert "(Pihak Kedua): wajib diisi" not in text and "Tanggal (Tanggal)" not in text
