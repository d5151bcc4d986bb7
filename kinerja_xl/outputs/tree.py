"""The pohon kinerja (cascade tree) as data: indicators linked through their kode induk.

The tree draws; it does not judge. Its flags are the cascade check's findings, so the picture and
``kinerja-xl check`` can never disagree: ``orphan`` for an indicator with a ``parent-missing``,
``parent-unknown`` or ``parent-wrong-level`` finding (drawn apart, not under the indicator its kode
induk wrongly names), ``unsupported`` for one with ``indicator-unsupported``. Where the check stays
silent (a workbook is missing, so who should support what is unknown), the tree does too.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import fmt
from ..findings.issues import Report
from ..levels import Hierarchy
from ..model import KinerjaSet
from ..reading.parse import fold

ORPHAN_CODES = frozenset({"parent-missing", "parent-unknown", "parent-wrong-level"})
UNSUPPORTED_CODES = frozenset({"indicator-unsupported"})


@dataclass
class TreeNode:
    kode: str
    nama: str
    level: str
    unit: str
    target: str
    cascading: str = ""
    flag: str = ""  # "" | "unsupported" | "orphan"
    children: list["TreeNode"] = field(default_factory=list)


@dataclass
class CascadeTree:
    roots: list[TreeNode]
    orphans: list[TreeNode]

    def flagged(self) -> set[str]:
        out: set[str] = set()
        stack = [*self.roots, *self.orphans]
        while stack:
            node = stack.pop()
            if node.flag:
                out.add(node.kode)
            stack.extend(node.children)
        return out


def flags_from(report: Report) -> dict[str, str]:
    """Folded indicator kode -> flag, from the cascade check's findings."""
    flags: dict[str, str] = {}
    for issue in report.issues:
        kode = fold(issue.params.get("kode", ""))
        if not kode:
            continue
        if issue.code in ORPHAN_CODES:
            flags[kode] = "orphan"
        elif issue.code in UNSUPPORTED_CODES:
            flags.setdefault(kode, "unsupported")
    return flags


def cascade_tree(kset: KinerjaSet, hierarchy: Hierarchy, report: Report) -> CascadeTree:
    """Build the tree: the top level's indicators and each level's own (dukungan manajemen) ones are roots.

    ``report`` is the cascade check of this set (:func:`kinerja_xl.checks.cascade.check_set`): its findings
    give the flags.
    """
    flags = flags_from(report)
    nodes: dict[str, TreeNode] = {}
    parents: dict[str, str] = {}
    own: list[str] = []
    order = sorted(kset.pks, key=lambda pk: (hierarchy.depth(pk.level) if hierarchy.get(pk.level) else 99, pk.unit))
    for pk in order:
        lv = hierarchy.get(pk.level)
        for ind in pk.indikator:
            key = fold(ind.kode)
            if not key or key in nodes:
                continue
            nodes[key] = TreeNode(ind.kode, ind.nama, lv.nama if lv else pk.level, pk.unit,
                                  fmt.target(ind.target, ind.satuan), ind.cascading.value if ind.cascading else "",
                                  flags.get(key, ""))
            if ind.kode_induk:
                parents[key] = fold(ind.kode_induk)
            elif lv is not None and lv.induk and nodes[key].flag != "orphan":
                own.append(key)  # dukungan manajemen: a root of its own
    roots, orphans = [], []
    top = hierarchy.top.id
    for key, node in nodes.items():
        parent = parents.get(key)
        if node.flag == "orphan" or (parent and parent not in nodes):
            node.flag = node.flag or "orphan"
            orphans.append(node)
        elif parent:
            nodes[parent].children.append(node)
    for pk in order:
        for ind in pk.indikator:
            key = fold(ind.kode)
            if key in nodes and (pk.level == top or key in own) and nodes[key] not in roots:
                roots.append(nodes[key])
    return CascadeTree(roots, orphans)
