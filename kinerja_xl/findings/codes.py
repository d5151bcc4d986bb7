"""The registry of every finding code: severity, title and message in Bahasa Indonesia.

Codes are stable (kebab-case, never renamed); the README lists them all (a test checks).
``fatal`` marks codes that mean the file could not be read at all, or nothing could run (the CLI exits 2).
Besides the workbooks' findings the registry holds the problems of the other files a user gives:
Word templates (``word-*``), the hierarchy file (``hierarchy-*``) and the PDF conversion (``pdf-*``),
raised as :class:`kinerja_xl.errors.Problem` and shown like any finding.
Templates may use ``{cell}``, ``{sheet}`` and ``{file}`` (filled from the location) and the
parameters passed to :func:`kinerja_xl.findings.issues.make`. The kinds of finding (:class:`IssueType`,
:class:`Severity`) are declared here, so the findings module depends on the registry and not back.
"""

from __future__ import annotations

import string
from dataclasses import dataclass
from enum import StrEnum

LOCATION_PARAMS = frozenset({"file", "sheet", "cell"})
_FORMATTER = string.Formatter()


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def label(self) -> str:
        return {"error": "galat", "warning": "peringatan", "info": "info"}[self.value]


@dataclass(frozen=True)
class IssueType:
    """A kind of finding: its code, severity, title and message template."""

    code: str
    severity: Severity
    title: str
    template: str
    hint: str = ""

    @property
    def params(self) -> tuple[str, ...]:
        """The parameters the message needs, besides the location's ``file``, ``sheet`` and ``cell``
        (the placeholders of the template and the hint): every caller of :func:`make` must give them.

        >>> IssueType("x", Severity.ERROR, "X", "Nilai {value} di {cell}.", "Ganti {value} dengan {expected}.").params
        ('value', 'expected')
        """
        names = [f for text in (self.template, self.hint) for _, f, _, _ in _FORMATTER.parse(text) if f]
        return tuple(dict.fromkeys(n for n in names if n not in LOCATION_PARAMS))



E, W, I = Severity.ERROR, Severity.WARNING, Severity.INFO

_TYPES = (
    # --- the file itself -------------------------------------------------------------------------
    IssueType("file-unreadable", E, "Berkas tidak dapat dibuka",
              "Berkas tidak dapat dibuka: {reason}.", "Periksa apakah berkas ada dan Anda berhak membacanya."),
    IssueType("file-empty", E, "Berkas kosong", "Berkas berukuran 0 byte.",
              "Ambil kembali berkas aslinya atau buat template baru."),
    IssueType("file-not-xlsx", E, "Bukan berkas Excel",
              "Isi berkas bukan buku kerja Excel .xlsx (ekstensi {suffix}).",
              "Buka di Excel lalu simpan sebagai 'Excel Workbook (*.xlsx)'."),
    IssueType("file-xls-legacy", E, "Format Excel lama (.xls)", "Berkas berformat Excel 97-2003 (.xls).",
              "Buka di Excel lalu simpan sebagai 'Excel Workbook (*.xlsx)'."),
    IssueType("file-ods", E, "Format OpenDocument (.ods)",
              "Berkas berformat OpenDocument Spreadsheet (.ods), bukan Excel .xlsx.",
              "Buka di LibreOffice Calc lalu File > Simpan Sebagai, pilih 'Excel 2007-365 (.xlsx)'."),
    IssueType("file-encrypted", E, "Berkas berkata sandi", "Berkas dilindungi kata sandi untuk membuka.",
              "Buka di Excel, hapus kata sandi (File > Info > Protect Workbook), lalu simpan ulang."),
    IssueType("file-corrupt", E, "Berkas rusak", "Berkas rusak atau tidak lengkap ({reason}).",
              "Simpan ulang dari Excel atau gunakan salinan cadangan."),
    IssueType("file-zip-bomb", E, "Berkas terlalu besar setelah diurai",
              "Isi berkas mengembang menjadi {size}, melebihi batas aman.",
              "Buku kerja kinerja tidak sebesar ini; periksa asal berkas atau salin datanya ke template baru."),
    IssueType("file-xml-unsafe", E, "XML berbahaya", "Bagian {part} berisi deklarasi DTD/entitas XML.",
              "Buku kerja Excel tidak memerlukannya; simpan ulang dari Excel atau salin data ke template baru."),
    IssueType("template-unknown", E, "Bukan template kinerja_xl",
              "Buku kerja ini bukan template kinerja_xl: lembar penanda dan lembar yang dikenal tidak ada.",
              "Buat template dengan 'kinerja-xl template new' lalu salin data ke dalamnya."),
    IssueType("template-marker-missing", W, "Penanda template hilang",
              "Lembar penanda template tidak ada; jenis buku kerja ditebak '{kind}' dari nama lembarnya.",
              "Salin data ke template baru agar jenis dan tingkatnya pasti."),
    IssueType("template-version-newer", E, "Versi template lebih baru",
              "Template versi {version} lebih baru daripada yang dikenal kinerja_xl ini (versi {supported}).",
              "Perbarui kinerja_xl."),
    IssueType("template-version-older", W, "Versi template lama",
              "Template versi {version} lebih lama daripada versi terkini ({supported}); tetap dibaca, tanpa yang "
              "baru: {new}.",
              "Buat template baru dengan 'kinerja-xl template set --dari' bila bagian baru itu diperlukan."),
    IssueType("hierarchy-mismatch", W, "Hierarki berbeda",
              "Buku kerja ini dibuat untuk hierarki '{made_for}', tetapi dibaca dengan hierarki '{used}'.",
              "Pakai hierarki yang sama: --hirarki {made_for} di baris perintah, atau berkas hirarki.toml di "
              "folder satker untuk add-in Excel."),
    IssueType("level-unknown", E, "Tingkat tidak dikenal",
              "Tingkat '{level}' tidak dikenal dalam hierarki '{hierarchy}'.",
              "Gunakan template yang dibuat untuk hierarki ini."),
    # --- sheets, labels and headers ----------------------------------------------------------------
    IssueType("sheet-missing", E, "Lembar hilang", "Lembar '{expected}' tidak ditemukan.",
              "Jangan menghapus atau mengganti nama lembar; bila perlu salin data ke template baru."),
    IssueType("sheet-renamed", W, "Lembar berganti nama",
              "Lembar '{expected}' tidak ada; data dibaca dari lembar '{sheet}' yang judul kolomnya sama.",
              "Kembalikan nama lembar menjadi '{expected}'."),
    IssueType("field-missing", E, "Label identitas hilang", "Label '{label}' tidak ditemukan di kolom A.",
              "Kembalikan label '{label}' di kolom A dan isi nilainya di kolom B."),
    IssueType("field-default", W, "Isian penandatanganan kosong",
              "{label} belum diisi (sel {cell}); dokumen memakai {default}.",
              "Isi {label} di lembar Identitas (template lama: tambahkan labelnya di kolom A, atau buat template "
              "baru) agar dokumen memuat tempat dan tanggal yang sebenarnya."),
    IssueType("column-missing", E, "Kolom hilang",
              "Kolom '{column}' tidak ditemukan pada baris judul tabel lembar '{sheet}'.",
              "Kembalikan judul kolom '{column}' (lihat template baru)."),
    IssueType("header-moved", W, "Baris judul berpindah",
              "Baris judul tabel ada di baris {row}, bukan baris {expected}.",
              "Tidak apa-apa bila disengaja; data dibaca mulai baris sesudahnya."),
    IssueType("merged-cells", W, "Sel gabungan di area data",
              "Sel {range} digabung; nilainya dibaca untuk setiap baris yang tercakup.",
              "Sebaiknya pisahkan gabungan sel dan isi setiap baris."),
    IssueType("row-hidden", W, "Baris tersembunyi berisi data",
              "Baris {row} tersembunyi tetapi berisi data yang ikut dibaca.",
              "Tampilkan baris itu (Unhide) dan periksa isinya, atau hapus bila tidak dipakai."),
    IssueType("text-too-long", W, "Teks sangat panjang",
              "{label} berisi {length} karakter (sel {cell}).", "Ringkas rumusannya agar muat di tabel dokumen."),
    IssueType("table-empty", E, "Tabel kosong", "Tabel '{sheet}' belum berisi data.",
              "Isi paling sedikit satu baris di bawah judul kolom."),
    # --- cell values ---------------------------------------------------------------------------------
    IssueType("required-missing", E, "Isian wajib kosong", "{label} wajib diisi (sel {cell}).", ""),
    IssueType("value-not-number", E, "Bukan angka", "{label} harus berupa angka, tertulis '{value}' (sel {cell}).",
              "Tulis angka seperti 90, 90% atau 1.507.029.000."),
    IssueType("value-not-integer", E, "Bukan bilangan bulat",
              "{label} harus bilangan bulat, tertulis '{value}' (sel {cell}).", ""),
    IssueType("target-not-number", E, "Target atau realisasi bukan angka",
              "{label} '{value}' bukan angka, padahal satuan indikator ini '{satuan}' memerlukan angka (sel {cell}).",
              "Tulis angka saja di kolom {label} sel {cell} (mis. 88 atau 88%). Hanya bila indikator ini memang "
              "dinilai dengan predikat (mis. WTP), ubah kolom Satuan baris ini menjadi 'predikat'."),
    IssueType("target-fraction", W, "Pecahan dibaca sebagai persen",
              "Nilai '{value}' pada {label} dibaca sebagai {reading}% (sel {cell}).",
              "Tulis dengan tanda persen (mis. 90%) agar tidak ragu."),
    IssueType("target-range-reversed", E, "Rentang terbalik",
              "Rentang '{value}' terbalik: batas bawah lebih besar daripada batas atas (sel {cell}).",
              "Tulis batas bawah dulu, mis. 80-90%."),
    IssueType("target-negative", E, "Target negatif", "{label} tidak boleh negatif ({value}, sel {cell}).", ""),
    IssueType("percent-over-100", W, "Persen di atas 100",
              "{label} {value}% melebihi 100% (sel {cell}).", "Periksa kembali angkanya."),
    IssueType("amount-negative", E, "Jumlah negatif", "{label} tidak boleh negatif ({value}, sel {cell}).",
              "Tanda ',-' di belakang angka (11.200.000,-) dibaca Excel dan LibreOffice sebagai minus: hapus ',-'."),
    IssueType("number-grouping", E, "Pemisah angka meragukan",
              "{label} '{value}' tidak dapat dibaca dengan pasti: {reason} (sel {cell}).",
              "Tulis titik sebagai pemisah ribuan setiap tiga digit dan koma sebagai desimal, mis. 1.507.029.000 "
              "atau 96,5; atau tulis angkanya tanpa pemisah ribuan."),
    IssueType("amount-fraction", E, "Rupiah berdesimal",
              "{label} {value} bukan jumlah rupiah yang bulat (sel {cell}).",
              "Tulis rupiah tanpa desimal, mis. 2.500. Di Excel dan LibreOffice berbahasa Indonesia koma adalah "
              "tanda desimal: '2,500' tersimpan sebagai 2,5. Hasil rumus bulatkan dengan ROUND."),
    IssueType("number-out-of-range", E, "Angka di luar jangkauan",
              "{label} berisi {value}, di luar jangkauan angka yang dapat dibaca (sel {cell}).",
              "Ketik ulang angkanya; angka sebesar ini (10^15 atau lebih) tidak mungkin benar."),
    IssueType("choice-invalid", E, "Pilihan tidak sah",
              "'{value}' bukan pilihan yang sah untuk {label} (sel {cell}); pilihan: {choices}.",
              "Pilih dari daftar pada sel tersebut."),
    IssueType("date-invalid", E, "Tanggal tidak terbaca", "Tanggal '{value}' tidak dapat dibaca (sel {cell}).",
              "Tulis seperti 27 Januari 2022 atau gunakan format tanggal Excel."),
    IssueType("date-outside-year", E, "Tanggal di luar tahun",
              "Tanggal {value} tidak berada dalam tahun {tahun} (sel {cell}).", "Perbaiki tanggal atau tahunnya."),
    IssueType("pk-date-late", W, "PK ditandatangani terlambat",
              "PK bertanggal {value}; PK lazimnya ditandatangani Januari-Februari, paling lambat sebulan setelah "
              "DIPA disahkan (sel {cell}).", "Bila ini PK revisi, abaikan peringatan ini."),
    IssueType("tahun-invalid", E, "Tahun tidak wajar", "Tahun '{value}' tidak wajar (sel {cell}).",
              "Tulis tahun anggaran empat digit, mis. 2022."),
    IssueType("formula-not-calculated", E, "Rumus belum dihitung",
              "Sel {cell} berisi rumus {formula} tanpa nilai tersimpan (belum pernah dihitung).",
              "Buka berkas di Excel, tekan Ctrl+Alt+F9, lalu simpan."),
    IssueType("formula-error", E, "Galat rumus", "Sel {cell} berisi galat Excel {value}.",
              "Perbaiki rumusnya di Excel lalu simpan."),
    IssueType("agregasi-missing", W, "Agregasi triwulan kosong",
              "Indikator {kode} berisi {filled} triwulan tanpa agregasi; realisasi tahunan dihitung sebagai "
              "jumlahnya (kumulatif) (sel {cell}).",
              "Pilih 'kumulatif', 'triwulan terakhir' atau 'rata-rata', atau isi Realisasi Tahunan."),
    IssueType("duplicate-code", E, "Kode ganda",
              "Kode {kode} dipakai lebih dari sekali (sel {cell}; juga di {other}).",
              "Beri setiap indikator atau kegiatan kode yang unik."),
    # --- NIP -----------------------------------------------------------------------------------------
    IssueType("nip-invalid", E, "NIP tidak sah", "NIP '{value}' berisi karakter selain angka (sel {cell}).",
              "Tulis 18 digit NIP; spasi boleh, mis. 19860926 201505 1 001."),
    IssueType("nip-length", E, "Panjang NIP salah",
              "NIP {value} terdiri atas {length} digit; NIP harus 18 digit (sel {cell}).",
              "Periksa kembali NIP pada SK pengangkatan."),
    IssueType("nip-as-number", E, "NIP tersimpan sebagai angka",
              "NIP tersimpan sebagai angka sehingga digit terakhirnya hilang ({value}, sel {cell}).",
              "Format sel sebagai Teks lalu ketik ulang NIP."),
    IssueType("nip-birthdate-invalid", E, "Tanggal lahir NIP tidak sah",
              "8 digit pertama NIP {value} bukan tanggal lahir yang sah (sel {cell}).",
              "Periksa kembali NIP pada SK pengangkatan."),
    IssueType("nip-gender-invalid", E, "Kode jenis kelamin NIP tidak sah",
              "Digit ke-15 NIP {value} harus 1 atau 2 (sel {cell}).", "Periksa kembali NIP."),
    IssueType("nip-appointment-unusual", W, "TMT pada NIP tidak lazim",
              "Digit ke-9 s.d. 14 NIP {value} bukan bulan pengangkatan yang wajar (sel {cell}).",
              "Abaikan bila ini nomor PPPK; selain itu periksa kembali NIP."),
    IssueType("nip-missing", E, "NIP kosong",
              "Pejabat tingkat {level} adalah ASN dan wajib mencantumkan NIP (sel {cell}).", ""),
    IssueType("nip-unexpected", W, "NIP untuk non-ASN",
              "Pejabat tingkat {level} bukan ASN (komisioner) tetapi NIP diisi (sel {cell}).",
              "Kosongkan NIP bila pejabat ini komisioner."),
    # --- cascade across workbooks --------------------------------------------------------------------
    IssueType("parent-missing", E, "Kode induk kosong",
              "Indikator {kode} tidak menyebut kode induk (sel {cell}).",
              "Isi kode indikator atasan yang didukung, atau pilih cascading 'dukungan manajemen'."),
    IssueType("parent-unknown", E, "Kode induk tidak dikenal",
              "Kode induk {induk} pada indikator {kode} tidak ada di PK {parent_level} (sel {cell}).",
              "Salin kode indikator persis dari PK atasan."),
    IssueType("parent-wrong-level", E, "Kode induk salah tingkat",
              "Kode induk {induk} pada indikator {kode} milik PK {found_level}, bukan PK atasan "
              "{parent_level} (sel {cell}).", "Tunjuk indikator pada PK atasan langsung."),
    IssueType("indicator-unsupported", E, "Indikator tidak didukung",
              "Indikator {kode} ({level}) tidak didukung oleh satu pun indikator tingkat di bawahnya.",
              "Turunkan indikator ini ke PK bawahan dan isi kode induknya dengan {kode}."),
    IssueType("cascade-wording", E, "Rumusan cascading langsung berbeda",
              "Indikator {kode} di-cascade langsung dari {induk} tetapi rumusannya berbeda.",
              "Cascading langsung memakai rumusan yang sama; pilih 'tidak langsung' bila indikator dipecah."),
    IssueType("cascade-target-lower", E, "Target lebih rendah dari induk",
              "Target {kode} ({target}) lebih lemah daripada target induknya {induk} ({parent_target}).",
              "Cascading langsung tidak boleh menurunkan target."),
    IssueType("rkt-missing-indicator", E, "Indikator PK tidak ada di RKT",
              "Indikator {kode} pada PK {level} tidak ada di RKT.", "Samakan PK Ketua dengan RKT."),
    IssueType("rkt-wording-mismatch", E, "Rumusan PK berbeda dari RKT",
              "{label} indikator {kode} berbeda antara PK dan RKT.", "Samakan PK dengan RKT."),
    IssueType("rkt-target-mismatch", E, "Target PK berbeda dari RKT",
              "Target {kode} pada PK ({target}) berbeda dari RKT ({rkt_target}).", "Samakan PK dengan RKT."),
    IssueType("rkt-indicator-unassigned", W, "Indikator RKT tanpa PK",
              "Indikator RKT {kode} tidak ada di PK mana pun.", "Masukkan indikator ini ke PK yang sesuai."),
    IssueType("tahun-mismatch", E, "Tahun berbeda",
              "Tahun {value} berbeda dari tahun set ini ({expected}).", "Satu set dokumen memakai satu tahun."),
    IssueType("satker-mismatch", W, "Satuan kerja berbeda",
              "Satuan kerja '{value}' berbeda dari '{expected}' pada berkas lain.", "Samakan penulisan nama satker."),
    IssueType("pihak-kedua-mismatch", E, "Pihak kedua tidak sama dengan atasan",
              "{label} pihak kedua '{value}' berbeda dari pihak pertama PK atasan '{expected}'.",
              "Salin persis nama, jabatan dan NIP dari PK atasan."),
    IssueType("nip-name-conflict", E, "Satu NIP dua nama",
              "NIP {nip} tertulis untuk dua nama: '{value}' dan '{other}'.", "Satu NIP selalu milik satu orang."),
    IssueType("self-supervised", I, "Ketua merangkap koordinator divisi",
              "Pihak pertama dan pihak kedua PK ini orang yang sama ({value}).",
              "Wajar bila Ketua mengoordinasikan divisi sendiri."),
    IssueType("budget-sum-mismatch", E, "Jumlah anggaran tidak cocok",
              "Anggaran {kode} pada PK bawahan berjumlah {sum}, berbeda dari PK {parent_level} ({expected}).",
              "Samakan pembagian anggaran dengan PK atasan."),
    IssueType("budget-rkt-mismatch", E, "Anggaran PK berbeda dari RKT",
              "Anggaran {kode} pada PK {level} ({value}) berbeda dari RKT ({expected}).", "Samakan dengan RKT."),
    IssueType("budget-pagu-mismatch", E, "Total tidak sama dengan pagu",
              "Total anggaran {what} ({value}) tidak sama dengan total pagu ({expected}).",
              "Periksa baris anggaran yang hilang atau salah ketik."),
    IssueType("realisasi-over-pagu", E, "Realisasi melebihi pagu",
              "Realisasi {kode} ({value}) melebihi pagunya ({expected}) (sel {cell}).", "Periksa kembali angkanya."),
    IssueType("realisasi-unknown-indicator", W, "Realisasi tanpa indikator",
              "Indikator {kode} pada lembar realisasi tidak ada di PK mana pun.", "Periksa kodenya."),
    IssueType("realisasi-target-mismatch", E, "Target realisasi berbeda dari PK",
              "Target {kode} pada lembar realisasi ({target}) berbeda dari PK ({expected}).",
              "Samakan target dengan PK."),
    IssueType("workbook-missing", E, "Buku kerja hilang",
              "PK {level}{unit} tidak ditemukan dalam folder.",
              "Buat dengan 'kinerja-xl template new' dan letakkan di folder yang sama."),
    IssueType("workbook-duplicate", E, "Dua buku kerja untuk satu pejabat atau dokumen",
              "Ada dua buku kerja {level}{unit}: {file} dan {other}.", "Hapus atau pindahkan salah satunya."),
    IssueType("rkt-missing", W, "RKT tidak ada", "Folder tidak memuat buku kerja RKT.",
              "Tambahkan RKT agar PK Ketua dapat dicocokkan."),
    IssueType("realisasi-missing", W, "Realisasi tidak ada", "Folder tidak memuat buku kerja realisasi.",
              "Tambahkan realisasi agar pengukuran kinerja dapat dibuat."),
    IssueType("acting-prefix-in-name", W, "Status pelaksana tugas ditulis di Nama",
              "Nama '{value}' (sel {cell}) diawali '{prefix}': status pelaksana tugas bukan bagian dari nama.",
              "Tulis nama saja di sel ini, dan '{prefix}' di depan jabatan (mis. '{prefix} Kepala Subbagian ...'), "
              "agar nama cocok dengan PK atasan dan bawahannya."),
    IssueType("pihak-kedua-spelling", W, "Penulisan pihak kedua berbeda",
              "{label} pihak kedua '{value}' ditulis lain dari pihak pertama PK atasan '{expected}' (huruf "
              "besar/kecil).", "Samakan penulisannya persis seperti di PK atasan agar kedua dokumen seragam."),
    IssueType("rollup-years-mixed", W, "Rekap mencampur tahun",
              "Satker yang direkap berasal dari lebih dari satu tahun: {years}. Rata-rata dan peringkat antar "
              "tahun tidak sebanding.", "Rekap satu tahun saja dengan --tahun {tahun}, atau perbaiki tahun di "
              "buku kerja satker yang keliru."),
    IssueType("rollup-year-excluded", W, "Satker tahun lain tidak direkap",
              "{satker} bertahun {value}, bukan {tahun}: tidak dimasukkan ke rekap.",
              "Periksa tahun di buku kerja satker ini bila seharusnya {tahun}."),
    IssueType("sasaran-text-differs", W, "Satu kode sasaran, dua rumusan",
              "Sasaran {kode} di sel ini berbunyi '{value}', padahal di baris sebelumnya '{expected}'.",
              "Samakan rumusan sasaran untuk kode yang sama (dokumen mencetaknya sekali per kode), atau beri "
              "kode sasaran lain bila memang sasaran berbeda."),
    IssueType("file-skipped", I, "Berkas dilewati", "Berkas {value} dilewati: {reason}.", ""),
    # The reader's limits (kinerja_xl/reading/grid.py MAX_ROWS, MAX_CELLS) and a reading process that died.
    IssueType("sheet-too-large", E, "Lembar terlalu besar",
              "Lembar '{sheet}' berisi data sampai sel {cell} ({rows} baris x {columns} kolom dari A1); "
              "batasnya {max_rows} baris dan {max_cells} sel, jadi buku kerja ini tidak dibaca.",
              "Biasanya itu isian di luar tabel (satu sel di pojok lembar, kolom yang terisi sampai baris "
              "terakhir): tekan Ctrl+End untuk menemukannya, hapus baris dan kolom yang tidak dipakai, "
              "simpan, lalu periksa lagi."),
    IssueType("file-crashed", E, "Pembacaan berkas gagal",
              "Proses pembaca berhenti mendadak saat membaca berkas ini ({reason}); berkas ini tidak "
              "diperiksa, berkas lain tetap diperiksa.",
              "Buka berkas di Excel lalu simpan ulang, atau salin datanya ke template baru; bila masih "
              "terjadi, kirim berkasnya ke pengelola kinerja_xl."),
    # --- Word templates (kinerja-xl word check, build --template): file = the template, sheet = its part ------
    IssueType("word-kind-unknown", E, "Jenis template Word tidak dikenal",
              "Jenis template tidak dikenal: '{kind}'. Pilih salah satu: {choices}.", ""),
    IssueType("word-folder-missing", E, "Folder template tidak ada", "Folder template tidak ditemukan: {file}", ""),
    IssueType("word-file-missing", E, "Template Word tidak ada", "Berkas template tidak ditemukan: {file}", ""),
    IssueType("word-too-large", E, "Template Word terlalu besar",
              "Template {name} terlalu besar ({size}; batas {limit}).",
              "Perkecil gambar di dalamnya atau simpan ulang dari Word."),
    IssueType("word-part-too-large", E, "Bagian template terlalu besar",
              "Template {name} ditolak: bagian {part} berukuran {size} bila dibuka (batas {limit}).",
              "Template Word yang wajar jauh lebih kecil; simpan ulang dari Word atau buat template baru dari "
              "template bawaan."),
    IssueType("word-zip-bomb", E, "Template Word membengkak (bom zip)",
              "Template {name} ditolak: isinya membengkak menjadi {size} bila dibuka (bom zip).",
              "Simpan ulang dari Word atau buat template baru."),
    IssueType("word-dtd", E, "DTD dalam template Word",
              "Template {name} ditolak: bagian {part} memuat DTD (<!DOCTYPE> atau <!ENTITY>), yang dapat membaca "
              "berkas lain atau membengkak saat dibuka, dan akan tersalin ke setiap dokumen.",
              "Dokumen Word biasa tidak memuatnya; simpan ulang dari Word atau buat template baru dari template "
              "bawaan."),
    IssueType("word-part-invalid", E, "Bagian template bukan XML",
              "Template {name} rusak: bagian {part} bukan XML yang sah ({reason}).",
              "Simpan ulang dari Word sebagai .docx."),
    IssueType("word-external-link", E, "Template menautkan sumber luar",
              "Template {name} ditolak: bagian {part} menautkan sumber di luar berkas ({kind}: {target}).",
              "Word dan LibreOffice mengambil tautan seperti ini saat mencetak, sehingga berkas dari komputer ini "
              "atau alamat internet dapat masuk ke PDF. Sisipkan gambar atau objeknya langsung ke dokumen (bukan "
              "'Link to File'), lalu simpan ulang."),
    IssueType("word-external-address", E, "Gambar template lewat alamat luar",
              "Template {name} ditolak: bagian {part} menautkan sumber di luar berkas ({target}).",
              "Sisipkan gambar atau objeknya langsung ke dokumen (bukan 'Link to File'), lalu simpan ulang."),
    IssueType("word-link-field", E, "Field yang mengambil berkas lain",
              "Template {name} ditolak: bagian {part} memuat field {field} ('{instruction}') yang mengambil berkas "
              "atau alamat lain saat dokumen dibuka atau dicetak.",
              "Hapus field itu dan sisipkan isinya langsung, lalu simpan ulang."),
    IssueType("word-not-docx", E, "Bukan dokumen Word",
              "Template {name} bukan dokumen Word .docx yang sah ({reason}).", "Simpan ulang dari Word sebagai .docx."),
    IssueType("word-syntax", E, "Tag template rusak",
              "Template {name} rusak di sekitar paragraf ke-{paragraph}: {reason}.",
              "Pastikan setiap {{% if %}} dan {{% for %}} ditutup, dan setiap tag diketik dalam satu format huruf "
              "(tidak terpotong)."),
    IssueType("word-placeholder-unknown", E, "Placeholder tidak tersedia",
              "{name}: placeholder '{{{{ {placeholder} }}}}' tidak tersedia dalam data {kind}; periksa ejaannya.",
              "Isian yang tersedia: {available}."),
    IssueType("word-field-unknown", E, "Isian placeholder tidak dikenal",
              "{name}: '{{{{ {placeholder} }}}}' tidak dikenal: '{base}' tidak memiliki isian '{field}'.",
              "Yang ada: {known}."),
    IssueType("word-internal-attribute", E, "Placeholder mengakses atribut internal",
              "{name}: '{{{{ {placeholder} }}}}' mengakses atribut internal yang dilarang; hapus tag tersebut.", ""),
    IssueType("word-internal-access", E, "Akses internal diblokir",
              "Template {name} ditolak: sebuah tag mencoba mengakses atribut internal '{attribute}' (milik objek "
              "{owner}).", "Akses seperti ini diblokir demi keamanan; hapus tag tersebut dari template."),
    IssueType("word-refused", E, "Tag template ditolak",
              "Template {name} ditolak demi keamanan: {reason}.", "Hapus tag tersebut dari template."),
    IssueType("word-limit", E, "Pengisian template melewati batas",
              "Template {name} dihentikan: {reason}.",
              "Template dokumen kinerja tidak memerlukan sebanyak ini; periksa perulangan ({{% for %}}), makro dan "
              "perkalian di dalamnya."),
    IssueType("word-too-deep", E, "Pengisian template terlalu dalam",
              "Template {name} dihentikan: pengisiannya terlalu dalam atau terlalu besar ({error}).",
              "Periksa makro yang memanggil dirinya sendiri dan perulangan di dalamnya."),
    IssueType("word-field-unavailable", E, "Template memakai isian yang tidak ada",
              "Template {name} memakai isian yang tidak tersedia ({reason}).",
              "Periksa ejaan placeholder; daftar isian yang tersedia dapat dilihat dengan pemeriksaan template."),
    IssueType("word-render-failed", E, "Template gagal diisi", "Template {name} gagal diisi: {reason}.", ""),
    # --- the hierarchy file (--hirarki, hirarki.toml): file = the TOML file ------------------------------------
    IssueType("hierarchy-file-missing", E, "Berkas hierarki tidak ada", "Berkas hierarki tidak ditemukan: {file}",
              ""),
    IssueType("hierarchy-file-invalid", E, "Berkas hierarki bukan TOML",
              "Berkas hierarki {file} tidak dapat dibaca sebagai TOML: {reason}", ""),
    IssueType("hierarchy-file-incomplete", E, "Berkas hierarki tidak lengkap",
              "Berkas hierarki {file} tidak lengkap: kunci {key} tidak ada atau salah jenis.", ""),
    IssueType("hierarchy-level-duplicate", E, "Id tingkat ganda", "Berkas hierarki {file}: id tingkat ganda.", ""),
    IssueType("hierarchy-top-not-one", E, "Tingkat teratas tidak tunggal",
              "Berkas hierarki {file}: harus ada tepat satu tingkat tanpa induk.", ""),
    IssueType("hierarchy-parent-unknown", E, "Induk tingkat tidak ada",
              "Berkas hierarki {file}: induk '{induk}' dari tingkat '{level}' tidak ada.", ""),
    IssueType("hierarchy-unit-parent-unknown", E, "Induk unit tidak ada",
              "Berkas hierarki {file}: unit '{unit}' menyebut induk '{induk}' yang bukan unit tingkat '{parent}'.", ""),
    IssueType("hierarchy-cycle", E, "Hubungan induk berputar",
              "Berkas hierarki {file}: hubungan induk berputar pada '{level}'.", ""),
    # --- the SAKIP year (template version 3): Renstra, Rencana Aksi, monitoring, PK Perubahan ---------------
    IssueType("renstra-target-mismatch", W, "Target RKT berbeda dari Renstra",
              "Target {kode} tahun {tahun} pada RKT ({target}) berbeda dari target Renstra tahun itu ({renstra_target}).",
              "Samakan target RKT dengan Renstra, atau perbarui Renstra bila targetnya telah direviu."),
    IssueType("renstra-realisasi-target-differs", W, "Target Renstra di Realisasi berbeda dari Renstra",
              "Target Renstra {kode} di buku kerja Realisasi ({typed}) berbeda dari target akhir Renstra tahun "
              "{tahun} di buku kerja Renstra ({renstra_target}); dokumen memakai target buku kerja Renstra.",
              "Samakan sel ini dengan buku kerja Renstra, atau kosongkan sel ini."),
    IssueType("renstra-indicator-unknown", W, "Indikator RKT tidak ada di Renstra",
              "Indikator RKT {kode} tidak ada di Renstra {periode}.",
              "Tambahkan indikator ini ke Renstra, atau isi kolom IKU dengan 'tidak' bila memang bukan IKU."),
    IssueType("renstra-year-outside", W, "Tahun di luar periode Renstra",
              "Tahun {tahun} berada di luar periode Renstra {periode}.",
              "Pakai buku kerja Renstra periode yang mencakup tahun ini."),
    IssueType("renstra-period-invalid", E, "Periode Renstra tidak sah",
              "Periode Renstra {awal}-{akhir} tidak sah: tahun akhir harus sesudah tahun awal, paling lama lima tahun.",
              "Isi Tahun Awal dan Tahun Akhir, misalnya 2020 dan 2024."),
    IssueType("renstra-target-missing", W, "Target Renstra kosong",
              "Indikator {kode} tidak punya target Renstra untuk tahun {tahun} (sel {cell}).",
              "Isi target tahun itu di lembar Renstra."),
    IssueType("manual-iku-missing", W, "Manual IKU belum ada",
              "Indikator {kode} tidak punya baris Manual IKU (definisi operasional, formula, sumber data).",
              "Tambahkan satu baris untuk {kode} di lembar Manual IKU."),
    IssueType("manual-iku-unknown", W, "Manual IKU tanpa indikator Renstra",
              "Manual IKU untuk {kode} tidak punya indikator di lembar Renstra.",
              "Perbaiki kodenya atau tambahkan indikatornya ke lembar Renstra."),
    IssueType("rencana-aksi-empty", W, "Rencana Aksi belum diisi",
              "PK ini belum memuat target triwulan (Rencana Aksi) untuk {count} indikator.",
              "Isi Target TW I-IV setiap indikator di lembar Indikator."),
    IssueType("tw-target-incomplete", W, "Target triwulan tidak lengkap",
              "Indikator {kode} hanya memuat target {filled}; {empty} kosong (sel {cell}).",
              "Isi target keempat triwulan."),
    IssueType("tw-agregasi-missing", W, "Agregasi triwulan kosong",
              "Indikator {kode} memuat target triwulan tanpa Agregasi Triwulan (sel {cell}).",
              "Pilih 'kumulatif' (triwulan dijumlah), 'triwulan terakhir' (TW IV = setahun) atau 'rata-rata'."),
    IssueType("tw4-target-mismatch", E, "Target triwulan tidak sama dengan target tahunan",
              "Target {kode} setahun dari triwulan ({agregasi}: {computed}) berbeda dari target tahunan ({target}).",
              "Samakan target triwulan dengan target tahunan menurut agregasinya."),
    IssueType("tw-target-falls", W, "Target triwulan menurun",
              "Target {kode} {tw} ({value}) lebih lemah daripada {previous_tw} ({previous}), padahal capaiannya "
              "berlanjut (agregasi triwulan terakhir).",
              "Target status s.d. triwulan tidak boleh mundur; periksa urutan target TW."),
    IssueType("tw-target-below-parent", W, "Target triwulan di bawah induk",
              "Target {kode} {tw} ({value}) lebih lemah daripada target induknya {induk} pada triwulan itu ({parent}).",
              "Cascading langsung tidak boleh menurunkan target, juga per triwulan."),
    IssueType("rencana-anggaran-mismatch", W, "Rencana anggaran triwulan tidak sama dengan anggaran",
              "Rencana anggaran triwulan {kode} berjumlah {computed}, berbeda dari anggaran {jumlah}.",
              "Samakan jumlah Rencana TW I-IV dengan Anggaran (Rp)."),
    IssueType("tw-realisasi-gap", W, "Realisasi triwulan melompat",
              "Realisasi {kode} {tw} diisi, tetapi {previous_tw} masih kosong (sel {previous_cell}).",
              "Isi realisasi {previous_tw} lebih dulu (0 bila memang nihil)."),
    IssueType("monitoring-kode-unknown", W, "Monitoring untuk indikator lain",
              "Baris monitoring {kode} tidak cocok dengan indikator PK ini.",
              "Pakai kode indikator dari lembar Indikator."),
    IssueType("monitoring-anggaran-over", W, "Realisasi anggaran triwulan melebihi anggaran",
              "Realisasi anggaran {kode} s.d. {tw} ({realisasi}) melebihi anggaran PK ({jumlah}).",
              "Periksa angka realisasi; revisi DIPA memerlukan PK Perubahan."),
    IssueType("monitoring-realisasi-differs", W, "Realisasi triwulan berbeda antar buku kerja",
              "Realisasi {kode} {tw} di monitoring PK ({value}) berbeda dari buku kerja Realisasi ({expected}).",
              "Satu angka untuk satu triwulan: samakan keduanya."),
    IssueType("realisasi-derived-differs", W, "Realisasi berbeda dari hitungan bawahan",
              "Realisasi {kode} {tw} ({value}) berbeda dari {penurunan} realisasi bawahannya ({expected}).",
              "Manual IKU menurunkan realisasi ini dari bawahan; periksa salah satunya."),
    IssueType("revision-superior-mismatch", E, "Pihak kedua bukan atasan yang berlaku",
              "{label} pihak kedua '{value}' bukan pihak pertama PK atasan yang berlaku pada {tanggal} ('{expected}').",
              "Salin pihak pertama PK atasan yang berlaku pada tanggal PK ini (PK awal atau PK Perubahan)."),
    IssueType("revision-chain-broken", E, "Revisi PK tidak berurutan",
              "PK Perubahan revisi ke-{revisi} untuk {level}{unit} tanpa PK revisi ke-{previous}.",
              "Simpan PK sebelumnya di folder yang sama; nomor revisi naik satu per satu."),
    IssueType("revision-date-order", E, "Tanggal berlaku revisi tidak urut",
              "PK revisi ke-{revisi} berlaku mulai {tanggal}, tidak sesudah PK sebelumnya ({previous})."
              , "Isi Berlaku Mulai dengan tanggal SK atau revisi DIPA yang lebih baru."),
    IssueType("revision-reason-missing", W, "Alasan perubahan kosong",
              "PK revisi ke-{revisi} tanpa Alasan Perubahan (sel {cell}).",
              "Tulis alasannya, misalnya pelantikan pejabat definitif atau revisi DIPA ke-5."),
    IssueType("revision-previous-unknown", W, "Berkas PK sebelumnya tidak ditemukan",
              "Berkas PK Sebelumnya '{value}' tidak ada di folder ini.",
              "Tulis nama berkas PK yang diubah persis seperti di folder."),
    # --- PDF through LibreOffice (build --pdf): file = the output folder -------------------------------------
    IssueType("pdf-unavailable", E, "LibreOffice tidak ada",
              "LibreOffice tidak ditemukan (perintah 'soffice' atau 'libreoffice'), sehingga PDF tidak dapat dibuat.",
              "Pasang LibreOffice dari https://www.libreoffice.org lalu ulangi, atau buat dokumen Word saja."),
    IssueType("pdf-timeout", E, "LibreOffice terlalu lama",
              "LibreOffice tidak selesai dalam {seconds} detik; PDF tidak dibuat.", ""),
    IssueType("pdf-failed", E, "PDF tidak dihasilkan",
              "LibreOffice tidak menghasilkan {missing} (kode {returncode}).{detail}", ""),
    IssueType("pdf-name-duplicate", E, "Nama dokumen ganda",
              "Nama berkas ganda: setiap dokumen harus punya nama berbeda agar PDF-nya tidak tertimpa ({names}).", ""),
)

REGISTRY: dict[str, IssueType] = {t.code: t for t in _TYPES}
assert len(REGISTRY) == len(_TYPES), "duplicate issue code"

FATAL = frozenset({"file-unreadable", "file-empty", "file-not-xlsx", "file-xls-legacy", "file-ods", "file-encrypted",
                   "file-corrupt", "file-zip-bomb", "file-xml-unsafe", "template-unknown",
                   "template-version-newer"})
FATAL |= {"sheet-too-large", "file-crashed"}  # the workbook was not read (issue 14.9, 14.10)
# Nothing could run: the hierarchy file is unusable, or no PDF could be made. A Word template's problems are
# not fatal: ``word check`` judged the template (exit 1), as ``validate`` judges a workbook's data.
FATAL |= {code for code in REGISTRY
          if code.startswith("pdf-") or (code.startswith("hierarchy-") and code != "hierarchy-mismatch")}


def markdown_table() -> str:
    """The registry as the Markdown table in README.md (``kinerja-xl kode --markdown``)."""
    lines = ["| kode | sifat | arti / meaning |", "|---|---|---|"]
    for code, kind in REGISTRY.items():
        severity = kind.severity.label + (" (keluar 2)" if code in FATAL else "")
        lines.append(f"| `{code}` | {severity} | {kind.title} |")
    return "\n".join(lines) + "\n"
