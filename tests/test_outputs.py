"""Outputs: never half-written, never over a file silently, clear exit 2 when the disk says no."""

from __future__ import annotations

import errno
from pathlib import Path

import openpyxl
from typer.testing import CliRunner

from kinerja_xl.cli import app
from kinerja_xl.fsutil import atomic_path, safe_filename

runner = CliRunner()


def test_output_folder_not_writable(tmp_path: Path):
    blocker = tmp_path / "bukan_folder"
    blocker.write_text("x")
    result = runner.invoke(app, ["template", "new", "--level", "ketua", "-o", str(blocker / "pk.xlsx")])
    assert result.exit_code == 2
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_full_disk_leaves_no_partial_file(tmp_path: Path, monkeypatch):
    def full(self, file):
        file.write(b"PK\x03\x04 sebagian")  # a partial write (into memory: see fsutil.serialise), then full
        raise OSError(errno.ENOSPC, "No space left on device", "/tmp/openpyxl-lembar")

    monkeypatch.setattr(openpyxl.Workbook, "save", full)
    result = runner.invoke(app, ["template", "new", "--level", "ketua", "-o", str(tmp_path / "pk.xlsx")])
    assert result.exit_code == 2
    assert list(tmp_path.iterdir()) == []


def test_atomic_path_keeps_previous_output(tmp_path: Path):
    target = tmp_path / "laporan.xlsx"
    target.write_bytes(b"versi lama")
    try:
        with atomic_path(target) as tmp:
            tmp.write_bytes(b"versi baru sebagian")
            raise KeyboardInterrupt
    except KeyboardInterrupt:
        pass
    assert target.read_bytes() == b"versi lama"
    assert [p.name for p in tmp_path.iterdir()] == ["laporan.xlsx"]


def test_file_names_cannot_escape_the_output_folder():
    for jabatan in ("../../x", "..\\..\\x", "/etc/passwd", "CON", "", "Kasubag: Keuangan/Umum?*"):
        name = safe_filename(jabatan)
        assert name and "/" not in name and "\\" not in name and ".." not in name
        assert name.lower() not in {"con", "prn", "aux", "nul"}
