"""A set made by the 0.2 templates (template version 1, kept in tests/fixtures/set_v0_2) still validates
and builds with version 3: what is new is said once per workbook, nothing is demanded of it."""

from __future__ import annotations

import shutil
from pathlib import Path

import docx
import pytest

from kinerja_xl import api, spec

OLD_SET = Path(__file__).parent / "fixtures" / "set_v0_2"


@pytest.fixture()
def old_set(tmp_path: Path) -> Path:
    folder = tmp_path / "kpu_2022_v0_2"
    shutil.copytree(OLD_SET, folder)
    return folder


def test_a_0_2_set_validates_with_only_what_is_new_said(old_set: Path):
    report = api.check([old_set])
    codes = {i.code for i in report}
    # version 1 lacks the signing rows of version 2 (field-default) and everything of version 3; the two
    # warnings on its own data are real: SK-3 names two sasaran, and IK-K.6 has TW III without TW I-II
    assert codes == {"template-version-older", "field-default", "self-supervised", "sasaran-text-differs",
                     "tw-realisasi-gap"}, codes
    assert not any(i.code.startswith(("rencana-aksi", "tw-target", "monitoring-", "revision-", "renstra-",
                                      "manual-iku")) for i in report)
    assert api.exit_code(report) == 0
    older = [i for i in report if i.code == "template-version-older"]
    assert len(older) == 13  # once per workbook
    assert all("Rencana Aksi" in i.message and "Monitoring" in i.message for i in older)
    assert all(i.location.sheet == spec.MARKER_SHEET for i in older)


def test_a_0_2_set_builds_its_documents(old_set: Path, tmp_path: Path):
    result = api.build(old_set, tmp_path / "hasil", toc_pages=False)
    names = {p.name for p in result.written}
    assert {"RKT.docx", "Pengukuran.docx", "LAKIP.docx", "PK_Gabungan.docx"} <= names
    assert sum(n.startswith("PK_") and n != "PK_Gabungan.docx" for n in names) == 11
    assert not any("Perubahan" in n or "Triwulan" in n for n in names)  # nothing of what it does not have
    text = "\n".join(p.text for p in docx.Document(tmp_path / "hasil" / "Pengukuran.docx").paragraphs)
    assert "KPU Kota Serang" in text or "KOTA SERANG" in text.upper()
