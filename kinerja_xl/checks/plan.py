"""Checks of the SAKIP year (template version 3): the Renstra and its Manual IKU, the Rencana Aksi
(quarterly targets and budget plan of every PK), the quarterly monitoring and the PK revisions.

Single-workbook rules are called by :func:`kinerja_xl.checks.workbook.check_document`; the rules
that compare workbooks (RKT against Renstra, a subordinate's quarter against the parent's, a
revised PK against the superior in force at its date) by :func:`check_year`, at the end of the
cascade check (:mod:`kinerja_xl.checks.cascade`), which also takes from here who reports to whom
(:func:`superior_pks`) and which version of a revised superior's PK applies (:func:`superior_at`).

Quarterly targets add up to the year as quarterly realisasi do, by the indicator's agregasi
(:func:`kinerja_xl.checks.capaian.aggregate`, the one aggregation of quarters): kumulatif, the sum;
triwulan terakhir, TW IV (a status to date, which must not go backwards); rata-rata, the mean.
Numbers are compared with a relative tolerance of 1e-6; non-numeric targets (a predikat) are not compared.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
from collections import defaultdict
from pathlib import PureWindowsPath
from typing import Iterable, Iterator, Mapping, Sequence

from .. import fmt, spec
from ..findings.issues import Issue, make
from ..levels import Hierarchy
from ..model import (Agregasi, Cascading, CellRef, Indikator, KinerjaSet, MonitoringIndikator, Penurunan, PerjanjianKinerja,
                     Polaritas, Realisasi, RealisasiIndikator, Renstra, RenstraIndikator, Target)
from ..reading.parse import fold
from .capaian import aggregate

QUARTERS = range(1, len(spec.TRIWULAN) + 1)
REL_TOL = 1e-6


def tw_label(n: int) -> str:
    """ "TW III" for quarter 3, as the documents print it."""
    return f"TW {spec.TRIWULAN[n - 1]}"


def _labels(quarters: Iterable[int]) -> str:
    return ", ".join(tw_label(n) for n in quarters)


def close(a: float, b: float) -> bool:
    """Two figures that are the same number (binary noise and rounding to 1e-6 relative ignored)."""
    return math.isclose(a, b, rel_tol=REL_TOL, abs_tol=1e-9)


def same_text(a: str, b: str) -> bool:
    """The same words, letter case and spacing aside (names, jabatan, indicator wording)."""
    return " ".join(fold(a).split()) == " ".join(fold(b).split())


def _number(t: Target | None) -> float | None:
    return t.comparable() if t is not None and t.is_numeric else None


def _show(x: float, satuan: str) -> str:
    return fmt.target(Target(value=x), satuan)


def _ref(obj, key: str, fallback: str, sheet: str = "") -> CellRef:
    return obj.refs.get(key) or CellRef(fallback, sheet)


# --- who reports to whom -------------------------------------------------------------------------------
def superior_pks(pk: PerjanjianKinerja, by_level: Mapping[str, Sequence[PerjanjianKinerja]],
                 hierarchy: Hierarchy) -> list[PerjanjianKinerja]:
    """The PKs of the officials ``pk``'s holder reports to: of the parent level, and of the parent
    unit when the hierarchy names one (a Kasubag under his Kabag). ``by_level``: PKs by level id."""
    lv = hierarchy.get(pk.level)
    parent = hierarchy.get(lv.induk) if lv else None
    if parent is None:
        return []
    candidates = list(by_level.get(parent.id, ()))
    unit = lv.unit(pk.unit) if lv else None
    if unit is not None and unit.induk:
        candidates = [p for p in candidates if fold(p.unit) == fold(unit.induk)]
    return candidates


def _by_level(pks: Iterable[PerjanjianKinerja], hierarchy: Hierarchy) -> dict[str, list[PerjanjianKinerja]]:
    out: dict[str, list[PerjanjianKinerja]] = defaultdict(list)
    for pk in pks:
        if hierarchy.get(pk.level) is not None:
            out[pk.level].append(pk)
    return out


def _post(pk: PerjanjianKinerja) -> tuple[str, str]:
    """The post a PK is for (level and unit): its revisions share it."""
    return pk.level, fold(pk.unit)


def _year_start(tahun: int | None) -> dt.date:
    return dt.date(tahun, 1, 1) if tahun and dt.MINYEAR <= tahun <= dt.MAXYEAR else dt.date.min


def in_force_from(pk: PerjanjianKinerja, tahun: int | None = None) -> dt.date:
    """From when a PK version applies: its Berlaku Mulai, else its signature date, else (no date at all)
    the start of its year."""
    return pk.mulai_berlaku or _year_start(pk.tahun or tahun)


def _versions_at(versions: Sequence[PerjanjianKinerja], when: dt.date,
                 tahun: int | None) -> list[PerjanjianKinerja]:
    """Of one post's PK versions, the ones in force on ``when``: the highest revision begun on or before
    it; before any began, the post's first PK of the year. (Two PKs of that revision: both.)"""
    begun = [v for v in versions if in_force_from(v, tahun) <= when]
    pool = begun or versions
    top = max(v.revisi for v in begun) if begun else min(v.revisi for v in versions)
    return [v for v in pool if v.revisi == top]


def in_force_at(kset: KinerjaSet, when: dt.date) -> KinerjaSet:
    """The set as it stood on ``when``: each post's versions in force that day (:func:`_versions_at`). The
    quarterly report of TW II (to 30 June) is so the PK of the official then in office, though a PK
    Perubahan from 1 July is in force today."""
    posts: dict[tuple[str, str], list[PerjanjianKinerja]] = defaultdict(list)
    for pk in kset.all_pks:
        posts[_post(pk)].append(pk)
    chosen = {id(v) for versions in posts.values() for v in _versions_at(versions, when, kset.tahun)}
    return dataclasses.replace(kset, pks=tuple(p for p in kset.all_pks if id(p) in chosen),
                               superseded=tuple(p for p in kset.all_pks if id(p) not in chosen))


def _superior_at(pk: PerjanjianKinerja, kset: KinerjaSet,
                 hierarchy: Hierarchy) -> tuple[PerjanjianKinerja | None, bool]:
    """The version of the superior's PK in force at ``pk``'s date, and whether the superior's post has a
    PK Perubahan at all. (None, False) when ``pk``'s holder reports to no single post."""
    versions = superior_pks(pk, _by_level(kset.all_pks, hierarchy), hierarchy)
    if len({_post(v) for v in versions}) != 1:
        return None, False
    # Signed before any version of the superior began: the superior's first PK of the year applies.
    version = _versions_at(versions, in_force_from(pk, kset.tahun), kset.tahun)[0]
    return version, any(v.perubahan for v in versions)


def superior_at(pk: PerjanjianKinerja, kset: KinerjaSet, hierarchy: Hierarchy) -> PerjanjianKinerja | None:
    """When the superior's PK was revised (PK Perubahan): its version in force at ``pk``'s date (the
    highest revision whose start is on or before it); None when the superior has no revision, so the one
    version in force is the superior's PK."""
    version, revised = _superior_at(pk, kset, hierarchy)
    return version if revised else None


# --- one workbook ---------------------------------------------------------------------------------------
def check_renstra(doc: Renstra) -> Iterator[Issue]:
    """The Renstra workbook on its own: a period of at most five years, one Manual IKU per indicator."""
    awal, akhir = doc.periode_awal, doc.periode_akhir
    if awal is not None and akhir is not None and not 0 < akhir - awal < spec.RENSTRA_YEARS:
        yield make("renstra-period-invalid", doc.refs.get("periode_akhir", CellRef(doc.source)), awal=awal, akhir=akhir)
    # Every IKU needs its operational definition (an LKE criterion), whether or not the sheet has rows yet.
    manual = {fold(m.kode) for m in doc.manual if m.kode}
    indikator = {fold(i.kode) for i in doc.indikator if i.kode}
    for ind in doc.indikator:
        if ind.kode and fold(ind.kode) not in manual:
            yield make("manual-iku-missing", _ref(ind, "kode", doc.source, spec.RENSTRA_TABLE.name), kode=ind.kode)
    for m in doc.manual:
        if m.kode and fold(m.kode) not in indikator:
            yield make("manual-iku-unknown", _ref(m, "kode", doc.source, spec.MANUAL_IKU.name),
                       CellRef(doc.source, spec.RENSTRA_TABLE.name), kode=m.kode)


def check_pk_plan(pk: PerjanjianKinerja) -> Iterator[Issue]:
    """A PK's Rencana Aksi (quarterly targets and budget plan) and its Monitoring sheets."""
    yield from check_rencana_aksi(pk)
    yield from check_rencana_anggaran(pk)
    yield from check_monitoring(pk)


def check_rencana_aksi(pk: PerjanjianKinerja) -> Iterator[Issue]:
    planned = [i for i in pk.indikator if "target_tw1" in i.refs]  # a workbook of template version 3
    if not planned:
        return
    if not any(i.has_rencana_aksi for i in planned):  # not started: said once, not per indicator
        yield make("rencana-aksi-empty", planned[0].refs["target_tw1"], count=len(planned))
        return
    for ind in planned:
        yield from _quarter_targets(ind, pk.source)


def _quarter_targets(ind: Indikator, source: str) -> Iterator[Issue]:
    if not ind.has_rencana_aksi:
        # An indicator with no quarter at all, beside others that have them, is not said: the PK without any
        # is rencana-aksi-empty, and rows added to a PK after its Rencana Aksi are planned later.
        return
    empty = [n for n in QUARTERS if ind.target_tw[n - 1] is None]
    if empty and f"target_tw{empty[0]}" in ind.refs:
        yield make("tw-target-incomplete", ind.refs[f"target_tw{empty[0]}"], kode=ind.kode,
                   filled=_labels(n for n in QUARTERS if n not in empty), empty=_labels(empty))
    if ind.agregasi is None:  # how the quarters make the year is unknown: nothing more to compare
        if "agregasi" in ind.refs:
            yield make("tw-agregasi-missing", ind.refs["agregasi"], kode=ind.kode)
        return
    values = [_number(t) for t in ind.target_tw]
    if ind.agregasi is Agregasi.AKHIR:  # a status to date: never backwards
        negative = ind.polaritas is Polaritas.NEGATIF
        for n in QUARTERS[1:]:
            now, before = values[n - 1], values[n - 2]
            if now is None or before is None or close(now, before):
                continue
            if now > before if negative else now < before:
                yield make("tw-target-falls", _ref(ind, f"target_tw{n}", source), ind.refs.get(f"target_tw{n - 1}"),
                           kode=ind.kode, tw=tw_label(n), value=fmt.target(ind.target_tw[n - 1], ind.satuan),
                           previous_tw=tw_label(n - 1), previous=fmt.target(ind.target_tw[n - 2], ind.satuan))
    annual = _number(ind.target)
    # A status needs only its TW IV to be compared with the year; a sum or a mean needs all four quarters.
    needed = values[-1:] if ind.agregasi is Agregasi.AKHIR else values
    if annual is None or any(v is None for v in needed):
        return
    computed = aggregate(values, ind.agregasi)
    if computed is not None and not close(computed, annual):
        yield make("tw4-target-mismatch", _ref(ind, "target_tw4", source), ind.refs.get("target"), kode=ind.kode,
                   agregasi=ind.agregasi.value, computed=_show(computed, ind.satuan),
                   target=fmt.target(ind.target, ind.satuan))


def check_rencana_anggaran(pk: PerjanjianKinerja) -> Iterator[Issue]:
    for a in pk.anggaran:
        # Only a complete plan (all four quarters typed) is compared with the budget: a plan with quarters
        # still empty is being written, and its sum says nothing yet. Kept simple on purpose.
        if a.jumlah is None or any(p is None for p in a.rencana_tw) or "rencana_tw4" not in a.refs:
            continue
        total = sum(a.rencana_tw)
        if total != a.jumlah:
            yield make("rencana-anggaran-mismatch", a.refs["rencana_tw4"], a.refs.get("jumlah"), kode=a.kode,
                       computed=fmt.rupiah(total), jumlah=fmt.rupiah(a.jumlah))


def _gaps(kode: str, reported: Sequence[bool], refs: Mapping[str, CellRef]) -> Iterator[Issue]:
    """A quarter reported while the one before it is still empty (tw1..tw4 keys of ``refs``)."""
    for n in QUARTERS[1:]:
        if reported[n - 1] and not reported[n - 2] and f"tw{n}" in refs:
            before = refs.get(f"tw{n - 1}")
            yield make("tw-realisasi-gap", refs[f"tw{n}"], before, kode=kode, tw=tw_label(n),
                       previous_tw=tw_label(n - 1), previous_cell=before.cell if before else "-")


def check_monitoring(pk: PerjanjianKinerja) -> Iterator[Issue]:
    if pk.monitoring is not None:
        kodes = {fold(i.kode) for i in pk.indikator}
        for m in pk.monitoring:
            if m.kode and fold(m.kode) not in kodes:
                yield make("monitoring-kode-unknown", _ref(m, "kode", pk.source, spec.PK_MONITORING.name), kode=m.kode)
            yield from _gaps(m.kode, [m.reported(n) for n in QUARTERS], m.refs)
    if pk.monitoring_anggaran is not None:
        budget = {fold(a.kode): a for a in reversed(pk.anggaran)}  # the first row of a kode (a duplicate is said)
        for m in pk.monitoring_anggaran:
            a = budget.get(fold(m.kode))
            filled = [n for n in QUARTERS if m.realisasi[n - 1] is not None]
            if a is None or a.jumlah is None or not filled:
                continue
            total = sum(m.realisasi[n - 1] for n in filled)
            if total > a.jumlah:
                last = filled[-1]
                yield make("monitoring-anggaran-over", _ref(m, f"realisasi_tw{last}", pk.source), a.refs.get("jumlah"),
                           kode=m.kode, tw=tw_label(last), realisasi=fmt.rupiah(total), jumlah=fmt.rupiah(a.jumlah))


def check_realisasi_quarters(doc: Realisasi) -> Iterator[Issue]:
    """The Realisasi workbook's quarters are reported in order, as the PKs' Monitoring."""
    for ri in doc.indikator:
        yield from _gaps(ri.kode, [q is not None for q in ri.triwulan], ri.refs)


# --- across the set ---------------------------------------------------------------------------------------
def check_year(kset: KinerjaSet, hierarchy: Hierarchy) -> Iterator[Issue]:
    """The SAKIP-year rules that compare workbooks of one satker's set (see the module docstring)."""
    by_level = _by_level(kset.pks, hierarchy)
    yield from _rkt_renstra(kset)
    yield from _realisasi_renstra(kset)
    yield from _quarters_below_parent(kset, by_level, hierarchy)
    yield from _monitoring_realisasi(kset, by_level, hierarchy)
    yield from _derived_realisasi(kset)
    yield from _revisions(kset, hierarchy)
    yield from _revision_superiors(kset, hierarchy)


def _periode(renstra: Renstra) -> str:
    years = renstra.years
    return f"{years[0]}-{years[-1]}" if years else "(periode kosong)"


def _same_target(a: Target, b: Target) -> bool | None:
    """Equal targets; None when they cannot be compared (a number against a text)."""
    if a.is_numeric and b.is_numeric:
        high_a = a.high if a.is_range else a.comparable()
        high_b = b.high if b.is_range else b.comparable()
        return close(a.comparable(), b.comparable()) and close(high_a, high_b)
    if a.is_numeric or b.is_numeric:
        return None
    return same_text(a.text or "", b.text or "")


def _rkt_renstra(kset: KinerjaSet) -> Iterator[Issue]:
    renstra, rkt = kset.renstra, kset.rkt
    if renstra is None or rkt is None or renstra.periode_awal is None:
        return
    tahun = rkt.tahun or kset.tahun
    if tahun is None:
        return
    periode = _periode(renstra)
    if renstra.year_index(tahun) is None:
        yield make("renstra-year-outside", _ref(rkt, "tahun", rkt.source), renstra.refs.get("periode_awal"),
                   tahun=tahun, periode=periode)
        return
    known: dict[str, RenstraIndikator] = {}
    for ri in renstra.indikator:
        known.setdefault(fold(ri.kode), ri)
    seen: set[str] = set()
    for row in rkt.rows:  # one indicator repeats over its kegiatan rows: said once, at its first row
        ind = row.indikator
        key = fold(ind.kode)
        if not key or key in seen:
            continue
        seen.add(key)
        ri = known.get(key)
        if ri is None:
            if row.iku is not False:  # "tidak" in the IKU column: declared not an IKU of the Renstra
                yield make("renstra-indicator-unknown", _ref(ind, "kode", rkt.source),
                           CellRef(renstra.source, spec.RENSTRA_TABLE.name), kode=ind.kode, periode=periode)
            continue
        target, column = renstra.target_for(ri.kode, tahun)
        renstra_cell = ri.refs.get(column) if column else None
        if target is None:
            yield make("renstra-target-missing", renstra_cell or CellRef(renstra.source, spec.RENSTRA_TABLE.name),
                       ind.refs.get("target"), kode=ind.kode, tahun=tahun)
            continue
        if ind.target is not None and _same_target(ind.target, target) is False:
            yield make("renstra-target-mismatch", _ref(ind, "target", rkt.source), renstra_cell, kode=ind.kode,
                       tahun=tahun, target=fmt.target(ind.target, ind.satuan),
                       renstra_target=fmt.target(target, ri.satuan))


def renstra_target(renstra: Renstra | None, ri: RealisasiIndikator) -> Target | None:
    """The Renstra (jangka menengah) target of an indicator as every document shows it and measures
    capaian against it: the Renstra workbook's target of the period's final year when the workbook
    holds the indicator, else the realisation workbook's "Target Renstra" column (None: neither).
    One choice, here: the documents (render.renstra) and the check that the two agree use it."""
    if renstra is not None and renstra.periode_akhir is not None:
        target, _ = renstra.target_for(ri.kode, renstra.periode_akhir)
        if target is not None:
            return target
    return ri.target_renstra


def _realisasi_renstra(kset: KinerjaSet) -> Iterator[Issue]:
    """A "Target Renstra" typed in the Realisasi that the Renstra workbook contradicts: the documents use
    the Renstra's (renstra_target), so the typed cell would be silently set aside."""
    renstra, realisasi = kset.renstra, kset.realisasi
    if renstra is None or realisasi is None or renstra.periode_akhir is None:
        return
    for ri in realisasi.indikator:
        typed = ri.target_renstra
        target, column = renstra.target_for(ri.kode, renstra.periode_akhir)
        if typed is None or target is None or _same_target(typed, target) is not False:
            continue
        ind = renstra.indikator_of(ri.kode)
        yield make("renstra-realisasi-target-differs", _ref(ri, "target_renstra", realisasi.source),
                   ind.refs.get(column) if ind is not None else None, kode=ri.kode, tahun=renstra.periode_akhir,
                   typed=fmt.target(typed, ri.satuan), renstra_target=fmt.target(target, ri.satuan))


def _quarters_below_parent(kset: KinerjaSet, by_level: Mapping[str, Sequence[PerjanjianKinerja]],
                           hierarchy: Hierarchy) -> Iterator[Issue]:
    """A directly cascaded indicator's quarter is not weaker than the parent's quarter."""
    for pk in kset.pks:
        pool: dict[str, tuple[Indikator, PerjanjianKinerja]] = {}
        for owner in superior_pks(pk, by_level, hierarchy):
            for parent in owner.indikator:
                pool.setdefault(fold(parent.kode), (parent, owner))
        for ind in pk.indikator:
            found = pool.get(fold(ind.kode_induk)) if ind.kode_induk else None
            if ind.cascading is not Cascading.LANGSUNG or found is None:
                continue  # a missing or misplaced parent is the cascade check's parent-* finding
            parent, owner = found
            negative = (parent.polaritas or ind.polaritas) is Polaritas.NEGATIF
            for n in QUARTERS:
                mine, theirs = _number(ind.target_tw[n - 1]), _number(parent.target_tw[n - 1])
                if mine is None or theirs is None or close(mine, theirs):
                    continue
                if mine > theirs if negative else mine < theirs:
                    yield make("tw-target-below-parent", _ref(ind, f"target_tw{n}", pk.source),
                               _ref(parent, f"target_tw{n}", owner.source), kode=ind.kode, tw=tw_label(n),
                               value=fmt.target(ind.target_tw[n - 1], ind.satuan), induk=parent.kode,
                               parent=fmt.target(parent.target_tw[n - 1], parent.satuan))


def _monitoring_realisasi(kset: KinerjaSet, by_level: Mapping[str, Sequence[PerjanjianKinerja]],
                          hierarchy: Hierarchy) -> Iterator[Issue]:
    """The top level's Monitoring and the Realisasi workbook hold one figure per quarter."""
    real, top = kset.realisasi, by_level.get(hierarchy.top.id, [])
    if real is None or not top or top[0].monitoring is None:
        return
    pk = top[0]
    rows = {}
    for ri in real.indikator:
        rows.setdefault(fold(ri.kode), ri)
    satuan = {fold(i.kode): i.satuan for i in pk.indikator}
    for m in pk.monitoring:
        ri = rows.get(fold(m.kode))
        if ri is None:
            continue
        for n in QUARTERS:
            mine, theirs = m.realisasi[n - 1], ri.triwulan[n - 1]
            if mine is None or theirs is None or close(mine, theirs):
                continue
            yield make("monitoring-realisasi-differs", _ref(m, f"tw{n}", pk.source), ri.refs.get(f"tw{n}"),
                       kode=m.kode, tw=tw_label(n), value=_show(mine, satuan.get(fold(m.kode), ri.satuan)),
                       expected=_show(theirs, ri.satuan))


def _derive(values: Sequence[float], how: Penurunan) -> float:
    if how is Penurunan.JUMLAH:
        return sum(values)
    if how is Penurunan.RATA_RATA:
        return sum(values) / len(values)
    return min(values)


def _monitoring_row(pk: PerjanjianKinerja, kode: str) -> MonitoringIndikator | None:
    return next((m for m in pk.monitoring or () if fold(m.kode) == fold(kode)), None)


def _derived_realisasi(kset: KinerjaSet) -> Iterator[Issue]:
    """An indirectly cascaded indicator whose Manual IKU derives its realisasi from the subordinates'."""
    if kset.renstra is None:
        return
    owners: dict[str, tuple[Indikator, PerjanjianKinerja]] = {}
    children: dict[str, list[tuple[Indikator, PerjanjianKinerja]]] = defaultdict(list)
    for pk in kset.pks:
        for ind in pk.indikator:
            owners.setdefault(fold(ind.kode), (ind, pk))
            if ind.kode_induk and ind.cascading is Cascading.TIDAK_LANGSUNG:
                children[fold(ind.kode_induk)].append((ind, pk))
    for manual in kset.renstra.manual:
        key = fold(manual.kode)
        if manual.penurunan is None or key not in owners or not children.get(key):
            continue
        ind, pk = owners[key]
        mine = _monitoring_row(pk, ind.kode)
        kids = [_monitoring_row(kid_pk, kid.kode) for kid, kid_pk in children[key]]
        if mine is None or any(k is None for k in kids):
            continue
        for n in QUARTERS:
            value, values = mine.realisasi[n - 1], [k.realisasi[n - 1] for k in kids]
            if value is None or any(v is None for v in values):  # not every subordinate has reported
                continue
            expected = _derive(values, manual.penurunan)
            if not close(value, expected):
                yield make("realisasi-derived-differs", _ref(mine, f"tw{n}", pk.source), kids[0].refs.get(f"tw{n}"),
                           kode=ind.kode, tw=tw_label(n), value=_show(value, ind.satuan),
                           penurunan=manual.penurunan.value, expected=_show(expected, children[key][0][0].satuan))


def _date_ref(pk: PerjanjianKinerja) -> CellRef:
    return _ref(pk, "berlaku" if pk.berlaku else "tanggal", pk.source, spec.PK_FORM.name)


def _revisions(kset: KinerjaSet, hierarchy: Hierarchy) -> Iterator[Issue]:
    """Each PK Perubahan follows the one before it: number, date, reason and the earlier file named."""
    posts: dict[tuple[str, str], list[PerjanjianKinerja]] = defaultdict(list)
    for pk in kset.all_pks:
        posts[_post(pk)].append(pk)
    files = {PureWindowsPath(p.source).name.casefold() for p in kset.all_pks}
    files |= {PureWindowsPath(f).name.casefold() for f in kset.unreadable}  # present, though not readable
    for pk in kset.all_pks:
        if pk.sebelumnya.strip() and PureWindowsPath(pk.sebelumnya.strip()).name.casefold() not in files:
            yield make("revision-previous-unknown", _ref(pk, "sebelumnya", pk.source, spec.PK_FORM.name),
                       value=pk.sebelumnya)
        if not pk.perubahan:
            continue
        if not pk.alasan.strip():
            yield make("revision-reason-missing", _ref(pk, "alasan", pk.source, spec.PK_FORM.name), revisi=pk.revisi)
        earlier = [v for v in posts[_post(pk)] if v.revisi == pk.revisi - 1]
        if not earlier:
            lv = hierarchy.get(pk.level)
            yield make("revision-chain-broken", _ref(pk, "revisi", pk.source, spec.PK_FORM.name),
                       level=lv.nama if lv else pk.level, unit=f" {pk.unit}" if pk.unit else "", revisi=pk.revisi,
                       previous=pk.revisi - 1)
            continue
        before = earlier[0]
        if pk.mulai_berlaku and before.mulai_berlaku and pk.mulai_berlaku <= before.mulai_berlaku:
            yield make("revision-date-order", _date_ref(pk), _date_ref(before), revisi=pk.revisi,
                       tanggal=fmt.tanggal(pk.mulai_berlaku), previous=fmt.tanggal(before.mulai_berlaku))


def _revision_superiors(kset: KinerjaSet, hierarchy: Hierarchy) -> Iterator[Issue]:
    """Every PK version names as pihak kedua the superior in force at its own date.

    A PK in force whose superior has no revision is the cascade check's (pihak-kedua-mismatch); a
    superseded PK, or any PK under a revised superior, is said here, against the superior's version
    of that date.
    """
    superseded = {id(p) for p in kset.superseded}
    for pk in kset.all_pks:
        kedua = pk.pihak_kedua
        if kedua is None:
            continue
        boss_pk, revised = _superior_at(pk, kset, hierarchy)
        if boss_pk is None or not (revised or id(pk) in superseded):
            continue
        boss = boss_pk.pihak_pertama
        start = in_force_from(pk, kset.tahun)
        when = fmt.tanggal(start) if start != dt.date.min else "awal tahun"
        for key in ("nama", "jabatan", "nip"):
            mine, theirs = getattr(kedua, key) or "", getattr(boss, key) or ""
            if mine and theirs and not same_text(mine, theirs):
                yield make("revision-superior-mismatch", _ref(pk, f"pk_{key}", pk.source, spec.PK_FORM.name),
                           _ref(boss_pk, f"pp_{key}", boss_pk.source, spec.PK_FORM.name),
                           label=spec.PK_FORM.field(f"pk_{key}").label, value=mine, expected=theirs, tanggal=when)
