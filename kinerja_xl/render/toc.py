"""The Daftar Isi of a document, written into the .docx itself with its page numbers.

A Word TOC field holds, between its ``separate`` and ``end`` marks, the entries last computed; Word
refreshes them when the document is opened (the field is marked dirty and the settings ask for it),
but LibreOffice and WPS Office show whatever is stored there. So the stored entries must already be
right: one line per heading (levels 1-3), a link to the heading's bookmark, and its page.

The pages come from LibreOffice's own layout: a copy of the document in which the entries stand
*outside* any TOC field, each ending in a PAGEREF field, is saved by LibreOffice as .docx (it
computes every PAGEREF and stores the result); the numbers are read back from that copy and written
into the real field. Both copies have the same paragraphs, so the same layout. Without LibreOffice
the entries are written with an empty page number (Word fills them on opening) and the build says so.

The page number is the one printed on the page: i, ii, iii in the front matter (its own section).
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from docx import Document
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

MARK_PREFIX = "_TocKx"  # hidden bookmarks (a leading underscore), one per heading
_MARK_ID = 90000  # bookmark ids above any the templates use


@dataclass(frozen=True)
class Entry:
    mark: str
    text: str
    level: int
    number_format: str = "decimal"  # of the heading's section: "lowerRoman" in the front matter


def _roman(n: int) -> str:
    """Lower-case Roman numeral (front matter pages: i, ii, iii ... as Word's lowerRoman).

    >>> [_roman(n) for n in (1, 4, 9, 14, 40)]
    ['i', 'iv', 'ix', 'xiv', 'xl']
    """
    out = []
    for value, digits in ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"),
                          (40, "xl"), (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i")):
        count, n = divmod(n, value)
        out.append(digits * count)
    return "".join(out)


def shown(page: str, number_format: str) -> str:
    """The page number as printed on the page: LibreOffice stores a PAGEREF as the plain number."""
    if number_format == "lowerRoman" and page.isdigit() and int(page) > 0:
        return _roman(int(page))
    if number_format == "upperRoman" and page.isdigit() and int(page) > 0:
        return _roman(int(page)).upper()
    return page


def _section_formats(doc) -> dict:
    """Each paragraph (``w:p`` of the body) and the page number format of the section it is in."""
    formats, pending = {}, []
    for p in doc.element.body.iterchildren(qn("w:p")):
        pending.append(p)
        sect_pr = p.pPr.find(qn("w:sectPr")) if p.pPr is not None else None
        if sect_pr is not None:
            formats.update(dict.fromkeys(pending, _format_of(sect_pr)))
            pending = []
    final = doc.element.body.find(qn("w:sectPr"))
    formats.update(dict.fromkeys(pending, _format_of(final) if final is not None else "decimal"))
    return formats


def _format_of(sect_pr) -> str:
    numbering = sect_pr.find(qn("w:pgNumType"))
    return (numbering.get(qn("w:fmt")) if numbering is not None else None) or "decimal"


def _el(tag: str, text: str | None = None, **attrs: str):
    el = OxmlElement(tag)
    for key, value in attrs.items():
        el.set(qn(key.replace("_", ":", 1)), value)
    if text is not None:
        el.text = text
    return el


def _run(child=None, text: str | None = None):
    r = _el("w:r")
    if child is not None:
        r.append(child)
    if text is not None:
        r.append(_el("w:t", text, xml_space="preserve"))
    return r


def toc_paragraphs(doc) -> list:
    """The paragraphs (``w:p``) a TOC field spans, from its begin to its end; [] without one."""
    body = doc.element.body
    spans, depth, inside = [], 0, False
    for p in body.iter(qn("w:p")):
        if not inside:
            if not re.match(r"\s*TOC\b", "".join(t.text or "" for t in p.iter(qn("w:instrText"))), re.I):
                continue  # (Word may split the instruction over several runs: " TO" "C \\o ...")
            inside = True
        spans.append(p)
        for char in p.iter(qn("w:fldChar")):
            kind = char.get(qn("w:fldCharType"))
            depth += 1 if kind == "begin" else -1 if kind == "end" else 0
        if depth <= 0:
            return spans
    return spans


def instruction(spans) -> str:
    """The TOC field's instruction (`` TOC \\o "1-3" \\h \\z \\u ``), whatever number of runs Word split it into:
    the instruction text up to the field's ``separate`` mark (the entries' own PAGEREFs come after it)."""
    parts = []
    for p in spans:
        for el in p.iter(qn("w:instrText"), qn("w:fldChar")):
            if el.tag == qn("w:fldChar") and el.get(qn("w:fldCharType")) in ("separate", "end"):
                return "".join(parts)
            if el.tag == qn("w:instrText"):
                parts.append(el.text or "")
    return "".join(parts)


def toc_levels(doc) -> range:
    """The heading levels the document's TOC field lists (its ``\\o "1-3"`` switch; 1-3 without one)."""
    spans = toc_paragraphs(doc)
    m = re.search(r'\\o\s+"(\d)-(\d)"', instruction(spans)) if spans else None
    if m and 1 <= int(m.group(1)) <= int(m.group(2)) <= 9:
        return range(int(m.group(1)), int(m.group(2)) + 1)
    return range(1, 4)


def bookmark_headings(doc) -> list[Entry]:
    """Bookmark every heading the TOC lists (named after its place) and return the entries, in order."""
    entries = []
    formats = _section_formats(doc)
    levels = {str(n) for n in toc_levels(doc)}
    # The style names by id, read once: python-docx's p.style searches every style for the default on each
    # paragraph without a style of its own (0.4 s of the LAKIP's 400 paragraphs). A paragraph without
    # w:pStyle has the default paragraph style, never a heading.
    names = {st.style_id: st.name for st in doc.styles if st.style_id}
    for n, p in enumerate(doc.paragraphs, 1):
        ppr = p._p.pPr
        style_id = ppr.pStyle.val if ppr is not None and ppr.pStyle is not None else None
        name = names.get(style_id, "") if style_id else ""
        if not (name.startswith("Heading ") and name.removeprefix("Heading ") in levels and p.text.strip()):
            continue
        mark = f"{MARK_PREFIX}{n:05d}"
        start = _el("w:bookmarkStart", w_id=str(_MARK_ID + n), w_name=mark)
        if p._p.pPr is not None:
            p._p.pPr.addnext(start)
        else:
            p._p.insert(0, start)
        p._p.append(_el("w:bookmarkEnd", w_id=str(_MARK_ID + n)))
        entries.append(Entry(mark, " ".join(p.text.split()), int(name.removeprefix("Heading ")),
                             formats.get(p._p, "decimal")))
    return entries


def _entry_paragraph(entry: Entry, page: str, right: str):
    """One line: indented by level, the heading linked, a dot leader, the page as a PAGEREF field."""
    p, ppr, tabs = _el("w:p"), _el("w:pPr"), _el("w:tabs")
    tabs.append(_el("w:tab", w_val="right", w_leader="dot", w_pos=right))
    ppr.append(tabs)
    ppr.append(_el("w:spacing", w_before="0", w_after="0", w_line="240", w_lineRule="auto"))  # single
    ppr.append(_el("w:ind", w_left=str(360 * entry.level), w_right="500", w_hanging="360"))
    p.append(ppr)
    link = _el("w:hyperlink", w_anchor=entry.mark, w_history="1")
    link.append(_run(text=entry.text))
    link.append(_run(_el("w:tab")))
    link.append(_run(_el("w:fldChar", w_fldCharType="begin")))
    link.append(_run(_el("w:instrText", f" PAGEREF {entry.mark} \\h ", xml_space="preserve")))
    link.append(_run(_el("w:fldChar", w_fldCharType="separate")))
    link.append(_run(text=page))
    link.append(_run(_el("w:fldChar", w_fldCharType="end")))
    p.append(link)
    return p


def _right_tab(doc) -> str:
    section = doc.sections[0]
    return str(int((section.page_width - section.left_margin - section.right_margin) / 635))  # EMU -> twips


def write_entries(doc, entries: Sequence[Entry], pages: Mapping[str, str], *, in_field: bool = True) -> bool:
    """Replace the TOC field's stored result by ``entries`` with their ``pages``; False without a TOC.

    ``in_field=False`` drops the TOC field itself and leaves the bare lines (the copy LibreOffice lays out:
    it computes a PAGEREF outside a TOC, never inside). Section properties held by the TOC's last paragraph
    (the end of the front matter) move to the last line.
    """
    spans = toc_paragraphs(doc)
    if not spans:
        return False
    first, last = spans[0], spans[-1]
    sect_pr = last.pPr.find(qn("w:sectPr")) if last.pPr is not None else None
    right = _right_tab(doc)
    lines = [_entry_paragraph(e, pages.get(e.mark, ""), right) for e in entries]
    if not lines:  # a Daftar Isi and no heading yet: the field stays, holding an empty line
        empty = _el("w:p")
        empty.append(_el("w:pPr"))
        lines = [empty]
    if in_field:
        fld_begin = _el("w:fldChar", w_fldCharType="begin", w_dirty="true")  # Word refreshes it on opening
        head = [_run(fld_begin), _run(_el("w:instrText", instruction(spans), xml_space="preserve")),
                _run(_el("w:fldChar", w_fldCharType="separate"))]
        anchor = lines[0].find(qn("w:pPr"))
        for r in reversed(head):
            anchor.addnext(r)
        lines[-1].append(_run(_el("w:fldChar", w_fldCharType="end")))
    if sect_pr is not None:
        lines[-1].find(qn("w:pPr")).append(sect_pr)
    for line in lines:
        first.addprevious(line)
    for p in spans:
        p.getparent().remove(p)
    return True


_PAGEREF = re.compile(
    r"PAGEREF\s+(" + re.escape(MARK_PREFIX) + r"\d+).*?w:fldCharType=\"separate\"/>(.*?)w:fldCharType=\"end\"",
    re.S)


def read_pages(docx: Path) -> dict[str, str]:
    """The page of each bookmark as LibreOffice stored it in a PAGEREF field's result."""
    with zipfile.ZipFile(docx) as z:
        xml = z.read("word/document.xml").decode("utf-8")
    pages = {}
    for m in _PAGEREF.finditer(xml):
        text = "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", m.group(2))).strip()
        if text:
            pages[m.group(1)] = text
    return pages


Converter = Callable[..., list]


def fill(path: Path, convert: Converter | None, *, temp_prefix: str = "kinerja-xl-pdf-") -> bool | None:
    """Write the Daftar Isi of the .docx at ``path`` (in place) with page numbers laid out by ``convert``.

    ``convert`` is :func:`.pdf.convert` (None when LibreOffice is not installed: the entries get no page
    number). Returns None without a TOC, False when the pages are missing, True when every entry has one.
    """
    doc = Document(str(path))
    if not toc_paragraphs(doc):
        return None
    entries = bookmark_headings(doc)
    pages: dict[str, str] = {}
    if convert is not None and entries:
        with tempfile.TemporaryDirectory(prefix=f"{temp_prefix}{os.getpid()}-") as tmp:
            layout = Document(str(path))
            bookmark_headings(layout)
            write_entries(layout, entries, {e.mark: "0" for e in entries}, in_field=False)
            copy = Path(tmp) / "tata_letak.docx"
            layout.save(str(copy))
            out = Path(tmp) / "hasil"
            # A minute at most: without --pdf the build must not hang on a LibreOffice that does (then: no numbers)
            (laid_out,) = convert([copy], out, target="docx:MS Word 2007 XML", suffix=".docx", timeout=60)
            stored = read_pages(laid_out)
            pages = {e.mark: shown(stored[e.mark], e.number_format) for e in entries if e.mark in stored}
    write_entries(doc, entries, pages)
    doc.save(str(path))
    return all(e.mark in pages for e in entries)


def missing_pages(path: Path) -> bool:
    """Whether the Daftar Isi stored in the .docx at ``path`` has a line without its page number."""
    doc = Document(str(path))
    spans = toc_paragraphs(doc)
    if not spans:
        return False
    xml = "".join(etree.tostring(p, encoding="unicode") for p in spans)
    return any(not "".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", m.group(2))).strip()
               for m in _PAGEREF.finditer(xml))
