"""File-system helpers: atomic writes and file names that are safe everywhere."""

from __future__ import annotations

import contextlib
import os
import re
import tempfile
import unicodedata
from pathlib import Path
from typing import Any, Iterator

# Names Windows refuses whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_filename(text: str, *, max_length: int = 80) -> str:
    """A file name from user text (a jabatan): ASCII, no separators, never '..', never empty.

    >>> safe_filename("Kepala Subbagian Keuangan, Umum dan Logistik ../../x")
    'Kepala_Subbagian_Keuangan_Umum_dan_Logistik_x'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^A-Za-z0-9]+", "_", ascii_text).strip("_")[:max_length].strip("_")
    if not name or name.lower() in _RESERVED:
        name = f"dokumen_{name}" if name else "dokumen"
    return name


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one step.

    A failure or Ctrl-C inside the block leaves ``target`` as it was and no partial file.
    """
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.tmp-", suffix=target.suffix, dir=target.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


def atomic_save(document: Any, target: str | Path) -> Path:
    """Save anything with a ``.save(path)`` method (openpyxl Workbook, docx Document) atomically."""
    target = Path(target)
    with atomic_path(target) as tmp:
        document.save(tmp)
    return target
