"""Finding a table's header row and columns in a sheet, from the spec's headers and aliases.

A row inserted above the table, a column moved or an alias used instead of the header text still
finds the table; the reader reports the move, not a missing column.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from . import parse
from .. import spec
from .source import SheetGrid


def _header_at(sheet: SheetGrid, row: int, wanted: dict[str, str]) -> dict[str, int]:
    mapping: dict[str, int] = {}
    for c in range(1, sheet.max_col + 1):
        key = wanted.get(_norm_header(sheet.value(row, c)))
        if key and key not in mapping:
            mapping[key] = c
    return mapping


_WANTED: dict[int, tuple[spec.TableSheet, dict[str, str]]] = {}


def _wanted(table: spec.TableSheet) -> dict[str, str]:
    """Normalised header text (and aliases) -> column key, once per table spec.

    Keyed by identity (the specs are module constants): hashing a frozen spec on every call would
    cost more than the lookup it saves.
    """
    cached = _WANTED.get(id(table))
    if cached is not None and cached[0] is table:
        return cached[1]
    wanted: dict[str, str] = {}
    for col in table.columns:
        for text in (col.header, *col.aliases):
            wanted.setdefault(_norm_header(text), col.key)
    _WANTED[id(table)] = (table, wanted)
    return wanted


def match_header(sheet: SheetGrid, table: spec.TableSheet) -> tuple[int, dict[str, int]] | None:
    """Find the header row of ``table`` in the first 20 rows; map each column key to its column."""
    wanted = _wanted(table)
    # The usual case first: the header where the template put it, with every column in place.
    declared = _header_at(sheet, table.header_row, wanted)
    if len(declared) == len(table.columns):
        return table.header_row, declared
    best: tuple[int, dict[str, int]] | None = None
    for r in range(1, min(sheet.max_row, 20) + 1):
        mapping = declared if r == table.header_row else _header_at(sheet, r, wanted)
        required = [c.key for c in table.columns if c.required]
        if sum(k in mapping for k in required) * 2 >= len(required) and (best is None or len(mapping) > len(best[1])):
            best = (r, mapping)
    return best


@lru_cache(maxsize=4096)
def _norm_header_text(value: str) -> str:
    return re.sub(r"[\s*:]+$", "", parse.fold(value))


def _norm_header(value: Any) -> str:
    # Header cells repeat across thousands of workbooks: the cache saves a third of the reading time.
    if isinstance(value, str):
        return _norm_header_text(value)
    text = parse.fold(value)
    return re.sub(r"[\s*:]+$", "", text)
