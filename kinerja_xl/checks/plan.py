"""Checks of the SAKIP year (template version 3): the Renstra and its Manual IKU, the Rencana Aksi
(quarterly targets and budget plan of every PK), the quarterly monitoring and the PK revisions.

Single-workbook rules are called by :func:`kinerja_xl.checks.workbook.check_document`; the rules
that compare workbooks (RKT against Renstra, a subordinate's quarter against the parent's, a
revised PK against the superior in force at its date) by :func:`check_year`.
"""

from __future__ import annotations

from typing import Iterator

from .. import spec
from ..findings.issues import Issue, make
from ..model import CellRef, Renstra


def check_renstra(doc: Renstra) -> Iterator[Issue]:
    """The Renstra workbook on its own: a period of at most five years."""
    awal, akhir = doc.periode_awal, doc.periode_akhir
    if awal is not None and akhir is not None and not 0 < akhir - awal < spec.RENSTRA_YEARS:
        yield make("renstra-period-invalid", doc.refs.get("periode_akhir", CellRef(doc.source)), awal=awal, akhir=akhir)
