"""The command line: ``kinerja-xl``. Parses options and calls :mod:`kinerja_xl.api`; no logic here."""

from __future__ import annotations

import errno
import functools
import sys
from typing import Callable, TypeVar

import typer

from ..errors import Problem, UsageError
from ..fsutil import OutputConflict
from . import bahasa
from .output import Format, fail, show_report

F = TypeVar("F", bound=Callable)

bahasa.install()  # typer's own words (help option, panels, usage errors) in Bahasa Indonesia

app = typer.Typer(
    name="kinerja-xl",
    help="Perjanjian Kinerja, RKT, Pengukuran dan LAKIP dari template Excel yang baku.\n\n"
         "Contoh: kinerja-xl validate workbooks/",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    options_metavar="[OPSI]",
    subcommand_metavar="PERINTAH [ARGUMEN]...",
)


def _version(value: bool) -> None:
    if value:
        from importlib.metadata import PackageNotFoundError, version

        try:
            typer.echo(f"kinerja-xl {version('kinerja_xl')}")
        except PackageNotFoundError:  # run from a source tree that was never installed
            typer.echo("kinerja-xl (versi tidak diketahui: paket belum dipasang)")
        raise typer.Exit()


@app.callback()
def _root(
    versi: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                               help="Tampilkan versi lalu keluar."),
    versi_lama: bool = typer.Option(False, "--versi", callback=_version, is_eager=True, hidden=True),
) -> None:
    """Perjanjian Kinerja, RKT, Pengukuran dan LAKIP dari template Excel yang baku.

    Contoh: kinerja-xl validate workbooks/
    """


# The real cause of a failed read or write, in the user's words; the generic sentence is for the rest.
_CAUSES = {
    errno.ENOSPC: "ruang disk penuh; kosongkan ruang lalu ulangi",
    errno.EDQUOT: "kuota disk Anda habis; kosongkan ruang lalu ulangi",
    errno.EFBIG: "berkas melebihi ukuran yang diizinkan sistem berkas",
    errno.EACCES: "tidak ada hak akses; pilih folder yang dapat Anda tulisi atau minta hak akses",
    errno.EPERM: "tidak ada hak akses; pilih folder yang dapat Anda tulisi atau minta hak akses",
    errno.EROFS: "sistem berkas hanya-baca (read-only); pilih folder lain",
    errno.ENOENT: "berkas atau folder tidak ditemukan",
    errno.ENOTDIR: "bagian path ini adalah berkas, bukan folder",
    errno.EISDIR: "path ini adalah folder, bukan berkas",
    errno.ENAMETOOLONG: "nama berkas atau path terlalu panjang",
    errno.EXDEV: "folder sementara dan folder tujuan ada di disk berbeda",
}


def os_error_message(exc: OSError) -> str:
    """What went wrong with which file, and what to do, for an OSError from reading or writing."""
    where = f" {exc.filename}" if exc.filename else ""
    cause = _CAUSES.get(exc.errno or 0)
    if cause is None:
        cause = f"{exc.strerror or exc}; periksa folder tujuan, hak akses dan ruang disk"
    return f"Tidak dapat menulis atau membaca berkas{where}: {cause}."


def guarded(fn: F) -> F:
    """Turn expected failures (bad path, bad option, bad hierarchy file) into a message and exit 2.

    A :class:`Problem` (the hierarchy file, a Word template, the PDF conversion) is a finding: with
    ``--format json`` it is printed as a report of that one finding, like any other.
    """

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except Problem as exc:
            if kwargs.get("format") is Format.json:
                show_report(exc.report(), Format.json)
            else:
                fail(str(exc))
            raise typer.Exit(2) from None
        except UsageError as exc:
            fail(str(exc))
            raise typer.Exit(2) from None
        except OutputConflict as exc:
            fail(f"{exc} Tidak ada berkas yang ditulis.")
            raise typer.Exit(2) from None
        except OSError as exc:  # an output folder that is not writable, a full disk, a vanished file
            fail(os_error_message(exc))
            raise typer.Exit(2) from None

    return wrapper  # type: ignore[return-value]


from . import addin as _addin, build as _build, check as _check, diff as _diff, kode as _kode  # noqa: E402,F401
from . import template as _template, templates_word as _templates_word  # noqa: E402,F401
from . import rollup as _rollup, validate as _validate  # noqa: E402,F401  (importing registers the commands)

app.add_typer(_template.app, name="template")  # the Excel workbooks to fill in
app.add_typer(_addin.app, name="addin")
app.add_typer(_templates_word.app, name=_templates_word.NAME)  # the office's Word templates
app.add_typer(_templates_word.legacy, name=_templates_word.OLD_NAME, hidden=True)  # the old name, with a note


def _terminate(signum, frame):  # noqa: ARG001
    raise KeyboardInterrupt  # run the same clean-up as Ctrl-C: temporary outputs are removed


def _unraisable(hook_args) -> None:  # noqa: ANN001
    """An error raised again while a failed write is cleaned up (openpyxl's sheet writer closing its
    temporary file on a full disk) was already reported once, cleanly: it prints nothing more."""
    exc = hook_args.exc_value
    if isinstance(exc, OSError) or type(exc).__name__ == "SerialisationError":
        return
    sys.stderr.write(f"Peringatan internal kinerja_xl: {type(exc).__name__}: {exc}\n")


def main() -> None:
    """Entry point: never a traceback, even for the tool's own bugs."""
    import signal

    signal.signal(signal.SIGTERM, _terminate)
    sys.unraisablehook = _unraisable
    try:
        app()
    except KeyboardInterrupt:
        fail("Dibatalkan.")
        sys.exit(130)
    except Exception as exc:  # a bug in kinerja_xl itself: say so plainly
        fail(f"Kesalahan internal kinerja_xl ({type(exc).__name__}: {exc}). Mohon laporkan beserta berkasnya.")
        sys.exit(3)
