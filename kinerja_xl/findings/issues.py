"""Findings as data: every problem in the user's data is an :class:`Issue` in a :class:`Report`.

An issue has a stable kebab-case ``code`` (listed once in :mod:`kinerja_xl.findings.codes`), a
severity, a message in Bahasa Indonesia and a location (file, sheet, A1 cell). A cross-level
finding also names the other end in ``related``. Tests assert on ``Report.flat()``.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator, Mapping

from .codes import REGISTRY, IssueType, Severity  # noqa: F401  (the kinds of finding are the registry's)
from ..model import CellRef


@dataclass(frozen=True)
class Issue:
    code: str
    severity: Severity
    message: str
    location: CellRef
    related: CellRef | None = None
    params: Mapping[str, Any] = field(default_factory=dict, compare=False)

    def to_dict(self) -> dict[str, Any]:
        def ref(r: CellRef | None) -> dict[str, str] | None:
            return None if r is None else {"file": r.file, "sheet": r.sheet, "cell": r.cell}

        return {
            "code": self.code,
            "severity": self.severity.value,
            "message": self.message,
            "location": ref(self.location),
            "related": ref(self.related),
        }




class MissingParameter(TypeError):
    """A finding was made without a parameter its message needs (a bug of kinerja_xl, caught by the tests)."""


def make(code: str, location: CellRef, related: CellRef | None = None, **params: Any) -> Issue:
    """Build an issue from the registry: ``make("nip-invalid", ref, nip="123")``.

    Under the test suite (``KINERJA_XL_STRICT=1``) a parameter the message needs but was not given
    raises :class:`MissingParameter`, so no message can reach a user with a placeholder left in it;
    elsewhere it shows as "?" rather than losing the finding.
    """
    kind = REGISTRY[code]
    if _STRICT:
        missing = [p for p in kind.params if p not in params]
        if missing:
            raise MissingParameter(f"{code}: parameter {', '.join(missing)} tidak diberikan")
    values = _Defaulting(file=location.file, sheet=location.sheet, cell=location.cell or "-")
    values.update(params)
    message = kind.template.format_map(values)
    if kind.hint:
        message = f"{message} {kind.hint.format_map(values)}"
    return Issue(code, kind.severity, message, location, related, dict(params))


_STRICT = os.environ.get("KINERJA_XL_STRICT") == "1"


class _Defaulting(dict):
    """format_map helper: a missing placeholder shows as '?' rather than raising."""

    def __missing__(self, key: str) -> str:
        return "?"


@dataclass(frozen=True)
class Report:
    """All findings of a run, with the files that were looked at."""

    issues: tuple[Issue, ...] = ()
    files: tuple[str, ...] = ()

    @classmethod
    def of(cls, issues: Iterable[Issue], files: Iterable[str] = ()) -> "Report":
        ordered = sorted(set(issues), key=_sort_key)
        return cls(tuple(ordered), tuple(dict.fromkeys(files)))

    def __iter__(self) -> Iterator[Issue]:
        return iter(self.issues)

    def __len__(self) -> int:
        return len(self.issues)

    def merge(self, other: "Report") -> "Report":
        return Report.of(self.issues + other.issues, self.files + other.files)

    @property
    def errors(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Issue, ...]:
        return tuple(i for i in self.issues if i.severity is Severity.WARNING)

    @property
    def valid(self) -> bool:
        return not self.errors

    def counts(self) -> Counter:
        return Counter(i.severity.value for i in self.issues)

    def by_file(self) -> dict[str, list[Issue]]:
        grouped: dict[str, list[Issue]] = {f: [] for f in self.files}
        for issue in self.issues:
            grouped.setdefault(issue.location.file, []).append(issue)
        return grouped

    def flat(self) -> list[tuple[str, str, str, str]]:
        """``[(file name, sheet, cell, code), ...]`` for tests and quick comparisons."""
        from pathlib import PurePath

        return [(PurePath(i.location.file).name, i.location.sheet, i.location.cell, i.code) for i in self.issues]

    def codes(self) -> set[str]:
        return {i.code for i in self.issues}

    def to_dict(self) -> dict[str, Any]:
        counts = self.counts()
        return {
            "valid": self.valid,
            "summary": {
                "files": len(self.files),
                "errors": counts.get("error", 0),
                "warnings": counts.get("warning", 0),
                "info": counts.get("info", 0),
            },
            "files": list(self.files),
            "issues": [i.to_dict() for i in self.issues],
        }


_SEVERITY_ORDER = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}


def _cell_key(cell: str) -> tuple[int, str]:
    letters = cell.rstrip("0123456789")
    digits = cell[len(letters):]
    return (int(digits) if digits else 0, letters.rjust(3))


def _sort_key(issue: Issue) -> tuple:
    loc = issue.location
    return (loc.file, loc.sheet, _cell_key(loc.cell), _SEVERITY_ORDER[issue.severity], issue.code, issue.message)
