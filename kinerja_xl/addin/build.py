"""Reproducible build of the Kinerja Excel add-in (.xlam) from xlwings' quickstart ribbon add-in.

The shipped ``quickstart_addin_ribbon.xlam`` is the base. Two things change: the ribbon
(``customUI/customUI.xml``) and the source of the one ribbon VBA module. Every other zip
member is copied with its compressed bytes untouched and every other VBA stream keeps its
bytes; only the ``dir`` stream is rewritten when the module's text offset must become 0.
The output depends only on the repo files and the installed xlwings, never on the clock.
"""

from __future__ import annotations

import argparse
import codecs
import importlib.metadata
import importlib.util
import io
import re
import struct
import sys
import xml.etree.ElementTree as ET
import zipfile
import zlib
from pathlib import Path
from typing import Mapping

import olefile

from ..fsutil import write_bytes

HERE = Path(__file__).resolve().parent
CUSTOM_UI = HERE / "ribbon" / "customUI.xml"
VBA_MODULE = HERE / "vba" / "RibbonMyAddin.bas"
SHIPPED_NAME = "quickstart_addin_ribbon.xlam"
CUSTOM_UI_MEMBER = "customUI/customUI.xml"
VBA_MEMBER = "xl/vbaProject.bin"
CUSTOM_UI_NS = "http://schemas.microsoft.com/office/2006/01/customui"

# MS-CFB constants: version 3 files, 512-byte sectors, 64-byte mini sectors.
SECTOR = 512
MINI_SECTOR = 64
MINI_CUTOFF = 4096
ENDOFCHAIN = 0xFFFFFFFE
FREESECT = 0xFFFFFFFF
FATSECT = 0xFFFFFFFD
HEADER_DIFAT_SLOTS = 109

# MS-OVBA dir stream record ids used here.
REC_PROJECTVERSION = 0x0009
REC_CODEPAGE = 0x0003
REC_MODULENAME = 0x0019
REC_MODULESTREAMNAME = 0x001A
REC_MODULEOFFSET = 0x0031
REC_MODULETYPE_PROCEDURAL = 0x0021

_VB_NAME = re.compile(r'^Attribute VB_Name = "([A-Za-z][A-Za-z0-9_]*)"$')


def shipped_xlam() -> Path:
    """Path of the ribbon quickstart add-in inside the installed xlwings package."""
    # find_spec locates the package without importing it (xlwings' import is slow and
    # probes for Excel).
    spec = importlib.util.find_spec("xlwings")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("Paket xlwings tidak terpasang; add-in tidak dapat dibangun.")
    path = Path(list(spec.submodule_search_locations)[0]) / SHIPPED_NAME
    if not path.is_file():
        raise FileNotFoundError(f"Berkas {SHIPPED_NAME} tidak ditemukan di paket xlwings: {path}")
    return path


def xlwings_version() -> str:
    """Version of the installed xlwings, i.e. of the add-in the build starts from."""
    return importlib.metadata.version("xlwings")


# --- MS-OVBA 2.4.1 compression -------------------------------------------------------------


def compress(data: bytes) -> bytes:
    """Compress ``data`` into an MS-OVBA CompressedContainer (2.4.1.3.6)."""
    out = bytearray(b"\x01")
    for start in range(0, len(data), 4096):
        chunk = data[start : start + 4096]
        body = _compress_chunk(chunk)
        if len(body) <= 4096:
            # Header: size-3 in 12 bits, signature 0b011, flag 1 = compressed.
            out += struct.pack("<H", 0xB000 | (len(body) + 2 - 3)) + body
        elif len(chunk) == 4096:
            out += struct.pack("<H", 0x3FFF) + chunk
        else:
            # A short final chunk can only be stored raw by zero-padding it to 4096 bytes,
            # which would append NULs to the VBA source; refuse instead.
            raise ValueError("Potongan akhir data VBA tidak dapat dikompresi (MS-OVBA 2.4.1).")
    return bytes(out)


def _compress_chunk(chunk: bytes) -> bytes:
    """Greedy LZ77 over one 4096-byte chunk; any match choice is valid MS-OVBA."""
    out = bytearray()
    seen: dict[bytes, list[int]] = {}
    pos, end = 0, len(chunk)
    while pos < end:
        flag_at = len(out)
        out.append(0)
        for bit in range(8):
            if pos >= end:
                break
            # 2.4.1.3.19.1 CopyToken Help: the offset field grows with the distance from
            # the chunk start and the length field shrinks with it. ms-ovba-compression
            # 1.0.1 gets this maximum wrong, which is why this module has its own compressor.
            bit_count = max((pos - 1).bit_length(), 4)
            max_length = (0xFFFF >> bit_count) + 3
            best_len, best_at = 0, 0
            for cand in reversed(seen.get(chunk[pos : pos + 3], [])[-64:]):
                length = 0
                limit = min(max_length, end - pos)
                while length < limit and chunk[cand + length] == chunk[pos + length]:
                    length += 1
                if length > best_len:
                    best_len, best_at = length, cand
                    if length == limit:
                        break
            step = 1
            if best_len >= 3:
                token = ((pos - best_at - 1) << (16 - bit_count)) | (best_len - 3)
                out += struct.pack("<H", token)
                out[flag_at] |= 1 << bit
                step = best_len
            else:
                out.append(chunk[pos])
            for p in range(pos, pos + step):
                seen.setdefault(chunk[p : p + 3], []).append(p)
            pos += step
    return bytes(out)


def decompress(container: bytes) -> bytes:
    """Decompress an MS-OVBA CompressedContainer (2.4.1.3.1)."""
    if not container or container[0] != 0x01:
        raise ValueError("Kontainer MS-OVBA tidak diawali byte tanda 0x01.")
    out = bytearray()
    pos = 1
    while pos < len(container):
        (header,) = struct.unpack_from("<H", container, pos)
        if (header >> 12) & 0x7 != 0b011:
            raise ValueError("Tanda potongan MS-OVBA tidak valid.")
        end = min(pos + (header & 0x0FFF) + 3, len(container))
        pos += 2
        if not header & 0x8000:
            out += container[pos : pos + 4096]
            pos += 4096
            continue
        chunk_start = len(out)
        while pos < end:
            flags = container[pos]
            pos += 1
            for bit in range(8):
                if pos >= end:
                    break
                if not (flags >> bit) & 1:
                    out.append(container[pos])
                    pos += 1
                    continue
                (token,) = struct.unpack_from("<H", container, pos)
                pos += 2
                bit_count = max((len(out) - chunk_start - 1).bit_length(), 4)
                length = (token & (0xFFFF >> bit_count)) + 3
                src = len(out) - ((token >> (16 - bit_count)) + 1)
                if src < chunk_start:
                    raise ValueError("Token salin MS-OVBA menunjuk ke luar potongan.")
                for i in range(length):  # byte by byte: source and target may overlap
                    out.append(out[src + i])
    return bytes(out)


# --- VBA project ---------------------------------------------------------------------------


def read_module_source(path: Path) -> tuple[str, str]:
    """Return (module name, source with CRLF line ends) of a ``.bas`` file."""
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    match = _VB_NAME.match(lines[0]) if lines else None
    if not match:
        raise ValueError(f'{path}: baris pertama harus Attribute VB_Name = "NamaModul".')
    return match.group(1), "\r\n".join(lines) + "\r\n"


def _dir_records(plain: bytes):
    """Yield (id, body_start, body_end) for each record of a decompressed dir stream."""
    pos = 0
    while pos + 6 <= len(plain):
        rec_id, size = struct.unpack_from("<HI", plain, pos)
        if rec_id == REC_PROJECTVERSION:
            size = 6  # its size field is a constant 4 but 6 bytes follow (MS-OVBA 2.3.4.2.1.11)
        yield rec_id, pos + 6, pos + 6 + size
        pos += 6 + size


def _locate_module(plain: bytes, module: str) -> tuple[str, int, int, str]:
    """Find ``module`` in the dir stream: (stream name, offset field pos, offset, codec)."""
    codec, current, stream, offset_at, procedural = "cp1252", None, None, None, False
    for rec_id, start, end in _dir_records(plain):
        body = plain[start:end]
        if rec_id == REC_CODEPAGE:
            codec = codecs.lookup(f"cp{struct.unpack('<H', body)[0]}").name
        elif rec_id == REC_MODULENAME:
            current = body.decode(codec)
        elif current == module and rec_id == REC_MODULESTREAMNAME:
            stream = body.decode(codec)
        elif current == module and rec_id == REC_MODULEOFFSET:
            offset_at = start
        elif current == module and rec_id == REC_MODULETYPE_PROCEDURAL:
            procedural = True
    if stream is None or offset_at is None or not procedural:
        raise ValueError(f"Proyek VBA bawaan tidak memuat modul standar {module!r}.")
    return stream, offset_at, struct.unpack_from("<I", plain, offset_at)[0], codec


def build_vba_project(shipped_bin: bytes, module_path: Path = VBA_MODULE) -> bytes:
    """Return ``vbaProject.bin`` with one module's source replaced by ``module_path``."""
    ole = olefile.OleFileIO(shipped_bin)
    header = ole.openstream("VBA/_VBA_PROJECT").read()
    # Version 0xFFFF makes Office discard compiled state and recompile from source
    # (MS-OVBA 2.3.4.1); with any other version a stale cache could win over our source.
    if header[:4] != b"\xcc\x61\xff\xff":
        raise ValueError("_VBA_PROJECT bawaan xlwings bukan proyek 'hanya sumber' (versi 0xFFFF).")
    plain_dir = decompress(ole.openstream("VBA/dir").read())
    name, source = read_module_source(module_path)
    stream, offset_at, offset, codec = _locate_module(plain_dir, name)
    # The module stream is written as compressed source only; the shipped performance
    # cache (p-code) would no longer match, and stale p-code next to new source is what
    # scanners report as "VBA stomping".
    replacements = {f"VBA/{stream}": compress(source.encode(codec))}
    if offset != 0:
        patched = plain_dir[:offset_at] + b"\0\0\0\0" + plain_dir[offset_at + 4 :]
        replacements["VBA/dir"] = compress(patched)
    return write_cfb(shipped_bin, replacements)


# --- MS-CFB writer -------------------------------------------------------------------------


def _chain(fat, start: int) -> list[int]:
    """Sector numbers of the FAT chain that begins at ``start``."""
    sectors: list[int] = []
    while start != ENDOFCHAIN:
        if start >= len(fat) or len(sectors) > len(fat):
            raise ValueError("Rantai FAT pada vbaProject.bin rusak.")
        sectors.append(start)
        start = fat[start]
    return sectors


def _stream_paths(ole: olefile.OleFileIO) -> dict[int, str]:
    """Map directory entry id -> slash path for every stream."""
    paths: dict[int, str] = {}

    def walk(entry, prefix: str) -> None:
        for kid in entry.kids:
            path = f"{prefix}{kid.name}"
            if kid.entry_type == olefile.STGTY_STREAM:
                paths[kid.sid] = path
            else:
                walk(kid, path + "/")

    walk(ole.root, "")
    return paths


def write_cfb(original: bytes, replacements: Mapping[str, bytes]) -> bytes:
    """Re-lay out a v3 compound file with some streams' contents replaced.

    The directory entries (names, tree links, CLSIDs, timestamps) are copied from
    ``original``; only their start sector and size change. Streams below 4096 bytes go to
    the mini stream and streams of 4096 bytes or more to regular sectors (MS-CFB 2.6.3),
    which is exactly the boundary ms-cfb 0.0.6 gets wrong.
    """
    ole = olefile.OleFileIO(original)
    if original[0x1A:0x20] != b"\x03\x00\xfe\xff\x09\x00":
        raise ValueError("vbaProject.bin bawaan bukan berkas CFB versi 3.")
    paths = _stream_paths(ole)
    unknown = set(replacements) - set(paths.values())
    if unknown:
        raise KeyError(f"Stream tidak ada di vbaProject.bin: {sorted(unknown)}")
    dir_start = struct.unpack_from("<I", original, 0x30)[0]
    directory = bytearray(
        b"".join(original[SECTOR * (s + 1) : SECTOR * (s + 2)] for s in _chain(ole.fat, dir_start))
    )
    contents = {sid: replacements.get(path) for sid, path in paths.items()}
    for sid, path in paths.items():
        if contents[sid] is None:
            contents[sid] = ole.openstream(path).read()

    mini = bytearray()
    minifat: list[int] = []
    starts: dict[object, int] = {}  # stream id or layout part -> first (mini) sector
    for sid in sorted(contents):
        data = contents[sid]
        if 0 < len(data) < MINI_CUTOFF:
            first, count = len(mini) // MINI_SECTOR, -(-len(data) // MINI_SECTOR)
            minifat += list(range(first + 1, first + count)) + [ENDOFCHAIN]
            mini += data.ljust(count * MINI_SECTOR, b"\0")
            starts[sid] = first
    minifat_bytes = struct.pack(f"<{len(minifat)}I", *minifat)
    minifat_bytes += b"\xff" * (-len(minifat_bytes) % SECTOR)

    # Regular sectors after the FAT: directory, miniFAT, mini stream, then large streams.
    payloads: list[tuple[object, bytes]] = [("dir", bytes(directory))]
    if mini:
        payloads += [("minifat", minifat_bytes), ("mini", bytes(mini))]
    payloads += [(sid, data) for sid, data in sorted(contents.items()) if len(data) >= MINI_CUTOFF]
    data_sectors = sum(-(-len(data) // SECTOR) for _, data in payloads)
    fat_sectors = 1
    while fat_sectors * (SECTOR // 4) < data_sectors + fat_sectors:
        fat_sectors += 1
    if fat_sectors > HEADER_DIFAT_SLOTS:
        raise ValueError("vbaProject.bin terlalu besar untuk penulis CFB ini (tanpa DIFAT).")

    fat = [FATSECT] * fat_sectors
    body = bytearray()
    for key, data in payloads:
        count = -(-len(data) // SECTOR)
        starts[key] = len(fat)
        fat += list(range(len(fat) + 1, len(fat) + count)) + [ENDOFCHAIN]
        body += data.ljust(count * SECTOR, b"\0")
    fat += [FREESECT] * (fat_sectors * (SECTOR // 4) - len(fat))

    def set_entry(sid: int, start: int, size: int) -> None:
        struct.pack_into("<IQ", directory, sid * 128 + 116, start, size)

    set_entry(0, starts.get("mini", ENDOFCHAIN), len(mini))
    for sid, data in contents.items():
        set_entry(sid, starts.get(sid, ENDOFCHAIN), len(data))  # empty streams own no sector
    # The directory bytes changed after layout, so refresh its copy in the body.
    body[: len(directory)] = directory

    header = bytearray(original[:SECTOR])
    struct.pack_into("<II", header, 0x2C, fat_sectors, starts["dir"])
    struct.pack_into(
        "<IIII", header, 0x3C,
        starts.get("minifat", ENDOFCHAIN), len(minifat_bytes) // SECTOR if mini else 0,
        ENDOFCHAIN, 0,
    )
    difat = list(range(fat_sectors)) + [FREESECT] * (HEADER_DIFAT_SLOTS - fat_sectors)
    struct.pack_into(f"<{HEADER_DIFAT_SLOTS}I", header, 0x4C, *difat)
    result = bytes(header) + struct.pack(f"<{len(fat)}I", *fat) + bytes(body)

    # Read everything back with an independent reader: a layout bug must fail the build,
    # not ship an add-in that Excel refuses to open.
    check = olefile.OleFileIO(result)
    for sid, path in paths.items():
        if check.openstream(path).read() != contents[sid]:
            raise AssertionError(f"Stream {path} tidak terbaca ulang dengan benar.")
    return result


# --- zip (OPC package) ---------------------------------------------------------------------


def _dos_datetime(info: zipfile.ZipInfo) -> tuple[int, int]:
    y, mo, d, h, mi, s = info.date_time
    return (h << 11) | (mi << 5) | (s // 2), ((y - 1980) << 9) | (mo << 5) | d


def _repack(shipped: bytes, replacements: Mapping[str, bytes]) -> bytes:
    """Rewrite the shipped zip with some members replaced, everything else verbatim.

    Unchanged members keep their original compressed bytes, so no zlib version can change
    them. Replaced members are STORED for the same reason: deflate output differs between
    zlib builds, stored bytes do not. Order, timestamps and extra fields come from the
    shipped file, so two builds are byte-identical.
    """
    out, central = bytearray(), bytearray()
    with zipfile.ZipFile(io.BytesIO(shipped)) as zf:
        infos = zf.infolist()
    missing = set(replacements) - {i.filename for i in infos}
    if missing:
        raise KeyError(f"Anggota tidak ada di add-in bawaan: {sorted(missing)}")
    for info in infos:
        name_len, extra_len = struct.unpack_from("<HH", shipped, info.header_offset + 26)
        data_at = info.header_offset + 30 + name_len + extra_len
        local_extra = shipped[data_at - extra_len : data_at]
        if info.filename in replacements:
            raw = replacements[info.filename]
            method, crc, size = zipfile.ZIP_STORED, zlib.crc32(raw), len(raw)
        else:
            raw = shipped[data_at : data_at + info.compress_size]
            method, crc, size = info.compress_type, info.CRC, info.file_size
        flags = info.flag_bits & ~0x08  # sizes are in the headers: no data descriptor
        dos_time, dos_date = _dos_datetime(info)
        name = info.filename.encode("utf-8")
        fields = (info.extract_version, flags, method, dos_time, dos_date, crc, len(raw), size)
        central += struct.pack(
            "<IBB5H3I5H2I", 0x02014B50, info.create_version, info.create_system, *fields,
            len(name), len(info.extra), 0, 0, info.internal_attr, info.external_attr, len(out),
        ) + name + info.extra
        out += struct.pack("<I5H3I2H", 0x04034B50, *fields, len(name), len(local_extra))
        out += name + local_extra + raw
    count = len(infos)
    return bytes(out + central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, count, count,
                                             len(central), len(out), 0))


# --- public API ----------------------------------------------------------------------------


def build_bytes(*, vba_source: Path = VBA_MODULE, custom_ui: Path = CUSTOM_UI) -> bytes:
    """Return the bytes of the add-in built from the repo sources."""
    shipped = shipped_xlam().read_bytes()
    with zipfile.ZipFile(io.BytesIO(shipped)) as zf:
        vba_bin = zf.read(VBA_MEMBER)
    ET.fromstring(custom_ui.read_bytes())  # a malformed ribbon must fail here, not in Excel
    return _repack(shipped, {
        CUSTOM_UI_MEMBER: custom_ui.read_bytes(),
        VBA_MEMBER: build_vba_project(vba_bin, vba_source),
    })


def build_xlam(
    out_path: Path, *, vba_source: Path = VBA_MODULE, custom_ui: Path = CUSTOM_UI
) -> Path:
    """Build the add-in to ``out_path`` (written atomically) and return that path."""
    out_path = Path(out_path)
    data = build_bytes(vba_source=vba_source, custom_ui=custom_ui)
    # Excel may have the old add-in open; replacing a finished temp file avoids leaving
    # a half-written .xlam behind.
    write_bytes(out_path, data)
    return out_path


def ribbon_button_ids(path: Path = CUSTOM_UI) -> set[str]:
    """Ids of the buttons declared in the ribbon XML (a trusted repo file)."""
    root = ET.parse(path).getroot()
    return {b.attrib["id"] for b in root.iter(f"{{{CUSTOM_UI_NS}}}button")}


def main(argv: list[str] | None = None) -> int:
    """Command line: ``python -m kinerja_xl.addin.build OUT.xlam``."""
    parser = argparse.ArgumentParser(description="Bangun add-in Excel Kinerja (.xlam).")
    parser.add_argument("out", type=Path, help="berkas .xlam yang akan ditulis")
    args = parser.parse_args(argv)
    path = build_xlam(args.out)
    print(f"Add-in ditulis ke {path} (dasar: xlwings {xlwings_version()}).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
