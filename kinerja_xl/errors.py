"""The one exception a command raises for a request it cannot carry out (exit code 2).

Kept apart from :mod:`kinerja_xl.api` so that the shells can catch it without importing the
pipeline (``kinerja-xl --version`` or ``--help`` should not load openpyxl).
"""

from __future__ import annotations


class UsageError(Exception):
    """The command cannot run as asked (a path that does not exist, a bad option). Exit code 2."""
