"""Install the Kinerja add-in into the user's Excel and point it at a Python interpreter.

Mirrors ``xlwings addin install`` and ``xlwings config create`` (xlwings/cli.py) without
needing a running Excel: the add-in goes into Excel's per-user startup folder, and the
interpreter goes into the user config file that the add-in's embedded xlwings VBA module
reads (``GetConfigFilePath`` there). That module has ``PROJECT_NAME = "myaddin"``, so the
file is ``myaddin.conf``, not xlwings' own ``xlwings.conf``; writing the latter would
also repoint the user's stock xlwings add-in.
"""

from __future__ import annotations

import importlib.util
import locale
import os
import shutil
import sys
from pathlib import Path

ADDIN_FILENAME = "kinerja_xl.xlam"
# Must equal the PROJECT_NAME constant of the xlwings VBA module in the shipped add-in;
# tests/test_addin_build.py checks it against the built file.
CONFIG_NAME = "myaddin"

# Excel 2016+ for Mac: the startup folder, i.e. what Excel's Application.StartupPath
# returns and therefore where `xlwings addin install` copies to on macOS.
MAC_STARTUP = Path(
    "Library/Group Containers/UBF8T346G9.Office/User Content.localized/Startup.localized/Excel"
)
# The sandboxed home of Excel for Mac, where the VBA reads the config ($HOME inside it).
MAC_EXCEL_HOME = Path("Library/Containers/com.microsoft.Excel/Data")
MAC_SCRIPTS = Path("Library/Application Scripts/com.microsoft.Excel")


class AddinUnsupported(Exception):
    """The add-in cannot run on this platform."""


def _kind(platform: str) -> str:
    if platform.startswith("win"):
        return "win"
    if platform == "darwin":
        return "mac"
    raise AddinUnsupported(
        "Add-in Kinerja memerlukan Microsoft Excel versi desktop di Windows atau macOS; "
        f"platform {platform!r} tidak didukung."
    )


def addin_dir(platform: str = sys.platform, home: Path | None = None) -> Path:
    """Default folder whose workbooks Excel opens at start-up, per platform."""
    kind = _kind(platform)
    if kind == "mac":
        return (home or Path.home()) / MAC_STARTUP
    # %APPDATA%\Microsoft\Excel\XLSTART is Excel's default StartupPath; an explicit home
    # (tests, other users) must not pick up the running user's %APPDATA%.
    appdata = os.environ.get("APPDATA") if home is None else None
    roaming = Path(appdata) if appdata else (home or Path.home()) / "AppData" / "Roaming"
    return roaming / "Microsoft" / "Excel" / "XLSTART"


def config_path(platform: str = sys.platform, home: Path | None = None) -> Path:
    """The user config file that the add-in's xlwings VBA module reads."""
    home = home or Path.home()
    if _kind(platform) == "mac":
        return home / MAC_EXCEL_HOME / f"{CONFIG_NAME}.conf"
    return home / f".{CONFIG_NAME}" / f"{CONFIG_NAME}.conf"


def set_config_value(path: Path, key: str, value: str, *, newline: str = "\n") -> None:
    """Set ``"KEY","value"`` in an xlwings-style config file, keeping every other line."""
    if '"' in value or "\n" in value or "\r" in value:
        # VBA's Input # has no escape for quotes: such a value would split the line.
        raise ValueError(
            f"Nilai untuk {key} tidak boleh memuat tanda kutip atau baris baru: {value!r}"
        )
    # Same encoding as xlwings' own writer (open(..., "w")): the ANSI code page on
    # Windows, which is also what VBA's Open ... For Input reads.
    encoding = locale.getpreferredencoding(False)
    kept: list[str] = []
    if path.is_file():
        text = path.read_text(encoding=encoding, errors="surrogateescape")
        for line in text.splitlines():
            first = line.split(",", 1)[0].strip().strip('"')
            # The VBA reader compares keys case-insensitively and takes the first match,
            # so every old spelling of the key has to go. Blank lines go too, as in xlwings.
            if line.strip() and first.lower() != key.lower():
                kept.append(line)
    kept.append(f'"{key}","{value}"')
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes((newline.join(kept) + newline).encode(encoding, errors="surrogateescape"))
    os.replace(tmp, path)


def _install_runpython_script(home: Path) -> Path:
    """Copy xlwings' AppleScript that RunPython needs on macOS (``xlwings runpython install``)."""
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("Paket xlwings tidak terpasang.")
    package = Path(list(spec.submodule_search_locations)[0])
    scripts = sorted(package.glob("xlwings-*.applescript"))
    if len(scripts) != 1:
        raise FileNotFoundError(f"Skrip AppleScript xlwings tidak ditemukan di {package}.")
    target = home / MAC_SCRIPTS
    target.mkdir(parents=True, exist_ok=True)
    return Path(shutil.copy2(scripts[0], target / scripts[0].name))


def install(
    *,
    python: str = sys.executable,
    target_dir: Path | None = None,
    platform: str = sys.platform,
    home: Path | None = None,
) -> Path:
    """Build the add-in into Excel's startup folder, set its interpreter; return the .xlam path."""
    kind = _kind(platform)
    if not python:
        raise ValueError("Lokasi interpreter Python kosong.")
    # addin_dir gets the caller's home as given: only home=None may consult %APPDATA%.
    target_dir = Path(target_dir) if target_dir is not None else addin_dir(platform, home)
    home = Path(home) if home is not None else Path.home()
    # Imported here: building pulls in olefile, which `install --help` and the
    # unsupported-platform path do not need.
    from kinerja_xl.addin.build import build_xlam

    try:
        xlam = build_xlam(target_dir / ADDIN_FILENAME)
    except PermissionError as exc:
        raise PermissionError(
            f"Tidak dapat menulis {target_dir / ADDIN_FILENAME}. Tutup Excel lalu coba lagi."
        ) from exc
    key = "INTERPRETER_MAC" if kind == "mac" else "INTERPRETER_WIN"
    # CRLF on Windows as xlwings' text-mode writer produces there.
    set_config_value(config_path(platform, home), key, str(python),
                     newline="\r\n" if kind == "win" else "\n")
    if kind == "mac":
        _install_runpython_script(home)
    return xlam
