"""Cross-level checks of one satker's set: the cascade from the top level down, signatories,
years, budgets, and the RKT and realisation against the PKs.

Every finding that involves two workbooks names both ends: ``location`` is the cell to fix
(usually on the lower level), ``related`` the cell it was compared with.

When a whole workbook is missing, the findings that only follow from its absence (its
children's parent codes, the budget sums it would hold, RKT rows only it would carry) are not
reported: ``workbook-missing`` says it once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Iterator

from .. import fmt, spec
from ..findings.issues import Issue, make
from ..levels import Hierarchy, Level
from ..model import CellRef, Cascading, Indikator, Kind, KinerjaSet, PerjanjianKinerja, Polaritas, Target
from ..reading.parse import fold
# Who reports to whom (superior_pks, also used by the charts) and the case/space-blind text match live with
# the SAKIP-year rules, which need them too and run at the end of this check (check_year).
from .plan import check_year, same_text as _same_text, superior_at, superior_pks  # noqa: F401  (re-exported)

INDIKATOR_SHEET = spec.PK_INDIKATOR.name


def check_set(kset: KinerjaSet, hierarchy: Hierarchy) -> list[Issue]:
    """Run every cross-level rule on one satker's set."""
    return list(_SetCheck(kset, hierarchy).run())


def _ref(obj, key: str, fallback: str, sheet: str = "") -> CellRef:
    return obj.refs.get(key) or CellRef(fallback, sheet)


def _target_text(t: Target | None, satuan: str) -> str:
    return fmt.target(t, satuan)


@dataclass
class _SetCheck:
    kset: KinerjaSet
    h: Hierarchy
    by_level: dict[str, list[PerjanjianKinerja]] = field(default_factory=lambda: defaultdict(list))
    index: dict[str, tuple[Indikator, PerjanjianKinerja]] = field(default_factory=dict)
    missing_levels: set[str] = field(default_factory=set)

    def run(self) -> Iterator[Issue]:
        for pk in self.kset.pks:
            if self.h.get(pk.level) is not None:
                self.by_level[pk.level].append(pk)
        yield from self.completeness()
        yield from self.years()
        yield from self.codes()
        for pk in self.kset.pks:
            yield from self.parents(pk)
            yield from self.signatories(pk)
        yield from self.support()
        yield from self.nip_names()
        yield from self.budgets()
        yield from self.rkt()
        yield from self.realisasi()
        yield from check_year(self.kset, self.h)

    @property
    def complete(self) -> bool:
        return not self.missing_levels

    # --- the set is complete ---------------------------------------------------------------------------
    def completeness(self) -> Iterator[Issue]:
        folder = self.kset.folder
        holders = list(self.h.holders())
        absent = sum(not any(not unit or fold(pk.unit) == fold(unit) for pk in self.by_level[lv.id])
                     for lv, unit in holders)
        absent += (self.kset.rkt is None) + (self.kset.realisasi is None)
        # As many workbooks as are absent are present but unreadable: they are not missing, and which is
        # which cannot be told; their own findings say what to do.
        explained = 0 < absent <= len(self.kset.unreadable)
        for lv, unit in holders:
            found = [pk for pk in self.by_level[lv.id] if not unit or fold(pk.unit) == fold(unit)]
            label = f" {unit}" if unit else ""
            if not found:
                self.missing_levels.add(lv.id)
                if not explained:
                    yield make("workbook-missing", CellRef(folder), level=lv.nama, unit=label)
            for extra in found[1:]:
                yield make("workbook-duplicate", CellRef(extra.source), CellRef(found[0].source), level=f"PK {lv.nama}",
                           unit=label, file=extra.source, other=found[0].source)
        if self.kset.rkt is None and not explained:
            yield make("rkt-missing", CellRef(folder))
        if self.kset.realisasi is None and not explained:
            yield make("realisasi-missing", CellRef(folder))

    # --- one year, one satker ------------------------------------------------------------------------------
    def years(self) -> Iterator[Issue]:
        year, satker = self.kset.tahun, self.kset.satker
        docs = [d for d in (*self.kset.pks, self.kset.rkt, self.kset.realisasi) if d is not None]
        anchor = next((d for d in docs if d.tahun == year), None)
        for doc in docs:
            if year is None:
                break
            if doc.tahun is not None and doc.tahun != year:
                related = anchor.refs.get("tahun") if anchor else None
                yield make("tahun-mismatch", _ref(doc, "tahun", doc.source), related, value=doc.tahun, expected=year)
                tanggal = getattr(doc, "tanggal", None)
                if tanggal is not None and tanggal.year != year:
                    yield make("date-outside-year", _ref(doc, "tanggal", doc.source), value=fmt.tanggal(tanggal),
                               tahun=year)
            if satker and doc.satker and fold(doc.satker) != fold(satker):
                yield make("satker-mismatch", _ref(doc, "satker", doc.source), value=doc.satker, expected=satker)

    # --- indicator codes are unique across the PKs ---------------------------------------------------------
    def codes(self) -> Iterator[Issue]:
        for pk in self.kset.pks:
            for ind in pk.indikator:
                key = fold(ind.kode)
                if not key:
                    continue
                if key in self.index:
                    first, first_pk = self.index[key]
                    if first_pk.source != pk.source:  # within one workbook the per-workbook check says it
                        yield make("duplicate-code", _ref(ind, "kode", pk.source), _ref(first, "kode", first_pk.source),
                                   kode=ind.kode, other=str(_ref(first, "kode", first_pk.source)))
                    continue
                self.index[key] = (ind, pk)

    # --- every lower indicator names its parent --------------------------------------------------------------
    def parent_pks(self, pk: PerjanjianKinerja) -> list[PerjanjianKinerja]:
        return superior_pks(pk, self.by_level, self.h)

    def parents(self, pk: PerjanjianKinerja) -> Iterator[Issue]:
        lv = self.h.get(pk.level)
        if lv is None or not lv.induk or lv.induk in self.missing_levels:
            return
        parent_level = self.h.level(lv.induk)
        allowed = {p.source for p in self.parent_pks(pk)}
        for ind in pk.indikator:
            where = _ref(ind, "kode_induk", pk.source, INDIKATOR_SHEET)
            if not ind.kode_induk:
                if ind.cascading is not Cascading.DUKUNGAN:
                    yield make("parent-missing", where, kode=ind.kode)
                continue
            found = self.index.get(fold(ind.kode_induk))
            if found is None:
                parent_file = next(iter(sorted(allowed)), self.kset.folder)
                yield make("parent-unknown", where, CellRef(parent_file, INDIKATOR_SHEET), kode=ind.kode,
                           induk=ind.kode_induk, parent_level=parent_level.nama)
                continue
            parent_ind, owner = found
            if owner.source not in allowed:
                owner_level = self.h.get(owner.level)
                yield make("parent-wrong-level", where, _ref(parent_ind, "kode", owner.source), kode=ind.kode,
                           induk=ind.kode_induk, found_level=f"{owner_level.nama if owner_level else owner.level}"
                           f"{' ' + owner.unit if owner.unit else ''}", parent_level=parent_level.nama)
                continue
            if ind.cascading is Cascading.LANGSUNG:
                yield from self.direct(ind, pk, parent_ind, owner)

    def direct(self, ind: Indikator, pk: PerjanjianKinerja, parent: Indikator,
               owner: PerjanjianKinerja) -> Iterator[Issue]:
        if ind.nama and parent.nama and not _same_text(ind.nama, parent.nama):
            yield make("cascade-wording", _ref(ind, "indikator", pk.source), _ref(parent, "indikator", owner.source),
                       kode=ind.kode, induk=parent.kode)
        child, mother = ind.target, parent.target
        if child is None or mother is None or not child.is_numeric or not mother.is_numeric:
            return
        a, b = child.comparable(), mother.comparable()
        negative = (parent.polaritas or ind.polaritas) is Polaritas.NEGATIF
        if a is not None and b is not None and (a > b if negative else a < b):
            yield make("cascade-target-lower", _ref(ind, "target", pk.source), _ref(parent, "target", owner.source),
                       kode=ind.kode, induk=parent.kode, target=_target_text(child, ind.satuan),
                       parent_target=_target_text(mother, parent.satuan))

    # --- every upper indicator is supported -------------------------------------------------------------------
    def support(self) -> Iterator[Issue]:
        supported: set[str] = set()
        for pk in self.kset.pks:
            supported.update(fold(i.kode_induk) for i in pk.indikator if i.kode_induk)
        for lv in self.h.levels:
            children = self.h.children(lv.id)
            if not children or all(c.id in self.missing_levels for c in children):
                continue
            for pk in self.by_level[lv.id]:
                for ind in pk.indikator:
                    if ind.kode and fold(ind.kode) not in supported:
                        yield make("indicator-unsupported", _ref(ind, "kode", pk.source), kode=ind.kode, level=lv.nama)

    # --- signatories -------------------------------------------------------------------------------------------
    def signatories(self, pk: PerjanjianKinerja) -> Iterator[Issue]:
        kedua, pertama = pk.pihak_kedua, pk.pihak_pertama
        if kedua and pertama.nama and _same_text(kedua.nama, pertama.nama):
            yield make("self-supervised", _ref(pk, "pp_nama", pk.source), _ref(pk, "pk_nama", pk.source),
                       value=pertama.nama)
        parents = self.parent_pks(pk)
        if kedua is None or len(parents) != 1:
            return
        # A superior whose PK was revised (PK Perubahan): the version in force at this PK's date is the one
        # to match, and a mismatch is revision-superior-mismatch (check_year), not said twice here.
        dated = superior_at(pk, self.kset, self.h)
        superior = dated or parents[0]
        boss = superior.pihak_pertama
        for key in ("nama", "jabatan", "nip"):
            label = spec.PK_FORM.field(f"pk_{key}").label
            mine, theirs = getattr(kedua, key) or "", getattr(boss, key) or ""
            if mine and theirs and not _same_text(mine, theirs):
                if dated is None:
                    yield make("pihak-kedua-mismatch", _ref(pk, f"pk_{key}", pk.source),
                               _ref(superior, f"pp_{key}", superior.source), label=label, value=mine, expected=theirs)
            elif key != "nip" and mine and theirs and " ".join(mine.split()) != " ".join(theirs.split()):
                # The same person, written differently (letter case): both PKs print, and differ on paper.
                yield make("pihak-kedua-spelling", _ref(pk, f"pk_{key}", pk.source),
                           _ref(superior, f"pp_{key}", superior.source), label=label, value=mine, expected=theirs)

    def nip_names(self) -> Iterator[Issue]:
        seen: dict[str, tuple[str, CellRef]] = {}
        for pk in self.kset.pks:
            for prefix, person in (("pp", pk.pihak_pertama), ("pk", pk.pihak_kedua)):
                if person is None or not person.nip or not person.nama:
                    continue
                where = _ref(pk, f"{prefix}_nama", pk.source)
                if person.nip not in seen:
                    seen[person.nip] = (person.nama, where)
                elif not _same_text(seen[person.nip][0], person.nama):
                    name, first = seen[person.nip]
                    yield make("nip-name-conflict", where, first, nip=fmt.nip(person.nip), value=person.nama,
                               other=name)

    # --- budgets -------------------------------------------------------------------------------------------------
    def budgets(self) -> Iterator[Issue]:
        for lv in self.h.levels:
            budget_children = [c for c in self.h.children(lv.id) if c.anggaran]
            if not lv.anggaran or not budget_children or any(c.id in self.missing_levels for c in budget_children):
                continue
            for parent in self.by_level[lv.id]:
                kids = [pk for c in budget_children for pk in self.by_level[c.id]
                        if any(p is parent for p in self.parent_pks(pk))]
                yield from self._budget_sum(parent, kids, lv)
        yield from self._budget_rkt()

    def _budget_sum(self, parent: PerjanjianKinerja, kids: list[PerjanjianKinerja], lv: Level) -> Iterator[Issue]:
        sums: dict[str, int] = defaultdict(int)
        first_child: dict[str, CellRef] = {}
        for kid in kids:
            for a in kid.anggaran:
                sums[fold(a.kode)] += a.jumlah or 0
                first_child.setdefault(fold(a.kode), _ref(a, "jumlah", kid.source))
        own = {fold(a.kode): a for a in parent.anggaran}
        for key in sorted(set(sums) | set(own)):
            expected = (own[key].jumlah or 0) if key in own else 0
            if sums.get(key, 0) != expected:
                where = _ref(own[key], "jumlah", parent.source) if key in own else CellRef(parent.source, spec.PK_ANGGARAN.name)
                kode = own[key].kode if key in own else key.upper()
                yield make("budget-sum-mismatch", where, first_child.get(key), kode=kode,
                           sum=fmt.rupiah(sums.get(key, 0)), expected=fmt.rupiah(expected), parent_level=lv.nama)

    def _budget_rkt(self) -> Iterator[Issue]:
        rkt, real = self.kset.rkt, self.kset.realisasi
        if rkt is None:
            return
        per_kegiatan: dict[str, int] = defaultdict(int)
        rkt_cell: dict[str, CellRef] = {}
        for row in rkt.rows:
            if row.kode_kegiatan:
                per_kegiatan[fold(row.kode_kegiatan)] += row.anggaran or 0
                rkt_cell.setdefault(fold(row.kode_kegiatan), _ref(row, "anggaran", rkt.source))
        top = self.by_level.get(self.h.top.id, [])
        if len(top) == 1 and top[0].anggaran:
            pk = top[0]
            for a in pk.anggaran:
                key = fold(a.kode)
                if key in per_kegiatan and per_kegiatan[key] != (a.jumlah or 0):
                    yield make("budget-rkt-mismatch", _ref(a, "jumlah", pk.source), rkt_cell[key], kode=a.kode,
                               level=self.h.top.nama, value=fmt.rupiah(a.jumlah or 0),
                               expected=fmt.rupiah(per_kegiatan[key]))
        if real is not None and real.anggaran:
            pagu_ref = _ref(real.anggaran[0], "pagu", real.source)
            if rkt.total_anggaran and rkt.total_anggaran != real.total_pagu:
                yield make("budget-pagu-mismatch", CellRef(rkt.source, spec.RKT_TABLE.name), pagu_ref, what=Kind.RKT.name,
                           value=fmt.rupiah(rkt.total_anggaran), expected=fmt.rupiah(real.total_pagu))
            if real.total_realisasi > real.total_pagu:
                yield make("realisasi-over-pagu", _ref(real.anggaran[0], "realisasi", real.source), kode="total",
                           value=fmt.rupiah(real.total_realisasi), expected=fmt.rupiah(real.total_pagu))

    # --- the top level's PK equals the RKT --------------------------------------------------------------------
    def rkt(self) -> Iterator[Issue]:
        rkt = self.kset.rkt
        if rkt is None:
            return
        rows = {}
        for row in rkt.rows:
            rows.setdefault(fold(row.indikator.kode), row.indikator)
        top = self.by_level.get(self.h.top.id, [])
        for pk in top[:1]:
            for ind in pk.indikator:
                plan = rows.get(fold(ind.kode))
                if plan is None:
                    yield make("rkt-missing-indicator", _ref(ind, "kode", pk.source), CellRef(rkt.source, spec.RKT_TABLE.name),
                               kode=ind.kode, level=self.h.top.nama)
                    continue
                for key, cell in (("sasaran", "sasaran"), ("nama", "indikator")):
                    if not _same_text(getattr(ind, key), getattr(plan, key)):
                        label = spec.RKT_TABLE.column(cell).header
                        yield make("rkt-wording-mismatch", _ref(ind, cell, pk.source), _ref(plan, cell, rkt.source),
                                   label=label, kode=ind.kode)
                if ind.target != plan.target and ind.target is not None and plan.target is not None:
                    yield make("rkt-target-mismatch", _ref(ind, "target", pk.source), _ref(plan, "target", rkt.source),
                               kode=ind.kode, target=_target_text(ind.target, ind.satuan),
                               rkt_target=_target_text(plan.target, plan.satuan))
        if self.complete:
            for key, plan in rows.items():
                if key not in self.index:
                    yield make("rkt-indicator-unassigned", _ref(plan, "kode", rkt.source), kode=plan.kode)

    # --- the realisation refers to the PKs -------------------------------------------------------------------
    def realisasi(self) -> Iterator[Issue]:
        real = self.kset.realisasi
        if real is None:
            return
        for ri in real.indikator:
            found = self.index.get(fold(ri.kode))
            if found is None:
                if self.complete and ri.kode:
                    yield make("realisasi-unknown-indicator", _ref(ri, "kode", real.source), kode=ri.kode)
                continue
            ind, pk = found
            if ri.target is not None and ind.target is not None and ri.target != ind.target:
                yield make("realisasi-target-mismatch", _ref(ri, "target", real.source), _ref(ind, "target", pk.source),
                           kode=ri.kode, target=_target_text(ri.target, ri.satuan),
                           expected=_target_text(ind.target, ind.satuan))
