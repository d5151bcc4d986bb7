"""Word documents from .docx templates with docxtpl, in a sandbox, with autoescape on.

Render and save are two steps (:func:`render`, then :func:`save`); :func:`check_template`
preflights a user's template against the placeholders the context really provides.

Why the sandbox and autoescape: a template is a file a user (or a colleague) hands us. Jinja
without a sandbox lets ``{{ ''.__class__.__mro__ }}`` walk into Python; docxtpl without
autoescape writes "&" and "<" raw into the XML, so "A & B <C>" silently disappears or breaks
the document. Both are refused here with a message in Bahasa Indonesia, never a traceback.
Every problem is a registered finding (``word-*`` in :mod:`kinerja_xl.findings.codes`): raised as
:class:`TemplateProblem` by a build, listed as :class:`kinerja_xl.findings.issues.Issue` by the preflight
(:func:`check_templates`, a :class:`kinerja_xl.findings.issues.Report` for ``kinerja-xl word check``).
The sandbox is bounded (:mod:`.limits`: time, loop steps, sizes) and the template file is inspected
before it is parsed (:mod:`.package`: sizes, DTDs, links to outside files).
"""

from __future__ import annotations

import os
import re
import tempfile
import zipfile
from pathlib import Path
from typing import Mapping

from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import StrictUndefined, TemplateError, TemplateSyntaxError, UndefinedError, nodes
from jinja2.sandbox import SandboxedEnvironment, SecurityError
from lxml import etree

from ..errors import Problem, UsageError
from ..fsutil import atomic_save
from ..findings.issues import Issue, Report, make
from ..model import CellRef
from .limits import BoundedSandbox, RenderLimit
from .package import PackageProblem, inspect_template
from .sample import KINDS, sample_context

DEFAULT_TEMPLATES_DIR = Path(__file__).with_name("templates_docx")
TEMPLATE_FILES = {kind: f"{kind}.docx" for kind in KINDS}
_MAX_IMAGE = (Mm(160), Mm(215))  # width, height that fit an A4 page inside the default margins


class TemplateProblem(Problem, ValueError):
    """A template cannot be used: a ``word-*`` finding located at the template (and its part); the message
    says which file, what is wrong and what to do."""


def _template_problem(exc: Problem) -> TemplateProblem:
    """The same finding as a :class:`TemplateProblem` (what the package check refused)."""
    return TemplateProblem(exc.code, file=exc.file, sheet=exc.sheet, cell=exc.cell, **exc.params)


def _unknown_kind(kind: str) -> TemplateProblem:
    return TemplateProblem("word-kind-unknown", kind=kind, choices=", ".join(KINDS))


class _Forbidden(SecurityError):
    def __init__(self, obj: object, attribute: str) -> None:
        super().__init__(attribute)
        self.attribute, self.owner = attribute, type(obj).__name__


class _Sandbox(BoundedSandbox):
    # Jinja's sandbox turns an unsafe attribute into an Undefined that prints as "" unless
    # it is used further: a probing template would pass unnoticed. Refuse it at once instead.
    def unsafe_undefined(self, obj, attribute):
        raise _Forbidden(obj, attribute)


def environment() -> SandboxedEnvironment:
    """The Jinja environment every template runs in: sandboxed, autoescaped, strict about unknown names."""
    return _Sandbox(autoescape=True, undefined=StrictUndefined)


def template_path(kind: str, templates_dir: str | Path | None = None) -> Path:
    """The template for ``kind``: the user's folder first, the bundled default when it has none."""
    if kind not in TEMPLATE_FILES:
        raise _unknown_kind(kind)
    if templates_dir is not None:
        folder = Path(templates_dir)
        if not folder.is_dir():
            raise TemplateProblem("word-folder-missing", file=folder)
        own = folder / TEMPLATE_FILES[kind]
        if own.is_file():
            return own
    return DEFAULT_TEMPLATES_DIR / TEMPLATE_FILES[kind]


def _open(path: Path) -> DocxTemplate:
    if not path.is_file():
        raise TemplateProblem("word-file-missing", file=path)
    try:
        inspect_template(path)  # before any parser sees it: sizes, DTDs, links to outside files
    except PackageProblem as exc:
        raise _template_problem(exc) from None
    try:
        tpl = DocxTemplate(path)
        tpl.init_docx()  # docxtpl opens lazily: open now, so a broken file is reported here
        return tpl
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError, etree.LxmlError) as exc:
        raise TemplateProblem("word-not-docx", file=path, name=path.name, reason=str(exc)) from None


def _image(tpl: DocxTemplate, path: str | Path) -> InlineImage:
    from PIL import Image  # Pillow comes with matplotlib

    with Image.open(path) as im:
        w, h = im.size
    max_w, max_h = _MAX_IMAGE
    # Scale by the binding side: a tall pohon kinerja must fit the page height, a chart the width.
    if h * max_w / w > max_h:
        return InlineImage(tpl, str(path), height=max_h)
    return InlineImage(tpl, str(path), width=max_w)


def _problem(name: str, exc: Exception, *, file: str | Path | None = None) -> TemplateProblem:
    """What went wrong while filling the template ``name`` (at ``file``, by default the name), as a finding."""
    where = {"file": file if file is not None else name, "name": name}
    if isinstance(exc, _Forbidden):
        return TemplateProblem("word-internal-access", **where, attribute=exc.attribute, owner=exc.owner)
    if isinstance(exc, RenderLimit):
        return TemplateProblem("word-limit", **where, reason=str(exc))
    if isinstance(exc, (RecursionError, MemoryError)):
        return TemplateProblem("word-too-deep", **where, error=type(exc).__name__)
    if isinstance(exc, SecurityError):
        return TemplateProblem("word-refused", **where, reason=str(exc))
    if isinstance(exc, UndefinedError):
        return TemplateProblem("word-field-unavailable", **where, reason=exc.message or str(exc))
    if isinstance(exc, TemplateSyntaxError):
        return TemplateProblem("word-syntax", **where, paragraph=exc.lineno, reason=exc.message or str(exc))
    return TemplateProblem("word-render-failed", **where, reason=str(exc))


_UPDATE_FIELDS_BEFORE = ("hdrShapeDefaults", "footnotePr", "endnotePr", "compat", "docVars", "rsids", "mathPr",
                         "attachedSchema", "themeFontLang", "clrSchemeMapping", "doNotIncludeSubdocsInStats",
                         "doNotAutoCompressPictures", "forceUpgrade", "captions", "readModeInkLockDown",
                         "smartTagType", "schemaLibrary", "shapeDefaults", "doNotEmbedSmartTags",
                         "decimalSymbol", "listSeparator")


def _has_toc(tpl: DocxTemplate) -> bool:
    body = tpl.docx.element.body
    texts = [t.text or "" for t in body.iter(qn("w:instrText"))]
    texts += [f.get(qn("w:instr"), "") for f in body.iter(qn("w:fldSimple"))]
    return any(t.strip().upper().startswith("TOC") for t in texts)


def ensure_update_fields(tpl: DocxTemplate) -> None:
    """Ask Word to refresh fields (the Daftar Isi) on opening: ``<w:updateFields w:val="true"/>``."""
    settings = tpl.docx.settings.element
    existing = settings.find(qn("w:updateFields"))
    if existing is not None:
        existing.set(qn("w:val"), "true")
        return
    element = settings.makeelement(qn("w:updateFields"), {qn("w:val"): "true"})
    # settings.xml is an ordered sequence: updateFields must come before these, or Word calls the file corrupt.
    follower = next((c for c in settings if c.tag in {qn(f"w:{n}") for n in _UPDATE_FIELDS_BEFORE}), None)
    if follower is not None:
        follower.addprevious(element)
    else:
        settings.append(element)


def render(template: str | Path, context: Mapping[str, object]) -> DocxTemplate:
    """Step 1: fill ``template`` with ``context``; chart paths under ``context["gambar"]`` and the
    ``gambar`` of each part under ``context["pohon"]`` become images."""
    path = Path(template)
    tpl = _open(path)
    ctx = dict(context)
    gambar = ctx.get("gambar")
    if isinstance(gambar, Mapping):
        ctx["gambar"] = {k: _image(tpl, v) if v else "" for k, v in gambar.items()}
    pohon = ctx.get("pohon")
    if isinstance(pohon, list):  # the LAKIP's pohon kinerja, one image per part
        ctx["pohon"] = [{**part, "gambar": _image(tpl, part["gambar"])} if part.get("gambar") else part
                        for part in pohon]
    try:
        tpl.render(ctx, jinja_env=environment(), autoescape=True)
    except (TemplateError, TypeError, ValueError, ArithmeticError, AttributeError, LookupError, RecursionError,
            MemoryError, etree.LxmlError) as exc:
        raise _problem(path.name, exc, file=path) from None
    if _has_toc(tpl):
        ensure_update_fields(tpl)
    return tpl


def save(doc: DocxTemplate, path: str | Path) -> Path:
    """Step 2: write the rendered document; atomic, so a failure leaves no half-written file."""
    return atomic_save(doc, path)


# --- preflight -------------------------------------------------------------------------------------

_ANY = object()  # a value whose fields we cannot know (a string, a call result): not checked


def _element(shape: object) -> object:
    """The shape of one item of a list: the union of the fields of its dict items."""
    if not isinstance(shape, list) or not shape:
        return _ANY
    if all(isinstance(item, dict) for item in shape):
        merged: dict = {}
        for item in shape:
            for key, value in item.items():
                merged.setdefault(key, value)
        return merged
    return shape[0]


def _attr(node: nodes.Node) -> str | None:
    if isinstance(node, nodes.Getattr):
        return node.attr
    if isinstance(node, nodes.Getitem) and isinstance(node.arg, nodes.Const) and isinstance(node.arg.value, str):
        return node.arg.value
    return None


def _shape(node: nodes.Node, scope: dict) -> object:
    if isinstance(node, nodes.Name):
        return scope.get(node.name, _ANY)
    attr = _attr(node)
    if attr is not None:
        base = _shape(node.node, scope)
        return base.get(attr, _ANY) if isinstance(base, dict) else _ANY
    return _ANY


def _dotted(node: nodes.Node) -> str:
    if isinstance(node, nodes.Name):
        return node.name
    attr = _attr(node)
    return f"{_dotted(node.node)}.{attr}" if attr is not None else "\u2026"


def _walk(node: nodes.Node, scope: dict, found: list[tuple[str, str, list[str]]]) -> None:
    """Collect (problem, placeholder, known fields) for fields a template reaches that do not exist."""
    if isinstance(node, nodes.For):
        _walk(node.iter, scope, found)
        inner = dict(scope, loop=_ANY)
        item = _element(_shape(node.iter, scope))
        if isinstance(node.target, nodes.Name):  # find_all() below skips the node itself
            inner[node.target.name] = item
        for name in node.target.find_all(nodes.Name):  # "for k, v in ...": fields unknown
            inner[name.name] = _ANY
        for child in (*node.body, *node.else_, *([node.test] if node.test else [])):
            _walk(child, inner, found)
        return
    if isinstance(node, nodes.Assign):
        for name in [node.target, *node.target.find_all(nodes.Name)]:
            if isinstance(name, nodes.Name):
                scope[name.name] = _ANY
    if isinstance(node, nodes.Call) and _attr(node.node) is not None:
        node_children = [node.node.node, *node.args, *node.kwargs]  # x.items(): a method, not a field
        for child in node_children:
            _walk(child, scope, found)
        return
    attr = _attr(node)
    if attr is not None:
        base = _shape(node.node, scope)
        if attr.startswith("_"):
            found.append(("terlarang", _dotted(node), []))
        elif isinstance(base, dict) and attr not in base:
            found.append(("tidak dikenal", _dotted(node), sorted(base)))
    for child in node.iter_child_nodes():
        _walk(child, scope, found)


def _trial_render(path: Path, kind: str) -> TemplateProblem | None:
    """Render ``path`` with the sample satker's data and the bounds of every build: the problem, or None.

    What no reading of the template can tell (a loop of 10^10 steps, ``'A' * 10**9``, a macro calling
    itself, ``''|attr('__class__')``, XML the filled template breaks) shows up here as it would in a build.
    """
    from PIL import Image

    ctx = sample_context(kind)
    with tempfile.TemporaryDirectory(prefix=f"kinerja-xl-cek-{os.getpid()}-") as tmp:
        png = Path(tmp) / "contoh.png"  # the sample's pictures do not exist: one small stand-in for all
        Image.new("RGB", (4, 3), "white").save(png)
        if isinstance(ctx.get("gambar"), dict):
            ctx["gambar"] = {k: png for k in ctx["gambar"]}
        if isinstance(ctx.get("pohon"), list):
            ctx["pohon"] = [{**part, "gambar": png} if part.get("gambar") else part for part in ctx["pohon"]]
        try:
            render(path, ctx)
        except TemplateProblem as exc:
            return exc
    return None


def check_template(path: str | Path, kind: str) -> list[str]:
    """The messages of :func:`template_issues`.

    >>> check_template(DEFAULT_TEMPLATES_DIR / "pk.docx", "pk")
    []
    """
    return [issue.message for issue in template_issues(path, kind)]


def template_issues(path: str | Path, kind: str) -> list[Issue]:
    """Problems of a template before rendering: placeholders the data lacks, unknown fields, forbidden access,
    and what a trial render with the sample data under the build's bounds finds (too slow, too large, refused).
    Each is a ``word-*`` finding located at the template."""
    path = Path(path)
    if kind not in KINDS:
        raise _unknown_kind(kind)
    try:
        tpl = _open(path)
        env = environment()
        used = tpl.get_undeclared_template_variables(jinja_env=env)
        xml = tpl.patch_xml(tpl.xml_to_string(tpl.docx.element.body))
        for rel in tpl.docx.part.rels.values():  # headers and footers carry placeholders too
            if rel.reltype in (tpl.HEADER_URI, tpl.FOOTER_URI):
                xml += tpl.patch_xml(rel.target_part.blob.decode("utf-8"))
        # One line per paragraph, as docxtpl does when rendering: an error's line is then a paragraph number.
        tree = env.parse(re.sub(r"<w:p([ >])", r"\n<w:p\1", xml))
    except TemplateProblem as exc:
        return [exc.issue]
    except TemplateSyntaxError as exc:
        return [_problem(path.name, exc, file=path).issue]
    context = sample_context(kind)
    where = CellRef(str(path))
    problems = [
        make("word-placeholder-unknown", where, name=path.name, placeholder=name, kind=kind,
             available=", ".join(sorted(context)))
        for name in sorted(used - set(context) - set(env.globals))
    ]
    found: list[tuple[str, str, list[str]]] = []
    _walk(tree, dict(context), found)
    for problem, placeholder, known in dict.fromkeys((p, n, tuple(k)) for p, n, k in found):
        if problem == "terlarang":
            problems.append(make("word-internal-attribute", where, name=path.name, placeholder=placeholder))
        else:
            base, _, field = placeholder.rpartition(".")
            problems.append(make("word-field-unknown", where, name=path.name, placeholder=placeholder, base=base,
                                 field=field, known=", ".join(known)))
    trial = _trial_render(path, kind)
    # A placeholder the data lacks is already named; the trial render would only name it again.
    if trial is not None and not (problems and trial.code == "word-field-unavailable"):
        problems.append(trial.issue)
    return problems


def template_files(path: str | Path, kind: str | None = None) -> list[tuple[Path, str]]:
    """The templates at ``path`` with their kinds: a folder's templates by their file names, or one file
    (its kind from its name, or ``kind``). A path that does not exist or holds no template is a usage error."""
    path = Path(path)
    if not path.exists():
        raise UsageError(f"Template tidak ditemukan: {path}")
    by_name = {name: k for k, name in TEMPLATE_FILES.items()}
    if path.is_dir():
        files = [(path / name, k) for name, k in by_name.items() if (path / name).is_file()]
        if not files:
            raise UsageError(f"Folder {path} tidak berisi template: {', '.join(by_name)}.")
        return files
    chosen = kind or by_name.get(path.name)
    if chosen is None:
        raise UsageError(f"Jenis template {path.name} tidak dapat ditebak; sebutkan --jenis "
                         f"({', '.join(TEMPLATE_FILES)}).")
    if chosen not in TEMPLATE_FILES:
        raise UsageError(f"Jenis template tidak dikenal: {chosen} ({', '.join(TEMPLATE_FILES)}).")
    return [(path, chosen)]


def check_templates(path: str | Path, kind: str | None = None) -> Report:
    """Preflight the Word templates at ``path`` (a file or a folder of them): every problem a finding of
    the template it is in, the templates as the report's files (``kinerja-xl word check``)."""
    files = template_files(path, kind)
    return Report.of([issue for file, k in files for issue in template_issues(file, k)],
                     [str(file) for file, _ in files])
