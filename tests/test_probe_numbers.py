"""Typed numbers are read only when their reading is sure (issues 14.12, 14.17, 12.8, 12.9).

Each case here was read silently wrong, passed, or crashed before: a cell holding infinity,
Rupiah "2,500" read as 2, "442.311.00" as Rp44.231.100, a percent realisasi "95.000" with no
warning, a message showing "0.9" for a typed "0,9". The reading rules themselves (what is read
as what) are the table in tests/test_parse.py.
"""

from __future__ import annotations

import math
import zipfile
from pathlib import Path

import openpyxl
import pytest

from kinerja_xl import api
from kinerja_xl.reading import parse
from kinerja_xl.model import Target

from conftest import edit
from probe import run

REAL = "Realisasi.xlsx"
IND, ANG = "Realisasi Indikator", "Realisasi Anggaran"


def put_raw(path: Path, sheet: str, cell: str, raw: str) -> None:
    """Store ``raw`` as the cell's numeric XML value (``1e309``, ``NaN``), which openpyxl cannot write."""
    sentinel = 987654.321
    edit(path, sheet, cell, sentinel)
    tmp = path.with_suffix(".tmp")
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename.startswith("xl/worksheets/"):
                data = data.replace(f"<v>{sentinel}</v>".encode(), f"<v>{raw}</v>".encode())
            zout.writestr(info, data)
    tmp.replace(path)


def findings(folder: Path, name: str = REAL) -> list[tuple[str, str, str, str]]:
    return [t for t in api.validate([folder / name]).flat() if t[3] != "file-skipped"]


# --- the parser: typed -> read, for the cases that changed ------------------------------------------------


@pytest.mark.parametrize("typed, expected", [
    ("2,500", 2500),             # English grouping: an amount has no decimals (was 2)
    ("48,750", 48750),           # (was 49)
])
def test_rupiah_english_grouping_is_read(typed, expected):
    assert parse.parse_rupiah(typed) == expected


@pytest.mark.parametrize("typed, code", [
    ("442.311.00", "number-grouping"),    # a digit dropped (was Rp44.231.100)
    ("1.5", "number-grouping"),           # (was 2)
    ("1,5", "number-grouping"),           # (was 2)
    ("12.75", "number-grouping"),         # (was 13)
    ("1,2,3", "number-grouping"),         # (was 123)
    ("12 34", "number-grouping"),         # a space grouping two digits (was 1234)
    ("1.234,56", "amount-fraction"),      # sen in an amount (was 1235)
    (2.5, "amount-fraction"),             # "2,500" typed in an Indonesian LibreOffice is stored as 2.5 (was 2)
    (48.75, "amount-fraction"),           # (was 49)
    ("1" + "0" * 400, "number-out-of-range"),  # (was an OverflowError)
    (float("inf"), "number-out-of-range"),
    (float("nan"), "number-out-of-range"),
    (1e16, "number-out-of-range"),
    ("\u0661\u0662\u0663", "value-not-number"),  # Arabic-Indic digits: Excel keeps them as text (was 123)
    ("\uff11\uff12\uff13", "value-not-number"),  # fullwidth digits
])
def test_rupiah_refused(typed, code):
    with pytest.raises(parse.ParseError) as err:
        parse.parse_rupiah(typed)
    assert err.value.code == code


@pytest.mark.parametrize("typed, percent, expected", [
    ("88 persen", True, 88.0),      # the word for % (was target-not-number)
    ("88persen", True, 88.0),
])
def test_target_read(typed, percent, expected):
    assert parse.parse_target(typed, percent=percent)[0] == Target(value=expected)


@pytest.mark.parametrize("typed, percent, code", [
    ("2,500", False, "number-grouping"),       # 2,5 or 2.500? (was 2.5)
    ("95,000", True, "number-grouping"),       # (was 95)
    ("1.23,4", False, "number-grouping"),
    ("1.234,5,6", False, "number-grouping"),
    ("2,500-3,000", False, "number-grouping"),  # a range of unsure numbers says so (was value-not-number)
    (float("inf"), True, "number-out-of-range"),  # (was read as infinity)
    (float("-inf"), False, "number-out-of-range"),
    (float("nan"), False, "number-out-of-range"),
    ("\u0661\u0662\u0663", False, "value-not-number"),
])
def test_target_refused(typed, percent, code):
    with pytest.raises(parse.ParseError) as err:
        parse.parse_target(typed, percent=percent)
    assert err.value.code == code


@pytest.mark.parametrize("value, expected", [
    (0.9, "0,9"), (-11200000.0, "-11.200.000"), (1234567.5, "1.234.567,5"), (95000, "95.000"),
    (float("inf"), "tak terhingga"), (1.7976931348623157e308, "1,8 x 10^308"), (10**400, "1 x 10^400"),
    ("0.9", "0.9"),
])
def test_values_in_messages_are_shown_the_indonesian_way(value, expected):
    assert parse.shown(value) == expected


# --- end to end: the finding at its cell ---------------------------------------------------------------


@pytest.mark.parametrize("sheet, cell, raw, expected", [
    (IND, "K6", "1e309", [(REAL, IND, "K6", "number-out-of-range")]),   # realisasi tahunan infinity (was clean)
    (IND, "D6", "1e309", [(REAL, IND, "D6", "number-out-of-range")]),   # target infinity (was clean)
    (IND, "H6", "-1e309", [(REAL, IND, "H6", "number-out-of-range")]),
    # LibreOffice (id-ID) stores a typed 1e309 as the largest double: was a crash ("Kesalahan internal")
    (IND, "H6", "1.7976931348623157e308", [(REAL, IND, "H6", "number-out-of-range")]),
    (ANG, "D5", "1e309", [(REAL, ANG, "D5", "number-out-of-range")]),   # (was value-not-number)
])
def test_non_finite_cell_is_an_error_at_its_cell(example: Path, sheet, cell, raw, expected):
    put_raw(example / REAL, sheet, cell, raw)
    assert findings(example) == expected


@pytest.mark.parametrize("sheet, cell, typed, expected", [
    (ANG, "D5", "442.311.00", [(REAL, ANG, "D5", "number-grouping")]),
    (ANG, "D5", "1.5", [(REAL, ANG, "D5", "number-grouping")]),
    (ANG, "C5", 48.75, [(REAL, ANG, "C5", "amount-fraction")]),     # "48,750" in an Indonesian LibreOffice
    (IND, "H6", "95.000", [(REAL, IND, "H6", "percent-over-100")]),  # percent realisasi, its own cell
    (IND, "K6", 950, [(REAL, IND, "K6", "percent-over-100")]),
    (IND, "L6", "95.000", [(REAL, IND, "L6", "percent-over-100")]),  # realisasi tahun lalu
    (IND, "H6", "88 persen", []),
])
def test_typed_amounts_and_percents(example: Path, sheet, cell, typed, expected):
    edit(example / REAL, sheet, cell, typed)
    assert findings(example) == expected


def test_realisasi_read_as_typed(example: Path):
    edit(example / REAL, ANG, "C5", "48,750,000")
    edit(example / REAL, IND, "H6", "88 persen")
    doc = api.load_set(example)[0].realisasi
    assert doc.anggaran[1].pagu == 48_750_000
    assert doc.indikator[2].triwulan[1] == 88.0


def test_kumulatif_total_over_100_points_at_the_total(example: Path):
    """Quarters of 85-92% summed as kumulatif: the finding sits on the (empty) Realisasi Tahunan cell."""
    edit(example / REAL, IND, "F6", "kumulatif")
    report = api.validate([example / REAL])
    assert [t for t in report.flat() if t[3] != "file-skipped"] == [(REAL, IND, "K6", "percent-over-100")]
    assert "Realisasi Tahunan" in report.issues[0].params["label"]


def test_not_a_number_names_its_column(example: Path):
    edit(example / REAL, IND, "H6", "delapan puluh")
    report = api.validate([example / REAL])
    assert report.flat() == [(REAL, IND, "H6", "target-not-number")]
    assert report.issues[0].params["label"] == "Realisasi TW II"  # was "TW II", read as if it were the target


def test_fraction_shows_what_was_typed(example: Path):
    """0,9 typed in a General cell (Indonesian LibreOffice stores 0.9): the message quotes "0,9"."""
    edit(example / REAL, IND, "H6", 0.9, number_format="General")
    report = api.validate([example / REAL])
    assert report.flat() == [(REAL, IND, "H6", "target-fraction")]
    assert report.issues[0].params["value"] == "0,9"
    assert "0.9" not in report.issues[0].message


def test_trailing_dash_stored_as_negative(example: Path):
    """LibreOffice (id-ID) stores a typed "Rp11.200.000,-" as -11200000: amount-negative, shown "-11.200.000"."""
    edit(example / REAL, ANG, "D5", -11200000)
    report = api.validate([example / REAL])
    assert report.flat() == [(REAL, ANG, "D5", "amount-negative")]
    assert report.issues[0].params["value"] == "-11.200.000"
    assert "',-'" in report.issues[0].message  # the hint explains the trailing ",-"


def test_build_refuses_infinity_without_traceback(example: Path, tmp_path: Path):
    put_raw(example / REAL, IND, "D6", "1e309")
    r = run(["build", example, "-o", tmp_path / "hasil"], inputs=[example])
    assert r.code == 1
    assert "number-out-of-range" in r.output
    r = run(["build", example, "-o", tmp_path / "paksa", "--force"], inputs=[example])  # was a crash
    assert r.code == 1
    assert (tmp_path / "paksa" / "LAKIP.docx").exists()


def test_rollup_never_categorises_infinity(example: Path, tmp_path: Path):
    """An infinite realisasi tahunan was "Sangat Baik" with an empty capaian; now it is refused and the
    capaian comes from the quarters (triwulan terakhir, 92 of 90)."""
    prov = tmp_path / "prov"
    prov.mkdir()
    example.rename(prov / "kota")
    put_raw(prov / "kota" / REAL, IND, "K6", "1e309")
    r = run(["rollup", prov, "-o", tmp_path / "rekap.xlsx"], inputs=[prov])
    assert r.code in (0, 1)
    ws = openpyxl.load_workbook(tmp_path / "rekap.xlsx")["Capaian"]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    header = next(i for i, row in enumerate(rows) if "Kategori" in [str(v) for v in row])
    kode_col = rows[header].index("Kode")
    row = next(r for r in rows[header + 1:] if r[kode_col] == "IK-K.3")
    numbers = [v for v in row if isinstance(v, (int, float))]
    assert numbers and all(math.isfinite(v) for v in numbers)
    assert any(abs(v - 92 / 90) < 1e-6 for v in numbers)  # capaian 102,22% from TW IV


# --- typed in LibreOffice as staff do (Indonesian locale), then read back -----------------------------------

_TYPE_IN_LIBREOFFICE = r'''
import subprocess, sys, time, uno
from com.sun.star.beans import PropertyValue

def pv(name, value):
    p = PropertyValue(); p.Name = name; p.Value = value; return p

soffice, profile, pipe, src, out, *entries = sys.argv[1:]
proc = subprocess.Popen([soffice, "-env:UserInstallation=" + uno.systemPathToFileUrl(profile), "--headless",
                         "--invisible", "--norestore", "--accept=pipe,name=%s;urp;" % pipe],
                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
try:
    local = uno.getComponentContext()
    resolver = local.ServiceManager.createInstanceWithContext("com.sun.star.bridge.UnoUrlResolver", local)
    for _ in range(120):
        try:
            ctx = resolver.resolve("uno:pipe,name=%s;urp;StarOffice.ComponentContext" % pipe)
            break
        except Exception:
            time.sleep(0.5)
    desktop = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.Desktop", ctx)
    dispatch = ctx.ServiceManager.createInstanceWithContext("com.sun.star.frame.DispatchHelper", ctx)
    doc = desktop.loadComponentFromURL(uno.systemPathToFileUrl(src), "_blank", 0, (pv("Hidden", True),))
    frame = doc.getCurrentController().getFrame()
    for entry in entries:  # "sheet|A1|text": typed into the cell as from the keyboard, then Enter
        sheet, cell, text = entry.split("|", 2)
        doc.getCurrentController().setActiveSheet(doc.Sheets.getByName(sheet))
        dispatch.executeDispatch(frame, ".uno:GoToCell", "", 0, (pv("ToPoint", cell),))
        dispatch.executeDispatch(frame, ".uno:EnterString", "", 0, (pv("StringName", text),))
    doc.storeToURL(uno.systemPathToFileUrl(out), (pv("FilterName", "Calc Office Open XML"),))
    doc.close(True)
    try:
        desktop.terminate()
    except Exception:
        pass
    proc.wait(timeout=60)
finally:
    if proc.poll() is None:
        proc.kill()
'''

# LibreOffice's locale for reading input ("Locale setting" in Tools > Options > Language Settings).
_INDONESIAN_PROFILE = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema">
<item oor:path="/org.openoffice.Setup/L10N"><prop oor:name="ooSetupSystemLocale" oor:op="fuse"><value>id-ID</value></prop></item>
</oor:items>
"""


def _python_with_uno() -> list[str] | None:
    import shutil
    import subprocess
    import sys

    for python, path in ((sys.executable, ""), ("/usr/bin/python3", "/usr/lib/libreoffice/program")):
        if shutil.which(python) or Path(python).exists():
            env = {"PYTHONPATH": path} if path else {}
            if subprocess.run([python, "-c", "import uno"], env={**__import__("os").environ, **env},
                              capture_output=True).returncode == 0:
                return [python, path]
    return None


def test_typed_in_libreoffice_indonesian(example: Path, tmp_path: Path):
    """Typed into the template in LibreOffice (id-ID): what it stores is read right or refused at the cell.

    LibreOffice stores "Rp11.200.000,-" as -11200000 (the dash is a trailing minus), "2,500" as 2.5 (shown
    Rp3), "48,750" as 48.75 (Rp49), "95.000" in a 0% cell as 95000, "1e309" as the largest double; "1.5",
    "442.311.00", "88 persen" and "1 234 567" stay text. The previous main read Rp3, Rp2, Rp44.231.100 and
    Rp49 silently, gave no warning for 9.500.000% and crashed in build.
    """
    from conftest import soffice
    import os
    import subprocess

    office = soffice()
    found = _python_with_uno()
    if found is None:
        from conftest import IN_CI

        if IN_CI:
            pytest.fail("pyuno (python3-uno) tidak terpasang di CI; .ci/run harus memasangnya.")
        pytest.skip("pyuno (python3-uno) tidak tersedia untuk mengetik di LibreOffice; tes ini wajib di CI")
    python, path = found
    profile = tmp_path / "profil"
    (profile / "user").mkdir(parents=True)
    (profile / "user" / "registrymodifications.xcu").write_text(_INDONESIAN_PROFILE, encoding="utf-8")
    script = tmp_path / "ketik.py"
    script.write_text(_TYPE_IN_LIBREOFFICE, encoding="utf-8")
    typed = {(ANG, "D4"): "Rp11.200.000,-", (ANG, "D6"): "2,500", (ANG, "D7"): "1.5", (ANG, "D8"): "442.311.00",
             (ANG, "D9"): "48,750", (IND, "H6"): "95.000", (IND, "H7"): "88 persen", (IND, "H9"): "1e309",
             (IND, "G10"): "1 234 567"}
    out = tmp_path / "diketik"
    out.mkdir()
    env = {**os.environ, **({"PYTHONPATH": path} if path else {})}
    subprocess.run([python, str(script), office, str(profile), f"kinerja_xl_{os.getpid()}", str(example / REAL),
                    str(out / REAL), *(f"{s}|{c}|{t}" for (s, c), t in typed.items())],
                   check=True, timeout=240, env=env)
    got = [t for t in api.validate([out / REAL]).flat() if t[1] in (IND, ANG)]
    assert got == [
        (REAL, ANG, "D4", "amount-negative"),
        (REAL, ANG, "D6", "amount-fraction"),
        (REAL, ANG, "D7", "number-grouping"),
        (REAL, ANG, "D8", "number-grouping"),
        (REAL, ANG, "D9", "amount-fraction"),
        (REAL, IND, "H6", "percent-over-100"),
        (REAL, IND, "H9", "number-out-of-range"),
        (REAL, IND, "G10", "percent-over-100"),
    ]
    doc = api.load_set(out)[0].realisasi
    assert doc.indikator[3].triwulan[1] == 88.0  # H7 "88 persen" (row 7 is the fourth indicator)
