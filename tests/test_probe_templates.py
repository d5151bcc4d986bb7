"""Adversarial Word templates (issue 14, items 5-7): refused with a clear message and exit 2, never a hang,
a memory blow-up, a traceback or a link followed.

Each template is made here from a small python-docx document; the large ones (a 1 GiB comment) are
small zips, since what matters is what they grow into when opened.
"""

from __future__ import annotations

import http.server
import json
import re
import shutil
import subprocess
import threading
import time
import zipfile
from pathlib import Path

import pytest

from conftest import EXAMPLE, docx_template, soffice
from probe import run

_DOC = "word/document.xml"
_RELS = "word/_rels/document.xml.rels"


def rewrite(path: Path, changes: dict[str, bytes | None]) -> Path:
    """Replace (or add) members of a .docx zip in place."""
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    members.update({k: v for k, v in changes.items() if v is not None})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return path


def member(path: Path, name: str) -> bytes:
    with zipfile.ZipFile(path) as zf:
        return zf.read(name)


def template_folder(tmp_path: Path, *lines: str, name: str = "tpl") -> Path:
    folder = tmp_path / name
    folder.mkdir()
    docx_template(folder / "pk.docx", *lines)
    return folder


def check_and_build(folder: Path, tmp_path: Path, *, timeout: float = 120) -> tuple[str, str]:
    """``word check --format json`` (exit 1, the problem a finding of the template: one line per finding,
    its code, part and message) and ``build --template`` (exit 2, its output)."""
    checked = run(["word", "check", folder, "--format", "json"], inputs=[folder], timeout=timeout)
    assert checked.code == 1, checked.output
    report = json.loads(checked.stdout)
    assert not report["valid"] and report["issues"], report
    assert {i["location"]["file"] for i in report["issues"]} == set(report["files"])  # every template refused
    findings = "\n".join(f"{i['code']} [{i['location']['sheet']}] {i['message']}" for i in report["issues"])
    built = run(["build", EXAMPLE, "-o", tmp_path / "hasil", "--template", folder], inputs=[folder, EXAMPLE],
                timeout=timeout)
    assert built.code == 2, built.output
    assert not (tmp_path / "hasil").exists()  # nothing written
    return findings, built.output


# --- item 6: the sandbox has bounds ------------------------------------------------------------------

SANDBOX_CASES = {
    "loop-10^10": ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "langkah"),
    "loop-over-text": ("{% set s = 'A' * 100000 %}{% for a in s %}{% for b in s %}{% endfor %}{% endfor %}",
                       "langkah"),
    "string-times-10^9": ("{{ 'A' * 10**9 }}", "teks sepanjang"),
    "list-times-10^9": ("{{ ([1] * 10**9)|length }}", "daftar sepanjang"),
    "power": ("{{ 7 ** (10**9) }}", "pangkat"),
    "squaring": ("{% set ns = namespace(x=7) %}{% for i in range(40) %}{% set ns.x = ns.x * ns.x %}{% endfor %}",
                 "bit"),
    "doubling-concat": ("{% set ns = namespace(s='AB') %}{% for i in range(40) %}{% set ns.s = ns.s ~ ns.s %}"
                        "{% endfor %}{{ ns.s|length }}", "teks sepanjang"),
    "recursive-macro": ("{% macro f(n) %}{{ f(n) }}{% endmacro %}{{ f(1) }}", "makro"),
    "center-filter": ("{{ 'x'|center(1000000000) }}", "teks sepanjang"),
    "ljust-method": ("{{ 'x'.ljust(1000000000) }}", "teks sepanjang"),
    "format-width": ("{{ '{:>1000000000}'.format(1) }}", "berformat"),
    "percent-width": ("{{ '%1000000000d' % 1 }}", "berformat"),
    "replace-empty": ("{% set s = 'A' * 100000 %}{{ s|replace('', s)|length }}", "teks sepanjang"),
    "join-many": ("{% set s = 'A' * 100000 %}{{ ([s] * 100000)|join|length }}", "teks sepanjang"),
    "output-size": ("{% set s = 'A' * 4000000 %}{% for i in range(20) %}{{ s }}{% endfor %}", "karakter"),
    "list-extend-doubling": ("{% set l = [1] %}{% for i in range(40) %}{{ l.extend(l) }}{% endfor %}", "daftar"),
    "translate": ("{% set s = 'A' * 1000 %}{{ s.translate({65: 'B' * 1000000})|length }}", "teks sepanjang"),
    "append-large-strings": ("{% set l = [] %}{% for i in range(100000) %}{{ l.append('A' * 4000000 ~ i) }}"
                             "{% endfor %}", "berulang kali"),
    "nested-format": ("{{ '{0:{1}}'.format(1, 1000000000) }}", "format bertingkat"),
}


@pytest.mark.parametrize("case", sorted(SANDBOX_CASES))
def test_runaway_template_is_stopped_quickly(case: str, tmp_path: Path):
    text, words = SANDBOX_CASES[case]
    folder = template_folder(tmp_path, "{{ satker }}", text)
    started = time.monotonic()
    checked, built = check_and_build(folder, tmp_path)
    assert time.monotonic() - started < 60
    for output in (checked, built):
        assert "dihentikan" in output and words in output, output
    assert "word-limit" in checked, checked


def test_wall_clock_deadline_stops_a_slow_template(monkeypatch, tmp_path: Path):
    """Few steps, each slow (sorting a million items): the clock stops it, not the step count."""
    from kinerja_xl.render import limits
    from kinerja_xl.render.docx import TemplateProblem, render
    from kinerja_xl.render.sample import sample_context

    monkeypatch.setattr(limits, "MAX_SECONDS", 1.0)
    path = docx_template(tmp_path / "pk.docx", "{% set l = (range(100000)|list) * 10 %}"
                         "{% for i in range(100000) %}{{ (l|sort)[0] }}{% endfor %}")
    started = time.monotonic()
    with pytest.raises(TemplateProblem, match="batas waktu 1 detik"):
        render(path, sample_context("pk"))
    assert time.monotonic() - started < 5


def test_word_check_reports_what_build_refuses(tmp_path: Path):
    """``''|attr('__class__')`` passed the preflight (✓) and was refused by build; both refuse it now."""
    folder = template_folder(tmp_path, "{{ satker }} {{ ''|attr('__class__') }}")
    checked, built = check_and_build(folder, tmp_path)
    assert "__class__" in checked and "__class__" in built
    assert "word-internal-access" in checked, checked


def test_bounds_leave_the_bundled_templates_alone(tmp_path: Path):
    from kinerja_xl.render.docx import DEFAULT_TEMPLATES_DIR, KINDS

    result = run(["word", "check", DEFAULT_TEMPLATES_DIR])
    assert len(KINDS) >= 7  # pk, pk_bundle, rkt, pengukuran, lakip, manual_iku, daftar_perubahan ...
    assert result.code == 0 and result.output.count("✓") == len(KINDS)  # every bundled template passes


# --- items 6 and 7: what the file holds, refused before parsing ------------------------------------------

def _with_document(tmp_path: Path, transform) -> Path:
    folder = template_folder(tmp_path, "{{ satker }}")
    path = folder / "pk.docx"
    rewrite(path, {_DOC: transform(member(path, _DOC))})
    return folder


def _prolog(xml: bytes, insert: bytes) -> bytes:
    """``insert`` right after the XML declaration (where a DTD goes)."""
    end = xml.index(b"?>") + 2
    return xml[:end] + insert + xml[end:]


_SYSTEM_DTD = b'<!DOCTYPE w:document [<!ENTITY rahasia SYSTEM "file:///etc/passwd">]>'
_LAUGHS = (b'<!DOCTYPE w:document [<!ENTITY a "hahahahahahahahahaha">'
           + b"".join(b'<!ENTITY %s "%s">' % (bytes([98 + i]), (b"&%s;" % bytes([97 + i])) * 10) for i in range(9))
           + b"]>")


@pytest.mark.parametrize("case", ["system-entity", "after-long-comment", "billion-laughs", "in-styles"])
def test_template_with_a_dtd_is_refused(case: str, tmp_path: Path):
    folder = template_folder(tmp_path, "{{ satker }}")
    path = folder / "pk.docx"
    if case == "system-entity":
        rewrite(path, {_DOC: _prolog(member(path, _DOC), _SYSTEM_DTD)})
    elif case == "after-long-comment":  # past the first 4 kB a workbook check looks at
        rewrite(path, {_DOC: _prolog(member(path, _DOC), b"<!--" + b"x" * 6000 + b"-->" + _SYSTEM_DTD)})
    elif case == "billion-laughs":
        xml = _prolog(member(path, _DOC), _LAUGHS).replace(b"{{ satker }}", b"{{ satker }} &j;")
        rewrite(path, {_DOC: xml})
    else:
        rewrite(path, {"word/styles.xml": _prolog(member(path, "word/styles.xml"), _SYSTEM_DTD)})
    checked, built = check_and_build(folder, tmp_path)
    for output in (checked, built):
        assert "DTD" in output and ("word/document.xml" in output or "word/styles.xml" in output), output
    assert "word-dtd" in checked, checked


def test_dtd_never_reaches_an_output_document(tmp_path: Path):
    """What main did: the DTD and its SYSTEM entity copied into every PK."""
    folder = _with_document(tmp_path, lambda xml: _prolog(xml, _SYSTEM_DTD))
    run(["build", EXAMPLE, "-o", tmp_path / "hasil", "--template", folder], inputs=[folder, EXAMPLE])
    for made in (tmp_path / "hasil").glob("*.docx") if (tmp_path / "hasil").exists() else ():
        assert b"<!DOCTYPE" not in member(made, _DOC), made


def _big_comment_docx(path: Path, size: int) -> None:
    """A pk.docx whose document.xml carries a comment of ``size`` bytes: about 1 MB zipped for 1 GiB."""
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist()}
    head = _prolog(members.pop(_DOC), b"")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
        with zf.open(_DOC, "w", force_zip64=False) as out:
            cut = head.index(b"?>") + 2
            out.write(head[:cut] + b"<!--")
            chunk = b"A" * (16 * 1024 * 1024)
            for _ in range(size // len(chunk)):
                out.write(chunk)
            out.write(b"-->" + head[cut:])


def test_one_gib_comment_is_refused_before_parsing(tmp_path: Path):
    folder = template_folder(tmp_path, "{{ satker }}")
    _big_comment_docx(folder / "pk.docx", 1024 * 1024 * 1024)
    assert (folder / "pk.docx").stat().st_size < 8 * 1024 * 1024
    started = time.monotonic()
    checked = run(["word", "check", folder], inputs=[folder], max_rss_mb=300)
    assert checked.code == 1 and "word/document.xml" in checked.output and "1024 MB" in checked.output
    assert "word-part-too-large" in checked.output
    built = run(["build", EXAMPLE, "-o", tmp_path / "hasil", "--template", folder], inputs=[folder, EXAMPLE],
                max_rss_mb=300)
    assert built.code == 2 and "1024 MB" in built.output
    assert time.monotonic() - started < 30


def test_dtd_in_a_part_named_otherwise_is_refused(tmp_path: Path):
    """The main document under another name (its content type says what it is) is checked all the same."""
    folder = template_folder(tmp_path, "{{ satker }}")
    path = folder / "pk.docx"
    xml = _prolog(member(path, _DOC), _SYSTEM_DTD)
    types = member(path, "[Content_Types].xml").replace(b'PartName="/word/document.xml"',
                                                        b'PartName="/word/isi.dat"')
    rels = member(path, "_rels/.rels").replace(b'Target="word/document.xml"', b'Target="word/isi.dat"')
    with zipfile.ZipFile(path) as zf:
        members = {i.filename: zf.read(i) for i in zf.infolist() if i.filename != _DOC}
    members.update({"word/isi.dat": xml, "[Content_Types].xml": types, "_rels/.rels": rels})
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    checked, built = check_and_build(folder, tmp_path)
    assert "word/isi.dat" in checked and "DTD" in built


def test_malformed_document_xml_is_a_clear_message(tmp_path: Path):
    folder = _with_document(tmp_path, lambda xml: xml[: len(xml) // 2])
    checked, built = check_and_build(folder, tmp_path)
    for output in (checked, built):
        assert "bukan dokumen Word .docx yang sah" in output, output
    assert "word-not-docx" in checked, checked


# --- item 5: links to outside the file ------------------------------------------------------------------

def _png(path: Path, color: str) -> Path:
    from PIL import Image

    Image.new("RGB", (60, 40), color).save(path)
    return path


def linked_picture_docx(path: Path, targets: list[str], *, text: str = "{{ satker }}") -> Path:
    """A .docx with one picture per target, each *linked* (``r:link``, TargetMode="External"), not embedded."""
    from docx import Document

    tmp = path.with_suffix(".png")
    doc = Document()
    doc.add_paragraph(text)
    for _ in targets:
        doc.add_picture(str(_png(tmp, "red")))
    doc.save(str(path))
    tmp.unlink()
    xml, rels = member(path, _DOC).decode(), member(path, _RELS).decode()
    embeds = re.findall(r'r:embed="(rId\d+)"', xml)
    assert len(embeds) == len(targets)
    for n, (rid, target) in enumerate(zip(embeds, targets)):
        xml = xml.replace(f'r:embed="{rid}"', f'r:link="rIdLuar{n}"', 1)
        rels = rels.replace("</Relationships>", f'<Relationship Id="rIdLuar{n}" Type="http://schemas.openxmlformats'
                            f'.org/officeDocument/2006/relationships/image" Target="{target}" '
                            'TargetMode="External"/></Relationships>')
    return rewrite(path, {_DOC: xml.encode(), _RELS: rels.encode()})


class _Recorder(http.server.BaseHTTPRequestHandler):
    hits: list[str] = []

    def do_GET(self):  # noqa: N802 - the name http.server calls
        type(self).hits.append(self.path)
        data = (Path(__file__).parent.parent / "docs" / "ribbon.png").read_bytes()
        self.send_response(200)
        self.send_header("Content-Type", "image/png")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):  # quiet
        pass


@pytest.fixture
def recorder():
    """A web server on 127.0.0.1 that records every request; yields (base URL, hits)."""
    _Recorder.hits = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", _Recorder.hits
    finally:
        server.shutdown()
        server.server_close()


@pytest.mark.parametrize("scheme", ["http", "file"])
def test_template_with_an_external_link_is_refused(scheme: str, tmp_path: Path, recorder):
    base, hits = recorder
    secret = _png(tmp_path / "rahasia.png", "blue")
    target = f"{base}/logo.png" if scheme == "http" else secret.as_uri()
    folder = tmp_path / "tpl"
    folder.mkdir()
    linked_picture_docx(folder / "pk.docx", [target])
    checked, built = check_and_build(folder, tmp_path)
    for output in (checked, built):
        assert _RELS in output and target in output, output
    assert "word-external-link" in checked, checked
    assert hits == []


def test_include_picture_field_is_refused(tmp_path: Path):
    folder = template_folder(tmp_path, "{{ satker }}")
    path = folder / "pk.docx"
    field = ('<w:p><w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText xml:space="preserve"> '
             'INCLUDEPICTURE "http://127.0.0.1:9/x.png" \\d </w:instrText></w:r><w:r><w:fldChar '
             'w:fldCharType="end"/></w:r></w:p>')
    xml = member(path, _DOC).decode().replace("<w:sectPr", field + "<w:sectPr", 1)
    rewrite(path, {_DOC: xml.encode()})
    checked, built = check_and_build(folder, tmp_path)
    assert "INCLUDEPICTURE" in checked and "INCLUDEPICTURE" in built
    assert "word-link-field" in checked, checked


def test_vml_picture_by_address_is_refused(tmp_path: Path):
    folder = template_folder(tmp_path, "{{ satker }}")
    path = folder / "pk.docx"
    vml = ('<w:p><w:r><w:pict><v:shape xmlns:v="urn:schemas-microsoft-com:vml" style="width:10pt;height:10pt">'
           '<v:imagedata src="file:///etc/hostname"/></v:shape></w:pict></w:r></w:p>')
    rewrite(path, {_DOC: member(path, _DOC).decode().replace("<w:sectPr", vml + "<w:sectPr", 1).encode()})
    checked, built = check_and_build(folder, tmp_path)
    assert "file:///etc/hostname" in checked and "file:///etc/hostname" in built
    assert "word-external-address" in checked, checked


def test_plain_hyperlink_is_kept(tmp_path: Path):
    """A web address to click (a kop surat's site) fetches nothing: such a template passes."""
    folder = template_folder(tmp_path, "{{ satker }}")
    path = folder / "pk.docx"
    rels = member(path, _RELS).decode().replace(
        "</Relationships>", '<Relationship Id="rIdWeb" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/hyperlink" Target="https://kpu.go.id/" TargetMode="External"/></Relationships>')
    xml = member(path, _DOC).decode().replace(
        "<w:sectPr", '<w:p><w:hyperlink r:id="rIdWeb"><w:r><w:t>kpu.go.id</w:t></w:r></w:hyperlink></w:p><w:sectPr', 1)
    rewrite(path, {_DOC: xml.encode(), _RELS: rels.encode()})
    result = run(["word", "check", folder], inputs=[folder])
    assert result.code == 0, result.output


def test_pdf_conversion_fetches_and_embeds_nothing(tmp_path: Path, recorder):
    """Even a document that reached LibreOffice with linked pictures (http://, file:///) gets neither into
    its PDF: the conversion runs with links from untrusted documents blocked, and nothing is requested."""
    soffice()
    if shutil.which("pdfimages") is None:
        pytest.skip("poppler-utils (pdfimages) tidak terpasang")
    from kinerja_xl.render.pdf import to_pdf

    base, hits = recorder
    secret = _png(tmp_path / "rahasia.png", "blue")
    doc = linked_picture_docx(tmp_path / "tautan.docx", [f"{base}/logo.png", secret.as_uri()], text="Tautan")
    (pdf,) = to_pdf([doc], tmp_path / "pdf")
    assert hits == []
    listed = subprocess.run(["pdfimages", "-list", str(pdf)], capture_output=True, text=True, check=True).stdout
    images = [line for line in listed.splitlines()[2:] if line.strip()]
    assert images == [], listed


def test_recorder_sees_a_fetch(recorder):
    """The server records what it is asked (so zero hits above means nothing was asked)."""
    import urllib.request

    base, hits = recorder
    with urllib.request.urlopen(f"{base}/x.png", timeout=10) as response:
        assert response.read(4) == b"\x89PNG"
    assert hits == ["/x.png"]


def test_linked_picture_helper_links_rather_than_embeds(tmp_path: Path):
    path = linked_picture_docx(tmp_path / "a.docx", ["http://127.0.0.1:1/a.png"])
    assert b'r:link="rIdLuar0"' in member(path, _DOC) and b"r:embed" not in member(path, _DOC)
    assert b'TargetMode="External"' in member(path, _RELS)
