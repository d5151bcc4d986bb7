"""Synthetic satker for the benchmarks: names, texts and a consistent cascade, from a seed.

Pure planning, no files: :func:`plan_satker` returns what each workbook of one satker holds, in
the shape :mod:`benchmarks.generate` writes through the project's own template writer. The
cascade follows the bundled example (workbooks/make_example.py): the Ketua's indicators are
handed down unchanged (``langsung``) to the Koordinator Divisi and the Sekretaris, the
Sekretaris' to the four Kepala Subbagian, every budget line belongs to exactly one subbagian,
and the RKT and the realisasi repeat the Ketua's figures, so a satker without a seeded defect
checks clean.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from typing import Any

PERCENT = "0%"

PROVINSI = (
    "Aceh", "Sumatera Utara", "Sumatera Barat", "Riau", "Jambi", "Sumatera Selatan", "Bengkulu", "Lampung",
    "Kepulauan Bangka Belitung", "Kepulauan Riau", "DKI Jakarta", "Jawa Barat", "Jawa Tengah",
    "Daerah Istimewa Yogyakarta", "Jawa Timur", "Banten", "Bali", "Nusa Tenggara Barat", "Nusa Tenggara Timur",
    "Kalimantan Barat", "Kalimantan Tengah", "Kalimantan Selatan", "Kalimantan Timur", "Kalimantan Utara",
    "Sulawesi Utara", "Sulawesi Tengah", "Sulawesi Selatan", "Sulawesi Tenggara", "Gorontalo", "Sulawesi Barat",
    "Maluku", "Maluku Utara", "Papua", "Papua Barat", "Papua Selatan", "Papua Tengah", "Papua Pegunungan",
    "Papua Barat Daya",
)
_ROOTS = ("Suka", "Tanjung", "Batu", "Sungai", "Karang", "Bukit", "Muara", "Lubuk", "Pulau", "Teluk", "Air",
          "Kota", "Banjar", "Padang", "Sido", "Giri", "Wono", "Mekar", "Sri", "Talang")
_TAILS = ("maju", "jaya", "makmur", "raya", "sari", "indah", "agung", "mulya", "baru", "harjo", "rejo", "kencana",
          "permai", "asri", "lestari", "tengah", "barat", "timur", "utara", "selatan", "wangi", "kerta", "sentosa")
_GIVEN = ("ADE", "AGUS", "AHMAD", "BUDI", "CITRA", "DEDI", "DEWI", "DIAN", "EKO", "ENCEP", "FAJAR", "FITRI",
          "HENDRA", "HERI", "IKA", "IWAN", "JOKO", "KARTIKA", "LINA", "M.", "MAYA", "NUR", "PUTRI", "RAHMAT",
          "RINA", "SITI", "SRI", "TOMI", "WAHYU", "YANTI", "YUDI", "ZAINAL")
_FAMILY = ("HARAHAP", "HIDAYAT", "JAHRAN", "KURNIAWAN", "LUBIS", "MUSTAFA", "NASUTION", "PRATAMA", "PURNOMO",
           "RAHMAN", "SAPUTRA", "SETIAWAN", "SIREGAR", "SULISTYO", "SUPRIADI", "SUSANTO", "WIBOWO", "WIJAYA")

_SASARAN_HEAD = ("Terwujudnya", "Meningkatnya", "Terselenggaranya", "Tersedianya", "Terlaksananya", "Menguatnya")
_SASARAN_OBJ = (
    "penyelenggaraan Pemilu dan Pemilihan sesuai jadwal dan tahapan", "pengelolaan keuangan yang tertib dan akuntabel",
    "data pemilih yang mutakhir dan berkelanjutan", "pelayanan informasi hukum yang cepat dan akurat",
    "layanan informasi dan data kepemiluan yang tepat", "reformasi birokrasi dan zona integritas",
    "partisipasi masyarakat dalam Pemilu dan Pemilihan", "sarana dan prasarana logistik Pemilu yang memadai",
    "kapasitas sumber daya manusia penyelenggara", "perencanaan program dan anggaran yang berkualitas",
    "pengawasan internal dan tindak lanjut hasil pemeriksaan", "pendidikan pemilih bagi kelompok rentan",
)
_TAIL = ("secara tepat waktu, transparan dan akuntabel", "sesuai dengan standar operasional prosedur yang berlaku",
         "dengan memanfaatkan sistem informasi yang terintegrasi", "bagi seluruh pemangku kepentingan")
_IND_OBJ = (
    "ketepatan waktu penetapan jadwal tahapan dan petunjuk teknis penyelenggaraan",
    "permasalahan pengelolaan keuangan yang dapat diselesaikan", "pemutakhiran data pemilih berkelanjutan",
    "informasi produk hukum yang disajikan secara cepat, tepat, dan akurat",
    "informasi dan publikasi tahapan yang ditayangkan paling lambat satu hari kerja",
    "penilaian mandiri pelaksanaan reformasi birokrasi", "realisasi anggaran dan target kinerja sesuai perjanjian kinerja",
    "ketersediaan fasilitas perkantoran yang berfungsi dengan baik", "pegawai yang mengikuti pengembangan kompetensi",
    "rekomendasi hasil pemeriksaan yang telah ditindaklanjuti", "kegiatan sosialisasi yang menjangkau pemilih pemula",
    "dokumen perencanaan yang disusun tepat waktu",
)
_KEGIATAN = (
    "Belanja Gaji, Tunjangan dan Uang Kehormatan", "Operasional dan Pemeliharaan Kantor",
    "Layanan Sarana dan Prasarana Internal", "Layanan Data dan Informasi", "Dokumentasi dan Informasi Produk Hukum",
    "Penerbitan Bahan Informasi Kepemiluan dan Publikasi", "Pengelolaan Desain Surat Suara dan Formulir",
    "Pembentukan Tim Reformasi Birokrasi dan Agen Perubahan", "Sosialisasi dan Pendidikan Pemilih",
    "Pemutakhiran Data Pemilih Berkelanjutan", "Pengembangan Kompetensi Sumber Daya Manusia",
    "Penyusunan Rencana Program dan Anggaran", "Monitoring dan Evaluasi Kinerja", "Pengelolaan Logistik Pemilu",
)

KORDIV_UNITS = (
    "Keuangan, Umum, Rumah Tangga dan Logistik", "Sosialisasi, Pendidikan Pemilih, Partisipasi Masyarakat dan SDM",
    "Perencanaan, Data dan Informasi", "Teknis Penyelenggaraan", "Hukum dan Pengawasan",
)
ESELON4_UNITS = (
    "Keuangan, Umum dan Logistik", "Teknis Penyelenggaraan Pemilu dan Hukum", "Perencanaan, Data dan Informasi",
    "Partisipasi, Hubungan Masyarakat dan SDM",
)
DEFECT_KINDS = ("kode-induk", "target-lebih-rendah", "nip-17-digit", "anggaran-tidak-cocok")


def satker_name(index: int) -> str:
    """Index 0 is the national office, 1-38 the provinces, then kabupaten/kota (as KPU RI's 553)."""
    if index == 0:
        return "KPU Republik Indonesia"
    if index <= len(PROVINSI):
        return f"KPU Provinsi {PROVINSI[index - 1]}"
    n = index - len(PROVINSI) - 1
    place = _ROOTS[n % len(_ROOTS)] + _TAILS[(n // len(_ROOTS)) % len(_TAILS)]
    round_ = n // (len(_ROOTS) * len(_TAILS))
    kind = "Kota" if n % 5 == 0 else "Kabupaten"
    return f"KPU {kind} {place}" + (f" {'I' * (round_ + 1)}" if round_ else "")


@dataclass
class Sheet:
    """Rows for one table sheet, with the number formats the filler applies."""

    rows: list[dict[str, Any]]
    number_formats: dict[str, str] = field(default_factory=dict)


@dataclass
class Book:
    """One workbook to write: template kind and level, the identity form and the tables."""

    filename: str
    kind: str  # "pk" | "rkt" | "realisasi"
    level: str = ""
    unit: str = ""
    form: dict[str, Any] = field(default_factory=dict)
    tables: dict[str, Sheet] = field(default_factory=dict)  # spec table name -> rows


@dataclass
class Defect:
    """A seeded defect: where it is and the finding ``kinerja-xl check`` must give there."""

    kind: str
    file: str
    sheet: str
    cell: str
    code: str


def _text(rng: random.Random, head: tuple[str, ...], obj: tuple[str, ...], satker: str) -> str:
    """A sasaran or indikator of 60 to 200 characters, as they read in real PKs."""
    text = f"{rng.choice(head)} {rng.choice(obj)}"
    if rng.random() < 0.6:
        text += f" di lingkungan {satker}"
    while len(text) < 60 or (len(text) < 120 and rng.random() < 0.4):
        text += f" {rng.choice(_TAIL)}"
    if len(text) > 200:
        text = text[:200].rsplit(" ", 1)[0].rstrip(",")
    return text


def _person(rng: random.Random) -> str:
    return f"{rng.choice(_GIVEN)} {rng.choice(_FAMILY)}"


def _nip(rng: random.Random, tahun: int) -> str:
    """An 18-digit NIP: birth date, appointment month (18 to 30 years after birth), gender, number."""
    born = dt.date(rng.randint(1965, 1995), rng.randint(1, 12), rng.randint(1, 28))
    appointed = min(born.year + rng.randint(20, 30), tahun - 1)
    return f"{born:%Y%m%d}{appointed}{rng.randint(1, 12):02d}{rng.choice('12')}{rng.randint(1, 999):03d}"


def _indicator(rng: random.Random, satker: str, n: int) -> dict[str, Any]:
    """One Ketua indicator: mostly percent targets as fractions in a % cell, some counts."""
    if rng.random() < 0.8:
        satuan, target, head = "%", rng.choice((0.8, 0.85, 0.9, 0.95, 1.0)), ("Persentase", "Tingkat")
    else:
        satuan, target, head = rng.choice(("dokumen", "laporan", "kegiatan")), rng.randint(2, 24), ("Jumlah",)
    return {"kode_sasaran": f"SS-{n}", "sasaran": _text(rng, _SASARAN_HEAD, _SASARAN_OBJ, satker),
            "indikator": _text(rng, head, _IND_OBJ, satker), "satuan": satuan, "target": target,
            "polaritas": "positif"}


def _row(source: dict[str, Any], kode: str, *, induk: str = "", cascading: str = "",
         kode_sasaran: str | None = None) -> dict[str, Any]:
    row = {k: source[k] for k in ("kode_sasaran", "sasaran", "indikator", "satuan", "target", "polaritas")}
    row |= {"kode": kode, "kode_induk": induk, "cascading": cascading}
    # Rencana Aksi (template version 3): a status to date that stands at the year's target every quarter
    row |= {"agregasi": "triwulan terakhir", **{f"target_tw{i}": source["target"] for i in range(1, 5)}}
    if kode_sasaran:
        row["kode_sasaran"] = kode_sasaran
    return row


def _spread(rng: random.Random, items: list[str], holders: int) -> list[list[str]]:
    """Give every holder at least one item and every item at least one holder."""
    shuffled = items[:]
    rng.shuffle(shuffled)
    out: list[list[str]] = [[] for _ in range(holders)]
    for i, item in enumerate(shuffled):
        out[i % holders].append(item)
    for bucket in out:
        if not bucket:
            bucket.append(rng.choice(items))
    return out


def _partition(rng: random.Random, items: list[str], holders: int) -> list[list[str]]:
    """Split ``items`` over ``holders``: each item exactly once, every holder at least one item."""
    assert len(items) >= holders, (len(items), holders)
    shuffled = items[:]
    rng.shuffle(shuffled)
    return [sorted(shuffled[i::holders], key=items.index) for i in range(holders)]


def plan_satker(index: int, *, seed: int, tahun: int, filenames: dict[tuple[str, str], str],
                defect: str | None = None) -> tuple[list[Book], list[Defect]]:
    """Every workbook of satker ``index``; with ``defect`` (one of DEFECT_KINDS) one seeded defect."""
    rng = random.Random(f"{seed}:{index}")
    satker = satker_name(index)
    tempat = satker.removeprefix("KPU ").removeprefix("Provinsi ").removeprefix("Kabupaten ").removeprefix("Kota ")
    tanggal = dt.date(tahun, 1, rng.randint(2, 31))
    ketua = (_person(rng), f"Ketua {satker}", None)
    sekretaris = (_person(rng), f"Sekretaris {satker}", _nip(rng, tahun))

    # Ketua: 5-8 indicators; now and then two share a sasaran, as in real PKs.
    k_src: dict[str, dict[str, Any]] = {}
    for n in range(1, rng.randint(5, 8) + 1):
        ind = _indicator(rng, satker, n)
        if k_src and rng.random() < 0.25:
            last = list(k_src.values())[-1]
            ind |= {"kode_sasaran": last["kode_sasaran"], "sasaran": last["sasaran"]}
        k_src[f"IK-K.{n}"] = ind
    k_codes = list(k_src)

    # Sekretaris: part of the Ketua's indicators handed down, plus 2-3 of its own (dukungan manajemen).
    handed = sorted(rng.sample(k_codes, rng.randint(max(2, len(k_codes) // 2), len(k_codes))), key=k_codes.index)
    s_src: dict[str, dict[str, Any]] = {}
    s_induk: dict[str, str] = {}
    own_codes: list[str] = []
    plan = [("k", k) for k in handed] + [("own", None)] * rng.randint(2, 3)
    for j, (origin, induk) in enumerate(plan, start=1):
        code = f"IK-S.{j}"
        if origin == "k":
            s_src[code], s_induk[code] = k_src[induk], induk
        else:
            own = _indicator(rng, satker, j)
            own["kode_sasaran"] = f"SP-{j}"
            s_src[code] = own
            own_codes.append(code)
    s_codes = list(s_src)

    # Kegiatan: one per RKT indicator (the Ketua's and the Sekretaris' own), as in the example: the
    # validator reads an indicator repeated on a second RKT row as a duplicate code.
    rkt_codes = k_codes + own_codes
    n_keg = len(rkt_codes)
    kegiatan: dict[str, tuple[str, int, int]] = {}
    for n in range(1, n_keg + 1):
        name = _KEGIATAN[(n - 1) % len(_KEGIATAN)] + (f" Tahap {(n - 1) // len(_KEGIATAN) + 1}" if n > len(_KEGIATAN) else "")
        pagu = rng.randint(1_500_000, 4_000_000) * 1000 if n == 1 else rng.randint(10_000, 500_000) * 1000
        kegiatan[f"KEG-{n:02d}"] = (name, pagu, min(pagu, round(pagu * rng.uniform(0.85, 1.0), -3)))
    keg_codes = list(kegiatan)
    keg_of = dict(zip(rkt_codes, _partition(rng, keg_codes, len(rkt_codes))))
    all_budget = [{"kode": k, "uraian": kegiatan[k][0], "jumlah": kegiatan[k][1]} for k in keg_codes]

    books: list[Book] = []
    defects: list[Defect] = []

    def pk(level: str, unit: str, pp: tuple, kedua: tuple | None, rows: list[dict], budget: list[dict]) -> Book:
        form = {"pp_nama": pp[0], "pp_jabatan": pp[1], "pp_nip": pp[2], "tempat": tempat, "tanggal": tanggal}
        if kedua:
            form |= {"pk_nama": kedua[0], "pk_jabatan": kedua[1], "pk_nip": kedua[2]}
        book = Book(filenames[(level, unit)], "pk", level, unit, {k: v for k, v in form.items() if v is not None},
                    {"Indikator": Sheet(rows), "Anggaran": Sheet(budget)})
        books.append(book)
        return book

    pk("ketua", "", ketua, None, [_row(k_src[k], k) for k in k_codes], all_budget)
    ketua_division = rng.randrange(len(KORDIV_UNITS)) if rng.random() < 0.5 else None
    kordiv = []
    for d, (unit, codes) in enumerate(zip(KORDIV_UNITS, _partition(rng, k_codes, len(KORDIV_UNITS))), start=1):
        nama = ketua[0] if d - 1 == ketua_division else _person(rng)
        rows = [_row(k_src[k], f"IK-D{d}.{j}", induk=k, cascading="langsung") for j, k in enumerate(codes, start=1)]
        kordiv.append(pk("kordiv", unit, (nama, f"Koordinator Divisi {unit} {satker}", None), ketua, rows, []))
    s_rows = [_row(s_src[s], s, induk=s_induk.get(s, ""),
                   cascading="langsung" if s in s_induk else "dukungan manajemen") for s in s_codes]
    sek_book = pk("sekretaris", "", sekretaris, ketua, s_rows, all_budget)
    eselon4 = []
    for e, (unit, codes, kegs) in enumerate(zip(ESELON4_UNITS, _partition(rng, s_codes, len(ESELON4_UNITS)),
                                                 _partition(rng, keg_codes, len(ESELON4_UNITS))), start=1):
        plt = "Plt. " if rng.random() < 0.2 else ""
        rows = [_row(s_src[s], f"IK-E{e}.{j}", induk=s, cascading="langsung", kode_sasaran=f"SK-{e}.{j}")
                for j, s in enumerate(codes, start=1)]
        budget = [b for b in all_budget if b["kode"] in kegs]
        eselon4.append(pk("eselon4", unit, (_person(rng), f"{plt}Kepala Subbagian {unit} {satker}", _nip(rng, tahun)),
                          sekretaris, rows, budget))

    rkt_rows = []
    for code in rkt_codes:
        src = k_src.get(code) or s_src[code]
        for keg in keg_of[code]:
            rkt_rows.append(_row(src, code) | {"kode_kegiatan": keg, "kegiatan": kegiatan[keg][0],
                                               "anggaran": kegiatan[keg][1]})
    for row in rkt_rows:  # the RKT has no parent and no Rencana Aksi
        for key in ("kode_induk", "cascading", "agregasi", "target_tw1", "target_tw2", "target_tw3", "target_tw4"):
            del row[key]
    books.append(Book(filenames[("rkt", "")], "rkt", form={"tempat": tempat, "tanggal": tanggal},
                      tables={"RKT": Sheet(rkt_rows)}))

    real_rows = [_realisasi_row(rng, code, k_src.get(code) or s_src[code]) for code in rkt_codes]
    budget_rows = [{"kode": k, "uraian": v[0], "pagu": v[1], "realisasi": v[2]} for k, v in kegiatan.items()]
    narasi = [{"bagian": key, "judul": title, "teks": _narasi(rng, title, satker, tahun)} for key, title in NARASI_PARTS]
    signed = {"tempat": tempat, "tanggal_pengukuran": dt.date(tahun + 1, 1, 15),
              "tanggal_laporan": dt.date(tahun + 1, 1, 31)}
    books.append(Book(filenames[("realisasi", "")], "realisasi", form=signed,
                      tables={"Realisasi Indikator": Sheet(real_rows), "Realisasi Anggaran": Sheet(budget_rows),
                              "Narasi": Sheet(narasi)}))
    for book in books:
        book.form |= {"satker": satker, "tahun": tahun}

    if defect == "kode-induk":
        book = rng.choice(eselon4)
        book.tables["Indikator"].rows[0]["kode_induk"] = "IK-S.99"
        defects.append(Defect(defect, book.filename, "Indikator", "H4", "parent-unknown"))
    elif defect == "target-lebih-rendah":
        book = rng.choice(kordiv)
        row = book.tables["Indikator"].rows[0]
        row["target"] = round(row["target"] - 0.05, 2) if row["satuan"] == "%" else row["target"] - 1
        row |= {f"target_tw{i}": row["target"] for i in range(1, 5)}  # the Rencana Aksi follows the (lower) target
        defects.append(Defect(defect, book.filename, "Indikator", "F4", "cascade-target-lower"))
    elif defect == "nip-17-digit":
        book = rng.choice(eselon4)
        book.form["pp_nip"] = book.form["pp_nip"][:17]
        defects.append(Defect(defect, book.filename, "Identitas", "B11", "nip-length"))
    elif defect == "anggaran-tidak-cocok":
        book = rng.choice(eselon4)
        line = book.tables["Anggaran"].rows[0] = dict(book.tables["Anggaran"].rows[0])
        line["jumlah"] += 1_000_000
        row = 4 + keg_codes.index(line["kode"])
        defects.append(Defect(defect, sek_book.filename, "Anggaran", f"C{row}", "budget-sum-mismatch"))
    elif defect is not None:
        raise ValueError(f"unknown defect kind {defect!r}")
    return books, defects


NARASI_PARTS = (
    ("kata_pengantar", "Kata Pengantar"), ("ikhtisar", "Ikhtisar Eksekutif"), ("latar_belakang", "Latar Belakang"),
    ("maksud_tujuan", "Maksud dan Tujuan"), ("tugas_fungsi", "Tugas Pokok dan Fungsi"),
    ("struktur_organisasi", "Struktur Organisasi"), ("renstra", "Rencana Strategis"),
    ("analisis", "Analisis Capaian"), ("penutup", "Penutup"),
)


def _narasi(rng: random.Random, title: str, satker: str, tahun: int) -> str:
    sentences = [f"Bagian {title.lower()} ini disusun oleh {satker} untuk Laporan Kinerja Tahun {tahun}."]
    for _ in range(rng.randint(2, 5)):
        sentences.append(f"{rng.choice(_SASARAN_HEAD)} {rng.choice(_SASARAN_OBJ)} {rng.choice(_TAIL)}.")
    return " ".join(sentences)


def _realisasi_row(rng: random.Random, code: str, src: dict[str, Any]) -> dict[str, Any]:
    row = {"kode": code, "indikator": src["indikator"], "satuan": src["satuan"], "target": src["target"],
           "polaritas": "positif", "keterangan": _text(rng, _SASARAN_HEAD, _SASARAN_OBJ, "unit kerja")}
    target = src["target"]
    if src["satuan"] == "%":
        final = min(1.0, round(target * rng.uniform(0.8, 1.1), 4))
        steps = sorted(round(final * rng.uniform(0.6, 1.0), 4) for _ in range(3)) + [final]
        row |= {"agregasi": "triwulan terakhir", "tahun_lalu": round(target * rng.uniform(0.8, 1.0), 4),
                "target_renstra": min(1.0, round(target + 0.05, 2))}
    else:
        total = max(1, round(target * rng.uniform(0.7, 1.2)))
        cuts = sorted(rng.randint(0, total) for _ in range(3))
        steps = [b - a for a, b in zip([0, *cuts], [*cuts, total])]
        row |= {"agregasi": "kumulatif", "tahun_lalu": max(1, target - rng.randint(0, 2)), "target_renstra": target + 2}
    row |= dict(zip(("tw1", "tw2", "tw3", "tw4"), steps))
    return row
