"""Property-based tests (hypothesis, derandomized) of two hand-written pieces that guard real data:
the MS-OVBA compressor of the add-in build, checked against an independent decompressor (oletools),
and ZipParts, the zip reader every workbook goes through, checked against the standard library."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from oletools.olevba import decompress_stream

from kinerja_xl.addin.build import compress, decompress
from kinerja_xl.reading.source import ZipParts

SETTINGS = settings(max_examples=150, derandomize=True, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])

# Text like VBA source (repetitive, so copy tokens of every length and offset appear) and raw bytes
# (incompressible chunks), across the 4096-byte chunk boundary.
vba_like = st.lists(st.sampled_from([b"Sub ", b"End Sub\r\n", b"Dim x As Long\r\n", b'"Kinerja"', b" ", b"x", b"\r\n",
                                     b"Range(\"A1\").Value = ", b"0123456789"]), max_size=900).map(b"".join)
data_strategy = st.one_of(st.binary(min_size=1, max_size=9000), vba_like.filter(bool),
                          st.builds(lambda b, n: b * n, st.binary(min_size=1, max_size=7), st.integers(1, 2500)))


@SETTINGS
@given(data_strategy)
def test_ovba_compress_round_trips_through_oletools(data: bytes):
    packed = compress(data)
    assert decompress_stream(bytearray(packed)) == data  # an independent reader of MS-OVBA
    assert decompress(packed) == data
    # Growth is bounded: a signature byte, then per 4096-byte chunk a 2-byte header and at most the
    # chunk itself (a raw chunk) or, for a short last chunk, its bytes plus one flag byte per eight.
    chunks = [len(data[i:i + 4096]) for i in range(0, len(data), 4096)]
    assert len(packed) <= 1 + sum(2 + min(4096, n + -(-n // 8)) for n in chunks)


members = st.dictionaries(st.from_regex(r"[a-z]{1,8}/[a-z]{1,8}\.xml", fullmatch=True),
                          st.one_of(st.binary(max_size=3000), vba_like), min_size=1, max_size=6)


def _zip(parts: dict[str, bytes], method: int) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", method) as zf:
        for name, data in parts.items():
            zf.writestr(name, data)
    return buffer.getvalue()


@SETTINGS
@given(members, st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2]))
def test_zipparts_reads_what_zipfile_reads(parts: dict[str, bytes], method: int):
    data = _zip(parts, method)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        reader = ZipParts(data, zf.infolist())
        for name, content in parts.items():
            info = zf.getinfo(name)
            head = reader.start(info)
            if head is not None:
                assert content.startswith(head)
            assert reader.read(name) == content == zf.read(name)
    assert reader.names == frozenset(parts)


def test_zipparts_refuses_a_damaged_member():
    data = bytearray(_zip({"xl/workbook.xml": b"<workbook>" + b"x" * 500 + b"</workbook>"}, zipfile.ZIP_STORED))
    data[data.index(b"xxxx")] = ord("y")  # one byte changed: the CRC no longer matches
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        reader = ZipParts(bytes(data), zf.infolist())
        with pytest.raises(zipfile.BadZipFile):
            reader.read("xl/workbook.xml")
        with pytest.raises(KeyError):
            reader.read("xl/tidak-ada.xml")


def test_zipparts_never_inflates_past_the_declared_size():
    """A member that lies about its size (a bomb dressed as a small part) is refused, not inflated."""
    bomb = b"\0" * 50_000_000
    data = _zip({"xl/worksheets/sheet1.xml": bomb}, zipfile.ZIP_DEFLATED)
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        infos = zf.infolist()
    infos[0].file_size = 1000  # the central directory's claim
    reader = ZipParts(data, infos)
    assert len(reader.direct(infos[0])) == 1001  # stopped one byte past the claim
    with pytest.raises(zipfile.BadZipFile):
        reader.read(infos[0].filename)
