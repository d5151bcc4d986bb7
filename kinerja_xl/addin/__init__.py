"""The Excel add-in: which Python function each ribbon button may run, and the dispatcher.

Every ribbon button calls the one VBA callback, which runs
``import kinerja_xl.addin as k; k.run('<button id>')`` through xlwings' ``RunPython``.
:func:`run` looks the id up in :data:`ENTRY_POINTS`; only functions registered with
:func:`entry_point` can be called, so a ribbon id can never name arbitrary code.
An entry point takes an xlwings ``Book``, so the same function runs from Excel and from a test:

>>> import xlwings as xw                                       # doctest: +SKIP
>>> from kinerja_xl import addin
>>> addin.run("validasi", xw.Book(json=payload))               # doctest: +SKIP

xlwings is imported only inside :func:`run`: ``kinerja_xl.addin.install`` (and the command
line that uses it) must work without importing xlwings, whose import probes for Excel.
"""

from __future__ import annotations

import traceback
from typing import Any, Callable, Iterator, Mapping, TypeVar

EntryPoint = Callable[[Any], None]
F = TypeVar("F", bound=EntryPoint)

TITLE = "Kinerja"

_registry: dict[str, EntryPoint] = {}


class _EntryPoints(Mapping[str, EntryPoint]):
    """Read-only view of the registry that imports :mod:`.entries` (which registers) on first use.

    Lazy so that building and installing the add-in (``kinerja_xl.addin.build``/``install``)
    never import the core API and everything behind it.
    """

    def _loaded(self) -> dict[str, EntryPoint]:
        from . import entries  # noqa: F401  (its decorators fill the registry)

        return _registry

    def __getitem__(self, control_id: str) -> EntryPoint:
        return self._loaded()[control_id]

    def __iter__(self) -> Iterator[str]:
        return iter(self._loaded())

    def __len__(self) -> int:
        return len(self._loaded())


ENTRY_POINTS: Mapping[str, EntryPoint] = _EntryPoints()
"""Ribbon control id -> entry point; read-only (register with :func:`entry_point`)."""


def entry_point(control_id: str) -> Callable[[F], F]:
    """Register ``fn(book)`` as what the ribbon control ``control_id`` runs.

    >>> @entry_point("validasi")                                   # doctest: +SKIP
    ... def validasi(book): ...
    """

    def register(fn: F) -> F:
        if control_id in _registry and _registry[control_id] is not fn:
            raise ValueError(f"Tombol {control_id!r} sudah terdaftar untuk {_registry[control_id].__name__}.")
        _registry[control_id] = fn
        return fn

    return register


def run(control_id: str, book: Any = None) -> None:
    """Run the entry point of a ribbon control on ``book`` (the calling workbook when None).

    Once the book is known this never raises: the user is in Excel, where a Python traceback
    helps nobody, so every failure becomes an alert in Bahasa Indonesia. Only a failing
    ``Book.caller()`` propagates, as there is no book to show an alert in; xlwings' RunPython
    then shows its own error box.
    """
    if book is None:
        import xlwings

        book = xlwings.Book.caller()
    try:
        fn = ENTRY_POINTS.get(control_id)
        if fn is None:
            _alert(book, f"Tombol '{control_id}' tidak dikenal oleh kinerja_xl. Pasang ulang add-in dengan "
                         "perintah: kinerja-xl addin install", critical=True)
            return
        fn(book)
    except Exception as exc:  # noqa: BLE001  (shown to the user instead of a traceback)
        _alert(book, _explain(exc), critical=True)


def _explain(exc: Exception) -> str:
    from ..errors import Problem, UsageError

    if isinstance(exc, UsageError):
        return str(exc)  # already a message for the user, in Bahasa Indonesia
    if isinstance(exc, Problem):  # a Word template, the hierarchy file, the PDF conversion: a finding
        return f"{exc} [{exc.code}]"
    if isinstance(exc, PermissionError):
        # os.replace names the target second: that is the file the user has open.
        return (f"Berkas tidak dapat ditulis ({exc.filename2 or exc.filename or exc}). Tutup berkas itu bila "
                "sedang terbuka di Word atau Excel, lalu ulangi.")
    if isinstance(exc, OSError):
        return f"Berkas atau folder tidak dapat dibaca atau ditulis: {exc}"
    where = traceback.extract_tb(exc.__traceback__)[-1:] if exc.__traceback__ else []
    place = f" di {where[0].name}" if where else ""
    return (f"Kesalahan internal kinerja_xl ({type(exc).__name__}: {exc}{place}). "
            "Mohon laporkan beserta buku kerjanya.")


def _alert(book: Any, message: str, *, critical: bool = False) -> None:
    book.app.alert(message, title=TITLE, mode="critical" if critical else "info")

