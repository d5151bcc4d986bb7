"""What a user's Word template may hold besides its text: checked before python-docx or docxtpl read it.

A .docx is a zip of XML parts and their relationships. Three things in one are refused, each named:

- a size no template has (a part of more than :data:`MAX_XML_PART`, a zip bomb): parsing it would
  take the memory and minutes a real template never needs;
- a DTD (``<!DOCTYPE``, ``<!ENTITY``) in any XML part: "billion laughs" entity expansion, external
  entities (``SYSTEM "file:///etc/passwd"``), and python-docx would copy it into every document made;
- a link to something outside the file (a relationship with ``TargetMode="External"`` such as a linked
  picture ``r:link``, an attached template, a linked OLE object; an ``INCLUDEPICTURE``, ``INCLUDETEXT`` or
  ``LINK`` field): Word and LibreOffice fetch ``http://`` addresses and embed ``file:///`` files when
  printing, so the PDF of an office's report could carry a file of the machine that made it, or tell a
  server that it was made. A plain hyperlink (``http(s)://``, ``mailto:``) is only a link to click and is kept.

The workbook reader's check (:func:`kinerja_xl.reading.source.inspect_zip`) is reused for the zip bomb and the DTD.
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

from lxml import etree

from ..errors import Problem
from ..reading.source import SourceError, inspect_zip

MAX_TEMPLATE_FILE = 64 * 1024 * 1024  # bytes of the .docx; a template with a logo is a few hundred kB
MAX_XML_PART = 16 * 1024 * 1024  # bytes of one XML part uncompressed; the bundled LAKIP's body is 80 kB

_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_HYPERLINK = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"
_PLAIN_LINK = re.compile(r"(?i)^(https?://|mailto:)")
# Field codes that make Word (and LibreOffice) read another file or address when the document is shown.
_LINK_FIELD = re.compile(rb"(?i)\b(INCLUDEPICTURE|INCLUDETEXT|LINK|DDE|DDEAUTO|IMPORT)\b")
_FIELD_TEXT = re.compile(rb"<w:instrText\b[^>]*>([^<]*)<|\bw:instr=\"([^\"]*)\"")
# A picture or frame VML/DrawingML points at by address instead of by relationship.
_ADDRESS_ATTR = re.compile(rb"""\s(?:[\w.-]+:)?(?:src|href)=["']((?:[a-zA-Z][\w+.-]*:|[/\\])[^"']*)["']""")
_SAFE_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
_CT_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


class PackageProblem(Problem, ValueError):
    """The template file holds something refused: a ``word-*`` finding located at the file and its part;
    the message names the part and what to do."""


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.0f} MB"


def inspect_template(path: Path) -> None:
    """Raise :class:`PackageProblem` when the .docx at ``path`` is too large, has a DTD or an external link."""
    name = path.name
    size = path.stat().st_size
    if size > MAX_TEMPLATE_FILE:
        raise PackageProblem("word-too-large", file=path, name=name, size=_mb(size), limit=_mb(MAX_TEMPLATE_FILE))
    data = path.read_bytes()
    if not data.startswith(b"PK"):
        return  # not a zip: python-docx says it is no .docx, as before
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, EOFError):
        return  # reported by the reader as a broken file
    xml_parts = _xml_members(path, infos)
    for info in infos:
        if info.filename in xml_parts and info.file_size > MAX_XML_PART:
            raise PackageProblem("word-part-too-large", file=path, sheet=info.filename, name=name,
                                 part=info.filename, size=_mb(info.file_size), limit=_mb(MAX_XML_PART))
    try:
        inspect_zip(data)
    except SourceError as exc:
        if exc.code == "file-xml-unsafe":
            raise _dtd(path, exc.params.get("part", "?")) from None
        if exc.code == "file-zip-bomb":
            raise PackageProblem("word-zip-bomb", file=path, name=name, size=exc.params.get("size", "?")) from None
        return  # a broken zip: reported by the reader
    with zipfile.ZipFile(path) as zf:
        for info in infos:
            if info.filename not in xml_parts:
                continue
            try:
                xml = zf.read(info)
            except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError):
                return  # reported by the reader
            # The workbook check looks at each part's head; a DTD may follow a long comment.
            if b"<!DOCTYPE" in xml or b"<!ENTITY" in xml:
                raise _dtd(path, info.filename)
            if info.filename.endswith(".rels"):
                _check_relationships(path, info.filename, xml)
            elif info.filename.startswith("word/"):
                _check_fields(path, info.filename, xml)


def _xml_members(path: Path, infos: list[zipfile.ZipInfo]) -> set[str]:
    """The members python-docx would parse as XML: by their name, and by the content type
    [Content_Types].xml gives them (a main document may be called ``word/isi.dat``)."""
    names = {i.filename for i in infos if i.filename.endswith((".xml", ".rels", ".vml"))}
    types = next((i for i in infos if i.filename == "[Content_Types].xml"), None)
    if types is None or types.file_size > MAX_XML_PART:
        return names
    try:
        with zipfile.ZipFile(path) as zf:
            raw = zf.read(types)
        if b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
            return names  # refused as a DTD below
        root = etree.fromstring(raw, _SAFE_PARSER)
    except (zipfile.BadZipFile, OSError, EOFError, NotImplementedError, etree.XMLSyntaxError):
        return names
    by_ext = {(d.get("Extension") or "").lower() for d in root.iter(f"{{{_CT_NS}}}Default")
              if (d.get("ContentType") or "").endswith("xml")}
    by_name = {(o.get("PartName") or "").lstrip("/") for o in root.iter(f"{{{_CT_NS}}}Override")
               if (o.get("ContentType") or "").endswith("xml")}
    return names | {i.filename for i in infos if i.filename in by_name
                    or i.filename.rsplit(".", 1)[-1].lower() in by_ext}


def _dtd(path: Path, part: str) -> PackageProblem:
    return PackageProblem("word-dtd", file=path, sheet=part, name=path.name, part=part)


def _check_relationships(path: Path, part: str, xml: bytes) -> None:
    try:
        root = etree.fromstring(xml, _SAFE_PARSER)
    except etree.XMLSyntaxError as exc:
        raise PackageProblem("word-part-invalid", file=path, sheet=part, name=path.name, part=part,
                             reason=str(exc)) from None
    for rel in root.iter(f"{{{_RELS_NS}}}Relationship"):
        if (rel.get("TargetMode") or "").lower() != "external":
            continue
        target = rel.get("Target") or ""
        if rel.get("Type") == _HYPERLINK and _PLAIN_LINK.match(target):
            continue
        kind = (rel.get("Type") or "").rsplit("/", 1)[-1] or "?"
        raise PackageProblem("word-external-link", file=path, sheet=part, name=path.name, part=part, kind=kind,
                             target=target)


def _check_fields(path: Path, part: str, xml: bytes) -> None:
    address = _ADDRESS_ATTR.search(xml)
    if address:
        raise PackageProblem("word-external-address", file=path, sheet=part, name=path.name, part=part,
                             target=address.group(1).decode("utf-8", "replace")[:200])
    for match in _FIELD_TEXT.finditer(xml):
        code = match.group(1) or match.group(2) or b""
        found = _LINK_FIELD.search(code)
        if found:
            raise PackageProblem("word-link-field", file=path, sheet=part, name=path.name, part=part,
                                 field=found.group(1).decode().upper(),
                                 instruction=code.decode("utf-8", "replace").strip()[:120])
