"""Charts for the LAKIP (PNG) and the cascade tree (pohon kinerja, PNG or SVG).

Figures are built with :class:`matplotlib.figure.Figure` directly, never through pyplot: no
display, no global figure state, safe to call from a server or a test. Output is deterministic
(no timestamp or version in the metadata, a fixed SVG hash salt), so the same data gives the
same bytes and a rendered document does not change for nothing.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Sequence

import matplotlib

matplotlib.use("Agg")  # before anything imports pyplot: never look for a display

from matplotlib.figure import Figure  # noqa: E402
from matplotlib.patches import FancyBboxPatch  # noqa: E402

from .. import fmt  # noqa: E402
from ..fsutil import atomic_path  # noqa: E402
from ..levels import Hierarchy  # noqa: E402
from ..model import KinerjaSet, PerjanjianKinerja  # noqa: E402
from .context import DEFAULT_OPTIONS, RenderOptions, measure, ordered_pks  # noqa: E402

# What each format would otherwise stamp: software version, creation date.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}
HIJAU, JINGGA, MERAH, ABU = "#2e7d32", "#ef6c00", "#c62828", "#9e9e9e"


def _save(fig: Figure, path: Path, *, dpi: int = 150) -> Path:
    """Write ``fig`` atomically in the format named by the suffix (.png, .svg, .pdf)."""
    path = Path(path)
    kind = path.suffix.lower().lstrip(".")
    if kind not in _METADATA:
        raise ValueError(f"Format gambar tidak didukung: {path.suffix or '(tanpa akhiran)'}; pakai .png atau .svg.")
    with matplotlib.rc_context({"svg.hashsalt": "kinerja-xl", "svg.fonttype": "path"}):
        with atomic_path(path) as tmp:
            # The temporary name ends in ".tmp": name the format, or matplotlib guesses from it.
            fig.savefig(tmp, format=kind, dpi=dpi, metadata=_METADATA[kind])
    return path


def _bar_labels(ax, bars, labels: Sequence[str]) -> None:
    for bar, label in zip(bars, labels):
        ax.annotate(label, (bar.get_x() + bar.get_width() / 2, bar.get_height()), xytext=(0, 3),
                    textcoords="offset points", ha="center", va="bottom", fontsize=8)


def capaian_chart(kset: KinerjaSet, path: Path, *, options: RenderOptions = DEFAULT_OPTIONS) -> Path:
    """Bar chart of capaian per indicator with the target line at 100%."""
    ukuran = [u for u in measure(kset, options=options)]
    codes = [u.ri.kode for u in ukuran]
    values = [u.capaian.value or 0.0 for u in ukuran]
    fig = Figure(figsize=(7.5, 3.6))
    ax = fig.add_subplot()
    colors = [HIJAU if (u.capaian.value or 0) >= 100 else JINGGA if u.capaian.value is not None else ABU
              for u in ukuran]
    bars = ax.bar(codes, values, color=colors, width=0.6)
    _bar_labels(ax, bars, [fmt.percent(u.capaian.value) if u.capaian.value is not None else "-" for u in ukuran])
    ax.axhline(100, color=MERAH, linewidth=1, linestyle="--", label="Target (100%)")
    ax.set_ylabel("Capaian (%)")
    ax.set_ylim(0, max([110.0, *values]) * 1.12)
    ax.set_title(f"Capaian Kinerja per Indikator Tahun {kset.tahun or ''}".strip(), fontsize=11)
    ax.tick_params(axis="x", labelsize=8, rotation=30)
    ax.legend(loc="lower right", fontsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return _save(fig, path)


def serapan_chart(kset: KinerjaSet, path: Path) -> Path:
    """Horizontal bars of budget absorption (serapan) per kegiatan."""
    lines = kset.realisasi.anggaran if kset.realisasi else ()
    labels = [textwrap.shorten(a.uraian, 48, placeholder="\u2026") for a in lines]
    values = [(a.realisasi or 0) * 100 / a.pagu if a.pagu else 0.0 for a in lines]
    fig = Figure(figsize=(7.5, 0.45 * max(len(lines), 3) + 1.0))
    ax = fig.add_subplot()
    bars = ax.barh(range(len(lines)), values, color="#1565c0", height=0.6)
    ax.set_yticks(range(len(lines)), labels, fontsize=8)
    ax.invert_yaxis()  # first kegiatan on top, as in the table
    for bar, v in zip(bars, values):
        ax.annotate(fmt.percent(v), (bar.get_width(), bar.get_y() + bar.get_height() / 2), xytext=(3, 0),
                    textcoords="offset points", va="center", fontsize=8)
    ax.set_xlim(0, 115)
    ax.set_xlabel("Serapan anggaran (%)")
    ax.set_title(f"Serapan Anggaran per Kegiatan Tahun {kset.tahun or ''}".strip(), fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    return _save(fig, path)


# --- pohon kinerja ---------------------------------------------------------------------------------

_BOX_W, _COL_GAP, _LINE_H, _PAD, _GAP, _GROUP_GAP, _TOP = 2.7, 0.9, 0.15, 0.08, 0.08, 0.34, 0.45


def _box_text(kode: str, nama: str, target: str) -> list[str]:
    body = textwrap.wrap(nama, 44)
    if len(body) > 3:  # keep boxes small: the document tables carry the full wording
        body = body[:2] + [textwrap.shorten(" ".join(body[2:]), 44, placeholder="\u2026")]
    return [f"{kode}  \u2022  {target}", *body]


def _short_jabatan(pk: PerjanjianKinerja) -> str:
    jab = pk.pihak_pertama.jabatan
    if pk.satker and jab.endswith(pk.satker):  # "... KPU Kota Serang" is the same on every box
        jab = jab[: -len(pk.satker)].strip()
    return textwrap.shorten(jab, 40, placeholder="\u2026")


def pohon_kinerja(kset: KinerjaSet, hierarchy: Hierarchy, path: Path, *,
                  flagged: set[str] | frozenset[str] = frozenset(), dpi: int = 150) -> Path:
    """Draw the cascade tree: one box per indicator, a column per level depth, lines from kode_induk.

    Codes in ``flagged`` (e.g. from the cascade check) are drawn in red. PNG or SVG by suffix.
    """
    pks = ordered_pks(kset, hierarchy)
    depth_of = {pk.source: (hierarchy.depth(pk.level) if hierarchy.get(pk.level) else 0) for pk in pks}
    depths = sorted(set(depth_of.values())) or [0]
    y_of: dict[str, float] = {}  # kode -> vertical centre, to order children and draw lines
    right_of: dict[str, float] = {}  # kode -> right edge, where lines to its children start
    boxes, labels, edges = [], [], []
    height = 0.0
    for col, depth in enumerate(depths):
        x = col * (_BOX_W + _COL_GAP) + 0.2
        group = [pk for pk in pks if depth_of[pk.source] == depth]

        def parent_y(ind) -> float:
            return y_of.get(ind.kode_induk, float("inf"))

        def mean_parent_y(pk: PerjanjianKinerja) -> float:
            ys = [parent_y(i) for i in pk.indikator if parent_y(i) != float("inf")]
            return sum(ys) / len(ys) if ys else float("inf")

        # Children under their parents: order groups and boxes by where their parents sit.
        group.sort(key=mean_parent_y)
        y = _TOP
        for pk in group:
            labels.append((x, y + 0.12, _short_jabatan(pk)))
            y += 0.2
            for ind in sorted(pk.indikator, key=parent_y):
                lines = _box_text(ind.kode, ind.nama, fmt.target(ind.target, ind.satuan))
                h = len(lines) * _LINE_H + 2 * _PAD
                boxes.append((x, y, h, lines, ind.kode in flagged))
                y_of.setdefault(ind.kode, y + h / 2)
                right_of.setdefault(ind.kode, x + _BOX_W)
                if ind.kode_induk:
                    edges.append((ind.kode_induk, x, y + h / 2, ind.kode in flagged))
                y += h + _GAP
            y += _GROUP_GAP
        height = max(height, y)
    width = len(depths) * (_BOX_W + _COL_GAP) - _COL_GAP + 0.4

    fig = Figure(figsize=(width, height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, width)
    ax.set_ylim(height, 0)  # y grows downwards, like the page
    ax.axis("off")
    for col, depth in enumerate(depths):
        names = dict.fromkeys(lv.nama for lv in hierarchy.levels if hierarchy.depth(lv.id) == depth)
        ax.text(col * (_BOX_W + _COL_GAP) + 0.2 + _BOX_W / 2, 0.2, " / ".join(names).upper(), ha="center",
                va="center", fontsize=9, fontweight="bold")
    for parent, x, y, bad in edges:
        if parent in y_of:
            ax.plot([right_of[parent], x], [y_of[parent], y], color=MERAH if bad else ABU,
                    linewidth=1.2 if bad else 0.7, zorder=1)
    for x, y, text in labels:
        ax.text(x, y, text, fontsize=7, fontweight="bold", color="#37474f", va="center")
    for x, y, h, lines, bad in boxes:
        ax.add_patch(FancyBboxPatch((x, y), _BOX_W, h, boxstyle="round,pad=0,rounding_size=0.05",
                                    facecolor="#ffebee" if bad else "#e3f2fd",
                                    edgecolor=MERAH if bad else "#1565c0", linewidth=1.4 if bad else 0.8,
                                    zorder=2))
        ax.text(x + 0.08, y + _PAD, "\n".join(lines), fontsize=6.5, va="top", ha="left", zorder=3,
                linespacing=1.25, color=MERAH if bad else "black")
    return _save(fig, path, dpi=dpi)
