"""Tests for the reproducible .xlam build and the add-in installer."""

from __future__ import annotations

import os
import random
import re
import string
import subprocess
import sys
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

import olefile
import pytest
from oletools.olevba import VBA_Parser, decompress_stream

from kinerja_xl.addin import build
from kinerja_xl.addin.build import (
    CUSTOM_UI, CUSTOM_UI_MEMBER, CUSTOM_UI_NS, VBA_MEMBER, VBA_MODULE, build_xlam, compress, decompress,
    ribbon_button_ids, shipped_xlam, write_cfb,
)
from kinerja_xl.addin.install import CONFIG_NAME, AddinUnsupported, install, set_config_value

from conftest import soffice

ROOT = Path(__file__).resolve().parents[1]
RIBBON_STREAM = "VBA/RibbonMyAddin"
BUTTONS = {
    "validasi": "Validasi",
    "cek_cascading": "Cek Cascading",
    "buat_dokumen": "Buat Dokumen",
    "buat_dokumen_rencana_aksi": "Dokumen + Rencana Aksi",
    "build_triwulan": "Laporan Triwulan",
}
# The "Template Baru" menu: one item per level of the default hierarchy, then the RKT and realisasi.
MENU_ITEMS = {
    "template_baru_ketua": "PK Ketua",
    "template_baru_kordiv": "PK Koordinator Divisi",
    "template_baru_sekretaris": "PK Sekretaris",
    "template_baru_eselon4": "PK Eselon IV",
    "template_baru_rkt": "Rencana Kinerja Tahunan (RKT)",
    "template_baru_realisasi": "Realisasi Kinerja",
}
# Attributes the 2006/01 customUI schema allows on a <button> inside a <group>; Excel drops
# the whole ribbon silently on an unknown attribute, so a typo must fail here.
BUTTON_ATTRIBUTES = {
    "id", "idQ", "idMso", "tag", "label", "getLabel", "image", "imageMso", "getImage",
    "size", "getSize", "screentip", "getScreentip", "supertip", "getSupertip", "keytip",
    "getKeytip", "showLabel", "getShowLabel", "showImage", "getShowImage", "enabled",
    "getEnabled", "visible", "getVisible", "onAction", "insertAfterMso", "insertBeforeMso",
    "insertAfterQ", "insertBeforeQ", "description", "getDescription",
}
# A <button> inside a <menu> is the schema's CT_ButtonRegular: no size.
MENU_BUTTON_ATTRIBUTES = BUTTON_ATTRIBUTES - {"size", "getSize"}
MENU_ATTRIBUTES = (BUTTON_ATTRIBUTES - {"onAction", "description", "getDescription"}) | {"itemSize"}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    return build_xlam(tmp_path_factory.mktemp("xlam") / "kinerja_xl.xlam")


def macros(path: Path) -> dict[str, str]:
    """VBA source per OLE stream path, as olevba decodes it."""
    parser = VBA_Parser(str(path))
    try:
        return {stream: code for _, stream, _, code in parser.extract_macros()}
    finally:
        parser.close()


def lf(text: str) -> str:
    return text.replace("\r\n", "\n")


def vba_bin(xlam: Path) -> bytes:
    with zipfile.ZipFile(xlam) as zf:
        return zf.read(VBA_MEMBER)


def callback_name(bas: Path) -> str:
    (name,) = re.findall(r"^Sub (\w+)\(control As IRibbonControl\)$", bas.read_text(), re.M)
    return name


def bas_with_body(tmp_path: Path, body: str) -> Path:
    path = tmp_path / "RibbonMyAddin.bas"
    path.write_text(VBA_MODULE.read_text() + body, encoding="utf-8")
    return path


# (1) reproducibility --------------------------------------------------------------------


def test_two_builds_are_byte_identical(built, tmp_path):
    again = build_xlam(tmp_path / "again" / "other-name.xlam")
    assert again.read_bytes() == built.read_bytes()
    # Copies with other mtimes: file times must not leak into the zip timestamps.
    copies = []
    for src in (VBA_MODULE, CUSTOM_UI):
        copy = tmp_path / src.name
        copy.write_bytes(src.read_bytes())
        os.utime(copy, (1_700_000_000, 1_700_000_000))
        copies.append(copy)
    third = build_xlam(tmp_path / "third.xlam", vba_source=copies[0], custom_ui=copies[1])
    assert third.read_bytes() == built.read_bytes()
    assert built.read_bytes() != shipped_xlam().read_bytes()


def test_cli_writes_the_same_file(built, tmp_path):
    out = tmp_path / "cli.xlam"
    subprocess.run([sys.executable, "-m", "kinerja_xl.addin.build", str(out)],
                   cwd=ROOT, check=True, capture_output=True, timeout=120)
    assert out.read_bytes() == built.read_bytes()


# (2) VBA content ------------------------------------------------------------------------


def test_ribbon_module_is_the_repo_source(built):
    code = macros(built)
    assert lf(code[RIBBON_STREAM]) == lf(VBA_MODULE.read_text())


def test_other_vba_modules_are_as_shipped(built):
    new, old = macros(built), macros(shipped_xlam())
    assert new.keys() == old.keys()
    for stream in old.keys() - {RIBBON_STREAM}:
        assert new[stream] == old[stream], stream


def test_vba_streams_unchanged_except_module_and_offset(built):
    new, old = olefile.OleFileIO(vba_bin(built)), olefile.OleFileIO(vba_bin(shipped_xlam()))
    assert new.listdir() == old.listdir()
    for path in old.listdir():
        name = "/".join(path)
        if name not in (RIBBON_STREAM, "VBA/dir"):
            assert new.openstream(path).read() == old.openstream(path).read(), name
    # The module stream is compressed source only (no stale p-code in front of it).
    raw = new.openstream(RIBBON_STREAM).read()
    expected = lf(VBA_MODULE.read_text()).replace("\n", "\r\n")
    assert decompress_stream(bytearray(raw)).decode("cp1252") == expected
    # dir: the only change is the module's text offset, which becomes 0.
    new_dir = decompress_stream(bytearray(new.openstream("VBA/dir").read()))
    old_dir = decompress_stream(bytearray(old.openstream("VBA/dir").read()))
    assert len(new_dir) == len(old_dir)
    diff = [i for i, (a, b) in enumerate(zip(new_dir, old_dir, strict=True)) if a != b]
    assert diff
    # The changed bytes must be the body of one MODULEOFFSET record (id 0x31, size 4).
    at = old_dir.rindex(b"\x31\x00\x04\x00\x00\x00", 0, diff[0] + 1) + 6
    assert at <= diff[0] and diff[-1] < at + 4
    assert new_dir[at : at + 4] == b"\0\0\0\0" != old_dir[at : at + 4]


def test_not_reported_as_vba_stomping(built, tmp_path):
    # Control first: the shipped p-code kept in front of new source is what scanners flag.
    vba = vba_bin(shipped_xlam())
    cache = olefile.OleFileIO(vba).openstream(RIBBON_STREAM).read()[:978]
    source = lf(VBA_MODULE.read_text()).replace("\n", "\r\n").encode("cp1252")
    stomped_bin = write_cfb(vba, {RIBBON_STREAM: cache + compress(source)})
    stomped = tmp_path / "stomped.xlam"
    stomped.write_bytes(build._repack(shipped_xlam().read_bytes(), {VBA_MEMBER: stomped_bin}))
    for path, expected in ((stomped, True), (built, False)):
        parser = VBA_Parser(str(path))
        try:
            assert parser.detect_vba_stomping() is expected, path
        finally:
            parser.close()


def test_module_and_callback_match_the_ribbon():
    assert VBA_MODULE.read_text().splitlines()[0] == 'Attribute VB_Name = "RibbonMyAddin"'
    call = "RunPython \"import kinerja_xl.addin as k; k.run('\" & control.Id & \"')\""
    assert call in VBA_MODULE.read_text()
    expected = f"RibbonMyAddin.{callback_name(VBA_MODULE)}"
    assert expected == "RibbonMyAddin.KinerjaButton"
    root = ET.parse(CUSTOM_UI).getroot()
    assert {b.get("onAction") for b in root.iter(f"{{{CUSTOM_UI_NS}}}button")} == {expected}


# (3) zip members ------------------------------------------------------------------------


def test_custom_ui_replaced_and_other_members_verbatim(built):
    with zipfile.ZipFile(built) as new, zipfile.ZipFile(shipped_xlam()) as old:
        assert new.testzip() is None
        assert new.namelist() == old.namelist()
        assert new.read(CUSTOM_UI_MEMBER) == CUSTOM_UI.read_bytes()
        for info in old.infolist():
            mine = new.getinfo(info.filename)
            assert mine.date_time == info.date_time
            if info.filename in (CUSTOM_UI_MEMBER, VBA_MEMBER):
                continue
            assert new.read(info.filename) == old.read(info.filename), info.filename
            assert (mine.compress_type, mine.CRC, mine.compress_size) == (
                info.compress_type, info.CRC, info.compress_size)


def test_ribbon_definition():
    assert ribbon_button_ids() == set(BUTTONS) | set(MENU_ITEMS)
    root = ET.parse(CUSTOM_UI).getroot()
    assert root.tag == f"{{{CUSTOM_UI_NS}}}customUI"
    (tab,) = root.iter(f"{{{CUSTOM_UI_NS}}}tab")
    assert tab.get("label") == "Kinerja"
    (group,) = tab.iter(f"{{{CUSTOM_UI_NS}}}group")
    buttons = group.findall(f"{{{CUSTOM_UI_NS}}}button")
    assert [b.get("id") for b in buttons] == list(BUTTONS)
    for button in buttons:
        assert set(button.attrib) <= BUTTON_ATTRIBUTES, button.attrib
        assert button.get("label") == BUTTONS[button.get("id")]
        for attr in ("imageMso", "screentip", "supertip"):
            assert button.get(attr, "").strip(), (button.get("id"), attr)
    (menu,) = group.findall(f"{{{CUSTOM_UI_NS}}}menu")
    assert (menu.get("id"), menu.get("label")) == ("template_baru", "Template Baru")
    assert set(menu.attrib) <= MENU_ATTRIBUTES, menu.attrib
    items = list(menu)
    assert [(b.tag, b.get("id")) for b in items] == [(f"{{{CUSTOM_UI_NS}}}button", i) for i in MENU_ITEMS]
    for item in items:
        assert set(item.attrib) <= MENU_BUTTON_ATTRIBUTES, item.attrib
        assert item.get("label") == MENU_ITEMS[item.get("id")]
        assert item.get("supertip", "").strip(), item.get("id")


# (4) LibreOffice --------------------------------------------------------------------------


def convert(xlam: Path, fmt: str, tmp_path: Path) -> Path:
    exe = soffice()  # skips locally without LibreOffice, fails when CI=true
    outdir = tmp_path / "out"
    # LibreOffice does not map the .xlam extension to a filter: name it explicitly.
    proc = subprocess.run(
        [exe, "--headless", "--norestore", f"-env:UserInstallation={(tmp_path / 'lo').as_uri()}",
         "--infilter=Calc MS Excel 2007 VBA XML", "--convert-to", fmt, "--outdir", str(outdir),
         str(xlam)],
        capture_output=True, text=True, timeout=300,
    )
    out = outdir / f"{xlam.stem}.{fmt}"
    # soffice exits 0 even when it cannot load the input, so the output file is the verdict.
    assert proc.returncode == 0 and out.is_file(), proc.stdout + proc.stderr
    return out


def test_libreoffice_converts_the_addin(built, tmp_path):
    out = convert(built, "xlsx", tmp_path)
    with zipfile.ZipFile(out) as zf:
        assert zf.testzip() is None
        assert "xl/workbook.xml" in zf.namelist()


def test_libreoffice_reads_the_new_vba_source(built, tmp_path):
    # The .ods export carries LibreOffice's own decoding of the VBA project, an independent
    # check of the compound file, the dir stream and the compression.
    with zipfile.ZipFile(convert(built, "ods", tmp_path)) as zf:
        (member,) = [n for n in zf.namelist() if n.endswith("/RibbonMyAddin.xml")]
        text = ET.fromstring(zf.read(member)).text
    lines = [ln for ln in text.splitlines()
             if ln not in ("Rem Attribute VBA_ModuleType=VBAModule", "Option VBASupport 1")]
    expected = [ln for ln in VBA_MODULE.read_text().splitlines() if not ln.startswith("Attribute ")]
    assert [ln for ln in lines if ln.strip()] == [ln for ln in expected if ln.strip()]


# (5) compression --------------------------------------------------------------------------


def varied_vba(lines: int, seed: int) -> str:
    rnd = random.Random(seed)
    out = []
    for i in range(lines):
        word = "".join(rnd.choice(string.ascii_letters) for _ in range(rnd.randint(3, 40)))
        out.append(f'    ws.Range("A{i}").Value = "{word}" & CStr({rnd.randint(0, 10**6)})')
    return "\n".join(out)


@pytest.mark.parametrize("data", [
    b"",
    b"a",
    b"abcabcabcabc",
    b"x" * 5000 + b"tail",  # long copies late in a chunk: the ms-ovba-compression 1.0.1 bug
    bytes(range(256)) * 64,
    random.Random(1).randbytes(9000),  # incompressible: exercises raw chunks
    varied_vba(600, 2).encode(),
])
def test_compress_round_trips(data):
    packed = compress(data)
    assert decompress(packed) == data
    if data:  # oletools cannot take an empty container
        assert decompress_stream(bytearray(packed)) == data


def test_decompress_matches_oletools_on_shipped_streams():
    ole = olefile.OleFileIO(vba_bin(shipped_xlam()))
    for stream in ("VBA/dir", "VBA/xlwings"):
        raw = ole.openstream(stream).read()
        assert decompress(raw) == decompress_stream(bytearray(raw))


def test_module_over_4kb_round_trips(tmp_path):
    body = "\nSub Isi(ws As Object)\n" + varied_vba(400, 3) + "\nEnd Sub\n"
    bas = bas_with_body(tmp_path, body)
    assert len(bas.read_bytes()) > 3 * 4096
    xlam = build_xlam(tmp_path / "big.xlam", vba_source=bas)
    assert lf(macros(xlam)[RIBBON_STREAM]) == lf(bas.read_text())


# (6) the 4096-byte stream boundary ------------------------------------------------------


@pytest.mark.parametrize("size", [4095, 4096, 4097])
def test_cfb_stream_at_mini_cutoff(size):
    original = vba_bin(shipped_xlam())
    payload = random.Random(size).randbytes(size)
    result = write_cfb(original, {RIBBON_STREAM: payload, "VBA/ThisWorkbook": payload[::-1]})
    new, old = olefile.OleFileIO(result), olefile.OleFileIO(original)
    assert new.openstream(RIBBON_STREAM).read() == payload
    assert new.openstream("VBA/ThisWorkbook").read() == payload[::-1]
    for path in old.listdir():
        if "/".join(path) not in (RIBBON_STREAM, "VBA/ThisWorkbook"):
            assert new.openstream(path).read() == old.openstream(path).read()


def test_module_stream_of_exactly_4096_bytes(tmp_path):
    # Find a source whose compressed module stream is exactly 4096 bytes long, the size
    # at which ms-cfb 0.0.6 writes a corrupt file, and push it through the whole build.
    rnd = random.Random(4096)
    letters = "".join(rnd.choice(string.ascii_letters) for _ in range(60 * 60))
    base = VBA_MODULE.read_text().replace("\n", "\r\n")
    base += "\r\n".join("' " + letters[i : i + 60] for i in range(0, 52 * 60, 60))
    for extra in range(1, 400):  # incompressible filler grows the stream 1-2 bytes a step
        source = f"{base}\r\n' {letters[-extra:]}\r\n"
        if len(compress(source.encode("cp1252"))) == 4096:
            break
    else:
        pytest.fail("no source compresses to exactly 4096 bytes")
    bas = tmp_path / "RibbonMyAddin.bas"
    bas.write_bytes(source.encode())
    xlam = build_xlam(tmp_path / "b4096.xlam", vba_source=bas)
    ole = olefile.OleFileIO(vba_bin(xlam))
    assert ole.get_size(RIBBON_STREAM) == 4096
    assert lf(macros(xlam)[RIBBON_STREAM]) == lf(source)


# (7) install --------------------------------------------------------------------------------


def test_install_windows(built, tmp_path):
    exe = r"C:\Users\Budi\kinerja\.venv\Scripts\python.exe"
    xlam = install(python=exe, platform="win32", home=tmp_path)
    assert xlam == tmp_path / "AppData/Roaming/Microsoft/Excel/XLSTART/kinerja_xl.xlam"
    assert xlam.read_bytes() == built.read_bytes()
    conf = tmp_path / ".myaddin" / "myaddin.conf"
    assert conf.read_bytes() == f'"INTERPRETER_WIN","{exe}"\r\n'.encode()
    assert [p.name for p in xlam.parent.iterdir()] == ["kinerja_xl.xlam"]  # no temp files


def test_install_windows_defaults_follow_appdata_and_home(tmp_path, monkeypatch):
    monkeypatch.setenv("APPDATA", str(tmp_path / "roaming"))
    monkeypatch.setenv("HOME", str(tmp_path / "profile"))
    xlam = install(python=r"C:\Python311\python.exe", platform="win32")
    assert xlam == tmp_path / "roaming/Microsoft/Excel/XLSTART/kinerja_xl.xlam"
    assert (tmp_path / "profile/.myaddin/myaddin.conf").is_file()


def test_install_merges_existing_config(tmp_path):
    conf = tmp_path / ".myaddin" / "myaddin.conf"
    conf.parent.mkdir()
    conf.write_bytes(b'"CONDA PATH","C:\\conda"\r\n\r\n"interpreter_win","C:\\old\\python.exe"\r\n'
                     b'"LICENSE_KEY","abc,def"\r\n')
    target = tmp_path / "xlstart"
    xlam = install(python=r"C:\new\python.exe", platform="win32", home=tmp_path, target_dir=target)
    assert xlam == target / "kinerja_xl.xlam" and xlam.is_file()
    assert conf.read_bytes() == (b'"CONDA PATH","C:\\conda"\r\n"LICENSE_KEY","abc,def"\r\n'
                                 b'"INTERPRETER_WIN","C:\\new\\python.exe"\r\n')


def test_install_macos(built, tmp_path):
    xlam = install(python="/Users/budi/.venv/bin/python", platform="darwin", home=tmp_path)
    startup = tmp_path / "Library/Group Containers/UBF8T346G9.Office/User Content.localized"
    assert xlam == startup / "Startup.localized/Excel/kinerja_xl.xlam"
    assert xlam.read_bytes() == built.read_bytes()
    conf = tmp_path / "Library/Containers/com.microsoft.Excel/Data/myaddin.conf"
    assert conf.read_text() == '"INTERPRETER_MAC","/Users/budi/.venv/bin/python"\n'
    scripts = list((tmp_path / "Library/Application Scripts/com.microsoft.Excel").iterdir())
    assert [s.name for s in scripts] == [f"xlwings-{build.xlwings_version()}.applescript"]


def test_install_refuses_other_platforms(tmp_path):
    with pytest.raises(AddinUnsupported, match="Excel .*Windows atau macOS"):
        install(platform="linux", home=tmp_path, target_dir=tmp_path / "x")
    assert list(tmp_path.iterdir()) == []


def test_config_value_with_quote_is_refused(tmp_path):
    with pytest.raises(ValueError):
        set_config_value(tmp_path / "a.conf", "INTERPRETER_WIN", 'C:\\a"b\\python.exe')


def test_config_name_matches_embedded_xlwings_module(built):
    code = macros(built)["VBA/xlwings"]
    assert re.search(r'PROJECT_NAME As String = "(\w+)"', code).group(1) == CONFIG_NAME
    assert f'XLWINGS_VERSION As String = "{build.xlwings_version()}"' in code


def test_install_module_imports_neither_xlwings_nor_olefile():
    probe = ("import sys, kinerja_xl.addin.install; "
             "print(sorted({'xlwings', 'olefile'} & set(sys.modules)))")
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, check=True,
                         capture_output=True, text=True, timeout=60).stdout
    assert out.strip() == "[]"
