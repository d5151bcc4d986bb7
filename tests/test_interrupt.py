"""An interrupted build leaves no partial output and the inputs unchanged."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import docx
import pytest

from conftest import sha256


def _wait_for_staging(parent: Path, proc: subprocess.Popen, timeout: float = 60) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and proc.poll() is None:
        staging = [p for p in parent.glob("hasil/.sementara-*") if any(p.iterdir())]
        if staging:
            return True
        time.sleep(0.02)
    return False


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL])
def test_build_killed_mid_run(example: Path, tmp_path: Path, sig):
    before = {p.name: sha256(p) for p in example.iterdir()}
    out = tmp_path / "hasil"
    proc = subprocess.Popen([sys.executable, "-m", "kinerja_xl", "build", str(example), "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    assert _wait_for_staging(tmp_path, proc), "build finished before it could be interrupted"
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "Traceback" not in err
    # nothing moved in before every document was done
    assert not out.exists() or [p for p in out.iterdir() if not p.name.startswith(".sementara-")] == []
    if sig != signal.SIGKILL:  # a catchable signal also removes the staging folder (and the new folder)
        assert not out.exists()
    assert {p.name: sha256(p) for p in example.iterdir()} == before
    # The next build clears what a killed one could not (its process is gone) and writes everything.
    subprocess.run([sys.executable, "-m", "kinerja_xl", "build", str(example), "-o", str(out)], check=True,
                   capture_output=True)
    assert list(out.glob(".sementara-*")) == []
    assert len(list(out.glob("*.docx"))) == 18  # 12 PKs, bundle, RKT, Pengukuran, LAKIP, Manual IKU, change list


def _dead_pid() -> int:
    pid = 4_000_000
    while True:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return pid
        except OSError:
            pass
        pid += 1


def test_abandoned_staging_folders_are_removed_and_live_ones_kept(tmp_path: Path):
    from kinerja_xl.render.build import STALE_AFTER, remove_abandoned_staging

    out = tmp_path / "hasil"
    dead = tmp_path / f".hasil-sementara-{_dead_pid()}-x1"
    live = tmp_path / f".hasil-sementara-{os.getpid()}-x2"
    old_live = tmp_path / f".hasil-sementara-{os.getpid()}-x3"
    legacy = tmp_path / ".hasil-sementara-x4"  # the name before the process id was in it
    other = tmp_path / f".laporan-sementara-{_dead_pid()}-x5"  # another output's: not ours to touch
    for folder in (dead, live, old_live, legacy, other):
        folder.mkdir()
        (folder / "PK_01.docx").write_bytes(b"setengah")
    stale = time.time() - STALE_AFTER - 60
    os.utime(old_live, (stale, stale))
    out.mkdir()
    inside_dead = out / f".sementara-{_dead_pid()}-y1"  # where builds stage since 0.3
    inside_live = out / f".sementara-{os.getpid()}-y2"
    for folder in (inside_dead, inside_live):
        folder.mkdir()
    assert sorted(remove_abandoned_staging(out)) == sorted([dead, old_live, inside_dead])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([live.name, legacy.name, other.name, "hasil"])
    assert [p.name for p in out.iterdir()] == [inside_live.name]


def test_interrupted_rebuild_keeps_previous_documents(example: Path, tmp_path: Path):
    out = tmp_path / "hasil"
    subprocess.run([sys.executable, "-m", "kinerja_xl", "build", str(example), "-o", str(out)], check=True,
                   capture_output=True)
    previous = {p.name: sha256(p) for p in out.iterdir()}
    proc = subprocess.Popen([sys.executable, "-m", "kinerja_xl", "build", str(example), "-o", str(out)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    assert _wait_for_staging(tmp_path, proc)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    assert {p.name: sha256(p) for p in out.iterdir()} == previous
    for path in out.glob("*.docx"):
        docx.Document(path)  # every document still opens


# --- build --pdf interrupted: LibreOffice and the temporary folders go too (issue 14, item 16) ------------

_TEMP_PREFIXES = ("kinerja-xl-gambar-", "kinerja-xl-pdf-", "kinerja-xl-lo-", "kinerja-xl-cek-")


def _office_processes(marker: str) -> list[int]:
    """Ids of the running processes whose command line holds ``marker`` (LibreOffice's profile folder)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                cmdline = (entry / "cmdline").read_bytes()
                state = (entry / "stat").read_text().rsplit(")", 1)[1].split()[0]
            except OSError:
                continue
            if marker.encode() in cmdline and state != "Z":
                found.append(int(entry.name))
    return found


def _temp_folders(tmp: Path) -> list[str]:
    return sorted(p.name for p in tmp.iterdir() if p.name.startswith(_TEMP_PREFIXES))


def _start_pdf_build(example: Path, out: Path, tmp: Path) -> tuple[subprocess.Popen, Path]:
    """A ``build --pdf`` whose temporary folders go to ``tmp``; returns once LibreOffice is converting."""
    proc = subprocess.Popen([sys.executable, "-m", "kinerja_xl", "build", str(example), "-o", str(out), "--pdf"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "TMPDIR": str(tmp)})
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        profiles = list(tmp.glob(f"kinerja-xl-lo-{proc.pid}-*"))
        if profiles and any("soffice.bin" in Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace")
                            for pid in _office_processes(profiles[0].name)):
            return proc, profiles[0]
        time.sleep(0.05)
    proc.kill()
    pytest.fail("LibreOffice did not start before the build ended")


def _gone(marker: str, timeout: float = 10) -> bool:
    deadline = time.monotonic() + timeout
    while _office_processes(marker):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find LibreOffice's processes")
@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM])
def test_interrupted_pdf_build_stops_libreoffice_and_cleans_up(example: Path, tmp_path: Path, sig):
    from conftest import soffice

    soffice()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc, profile = _start_pdf_build(example, tmp_path / "hasil", tmp)
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130 and "Traceback" not in err, err
    assert _gone(profile.name, timeout=2), "LibreOffice masih berjalan setelah build dihentikan"
    assert _temp_folders(tmp) == []
    assert not (tmp_path / "hasil").exists()


@pytest.mark.skipif(not Path("/proc").is_dir(), reason="reads /proc to find LibreOffice's processes")
def test_next_build_ends_libreoffice_and_removes_folders_a_killed_build_left(example: Path, tmp_path: Path):
    from conftest import soffice

    soffice()
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    proc, profile = _start_pdf_build(example, tmp_path / "hasil", tmp)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    time.sleep(0.5)
    orphans = _office_processes(profile.name)
    left = _temp_folders(tmp)
    assert left  # what kill -9 leaves: nothing could clean up
    # another user's leftovers and a live build's folder are not touched
    live = tmp / f"kinerja-xl-pdf-{os.getpid()}-hidup"
    live.mkdir()
    try:
        result = subprocess.run([sys.executable, "-m", "kinerja_xl", "build", str(example), "-o",
                                 str(tmp_path / "hasil2")], capture_output=True, text=True, timeout=120,
                                env={**os.environ, "TMPDIR": str(tmp)})
        assert result.returncode == 0, result.stderr
        assert _gone(profile.name, timeout=5), f"LibreOffice {orphans} masih berjalan"
        assert _temp_folders(tmp) == [live.name]
    finally:
        for pid in _office_processes(profile.name):
            os.kill(pid, signal.SIGKILL)


def test_abandoned_temp_folders_are_removed_and_live_ones_kept(tmp_path: Path):
    from kinerja_xl.render.build import STALE_AFTER, remove_abandoned_temp

    dead, me = _dead_pid(), os.getpid()
    names = {f"kinerja-xl-gambar-{dead}-a": True, f"kinerja-xl-pdf-{dead}-b": True, f"kinerja-xl-lo-{dead}-c": True,
             f"kinerja-xl-cek-{dead}-d": True, f"kinerja-xl-gambar-{me}-e": False, "kinerja-xl-gambar-lama": False,
             f"lain-{dead}-f": False}
    for name in names:
        (tmp_path / name).mkdir()
        (tmp_path / name / "isi.png").write_bytes(b"x")
    old = tmp_path / "kinerja-xl-pdf-kuno"  # named before the pid was in it, and a day old
    old.mkdir()
    stale = time.time() - STALE_AFTER - 60
    os.utime(old, (stale, stale))
    removed = remove_abandoned_temp(tmp_path)
    assert sorted(p.name for p in removed) == sorted([*(n for n, gone in names.items() if gone), old.name])
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(n for n, gone in names.items() if not gone)
