"""The command line: ``kinerja-xl``. Parses options and calls :mod:`kinerja_xl.api`; no logic here."""

from __future__ import annotations

import sys

import typer

from ..api import UsageError
from ..levels import HierarchyError
from .output import fail

app = typer.Typer(
    name="kinerja-xl",
    help="Perjanjian Kinerja, RKT, Pengukuran dan LAKIP dari template Excel yang baku.\n\n"
         "Contoh: kinerja-xl validate workbooks/",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
)

from . import validate as _validate, template as _template  # noqa: E402  (register commands)

app.add_typer(_template.app, name="template")


def main() -> None:
    """Entry point: turns expected failures into a message and exit code 2, never a traceback."""
    try:
        app(standalone_mode=False)
    except (UsageError, HierarchyError) as exc:
        fail(str(exc))
        sys.exit(2)
    except SystemExit:
        raise
    except KeyboardInterrupt:
        fail("Dibatalkan.")
        sys.exit(130)
    except Exception as exc:  # the tool's own bug: say so plainly, without a traceback
        import click

        if isinstance(exc, click.exceptions.ClickException):
            exc.show()
            sys.exit(exc.exit_code)
        if isinstance(exc, click.exceptions.Abort):
            fail("Dibatalkan.")
            sys.exit(130)
        fail(f"Kesalahan internal kinerja_xl ({type(exc).__name__}: {exc}). Mohon laporkan beserta berkasnya.")
        sys.exit(3)
