"""Charts for the LAKIP (PNG) and the cascade tree (pohon kinerja, PNG or SVG).

Figures are built with :class:`matplotlib.figure.Figure` directly, never through pyplot: no
display, no global figure state, safe to call from a server or a test. Output is deterministic
(no timestamp or version in the metadata, a fixed SVG hash salt), so the same data gives the
same bytes and a rendered document does not change for nothing.
"""

from __future__ import annotations

import functools
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
from .context import DEFAULT_OPTIONS, PohonBagian, RenderOptions, measure, ordered_pks  # noqa: E402

# What each format would otherwise stamp: software version, creation date.
_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}
HIJAU, JINGGA, MERAH, ABU = "#2e7d32", "#ef6c00", "#c62828", "#9e9e9e"
# Text is wrapped whole, never cut with "...": a box or a label grows instead. Codes and words are not
# broken at their hyphens ("IK-" / "K.1").
_wrap = functools.partial(textwrap.wrap, break_on_hyphens=False)


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
    labels = ["\n".join(_wrap(a.uraian, 48)) for a in lines]  # whole, on as many lines as it takes
    values = [(a.realisasi or 0) * 100 / a.pagu if a.pagu else 0.0 for a in lines]
    rows = max(sum(0.45 + 0.14 * (label.count("\n")) for label in labels), 0.45 * 3)
    fig = Figure(figsize=(7.5, rows + 1.0))
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

_BOX_W, _COL_GAP, _LINE_H, _PAD, _GAP, _GROUP_GAP, _TOP = 2.7, 0.9, 0.135, 0.08, 0.08, 0.34, 0.45
# The page a LAKIP figure may fill (inches): the width and height docx._MAX_IMAGE allows, less room for
# the caption. A part of the pohon drawn at this size is printed at its own size: 6.5 pt stays 6.5 pt.
PAGE_W, PAGE_H = 6.3, 8.0
_PAGE_COL_GAP = 0.35


def _box_text(kode: str, nama: str, target: str, width: int = 44) -> list[str]:
    return [f"{kode}  \u2022  {target}", *_wrap(nama, width)]


def _short_jabatan(pk: PerjanjianKinerja, width: int = 40) -> list[str]:
    """The official's title in lines of ``width`` characters, all of it."""
    return _wrap(_short_jabatan_text(pk), width) or [""]


class _Layout:
    """Where every box, label, title and line of a pohon goes (inches, y downwards)."""

    def __init__(self) -> None:
        self.boxes: list[tuple[float, float, float, list[str], bool]] = []  # x, y, height, lines, flagged
        self.labels: list[tuple[float, float, str]] = []  # the official above a group of boxes (x, top, text)
        self.titles: list[tuple[float, str]] = []  # the level names above each column
        self.edges: list[tuple[str, float, float, bool]] = []  # parent kode, x, y of the child, flagged
        self.y_of: dict[str, float] = {}  # kode -> vertical centre of its box
        self.right_of: dict[str, float] = {}  # kode -> right edge, where lines to its children start
        self.codes: list[str] = []  # the indicators drawn, top to bottom, column by column
        self.width = self.height = 0.0
        self.box_w = _BOX_W


def _layout(kset: KinerjaSet, hierarchy: Hierarchy, flagged: frozenset[str] | set[str], *,
            keep: set[str] | None = None, box_w: float = _BOX_W, col_gap: float = _COL_GAP,
            wrap: int = 44) -> _Layout:
    """One column per level depth, boxes under the official holding them, children near their parents.

    ``keep``: only these indicator codes (a part of the tree); an official none of whose indicators
    is kept is left out.
    """
    pks = ordered_pks(kset, hierarchy)
    depth_of = {pk.source: (hierarchy.depth(pk.level) if hierarchy.get(pk.level) else 0) for pk in pks}
    depths = sorted(set(depth_of.values())) or [0]
    out = _Layout()
    out.box_w = box_w
    for col, depth in enumerate(depths):
        x = col * (box_w + col_gap) + 0.2
        names = dict.fromkeys(lv.nama for lv in hierarchy.levels if hierarchy.depth(lv.id) == depth)
        out.titles.append((x + box_w / 2, " / ".join(names).upper()))
        group = [pk for pk in pks if depth_of[pk.source] == depth
                 and any(keep is None or i.kode in keep for i in pk.indikator)]

        def parent_y(ind) -> float:
            return out.y_of.get(ind.kode_induk, float("inf"))

        def mean_parent_y(pk: PerjanjianKinerja) -> float:
            ys = [parent_y(i) for i in pk.indikator if parent_y(i) != float("inf")]
            return sum(ys) / len(ys) if ys else float("inf")

        # Children under their parents: order groups and boxes by where their parents sit.
        group.sort(key=mean_parent_y)
        y = _TOP
        for pk in group:
            label = _short_jabatan(pk, wrap - 4)
            out.labels.append((x, y + 0.04, "\n".join(label)))
            y += 0.08 + 0.12 * len(label)
            for ind in sorted((i for i in pk.indikator if keep is None or i.kode in keep), key=parent_y):
                lines = _box_text(ind.kode, ind.nama, fmt.target(ind.target, ind.satuan), wrap)
                h = len(lines) * _LINE_H + 2 * _PAD
                out.boxes.append((x, y, h, lines, ind.kode in flagged))
                out.codes.append(ind.kode)
                out.y_of.setdefault(ind.kode, y + h / 2)
                out.right_of.setdefault(ind.kode, x + box_w)
                if ind.kode_induk:
                    out.edges.append((ind.kode_induk, x, y + h / 2, ind.kode in flagged))
                y += h + _GAP
            y += _GROUP_GAP
        out.height = max(out.height, y)
    out.width = len(depths) * (box_w + col_gap) - col_gap + 0.4
    return out


def _draw(layout: _Layout, path: Path, *, width: float | None = None, title_size: float = 9,
          dpi: int = 150) -> Path:
    fig_w = width or layout.width
    fig = Figure(figsize=(fig_w, layout.height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, fig_w)
    ax.set_ylim(layout.height, 0)  # y grows downwards, like the page
    ax.axis("off")
    for x, title in layout.titles:
        ax.text(x, 0.2, title, ha="center", va="center", fontsize=title_size, fontweight="bold")
    for parent, x, y, bad in layout.edges:
        if parent in layout.y_of:
            ax.plot([layout.right_of[parent], x], [layout.y_of[parent], y], color=MERAH if bad else ABU,
                    linewidth=1.2 if bad else 0.7, zorder=1)
    for x, y, text in layout.labels:
        ax.text(x, y, text, fontsize=7, fontweight="bold", color="#37474f", va="top", linespacing=1.1)
    for x, y, h, lines, bad in layout.boxes:
        ax.add_patch(FancyBboxPatch((x, y), layout.box_w, h, boxstyle="round,pad=0,rounding_size=0.05",
                                    facecolor="#ffebee" if bad else "#e3f2fd",
                                    edgecolor=MERAH if bad else "#1565c0", linewidth=1.4 if bad else 0.8,
                                    zorder=2))
        ax.text(x + 0.08, y + _PAD, "\n".join(lines), fontsize=6.5, va="top", ha="left", zorder=3,
                linespacing=1.25, color=MERAH if bad else "black")
    return _save(fig, path, dpi=dpi)


def pohon_kinerja(kset: KinerjaSet, hierarchy: Hierarchy, path: Path, *,
                  flagged: set[str] | frozenset[str] = frozenset(), dpi: int = 150) -> Path:
    """Draw the whole cascade tree in one image: one box per indicator, a column per level depth,
    lines from kode_induk. Codes in ``flagged`` (e.g. from the cascade check) are drawn in red.
    PNG or SVG by suffix. For a document page, see :func:`pohon_halaman`.
    """
    return _draw(_layout(kset, hierarchy, frozenset(flagged)), path, dpi=dpi)


def _roots(kset: KinerjaSet, hierarchy: Hierarchy) -> tuple[list[str], dict[str, str]]:
    """Every indicator's root, followed up kode_induk to an indicator without a known parent (a
    top-level one, one supporting management without a parent, one whose parent is missing), and
    the roots in the order of the officials. A loop of kode induk stops the walk where it closes."""
    codes = list(dict.fromkeys(i.kode for pk in ordered_pks(kset, hierarchy) for i in pk.indikator))
    parent = {i.kode: i.kode_induk for pk in kset.pks for i in pk.indikator if i.kode_induk}
    known, root = set(codes), {}
    for kode in codes:
        seen, at = {kode}, kode
        while parent.get(at) in known and parent[at] not in seen:
            at = parent[at]
            seen.add(at)
        root[kode] = at
    return list(dict.fromkeys(root[k] for k in codes)), root


def pohon_halaman(kset: KinerjaSet, hierarchy: Hierarchy, folder: Path, *,
                  flagged: set[str] | frozenset[str] = frozenset(), dpi: int = 150) -> list[PohonBagian]:
    """The pohon kinerja for a document: as few page-sized PNGs as hold it at its own size.

    One box column per level fits the page width; when the tree is taller than a page, it is split
    between the top-level indicators (each keeps every indicator cascaded from it), so that every
    part is printed at its true size: 6.5 pt text stays legible, where one image shrunk onto the page
    would print it at about 3.5 pt. A subtree taller than a page on its own is drawn alone, shrunk.
    The subtrees are those of :func:`_roots`: the top level's indicators first, then those without a
    parent further down (dukungan manajemen) and any whose parent is missing.
    """
    flagged = frozenset(flagged)
    depths = len({hierarchy.depth(pk.level) if hierarchy.get(pk.level) else 0 for pk in kset.pks}) or 1
    box_w = (PAGE_W - 0.4 - (depths - 1) * _PAGE_COL_GAP) / depths
    wrap = max(14, int(44 * (box_w - 0.16) / (_BOX_W - 0.16)))  # 44 characters fill a 2.7-inch box

    def layout(keep: set[str]) -> _Layout:
        return _layout(kset, hierarchy, flagged, keep=keep, box_w=box_w, col_gap=_PAGE_COL_GAP, wrap=wrap)

    tops, root = _roots(kset, hierarchy)
    subtrees = [(top, {k for k, r in root.items() if r == top}) for top in tops]

    def pack(limit: float) -> list[tuple[list[str], set[str]]]:
        parts: list[tuple[list[str], set[str]]] = []
        for top, codes in subtrees:
            if parts and layout(parts[-1][1] | codes).height <= limit:
                parts[-1][0].append(top)
                parts[-1][1].update(codes)
            else:
                parts.append(([top], set(codes)))
        return parts

    parts = pack(PAGE_H)
    # As few pages as the full height allows, then the lowest limit that needs no more of them: the parts
    # come out about equally tall, never a last page holding a single pair of boxes.
    low, high = 0.0, PAGE_H
    for _ in range(8):
        mid = (low + high) / 2
        if len(pack(mid)) <= len(parts):
            high = mid
        else:
            low = mid
    parts = pack(high)
    out = []
    for n, (part_tops, codes) in enumerate(parts, start=1):
        drawn = layout(codes)
        path = _draw(drawn, Path(folder) / f"pohon_{n}.png", width=PAGE_W, title_size=7.5, dpi=dpi)
        out.append(PohonBagian(str(path), tuple(drawn.codes), tuple(part_tops)))
    return out


# --- struktur organisasi ------------------------------------------------------------------------------------
_ORG_GAP, _ORG_ROW_GAP, _ORG_LINE, _ORG_PAD = 0.12, 0.45, 0.118, 0.07
_ORG_PER_ROW = 7  # boxes of at least 0.76 inch; a level with more officials continues on the next row
_ORG_TRUNK_X = 0.05  # where the line to a continued row runs down, left of every box


class _OrgChart:
    """Boxes (x, top, width, height, title lines, name lines, source) and links (official, superior)."""

    def __init__(self) -> None:
        self.boxes: list[tuple[float, float, float, float, list[str], list[str], str]] = []
        self.links: list[tuple[str, str]] = []
        self.placed: dict[str, tuple[float, float, float]] = {}  # source -> x centre, top, bottom
        self.height = 0.0


def _org_layout(kset: KinerjaSet, hierarchy: Hierarchy) -> _OrgChart:
    from ..checks.cascade import superior_pks  # the cascade check's rule for who reports to whom

    pks = ordered_pks(kset, hierarchy)
    by_level: dict[str, list[PerjanjianKinerja]] = {}
    for pk in pks:
        by_level.setdefault(pk.level, []).append(pk)
    superior = {}
    for pk in pks:
        found = superior_pks(pk, by_level, hierarchy)
        if found:
            superior[pk.source] = found[0].source
    depth_of = {pk.source: (hierarchy.depth(pk.level) if hierarchy.get(pk.level) else 0) for pk in pks}
    out = _OrgChart()
    y = 0.1
    for depth in sorted(set(depth_of.values())):
        # Under their superiors, left to right, then in the hierarchy's order.
        level_row = sorted((pk for pk in pks if depth_of[pk.source] == depth),
                           key=lambda pk: out.placed.get(superior.get(pk.source, ""), (PAGE_W / 2, 0, 0))[0])
        width = min(len(level_row), _ORG_PER_ROW)  # every row of a level takes the same box width
        box_w = min(1.7, (PAGE_W - 0.2 - (width - 1) * _ORG_GAP) / width)
        wrap = functools.partial(textwrap.wrap, width=max(12, int((box_w - 0.1) * 16.5)),  # ~16 chars of 6.5 pt an inch
                                 break_long_words=False, break_on_hyphens=False)
        for start in range(0, len(level_row), _ORG_PER_ROW):
            row = level_row[start:start + _ORG_PER_ROW]
            n = len(row)
            texts = [(wrap(_short_jabatan_text(pk)) or [""], wrap(pk.pihak_pertama.nama or "-") or ["-"]) for pk in row]
            height = max(len(t) + len(nm) for t, nm in texts) * _ORG_LINE + 2 * _ORG_PAD + 0.04
            left = (PAGE_W - (n * box_w + (n - 1) * _ORG_GAP)) / 2
            for i, (pk, (title, name)) in enumerate(zip(row, texts)):
                x = left + i * (box_w + _ORG_GAP)
                out.boxes.append((x, y, box_w, height, title, name, pk.source))
                out.placed[pk.source] = (x + box_w / 2, y, y + height)
            y += height + _ORG_ROW_GAP
    out.height = y - _ORG_ROW_GAP + 0.1
    out.links = [(source, boss) for source, boss in superior.items() if boss in out.placed]
    return out


def struktur_organisasi(kset: KinerjaSet, hierarchy: Hierarchy, path: Path, *, dpi: int = 150) -> Path | None:
    """The organisation chart of the officials who sign a PK: one row per level depth, each box the
    title and the name, lines from each official to the one he reports to (the PK's superior by
    level and unit, as the cascade check finds him). Drawn page-wide, at its own size. None when the
    set holds no PK."""
    if not kset.pks:
        return None
    chart = _org_layout(kset, hierarchy)
    fig = Figure(figsize=(PAGE_W, chart.height))
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, PAGE_W)
    ax.set_ylim(chart.height, 0)
    ax.axis("off")
    kids: dict[str, list[str]] = {}
    for source, boss in chart.links:
        kids.setdefault(boss, []).append(source)
    placed = chart.placed
    line = functools.partial(ax.plot, color=ABU, linewidth=0.8, zorder=1)
    for boss, under in kids.items():
        # A bus above each row of the officials: down from the superior to the first; a row continued
        # below gets its own bus, fed by a trunk left of every box.
        bx, _, bottom = placed[boss]
        rows: dict[float, list[float]] = {}
        for k in under:
            rows.setdefault(placed[k][1], []).append(placed[k][0])
        buses = [(top - _ORG_ROW_GAP / 2, xs) for top, xs in sorted(rows.items())]
        line([bx, bx], [bottom, buses[0][0]])
        for n, (bus, xs) in enumerate(buses):
            ends = xs + ([bx] if n == 0 else []) + ([_ORG_TRUNK_X] if len(buses) > 1 else [])
            line([min(ends), max(ends)], [bus, bus])
            for x in xs:
                line([x, x], [bus, bus + _ORG_ROW_GAP / 2])
        if len(buses) > 1:
            line([_ORG_TRUNK_X, _ORG_TRUNK_X], [buses[0][0], buses[-1][0]])
    for x, top, w, h, title, name, _ in chart.boxes:
        ax.add_patch(FancyBboxPatch((x, top), w, h, boxstyle="round,pad=0,rounding_size=0.04",
                                    facecolor="#e3f2fd", edgecolor="#1565c0", linewidth=0.8, zorder=2))
        ax.text(x + w / 2, top + _ORG_PAD, "\n".join(title), fontsize=6.5, ha="center", va="top", zorder=3,
                linespacing=1.15)
        ax.text(x + w / 2, top + h - _ORG_PAD, "\n".join(name), fontsize=6.5, fontweight="bold", ha="center",
                va="bottom", zorder=3, linespacing=1.15)
    return _save(fig, path, dpi=dpi)


def _short_jabatan_text(pk: PerjanjianKinerja) -> str:
    """The official's title without the satker, which is the same on every box ("... KPU Kota Serang");
    an acting official's with its prefix ("Plt. Kepala Subbagian ...")."""
    jab = pk.pihak_pertama.jabatan_lengkap
    if pk.satker and jab.endswith(pk.satker) and len(jab) > len(pk.satker):
        jab = jab[: -len(pk.satker)].strip()
    return jab
