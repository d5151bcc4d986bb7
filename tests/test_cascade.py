"""Cross-level rules: one defect at a time in a copy of the example, reported at both ends, nothing else."""

from __future__ import annotations

import subprocess
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner

from kinerja_xl import api
from kinerja_xl.cli import app

from conftest import EXAMPLE, edit, sha256, soffice

KETUA = "PK_01_Ketua.xlsx"
SEKRETARIS = "PK_07_Sekretaris.xlsx"
KASUBAG_KEU = "PK_08_Eselon_IV_Keuangan_Umum_dan_Logistik.xlsx"
KASUBAG_TEKNIS = "PK_09_Eselon_IV_Teknis_Penyelenggaraan_Pemilu_dan_Hukum.xlsx"
runner = CliRunner()


def _key(issue):
    def end(ref):
        return None if ref is None else (Path(ref.file).name, ref.sheet, ref.cell)
    return (issue.code, end(issue.location), end(issue.related))


def _new_issues(folder: Path) -> set:
    base = {_key(i) for i in api.check([EXAMPLE])}
    return {_key(i) for i in api.check([folder])} - base


def _add_row(path: Path, sheet: str, row: int, values: dict[str, object]) -> None:
    wb = openpyxl.load_workbook(path)
    for col, value in values.items():
        wb[sheet][f"{col}{row}"] = value
    wb.save(path)


def test_example_has_no_cascade_errors():
    report = api.check([EXAMPLE])
    assert report.errors == () and report.warnings == ()
    assert {i.code for i in report} == {"self-supervised", "file-skipped"}
    [info] = [i for i in report if i.code == "self-supervised"]  # the Ketua coordinates a division himself
    assert Path(info.location.file).name.startswith("PK_02_") and info.location.cell == "B9"


def test_unknown_parent(example):
    _add_row(example / KASUBAG_KEU, "Indikator", 6, {"A": "SK-9", "B": "Sasaran baru", "C": "IK-E1.3",
             "D": "Indikator baru", "E": "%", "F": "90%", "G": "positif", "H": "IK-S.99", "I": "tidak langsung"})
    assert _new_issues(example) == {("parent-unknown", (KASUBAG_KEU, "Indikator", "H6"), (SEKRETARIS, "Indikator", ""))}


def test_missing_and_wrong_level_parent(example):
    _add_row(example / KASUBAG_KEU, "Indikator", 6, {"A": "SK-9", "B": "S", "C": "IK-E1.3", "D": "I", "E": "%",
             "F": "90%", "G": "positif", "I": "tidak langsung"})
    _add_row(example / KASUBAG_KEU, "Indikator", 7, {"A": "SK-9", "B": "S", "C": "IK-E1.4", "D": "I", "E": "%",
             "F": "90%", "G": "positif", "H": "IK-K.2", "I": "tidak langsung"})
    assert _new_issues(example) == {
        ("parent-missing", (KASUBAG_KEU, "Indikator", "H6"), None),
        ("parent-wrong-level", (KASUBAG_KEU, "Indikator", "H7"), (KETUA, "Indikator", "C5")),
    }


def test_sekretaris_indicator_without_kasubag(example):
    _add_row(example / SEKRETARIS, "Indikator", 12, {"A": "SP-9", "B": "Sasaran baru", "C": "IK-S.9",
             "D": "Indikator baru", "E": "%", "F": "90%", "G": "positif", "I": "dukungan manajemen"})
    assert _new_issues(example) == {("indicator-unsupported", (SEKRETARIS, "Indikator", "C12"), None)}


def test_kasubag_target_below_parent(example):
    edit(example / KASUBAG_KEU, "Indikator", "F4", 0.8, number_format="0%")
    assert _new_issues(example) == {
        ("cascade-target-lower", (KASUBAG_KEU, "Indikator", "F4"), (SEKRETARIS, "Indikator", "F5")),
        # the Rencana Aksi still ends at the old 90%: the quarters no longer make the year
        ("tw4-target-mismatch", (KASUBAG_KEU, "Indikator", "N4"), (KASUBAG_KEU, "Indikator", "F4"))}


def test_direct_cascade_keeps_wording(example):
    edit(example / KASUBAG_KEU, "Indikator", "D4", "Persentase masalah keuangan yang selesai")
    assert _new_issues(example) == {
        ("cascade-wording", (KASUBAG_KEU, "Indikator", "D4"), (SEKRETARIS, "Indikator", "D5"))}


def test_negative_polarity_target_may_not_rise(example):
    for name, value in ((SEKRETARIS, 2), (KASUBAG_KEU, 3)):
        edit(example / name, "Indikator", "G5" if name == SEKRETARIS else "G4", "negatif")
        edit(example / name, "Indikator", "E5" if name == SEKRETARIS else "E4", "kali")
        edit(example / name, "Indikator", "F5" if name == SEKRETARIS else "F4", value, number_format="0")
    new = _new_issues(example)
    assert ("cascade-target-lower", (KASUBAG_KEU, "Indikator", "F4"), (SEKRETARIS, "Indikator", "F5")) in new


def test_pihak_kedua_spelled_differently(example):
    edit(example / SEKRETARIS, "Identitas", "B14", "ADE JAHRIAN")
    assert _new_issues(example) == {
        ("pihak-kedua-mismatch", (SEKRETARIS, "Identitas", "B14"), (KETUA, "Identitas", "B9"))}


def test_one_nip_two_names(example):
    edit(example / KASUBAG_TEKNIS, "Identitas", "B11", "19731120 200812 1 002")
    assert _new_issues(example) == {
        ("nip-name-conflict", (KASUBAG_TEKNIS, "Identitas", "B9"), (KASUBAG_KEU, "Identitas", "B9"))}


def test_pk_dated_2021_in_a_2022_set(example):
    edit(example / KASUBAG_TEKNIS, "Identitas", "B20", "27 Januari 2021")
    assert _new_issues(example) == {
        ("date-outside-year", (KASUBAG_TEKNIS, "Identitas", "B20"), (KASUBAG_TEKNIS, "Identitas", "B4"))}


def test_pk_of_another_year(example):
    edit(example / KASUBAG_TEKNIS, "Identitas", "B4", 2021)
    edit(example / KASUBAG_TEKNIS, "Identitas", "B20", "27 Januari 2021")
    new = _new_issues(example)
    assert ("tahun-mismatch", (KASUBAG_TEKNIS, "Identitas", "B4"), (KETUA, "Identitas", "B4")) in new
    assert ("date-outside-year", (KASUBAG_TEKNIS, "Identitas", "B20"), None) in new


def test_rkt_target_differs_from_ketua(example):
    edit(example / "RKT.xlsx", "RKT", "F6", 0.95, number_format="0%")
    assert _new_issues(example) == {
        ("rkt-target-mismatch", (KETUA, "Indikator", "F6"), ("RKT.xlsx", "RKT", "F6")),
        ("renstra-target-mismatch", ("RKT.xlsx", "RKT", "F6"), ("Renstra.xlsx", "Renstra", "J6"))}


def test_kasubag_budget_breaks_the_sum(example):
    edit(example / KASUBAG_KEU, "Anggaran", "C4", 2_800_000_000)
    assert _new_issues(example) == {
        ("budget-sum-mismatch", (SEKRETARIS, "Anggaran", "C7"), (KASUBAG_KEU, "Anggaran", "C4")),
        ("rencana-anggaran-mismatch", (KASUBAG_KEU, "Anggaran", "G4"), (KASUBAG_KEU, "Anggaran", "C4"))}


def test_rkt_budget_and_pagu(example):
    edit(example / "RKT.xlsx", "RKT", "J4", 200_000_000)
    new = _new_issues(example)
    assert new == {
        ("budget-rkt-mismatch", (KETUA, "Anggaran", "C4"), ("RKT.xlsx", "RKT", "J4")),
        ("budget-pagu-mismatch", ("RKT.xlsx", "RKT", ""), ("Realisasi.xlsx", "Realisasi Anggaran", "C4")),
    }


def test_missing_sekretaris_workbook(example):
    (example / SEKRETARIS).unlink()
    assert _new_issues(example) == {("workbook-missing", (example.name, "", ""), None)}


def test_duplicate_workbook_for_one_official(example):
    (example / "PK_07b_Sekretaris_salinan.xlsx").write_bytes((example / SEKRETARIS).read_bytes())
    new = _new_issues(example)
    assert ("workbook-duplicate", ("PK_07b_Sekretaris_salinan.xlsx", "", ""), (SEKRETARIS, "", "")) in new


def test_reports_annotations_and_originals_untouched(example, tmp_path):
    edit(example / SEKRETARIS, "Identitas", "B14", "ADE JAHRIAN")
    before = {p.name: sha256(p) for p in example.iterdir()}
    laporan, marked = tmp_path / "temuan.xlsx", tmp_path / "bertanda"
    result = runner.invoke(app, ["check", str(example), "--laporan", str(laporan), "--annotate", str(marked)])
    assert result.exit_code == 1, result.output
    assert {p.name: sha256(p) for p in example.iterdir()} == before
    ws = openpyxl.load_workbook(laporan)["Temuan"]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    hit = next(r for r in rows if r[2] == "pihak-kedua-mismatch")
    assert (hit[5], hit[6]) == ("Identitas", "B14")
    link = next(c for c in ws[rows.index(hit) + 2] if c.hyperlink)
    assert link.hyperlink.target.endswith(f"{SEKRETARIS}#'Identitas'!B14")
    copy = openpyxl.load_workbook(marked / SEKRETARIS)["Identitas"]["B14"]
    assert "pihak-kedua-mismatch" in copy.comment.text and copy.fill.fgColor.rgb.endswith("F8CBAD")
    ketua = openpyxl.load_workbook(marked / KETUA)["Identitas"]["B9"]  # the other end is marked too
    assert "pihak-kedua-mismatch" in ketua.comment.text


def test_annotated_copies_open_in_libreoffice(example, tmp_path):
    binary = soffice()
    edit(example / KASUBAG_KEU, "Indikator", "F4", 0.8, number_format="0%")
    copies = api.annotate(api.check([example]), tmp_path / "bertanda")
    assert copies
    proc = subprocess.run([binary, "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/p",
                           "--convert-to", "pdf", "--outdir", str(tmp_path / "pdf"), *map(str, copies)],
                          capture_output=True, text=True, timeout=240)
    assert proc.returncode == 0 and len(list((tmp_path / "pdf").glob("*.pdf"))) == len(copies), proc.stderr


def test_formula_text_never_becomes_a_formula(example, tmp_path):
    edit(example / SEKRETARIS, "Identitas", "B14", "=HYPERLINK(\"http://x\",\"klik\")")
    path = api.write_report(api.check([example]), tmp_path / "r.xlsx")
    ws = openpyxl.load_workbook(path)["Temuan"]
    messages = [r[3].value for r in ws.iter_rows(min_row=2)]
    assert any("=HYPERLINK" in m for m in messages)
    assert all(c.data_type != "f" for r in ws.iter_rows() for c in r)


def test_several_satker_folders(example, tmp_path):
    root = tmp_path / "provinsi"
    root.mkdir()
    example.rename(root / "kota_serang")
    other = root / "kota_lain"
    other.mkdir()
    for f in (root / "kota_serang").iterdir():
        (other / f.name).write_bytes(f.read_bytes())
    edit(other / SEKRETARIS, "Identitas", "B14", "ADE JAHRIAN")
    report = api.check([root])
    assert len(report.files) == 2 * 15  # 12 PKs (one revised), RKT, Realisasi, Renstra
    assert {Path(i.location.file).parent.name for i in report.errors} == {"kota_lain"}


def test_cli_check_exit_codes(example):
    assert runner.invoke(app, ["check", str(example)]).exit_code == 0
    edit(example / KASUBAG_KEU, "Anggaran", "C4", 2_800_000_000)
    result = runner.invoke(app, ["check", str(example), "--format", "json"])
    assert result.exit_code == 1 and '"budget-sum-mismatch"' in result.stdout
    assert runner.invoke(app, ["check", str(example / "tidak-ada")]).exit_code == 2


def test_tree_marks_unsupported_and_orphans(example):
    _add_row(example / SEKRETARIS, "Indikator", 12, {"A": "SP-9", "B": "S", "C": "IK-S.9", "D": "I", "E": "%",
             "F": "90%", "G": "positif", "I": "dukungan manajemen"})
    _add_row(example / KASUBAG_KEU, "Indikator", 6, {"A": "SK-9", "B": "S", "C": "IK-E1.3", "D": "I", "E": "%",
             "F": "90%", "G": "positif", "H": "IK-S.99", "I": "tidak langsung"})
    tree = api.tree(example)
    assert [n.kode for n in tree.roots][:6] == ["IK-K.1", "IK-K.2", "IK-K.3", "IK-K.4", "IK-K.5", "IK-K.6"]
    assert tree.flagged() == {"IK-S.9", "IK-E1.3"}
    result = runner.invoke(app, ["tree", str(example)])
    assert result.exit_code == 0 and "IK-S.9" in result.stdout and "tidak didukung" in result.stdout


@pytest.mark.parametrize("suffix, magic", [(".png", b"\x89PNG"), (".svg", b"<?xml")])
def test_tree_image(example, tmp_path, suffix, magic):
    image = tmp_path / f"pohon{suffix}"
    result = runner.invoke(app, ["tree", str(example), "--gambar", str(image)])
    assert result.exit_code == 0, result.output
    assert image.read_bytes().startswith(magic) and image.stat().st_size > 2000
    if suffix == ".svg":
        assert "IK-K.1" in image.read_text(encoding="utf-8")


def test_second_rkt_is_reported_not_ignored(example):
    (example / "RKT_revisi.xlsx").write_bytes((example / "RKT.xlsx").read_bytes())
    assert _new_issues(example) == {("workbook-duplicate", ("RKT_revisi.xlsx", "", ""), ("RKT.xlsx", "", ""))}
    [issue] = [i for i in api.check([example]) if i.code == "workbook-duplicate"]
    assert issue.message.startswith("Ada dua buku kerja Rencana Kinerja Tahunan: ")  # not "dua PK untuk RKT"


def _tree_flags_and_findings(folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    from kinerja_xl.outputs.tree import ORPHAN_CODES, UNSUPPORTED_CODES

    tree = api.tree(folder)
    flags, stack = {}, [*tree.roots, *tree.orphans]
    while stack:
        node = stack.pop()
        if node.flag:
            flags[node.kode] = node.flag
        stack.extend(node.children)
    report = api.check([folder])
    findings = {i.params["kode"]: "orphan" if i.code in ORPHAN_CODES else "unsupported"
                for i in report.issues if i.code in ORPHAN_CODES | UNSUPPORTED_CODES}
    return flags, findings


def test_tree_flags_are_the_checks_findings_for_a_wrong_level_parent(example):
    """Issue 13: with parent-wrong-level the tree drew the indicator as a normal child of the Ketua's."""
    _add_row(example / KASUBAG_KEU, "Indikator", 7, {"A": "SK-9", "B": "Sasaran", "C": "IK-E1.9", "D": "Indikator",
             "E": "%", "F": "90%", "G": "positif", "H": "IK-K.2", "I": "tidak langsung"})
    flags, findings = _tree_flags_and_findings(example)
    assert findings == {"IK-E1.9": "orphan"}
    assert flags == findings
    tree = api.tree(example)
    assert "IK-E1.9" in [n.kode for n in tree.orphans]


def test_tree_flags_are_the_checks_findings_with_a_workbook_missing(example):
    """Issue 13: with one Eselon IV workbook removed the check says workbook-missing only; so does the tree."""
    (example / KASUBAG_TEKNIS).unlink()
    flags, findings = _tree_flags_and_findings(example)
    codes = {i.code for i in api.check([example]).issues if i.severity.value == "error"}
    assert codes == {"workbook-missing"}
    assert flags == findings == {}
