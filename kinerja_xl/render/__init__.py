"""Word and PDF documents from the model: contexts (pure), charts, docx templates, PDF, the whole build.

>>> from kinerja_xl import api
>>> from kinerja_xl.levels import load_hierarchy
>>> from kinerja_xl.render import render_set
>>> kset, report = api.load_set("workbooks")
>>> paths = render_set(kset, load_hierarchy(), "hasil")  # doctest: +SKIP
"""

from __future__ import annotations

from .build import pk_filenames, render_set
from .context import RenderOptions, bundle_context, pengukuran_context, pk_context, rkt_context
from .docx import DEFAULT_TEMPLATES_DIR, TemplateProblem, check_template, render, save, template_path
from .lakip import NarasiProblem, lakip_context, load_narasi
from .pdf import PdfFailed, PdfUnavailable, find_soffice, to_pdf
from .sample import KINDS

_CHARTS = ("capaian_chart", "pohon_halaman", "pohon_kinerja", "serapan_chart", "struktur_organisasi")


def __getattr__(name: str):
    # The charts load matplotlib (about a quarter of a second): only when one is asked for. A build
    # draws them in a process of their own where it can (build.py), so this one never loads it.
    if name in _CHARTS:
        from . import charts

        return getattr(charts, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

__all__ = [
    "DEFAULT_TEMPLATES_DIR", "KINDS", "NarasiProblem", "PdfFailed", "PdfUnavailable", "RenderOptions",
    "TemplateProblem", "bundle_context", "capaian_chart", "check_template", "find_soffice", "lakip_context",
    "load_narasi", "pengukuran_context", "pk_context", "pk_filenames", "pohon_halaman", "pohon_kinerja", "render",
    "render_set", "rkt_context", "save", "serapan_chart", "struktur_organisasi", "template_path", "to_pdf",
]
