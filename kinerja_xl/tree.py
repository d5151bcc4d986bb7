"""The pohon kinerja (cascade tree) as data: indicators linked through their kode induk.

Flags: ``unsupported`` for an indicator of a level with lower levels that nobody supports,
``orphan`` for one whose kode induk is missing or names no indicator of the set.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import fmt
from .levels import Hierarchy
from .model import Cascading, KinerjaSet
from .parse import fold


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


def cascade_tree(kset: KinerjaSet, hierarchy: Hierarchy) -> CascadeTree:
    """Build the tree: the top level's indicators and each level's own (dukungan manajemen) ones are roots."""
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
                                  fmt.target(ind.target, ind.satuan), ind.cascading.value if ind.cascading else "")
            if ind.kode_induk:
                parents[key] = fold(ind.kode_induk)
            elif lv is not None and lv.induk and ind.cascading is not Cascading.DUKUNGAN:
                nodes[key].flag = "orphan"
            elif lv is not None and lv.induk:
                own.append(key)
    roots, orphans = [], []
    top = hierarchy.top.id
    for key, node in nodes.items():
        parent = parents.get(key)
        if parent and parent in nodes:
            nodes[parent].children.append(node)
        elif parent or node.flag == "orphan":
            node.flag = "orphan"
            orphans.append(node)
    for pk in order:
        for ind in pk.indikator:
            key = fold(ind.kode)
            if key in nodes and (pk.level == top or key in own) and nodes[key] not in roots:
                roots.append(nodes[key])
    levels_with_children = {lv.nama for lv in hierarchy.levels if hierarchy.children(lv.id)}
    for node in nodes.values():
        if not node.children and not node.flag and node.level in levels_with_children:
            node.flag = "unsupported"
    return CascadeTree(roots, orphans)
