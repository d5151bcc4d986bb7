"""The organisational hierarchy as data, loaded from a TOML file.

The default is KPU Kabupaten/Kota (``kpu_kabkota.toml`` beside this module); another agency
writes its own file in the same shape (see ``pemda_dinas.toml``) and passes its path.

>>> h = load_hierarchy()
>>> h.level("eselon4").induk
'sekretaris'
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ..errors import Problem

HERE = Path(__file__).parent
DEFAULT = "kpu_kabkota"


class HierarchyError(Problem, ValueError):
    """The hierarchy file cannot be used: a ``hierarchy-*`` finding located at the file (exit 2); the
    message says why, in Bahasa Indonesia."""


@dataclass(frozen=True)
class Unit:
    nama: str
    induk: str = ""  # the unit of the parent level this unit reports to ("" = the only one)


@dataclass(frozen=True)
class Level:
    id: str
    nama: str
    induk: str
    asn: bool
    label_sasaran: str
    jabatan: str
    units: tuple[Unit, ...]
    anggaran: bool

    def jabatan_for(self, unit: str, satker: str) -> str:
        return " ".join(self.jabatan.format(unit=unit, satker=satker).split())

    def unit(self, nama: str) -> Unit | None:
        key = nama.casefold().strip()
        return next((u for u in self.units if u.nama.casefold() == key), None)


@dataclass(frozen=True)
class Hierarchy:
    id: str
    nama: str
    levels: tuple[Level, ...]

    def level(self, level_id: str) -> Level:
        for lv in self.levels:
            if lv.id == level_id:
                return lv
        raise KeyError(level_id)

    def get(self, level_id: str) -> Level | None:
        return next((lv for lv in self.levels if lv.id == level_id), None)

    @property
    def top(self) -> Level:
        return next(lv for lv in self.levels if not lv.induk)

    def children(self, level_id: str) -> tuple[Level, ...]:
        return tuple(lv for lv in self.levels if lv.induk == level_id)

    def is_lowest(self, level_id: str) -> bool:
        return not self.children(level_id)

    def depth(self, level_id: str) -> int:
        d, lv = 0, self.level(level_id)
        while lv.induk:
            d, lv = d + 1, self.level(lv.induk)
        return d

    def holders(self) -> list[tuple[Level, str]]:
        """Every PK holder the hierarchy expects: (level, unit name or "")."""
        out: list[tuple[Level, str]] = []
        for lv in self.levels:
            out.extend((lv, u.nama) for u in lv.units) if lv.units else out.append((lv, ""))
        return out


def load_hierarchy(source: str | Path | None = None) -> Hierarchy:
    """Load a hierarchy by bundled name ("kpu_kabkota", "pemda_dinas"), by the id a bundled one
    declares ("pemda-dinas", as a template's marker records it) or by file path."""
    if source is None:
        source = DEFAULT
    path = Path(source)
    if not path.suffix and not path.exists():
        path = HERE / f"{source}.toml"
        if not path.exists():
            path = bundled().get(str(source), path)
    return _load(str(path.resolve()))


def bundled() -> dict[str, Path]:
    """The hierarchies shipped with kinerja_xl, by the id each declares."""
    return {_load(str(p.resolve())).id: p for p in sorted(HERE.glob("*.toml"))}


@lru_cache(maxsize=16)
def _load(path: str) -> Hierarchy:
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise HierarchyError("hierarchy-file-missing", file=path) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise HierarchyError("hierarchy-file-invalid", file=path, reason=str(exc)) from None
    try:
        levels = tuple(_level(item) for item in raw["tingkat"])
        hierarchy = Hierarchy(id=str(raw.get("id", Path(path).stem)), nama=str(raw.get("nama", "")), levels=levels)
    except (KeyError, TypeError) as exc:
        raise HierarchyError("hierarchy-file-incomplete", file=path, key=str(exc)) from None
    _check(hierarchy, path)
    return hierarchy


def _level(item: dict) -> Level:
    units = []
    for u in item.get("unit", []):
        units.append(Unit(nama=u) if isinstance(u, str) else Unit(nama=u["nama"], induk=u.get("induk", "")))
    return Level(
        id=item["id"],
        nama=item["nama"],
        induk=item.get("induk", ""),
        asn=bool(item.get("asn", True)),
        label_sasaran=item.get("label_sasaran", "SASARAN"),
        jabatan=item.get("jabatan", "{unit}"),
        units=tuple(units),
        anggaran=bool(item.get("anggaran", True)),
    )


def _check(h: Hierarchy, path: str) -> None:
    ids = [lv.id for lv in h.levels]
    if len(set(ids)) != len(ids):
        raise HierarchyError("hierarchy-level-duplicate", file=path)
    tops = [lv for lv in h.levels if not lv.induk]
    if len(tops) != 1:
        raise HierarchyError("hierarchy-top-not-one", file=path)
    for lv in h.levels:
        if lv.induk and lv.induk not in ids:
            raise HierarchyError("hierarchy-parent-unknown", file=path, induk=lv.induk, level=lv.id)
        parent = h.get(lv.induk)
        for u in lv.units:
            if parent and u.induk and not parent.unit(u.induk):
                raise HierarchyError("hierarchy-unit-parent-unknown", file=path, unit=u.nama, induk=u.induk,
                                     parent=parent.id)
    for lv in h.levels:  # no cycles
        seen, cur = set(), lv
        while cur.induk:
            if cur.id in seen:
                raise HierarchyError("hierarchy-cycle", file=path, level=lv.id)
            seen.add(cur.id)
            cur = h.level(cur.induk)
