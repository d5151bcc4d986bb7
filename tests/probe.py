"""Run ``kinerja-xl`` as a user does, in a child process with a memory ceiling, and hold it to the rules.

The adversarial cases (tests/test_probe_*.py) each call :func:`run`: the command must exit with the
expected code, print no traceback, stay under its memory limit and leave every input byte-identical.

>>> r = run(["--version"])
>>> r.code
0
"""

from __future__ import annotations

import hashlib
import os
import resource
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Sequence

ROOT = Path(__file__).resolve().parent.parent

# Address-space ceiling for one command: the budget of 1 GB resident, with room for the
# interpreter's and the libraries' mapped but untouched memory (virtual size is larger than RSS).
DEFAULT_LIMIT_MB = 2048


@dataclass(frozen=True)
class Result:
    code: int
    stdout: str
    stderr: str
    max_rss_mb: float

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def tree_hashes(paths: Iterable[Path]) -> dict[str, str]:
    """sha256 of every file under ``paths`` (files or folders), keyed by path."""
    out: dict[str, str] = {}
    for p in paths:
        p = Path(p)
        files = [p] if p.is_file() else sorted(f for f in p.rglob("*") if f.is_file()) if p.is_dir() else []
        for f in files:
            out[str(f)] = hashlib.sha256(f.read_bytes()).hexdigest()
    return out


# Runs the command as its own child and records that child's peak resident memory (and its children's),
# which RUSAGE_CHILDREN of the test process could not tell apart from earlier commands.
_MEASURE = """
import resource, subprocess, sys
r = subprocess.run(sys.argv[2:])
open(sys.argv[1], "w").write(str(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss))
sys.exit(r.returncode if r.returncode >= 0 else 128 - r.returncode)
"""


def _limit(mb: int, fsize_kb: int | None, umask: int | None):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_AS, (mb * 2**20, mb * 2**20))
        if fsize_kb is not None:  # writes past this size fail with EFBIG, as on a full disk (Python ignores SIGXFSZ)
            resource.setrlimit(resource.RLIMIT_FSIZE, (fsize_kb * 1024, fsize_kb * 1024))
        if umask is not None:
            os.umask(umask)
        os.setsid()  # its own process group, so a test can stop it and every child it started

    return apply


def run(args: Sequence[str], *, inputs: Iterable[Path] = (), limit_mb: int = DEFAULT_LIMIT_MB,
        max_rss_mb: float = 1024, fsize_kb: int | None = None, umask: int | None = None,
        timeout: float = 180, cwd: Path | None = None, env: dict[str, str] | None = None) -> Result:
    """``python -m kinerja_xl ARGS`` under a memory limit; asserts no traceback, peak RSS at most
    ``max_rss_mb`` and inputs byte-identical afterwards."""
    inputs = [Path(p) for p in inputs]
    before = tree_hashes(inputs)
    child_env = {**os.environ, "COLUMNS": "160", **(env or {})}
    with tempfile.TemporaryDirectory() as tmp:
        rss_file = Path(tmp) / "rss"
        proc = subprocess.run([sys.executable, "-c", _MEASURE, str(rss_file), sys.executable, "-m", "kinerja_xl",
                               *map(str, args)], capture_output=True, text=True, timeout=timeout,
                              preexec_fn=_limit(limit_mb, fsize_kb, umask), cwd=cwd, env=child_env)
        rss_kb = int(rss_file.read_text() or 0) if rss_file.exists() else 0
    result = Result(proc.returncode, proc.stdout, proc.stderr, rss_kb / 1024)
    assert "Traceback" not in result.output, result.output[-3000:]
    assert "Kesalahan internal" not in result.output, result.output[-3000:]
    assert result.code < 128, f"dihentikan sinyal {result.code - 128}: {result.output[-2000:]}"
    assert result.max_rss_mb <= max_rss_mb, f"memori puncak {result.max_rss_mb:.0f} MB > {max_rss_mb} MB"
    after = tree_hashes(inputs)
    changed = sorted(k for k in before if after.get(k) != before[k])
    assert not changed, f"masukan berubah: {changed}"
    return result
