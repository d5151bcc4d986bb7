"""Draw docs/ribbon.png: the 'Kinerja' ribbon tab as Excel shows it, from the add-in's customUI.xml.

The labels come from the ribbon file itself, so the picture cannot drift from the add-in:
rerun after changing kinerja_xl/addin/ribbon/customUI.xml.

    python docs/make_ribbon_png.py
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib.patches import FancyBboxPatch, Polygon, Rectangle  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
CUSTOM_UI = ROOT / "kinerja_xl" / "addin" / "ribbon" / "customUI.xml"
OUT = Path(__file__).resolve().parent / "ribbon.png"
NS = "{http://schemas.microsoft.com/office/2006/01/customui}"
# Excel's own tabs in the Indonesian interface, before the add-in's tab.
EXCEL_TABS = ("File", "Beranda", "Sisipkan", "Tata Letak Halaman", "Rumus", "Data", "Tinjau", "Tampilan")
GREEN, GREY, TEXT = "#217346", "#F3F3F3", "#262626"


def ribbon() -> tuple[str, str, list[tuple[str, str, list[str]]]]:
    """(tab label, group label, [(control label, imageMso, menu item labels)])."""
    root = ET.parse(CUSTOM_UI).getroot()
    tab = next(root.iter(f"{NS}tab"))
    group = next(tab.iter(f"{NS}group"))
    controls = [(c.get("label"), c.get("imageMso", ""), [b.get("label") for b in c.findall(f"{NS}button")])
                for c in group if c.tag in (f"{NS}button", f"{NS}menu")]
    return tab.get("label"), group.get("label"), controls


def icon(ax, x: float, y: float, image: str) -> None:
    """A simple stand-in for Office's built-in icon (imageMso) of each control."""
    ax.add_patch(Rectangle((x - 0.22, y - 0.25), 0.44, 0.5, fc="white", ec="#7A7A7A", lw=1.2))
    if image == "DataValidation":
        ax.plot([x - 0.12, x - 0.02, x + 0.15], [y, y - 0.12, y + 0.14], color=GREEN, lw=3)
    elif image == "TraceDependents":
        ax.add_patch(Rectangle((x - 0.17, y - 0.05), 0.1, 0.1, fc="#2F5597", ec="none"))
        for dy in (0.13, -0.13):  # one indicator handed down to two subordinates
            ax.annotate("", (x + 0.17, y + dy), (x - 0.06, y), arrowprops=dict(arrowstyle="-|>", color="#2F5597",
                                                                              lw=1.5, mutation_scale=10))
    elif image == "FileSaveAs":
        ax.add_patch(Rectangle((x - 0.13, y - 0.16), 0.26, 0.3, fc="#2F5597", ec="none"))
        ax.add_patch(Rectangle((x - 0.08, y + 0.03), 0.16, 0.09, fc="white", ec="none"))
    else:  # FileNew
        ax.add_patch(Polygon([(x + 0.08, y + 0.25), (x + 0.22, y + 0.11), (x + 0.08, y + 0.11)], fc="#D0D0D0"))
        ax.text(x, y - 0.04, "+", ha="center", va="center", fontsize=20, color=GREEN, weight="bold")


def draw() -> Path:
    tab_label, group_label, controls = ribbon()
    fig, ax = plt.subplots(figsize=(11, 4.6), dpi=110)
    ax.set_xlim(0, 11)
    ax.set_ylim(0.6, 5.2)
    ax.axis("off")
    # tab strip
    ax.add_patch(Rectangle((0, 4.55), 11, 0.65, fc=GREEN, ec="none"))
    x = 0.15
    for name in (*EXCEL_TABS, tab_label):
        width = 0.085 * len(name) + 0.45
        if name == tab_label:
            ax.add_patch(Rectangle((x, 4.55), width, 0.45, fc=GREY, ec="none"))
        ax.text(x + width / 2, 4.76, name, ha="center", va="center", fontsize=10,
                color=TEXT if name == tab_label else "white", weight="bold" if name == tab_label else "normal")
        x += width
    # ribbon body with the one group
    ax.add_patch(Rectangle((0, 2.7), 11, 1.85, fc=GREY, ec="#D0D0D0"))
    step = 1.35
    for i, (label, image, items) in enumerate(controls):
        cx = 0.75 + i * step
        icon(ax, cx, 3.95, image)
        # Excel wraps a long label of a large button onto two lines, at the space that halves it best.
        words = label.split()
        if len(label) > 13 and len(words) > 1:
            cut = min(range(1, len(words)), key=lambda k: abs(len(" ".join(words[:k])) - len(" ".join(words[k:]))))
            label = " ".join(words[:cut]) + "\n" + " ".join(words[cut:])
        ax.text(cx, 3.36, label, ha="center", va="center", fontsize=9, color=TEXT, linespacing=1.05)
        if items:
            ax.text(cx, 3.0, "▾", ha="center", va="center", fontsize=9, color=TEXT)
            ax.add_patch(FancyBboxPatch((cx - 0.62, 2.88), 1.24, 1.57, boxstyle="round,pad=0.02",
                                        fc="none", ec="#A0A0A0", lw=1))
            menu(ax, cx - 0.62, 2.83, items)
    right = 0.75 + (len(controls) - 1) * step + 0.7
    ax.plot([right, right], [2.8, 4.45], color="#C8C8C8", lw=1)
    ax.text(right / 2, 2.72, group_label, ha="center", va="bottom", fontsize=8.5, color="#595959")
    ax.text(right + 0.3, 3.7, "Tab 'Kinerja' dari add-in kinerja_xl.\nMenu 'Template Baru' terbuka:\n"
            "pilih tingkat yang templatenya dibuat.", fontsize=9, color="#595959", va="center")
    fig.savefig(OUT, bbox_inches="tight", facecolor="white")
    plt.close(fig)
    return OUT


def menu(ax, x: float, top: float, items: list[str]) -> None:
    height = 0.34 * len(items) + 0.1
    ax.add_patch(Rectangle((x, top - height), 3.1, height, fc="white", ec="#A0A0A0", lw=1, zorder=3))
    for n, item in enumerate(items):
        y = top - 0.22 - n * 0.34
        ax.text(x + 0.2, y, item, va="center", fontsize=9.5, color=TEXT, zorder=4)


if __name__ == "__main__":
    print(f"Ditulis: {draw()}")
