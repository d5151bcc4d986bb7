"""The PK Lampiran with the Rencana Aksi (issue 11.2, ``build --target-triwulan``).

The Permen format prints the target of each quarter beside the year's ("Prediksi Capaian TW I-IV") and the
budget plan per quarter. The expected figures are read from the workbook's cells with openpyxl; the
documents are read back with python-docx. A PK without a Rencana Aksi keeps the one-target Lampiran.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from docx import Document

from kinerja_xl import api, fmt
from kinerja_xl.model import Target

from conftest import edit

SEKRETARIS = "PK_07_Sekretaris.xlsx"
SEKRETARIS_DOC = "PK_07_Sekretaris.docx"


def rows(table) -> list[list[str]]:
    out = []
    for r in table.rows:
        cells = []
        for c in r.cells:
            cells.append(" ".join(c.text.split()))
        out.append(cells)
    return out


def lampiran_tables(path: Path) -> list[list[list[str]]]:
    """The tables of a PK whose header names INDIKATOR KINERJA or PROGRAM/KEGIATAN (its Lampiran)."""
    found = []
    for t in Document(str(path)).tables:
        r = rows(t)
        if r and any(h in ("INDIKATOR KINERJA", "PROGRAM/ KEGIATAN", "PROGRAM/KEGIATAN") for h in r[0]):
            found.append(r)
    return found


def percent(value) -> str:
    return fmt.target(Target(value=round(value * 100, 10)), "%")


def dotted(amount: int) -> str:
    """Rupiah as the PK tables print them, thousands grouped with dots (written here, not the code's)."""
    return f"{amount:,}".replace(",", ".")


def workbook_plan(folder: Path, name: str = SEKRETARIS):
    wb = openpyxl.load_workbook(folder / name, data_only=True)
    ind = [[c.value for c in r] for r in wb["Indikator"].iter_rows(min_row=4) if r[0].value is not None]
    ang = [[c.value for c in r] for r in wb["Anggaran"].iter_rows(min_row=4) if r[0].value is not None]
    return ind, ang


def test_lampiran_prints_each_quarters_target_and_budget_plan(example: Path, tmp_path: Path):
    out = tmp_path / "hasil"
    result = api.build(example, out, target_triwulan=True)
    assert not result.blocked
    ind, ang = workbook_plan(example)
    sasaran, anggaran = lampiran_tables(out / SEKRETARIS_DOC)
    assert sasaran[0][3:] == ["TARGET", "TW I", "TW II", "TW III", "TW IV"]
    body = sasaran[2:]  # the header and the (1) (2) ... row
    assert len(body) == len(ind) == 8
    for got, cells in zip(body, ind):
        # columns of the sheet: F target, K..N Target TW I..IV (percent cells hold 0.9 for 90%)
        assert got[2] == " ".join(str(cells[3]).split())
        assert got[3:] == [percent(cells[5]), *(percent(v) for v in cells[10:14])]
    assert sasaran[2 + 2][4:] == ["20%", "45%", "70%", "90%"]  # IK-S.3: the quarters rise to the year's 90%
    head, *lines, total = anggaran
    assert head[3:] == ["RENCANA TW I", "RENCANA TW II", "RENCANA TW III", "RENCANA TW IV"]
    assert len(lines) == len(ang)
    for got, cells in zip(lines, ang):
        assert got[2:] == [dotted(v) for v in cells[2:7]]
    sums = [sum(cells[i] for cells in ang) for i in range(2, 7)]
    assert total[2:] == [dotted(s) for s in sums]
    assert total[2] == "3.741.209.000" and sums[1:] == [748_241_800, 935_302_250, 935_302_250, 1_122_362_700]


def test_without_the_option_the_lampiran_has_one_target(example: Path, tmp_path: Path):
    out = tmp_path / "hasil"
    api.build(example, out)
    sasaran, anggaran = lampiran_tables(out / SEKRETARIS_DOC)
    assert sasaran[0][1:] == ["SASARAN PROGRAM", "INDIKATOR KINERJA", "TARGET"]
    assert anggaran[0] == ["NO", "PROGRAM/KEGIATAN", "ANGGARAN (Rp)"]


def test_a_pk_without_rencana_aksi_keeps_the_one_target_lampiran(example: Path, tmp_path: Path):
    wb = openpyxl.load_workbook(example / SEKRETARIS)
    for row in wb["Indikator"].iter_rows(min_row=4, min_col=11, max_col=14):
        for c in row:
            c.value = None
    for row in wb["Anggaran"].iter_rows(min_row=4, min_col=4, max_col=7):
        for c in row:
            c.value = None
    wb.save(example / SEKRETARIS)
    out = tmp_path / "hasil"
    result = api.build(example, out, target_triwulan=True, force=True)
    assert result.written
    sasaran, anggaran = lampiran_tables(out / SEKRETARIS_DOC)
    assert sasaran[0][-1] == "TARGET" and len(sasaran[0]) == 4
    assert len(anggaran[0]) == 3
    ketua, _ = lampiran_tables(out / "PK_01_Ketua.docx")  # the others still print their plan
    assert ketua[0][-1] == "TW IV"


def test_a_quarter_left_empty_prints_a_dash(example: Path, tmp_path: Path):
    edit(example / SEKRETARIS, "Indikator", "M6", None)  # IK-S.3, TW III
    out = tmp_path / "hasil"
    api.build(example, out, target_triwulan=True, force=True)
    sasaran, _ = lampiran_tables(out / SEKRETARIS_DOC)
    assert sasaran[2 + 2][4:] == ["20%", "45%", "-", "90%"]


def test_cli_option(example: Path, tmp_path: Path):
    out = tmp_path / "hasil"
    done = subprocess.run([sys.executable, "-m", "kinerja_xl", "build", str(example), "-o", str(out),
                           "--target-triwulan"], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr
    sasaran, _ = lampiran_tables(out / SEKRETARIS_DOC)
    assert sasaran[0][4:] == ["TW I", "TW II", "TW III", "TW IV"]
    bundle = [rows(t) for t in Document(str(out / "PK_Gabungan.docx")).tables]
    assert sum(1 for r in bundle if r and r[0][-1] == "TW IV") == 11  # every PK in force, in the bundle too
