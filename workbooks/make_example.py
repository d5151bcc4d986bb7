"""Write the bundled example: the KPU Kota Serang 2022 set, transcribed from the reference LAKIP.

Run from the repository root:  python workbooks/make_example.py [FOLDER]
The workbooks are written through the project's own template writer, so they are exactly what a
user gets from ``kinerja-xl template set`` and then fills in. See workbooks/README.md for every
reading made from the (noisy) reference and for the figures that are invented.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

from kinerja_xl import spec
from kinerja_xl.levels import load_hierarchy
from kinerja_xl.model import Kind
from kinerja_xl.outputs.templates import fill_form, fill_table, new_workbook, save, set_filenames

SATKER = "KPU Kota Serang"
TAHUN = 2022
TEMPAT = "Serang"
TANGGAL = dt.date(2022, 1, 27)
# The satker's own documents (invented: the reference prints no date for them).
TANGGAL_RKT = dt.date(2022, 1, 3)
TANGGAL_PENGUKURAN = dt.date(2023, 1, 13)
TANGGAL_LAPORAN = dt.date(2023, 1, 31)
PERCENT = "0%"  # what Excel applies when someone types 90%

KETUA = ("ADE JAHRAN", "Ketua KPU Kota Serang", None)
SEKRETARIS = ("HENDRO SULISTYO", "Sekretaris KPU Kota Serang", "197012102000031001")

# Sasaran and indikator of the Ketua (organisation level), as in the RKT.
K = {
    "IK-K.1": ("SS-1", "Terwujudnya Penyelenggaraan Pemilu/Pemilihan Sesuai Jadwal",
               "Persentase ketepatan waktu dalam penetapan jadwal tahapan dan petunjuk teknis penyelenggaraan "
               "Pemilu/Pemilihan oleh KPU Kota Serang", 1.0),
    "IK-K.2": ("SS-2", "Terselesaikannya permasalahan pengelolaan keuangan",
               "Persentase permasalahan dalam pengelolaan keuangan yang dapat diselesaikan", 1.0),
    "IK-K.3": ("SS-3", "Terwujudnya Data Pemilih secara Berkelanjutan",
               "Persentase pemutakhiran data pemilih berkelanjutan", 0.9),
    "IK-K.4": ("SS-4", "Terlaksananya pengelolaan dan pelayanan informasi hukum",
               "Persentase informasi produk hukum yang disajikan secara cepat, tepat, dan akurat sesuai dengan SOP",
               0.9),
    "IK-K.5": ("SS-5", "Meningkatnya kualitas layanan informasi dan data yang tepat serta akurat",
               "Persentase informasi dan publikasi tahapan Pemilu/Pemilihan yang ditayangkan di media publikasi "
               "KPU paling lambat 1 (satu) hari kerja", 0.9),
    "IK-K.6": ("SS-6", "Terwujudnya Reformasi Birokrasi di KPU Kota Serang",
               "Persentase KPU Kota Serang mendapatkan nilai minimal 8 untuk penilaian mandiri Reformasi Birokrasi",
               0.9),
}
# The Sekretaris' own support (dukungan manajemen) indicators, also in the RKT.
S_OWN = {
    "IK-S.3": ("SP-3", "Terwujudnya Perencanaan Anggaran dan Akuntabilitas Kinerja KPU Kota Serang",
               "Persentase tercapainya realisasi anggaran dan target kinerja sesuai dengan perjanjian kinerja", 0.9),
    "IK-S.4": ("SP-4", "Terwujudnya Dukungan Sarana dan Prasarana guna Meningkatkan Kelancaran Tugas KPU",
               "Persentase ketersediaan fasilitas perkantoran untuk mendukung kinerja pegawai yang berfungsi dengan "
               "baik di lingkungan kantor KPU Kota Serang", 1.0),
}
# Sekretaris: kode -> kode induk at the Ketua (None = dukungan manajemen).
S_PLAN = [("IK-S.1", "IK-K.1"), ("IK-S.2", "IK-K.2"), ("IK-S.3", None), ("IK-S.4", None),
          ("IK-S.5", "IK-K.3"), ("IK-S.6", "IK-K.4"), ("IK-S.7", "IK-K.5"), ("IK-S.8", "IK-K.6")]

# Koordinator Divisi: unit -> (nama, [(kode, kode induk)]).
KORDIV = {
    "Keuangan, Umum, Rumah Tangga dan Logistik": ("ADE JAHRAN", [("IK-D1.1", "IK-K.2")]),
    "Sosialisasi, Pendidikan Pemilih, Partisipasi Masyarakat dan SDM": ("M. FAHMI MUSTAFA", [("IK-D2.1", "IK-K.5")]),
    "Perencanaan, Data dan Informasi": ("KEMAS HASANUDIN", [("IK-D3.1", "IK-K.3")]),
    "Teknis Penyelenggaraan": ("HERI HIDAYAT HARAHAP", [("IK-D4.1", "IK-K.1")]),
    "Hukum dan Pengawasan": ("FATMUDIN", [("IK-D5.1", "IK-K.4"), ("IK-D5.2", "IK-K.6")]),
}

# Kegiatan and budget (pagu), with the Kasubag who runs each one and its realisasi.
KEGIATAN = {
    "KEG-01": ("Pengelolaan Desain Surat Suara, Formulir dan Alat Bantu Tuna Netra Pemilu/Pemilihan",
               214_416_000, 210_118_500, "IK-K.1"),
    "KEG-02": ("Dokumentasi dan Informasi Produk Hukum", 48_750_000, 46_980_000, "IK-K.4"),
    "KEG-03": ("Penerbitan Bahan Informasi Kepemiluan dan Publikasi", 96_300_000, 93_615_000, "IK-K.5"),
    "KEG-04": ("Belanja Gaji, Tunjangan dan Uang Kehormatan", 2_868_386_000, 2_778_455_134, "IK-K.2"),
    "KEG-05": ("Operasional dan Pemeliharaan Kantor", 465_812_000, 442_311_000, "IK-S.3"),
    "KEG-06": ("Layanan Sarana dan Prasarana Internal", 21_000_000, 20_850_000, "IK-S.4"),
    "KEG-07": ("Layanan Data dan Informasi", 14_045_000, 13_926_000, "IK-K.3"),
    "KEG-08": ("Pembentukan Tim Reformasi Birokrasi dan Agen Perubahan", 12_500_000, 11_200_000, "IK-K.6"),
}

# Kepala Subbagian (Eselon IV): unit -> (nama, NIP, Plt?, [(kode, kode induk)], [kegiatan]).
ESELON4 = {
    "Keuangan, Umum dan Logistik": ("TOMI IRAWAN", "197311202008121002", False,
                                    [("IK-E1.1", "IK-S.2"), ("IK-E1.2", "IK-S.4")], ["KEG-04", "KEG-05", "KEG-06"]),
    "Teknis Penyelenggaraan Pemilu dan Hukum": ("DIAR NOVIANTI", "198111072009122004", True,
                                                [("IK-E2.1", "IK-S.1"), ("IK-E2.2", "IK-S.6")], ["KEG-01", "KEG-02"]),
    "Perencanaan, Data dan Informasi": ("EKLIN BERLINA", "199005202019032009", True,
                                        [("IK-E3.1", "IK-S.3"), ("IK-E3.2", "IK-S.5")], ["KEG-07"]),
    "Partisipasi, Hubungan Masyarakat dan SDM": ("ENCEP SUPRIADI", "197004022009031002", False,
                                                 [("IK-E4.1", "IK-S.7"), ("IK-E4.2", "IK-S.8")], ["KEG-03", "KEG-08"]),
}

# Realisasi per indicator (invented where the reference has no figure; see README.md):
# kode -> (TW I..IV, realisasi tahun lalu, target Renstra, penyebab dan solusi)
REALISASI = {
    "IK-K.1": ((1.0, 1.0, 1.0, 1.0), 1.0, 1.0, "Jadwal tahapan ditetapkan tepat waktu melalui rapat pleno."),
    "IK-K.2": ((1.0, 1.0, 1.0, 1.0), 1.0, 1.0, "Seluruh temuan pengelolaan keuangan ditindaklanjuti."),
    "IK-K.3": ((0.85, 0.88, 0.9, 0.92), 0.88, 0.95,
               "Pemutakhiran data pemilih berkelanjutan dilakukan tiap bulan bersama Disdukcapil."),
    "IK-K.4": ((0.8, 0.85, 0.9, 0.95), 0.9, 0.95, "Produk hukum diunggah ke JDIH paling lambat satu hari kerja."),
    "IK-K.5": ((0.85, 0.9, 0.92, 0.93), 0.85, 0.95,
               "Publikasi tahapan terkendala jaringan pada TW I; diatasi dengan jadwal unggah harian."),
    "IK-K.6": ((0.7, 0.75, 0.8, 0.85), 0.75, 1.0,
               "Penilaian mandiri RB belum mencapai target; agen perubahan akan dibimbing lebih intensif."),
    "IK-S.3": ((0.22, 0.45, 0.7, 0.9669), 0.941, 0.95, "Realisasi anggaran 96,69% dari pagu."),
    "IK-S.4": ((1.0, 1.0, 1.0, 1.0), 1.0, 1.0, "Fasilitas perkantoran berfungsi baik sepanjang tahun."),
}

# --- the SAKIP year (template version 3) -------------------------------------------------------------
RENSTRA_AWAL, RENSTRA_AKHIR = 2020, 2024
RENSTRA_PENETAPAN = "Keputusan KPU Nomor 197/PR.01.3-Kpt/01/KPU/IV/2020 tentang Rencana Strategis KPU 2020-2024"
# IKU of the Renstra (the Ketua's indicators): baseline 2019, target 2020..2024 (2022 = the RKT's, 2024 = the
# "Target Renstra" of Realisasi.xlsx), realisasi 2020 and 2021 (2021 = "Realisasi Tahun Lalu"), standar nasional.
RENSTRA = {
    "IK-K.1": (1.0, (1.0, 1.0, 1.0, 1.0, 1.0), (1.0, 1.0), 1.0),
    "IK-K.2": (0.95, (1.0, 1.0, 1.0, 1.0, 1.0), (0.98, 1.0), None),
    "IK-K.3": (0.8, (0.85, 0.88, 0.9, 0.92, 0.95), (0.84, 0.88), 0.9),
    "IK-K.4": (0.8, (0.85, 0.88, 0.9, 0.92, 0.95), (0.86, 0.9), None),
    "IK-K.5": (0.75, (0.8, 0.85, 0.9, 0.92, 0.95), (0.8, 0.85), None),
    "IK-K.6": (0.6, (0.7, 0.8, 0.9, 0.95, 1.0), (0.68, 0.75), 0.8),
}
MANUAL_IKU = {  # kode -> (definisi operasional, formula, sumber data, penanggung jawab)
    "IK-K.1": ("Ketepatan waktu penetapan jadwal tahapan dan petunjuk teknis sesuai batas waktu peraturan KPU.",
               "Jumlah jadwal dan juknis yang ditetapkan tepat waktu / jumlah jadwal dan juknis yang harus "
               "ditetapkan x 100%", "Keputusan KPU Kota Serang; berita acara rapat pleno",
               "Divisi Teknis Penyelenggaraan"),
    "IK-K.2": ("Permasalahan pengelolaan keuangan (temuan BPK dan Inspektorat) yang ditindaklanjuti tuntas.",
               "Jumlah temuan yang diselesaikan / jumlah temuan x 100%", "LHP BPK; laporan tindak lanjut",
               "Subbagian Keuangan, Umum dan Logistik"),
    "IK-K.3": ("Pemutakhiran data pemilih berkelanjutan yang dilaksanakan setiap bulan dan ditetapkan dalam rapat pleno.",
               "Jumlah bulan pemutakhiran yang ditetapkan / 12 x 100%", "Berita acara rekapitulasi DPB",
               "Divisi Perencanaan, Data dan Informasi"),
    "IK-K.4": ("Produk hukum yang dipublikasikan di JDIH paling lambat satu hari kerja sesudah ditetapkan sesuai SOP.",
               "Jumlah produk hukum yang dipublikasikan tepat waktu / jumlah produk hukum x 100%",
               "Laman JDIH KPU Kota Serang", "Divisi Hukum dan Pengawasan"),
    "IK-K.5": ("Informasi tahapan yang ditayangkan di media publikasi KPU paling lambat satu hari kerja.",
               "Jumlah informasi yang ditayangkan tepat waktu / jumlah informasi tahapan x 100%",
               "Laman dan media sosial KPU Kota Serang", "Divisi Sosialisasi, Pendidikan Pemilih, Partisipasi "
               "Masyarakat dan SDM"),
    "IK-K.6": ("Penilaian mandiri pelaksanaan Reformasi Birokrasi (PMPRB) dengan nilai minimal 8.",
               "Jumlah area perubahan bernilai minimal 8 / jumlah area perubahan x 100%", "Hasil PMPRB",
               "Divisi Hukum dan Pengawasan"),
}
# Rencana Aksi: the target of each quarter, status to date ("triwulan terakhir": TW IV is the year's target).
RENCANA_AKSI = {1.0: (1.0, 1.0, 1.0, 1.0), 0.9: (0.8, 0.85, 0.9, 0.9)}
RENCANA_AKSI_KODE = {"IK-S.3": (0.2, 0.45, 0.7, 0.9)}  # realisasi anggaran: builds up over the year
BUDGET_PLAN = (0.2, 0.25, 0.25, 0.3)  # share of the budget planned per quarter
BUDGET_SPENT = (0.15, 0.25, 0.25, 0.35)  # share of the kegiatan's realisasi spent per quarter
NOT_REPORTED_TW4 = "Hukum dan Pengawasan"  # the Koordinator Divisi who has not sent TW IV yet
# The one PK Perubahan: the Plt. Kasubag Perencanaan is replaced by a definitive Kasubag from 1 July.
REVISED_UNIT = "Perencanaan, Data dan Informasi"
REVISION = {"pp_nama": "RIZKY ANDRIANSYAH", "pp_nip": "198807142011011003", "revisi": 1,
            "tanggal": dt.date(2022, 7, 1), "berlaku": dt.date(2022, 7, 1),
            "alasan": "Pelantikan Kepala Subbagian Perencanaan, Data dan Informasi definitif (Keputusan Sekretaris "
                      "Jenderal KPU Nomor 512/KP.03-Kpt/05/SJ/VI/2022)"}
REVISED_QUARTERS = 2  # the earlier PK reported TW I and II; the revision reports the whole year

NARASI = {
    "kata_pengantar": (
        "Puji dan syukur kami ucapkan kehadirat Allah SWT, atas limpahan rahmat dan karunia-Nya sehingga Laporan "
        "Kinerja Tahun 2022 Komisi Pemilihan Umum Kota Serang dapat diselesaikan dengan baik. Laporan ini disusun "
        "sebagai wujud pelaksanaan Peraturan Presiden Nomor 29 Tahun 2014 tentang Sistem Akuntabilitas Kinerja "
        "Instansi Pemerintah dan Peraturan Menteri PAN-RB Nomor 53 Tahun 2014."),
    "ikhtisar": (
        "Laporan Kinerja KPU Kota Serang Tahun 2022 merupakan pertanggungjawaban atas pelaksanaan Perjanjian "
        "Kinerja Tahun 2022. KPU Kota Serang menetapkan sasaran strategis dan indikator kinerja yang diukur "
        "capaiannya pada laporan ini."),
    "latar_belakang": (
        "Sebagaimana diamanatkan dalam Undang-Undang Nomor 7 Tahun 2017, Komisi Pemilihan Umum merupakan lembaga "
        "yang bersifat nasional, tetap dan mandiri dalam menyelenggarakan pemilu. KPU Kota Serang menjalankan "
        "tugasnya secara berkesinambungan dan hierarkis dari KPU Provinsi Banten dan KPU."),
    "maksud_tujuan": (
        "Laporan ini disusun sebagai wujud pertanggungjawaban KPU Kota Serang atas pelaksanaan tugas dan fungsinya, "
        "dan sebagai bahan analisis untuk meningkatkan kinerja di masa yang akan datang."),
    "tugas_fungsi": (
        "Berdasarkan Pasal 18 Undang-Undang Nomor 7 Tahun 2017, KPU Kabupaten/Kota bertugas antara lain "
        "menjabarkan program dan melaksanakan anggaran serta melaksanakan semua tahapan penyelenggaraan di "
        "kabupaten/kota."),
    "struktur_organisasi": (
        "KPU Kota Serang terdiri atas lima anggota yang membagi tugas dalam lima divisi, didukung Sekretariat yang "
        "dipimpin Sekretaris dengan empat subbagian."),
    "renstra": (
        "Rencana Strategis KPU 2020-2024 ditetapkan dengan Keputusan KPU Nomor 197/PR.01.3-Kpt/01/KPU/IV/2020 dan "
        "menjadi acuan Rencana Kinerja Tahunan 2022."),
    "analisis": (
        "KPU Kota Serang secara umum mencapai target kinerja yang ditetapkan pada tahun 2022. Indikator yang belum "
        "mencapai target dianalisis penyebabnya beserta langkah perbaikannya."),
    "penutup": (
        "Laporan Kinerja KPU Kota Serang Tahun 2022 merupakan wujud akuntabilitas kinerja KPU dalam menjalankan "
        "tugasnya. Hasil capaian kinerja secara umum memenuhi target yang telah ditetapkan."),
}


def _ind(kode: str, source: dict, *, induk: str | None, cascading: str | None, kode_sasaran: str | None = None):
    ss, sasaran, nama, target = source
    row = {"kode_sasaran": kode_sasaran or ss, "sasaran": sasaran, "kode": kode, "indikator": nama,
           "satuan": "%", "target": target, "polaritas": "positif", "kode_induk": induk or "",
           "cascading": cascading or ""}
    return row | _rencana_aksi(kode, induk, target)


def _all_indicators() -> dict[str, tuple]:
    return {**K, **S_OWN}


def _induk_of() -> dict[str, str | None]:
    """Every PK indicator's parent kode (None: the Ketua's own, or dukungan manajemen)."""
    out: dict[str, str | None] = {k: None for k in _all_indicators()}
    out |= dict(S_PLAN)
    out |= {kode: induk for _, plan in KORDIV.values() for kode, induk in plan}
    out |= {kode: induk for *_, plan, _ in ESELON4.values() for kode, induk in plan}
    return out


def _root(kode: str) -> str:
    """The Ketua (or Sekretaris' own) indicator a directly cascaded one comes down from."""
    induk = _induk_of()
    while induk.get(kode):
        kode = induk[kode]
    return kode


def _rencana_aksi(kode: str, induk: str | None, target: float) -> dict:
    root = _root(kode)
    plan = RENCANA_AKSI_KODE.get(root) or RENCANA_AKSI[target]
    return {"agregasi": "triwulan terakhir", **{f"target_tw{i}": t for i, t in enumerate(plan, 1)}}


def _cascaded(kode: str, induk: str | None) -> dict:
    if induk is None:
        return _ind(kode, S_OWN[kode], induk=None, cascading="dukungan manajemen")
    ss = _all_indicators()[induk][0]
    row = _ind(kode, _all_indicators()[induk], induk=induk, cascading="langsung", kode_sasaran=ss)
    return row


def _split(total: int, shares: tuple[float, ...]) -> list[int]:
    """Whole rupiah per quarter; the last quarter takes the rounding."""
    parts = [round(total * x) for x in shares[:-1]]
    return [*parts, total - sum(parts)]


def _monitoring(rows: list[dict], quarters: int) -> list[dict]:
    out = []
    for row in rows:
        tw, *_ , keterangan = REALISASI[_root(row["kode"])]
        entry = {"kode": row["kode"], "indikator": row["indikator"]}
        for i in range(1, quarters + 1):
            entry[f"tw{i}"] = tw[i - 1]
            if tw[i - 1] < row[f"target_tw{i}"]:
                entry[f"kendala_tw{i}"] = keterangan
                entry[f"tindak_lanjut_tw{i}"] = "Dibahas pada rapat evaluasi triwulan; perbaikan dipantau bulanan."
        out.append(entry)
    return out


def _pk(folder: Path, filename: str, level: str, unit: str, pp: tuple, pk: tuple | None, indikator: list[dict],
        kegiatan: list[str], *, status: str | None = None, quarters: int = 4, extra: dict | None = None) -> None:
    hierarchy = load_hierarchy()
    wb = new_workbook(Kind.PK, level=level, unit=unit, satker=SATKER, tahun=TAHUN, hierarchy=hierarchy)
    values = {"pp_nama": pp[0], "pp_jabatan": pp[1], "pp_nip": pp[2], "tempat": TEMPAT, "tanggal": TANGGAL,
              "pp_status": status}
    if pk:
        values |= {"pk_nama": pk[0], "pk_jabatan": pk[1], "pk_nip": pk[2]}
    values |= extra or {}
    fill_form(wb, Kind.PK, {k: v for k, v in values.items() if v is not None})
    pct = {k: PERCENT for k in ("target", "target_tw1", "target_tw2", "target_tw3", "target_tw4")}
    fill_table(wb, spec.PK_INDIKATOR, indikator, number_formats=pct)
    fill_table(wb, spec.PK_ANGGARAN, [
        {"kode": k, "uraian": KEGIATAN[k][0], "jumlah": KEGIATAN[k][1],
         **{f"rencana_tw{i}": x for i, x in enumerate(_split(KEGIATAN[k][1], BUDGET_PLAN), 1)}} for k in kegiatan])
    fill_table(wb, spec.PK_MONITORING, _monitoring(indikator, quarters),
               number_formats={f"tw{i}": PERCENT for i in range(1, 5)})
    fill_table(wb, spec.PK_MONITORING_ANGGARAN, [
        {"kode": k, "uraian": KEGIATAN[k][0],
         **{f"realisasi_tw{i}": x for i, x in enumerate(_split(KEGIATAN[k][2], BUDGET_SPENT)[:quarters], 1)}}
        for k in kegiatan])
    save(wb, folder / filename)


def revised_name(name: str, revisi: int) -> str:
    """The file of a PK Perubahan: the earlier PK's name with "_Perubahan_<n>"."""
    return name.removesuffix(".xlsx") + f"_Perubahan_{revisi}.xlsx"


def main(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    names = {(lv.id if lv else kind.value, unit): name for kind, lv, unit, name in set_filenames(load_hierarchy())}
    all_keg = list(KEGIATAN)

    ketua_rows = [_ind(k, v, induk=None, cascading=None) for k, v in K.items()]
    _pk(folder, names[("ketua", "")], "ketua", "", KETUA, None, ketua_rows, all_keg)

    for unit, (nama, plan) in KORDIV.items():
        rows = [_cascaded(kode, induk) for kode, induk in plan]
        jabatan = f"Koordinator Divisi {unit} KPU Kota Serang"
        _pk(folder, names[("kordiv", unit)], "kordiv", unit, (nama, jabatan, None), KETUA, rows, [],
            quarters=3 if unit == NOT_REPORTED_TW4 else 4)

    rows = [_cascaded(kode, induk) if induk else _cascaded(kode, None) for kode, induk in S_PLAN]
    _pk(folder, names[("sekretaris", "")], "sekretaris", "", SEKRETARIS, KETUA, rows, all_keg)

    s_source = {kode: (_all_indicators()[induk] if induk else S_OWN[kode]) for kode, induk in S_PLAN}
    for unit, (nama, nip, plt, plan, kegiatan) in ESELON4.items():
        rows = []
        for kode, induk in plan:
            ss, sasaran, ind, target = s_source[induk]
            # one kode per sasaran text: SS-3 and SP-3 are different sasaran, so SK-3 and SK-S3
            rows.append({"kode_sasaran": ss.replace("SS-", "SK-").replace("SP-", "SK-S"), "sasaran": sasaran, "kode": kode,
                         "indikator": ind, "satuan": "%", "target": target, "polaritas": "positif",
                         "kode_induk": induk, "cascading": "langsung"} | _rencana_aksi(kode, induk, target))
        jabatan = f"Kepala Subbagian {unit} KPU Kota Serang"  # "Plt." is the Status field, not the jabatan
        status = "Plt." if plt else None
        name = names[("eselon4", unit)]
        if unit != REVISED_UNIT:
            _pk(folder, name, "eselon4", unit, (nama, jabatan, nip), SEKRETARIS, rows, kegiatan, status=status)
            continue
        _pk(folder, name, "eselon4", unit, (nama, jabatan, nip), SEKRETARIS, rows, kegiatan, status=status,
            quarters=REVISED_QUARTERS)
        revision = {k: v for k, v in REVISION.items() if not k.startswith("pp_")} | {"sebelumnya": name}
        _pk(folder, revised_name(name, REVISION["revisi"]), "eselon4", unit,
            (REVISION["pp_nama"], jabatan, REVISION["pp_nip"]), SEKRETARIS, rows, kegiatan, extra=revision)

    rkt = new_workbook(Kind.RKT, satker=SATKER, tahun=TAHUN)
    rkt_rows = []
    for kode, (ss, sasaran, nama, target) in _all_indicators().items():
        kegiatan = [k for k, v in KEGIATAN.items() if v[3] == kode]
        first = True
        for keg in kegiatan:  # one row per kegiatan; the indicator repeats like in the official table
            rkt_rows.append({"kode_sasaran": ss, "sasaran": sasaran, "kode": kode, "indikator": nama, "satuan": "%",
                             "target": target, "polaritas": "positif", "kode_kegiatan": keg,
                             "kegiatan": KEGIATAN[keg][0], "anggaran": KEGIATAN[keg][1],
                             "iku": "ya" if kode in RENSTRA else "tidak"})
            first = False
        assert not first, kode
    fill_form(rkt, Kind.RKT, {"tempat": TEMPAT, "tanggal": TANGGAL_RKT})
    fill_table(rkt, spec.RKT_TABLE, rkt_rows, number_formats={"target": PERCENT})
    save(rkt, folder / names[("rkt", "")])

    real = new_workbook(Kind.REALISASI, satker=SATKER, tahun=TAHUN)
    fill_form(real, Kind.REALISASI, {"tempat": TEMPAT, "tanggal_pengukuran": TANGGAL_PENGUKURAN,
                                     "tanggal_laporan": TANGGAL_LAPORAN})
    rows = []
    for kode, (tw, lalu, renstra, ket) in REALISASI.items():
        _, _, nama, target = _all_indicators()[kode]
        rows.append({"kode": kode, "indikator": nama, "satuan": "%", "target": target, "polaritas": "positif",
                     "agregasi": "triwulan terakhir", "tw1": tw[0], "tw2": tw[1], "tw3": tw[2], "tw4": tw[3],
                     "tahun_lalu": lalu, "target_renstra": renstra, "keterangan": ket})
    pct = {k: PERCENT for k in ("target", "tw1", "tw2", "tw3", "tw4", "tahun_lalu", "target_renstra")}
    fill_table(real, spec.REALISASI_INDIKATOR, rows, number_formats=pct | {"tw4": "0.00%"})
    fill_table(real, spec.REALISASI_ANGGARAN,
               [{"kode": k, "uraian": v[0], "pagu": v[1], "realisasi": v[2]} for k, v in KEGIATAN.items()])
    fill_table(real, spec.NARASI, [{"bagian": key, "judul": title, "teks": NARASI[key]}
                                   for key, title in spec.NARASI_PARTS])
    save(real, folder / names[("realisasi", "")])

    plan = new_workbook(Kind.RENSTRA, satker=SATKER)
    fill_form(plan, Kind.RENSTRA, {"periode_awal": RENSTRA_AWAL, "periode_akhir": RENSTRA_AKHIR,
                                   "penetapan": RENSTRA_PENETAPAN})
    rows = []
    for kode, (baseline, targets, done, standar) in RENSTRA.items():
        ss, sasaran, nama, _ = K[kode]
        assert targets[TAHUN - RENSTRA_AWAL] == K[kode][3], kode  # the RKT's target is the Renstra's of 2022
        rows.append({"kode_sasaran": ss, "sasaran": sasaran, "kode": kode, "indikator": nama, "satuan": "%",
                     "polaritas": "positif", "baseline": baseline,
                     **{f"target_{i}": t for i, t in enumerate(targets, 1)},
                     **{f"realisasi_{i}": r for i, r in enumerate(done, 1)},
                     **({"standar": standar} if standar is not None else {})})
    keys = ("baseline", "standar", *(f"target_{i}" for i in range(1, 6)), *(f"realisasi_{i}" for i in range(1, 6)))
    fill_table(plan, spec.RENSTRA_TABLE, rows, number_formats={k: PERCENT for k in keys})
    fill_table(plan, spec.MANUAL_IKU, [
        {"kode": kode, "indikator": K[kode][2], "definisi": d, "formula": f, "sumber_data": src,
         "penanggung_jawab": pj, "cascading": "langsung", "periode": "triwulanan"}
        for kode, (d, f, src, pj) in MANUAL_IKU.items()])
    save(plan, folder / names[("renstra", "")])


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
