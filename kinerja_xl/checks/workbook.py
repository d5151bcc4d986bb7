"""Checks of one workbook, after reading: required identity, NIP, year and dates, duplicates.

Each check is a small function yielding issues; :func:`check_document` runs those that apply.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Iterable, Iterator

from .capaian import aggregate
from .plan import check_pk_plan, check_realisasi_quarters, check_renstra
from ..findings.issues import Issue, make
from ..levels import Hierarchy
from ..model import CellRef, Document, Indikator, PerjanjianKinerja, Realisasi, RencanaKinerjaTahunan, Renstra
from ..reading.parse import fold
from ..reading.sheets import field_label
from ..spec import PK_FORM, REALISASI_INDIKATOR
from .. import fmt

MIN_YEAR, MAX_YEAR = 2000, 2100
PK_LAST_MONTH = 2  # PKs are signed in January-February (within a month of the DIPA)


def check_document(doc: Document, hierarchy: Hierarchy) -> list[Issue]:
    """All single-workbook checks for one document."""
    if isinstance(doc, Renstra):  # a five-year plan: a period, no year
        return list(check_renstra(doc))
    issues: list[Issue] = []
    issues += check_tahun(doc)
    if isinstance(doc, PerjanjianKinerja):
        issues += check_pk(doc, hierarchy)
        issues += check_duplicates(((i.kode, i.refs.get("kode")) for i in doc.indikator))
        issues += check_duplicates(((a.kode, a.refs.get("kode")) for a in doc.anggaran))
        issues += check_sasaran_texts(doc.indikator)
        issues += check_pk_plan(doc)
    elif isinstance(doc, RencanaKinerjaTahunan):
        issues += check_duplicates(((r.indikator.kode, r.indikator.refs.get("kode")) for r in doc.rows))
        issues += check_sasaran_texts(r.indikator for r in doc.rows)
    elif isinstance(doc, Realisasi):
        issues += check_duplicates(((i.kode, i.refs.get("kode")) for i in doc.indikator))
        issues += check_duplicates(((a.kode, a.refs.get("kode")) for a in doc.anggaran))
        issues += check_realisasi_anggaran(doc)
        issues += check_agregasi(doc)
        issues += check_realisasi_percent(doc)
        issues += check_realisasi_quarters(doc)
    return issues


def check_tahun(doc: Document) -> Iterator[Issue]:
    if doc.tahun is not None and not MIN_YEAR <= doc.tahun <= MAX_YEAR:
        yield make("tahun-invalid", doc.refs.get("tahun", CellRef(doc.source)), value=doc.tahun)


def check_pk(pk: PerjanjianKinerja, hierarchy: Hierarchy) -> Iterator[Issue]:
    level = hierarchy.get(pk.level)
    if level is None:
        return
    pp = pk.pihak_pertama
    yield from check_pejabat_nip(pp.nip, asn=level.asn, where=pk.refs.get("pp_nip"), level=level.nama)
    for key, person in (("pp_nama", pp), ("pk_nama", pk.pihak_kedua)):
        prefix = acting_prefix(person.nama if person else "")
        if prefix and key in pk.refs:
            yield make("acting-prefix-in-name", pk.refs[key], value=person.nama, prefix=prefix)
    parent = hierarchy.get(level.induk)
    if parent is not None:
        kedua = pk.pihak_kedua
        for key in ("pk_nama", "pk_jabatan"):
            value = getattr(kedua, key[3:], "") if kedua else ""
            if not value and key in pk.refs:
                yield make("required-missing", pk.refs[key], label=field_label(PK_FORM, PK_FORM.field(key)))
        yield from check_pejabat_nip(kedua.nip if kedua else None, asn=parent.asn, where=pk.refs.get("pk_nip"),
                                     level=parent.nama)
    if pk.tanggal is not None and pk.tahun is not None and MIN_YEAR <= pk.tahun <= MAX_YEAR:
        where = pk.refs.get("tanggal", CellRef(pk.source))
        if pk.tanggal.year != pk.tahun:
            yield make("date-outside-year", where, pk.refs.get("tahun"), value=fmt.tanggal(pk.tanggal), tahun=pk.tahun)
        elif pk.tanggal.month > PK_LAST_MONTH and not pk.perubahan:  # a PK Perubahan is signed mid-year
            yield make("pk-date-late", where, value=fmt.tanggal(pk.tanggal))


_ACTING = re.compile(r"^\s*(Plt|Plh|Pj|Pjs)\.?\s+", re.I)


def acting_prefix(nama: str) -> str:
    """The acting-official prefix a name was typed with ("Plt. Diar Novianti" -> "Plt."), else "".

    >>> acting_prefix("plt diar novianti"), acting_prefix("Pltk. Ani"), acting_prefix("Pj. Budi")
    ('Plt.', '', 'Pj.')
    """
    m = _ACTING.match(nama or "")
    return m.group(1).capitalize() + "." if m else ""


def check_pejabat_nip(nip: str | None, *, asn: bool, where: CellRef | None, level: str) -> Iterator[Issue]:
    if where is None:
        return
    if not nip:
        if asn:
            yield make("nip-missing", where, level=level)
        return
    if not asn:
        yield make("nip-unexpected", where, level=level)
    yield from check_nip(nip, where)


def check_nip(nip: str, where: CellRef) -> Iterator[Issue]:
    """Structure of an 18-digit NIP: birth date, appointment month, gender digit.

    A PPPK number is 18 digits too, but its digits 9-14 are not an appointment month, so that
    part only warns.
    """
    if len(nip) != 18:
        yield make("nip-length", where, value=nip, length=len(nip))
        return
    try:
        born = dt.date(int(nip[0:4]), int(nip[4:6]), int(nip[6:8]))
    except ValueError:
        born = None
    if born is None or not 1930 <= born.year <= dt.date.today().year - 15:
        yield make("nip-birthdate-invalid", where, value=fmt.nip(nip))
    if nip[14] not in "12":
        yield make("nip-gender-invalid", where, value=fmt.nip(nip))
    year, month = int(nip[8:12]), int(nip[12:14])
    if not 1 <= month <= 12 or (born is not None and not born.year + 17 <= year <= dt.date.today().year + 1):
        yield make("nip-appointment-unusual", where, value=fmt.nip(nip))


def check_duplicates(items: Iterable[tuple[str, CellRef | None]]) -> Iterator[Issue]:
    seen: dict[str, CellRef] = {}
    for kode, where in items:
        if not kode or where is None:
            continue
        key = kode.casefold()
        if key in seen:
            yield make("duplicate-code", where, related=seen[key], kode=kode, other=seen[key].cell)
        else:
            seen[key] = where


def check_sasaran_texts(indikator: Iterable[Indikator]) -> Iterator[Issue]:
    """One kode sasaran, one wording: rows of one sasaran whose texts differ (beyond spaces and letter
    case) would print two sasaran under one code. Blank sasaran cells are left to the reader."""
    first: dict[str, Indikator] = {}
    for ind in indikator:
        key = fold(ind.kode_sasaran)
        if not key or not ind.sasaran:
            continue
        seen = first.setdefault(key, ind)
        if seen is not ind and " ".join(fold(seen.sasaran).split()) != " ".join(fold(ind.sasaran).split()):
            yield make("sasaran-text-differs", ind.refs.get("sasaran", CellRef("")), seen.refs.get("sasaran"),
                       kode=ind.kode_sasaran, value=ind.sasaran, expected=seen.sasaran)


def check_realisasi_anggaran(doc: Realisasi) -> Iterator[Issue]:
    for a in doc.anggaran:
        if a.pagu is not None and a.realisasi is not None and a.realisasi > a.pagu:
            yield make("realisasi-over-pagu", a.refs.get("realisasi", CellRef(doc.source)), kode=a.kode,
                       value=fmt.rupiah(a.realisasi), expected=fmt.rupiah(a.pagu))


def check_agregasi(doc: Realisasi) -> Iterator[Issue]:
    """Several quarters filled but no agregasi: the year would be their sum, which may not be meant."""
    for ri in doc.indikator:
        filled = sum(q is not None for q in ri.triwulan)
        if ri.agregasi is None and ri.tahunan is None and filled > 1:
            yield make("agregasi-missing", ri.refs.get("agregasi", CellRef(doc.source)), kode=ri.kode, filled=filled)


_QUARTERS = tuple((key, f"Realisasi {REALISASI_INDIKATOR.column(key).header}") for key in ("tw1", "tw2", "tw3", "tw4"))


def check_realisasi_percent(doc: Realisasi) -> Iterator[Issue]:
    """A percent realisasi above 100 ("95.000" typed for 95), each at its own cell.

    The reader warns about a percent target; realisasi, last year's figure and the Renstra target
    are checked here. When no annual figure is typed and no quarter is above 100 but their
    aggregate is (four quarters of 90% with agregasi kumulatif), the warning sits on the
    Realisasi Tahunan cell and says the figure is the aggregate of the quarters.
    """
    for ri in doc.indikator:
        if ri.satuan.strip() != "%":
            continue
        values = [(key, label, q) for (key, label), q in zip(_QUARTERS, ri.triwulan)]
        renstra = ri.target_renstra
        values += [(key, REALISASI_INDIKATOR.column(key).header, value) for key, value in (
            ("tahunan", ri.tahunan), ("tahun_lalu", ri.tahun_lalu),
            ("target_renstra", None if renstra is None else renstra.high if renstra.is_range else renstra.value))]
        flagged = False
        for key, label, value in values:
            if value is not None and value > 100 and key in ri.refs:
                flagged = True
                yield make("percent-over-100", ri.refs[key], label=label, value=fmt.smart_number(value))
        # Without an agregasi, agregasi-missing already says the year is the sum of the quarters.
        total = aggregate(ri.triwulan, ri.agregasi) if ri.tahunan is None and ri.agregasi else None
        if total is not None and total > 100 and not flagged and "tahunan" in ri.refs:
            yield make("percent-over-100", ri.refs["tahunan"],
                       label=f"{REALISASI_INDIKATOR.column('tahunan').header} (dihitung {ri.agregasi.value} "
                             "dari TW I-IV)",
                       value=fmt.smart_number(total))
