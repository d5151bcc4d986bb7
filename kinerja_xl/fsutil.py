"""File-system helpers: atomic writes and file names that are safe everywhere."""

from __future__ import annotations

import contextlib
import errno
import io
import os
import re
import stat
import tempfile
import unicodedata
from pathlib import Path
from typing import Any, Iterable, Iterator

# Names Windows refuses whatever the extension.
_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}


def safe_filename(text: str, *, max_length: int = 80) -> str:
    """A file name from user text (a jabatan): ASCII, no separators, never '..', never empty; a long one
    is cut after a whole word.

    >>> safe_filename("Kepala Subbagian Keuangan, Umum dan Logistik ../../x")
    'Kepala_Subbagian_Keuangan_Umum_dan_Logistik_x'
    >>> safe_filename("Koordinator Divisi Partisipasi Masyarakat", max_length=36)
    'Koordinator_Divisi_Partisipasi'
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    name = re.sub(r"[^A-Za-z0-9]+", "_", ascii_text).strip("_")
    if len(name) > max_length:
        cut = name[: max_length + 1].rfind("_")  # the word ending at the limit is whole too
        # One word longer than half the limit: a hard cut beats a name of a word or two.
        name = name[:cut] if cut > max_length // 2 else name[:max_length]
    name = name.strip("_")
    if not name or name.lower() in _RESERVED:
        name = f"dokumen_{name}" if name else "dokumen"
    return name


# Every file a user may mean as a workbook: kinerja_xl reads some and explains the others (.xls, .ods).
WORKBOOK_LIKE = frozenset({".xlsx", ".xlsm", ".xltx", ".xltm", ".xls", ".xlsb", ".ods", ".fods", ".csv"})


class OutputConflict(Exception):
    """An output would replace a file this run reads, or two outputs of one run would share a path."""


def path_key(path: str | Path) -> str:
    """A key equal for every spelling of one file: relative or absolute, through symlinks, any letter case.

    Case is folded on every system: a folder copied to a Windows share or a Mac must not turn two
    outputs into one.
    """
    return os.path.normcase(os.path.realpath(path)).casefold()


class OutputPlan:
    """The files a run reads and the files it will write; refuses an output that would lose data.

    >>> plan = OutputPlan(["contoh/RKT.xlsx"])
    >>> plan.claim("hasil/RKT.xlsx").name
    'RKT.xlsx'
    >>> plan.claim("contoh/rkt.xlsx")
    Traceback (most recent call last):
    ...
    kinerja_xl.fsutil.OutputConflict: Keluaran contoh/rkt.xlsx akan menimpa berkas masukan contoh/RKT.xlsx; pilih nama atau folder keluaran lain.
    """

    def __init__(self, protected: Iterable[str | Path] = ()) -> None:
        self._inputs: dict[str, Path] = {}
        self._outputs: dict[str, Path] = {}
        self.protect(protected)

    def protect(self, paths: Iterable[str | Path]) -> None:
        """Files the run reads (or would read): never written.

        A folder protects the workbooks directly in it, whatever their state (one a user is still
        filling may be unreadable today and read tomorrow); other files there (documents a previous
        build wrote into the folder, a picture) stay the user's to replace.
        """
        for raw in paths:
            path = Path(raw)
            if path.is_dir():
                files = [f for f in path.iterdir() if f.suffix.lower() in WORKBOOK_LIKE and f.is_file()]
            else:
                files = [path]
            for f in files:
                self._inputs.setdefault(path_key(f), f)

    def _conflict(self, path: Path) -> str | None:
        key = path_key(path)
        if key in self._inputs:
            return (f"Keluaran {path} akan menimpa berkas masukan {self._inputs[key]}; "
                    "pilih nama atau folder keluaran lain.")
        if path.exists():
            for f in self._inputs.values():  # a hard link, or a second mount of the same disk
                with contextlib.suppress(OSError):
                    if os.path.samefile(f, path):
                        return (f"Keluaran {path} adalah berkas masukan {f} (tautan lain ke berkas yang sama); "
                                "pilih nama atau folder keluaran lain.")
        return None

    def claim(self, path: str | Path) -> Path:
        """Reserve one output path; :class:`OutputConflict` when it is an input or already reserved."""
        path = Path(path)
        problem = self._conflict(path)
        if problem is None and path_key(path) in self._outputs:
            problem = (f"Dua keluaran satu proses bernama sama: {self._outputs[path_key(path)]} dan {path} "
                       "(huruf besar/kecil tidak membedakan nama berkas di Windows).")
        if problem:
            raise OutputConflict(problem)
        self._outputs[path_key(path)] = path
        return path

    def claim_unique(self, path: str | Path) -> Path:
        """Reserve ``path``, or ``name (2).xlsx``, ``name (3).xlsx``... when another output has it.

        An input is never a candidate: :class:`OutputConflict` as for :meth:`claim`.
        """
        path = Path(path)
        candidate, n = path, 1
        while path_key(candidate) in self._outputs:
            n += 1
            candidate = path.with_name(f"{path.stem} ({n}){path.suffix}")
        return self.claim(candidate)


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def _mode_for(target: Path) -> int:
    """The permissions a new file gets from the user's umask, or those of the file it replaces."""
    try:
        return stat.S_IMODE(os.stat(target).st_mode)
    except OSError:
        return 0o666 & ~_umask()


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` in one step.

    A failure or Ctrl-C inside the block leaves ``target`` as it was and no partial file. The result
    has the permissions any tool would give it (the umask, or those of the file replaced: mkstemp's
    0600 would lock colleagues on a shared folder out). A symlink is written through, not replaced.
    When the folder is read-only but the file itself is writable (a shared report), the finished
    bytes are copied into it instead.
    """
    target = Path(target)
    if target.is_symlink():
        target = Path(os.path.realpath(target))
    target.parent.mkdir(parents=True, exist_ok=True)
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{target.stem}.tmp-", suffix=target.suffix, dir=target.parent)
    except PermissionError:
        if not (target.is_file() and os.access(target, os.W_OK)):
            raise
        with tempfile.TemporaryDirectory(prefix="kinerja-xl-keluaran-") as work:
            tmp_path = Path(work) / target.name
            yield tmp_path
            data = tmp_path.read_bytes()  # complete before the target is touched
        with open(target, "r+b") as fh:
            fh.write(data)
            fh.truncate()
        return
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        yield tmp_path
        os.chmod(tmp_path, _mode_for(target))
        os.replace(tmp_path, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp_path.unlink()


def atomic_save(document: Any, target: str | Path) -> Path:
    """Save anything with a ``.save(file)`` method (openpyxl Workbook, docx Document) atomically.

    The document is serialised in memory first: a full disk then fails on one plain write, with a
    clean OSError, instead of inside zipfile (whose object would fail again when collected and print
    a second traceback).
    """
    return write_bytes(target, serialise(document))


def serialise(document: Any) -> bytes:
    """The bytes ``document.save`` would write; a full disk under the temporary files it uses is an OSError."""
    buffer = io.BytesIO()
    try:
        document.save(buffer)
    except Exception as exc:
        _raise_os_error(exc)
        raise
    return buffer.getvalue()


def _raise_os_error(exc: Exception) -> None:
    """openpyxl writes each sheet to a temporary file through lxml, which reports a full disk as
    ``SerialisationError('IO_ENOSPC')``, not as an OSError: turn that back into what it is."""
    code = str(exc)
    if type(exc).__name__ == "SerialisationError" and code.startswith("IO_"):
        number = getattr(errno, code[3:], errno.EIO)
        raise OSError(number, os.strerror(number), tempfile.gettempdir()) from None


def write_bytes(target: str | Path, data: bytes) -> Path:
    """Write ``data`` to ``target`` atomically (see :func:`atomic_path`)."""
    target = Path(target)
    with atomic_path(target) as tmp:
        with open(tmp, "wb") as fh:
            fh.write(data)
    return target
