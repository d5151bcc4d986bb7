"""Many documents from one template, fast: docxtpl's preparation done once, then only Jinja and a zip per document.

docxtpl opens the .docx, turns its XML into plain Jinja (``{%tr %}``, ``{%p %}``, ``{% vm %}`` ...),
compiles it, renders it, parses the result again and saves the whole package with python-docx:
some 80 ms per PK, of which the Jinja rendering is a fraction of a millisecond. Here the template
is prepared once with docxtpl's own functions (``get_xml``, ``patch_xml``) and compiled in the
same sandboxed, autoescaping environment as :func:`.docx.environment`; each document then costs
the Jinja render, docxtpl's post-processing where it can change something (:mod:`.shape` proves
once when it cannot), and a zip whose untouched members are copied byte for byte (:mod:`.zipcopy`).

The body is the one docxtpl writes (tests/test_render_fast.py compares them after XML
canonicalisation); the package around it is the template's own: docxtpl re-serialises every part
through python-docx and adds empty core properties; this copies them unchanged.

What needs more of docxtpl goes through :func:`.docx.render`, detected rather than guessed: a
context that is not plain data (InlineImage, RichText, Listing, Subdoc, Markup write XML themselves),
charts (``gambar``), a Daftar Isi (the update-fields setting), placeholders in core properties,
footnotes or field codes.

>>> write = DocumentWriter(template_path("pk"))  # doctest: +SKIP
>>> write(pk_context(pk, hierarchy), Path("hasil/PK_01_Ketua.docx"))  # doctest: +SKIP
"""

from __future__ import annotations

import datetime as dt
import decimal
import itertools
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

from jinja2 import Template, TemplateError, meta
from lxml import etree

from ..fsutil import atomic_path
from .docx import _has_toc, _open, _problem, environment, render, save
from .shape import NotProved, prove
from .zipcopy import ZipCopy, ZipUnsupported

_RENDER_ERRORS = (TemplateError, TypeError, ValueError, ArithmeticError, AttributeError, LookupError)  # as docx.py
# Values Jinja can only print as (escaped) text.
_PLAIN = frozenset({str, bool, int, float, type(None), decimal.Decimal, dt.date, dt.datetime})
_JINJA = ("{{", "{%", "{#")
_LISTING = ("\t", "\a", "\n", "\f")  # characters docxtpl's resolve_listing turns into tabs, paragraphs, breaks
_CONTROL = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)])  # control characters XML 1.0 forbids
_DOCPR = re.compile(r'(<wp:docPr\b[^>]*?\sid=")[^"]*(")')
_XMLNS = re.compile(r'\sxmlns(?::([\w.-]+))?="([^"]*)"')
_BODY = re.compile(r"<w:body\b[^>]*>")
_DECLARATION = b"<?xml version='1.0' encoding='UTF-8' standalone='yes'?>\n"  # what python-docx writes
_CORE = ("author", "comments", "identifier", "language", "subject", "title")  # those docxtpl renders


class _Unsupported(Exception):
    pass


@dataclass(frozen=True)
class _Part:
    """One rendered XML member: its compiled Jinja, what surrounds the rendered text, and whether it was proved."""

    member: str
    template: Template
    head: bytes
    tail: bytes
    proved: bool
    names: tuple[str, ...] = ()  # the context names a header/footer uses: its output depends on these only
    rendered: dict = field(default_factory=dict, compare=False)  # their values -> the checked XML


class FastTemplate:
    """A .docx template prepared once; ``unsupported`` says why it must go through docxtpl (None: it need not).

    ``unproved`` says why each document is parsed again as docxtpl does (None: :mod:`.shape` proved it
    unnecessary).
    """

    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self._tpl = _open(self.path)  # the same checks and messages as docxtpl's path
        self.unsupported: str | None = None
        self.unproved: str | None = None
        try:
            self._prepare()
        except _Unsupported as exc:
            self.unsupported = str(exc)

    # --- preparation ---------------------------------------------------------------------------

    def _part(self, member: str, source: str, head: bytes, tail: bytes, *, body: bool) -> _Part:
        # One line per paragraph, as docxtpl renders: an error's line number is then a paragraph number.
        source = re.sub(r"<w:p([ >])", r"\n<w:p\1", source)
        env = environment()
        try:
            template = env.from_string(source)
        except TemplateError as exc:
            raise _problem(self.path.name, exc) from None
        try:
            prove(source, env, tables=body)
            proved = True
        except NotProved as exc:
            self.unproved, proved = self.unproved or f"{member}: {exc}", False
        names = () if body else tuple(sorted(meta.find_undeclared_variables(env.parse(source))))
        return _Part(member, template, head, tail, proved, names)

    def _prepare(self) -> None:
        tpl, docx = self._tpl, self._tpl.docx
        if _has_toc(tpl):
            raise _Unsupported("a Daftar Isi: settings.xml needs updateFields")
        if any(_has_jinja(getattr(docx.core_properties, name) or "") for name in _CORE):
            raise _Unsupported("placeholders in the core properties")
        for part in docx.part.package.parts:
            if part.content_type.endswith(".footnotes+xml") and _has_jinja(part.blob.decode("utf-8", "replace")):
                raise _Unsupported("placeholders in footnotes")
        source = tpl.patch_xml(tpl.get_xml())
        if re.search(r"<w:instrText[^>]*>[^<]*\{[{%]|w:instr=\"[^\"]*\{[{%]", source):
            raise _Unsupported("a placeholder inside a field code")
        # docxtpl renumbers every picture (wp:docPr) from 1001; so do we, on the string, when the
        # expression finds exactly the pictures lxml finds.
        pictures = len(docx.element.body.xpath(".//wp:docPr"))
        if pictures != len(_DOCPR.findall(source)):
            raise _Unsupported("pictures whose ids cannot be renumbered textually")
        self._renumber = pictures > 0
        member = docx.part.partname.lstrip("/")
        with zipfile.ZipFile(self.path) as zf:
            head, tail, self._body_tag = _split_document(zf.read(member), source)
        self._body = self._part(member, source, head, tail, body=True)
        self._parts = []
        for rel in docx.part.rels.values():
            if rel.reltype not in (tpl.HEADER_URI, tpl.FOOTER_URI) or not rel.target_part.blob:
                continue
            patched = tpl.patch_xml(tpl.get_part_xml(rel.target_part))
            if not any(mark in patched for mark in ("{", "}")) and tpl.resolve_listing(patched) == patched:
                continue  # docxtpl would write it back unchanged: the template's bytes are copied
            self._parts.append(self._part(rel.target_part.partname.lstrip("/"), patched, _DECLARATION, b"",
                                          body=False))
        try:
            self._zip = ZipCopy(self.path, replaced=[self._body.member, *(p.member for p in self._parts)])
        except ZipUnsupported as exc:
            raise _Unsupported(f"zip: {exc}") from None

    # --- rendering -----------------------------------------------------------------------------

    def accepts(self, context: Mapping[str, object]) -> bool:
        """Whether this template and ``context`` can go the fast way (else: :func:`.docx.render`)."""
        return self.unsupported is None and "gambar" not in context and _plain(context)

    def _render(self, part: _Part, context: dict) -> str:
        try:
            xml = part.template.render(context)
        except _RENDER_ERRORS as exc:
            raise _problem(self.path.name, exc) from None
        # The rest of docxtpl's render_xml_part; each step skipped only where it cannot change anything.
        xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
        if "{_" in xml or "_}" in xml:
            xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        if any(c in xml for c in _LISTING):
            xml = self._tpl.resolve_listing(xml)
        return xml

    def _body_xml(self, context: dict) -> str:
        xml = self._render(self._body, context)
        if not (self._body.proved and _xml_chars_only(xml)):
            # What docxtpl does with every body: parse (forgiving) and fix the table grids.
            try:
                xml = etree.tostring(self._tpl.fix_tables(xml), encoding="unicode")
            except (*_RENDER_ERRORS, etree.LxmlError) as exc:
                raise _problem(self.path.name, exc) from None
        # Serialised alone, the body declares every namespace; inside the document the root does.
        if self._body_tag and xml.startswith(self._body_tag):
            xml = "<w:body>" + xml[len(self._body_tag):]
        if self._renumber:
            ids = itertools.count(1001)
            xml = _DOCPR.sub(lambda m: f"{m.group(1)}{next(ids)}{m.group(2)}", xml)
        return xml

    def _header_xml(self, part: _Part, context: dict) -> str:
        # A header is the same in nearly every document (only ``draf`` changes it): rendered and checked
        # once per distinct value of the names it uses, when those are plain scalars.
        key = tuple(context.get(n) for n in part.names)
        cacheable = all(type(v) in _SCALARS for v in key)
        if cacheable and key in part.rendered:
            return part.rendered[key]
        xml = self._render(part, context)
        if not (part.proved and _xml_chars_only(xml)):
            try:  # docxtpl loads a header strictly: a broken one is an error, not repaired
                etree.fromstring(xml)
            except (etree.XMLSyntaxError, ValueError) as exc:
                raise _problem(self.path.name, ValueError(f"kepala/kaki halaman bukan XML yang sah: {exc}")) \
                    from None
        if cacheable and len(part.rendered) < 64:
            part.rendered[key] = xml
        return xml

    def render(self, context: Mapping[str, object]) -> bytes:
        """The .docx bytes for ``context``; raises :class:`.docx.TemplateProblem` as :func:`.docx.render` does."""
        if not self.accepts(context):
            why = self.unsupported or "konteks bukan data polos"
            raise ValueError(f"{self.path.name}: gunakan docx.render ({why})")
        ctx = dict(context)
        body = self._body_xml(ctx)
        contents = {self._body.member: self._body.head + body.encode("utf-8") + self._body.tail}
        for part in self._parts:
            contents[part.member] = part.head + self._header_xml(part, ctx).encode("utf-8") + part.tail
        return self._zip.build(contents)

    def save(self, context: Mapping[str, object], path: str | Path) -> Path:
        """Render ``context`` and write it to ``path`` atomically."""
        data = self.render(context)
        path = Path(path)
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
        return path


_SCALARS = frozenset({str, int, float, bool, type(None)})


def _has_jinja(text: str) -> bool:
    return any(mark in text for mark in _JINJA)


def _xml_chars_only(xml: str) -> bool:
    """Whether ``xml`` holds only characters XML allows (a value may not: a control character from a cell)."""
    try:
        data = xml.encode("utf-8")  # a lone surrogate cannot be encoded, nor written in XML
    except UnicodeEncodeError:
        return False
    # bytes.translate is a single C pass, several times faster than a regular expression here.
    return len(data.translate(None, _CONTROL)) == len(data) and "\ufffe" not in xml and "\uffff" not in xml


def _plain(value: object) -> bool:
    """Whether ``value`` is plain data: no object that writes XML itself (InlineImage, RichText, Markup ...)."""
    pending = [value]
    while pending:  # a loop, not recursion: this runs for every document
        item = pending.pop()
        kind = type(item)
        if kind is dict:
            pending.extend(item.values())
        elif kind is list or kind is tuple:
            pending.extend(item)
        elif kind not in _PLAIN:  # exact types: a str subclass such as Markup is not plain
            return False
    return True


def _split_document(raw: bytes, source: str) -> tuple[bytes, bytes, str | None]:
    """The template's document.xml before and after its body, and the body start tag that may be shortened.

    docxtpl serialises the body alone, so its start tag repeats every namespace of the root; python-docx
    then writes a bare ``<w:body>`` inside the document. The tag is returned when the root declares
    each of those namespaces the same and the tag has nothing else, else None (it is then kept).
    """
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise _Unsupported("document.xml is not UTF-8") from None
    root, start, end = re.search(r"<w:document\b[^>]*>", text), _BODY.search(text), text.rfind("</w:body>")
    tag = _BODY.match(source)
    if not (root and start and tag and end > start.end()) or tag.group().endswith("/>"):
        raise _Unsupported("document.xml has no <w:body> element in the usual form")
    declared = dict(_XMLNS.findall(root.group()))
    bare = not _XMLNS.sub("", tag.group()[len("<w:body"):-1]).strip()
    same = all(declared.get(prefix) == uri for prefix, uri in _XMLNS.findall(tag.group()))
    return text[: start.start()].encode("utf-8"), text[end + len("</w:body>"):].encode("utf-8"), \
        tag.group() if bare and same else None


class DocumentWriter:
    """``writer(context, path)`` writes one document: the fast way when it can, docxtpl's otherwise.

    The template is prepared on the first call, so an unused writer costs nothing.
    """

    def __init__(self, template: str | Path) -> None:
        self.template = Path(template)
        self._fast: FastTemplate | None = None

    def __call__(self, context: Mapping[str, object], path: str | Path) -> Path:
        if self._fast is None:
            self._fast = FastTemplate(self.template)
        if self._fast.accepts(context):
            return self._fast.save(context, path)
        return save(render(self.template, context), path)
