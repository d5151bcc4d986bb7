"""Issue 14, items 1-4, 8, 11, 13-15: no command loses a user's file, leaks markup to the terminal, or
leaves a file with the wrong permissions. Every case runs the real command in a child process
(tests/probe.py): expected exit code, no traceback, inputs byte-identical."""

from __future__ import annotations

import json
import os
import shutil
import stat
from pathlib import Path

import openpyxl
import pytest

from conftest import EXAMPLE, edit
from probe import run, tree_hashes

SEKRETARIS = "PK_07_Sekretaris.xlsx"
KETUA = "PK_01_Ketua.xlsx"


def _satker(folder: Path) -> Path:
    folder.mkdir(parents=True)
    for f in EXAMPLE.glob("*.xlsx"):
        shutil.copy2(f, folder / f.name)
    return folder


@pytest.fixture
def satker(tmp_path: Path) -> Path:
    """The example with one cross-level finding, so that --annotate writes copies."""
    folder = _satker(tmp_path / "v")
    edit(folder / SEKRETARIS, "Identitas", "B14", "ADE JAHRIAN")  # pihak-kedua-mismatch, two workbooks
    return folder


# --- 1-3: an output over an input is refused before anything is written -------------------------------
@pytest.mark.parametrize("args", [
    pytest.param(["check", "{v}", "--annotate", "{v}"], id="annotate-into-input-folder"),
    pytest.param(["check", "{v}", "--laporan", "{v}/" + KETUA], id="laporan-over-input"),
    pytest.param(["check", "{v}", "--laporan", "{v}/pk_01_ketua.XLSX"], id="laporan-over-input-other-case"),
    pytest.param(["check", "{v}", "--laporan", "{link}"], id="laporan-through-symlink-to-input"),
    pytest.param(["rollup", "{v}", "-o", "{v}/RKT.xlsx"], id="rollup-over-input"),
    pytest.param(["rollup", "{parent}", "-o", "{v}/Realisasi.xlsx"], id="rollup-over-input-of-a-subfolder"),
])
def test_output_over_an_input_is_refused(satker: Path, tmp_path: Path, args: list[str]):
    (tmp_path / "tautan").mkdir()
    link = tmp_path / "tautan" / "laporan.xlsx"
    link.symlink_to(satker / KETUA)
    argv = [a.format(v=satker, link=link, parent=tmp_path) for a in args]
    before = sorted(p.name for p in satker.iterdir())
    result = run(argv, inputs=[satker])
    assert result.code == 2, result.output
    assert "menimpa berkas masukan" in " ".join(result.stderr.split()), result.stderr
    assert sorted(p.name for p in satker.iterdir()) == before  # nothing new either


def test_check_refuses_before_working(satker: Path):
    """The refusal comes first: no report is printed for a run whose outputs cannot be written."""
    result = run(["check", str(satker), "--annotate", str(satker), "--format", "json"], inputs=[satker])
    assert result.code == 2
    assert result.stdout == ""
    assert "Tidak ada berkas yang ditulis" in " ".join(result.stderr.split())


def test_build_into_the_input_folder_keeps_every_workbook(satker: Path):
    edit(satker / SEKRETARIS, "Identitas", "B14", "ADE JAHRAN")  # the clean example again
    result = run(["build", str(satker), "-o", str(satker)], inputs=[*satker.glob("*.xlsx")])
    assert result.code == 0, result.output
    assert len(list(satker.glob("*.docx"))) == 18  # 12 PKs, bundle, RKT, Pengukuran, LAKIP, Manual IKU, change list
    assert not list(satker.glob(".*"))  # no staging folder left


def test_two_outputs_of_one_run_never_share_a_path(satker: Path, tmp_path: Path):
    """The report and an annotated copy named alike, letter case aside: the copy gets another name."""
    out = tmp_path / "keluaran"
    result = run(["check", str(satker), "--annotate", str(out), "--laporan", str(out / SEKRETARIS.lower())],
                 inputs=[satker])
    assert result.code == 1, result.output
    names = sorted(p.name for p in out.iterdir())
    coordinated = "PK_02_Koordinator_Divisi_Keuangan_Umum_Rumah_Tangga_dan_Logistik.xlsx"  # an info finding
    assert names == sorted([KETUA, coordinated, SEKRETARIS.lower(), "PK_07_Sekretaris (2).xlsx"])
    assert openpyxl.load_workbook(out / SEKRETARIS.lower()).sheetnames[0] == "Temuan"
    assert "pihak-kedua-mismatch" in openpyxl.load_workbook(out / "PK_07_Sekretaris (2).xlsx")[
        "Identitas"]["B14"].comment.text


# --- 4: annotated copies of same-named satker folders -----------------------------------------------
@pytest.mark.parametrize("names", [("banten/KPU Kota", "jabar/KPU Kota"), ("banten/KPU Kota", "banten/kpu kota")])
def test_annotated_copies_of_alike_folders_do_not_collide(tmp_path: Path, names):
    national = tmp_path / "nasional"
    folders = [_satker(national / n) for n in names]
    for f in folders:
        edit(f / SEKRETARIS, "Identitas", "B14", "ADE JAHRIAN")
    out = tmp_path / "bertanda"
    result = run(["check", str(national), "--annotate", str(out)], inputs=[national])
    assert result.code == 1
    copies = sorted(p.name for p in out.iterdir())
    # Ketua, Sekretaris and the division the Ketua coordinates himself (info), in each folder
    assert len(copies) == 6 and len({c.casefold() for c in copies}) == 6, copies
    assert "6 salinan bertanda" in result.stdout
    sources = {openpyxl.load_workbook(out / c)["Identitas"]["B14"].value for c in copies if SEKRETARIS in c}
    assert sources == {"ADE JAHRIAN"}


# --- 8: cell text is not markup, and no control character reaches the terminal ----------------------
@pytest.mark.parametrize("text", ["[lampiran] Ade", "[link=file:///etc/passwd]Ade[/link]", "Ade [/]",
                                  "Ade_x001B_[2J", "[bold red]Ade"])
def test_cell_text_is_printed_as_typed(satker: Path, text: str):
    edit(satker / SEKRETARIS, "Identitas", "B14", text)
    result = run(["check", str(satker)], inputs=[satker])
    assert result.code == 1
    shown = text.replace("_x001B_", "\ufffd")
    assert shown in result.stdout.replace("\n", ""), result.stdout[-2000:]
    assert "\x1b" not in result.stdout and "\x1b" not in result.stderr
    tree = run(["tree", str(satker)], inputs=[satker])
    assert tree.code == 0 and "\x1b" not in tree.stdout


def test_a_path_with_markup_in_an_error_message(tmp_path: Path):
    missing = tmp_path / "[/]x[link=file:///etc]"
    result = run(["validate", str(missing)])
    assert result.code == 2
    assert str(missing) in result.stderr.replace("\n", "")


# --- 11: control characters in cell text reach every Excel output intact ----------------------------
def test_control_characters_in_outputs(satker: Path, tmp_path: Path):
    for name in (SEKRETARIS, "PK_08_Eselon_IV_Keuangan_Umum_dan_Logistik.xlsx"):
        edit(satker / name, "Identitas", "B14", "ADE_x0000_ JAHRIAN_x0007__x001B_")
    out = tmp_path / "o"
    result = run(["check", str(satker), "--laporan", str(out / "temuan.xlsx"), "--annotate", str(out / "b")],
                 inputs=[satker])
    assert result.code == 1, result.output
    rows = list(openpyxl.load_workbook(out / "temuan.xlsx")["Temuan"].iter_rows(min_row=2, values_only=True))
    assert any("ADE\ufffd JAHRIAN\ufffd\ufffd" in str(r[3]) for r in rows)
    copies = {p.name: p for p in (out / "b").iterdir()}
    assert SEKRETARIS in copies and len(copies) >= 2
    comment = openpyxl.load_workbook(copies[SEKRETARIS])["Identitas"]["B14"].comment.text
    assert "ADE\ufffd JAHRIAN" in comment
    rekap = run(["rollup", str(satker), "-o", str(out / "rekap.xlsx")], inputs=[satker])
    assert rekap.code == 0 and (out / "rekap.xlsx").is_file()


# --- 13: a full disk gives one clean message, and no partial file --------------------------------
@pytest.mark.parametrize("command", [
    ["check", "{v}", "--laporan", "{o}/temuan.xlsx"],
    ["check", "{v}", "--annotate", "{o}/b"],
    ["rollup", "{v}", "-o", "{o}/rekap.xlsx"],
    ["template", "set", "--satker", "KPU Kota Serang", "--tahun", "2023", "-o", "{o}/isian"],
    ["build", "{v}", "-o", "{o}/hasil", "--force"],
])
def test_disk_full(satker: Path, tmp_path: Path, command: list[str]):
    """RLIMIT_FSIZE makes every write past 4 KB fail, as a full disk does (EFBIG instead of ENOSPC)."""
    out = tmp_path / "o"
    out.mkdir()
    argv = [a.format(v=satker, o=out) for a in command]
    result = run(argv, inputs=[satker], fsize_kb=4)
    assert result.code == 2, result.output
    assert result.stderr.count("Galat:") == 1, result.stderr
    assert "melebihi ukuran" in " ".join(result.stderr.split())
    assert str(satker) not in result.stderr  # the cause is the output, never an input
    assert "Exception ignored" not in result.stderr
    left = [p for p in out.rglob("*") if p.is_file()]
    assert left == [], left


# --- 14: outputs follow the umask, and an overwritten file keeps its permissions ----------------------
def test_outputs_follow_the_umask(satker: Path, tmp_path: Path):
    out = tmp_path / "o"
    commands = [["check", str(satker), "--laporan", str(out / "temuan.xlsx"), "--annotate", str(out / "b")],
                ["rollup", str(satker), "-o", str(out / "rekap.xlsx")],
                ["template", "set", "--satker", "KPU Kota Serang", "--tahun", "2023", "-o", str(out / "isian")],
                ["build", str(satker), "-o", str(out / "hasil"), "--force"],
                ["tree", str(satker), "--gambar", str(out / "pohon.png")]]
    for argv in commands:
        run(argv, inputs=[satker], umask=0o002)
    files = [p for p in out.rglob("*") if p.is_file()]
    assert len(files) > 20
    modes = {p.name: oct(stat.S_IMODE(p.stat().st_mode)) for p in files}
    assert set(modes.values()) == {"0o664"}, modes
    report = out / "temuan.xlsx"
    os.chmod(report, 0o644)
    run(commands[0], inputs=[satker], umask=0o077)
    assert stat.S_IMODE(report.stat().st_mode) == 0o644  # replaced, permissions kept


# --- 15: an output folder on another disk, a symlinked output, a read-only parent --------------------
def _other_device(path: Path) -> Path | None:
    for candidate in ("/dev/shm", "/run", "/var/tmp", "/tmp"):
        if os.path.isdir(candidate) and os.access(candidate, os.W_OK) \
                and os.stat(candidate).st_dev != os.stat(path).st_dev:
            return Path(candidate)
    return None


def test_output_folder_on_another_disk(satker: Path, tmp_path: Path):
    other = _other_device(tmp_path)
    if other is None:
        pytest.skip("tidak ada sistem berkas kedua yang dapat ditulisi di mesin ini")
    target = Path(other) / f"kinerja-xl-tes-{os.getpid()}"
    target.mkdir()
    try:
        link = tmp_path / "hasil"
        link.symlink_to(target, target_is_directory=True)
        edit(satker / SEKRETARIS, "Identitas", "B14", "ADE JAHRAN")
        assert run(["build", str(satker), "-o", str(link)], inputs=[satker]).code == 0
        assert len(list(target.glob("*.docx"))) == 18 and not list(target.glob(".*"))
        report = tmp_path / "rekap.xlsx"
        report.symlink_to(target / "rekap.xlsx")
        assert run(["rollup", str(satker), "-o", str(report)], inputs=[satker]).code == 0
        assert report.is_symlink() and (target / "rekap.xlsx").stat().st_size > 0  # written through the link
    finally:
        shutil.rmtree(target)


def test_writable_file_in_a_read_only_folder(satker: Path, tmp_path: Path, monkeypatch):
    """A shared report the user may write, in a folder they may not: it is updated in place.

    Root ignores permissions, so the folder's refusal is simulated where the temporary file is made."""
    import tempfile

    from kinerja_xl import api

    report = tmp_path / "bersama" / "temuan.xlsx"
    report.parent.mkdir()
    report.write_bytes(b"versi lama")
    real_mkstemp = tempfile.mkstemp

    def refuse(*args, dir=None, **kwargs):
        if dir is not None and Path(dir) == report.parent:
            raise PermissionError(13, "Permission denied", str(dir))
        return real_mkstemp(*args, dir=dir, **kwargs)

    monkeypatch.setattr(tempfile, "mkstemp", refuse)
    api.write_report(api.check([satker]), report)
    assert openpyxl.load_workbook(report).sheetnames == ["Temuan", "Ringkasan"]
    assert sorted(p.name for p in report.parent.iterdir()) == ["temuan.xlsx"]


def test_error_messages_name_the_real_cause():
    import errno

    from kinerja_xl.cli import os_error_message

    assert "ruang disk penuh" in os_error_message(OSError(errno.ENOSPC, "No space left", "/x/r.xlsx"))
    assert "hak akses" in os_error_message(PermissionError(errno.EACCES, "Permission denied", "/x"))
    assert "hanya-baca" in os_error_message(OSError(errno.EROFS, "Read-only file system", "/x"))
    assert "/x/r.xlsx" in os_error_message(OSError(errno.ENOSPC, "No space left", "/x/r.xlsx"))


def test_json_report_escapes_control_characters(satker: Path):
    edit(satker / SEKRETARIS, "Identitas", "B14", "ADE_x001B_[2J")
    result = run(["check", str(satker), "--format", "json"], inputs=[satker])
    assert "\x1b" not in result.stdout
    messages = [i["message"] for i in json.loads(result.stdout)["issues"]]
    assert any("ADE\x1b[2J" in m for m in messages)  # the data itself is kept, escaped by JSON
    assert tree_hashes([satker])


# --- issue 12 item 7: a rebuild without --pdf leaves no stale PDF beside a new document ---------------
def test_rebuild_without_pdf_removes_the_stale_pdfs(satker: Path, tmp_path: Path):
    edit(satker / SEKRETARIS, "Identitas", "B14", "ADE JAHRAN")
    out = tmp_path / "hasil"
    out.mkdir()
    (out / "LAKIP.pdf").write_bytes(b"%PDF-1.7 versi lama")
    (out / "catatan rapat.pdf").write_bytes(b"%PDF-1.7 milik pengguna")
    result = run(["build", str(satker), "-o", str(out)], inputs=[satker])
    assert result.code == 0
    assert not (out / "LAKIP.pdf").exists() and (out / "catatan rapat.pdf").exists()
    assert "1 PDF lama dihapus" in result.stdout
