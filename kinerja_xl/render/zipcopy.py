"""A copy of a .docx zip with a few members replaced: every other member's compressed bytes reused as they are.

A .docx is a zip of some twenty members of which rendering changes one or two (``word/document.xml``,
a header). :class:`ZipCopy` reads the template once; :meth:`ZipCopy.build` then writes a new zip
per document without decompressing or recompressing the rest (styles.xml alone is 350 kB), in the
template's member order, with the template's timestamps (so the same input gives the same bytes).

>>> layout = ZipCopy(DEFAULT_TEMPLATES_DIR / "pk.docx", replaced={"word/document.xml"})  # doctest: +SKIP
>>> data = layout.build({"word/document.xml": xml_bytes})  # doctest: +SKIP
"""

from __future__ import annotations

import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Mapping

_LOCAL = struct.Struct("<4s2B4HL2L2H")  # the zip format's local file header (zipfile.structFileHeader)
_CENTRAL = struct.Struct("<4s4B4HL2L5H2L")  # central directory entry (zipfile.structCentralDir)
_END = struct.Struct("<4s4H2LH")  # end of central directory (zipfile.structEndArchive)
_UTF8_NAME = 0x800
_LIMIT = 0xFFFF_FFFF  # beyond this a member needs ZIP64, which a .docx template never does


_REUSE_MAX = 64 * 1024  # bytes: only small members (headers, footers) are kept for reuse

class ZipUnsupported(ValueError):
    """The zip uses a feature this copier does not write (encryption, ZIP64, an unknown compression)."""


@dataclass(frozen=True)
class _Member:
    name: bytes
    flags: int
    method: int
    time: int
    date: int
    create_version: int
    create_system: int
    external_attr: int
    internal_attr: int
    data: bytes | None  # the compressed bytes as stored in the template; None for a replaced member
    crc: int = 0
    size: int = 0

    def local(self, data: bytes, crc: int, size: int) -> bytes:
        # Version 2.0 is what deflate needs; the sizes are known, so no data descriptor (flag bit 3).
        return _LOCAL.pack(b"PK\x03\x04", 20, 0, self.flags, self.method, self.time, self.date, crc, len(data), size,
                           len(self.name), 0) + self.name + data

    def central(self, compressed_size: int, crc: int, size: int, offset: int) -> bytes:
        return _CENTRAL.pack(b"PK\x01\x02", self.create_version, self.create_system, 20, 0, self.flags, self.method,
                             self.time, self.date, crc, compressed_size, size, len(self.name), 0, 0, 0,
                             self.internal_attr, self.external_attr, offset) + self.name


def _dos_time(date_time: tuple[int, ...]) -> tuple[int, int]:
    y, mo, d, h, mi, s = date_time
    return h << 11 | mi << 5 | s // 2, max(y - 1980, 0) << 9 | mo << 5 | d


def _raw(fh, info: zipfile.ZipInfo) -> bytes:
    """The member's compressed bytes, read past its local header (whose extra field may differ in length)."""
    fh.seek(info.header_offset)
    header = _LOCAL.unpack(fh.read(_LOCAL.size))
    fh.seek(header[10] + header[11], 1)  # file name length, extra field length
    return fh.read(info.compress_size)


class ZipCopy:
    """The template zip read once; :meth:`build` writes copies with the ``replaced`` members' new content."""

    def __init__(self, path: str | Path, *, replaced: Iterable[str]) -> None:
        self.replaced = frozenset(replaced)
        members = []
        with open(path, "rb") as fh, zipfile.ZipFile(fh) as zf:
            missing = self.replaced - set(zf.namelist())
            if missing:
                raise ZipUnsupported(f"no member {sorted(missing)[0]}")
            for info in zf.infolist():
                if info.flag_bits & 0x1:
                    raise ZipUnsupported(f"{info.filename} is encrypted")
                if max(info.file_size, info.compress_size, info.header_offset) >= _LIMIT:
                    raise ZipUnsupported(f"{info.filename} needs ZIP64")
                replaced_here = info.filename in self.replaced
                if replaced_here and info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
                    raise ZipUnsupported(f"{info.filename} uses compression method {info.compress_type}")
                try:
                    name, flags = info.filename.encode("ascii"), 0
                except UnicodeEncodeError:
                    name, flags = info.filename.encode("utf-8"), _UTF8_NAME
                time, date = _dos_time(info.date_time)
                members.append(_Member(
                    name=name, flags=flags, method=info.compress_type, time=time, date=date,
                    create_version=info.create_version, create_system=info.create_system,
                    external_attr=info.external_attr, internal_attr=info.internal_attr,
                    data=None if replaced_here else _raw(fh, info), crc=info.CRC, size=info.file_size,
                ))
        self._members = tuple(members)
        # An unchanged member's local header and bytes are the same in every copy: built once.
        self._records = tuple(None if m.data is None else m.local(m.data, m.crc, m.size) for m in members)
        # A replaced member the same as in the copy before (a header): its packed record is reused.
        self._last: dict[bytes, tuple[bytes, bytes, int, int, bytes]] = {}

    def build(self, contents: Mapping[str, bytes]) -> bytes:
        """The new zip's bytes: ``contents`` (member name -> uncompressed bytes) for the replaced members."""
        chunks: list[bytes] = []
        central: list[bytes] = []
        offset = 0
        for m, record in zip(self._members, self._records):
            if record is None:
                plain = contents[m.name.decode("utf-8")]
                last = self._last.get(m.name)
                if last is not None and last[0] == plain:  # a header as in the document before: packed once
                    _, data, crc, size, record = last
                else:
                    crc, size = zlib.crc32(plain), len(plain)
                    if m.method == zipfile.ZIP_DEFLATED:
                        packer = zlib.compressobj(zlib.Z_DEFAULT_COMPRESSION, zlib.DEFLATED, -15)
                        data = packer.compress(plain) + packer.flush()
                    else:
                        data = plain
                    record = m.local(data, crc, size)
                    if size <= _REUSE_MAX:
                        self._last[m.name] = (plain, data, crc, size, record)
                central.append(m.central(len(data), crc, size, offset))
            else:
                central.append(m.central(len(m.data), m.crc, m.size, offset))
            chunks.append(record)
            offset += len(record)
        directory = b"".join(central)
        end = _END.pack(b"PK\x05\x06", 0, 0, len(central), len(central), len(directory), offset, 0)
        return b"".join(chunks) + directory + end
