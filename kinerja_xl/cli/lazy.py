"""The pipeline, imported when a command first uses it: ``kinerja-xl --help``, ``--version`` and
``kode`` start without openpyxl, pandas or the readers (each add-in button press and each batch
call pays the start-up)."""

from __future__ import annotations

import importlib
from types import ModuleType
from typing import Any


class LazyModule:
    """Stands for a module; the first attribute read imports it.

    >>> json = LazyModule("json")
    >>> json.dumps([1])
    '[1]'
    """

    def __init__(self, name: str) -> None:
        self._name = name
        self._module: ModuleType | None = None

    def __getattr__(self, attr: str) -> Any:
        if self._module is None:
            self._module = importlib.import_module(self._name)
        return getattr(self._module, attr)


api = LazyModule("kinerja_xl.api")
