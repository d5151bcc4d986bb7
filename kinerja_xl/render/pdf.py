"""PDF through LibreOffice: one ``soffice --headless --convert-to pdf`` call for all documents.

One call, because starting LibreOffice costs seconds and converting is fast. Each call gets
its own throw-away profile folder (``-env:UserInstallation``): two builds at once would
otherwise fight over the user's profile lock, and a desktop LibreOffice left open would
swallow the request.

The profile is written before the start with links blocked (:data:`PROFILE_SETTINGS`): a document's
linked pictures, ``http://`` or ``file:///``, are neither fetched nor embedded in the PDF. LibreOffice
runs in its own process group, which is ended whatever ends the conversion (done, an error, the
timeout, Ctrl-C or SIGTERM); the folder records that group, so a later build can end a LibreOffice
that a build killed outright (``kill -9``) left running (:func:`stop_abandoned`).
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Sequence


from ..errors import Problem

DEFAULT_TIMEOUT = 180  # seconds; the first start of a fresh profile alone takes several

# Where installers put LibreOffice when it is not on PATH (Windows and macOS offices often).
_KNOWN = (
    r"C:\Program Files\LibreOffice\program\soffice.exe",
    r"C:\Program Files (x86)\LibreOffice\program\soffice.exe",
    "/Applications/LibreOffice.app/Contents/MacOS/soffice",
)


# LibreOffice's own settings, in its user profile: documents are not among the trusted locations, so
# BlockUntrustedRefererLinks stops every link they hold (linked graphics, OLE links, auto-reload); links
# and fields are never updated on loading (Writer and Calc: 2 = never); no macros, no first-start wizard.
PROFILE_SETTINGS = """<?xml version="1.0" encoding="UTF-8"?>
<oor:items xmlns:oor="http://openoffice.org/2001/registry" xmlns:xs="http://www.w3.org/2001/XMLSchema"
           xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="BlockUntrustedRefererLinks" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="MacroSecurityLevel" \
oor:op="fuse"><value>3</value></prop></item>
<item oor:path="/org.openoffice.Office.Common/Security/Scripting"><prop oor:name="DisableMacrosExecution" \
oor:op="fuse"><value>true</value></prop></item>
<item oor:path="/org.openoffice.Office.Writer/Content/Update"><prop oor:name="Link" oor:op="fuse">\
<value>2</value></prop></item>
<item oor:path="/org.openoffice.Office.Calc/Content/Update"><prop oor:name="Link" oor:op="fuse">\
<value>2</value></prop></item>
<item oor:path="/org.openoffice.Setup/Office"><prop oor:name="ooSetupInstCompleted" oor:op="fuse">\
<value>true</value></prop></item>
</oor:items>
"""
PROFILE_PREFIX = "kinerja-xl-lo-"  # + this process's id: a later build tells an abandoned folder by it
_GROUP_FILE = "soffice.pgid"


class PdfUnavailable(Problem, RuntimeError):
    """LibreOffice is not installed, so no PDF can be made (``pdf-unavailable``); the message says what to do."""


class PdfFailed(Problem, RuntimeError):
    """LibreOffice ran but did not produce every PDF (``pdf-failed``) or took too long (``pdf-timeout``)."""


class PdfNameClash(Problem, ValueError):
    """Two documents of one conversion share a base name (``pdf-name-duplicate``): one PDF would replace the other."""


def find_soffice() -> str | None:
    """The LibreOffice executable: ``soffice`` or ``libreoffice`` on PATH, else a usual install place."""
    for name in ("soffice", "libreoffice"):
        found = shutil.which(name)
        if found:
            return found
    return next((p for p in _KNOWN if Path(p).is_file()), None)


def _kill(proc: subprocess.Popen) -> None:
    # soffice starts soffice.bin as a child: end the whole group we started, not just the launcher.
    try:
        if sys.platform != "win32":
            os.killpg(proc.pid, signal.SIGKILL)
        else:
            proc.kill()
    except (ProcessLookupError, PermissionError):
        pass
    try:
        proc.communicate(timeout=10)
    except (subprocess.TimeoutExpired, ValueError, OSError):
        pass
    if sys.platform != "win32":
        _wait_group_gone(proc.pid)


def _wait_group_gone(pgid: int, timeout: float = 5) -> None:
    """Wait until no process of group ``pgid`` is left (soffice.bin outlives its launcher by a moment),
    so its profile folder can be removed. Zombies do not count: they hold no file, and where the
    system's reaper is slow (a container's init) waiting for them cost 1.5 s per LibreOffice call."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except (ProcessLookupError, PermissionError):
            return
        if not _live_members(pgid):
            return
        time.sleep(0.02)


def _live_members(pgid: int) -> bool:
    """Whether a process of group ``pgid`` is running (not a zombie); True where /proc cannot tell."""
    proc = Path("/proc")
    if not proc.is_dir():
        return True
    for entry in proc.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid pgrp ...; comm may hold spaces and parentheses: split after the last ')'
        fields = stat[stat.rfind(")") + 2:].split()
        if len(fields) > 2 and fields[2] == str(pgid) and fields[0] != "Z":
            return True
    return False


def write_profile(profile: Path) -> None:
    """A fresh LibreOffice user profile holding :data:`PROFILE_SETTINGS`."""
    user = profile / "user"
    user.mkdir(parents=True, exist_ok=True)
    (user / "registrymodifications.xcu").write_text(PROFILE_SETTINGS, encoding="utf-8")


def stop_abandoned(folder: Path) -> None:
    """End the LibreOffice a killed build left running from the profile ``folder`` (POSIX).

    Only processes of the recorded group whose command line names this very folder are ended: a
    process group id may have been reused by now.
    """
    try:
        pgid = int((folder / _GROUP_FILE).read_text())
    except (OSError, ValueError):
        return
    if sys.platform == "win32" or pgid <= 1:
        return
    proc_root = Path("/proc")
    if not proc_root.is_dir():
        return  # without /proc the group cannot be verified: leave it (it ends at its own timeout)
    markers = (str(folder).encode(), folder.as_uri().encode())  # the profile is passed as a file: URL
    for entry in proc_root.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
            group = int(stat[stat.rindex(")") + 2:].split()[2])
            if group == pgid and any(m in (entry / "cmdline").read_bytes() for m in markers):
                os.kill(int(entry.name), signal.SIGKILL)
        except (OSError, ValueError, IndexError):
            continue


def to_pdf(docx_paths: Sequence[Path], outdir: Path, *, timeout: float = DEFAULT_TIMEOUT) -> list[Path]:
    """Convert the documents to PDF into ``outdir`` (same base names) with one LibreOffice call."""
    return convert(docx_paths, outdir, timeout=timeout)


def convert(docx_paths: Sequence[Path], outdir: Path, *, target: str = "pdf", suffix: str = ".pdf",
            timeout: float = DEFAULT_TIMEOUT) -> list[Path]:
    """The documents laid out and saved by LibreOffice (``--convert-to target``) into ``outdir``.

    ``target`` is a LibreOffice filter ("pdf", or "docx:MS Word 2007 XML" for a copy whose field results
    LibreOffice computed); the results are named after the documents with ``suffix``.
    """
    paths = [Path(p).resolve() for p in docx_paths]
    if not paths:
        return []
    stems = [p.stem for p in paths]
    if len(set(stems)) != len(stems):
        doubled = sorted({s for s in stems if stems.count(s) > 1})
        raise PdfNameClash("pdf-name-duplicate", file=str(outdir), names=", ".join(doubled))
    exe = find_soffice()
    if exe is None:
        raise PdfUnavailable("pdf-unavailable", file=str(outdir))
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    # The profile lives in the system temp folder; the PDFs are staged inside outdir so the
    # final move is a rename on the same disk.
    with tempfile.TemporaryDirectory(prefix=f"{PROFILE_PREFIX}{os.getpid()}-") as work, \
            tempfile.TemporaryDirectory(prefix=".pdf-", dir=outdir) as staged:
        profile, staging = Path(work) / "profil", Path(staged)
        write_profile(profile)
        cmd = [exe, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore", "--nologo",
               "--nolockcheck", "--convert-to", target, "--outdir", str(staging), *map(str, paths)]
        # LibreOffice's own temporary files go inside the folder too, so they go when it goes.
        env = {**os.environ, "TMPDIR": work, "TMP": work, "TEMP": work}
        proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                                stdin=subprocess.DEVNULL, start_new_session=sys.platform != "win32")
        try:
            (Path(work) / _GROUP_FILE).write_text(str(proc.pid))  # its own session: group id = its pid
            out, err = proc.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            _kill(proc)
            raise PdfFailed("pdf-timeout", file=str(outdir), seconds=f"{timeout:.0f}") from None
        except BaseException:  # Ctrl-C, SIGTERM (raised as KeyboardInterrupt), anything: LibreOffice ends too
            _kill(proc)
            raise
        if sys.platform != "win32":
            _kill(proc)  # the launcher has exited; a soffice.bin it left behind must not outlive us
        made = [staging / f"{stem}{suffix}" for stem in stems]
        missing = [p.name for p in made if not p.is_file() or p.stat().st_size == 0]
        if missing:
            detail = " ".join((err or out or "").strip().splitlines()[-3:])
            raise PdfFailed("pdf-failed", file=str(outdir), missing=", ".join(missing), returncode=proc.returncode,
                            detail=f" {detail}" if detail else "")
        # Move only when every PDF exists: a failed run leaves outdir as it was.
        for p in made:
            os.replace(p, outdir / p.name)
        return [outdir / p.name for p in made]
