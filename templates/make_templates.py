"""Generate the default Word templates of kinerja_xl (pk, pk_bundle, rkt, pengukuran, lakip).

Run from the repository root:   python templates/make_templates.py [FOLDER]
FOLDER defaults to kinerja_xl/render/templates_docx/, where the package looks for them.

The documents are laid out with python-docx (A4, Arial 12 pt, bordered data tables,
borderless signature tables), then the docxtpl/Jinja tags are written into them, each tag
in a single run so that Word never splits one. To make a template of your own (letterhead,
logo), open one of the generated files in Word, change the look, keep the tags, and save
it under the same name in your own folder.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
import sys
import zipfile
from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

FONT = "Arial"
ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUT = ROOT / "kinerja_xl" / "render" / "templates_docx"
CENTER, RIGHT, JUSTIFY = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.JUSTIFY
TABLE_STYLE, SMALL_TABLE_STYLE = "Isi Tabel", "Isi Tabel Kecil"  # 10 pt; 9 pt for many columns on A4 portrait
PORTRAIT_WIDTH, LANDSCAPE_WIDTH = 15.5, 24.2  # cm of text between the margins


# --- document and styles -----------------------------------------------------------------------


def _font(rpr_owner, size: float | None = None, *, bold: bool | None = None, italic: bool | None = None) -> None:
    """Arial everywhere: drop the theme fonts, which would otherwise win over the name we set."""
    font = rpr_owner.font
    font.name = FONT
    rfonts = rpr_owner.element.rPr.find(qn("w:rFonts"))
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        rfonts.attrib.pop(qn(attr), None)
    for attr in ("w:eastAsia", "w:cs"):
        rfonts.set(qn(attr), FONT)
    font.color.rgb = RGBColor(0, 0, 0)
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    if italic is not None:
        font.italic = italic


def new_document(title: str, *, landscape: bool = False, page_numbers: bool = False) -> Document:
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = (Mm(297), Mm(210)) if landscape else (Mm(210), Mm(297))
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.5)
    section.left_margin, section.right_margin = Cm(3), Cm(2.5)
    styles = doc.styles
    normal = styles["Normal"]
    _font(normal, 12)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "id-ID")  # spelling and hyphenation in Bahasa Indonesia
    normal.element.rPr.append(lang)
    normal.paragraph_format.space_after = Pt(6)
    normal.paragraph_format.line_spacing = 1.15
    for name, size, align in (("Heading 1", 14, CENTER), ("Heading 2", 12, None), ("Heading 3", 12, None)):
        style = styles[name]
        _font(style, size, bold=True, italic=False)
        style.paragraph_format.space_before = Pt(12 if name != "Heading 1" else 0)
        style.paragraph_format.space_after = Pt(6 if name != "Heading 1" else 18)
        if align is not None:
            style.paragraph_format.alignment = align
    styles["Heading 1"].paragraph_format.page_break_before = True  # every chapter on a new page
    table_style = styles.add_style(TABLE_STYLE, 1)
    table_style.base_style = normal
    _font(table_style, 10)
    table_style.paragraph_format.space_after = Pt(0)
    table_style.paragraph_format.line_spacing = 1.0
    small = styles.add_style(SMALL_TABLE_STYLE, 1)
    small.base_style = table_style
    _font(small, 9)
    _font(styles["Caption"], 10, bold=False, italic=True)
    styles["Caption"].paragraph_format.alignment = CENTER
    props = doc.core_properties
    props.title, props.author, props.last_modified_by = title, "kinerja_xl", "kinerja_xl"
    props.created = props.modified = dt.datetime(2024, 1, 1)  # fixed: regenerating gives the same files
    props.revision, props.comments = 1, ""
    draft_mark(section.header)
    if page_numbers:
        section.different_first_page_header_footer = True  # no number on the cover
        draft_mark(section.first_page_header)
        footer = section.footer.paragraphs[0]
        footer.alignment = CENTER
        field = OxmlElement("w:fldSimple")
        field.set(qn("w:instr"), "PAGE")
        run = OxmlElement("w:r")
        text = OxmlElement("w:t")
        text.text = "1"
        run.append(text)
        field.append(run)
        footer._p.append(field)
    return doc


DRAF = "DRAF \u2013 dibuat walau masih ada galat data (--force); jangan ditandatangani"


def draft_mark(header) -> None:
    """The mark of a document built despite errors, at the top of every page; an empty line otherwise."""
    p = header.paragraphs[0]
    p.alignment = CENTER
    run = p.add_run("{% if draf %}" + DRAF + "{% endif %}")
    _font(run, 12, bold=True)
    run.font.color.rgb = RGBColor(0xC0, 0, 0)


def para(container, *runs, align=None, style=None, bold=False, italic=False, underline=False, size=None,
         indent=None, hanging=None, after=None, keep=False, break_before=False):
    """A paragraph of runs; each run is one string, so every Jinja tag stays in a single run."""
    p = container.add_paragraph(style=style)
    for text in runs:
        run = p.add_run(text)
        run.bold, run.italic, run.underline = bold or None, italic or None, underline or None
        if size:
            run.font.size = Pt(size)
    fmt = p.paragraph_format
    if align is not None:
        p.alignment = align
    if indent is not None:
        fmt.left_indent = Cm(indent)
    if hanging is not None:
        fmt.first_line_indent = Cm(-hanging)
    if after is not None:
        fmt.space_after = Pt(after)
    if keep:
        fmt.keep_with_next = True
    if break_before:
        fmt.page_break_before = True
    return p


def end(doc) -> None:
    """A tiny last paragraph: Word wants one after a closing table, and a full-size one could spill a page."""
    p = para(doc, "", after=0)
    p.paragraph_format.line_spacing = Pt(1)
    p.add_run("").font.size = Pt(1)


def tag(container, text: str):
    """A paragraph holding only a docxtpl paragraph tag ({%p ... %}); docxtpl removes it when rendering."""
    return container.add_paragraph(text)


def titles(doc, *lines: tuple[str, ...], break_before: bool = False, revision: str | None = None) -> None:
    """Centred bold title lines; ``revision`` (the context prefix, "" or "pk."): a PK Perubahan's line
    "Perubahan ke-1, berlaku mulai 1 Juli 2022" under them."""
    for i, runs in enumerate(lines):
        para(doc, *runs, align=CENTER, bold=True, after=0, keep=True, break_before=break_before and i == 0)
    if revision is not None:
        tag(doc, "{%p if " + revision + "perubahan %}")
        para(doc, "{{ " + revision + "perubahan_baris }}", align=CENTER, italic=True, after=0, keep=True)
        tag(doc, "{%p endif %}")
    para(doc, "")


# --- tables --------------------------------------------------------------------------------------


def _table(doc, widths: list[float], *, grid: bool = True, small: bool = False):
    table = doc.add_table(rows=0, cols=len(widths))
    table.style = doc.styles["Table Grid"] if grid else None
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    for col, w in zip(table.columns, widths):
        col.width = Cm(w)
    table._widths, table._small = widths, small
    return table


def _row(table, texts: list[str], *, bold=False, italic=False, align=None, header=False, aligns=None,
         whole=True):
    row = table.add_row()
    if whole:  # no row is cut across two pages (the LAKIP's signers' table was)
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    if header:  # repeat header rows on every page of a long table
        row._tr.get_or_add_trPr().append(OxmlElement("w:tblHeader"))
    for i, (cell, text) in enumerate(zip(row.cells, texts)):
        cell.width = Cm(table._widths[i])
        p = cell.paragraphs[0]
        p.style = SMALL_TABLE_STYLE if table._small else TABLE_STYLE
        run = p.add_run(text)
        run.bold, run.italic = bold or None, italic or None
        if header or bold and align == CENTER:
            run.font.size = Pt(9)  # capitals in narrow columns: 9 pt keeps "REALISASI" on one line
        a = aligns[i] if aligns else align
        if a is not None:
            p.alignment = a
    return row


def _loop(table, text: str) -> None:
    """A row holding only a {%tr %} tag: docxtpl turns the whole row into the Jinja statement."""
    _row(table, [text] + [""] * (len(table._widths) - 1))


def _merged(table, span: int, texts: list[str], *, bold=True, keep=False) -> None:
    row = _row(table, texts[:1] + [""] * (span - 1) + texts[1:], bold=bold,
               aligns=[None] * span + [RIGHT] * (len(texts) - 1))
    merged = row.cells[0].merge(row.cells[span - 1])
    for extra in merged.paragraphs[1:]:  # merging keeps each cell's empty paragraph: an extra line
        extra._p.getparent().remove(extra._p)
    if keep:  # the total stays on the page of what follows it (the signature block)
        _keep_next(row)


def _keep_next(row) -> None:
    """Keep a row with the next one (every paragraph of it keepNext)."""
    for cell in row.cells:
        for p_ in cell.paragraphs:
            p_.paragraph_format.keep_with_next = True


def _data_row(table, cells: list[str], aligns, keep_last: str = ""):
    """A loop's data row; with ``keep_last`` (the field true on the table's last row) two variants, the last
    row kept with what follows (the signature block). Two rows rather than a Jinja value in ``w:keepNext``:
    the template itself must stay valid Open XML (Word refuses an on/off attribute holding a tag)."""
    if not keep_last:
        return _row(table, cells, aligns=aligns)
    _loop(table, "{%tr if " + keep_last + " %}")
    _keep_next(_row(table, cells, aligns=aligns))
    _loop(table, "{%tr else %}")
    row = _row(table, cells, aligns=aligns)
    _loop(table, "{%tr endif %}")
    return row


def head(table, labels: list[str]) -> None:
    """Header row in capitals and the column-number row (1) (2) (3) ... of official tables."""
    _row(table, labels, bold=True, align=CENTER, header=True)
    _row(table, [f"({i})" for i in range(1, len(labels) + 1)], italic=True, align=CENTER, header=True)


def grouped(table, outer: str, inner: str, cells: list[str], aligns, keep_last: str = "") -> None:
    """Rows per sasaran group: the first cells (with {% vm %}) merge down the group, the rest repeat.

    ``keep_last``: the field (``b.akhir``) true on the table's last row, kept with what follows.
    """
    _loop(table, "{%tr for " + outer + " %}")
    _loop(table, "{%tr for " + inner + " %}")
    _data_row(table, cells, aligns, keep_last)
    _loop(table, "{%tr endfor %}")
    _loop(table, "{%tr endfor %}")


def pk_table(doc, v: str, widths=(1.0, 5.4, 7.1, 2.0), small: bool = False, keep_end: bool = False) -> None:
    table = _table(doc, list(widths), small=small)
    head(table, ["NO", "{{ " + v + "label_sasaran }}", "INDIKATOR KINERJA", "TARGET"])
    grouped(table, f"g in {v}sasaran", "ind in g.indikator",
            ["{{ g.no }}{% vm %}", "{{ g.sasaran }}{% vm %}", "{{ ind.nama }}", "{{ ind.target }}"],
            [CENTER, None, None, CENTER], keep_last="ind.akhir" if keep_end else "")


TW = ["TW I", "TW II", "TW III", "TW IV"]


def pk_table_triwulan(doc, v: str, widths=(0.9, 3.2, 4.2, 1.8, 1.35, 1.35, 1.35, 1.35)) -> None:
    """The Lampiran's sasaran table with the Rencana Aksi: the target of each quarter beside the year's
    (the Permen format's "Prediksi Capaian TW I-IV"), 9 pt on A4 portrait."""
    table = _table(doc, list(widths), small=True)
    head(table, ["NO", "{{ " + v + "label_sasaran }}", "INDIKATOR KINERJA", "TARGET", *TW])
    grouped(table, f"g in {v}sasaran", "ind in g.indikator",
            ["{{ g.no }}{% vm %}", "{{ g.sasaran }}{% vm %}", "{{ ind.nama }}", "{{ ind.target }}",
             "{{ ind.tw1 }}", "{{ ind.tw2 }}", "{{ ind.tw3 }}", "{{ ind.tw4 }}"],
            [CENTER, None, None, CENTER, CENTER, CENTER, CENTER, CENTER], keep_last="ind.akhir")


def pk_anggaran_triwulan(doc, v: str, widths=(0.9, 2.4, 2.6, 2.4, 2.4, 2.4, 2.4)) -> None:
    """The budget with its plan per quarter (Rencana Aksi anggaran), in thousands-grouped rupiah."""
    tag(doc, "{%p if " + v + "anggaran %}")
    table = _table(doc, list(widths), small=True)
    _row(table, ["NO", "PROGRAM/KEGIATAN", "ANGGARAN (Rp)", *(f"RENCANA\n{t}" for t in TW)], bold=True, align=CENTER,
         header=True)
    _loop(table, "{%tr for a in " + v + "anggaran %}")
    _data_row(table, ["{{ a.no }}", "{{ a.uraian }}", "{{ a.jumlah }}", "{{ a.tw1 }}", "{{ a.tw2 }}", "{{ a.tw3 }}",
                      "{{ a.tw4 }}"], [CENTER, None, RIGHT, RIGHT, RIGHT, RIGHT, RIGHT], "a.akhir")
    _loop(table, "{%tr endfor %}")
    _merged(table, 2, ["JUMLAH", "{{ " + v + "total_anggaran }}", *("{{ " + v + f"total_tw{n} }}}}" for n in range(1, 5))],
            keep=True)
    for row in table.rows:  # 8 pt: a quarter's total of Rp1.122.362.700 in bold stays on one line
        for cell in row.cells:
            for p_ in cell.paragraphs:
                for run in p_.runs:
                    run.font.size = Pt(8)
    tag(doc, "{%p endif %}")


def pk_anggaran_table(doc, v: str, widths=(1.0, 11.0, 3.5), keep_end: bool = False) -> None:
    tag(doc, "{%p if " + v + "anggaran %}")
    table = _table(doc, list(widths))
    _row(table, ["NO", "PROGRAM/KEGIATAN", "ANGGARAN (Rp)"], bold=True, align=CENTER, header=True)
    _loop(table, "{%tr for a in " + v + "anggaran %}")
    _data_row(table, ["{{ a.no }}", "{{ a.uraian }}", "{{ a.jumlah }}"], [CENTER, None, RIGHT],
              "a.akhir" if keep_end else "")
    _loop(table, "{%tr endfor %}")
    _merged(table, 2, ["JUMLAH", "{{ " + v + "total_anggaran }}"], keep=keep_end)
    tag(doc, "{%p endif %}")


def rkt_table(doc, v: str, widths, small: bool = False, keep_end: bool = False) -> None:
    table = _table(doc, list(widths), small=small)
    head(table, ["NO", "{{ " + v + "label_sasaran }}", "INDIKATOR KINERJA", "TARGET", "KEGIATAN", "ANGGARAN (Rp)"])
    grouped(table, f"g in {v}sasaran", "b in g.baris",
            ["{{ g.no }}{% vm %}", "{{ g.sasaran }}{% vm %}", "{{ b.indikator }}", "{{ b.target }}",
             "{{ b.kegiatan }}", "{{ b.anggaran }}"], [CENTER, None, None, CENTER, None, RIGHT],
            keep_last="b.akhir" if keep_end else "")
    _merged(table, 5, ["JUMLAH", "{{ " + v + "total_anggaran }}"], keep=keep_end)


def pengukuran_table(doc, v: str, widths, small: bool = False) -> None:
    table = _table(doc, list(widths), small=small)
    head(table, ["NO", "SASARAN", "INDIKATOR KINERJA", "TARGET", "REALISASI", "CAPAIAN (%)", "KATEGORI"])
    grouped(table, f"g in {v}sasaran", "ind in g.indikator",
            ["{{ g.no }}{% vm %}", "{{ g.sasaran }}{% vm %}", "{{ ind.nama }}", "{{ ind.target }}",
             "{{ ind.realisasi }}", "{{ ind.capaian }}", "{{ ind.kategori }}"],
            [CENTER, None, None, CENTER, CENTER, CENTER, CENTER])


def anggaran_table(doc, v: str, widths, small: bool = False, keep_end: bool = False) -> None:
    table = _table(doc, list(widths), small=small)
    head(table, ["NO", "PROGRAM/KEGIATAN", "PAGU", "REALISASI", "%"])
    _loop(table, "{%tr for a in " + v + "anggaran %}")
    _data_row(table, ["{{ a.no }}", "{{ a.uraian }}", "{{ a.pagu }}", "{{ a.realisasi }}", "{{ a.persen }}"],
              [CENTER, None, RIGHT, RIGHT, RIGHT], "a.akhir" if keep_end else "")
    _loop(table, "{%tr endfor %}")
    _merged(table, 2, ["JUMLAH", "{{ " + v + "total_pagu }}", "{{ " + v + "total_realisasi }}",
                       "{{ " + v + "total_persen }}"], keep=keep_end)


# --- signatures ----------------------------------------------------------------------------------


def _keep_rows(rows) -> None:
    """Keep a block of rows on one page: no row split, each row kept with the next (the last one excepted)."""
    for n, row in enumerate(rows):
        row._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
        if n < len(rows) - 1:
            for cell in row.cells:
                for p_ in cell.paragraphs:
                    p_.paragraph_format.keep_with_next = True


def _sign_row(table, texts: list[str], *, bold=False, underline=False, before: float = 0, height: float = 0):
    """One line of the two signature blocks: the same row, so both parties' names share one baseline."""
    row = table.add_row()
    for cell, text in zip(row.cells, texts):
        cell.width = Cm(table._widths[0])
        p_ = cell.paragraphs[0]
        run = p_.add_run(text)
        run.bold, run.underline = bold or None, underline or None
        p_.alignment = CENTER
        p_.paragraph_format.space_after = Pt(0)
        if before:
            p_.paragraph_format.space_before = Pt(before)
    if height:  # the room to sign: a fixed height, whatever the font
        tr_pr = row._tr.get_or_add_trPr()
        h = OxmlElement("w:trHeight")
        h.set(qn("w:val"), str(int(height * 567)))
        h.set(qn("w:hRule"), "exact")
        tr_pr.append(h)
    return row


def signatures(doc, v: str, left: str | None, right: str, place: str, width: float = PORTRAIT_WIDTH) -> None:
    """Pihak Kedua left, Pihak Pertama right, the place and date above the right one.

    One table row per line (date, label, jabatan, room to sign, name, NIP) rather than one row holding two
    blocks: a jabatan that wraps to more lines pushes both names down alike. The rows are kept together.
    """
    table = _table(doc, [width / 2] * 2, grid=False)
    one = left is None

    def both(field: str, prefix: str = "", suffix: str = "") -> list[str]:
        tag_ = prefix + "{{ " + v + "%s." + field + " }}" + suffix
        return ["" if one else tag_ % left, tag_ % right]

    rows = [_sign_row(table, ["", "{{ " + v + place + " }}"], before=12)]
    labels = v + right + ".label" if one else f"{v}{left}.label or {v}{right}.label"
    _loop(table, "{%tr if " + labels + " %}")
    rows.append(_sign_row(table, both("label")))
    _loop(table, "{%tr endif %}")
    rows.append(_sign_row(table, both("jabatan")))
    rows.append(_sign_row(table, ["", ""], height=2.2))
    rows.append(_sign_row(table, both("nama"), bold=True, underline=True))
    nips = v + right + ".nip" if one else f"{v}{left}.nip or {v}{right}.nip"
    _loop(table, "{%tr if " + nips + " %}")
    nip = ["" if one else "{% if " + v + left + ".nip %}NIP. {{ " + v + left + ".nip }}{% endif %}",
           "{% if " + v + right + ".nip %}NIP. {{ " + v + right + ".nip }}{% endif %}"]
    rows.append(_sign_row(table, nip))
    _loop(table, "{%tr endif %}")
    _keep_rows(rows)


# --- the documents -------------------------------------------------------------------------------------


def identity(doc, who: str) -> None:
    table = _table(doc, [3.0, 0.5, 12.0], grid=False)
    for label, field, bold in (("Nama", "nama", True), ("Jabatan", "jabatan", False)):
        row = table.add_row()
        for cell, w, text in zip(row.cells, (3.0, 0.5, 12.0), (label, ":", "{{ " + who + "." + field + " }}")):
            cell.width = Cm(w)
            cell.paragraphs[0].add_run(text).bold = bold if text.startswith("{{") else None


def pk_body(doc, v: str) -> None:
    """The PK: the Pernyataan page, then the Lampiran page. ``v`` prefixes every name ("pk." in the bundle)."""
    titles(doc, ("{{ " + v + "judul }}",), ("{{ " + v + "satker_judul }}",), ("TAHUN ", "{{ " + v + "tahun }}"),
           break_before=True, revision=v)
    para(doc, "{{ " + v + "pembuka }}", align=JUSTIFY)
    identity(doc, v + "pihak_pertama")
    tag(doc, "{%p if " + v + "dua_pihak %}")
    para(doc, "Selanjutnya disebut pihak pertama")
    identity(doc, v + "pihak_kedua")
    para(doc, "Selanjutnya disebut pihak kedua")
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for janji in " + v + "janji %}")
    para(doc, "{{ janji }}", align=JUSTIFY)
    tag(doc, "{%p endfor %}")
    # A PK Perubahan says, before it is signed again, what it replaces, from when and why.
    tag(doc, "{%p if " + v + "perubahan_keterangan %}")
    para(doc, "{{ " + v + "perubahan_keterangan }}", align=JUSTIFY)
    tag(doc, "{%p endif %}")
    signatures(doc, v, "ttd_kiri", "ttd_kanan", "tempat_tanggal")
    # Lampiran: a new page
    titles(doc, ("PERJANJIAN KINERJA ", "{% if " + v + "perubahan %}PERUBAHAN {% endif %}", "TAHUN ",
                 "{{ " + v + "tahun }}"), ("{{ " + v + "satker_panjang }}",), ("{{ " + v + "tingkat }}",),
           break_before=True, revision=v)
    # The end of the tables stays with the signature: never a page of it alone. With build --target-triwulan
    # the tables also hold the Rencana Aksi (the quarters' targets and budget plan).
    tag(doc, "{%p if " + v + "target_triwulan %}")
    pk_table_triwulan(doc, v)
    tag(doc, "{%p else %}")
    pk_table(doc, v, keep_end=True)
    tag(doc, "{%p endif %}")
    para(doc, "", keep=True)
    tag(doc, "{%p if " + v + "rencana_triwulan %}")
    pk_anggaran_triwulan(doc, v)
    tag(doc, "{%p else %}")
    pk_anggaran_table(doc, v, keep_end=True)
    tag(doc, "{%p endif %}")
    signatures(doc, v, "ttd_kiri", "ttd_kanan", "tempat_tanggal")


def make_pk() -> Document:
    doc = new_document("Perjanjian Kinerja")
    pk_body(doc, "")
    return doc


def make_pk_bundle() -> Document:
    doc = new_document("Perjanjian Kinerja (gabungan)")
    tag(doc, "{%p for pk in pks %}")
    pk_body(doc, "pk.")  # each PK's title starts a new page
    tag(doc, "{%p endfor %}")
    return doc


def _signed_by(doc, v: str, width: float) -> None:
    tag(doc, "{%p if " + v + "ada_ttd %}")
    signatures(doc, v, None, "ttd", "tempat_tanggal", width)
    tag(doc, "{%p endif %}")


def make_rkt() -> Document:
    doc = new_document("Rencana Kinerja Tahunan", landscape=True)
    titles(doc, ("{{ judul }}",), ("{{ satker_panjang }}",), ("TAHUN ", "{{ tahun }}"))
    rkt_table(doc, "", (1.2, 5.5, 7.0, 2.2, 5.3, 3.0), keep_end=True)  # never a page of only the signature
    _signed_by(doc, "", LANDSCAPE_WIDTH)
    return doc


def make_pengukuran() -> Document:
    doc = new_document("Pengukuran Kinerja", landscape=True)
    titles(doc, ("{{ judul }}",), ("{{ satker_panjang }}",), ("TAHUN ", "{{ tahun }}"))
    pengukuran_table(doc, "", (1.0, 5.0, 7.4, 2.2, 2.4, 2.6, 3.6))
    para(doc, "")
    para(doc, "REALISASI ANGGARAN", bold=True, keep=True)
    anggaran_table(doc, "", (1.0, 11.2, 4.4, 4.4, 3.2), keep_end=True)
    _signed_by(doc, "", LANDSCAPE_WIDTH)
    return doc


# --- Laporan Capaian Kinerja Triwulan ------------------------------------------------------------------

TRIWULAN_WIDTHS = (1.0, 1.7, 7.1, 2.0, 1.9, 2.2, 1.9, 2.2, 2.1, 2.1)  # 24.2 cm: landscape
KENDALA_WIDTHS = (1.0, 1.7, 7.5, 7.0, 7.0)


def _triwulan_identity(doc) -> None:
    widths = (3.6, 0.5, LANDSCAPE_WIDTH - 4.1)
    table = _table(doc, list(widths), grid=False)
    for label, field in (("Satuan Kerja", "satker"), ("Nama", "pejabat.nama"), ("Jabatan", "pejabat.jabatan"),
                         ("Unit Kerja", "pejabat.unit")):
        row = table.add_row()
        for cell, w, text in zip(row.cells, widths, (label, ":", "{{ " + field + " }}")):
            cell.width = Cm(w)
            cell.paragraphs[0].add_run(text).bold = True if field == "pejabat.nama" and text.startswith("{{") else None


def triwulan_body(doc) -> None:
    """Title, the official, the indicators to the end of the quarter with the chart, and the budget."""
    titles(doc, ("{{ judul_lengkap }}",), ("{{ satker_panjang }}",))
    _triwulan_identity(doc)
    para(doc, "")
    para(doc, "A. CAPAIAN INDIKATOR KINERJA TRIWULAN ", "{{ tw }}", bold=True, keep=True)
    table = _table(doc, list(TRIWULAN_WIDTHS), small=True)
    s = " TW {{ tw }}"
    head(table, ["NO", "KODE", "INDIKATOR KINERJA", "SATUAN", "TARGET" + s, "REALISASI" + s, "TARGET S.D." + s,
                 "REALISASI S.D." + s, "CAPAIAN S.D." + s + " (%)", "KATEGORI"])
    _loop(table, "{%tr for ind in indikator %}")
    _data_row(table, ["{{ ind.no }}", "{{ ind.kode }}", "{{ ind.nama }}", "{{ ind.satuan }}", "{{ ind.target_tw }}",
                      "{{ ind.realisasi_tw }}", "{{ ind.target_sd }}", "{{ ind.realisasi_sd }}", "{{ ind.capaian }}",
                      "{{ ind.kategori }}"], [CENTER, None, None] + [CENTER] * 7)
    _loop(table, "{%tr endfor %}")
    para(doc, "")
    para(doc, "{{ ringkasan }}", align=JUSTIFY)
    para(doc, "Kendala dan tindak lanjut Triwulan ", "{{ tw }}", ":", bold=True, keep=True)
    table = _table(doc, list(KENDALA_WIDTHS), small=True)
    head(table, ["NO", "KODE", "INDIKATOR KINERJA", "KENDALA", "TINDAK LANJUT"])
    _loop(table, "{%tr for ind in indikator %}")
    _data_row(table, ["{{ ind.no }}", "{{ ind.kode }}", "{{ ind.nama }}", "{{ ind.kendala }}",
                      "{{ ind.tindak_lanjut }}"], [CENTER, None, None, None, None])
    _loop(table, "{%tr endfor %}")
    para(doc, "")
    figure(doc, "tren", "Gambar 1. Tren Capaian Kinerja s.d. Triwulan {{ tw }} Tahun ")
    para(doc, "B. REALISASI ANGGARAN S.D. TRIWULAN ", "{{ tw }}", bold=True, keep=True)
    tag(doc, "{%p if ada_anggaran %}")
    table = _table(doc, [1.0, 9.6, 3.6, 3.6, 3.6, 2.8])
    head(table, ["NO", "PROGRAM/KEGIATAN", "ANGGARAN (Rp)", "RENCANA S.D." + s + " (Rp)",
                 "REALISASI S.D." + s + " (Rp)", "SERAPAN (%)"])
    _loop(table, "{%tr for a in anggaran %}")
    _data_row(table, ["{{ a.no }}", "{{ a.uraian }}", "{{ a.pagu }}", "{{ a.rencana }}", "{{ a.realisasi }}",
                      "{{ a.serapan }}"], [CENTER, None, RIGHT, RIGHT, RIGHT, RIGHT])
    _loop(table, "{%tr endfor %}")
    _merged(table, 2, ["JUMLAH", "{{ total_pagu }}", "{{ total_rencana }}", "{{ total_realisasi }}",
                       "{{ total_serapan }}"])
    tag(doc, "{%p else %}")
    para(doc, "Perjanjian Kinerja ini tidak memuat anggaran.")
    tag(doc, "{%p endif %}")
    para(doc, "")


def make_triwulan() -> Document:
    """The satker's quarterly report: the Ketua's indicators and budget, every official's reporting."""
    doc = new_document("Laporan Capaian Kinerja Triwulan", landscape=True)
    triwulan_body(doc)
    para(doc, "C. REKAPITULASI PELAPORAN PEJABAT TRIWULAN ", "{{ tw }}", bold=True, keep=True)
    table = _table(doc, [1.0, 7.4, 5.0, 2.2, 3.0, 3.2, 2.4])
    head(table, ["NO", "JABATAN", "NAMA", "JUMLAH INDIKATOR", "MELAPORKAN TW {{ tw }}", "KETERANGAN",
                 "RATA-RATA CAPAIAN (%)"])
    _loop(table, "{%tr for r in rekap %}")
    _data_row(table, ["{{ r.no }}", "{{ r.jabatan }}", "{{ r.nama }}", "{{ r.jumlah }}", "{{ r.lapor }}",
                      "{{ r.keterangan }}", "{{ r.rata_rata }}"], [CENTER, None, None, CENTER, CENTER, None, CENTER])
    _loop(table, "{%tr endfor %}")
    para(doc, "")
    para(doc, "D. PEJABAT YANG BELUM MELAPORKAN TW ", "{{ tw }}", bold=True, keep=True)
    tag(doc, "{%p if semua_lapor %}")
    para(doc, "{{ semua_lapor_teks }}", keep=True)  # the signature never stands alone on a page
    tag(doc, "{%p else %}")
    tag(doc, "{%p for b in belum %}")
    para(doc, "{{ loop.index }}. ", "{{ b }}", indent=1.0, hanging=0.6, keep=True)
    tag(doc, "{%p endfor %}")
    tag(doc, "{%p endif %}")
    signatures(doc, "", None, "ttd", "tempat_tanggal", LANDSCAPE_WIDTH)
    return doc


def make_triwulan_pejabat() -> Document:
    """One official's quarterly report, signed by the official."""
    doc = new_document("Laporan Capaian Kinerja Triwulan (pejabat)", landscape=True)
    triwulan_body(doc)
    para(doc, "Status pelaporan Triwulan ", "{{ tw }}", ": ", "{{ status }}", ".", italic=True, keep=True)
    signatures(doc, "", None, "ttd", "tempat_tanggal", LANDSCAPE_WIDTH)
    return doc


def renstra_table(doc, v: str, widths=(0.9, 2.95, 3.45, 1.95, 1.25, 1.25, 1.25, 1.25, 1.25)) -> None:
    """The Renstra's sasaran strategis, IKU, baseline and a target for each of its five years (LAKIP Bab II.A)."""
    table = _table(doc, list(widths), small=True)
    head(table, ["NO", "SASARAN STRATEGIS", "INDIKATOR KINERJA UTAMA", "KONDISI AWAL",
                 *("{{ " + v + f"tahun[{i}] }}}}" for i in range(5))])
    grouped(table, f"g in {v}sasaran", "ind in g.indikator",
            ["{{ g.no }}{% vm %}", "{{ g.sasaran }}{% vm %}", "{{ ind.nama }}", "{{ ind.baseline }}",
             *(f"{{{{ ind.target[{i}] }}}}" for i in range(5))], [CENTER, None, None, *[CENTER] * 6])


def make_manual_iku() -> Document:
    """The Manual IKU: per indikator kinerja utama one table, from Sasaran Strategis to the target of each
    year of the Renstra. Each table is kept on one page (rows unsplit, each kept with the next but the
    last), its heading with it."""
    doc = new_document("Manual Indikator Kinerja Utama")
    titles(doc, ("{{ judul }}",), ("{{ satker_judul }}",), ("{{ judul_periode }}",))
    tag(doc, "{%p if penetapan %}")
    para(doc, "Dasar penetapan: ", "{{ penetapan }}", align=CENTER, size=10)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p for m in iku %}")
    para(doc, "Indikator Kinerja Utama ", "{{ m.no }}", bold=True, keep=True, after=4)
    table = _table(doc, [4.6, 10.9])
    _keep_next(_row(table, ["Kode Indikator", "{{ m.kode }}"], bold=True))
    _loop(table, "{%tr for b in m.baris %}")
    _data_row(table, ["{{ b.label }}", "{{ b.isi }}"], [None, None], keep_last="not b.akhir")
    _loop(table, "{%tr endfor %}")
    for row in table.rows:  # the labels in bold
        for r in row.cells[0].paragraphs[0].runs:
            if r.text == "{{ b.label }}":
                r.bold = True
    para(doc, "", after=6)
    tag(doc, "{%p endfor %}")
    return doc


def make_daftar_perubahan() -> Document:
    """The change list of a PK Perubahan: both workbooks, the revision, its date and reason, then every
    difference (outputs.diff.compare) with its old and new value and the cell of each."""
    doc = new_document("Daftar Perubahan Perjanjian Kinerja", landscape=True)  # long values side by side
    titles(doc, ("{{ judul }}",), ("{{ satker_judul }}",), ("TAHUN ", "{{ tahun }}"))
    info = _table(doc, [3.6, 0.4, LANDSCAPE_WIDTH - 4.0], grid=False)
    for label, value in (("Buku kerja semula", "{{ berkas_lama }}"), ("Dokumen semula", "{{ dokumen_lama }}"),
                         ("Buku kerja perubahan", "{{ berkas_baru }}"), ("Dokumen perubahan", "{{ dokumen_baru }}"),
                         ("Pejabat", "{{ pejabat }}"), ("Perubahan ke", "{{ revisi }}"),
                         ("Berlaku mulai", "{{ berlaku }}"), ("Alasan perubahan", "{{ alasan }}")):
        row = info.add_row()
        for cell, w, text in zip(row.cells, (3.6, 0.4, LANDSCAPE_WIDTH - 4.0), (label, ":", value)):
            cell.width = Cm(w)
            cell.paragraphs[0].style = SMALL_TABLE_STYLE  # 9 pt: a file name of 70 characters on one line
            cell.paragraphs[0].add_run(text)
            cell.paragraphs[0].paragraph_format.space_after = Pt(3)
    para(doc, "")
    para(doc, "{{ ringkasan }}", align=JUSTIFY, keep=True)
    tag(doc, "{%p if perubahan %}")
    table = _table(doc, [1.0, 1.6, 6.4, 4.6, 4.6, 3.0, 3.0], small=True)
    _row(table, ["NO", "JENIS", "URAIAN", "SEMULA", "MENJADI", "SEL SEMULA", "SEL MENJADI"], bold=True,
         align=CENTER, header=True)
    _loop(table, "{%tr for d in perubahan %}")
    _row(table, ["{{ d.no }}", "{{ d.jenis }}", "{{ d.uraian }}", "{{ d.lama }}", "{{ d.baru }}", "{{ d.sel_lama }}",
                 "{{ d.sel_baru }}"], aligns=[CENTER, None, None, None, None, CENTER, CENTER])
    _loop(table, "{%tr endfor %}")
    tag(doc, "{%p endif %}")
    return doc


# --- LAKIP ----------------------------------------------------------------------------------------


def toc(doc) -> None:
    """A real Word TOC field (TOC \\o "1-3" \\h \\z \\u), marked dirty so Word fills it on opening."""
    p = doc.add_paragraph()

    def run(child) -> None:
        r = OxmlElement("w:r")
        r.append(child)
        p._p.append(r)

    begin = OxmlElement("w:fldChar")
    begin.set(qn("w:fldCharType"), "begin")
    begin.set(qn("w:dirty"), "true")
    run(begin)
    instr = OxmlElement("w:instrText")
    instr.set(qn("xml:space"), "preserve")
    instr.text = ' TOC \\o "1-3" \\h \\z \\u '
    run(instr)
    sep = OxmlElement("w:fldChar")
    sep.set(qn("w:fldCharType"), "separate")
    run(sep)
    text = OxmlElement("w:t")
    text.text = "Daftar isi diperbarui saat dokumen dibuka di Microsoft Word (klik kanan > Perbarui Field)."
    run(text)
    end = OxmlElement("w:fldChar")
    end.set(qn("w:fldCharType"), "end")
    run(end)


def _page_numbering(sect_pr, number_format: str | None) -> None:
    """Numbering of a section from 1 (``w:pgNumType``, in its place in the schema's sequence)."""
    for old in sect_pr.findall(qn("w:pgNumType")):
        sect_pr.remove(old)
    numbering = OxmlElement("w:pgNumType")
    if number_format:
        numbering.set(qn("w:fmt"), number_format)
    numbering.set(qn("w:start"), "1")
    later = ("w:cols", "w:formProt", "w:vAlign", "w:noEndnote", "w:titlePg", "w:textDirection", "w:bidi",
             "w:rtlGutter", "w:docGrid", "w:printerSettings")
    following = next((child for child in sect_pr if child.tag in {qn(t) for t in later}), None)
    if following is not None:
        following.addprevious(numbering)
    else:
        sect_pr.append(numbering)


def end_section(doc, *, number_format: str | None = None, cover: bool = False) -> None:
    """End the section at the last paragraph so far: the pages after it are numbered from 1 again.

    A section's properties sit in its last paragraph (the document's own ``w:sectPr`` is the last
    section's); the copy keeps the header and footer references, so DRAF and the page number are on
    every page. ``cover``: the section's first page has no number (a cover of one page). The front
    matter is numbered i, ii, iii (``number_format="lowerRoman"``), the chapters 1, 2, 3.
    """
    final = doc.element.body.sectPr
    ended = copy.deepcopy(final)
    if cover:
        for old in ended.findall(qn("w:pgNumType")):
            ended.remove(old)
    else:
        for title_page in ended.findall(qn("w:titlePg")):
            ended.remove(title_page)
        _page_numbering(ended, number_format)
    doc.paragraphs[-1]._p.get_or_add_pPr().append(ended)
    for title_page in final.findall(qn("w:titlePg")):  # the next section's first page is numbered
        final.remove(title_page)
    _page_numbering(final, None)


def texts(doc, expr: str, **kw) -> None:
    """One paragraph per item of a list of strings (narasi paragraphs, analysis sentences)."""
    tag(doc, "{%p for t in " + expr + " %}")
    para(doc, "{{ t }}", align=JUSTIFY, **kw)
    tag(doc, "{%p endfor %}")


def figure(doc, key: str, caption: str) -> None:
    tag(doc, "{%p if gambar." + key + " %}")
    para(doc, "{{ gambar." + key + " }}", align=CENTER, keep=True)
    para(doc, caption, "{{ tahun }}", style="Caption")
    tag(doc, "{%p endif %}")


def make_lakip() -> Document:
    doc = new_document("Laporan Kinerja", page_numbers=True)
    for _ in range(8):
        para(doc, "")
    para(doc, "{{ judul }}", align=CENTER, bold=True, size=24)
    para(doc, "")
    para(doc, "{{ satker_panjang }}", align=CENTER, bold=True, size=16, after=0)
    para(doc, "TAHUN ", "{{ tahun }}", align=CENTER, bold=True, size=16)
    end_section(doc, cover=True)  # the cover: no page number, not counted

    doc.add_heading("KATA PENGANTAR", 1)
    texts(doc, "narasi.kata_pengantar")
    signatures(doc, "", None, "ketua", "tempat_tanggal")

    doc.add_heading("IKHTISAR EKSEKUTIF", 1)
    texts(doc, "narasi.ikhtisar")
    para(doc, "Sasaran strategis yang ditetapkan pada tahun ", "{{ tahun }}", " adalah:", keep=True)
    tag(doc, "{%p for s in sasaran_strategis %}")
    para(doc, "{{ loop.index }}. ", "{{ s }}", indent=1.0, hanging=0.6)
    tag(doc, "{%p endfor %}")
    texts(doc, "ringkasan.kinerja")
    texts(doc, "ringkasan.anggaran")
    para(doc, "{{ ringkasan.efisiensi }}", align=JUSTIFY)

    doc.add_heading("DAFTAR ISI", 1)
    toc(doc)
    end(doc)  # the section ends outside the TOC field: LibreOffice loses properties inside it
    end_section(doc, number_format="lowerRoman")  # Kata Pengantar to Daftar Isi: i, ii, iii; BAB I is page 1

    doc.add_heading("BAB I PENDAHULUAN", 1)
    for title, key in (("A. Latar Belakang", "latar_belakang"), ("B. Maksud dan Tujuan", "maksud_tujuan"),
                       ("C. Tugas Pokok dan Fungsi", "tugas_fungsi"), ("D. Struktur Organisasi", "struktur_organisasi")):
        doc.add_heading(title, 2)
        texts(doc, "narasi." + key)
    figure(doc, "struktur", "Gambar 1. Struktur Organisasi (pejabat penanda tangan Perjanjian Kinerja) Tahun ")
    para(doc, "Pejabat penanda tangan Perjanjian Kinerja tahun ", "{{ tahun }}", ":", keep=True)
    table = _table(doc, [1.2, 9.3, 5.0])
    _row(table, ["NO", "JABATAN", "NAMA"], bold=True, align=CENTER, header=True)
    _loop(table, "{%tr for s in struktur %}")
    _row(table, ["{{ s.no }}", "{{ s.jabatan }}", "{{ s.nama }}"], aligns=[CENTER, None, None])
    _loop(table, "{%tr endfor %}")
    doc.add_heading("E. Sistematika", 2)
    para(doc, "Laporan Kinerja ini disusun dengan sistematika sebagai berikut:")
    tag(doc, "{%p for s in sistematika %}")
    para(doc, "{{ s.judul }}", bold=True, after=0, keep=True)
    para(doc, "{{ s.uraian }}", align=JUSTIFY, indent=0.6)
    tag(doc, "{%p endfor %}")

    doc.add_heading("BAB II PERENCANAAN KINERJA", 1)
    doc.add_heading("A. Rencana Strategis", 2)
    texts(doc, "narasi.renstra")
    tag(doc, "{%p if renstra %}")  # the Renstra workbook's sasaran, IKU and five-year targets
    para(doc, "{{ renstra.intro }}", align=JUSTIFY, keep=True)
    renstra_table(doc, "renstra.")
    para(doc, "{{ renstra.catatan }}", size=9, after=6)
    tag(doc, "{%p endif %}")
    para(doc, "B. Rencana Kinerja Tahunan ", "{{ tahun }}", style="Heading 2")
    tag(doc, "{%p if rkt %}")
    para(doc, "Rencana Kinerja Tahunan ", "{{ tahun }}", " memuat sasaran, indikator kinerja, target, kegiatan dan "
         "anggaran berikut:", align=JUSTIFY, keep=True)
    rkt_table(doc, "rkt.", (0.9, 3.0, 3.7, 1.7, 3.1, 3.1), small=True)
    tag(doc, "{%p else %}")
    para(doc, "Rencana Kinerja Tahunan belum tersedia.")
    tag(doc, "{%p endif %}")
    para(doc, "C. Perjanjian Kinerja ", "{{ tahun }}", style="Heading 2")
    para(doc, "{{ pk_intro }}", align=JUSTIFY, keep=True)
    tag(doc, "{%p if pk %}")
    pk_table(doc, "pk.", (1.0, 4.8, 7.2, 2.5), small=True)
    tag(doc, "{%p endif %}")
    para(doc, "")
    # The pohon kinerja may take several pages: one figure per part, numbered 2 or 2a, 2b ...
    tag(doc, "{%p for bagian in pohon %}")
    para(doc, "{{ bagian.gambar }}", align=CENTER, keep=True)
    para(doc, "Gambar ", "{{ bagian.nomor }}", ". Pohon Kinerja (keterkaitan indikator antarjenjang) Tahun ",
         "{{ tahun }}", "{{ bagian.keterangan }}", style="Caption")
    tag(doc, "{%p endfor %}")

    doc.add_heading("BAB III AKUNTABILITAS KINERJA", 1)
    doc.add_heading("A. Capaian Kinerja Organisasi", 2)
    texts(doc, "narasi.analisis")
    para(doc, "Pengukuran kinerja membandingkan target dengan realisasi setiap indikator. Kategori capaian: ",
         "{{ skala }}", ".", align=JUSTIFY, keep=True)
    pengukuran_table(doc, "pengukuran.", (0.9, 3.0, 3.5, 1.7, 2.1, 2.0, 2.3), small=True)
    para(doc, "")
    figure(doc, "capaian", "Gambar 3. Capaian Kinerja per Indikator Tahun ")
    tag(doc, "{%p for ik in analisis %}")
    para(doc, "{{ ik.judul }}", style="Heading 3")
    para(doc, "Sasaran: ", "{{ ik.sasaran }}", italic=True, keep=True)  # the heading, the sasaran and the
    table = _table(doc, [1.9, 2.2, 2.1, 2.2, 2.3, 2.3, 2.5], small=True)  # figures stay on one page
    _keep_next(_row(table, ["TARGET", "REALISASI", "CAPAIAN", "KATEGORI", "REALISASI {{ tahun_lalu }}",
                            "TARGET RENSTRA", "CAPAIAN THD RENSTRA"], bold=True, align=CENTER))
    _row(table, ["{{ ik.target }}", "{{ ik.realisasi }}", "{{ ik.capaian }}", "{{ ik.kategori }}",
                 "{{ ik.tahun_lalu }}", "{{ ik.target_renstra }}", "{{ ik.capaian_renstra }}"], align=CENTER)
    para(doc, "Realisasi per triwulan: TW I ", "{{ ik.triwulan[0] }}", "; TW II ", "{{ ik.triwulan[1] }}",
         "; TW III ", "{{ ik.triwulan[2] }}", "; TW IV ", "{{ ik.triwulan[3] }}", ".", size=10)
    texts(doc, "ik.uraian")
    tag(doc, "{%p if ik.kegiatan %}")
    para(doc, "Program/kegiatan pendukung:", keep=True, after=0)
    tag(doc, "{%p for k in ik.kegiatan %}")
    para(doc, "\u2022 ", "{{ k.kode }}", " ", "{{ k.uraian }}", ": ", "{{ k.anggaran }}", indent=1.0, hanging=0.5,
         after=0)
    tag(doc, "{%p endfor %}")
    para(doc, "", after=0)
    tag(doc, "{%p endif %}")
    tag(doc, "{%p endfor %}")
    doc.add_heading("B. Realisasi Anggaran", 2)
    texts(doc, "ringkasan.anggaran")
    anggaran_table(doc, "pengukuran.", (1.0, 5.2, 3.6, 3.6, 2.1), small=True)
    para(doc, "")
    figure(doc, "serapan", "Gambar 4. Serapan Anggaran per Kegiatan Tahun ")
    para(doc, "{{ ringkasan.efisiensi }}", align=JUSTIFY)

    doc.add_heading("BAB IV PENUTUP", 1)
    texts(doc, "narasi.penutup")

    doc.add_heading("LAMPIRAN", 1)
    para(doc, "Lampiran 1. Rencana Kinerja Tahunan ", "{{ tahun }}", style="Heading 2")
    tag(doc, "{%p if rkt %}")
    titles(doc, ("{{ rkt.judul }}",), ("{{ rkt.satker_panjang }}",), ("TAHUN ", "{{ tahun }}"))
    rkt_table(doc, "rkt.", (0.9, 3.0, 3.7, 1.7, 3.1, 3.1), small=True)
    tag(doc, "{%p endif %}")
    para(doc, "Lampiran 2. Perjanjian Kinerja ", "{{ tahun }}", style="Heading 2", break_before=True)
    tag(doc, "{%p if pk %}")
    titles(doc, ("PERJANJIAN KINERJA ", "{% if pk.perubahan %}PERUBAHAN {% endif %}", "TAHUN ", "{{ tahun }}"),
           ("{{ pk.satker_panjang }}",), ("{{ pk.tingkat }}",), revision="pk.")
    pk_table(doc, "pk.")
    para(doc, "")
    pk_anggaran_table(doc, "pk.")
    tag(doc, "{%p endif %}")
    para(doc, "Lampiran 3. Pengukuran Kinerja ", "{{ tahun }}", style="Heading 2", break_before=True)
    titles(doc, ("{{ pengukuran.judul }}",), ("{{ pengukuran.satker_panjang }}",), ("TAHUN ", "{{ tahun }}"))
    pengukuran_table(doc, "pengukuran.", (0.9, 3.0, 3.5, 1.7, 2.1, 2.0, 2.3), small=True)
    para(doc, "")
    para(doc, "REALISASI ANGGARAN", bold=True, keep=True)
    anggaran_table(doc, "pengukuran.", (1.0, 5.2, 3.6, 3.6, 2.1), small=True)
    return doc


def save_fixed(doc, path: Path) -> None:
    """Save with fixed zip timestamps: regenerating unchanged templates leaves git with nothing to commit."""
    buffer = io.BytesIO()
    doc.save(buffer)
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as dst:
        for item in src.infolist():
            info = zipfile.ZipInfo(item.filename, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            dst.writestr(info, src.read(item.filename))


if __name__ == "__main__":
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    out.mkdir(parents=True, exist_ok=True)
    for name, make in (("pk", make_pk), ("pk_bundle", make_pk_bundle), ("rkt", make_rkt),
                       ("pengukuran", make_pengukuran), ("lakip", make_lakip),
                       ("manual_iku", make_manual_iku), ("daftar_perubahan", make_daftar_perubahan),
                       ("triwulan", make_triwulan), ("triwulan_pejabat", make_triwulan_pejabat)):
        doc = make()
        end(doc)
        save_fixed(doc, out / f"{name}.docx")
        print(f"ditulis: {out / f'{name}.docx'}")
