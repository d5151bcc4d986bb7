"""Build every document of a satker: one PK per official, the PK bundle, RKT, Pengukuran, LAKIP.

Everything is rendered into a hidden folder beside ``out`` and moved in only when all of it
succeeded: a failing template or a missing LibreOffice leaves ``out`` exactly as it was,
never with half a set. (Validation runs before this, in the caller.)
"""

from __future__ import annotations

import contextlib
import glob
import multiprocessing
import os
import re
import shutil
import signal
import sys
import tempfile
import threading
import time
from contextlib import contextmanager, nullcontext
from pathlib import Path
from typing import Any, Callable, Iterator

from ..fsutil import OutputPlan, safe_filename
from ..levels import Hierarchy
from ..model import KinerjaSet, PerjanjianKinerja
from .context import (
    DEFAULT_OPTIONS, RenderOptions, bundle_context, ordered_pks, pengukuran_context, pk_context, previous_pk,
    rkt_context, top_pk,
)
from .docx import KINDS, render, save, template_path
from .fast import DocumentWriter
from .lakip import lakip_context, load_narasi
from .renstra import MANUAL_IKU_NAME, has_manual, manual_iku_context
from .pdf import PROFILE_PREFIX, PdfFailed, PdfUnavailable, find_soffice, stop_abandoned, to_pdf
from .pdf import convert as pdf_convert

BUNDLE_NAME, RKT_NAME, PENGUKURAN_NAME, LAKIP_NAME = "PK_Gabungan.docx", "RKT.docx", "Pengukuran.docx", "LAKIP.docx"


def _pk_filename(number: int, pk: PerjanjianKinerja) -> str:
    jabatan = pk.pihak_pertama.jabatan.strip() or pk.pihak_pertama.nama
    if pk.satker and jabatan.casefold().endswith(pk.satker.casefold()) and len(jabatan) > len(pk.satker):
        jabatan = jabatan[: -len(pk.satker)]  # the satker is the same in every name: drop it
    revisi = f"_Perubahan_{pk.revisi}" if pk.perubahan else ""  # a PK Perubahan beside the PK it replaces
    return f"PK_{number:02d}_{safe_filename(jabatan, max_length=70)}{revisi}.docx"


def pk_filenames(kset: KinerjaSet, hierarchy: Hierarchy) -> list[str]:
    """One file name per PK in force, in hierarchy order, from the official's jabatan: "PK_07_Sekretaris.docx";
    a revised PK with its revision: "PK_10_Kepala_Subbagian_..._Perubahan_1.docx"."""
    return [_pk_filename(i, pk) for i, pk in enumerate(ordered_pks(kset, hierarchy), 1)]


def superseded_filenames(kset: KinerjaSet, hierarchy: Hierarchy) -> list[tuple[PerjanjianKinerja, str]]:
    """Each PK a revision replaced (``KinerjaSet.superseded``) with its file name: the number of its post's
    PK in force, its own jabatan and revision ("PK_10_Kepala_Subbagian_....docx" for the first PK)."""
    def post(pk: PerjanjianKinerja) -> tuple[str, str]:
        return pk.level, " ".join(pk.unit.split()).casefold()

    number = {post(pk): i for i, pk in enumerate(ordered_pks(kset, hierarchy), 1)}
    used = set(pk_filenames(kset, hierarchy))
    out = []
    for n, pk in enumerate(kset.superseded, 1):
        name = _pk_filename(number.get(post(pk), len(number) + n), pk)
        if name in used:  # two versions with one revision number (a broken chain, built with --force)
            name = f"{name[:-len('.docx')]}_{safe_filename(Path(pk.source).stem, max_length=40)}.docx"
        used.add(name)
        out.append((pk, name))
    return out


def _render_all(kset: KinerjaSet, hierarchy: Hierarchy, staging: Path, templates: dict[str, Path],
                narasi: dict[str, str], options: RenderOptions, flagged: frozenset[str],
                toc_pages: bool = True) -> list[Path]:
    written: list[Path] = []
    with tempfile.TemporaryDirectory(prefix=f"{GAMBAR_PREFIX}{os.getpid()}-") as tmp, \
            (_aside(lambda: _draw_aside(kset, hierarchy, Path(tmp), flagged)) if kset.realisasi is not None
             else nullcontext(dict)) as drawn_aside:  # no LAKIP without a realisation workbook: nothing to draw
        pks = ordered_pks(kset, hierarchy)
        # One PK per official from the same template: prepared once (fast.py), docxtpl only when it must.
        write_pk = DocumentWriter(templates["pk"])
        names = {id(pk): name for pk, name in zip(pks, pk_filenames(kset, hierarchy))}
        names.update({id(pk): name for pk, name in superseded_filenames(kset, hierarchy)})
        # Both versions of a revised PK are printable: the one in force and the ones it replaced.
        for pk in (*pks, *kset.superseded):
            ctx = pk_context(pk, hierarchy, options, sebelumnya=previous_pk(pk, kset.all_pks))
            written.append(write_pk(ctx, staging / names[id(pk)]))
        if pks:
            # The bundle holds the PKs in force only: a superseded PK is printed on its own, never bound with them.
            write_bundle = DocumentWriter(templates["pk_bundle"])
            written.append(write_bundle(bundle_context(pks, hierarchy, options, superseded=kset.superseded),
                                        staging / BUNDLE_NAME))
        written += _write_revisions(kset, names, staging, templates, options)
        if has_manual(kset.renstra):
            written.append(DocumentWriter(templates["manual_iku"])(
                manual_iku_context(kset.renstra, draf=options.draf), staging / MANUAL_IKU_NAME))
        top = top_pk(kset, hierarchy)
        signer, tempat = (top.pihak_pertama, top.tempat) if top else (None, "")
        if kset.rkt is not None:
            ctx = rkt_context(kset.rkt, penanda_tangan=signer, tempat=tempat, tanggal=top.tanggal if top else None,
                              options=options)
            written.append(save(render(templates["rkt"], ctx), staging / RKT_NAME))
        if kset.realisasi is not None:
            ctx = pengukuran_context(kset, penanda_tangan=signer, tempat=tempat, options=options)
            written.append(save(render(templates["pengukuran"], ctx), staging / PENGUKURAN_NAME))
            images = _draw_charts(kset, hierarchy, Path(tmp), options)  # meanwhile the child draws the pohon
            ctx = lakip_context(kset, hierarchy, narasi=narasi, images=images, pohon=drawn_aside().get("pohon", ()),
                                options=options)
            written.append(save(render(templates["lakip"], ctx), staging / LAKIP_NAME))
            _fill_toc(written[-1], layout=toc_pages)
    return written


def _write_revisions(kset: KinerjaSet, names: dict[int, str], staging: Path, templates: dict[str, Path],
                     options: RenderOptions) -> list[Path]:
    """The change list of every revised PK: "Daftar_Perubahan_" + the revision's document name."""
    from .perubahan import DAFTAR_PREFIX, daftar_perubahan_context, revisions

    write = DocumentWriter(templates["daftar_perubahan"])
    out = []
    for old, new in revisions(kset):
        ctx = daftar_perubahan_context(old, new, dokumen_lama=names[id(old)], dokumen_baru=names[id(new)],
                                       options=options)
        out.append(write(ctx, staging / f"{DAFTAR_PREFIX}{names[id(new)]}"))
    return out


def _render_triwulan(kset: KinerjaSet, hierarchy: Hierarchy, staging: Path, templates: dict[str, Path],
                     options: RenderOptions, tw: int) -> list[Path]:
    """The Laporan Capaian Kinerja of quarter ``tw`` (:mod:`.triwulan`), each at its place under ``staging``."""
    from ..checks.plan import in_force_at
    from .triwulan import akhir_triwulan, reports

    # Each official's report is the PK in force at the quarter's end: TW II of a PK revised from 1 July is
    # the first PK's (the official then in office), TW III the revision's.
    end = akhir_triwulan(kset.tahun, tw)
    if end is not None:
        kset = in_force_at(kset, end)
    written = []
    with tempfile.TemporaryDirectory(prefix=f"{GAMBAR_PREFIX}{os.getpid()}-") as tmp:
        for kind, ctx, where in reports(kset, hierarchy, tw, pk_names=pk_filenames(kset, hierarchy),
                                        charts_dir=Path(tmp), options=options):
            (staging / where).parent.mkdir(parents=True, exist_ok=True)
            written.append(save(render(templates[kind], ctx), staging / where))
    return written


def _fill_toc(path: Path, *, layout: bool = True) -> bool | None:
    """The Daftar Isi with its page numbers stored in the .docx (LibreOffice and WPS show what is stored).

    The pages are laid out by LibreOffice when it is installed and ``layout`` is asked; without it (or when
    it fails) the lines have no page number and Word fills them on opening. None: no Daftar Isi.
    """
    from . import toc

    convert = pdf_convert if layout and find_soffice() else None
    try:
        return toc.fill(path, convert, temp_prefix=PDF_PREFIX)
    except (PdfFailed, PdfUnavailable, OSError):
        return toc.fill(path, None)


# The pohon kinerja's parts are printed at their own size, 6.3 inches wide: 150 dpi, as the charts.
POHON_DPI = 150


def _draw_charts(kset: KinerjaSet, hierarchy: Hierarchy, folder: Path, options: RenderOptions) -> dict[str, Path]:
    """The LAKIP's organisation chart and bar charts (capaian, serapan), written into ``folder``."""
    from . import charts

    struktur = charts.struktur_organisasi(kset, hierarchy, folder / "struktur.png")
    return {
        **({"struktur": struktur} if struktur else {}),
        "capaian": charts.capaian_chart(kset, folder / "capaian.png", options=options),
        "serapan": charts.serapan_chart(kset, folder / "serapan.png"),
    }


def _draw_aside(kset: KinerjaSet, hierarchy: Hierarchy, folder: Path, flagged: frozenset[str]) -> dict[str, Any]:
    """The LAKIP's pohon kinerja in page-sized parts, the slowest of its drawings."""
    from . import charts

    return {"pohon": charts.pohon_halaman(kset, hierarchy, folder, flagged=flagged, dpi=POHON_DPI)}


def _can_fork() -> bool:
    """Whether the charts may be drawn in a forked process: Linux (fork is the safe, cheap way to
    start one there; macOS and Windows would need a fresh interpreter, which costs what it saves),
    a second CPU, no other thread (forking a threaded process can deadlock the child), and not
    inside a daemonic worker (which may not have children)."""
    return (sys.platform.startswith("linux") and (os.cpu_count() or 1) > 1 and threading.active_count() == 1
            and not multiprocessing.current_process().daemon)


@contextmanager
def _aside(draw: Callable[[], dict[str, Any]]) -> Iterator[Callable[[], dict[str, Any]]]:
    """Yield a function giving the files ``draw`` makes; where it can, they are drawn meanwhile in a
    forked process, while this one writes the documents and the other charts (the pohon kinerja and
    loading matplotlib for it: about half a second of a button press on two cores).

    The child is a copy of this process: it needs nothing sent, writes the PNG files (each atomically)
    and sends back only their paths, or None when it failed. Then they are drawn here, where an error
    is reported as every other. On leaving (done, an error, Ctrl-C) a child still running is stopped.
    """
    if not _can_fork():
        yield draw
        return
    context = multiprocessing.get_context("fork")
    receive, send = context.Pipe(duplex=False)
    child = context.Process(target=_draw_in_child, args=(draw, send), daemon=True)
    child.start()
    send.close()  # the child's end: this process only reads
    drawn: list[dict[str, Any]] = []

    def result() -> dict[str, Any]:
        if not drawn:
            try:
                paths = receive.recv()
            except EOFError:  # the child died without a word
                paths = None
            child.join()
            if not isinstance(paths, dict) or not all(Path(p).is_file() for p in _files(paths)):
                paths = draw()
            drawn.append(paths)
        return drawn[0]

    try:
        yield result
    finally:
        receive.close()
        if child.is_alive():
            child.terminate()
        child.join()


def _files(drawn: dict[str, Any]) -> list[str]:
    """The files a drawing made: a path, or the paths of its parts (``PohonBagian``)."""
    out = []
    for value in drawn.values():
        out += [getattr(v, "path", v) for v in value] if isinstance(value, (list, tuple)) else [value]
    return out


def _draw_in_child(draw: Callable[[], dict[str, Any]], send) -> None:
    # Ctrl-C or a stop reaches the whole process group: the child ends quietly (the default action),
    # and the parent, which cleans up, stops it anyway. The parent's handlers are not for it.
    signal.signal(signal.SIGINT, signal.SIG_DFL)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    try:
        paths = draw()
    except BaseException:  # noqa: BLE001 - the parent draws again and reports the error itself
        paths = None
    try:
        send.send(paths)
    except OSError:
        pass  # the parent is gone (killed): nobody is waiting for the answer
    finally:
        send.close()


def _pdfs(docs: list[Path], staging: Path) -> list[Path]:
    """PDFs of ``docs`` in one LibreOffice call (a Daftar Isi already holds its page numbers: :func:`_fill_toc`)."""
    pdfs = list(to_pdf(docs, staging))
    beside = {doc.stem: doc.parent for doc in docs}
    for n, made in enumerate(pdfs):  # each PDF beside its document (Triwulan_II/...)
        if beside.get(made.stem, made.parent) != made.parent:
            pdfs[n] = Path(shutil.move(made, beside[made.stem] / made.name))
    return pdfs


STALE_AFTER = 24 * 3600  # seconds: no build takes a day; an older staging folder is abandoned

# The build's folders in the system temp folder, each named after its process ("kinerja-xl-pdf-4242-x1y2"):
# the charts, the Daftar Isi copies for the PDF, LibreOffice's profile, the template check's picture.
GAMBAR_PREFIX, PDF_PREFIX = "kinerja-xl-gambar-", "kinerja-xl-pdf-"
_TEMP_NAME = re.compile(rf"^(?:{GAMBAR_PREFIX}|{PDF_PREFIX}|{PROFILE_PREFIX}|kinerja-xl-cek-)(\d+-)?")


def remove_abandoned_temp(folder: Path | None = None) -> list[Path]:
    """Remove the temporary folders of builds that were killed outright; return them.

    Like :func:`remove_abandoned_staging`: a folder is abandoned once the process named in it is gone
    (POSIX), or when it is older than a day (folders named before the process id was in them, too).
    Only this user's folders are looked at. A LibreOffice still running from an abandoned profile is
    ended first (:func:`.pdf.stop_abandoned`).
    """
    folder = Path(folder or tempfile.gettempdir())
    removed = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return removed
    for entry in entries:
        match = _TEMP_NAME.match(entry.name)
        if match is None:
            continue
        try:
            info = entry.lstat()
        except OSError:
            continue
        if not entry.is_dir() or entry.is_symlink() or (hasattr(os, "getuid") and info.st_uid != os.getuid()):
            continue
        pid = match.group(1)
        old = time.time() - info.st_mtime > STALE_AFTER
        if old or (pid and not _alive(int(pid[:-1]))):
            if entry.name.startswith(PROFILE_PREFIX):
                stop_abandoned(entry)
            shutil.rmtree(entry, ignore_errors=True)
            removed.append(entry)
    return removed


def remove_abandoned_staging(out: Path) -> list[Path]:
    """Remove the staging folders a killed build of ``out`` left beside it; return them.

    A build that ends in any way it can catch removes its own folder; one killed outright (SIGKILL, a
    power cut) cannot. Its folder is named after its process: on POSIX it is abandoned once that
    process is gone; anywhere, once it is older than a day. A folder of a build still running is kept.
    """
    removed = []
    out = Path(out)
    # Inside the output folder (today), and beside it (builds before 0.3 staged there).
    candidates = [(f, f.name[len(".sementara-"):]) for f in out.glob(".sementara-*")]
    candidates += [(f, f.name[len(out.name) + len(".-sementara-"):])
                   for f in out.parent.glob(f".{glob.escape(out.name)}-sementara-*")]
    for folder, rest in candidates:
        if not folder.is_dir() or folder.is_symlink():
            continue
        pid = rest.split("-", 1)[0]
        try:
            old = time.time() - folder.stat().st_mtime > STALE_AFTER
        except OSError:
            continue
        if old or (pid.isdigit() and not _alive(int(pid))):
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed


def _alive(pid: int) -> bool:
    """Whether a process ``pid`` exists; True when this cannot be known (not POSIX, no permission)."""
    if os.name != "posix":
        return True  # os.kill(pid, 0) would send Ctrl-C on Windows: the age rule applies there
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # it exists, owned by someone else
    return True


def render_set(kset: KinerjaSet, hierarchy: Hierarchy, out: Path, *, templates_dir: Path | None = None,
               pdf: bool = False, narasi_file: Path | None = None, options: RenderOptions = DEFAULT_OPTIONS,
               flagged: frozenset[str] = frozenset(), plan: OutputPlan | None = None,
               toc_pages: bool = True, triwulan: int | None = None) -> list[Path]:
    """Write the satker's documents into the folder ``out`` (and their PDFs when ``pdf``); return the paths.

    Every document is made in a hidden staging folder inside ``out`` (the same disk, whatever ``out``
    is mounted on or linked to) and moved in only when all are made; ``plan`` clears each final path
    first (an input is never replaced, two documents never share a name).

    Documents whose source is missing are skipped (no RKT workbook: no RKT.docx; no realisation
    workbook: no Pengukuran and no LAKIP). ``narasi_file`` parts replace the Narasi sheet's parts;
    ``flagged`` indicator codes are drawn red in the pohon kinerja. ``toc_pages=False`` leaves the Daftar
    Isi's page numbers to Word (it refreshes them on opening), saving the LibreOffice layout (about 1.5 s);
    with ``pdf`` they are always laid out, the PDF prints them.

    ``triwulan`` (1..4): instead of the year's documents, the Laporan Capaian Kinerja of that quarter
    (:mod:`.triwulan`): the satker's report, and one per official in the folder ``Triwulan_<N>``.
    """
    out = Path(out)
    templates = {kind: template_path(kind, templates_dir) for kind in KINDS}
    narasi = dict(kset.realisasi.narasi) if kset.realisasi else {}
    if narasi_file is not None:
        narasi.update(load_narasi(narasi_file))  # before any rendering: a bad file fails fast
    created = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    remove_abandoned_staging(out)
    remove_abandoned_temp()
    staging = Path(tempfile.mkdtemp(prefix=f".sementara-{os.getpid()}-", dir=out))
    try:
        if triwulan is not None:
            written = _render_triwulan(kset, hierarchy, staging, templates, options, triwulan)
        else:
            written = _render_all(kset, hierarchy, staging, templates, narasi, options, frozenset(flagged),
                                  toc_pages=toc_pages or pdf)
        if pdf:
            written += _pdfs(written, staging)
        plan = plan or OutputPlan()
        for path in written:
            plan.claim(out / path.relative_to(staging))
        final = []
        for path in written:  # a document in a folder of its own (Triwulan_II/) goes into the same folder
            (out / path.relative_to(staging)).parent.mkdir(parents=True, exist_ok=True)
            os.replace(path, out / path.relative_to(staging))
            final.append(out / path.relative_to(staging))
        return final
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        if created:  # a failed first build leaves no empty folder behind
            with contextlib.suppress(OSError):
                out.rmdir()
