"""The exceptions a command raises for what it cannot carry out.

Kept apart from :mod:`kinerja_xl.api` so that the shells can catch them without importing the
pipeline (``kinerja-xl --version`` or ``--help`` should not load openpyxl).

- :class:`UsageError`: the request itself is wrong (a path that does not exist, a bad option); exit 2.
- :class:`Problem`: a problem with a file the user gave that is not a workbook's data (a Word template,
  the hierarchy file, the PDF conversion). It is a finding like any other: a code of
  :mod:`kinerja_xl.findings.codes`, a location and the parameters of its message; :attr:`Problem.issue` is the
  :class:`kinerja_xl.findings.issues.Issue` and ``str()`` its message, so every shell shows it the same way.
"""

from __future__ import annotations

from typing import Any


class UsageError(Exception):
    """The command cannot run as asked (a path that does not exist, a bad option). Exit code 2."""


class Problem(Exception):
    """A registered finding raised as an exception: ``code`` from :mod:`kinerja_xl.findings.codes`, located at
    ``file``, ``sheet`` (for a Word template: the part, e.g. ``word/document.xml``) and ``cell``; ``params``
    fill its message. The subclasses (``TemplateProblem``, ``HierarchyError``, ``PdfFailed``, ...) only say
    where it was raised; the code says what it is."""

    def __init__(self, code: str, *, file: str = "", sheet: str = "", cell: str = "", **params: Any) -> None:
        super().__init__(code)
        self.code = code
        self.file, self.sheet, self.cell = str(file), sheet, cell
        self.params = params

    @property
    def issue(self):  # -> kinerja_xl.findings.issues.Issue (imported late: this module stays light)
        from .findings.issues import make
        from .model import CellRef

        return make(self.code, CellRef(self.file, self.sheet, self.cell), **self.params)

    def report(self):  # -> kinerja_xl.findings.issues.Report
        """The problem as a report of one finding (for ``--format json``)."""
        from .findings.issues import Report

        return Report.of([self.issue], [self.file] if self.file else [])

    def __str__(self) -> str:
        return self.issue.message

    def __reduce__(self):  # picklable with its parameters (raised in a worker process, shown by the parent)
        return (_restore, (type(self), self.code, self.file, self.sheet, self.cell, self.params))


def _restore(cls: type, code: str, file: str, sheet: str, cell: str, params: dict) -> Problem:
    return cls(code, file=file, sheet=sheet, cell=cell, **params)
