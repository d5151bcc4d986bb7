"""What every rendering of a template looks like, proved once from the template, so documents need no XML parse.

After rendering, docxtpl parses the body again with a forgiving parser and widens or narrows table
grids whose rows have more or fewer cells than the grid (``fix_tables``). For the usual template
neither can change anything, whatever the data; :func:`prove` shows it from the Jinja source alone:

* a value only ever becomes escaped text: no filter or function that marks text safe
  (``safe``, ``urlize``, ``xmlattr``, ``tojson``, ``lipsum``), no macro, ``{% autoescape %}``,
  include or block;
* every ``{% if %}``/``{% for %}`` branch is a balanced piece of XML, or text inside one
  attribute value (docxtpl's own ``{% vm %}``): the source is parsed once with each block
  turned into an element holding its branches, so any choice or repetition of branches is
  well-formed too;
* every table keeps its grid: no block or value among a row's cells or in a ``gridSpan``, no row
  wider than the grid, and a full-width row that no block can remove.

What the template cannot tell (a value holding characters XML forbids) the caller checks per
document. When the proof fails, the caller does what docxtpl does, per document.
"""

from __future__ import annotations

from docx.oxml.ns import qn
from jinja2 import nodes
from jinja2.environment import Environment
from lxml import etree

EXPR, BLOCK = "\ue000", "\ue001"  # private-use characters: legal in XML text, never in a name
_NS = "urn:kinerja-xl:bentuk"
_BLOCK_TAG, _BRANCH_TAG = f"{{{_NS}}}blok", f"{{{_NS}}}cabang"
_MARKS_SAFE_FILTERS = frozenset({"safe", "urlize", "xmlattr", "tojson"})  # tojson leaves '"' raw
_MARKS_SAFE_NAMES = frozenset({"lipsum"})  # the Jinja global writes <p> paragraphs
_W = qn("w:tbl")[: -len("tbl")]


class NotProved(Exception):
    """The template may render to something docxtpl would still change; the message says what."""


def prove(source: str, env: Environment, *, tables: bool = True) -> None:
    """Raise :class:`NotProved` unless every rendering of ``source`` is well-formed (and, with ``tables``,
    leaves every table grid as it is)."""
    shape = _Shape()
    shape.body(env.parse(source).body)
    try:
        root = etree.fromstring("".join(shape.out))
    except etree.XMLSyntaxError as exc:
        raise NotProved(f"some rendering is not well-formed XML ({exc})") from None
    for node in root.iter(etree.Comment, etree.ProcessingInstruction):
        if EXPR in (node.text or "") or BLOCK in (node.text or ""):
            raise NotProved("a placeholder inside an XML comment")
    if tables:
        for table in root.iter(f"{_W}tbl"):
            _table_keeps_its_grid(table)


def _check_expression(node: nodes.Node) -> None:
    for child in (node, *node.find_all(nodes.Node)):
        if isinstance(child, nodes.Filter) and child.name in _MARKS_SAFE_FILTERS:
            raise NotProved(f"filter '{child.name}' inserts text unescaped")
        if isinstance(child, nodes.Name) and child.name in _MARKS_SAFE_NAMES:
            raise NotProved(f"'{child.name}' inserts text unescaped")
        if isinstance(child, (nodes.MarkSafe, nodes.MarkSafeIfAutoescape)):
            raise NotProved("an expression marked safe")


def _branches(node: nodes.Node) -> list[list[nodes.Node]]:
    if isinstance(node, nodes.If):
        for expr in (node.test, *(e.test for e in node.elif_)):
            _check_expression(expr)
        return [node.body, *(e.body for e in node.elif_), node.else_]
    if isinstance(node, nodes.For):
        if node.recursive:  # loop(...) returns rendered markup as if it were a value
            raise NotProved("a recursive loop")
        for expr in (node.iter, node.test):
            if expr is not None:
                _check_expression(expr)
        return [node.body, node.else_]
    for expr in node.values:  # nodes.With
        _check_expression(expr)
    return [node.body]


class _Shape:
    """The source with each value a placeholder character and each block an element holding its branches."""

    def __init__(self, in_attribute: bool = False) -> None:
        self.out: list[str] = []
        self.in_tag = in_attribute

    def text(self, data: str) -> None:
        self.out.append(data)
        # lxml escapes '<' and '>' in text and attribute values: the last one seen says where we are.
        lt, gt = data.rfind("<"), data.rfind(">")
        if lt != gt:
            self.in_tag = lt > gt

    def body(self, body: list[nodes.Node]) -> None:
        for node in body:
            if isinstance(node, nodes.Output):
                for child in node.nodes:
                    if isinstance(child, nodes.TemplateData):
                        self.text(child.data)
                    else:
                        _check_expression(child)
                        self.out.append(EXPR)
            elif isinstance(node, nodes.Assign):
                _check_expression(node.node)
            elif isinstance(node, (nodes.If, nodes.For, nodes.With)):
                self.block(_branches(node))
            else:  # macros, call and filter blocks, autoescape, include, extends, set blocks ...
                raise NotProved(f"'{type(node).__name__}' is not analysed")

    def block(self, branches: list[list[nodes.Node]]) -> None:
        if self.in_tag:
            # Inside a tag, only text within one attribute value may vary (docxtpl's {% vm %}):
            # the placeholder fails the parse anywhere else in a tag.
            for branch in branches:
                inner = _Shape(in_attribute=True)
                inner.body(branch)
                if any(c in "".join(inner.out) for c in "<>\"'"):
                    raise NotProved("a block inside a tag changes more than an attribute value")
            self.out.append(BLOCK)
            return
        self.out.append(f'<k:blok xmlns:k="{_NS}">')
        for branch in branches:
            self.out.append("<k:cabang>")
            inner = _Shape()
            inner.body(branch)
            self.out += inner.out
            self.out.append("</k:cabang>")
        self.out.append("</k:blok>")


def _conditional(node: etree._Element, table: etree._Element) -> bool:
    parent = node.getparent()
    while parent is not None and parent is not table:
        if parent.tag in (_BLOCK_TAG, _BRANCH_TAG):
            return True
        parent = parent.getparent()
    return False


def _table_keeps_its_grid(table: etree._Element) -> None:
    """As docxtpl's fix_tables reads a table (rows of nested tables included), prove it changes nothing."""
    grid = table.find(f"{_W}tblGrid")
    if grid is None or next(grid.iter(_BLOCK_TAG), None) is not None:
        raise NotProved("a table grid that varies or is missing")
    columns = len(grid.findall(f"{_W}gridCol"))
    full_row = False
    for row in table.iter(f"{_W}tr"):
        if any(child.tag == _BLOCK_TAG for child in row):
            raise NotProved("a block among a row's cells")
        cells = row.findall(f"{_W}tc")
        if len(cells) > columns:
            raise NotProved("a row wider than its table grid")
        span = 0
        for cell in cells:
            props = cell.find(f"{_W}tcPr")
            if props is not None and next(props.iter(_BLOCK_TAG), None) is not None:
                raise NotProved("a block in a cell's properties")
            value = cell.find(f"{_W}tcPr/{_W}gridSpan")
            try:
                span += int(value.get(f"{_W}val")) if value is not None else 1
            except (TypeError, ValueError):
                raise NotProved("a gridSpan that is not a fixed number") from None
        full_row = full_row or (span >= columns and not _conditional(row, table))
    if not full_row:
        raise NotProved("no full-width row that every rendering keeps")
