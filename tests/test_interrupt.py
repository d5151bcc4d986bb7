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
    assert len(list(out.glob("*.docx"))) == 15


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
