"""What the demo programme is made of: its regions and towns, people's names, buyers, words."""

from __future__ import annotations

from dataclasses import dataclass

from server.designers.tables import BusinessType

SCHEME = "SKKNI Industri Pakaian Jadi"
MAIN_ISSUER = "LSP Garmen Indonesia"
# Certificates from before the programme: the ones that have lapsed by now.
OLDER_ISSUERS = ("LSP Busana Indonesia", "LSP Tata Busana Nusantara")
CERTIFICATE_YEARS = 3


@dataclass(frozen=True)
class Region:
    """One cohort of the programme: where its tailors live and how it was trained."""

    key: str
    cohort_name: str
    province_code: str
    tailors: int
    towns: tuple[tuple[str, int], ...]  # (kabupaten/kota code, weight)
    cultures: tuple[tuple[str, int], ...]  # (name pool, weight)
    place: str
    trainer: str
    issuers: tuple[str, ...]
    trained_days_ago: int
    skill_bias: tuple[tuple[str, int], ...] = ()


REGIONS = (
    Region(
        key="jawa_barat",
        cohort_name="Bimbingan dan Sertifikasi Jawa Barat Angkatan 1",
        province_code="32",
        tailors=165,
        towns=(
            ("32.73", 40),  # Kota Bandung
            ("32.04", 22),  # Kabupaten Bandung (Majalaya, Soreang)
            ("32.77", 12),  # Kota Cimahi
            ("32.17", 9),  # Kabupaten Bandung Barat
            ("32.78", 10),  # Kota Tasikmalaya
            ("32.06", 5),  # Kabupaten Tasikmalaya
            ("32.05", 7),  # Kabupaten Garut
            ("32.74", 7),  # Kota Cirebon
            ("32.09", 6),  # Kabupaten Cirebon
            ("32.72", 5),  # Kota Sukabumi
            ("32.02", 3),  # Kabupaten Sukabumi
            ("32.03", 4),  # Kabupaten Cianjur
            ("32.11", 4),  # Kabupaten Sumedang
            ("32.15", 5),  # Kabupaten Karawang
            ("32.14", 4),  # Kabupaten Purwakarta
            ("32.13", 3),  # Kabupaten Subang
            ("32.10", 2),  # Kabupaten Majalengka
            ("32.08", 2),  # Kabupaten Kuningan
            ("32.12", 2),  # Kabupaten Indramayu
            ("32.07", 2),  # Kabupaten Ciamis
            ("32.79", 1),  # Kota Banjar
            ("32.18", 1),  # Kabupaten Pangandaran
        ),
        cultures=(("sundanese", 85), ("javanese", 15)),
        place="Politeknik STTT Bandung, Kota Bandung",
        trainer="Dra. Nining Kurniasih, M.Ds.",
        issuers=(MAIN_ISSUER, "LSP Politeknik STTT Bandung"),
        trained_days_ago=330,
    ),
    Region(
        key="jabodetabek",
        cohort_name="Bimbingan dan Sertifikasi Jakarta Angkatan 1",
        province_code="31",
        tailors=100,
        towns=(
            ("31.75", 14),  # Jakarta Timur
            ("31.73", 12),  # Jakarta Barat
            ("31.74", 10),  # Jakarta Selatan
            ("31.72", 9),  # Jakarta Utara
            ("31.71", 8),  # Jakarta Pusat
            # A quarter in the satellite towns. These count towards Jawa Barat's and Banten's
            # figures, since the programme's targets are per province.
            ("32.75", 4),  # Kota Bekasi
            ("32.16", 2),  # Kabupaten Bekasi
            ("32.76", 3),  # Kota Depok
            ("32.71", 2),  # Kota Bogor
            ("32.01", 2),  # Kabupaten Bogor
            ("36.71", 2),  # Kota Tangerang
            ("36.03", 1),  # Kabupaten Tangerang
            ("36.74", 2),  # Kota Tangerang Selatan
        ),
        cultures=(("betawi", 35), ("javanese", 35), ("sundanese", 25), ("madurese", 5)),
        place="Balai Diklat Industri Jakarta, Jakarta Selatan",
        trainer="Rudi Hartono, S.T.",
        issuers=(MAIN_ISSUER,),
        trained_days_ago=270,
    ),
    Region(
        key="yogyakarta",
        cohort_name="Bimbingan dan Sertifikasi Yogyakarta Angkatan 1",
        province_code="34",
        tailors=60,
        towns=(
            ("34.71", 20),  # Kota Yogyakarta
            ("34.04", 18),  # Sleman
            ("34.02", 15),  # Bantul
            ("34.01", 4),  # Kulon Progo
            ("34.03", 4),  # Gunungkidul
        ),
        cultures=(("javanese", 100),),
        place="Balai Besar Kerajinan dan Batik, Kota Yogyakarta",
        trainer="Sri Wahyuningsih, S.Pd.",
        issuers=(MAIN_ISSUER,),
        trained_days_ago=210,
        skill_bias=(("kebaya", 9), ("batik", 10)),
    ),
    Region(
        key="jawa_timur",
        cohort_name="Bimbingan dan Sertifikasi Surabaya Angkatan 1",
        province_code="35",
        tailors=50,
        towns=(
            ("35.78", 22),  # Kota Surabaya
            ("35.15", 10),  # Sidoarjo
            ("35.25", 5),  # Gresik
            ("35.73", 5),  # Kota Malang
            ("35.07", 2),  # Kabupaten Malang
            ("35.76", 2),  # Kota Mojokerto
            ("35.26", 3),  # Bangkalan
            ("35.28", 2),  # Pamekasan
            ("35.14", 2),  # Kabupaten Pasuruan
            ("35.71", 2),  # Kota Kediri
        ),
        cultures=(("javanese", 65), ("madurese", 35)),
        place="Balai Diklat Industri Surabaya, Kota Surabaya",
        trainer="Ir. Agus Salim Wibowo",
        issuers=(MAIN_ISSUER,),
        trained_days_ago=150,
        skill_bias=(("seragam", 4), ("batik", 2)),
    ),
)

# Where a town's own trade shows: Tasikmalaya's embroidery, Madura's and Bantul's batik.
TOWN_SKILL_BIAS = {
    "32.78": (("bordir", 10),),
    "32.06": (("bordir", 8),),
    "32.04": (("kaos", 4), ("jaket", 3)),
    "35.28": (("batik", 8),),
    "34.02": (("batik", 4),),
    "31.71": (("gamis", 5), ("seragam", 2)),
}

TARGETS = (("ID", 500), ("32", 165), ("31", 100), ("34", 60), ("35", 50))

SKILL_WEIGHTS = (
    ("kemeja", 10),
    ("celana", 6),
    ("kaos", 9),
    ("seragam", 9),
    ("gamis", 9),
    ("kebaya", 3),
    ("batik", 3),
    ("jaket", 4),
    ("dress", 5),
    ("anak", 5),
    ("permak", 4),
    ("bordir", 2),
)
SKILL_COUNT_WEIGHTS = ((1, 20), (2, 40), (3, 28), (4, 12))

# How a bio names each category, in Bahasa Indonesia.
SKILL_WORDS = {
    "kemeja": "kemeja",
    "celana": "celana",
    "kaos": "kaos",
    "seragam": "seragam",
    "gamis": "gamis",
    "kebaya": "kebaya",
    "batik": "batik",
    "jaket": "jaket",
    "dress": "dress",
    "anak": "baju anak",
    "permak": "permak",
    "bordir": "bordir",
}
HELPER_WORDS = ("seorang tetangga", "dua tetangga", "tiga tetangga")

FEMALE_SHARE = 0.85
SINGLE_NAME_SHARE = 0.12

# (women's first names, men's first names, second names for women, second names for men)
# fmt: off
NAMES: dict[str, tuple[tuple[str, ...], tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "sundanese": (
        (
            "Euis", "Neneng", "Iis", "Cucu", "Enok", "Imas", "Eneng", "Yayah", "Tati", "Nining",
            "Lilis", "Cicih", "Entin", "Dedeh", "Popon", "Elis", "Yeti", "Nenden", "Ai", "Teti",
            "Ela", "Heni", "Yuyun", "Nia", "Rika", "Wulan", "Rina", "Nunung", "Ikah", "Oom",
        ),
        (
            "Asep", "Dadang", "Ujang", "Cecep", "Dede", "Agus", "Ade", "Iwan", "Acep", "Yayan",
            "Deden", "Engkus",
        ),
        (
            "Rohaeti", "Nurhayati", "Komalasari", "Kurniasih", "Sumiati", "Rostika", "Suryani",
            "Maryati", "Hasanah", "Nuraeni", "Rahmawati", "Herawati", "Setiawati", "Mulyani",
            "Sopiah", "Juariah", "Kartika", "Saripah", "Rosmiati", "Yuliani", "Nurjanah",
        ),
        (
            "Sunarya", "Suherman", "Hidayat", "Supriatna", "Kurniawan", "Saepudin", "Permana",
            "Sopian", "Gunawan", "Ruhiyat",
        ),
    ),
    "javanese": (
        (
            "Sri", "Endang", "Tri", "Suparmi", "Sumarni", "Ngatini", "Sulastri", "Purwanti",
            "Wartini", "Tumini", "Sukarti", "Kartini", "Dwi", "Nur", "Rini", "Yuli", "Ambar",
            "Retno", "Wening", "Sekar", "Tutik", "Winarsih", "Sarmini", "Suwarni", "Parmi",
            "Wahyu", "Siti", "Umi",
        ),
        (
            "Bambang", "Slamet", "Joko", "Sutrisno", "Agus", "Heru", "Wahyu", "Teguh", "Eko",
            "Sigit", "Bayu", "Dwi",
        ),
        (
            "Wulandari", "Handayani", "Lestari", "Astuti", "Purwaningsih", "Setyaningsih",
            "Susilowati", "Widayati", "Rahmawati", "Pratiwi", "Hartini", "Mulyani",
            "Kusumawati", "Sukmawati", "Wahyuni", "Rahayu", "Utami", "Suryani", "Ningsih",
            "Indriyani",
        ),
        (
            "Santoso", "Prasetyo", "Susanto", "Wibowo", "Nugroho", "Saputro", "Hartono",
            "Purnomo", "Setiawan", "Riyanto", "Widodo", "Raharjo",
        ),
    ),
    "betawi": (
        (
            "Rohimah", "Nurhasanah", "Masitoh", "Zubaedah", "Aminah", "Saodah", "Jamilah",
            "Romlah", "Halimah", "Maemunah", "Mardiyah", "Hindun", "Muslihah", "Nurlela",
            "Rosidah", "Fatimah", "Juleha", "Mursidah",
        ),
        ("Mamat", "Rojali", "Sabeni", "Jaelani", "Saipul", "Mursid", "Udin", "Sanusi", "Rohman"),
        (
            "Hasanah", "Rohmah", "Zakiyah", "Fauziah", "Nurjanah", "Sa'adah", "Munawaroh",
            "Khodijah", "Jubaedah", "Syarifah",
        ),
        ("Effendi", "Hasan", "Saleh", "Bakri", "Syarif", "Muhidin", "Ridwan", "Zainudin"),
    ),
    "madurese": (
        (
            "Fatimah", "Sumiyati", "Maimunah", "Muzayyanah", "Khoiriyah", "Mukarromah", "Sitti",
            "Zainab", "Hosnia", "Jumaati", "Halimah", "Suhartini", "Masruroh",
        ),
        ("Moh.", "Abdul", "Mat", "Holil", "Mukhlis", "Rofiq", "Sahri", "Hosen"),
        (
            "Aisyah", "Hidayah", "Sa'diyah", "Qomariyah", "Rohmah", "Hasanah", "Zulaikha",
            "Mahmudah", "Jamilah",
        ),
        ("Hasan", "Rasid", "Ridwan", "Toha", "Syamsuri", "Ma'ruf", "Fauzi"),
    ),
}
# fmt: on

BIO_OPENINGS = (
    "Penjahit rumahan di {town} sejak {year}.",
    "Menjahit dari rumah di {town} sejak {year}, dibantu {helpers}.",
    "Konveksi kecil di {town} dengan {machines} mesin jahit.",
    "Usaha jahit keluarga di {town}, berjalan sejak {year}.",
)
BIO_SPECIALTIES = (
    "Biasa mengerjakan {skills}.",
    "Spesialis {skills}.",
    "Sudah biasa menerima order {skills} dari butik dan sekolah.",
)
BIO_CLOSINGS = (
    "Rapi dan tepat waktu, bisa buat sampel dulu.",
    "Bahan bisa dari pemesan atau kami carikan di pasar kain terdekat.",
    "Terima order mulai {minimum} pcs.",
    "Siap lembur kalau tenggatnya dekat.",
    "Jahitan rapi, obras rapi, siap kirim lewat ekspedisi.",
)

REJECTION_REASONS = (
    "Foto sertifikat buram sehingga nomornya tidak terbaca. Mohon unggah ulang foto yang jelas.",
    "Nomor sertifikat tidak ditemukan di daftar LSP. Mohon periksa kembali nomor yang diketik.",
    "Nama pada sertifikat berbeda dengan nama akun. Mohon unggah sertifikat atas nama sendiri.",
    "Yang diunggah sertifikat pelatihan, bukan sertifikat kompetensi SKKNI dari LSP.",
)


@dataclass(frozen=True)
class Buyer:
    owner: str
    business: str
    kind: BusinessType
    city_code: str
    description: str
    joined_days_ago: int


BUYERS = (
    Buyer(
        "Nadia Maharani",
        "Kaia Label",
        BusinessType.BRAND,
        "31.74",
        "Label modest wear dari Jakarta: gamis, tunik dan outer katun. "
        "Produksi rutin 100–300 pcs per model.",
        300,
    ),
    Buyer(
        "Hendra Gunawan",
        "PT Seragam Nusantara Mandiri",
        BusinessType.INDUSTRY,
        "31.75",
        "Pemasok seragam kantor, pabrik dan sekolah. Mencari mitra penjahit untuk kemeja dan "
        "celana seragam, 200–1.000 pcs per order.",
        280,
    ),
    Buyer(
        "Rara Anindita",
        "Studio Rara Anindita",
        BusinessType.DESIGNER,
        "31.71",
        "Desainer busana pesta dan kebaya modern. Order kecil 10–30 pcs, selalu dengan sampel.",
        240,
    ),
    Buyer(
        "Fajar Ramadhan",
        "Juara Merch",
        BusinessType.INDUSTRY,
        "32.73",
        "Kaos sablon untuk komunitas, kampus dan acara. Order kaos dan polo 50–500 pcs, "
        "bahan dari kami.",
        310,
    ),
    Buyer(
        "Intan Permatasari",
        "Sayana Modest",
        BusinessType.BRAND,
        "32.73",
        "Brand gamis dan khimar dari Bandung. Tiap koleksi 100–200 pcs per warna.",
        200,
    ),
    Buyer(
        "Galih Prakoso",
        "Lurik Prasojo",
        BusinessType.BRAND,
        "34.71",
        "Kemeja dan outer dari kain lurik tenun tangan. Produksi kecil, jahitan harus rapi.",
        190,
    ),
    Buyer(
        "Ayu Kusumaningrum",
        "Omah Kebaya Ayu",
        BusinessType.DESIGNER,
        "34.04",
        "Kebaya kutubaru dan kebaya modern untuk wisuda dan pernikahan, 10–50 pcs per pesanan.",
        160,
    ),
    Buyer(
        "Bagus Wicaksono",
        "CV Karya Busana Jaya",
        BusinessType.INDUSTRY,
        "35.78",
        "Konveksi seragam sekolah dan batik instansi. Butuh mitra penjahit untuk order "
        "musiman menjelang tahun ajaran baru.",
        140,
    ),
    Buyer(
        "Dimas Arya Putra",
        "Arek Wear",
        BusinessType.BRAND,
        "35.78",
        "Streetwear lokal Surabaya: kaos, hoodie dan jaket coach, 50–200 pcs per desain.",
        120,
    ),
    Buyer(
        "Laras Setyaningrum",
        "Batik Pawestri",
        BusinessType.BRAND,
        "33.72",
        "Batik cap dan tulis dari Laweyan, Solo, untuk kemeja pria dan dress wanita.",
        220,
    ),
    Buyer(
        "Yusuf Hidayat",
        "CV Seragam Pelangi",
        BusinessType.INDUSTRY,
        "33.74",
        "Seragam kerja, wearpack dan rompi untuk pabrik di kawasan industri Semarang.",
        100,
    ),
    Buyer(
        "Melati Kusuma",
        "Nara Kids",
        BusinessType.BRAND,
        "36.74",
        "Baju anak dari katun yang lembut, 50–150 pcs per model, ukuran 1–10 tahun.",
        60,
    ),
)

DEMO_BUYER = Buyer(
    "Dewi Lestari",
    "Batik Kirana",
    BusinessType.BRAND,
    "32.73",
    "Label batik cap dan tulis modern dari Bandung: kemeja, dress dan kebaya encim. "
    "Mencari penjahit rapi untuk produksi 50–300 pcs per model.",
    320,
)
DEMO_TAILOR_BIO = (
    "Penjahit rumahan di Bandung sejak 2009, dibantu dua tetangga. Spesialis kebaya, gamis dan "
    "kemeja batik. Rapi dan tepat waktu, bisa buat sampel dulu."
)


@dataclass(frozen=True)
class OrderIdea:
    """An order a buyer would post, as their description promises."""

    category: str
    title: str
    description: str
    quantity: int
    budget_per_piece: int  # Rupiah
    mode: str  # bidding (Penawaran) | direct (Langsung)
    sample_first: bool = False
    fabric_by: str = "designer"
    sizes: tuple[str, ...] = ("S", "M", "L", "XL")


# By business name; in each list the first ideas are the newest (still open), the last the oldest.
ORDER_IDEAS: dict[str, tuple[OrderIdea, ...]] = {
    "Batik Kirana": (
        OrderIdea(
            "batik",
            "Kemeja batik cap lengan panjang, koleksi Lebaran",
            "Batik cap motif mega mendung, katun primisima. Kerah tegak, saku satu, kancing "
            "batok. Pola dan kain dari kami, potong rapi mengikuti arah motif.",
            120,
            65_000,
            "bidding",
            sample_first=True,
        ),
        OrderIdea(
            "kebaya",
            "Kebaya encim bordir, 30 pcs",
            "Kebaya encim katun paris dengan bordir tepi. Sampel satu pcs dulu untuk dicek.",
            30,
            185_000,
            "bidding",
            sample_first=True,
            sizes=("S", "M", "L"),
        ),
        OrderIdea(
            "kemeja",
            "Kemeja katun polos untuk seragam toko",
            "Kemeja lengan pendek katun toyobo warna hitam, bordir logo kecil di dada kiri.",
            40,
            70_000,
            "direct",
        ),
        OrderIdea(
            "dress",
            "Dress batik A-line, 80 pcs",
            "Dress batik selutut, resleting belakang, furing katun. Ukuran S–XL.",
            80,
            95_000,
            "bidding",
        ),
        OrderIdea(
            "batik",
            "Kemeja batik pria lengan pendek, restock",
            "Motif kawung, katun prima. Sama seperti produksi bulan lalu.",
            150,
            60_000,
            "direct",
        ),
    ),
    "Kaia Label": (
        OrderIdea(
            "gamis",
            "Gamis katun rayon motif bunga, 200 pcs",
            "Gamis busui friendly, resleting depan, saku kanan kiri. Kain dari kami.",
            200,
            75_000,
            "bidding",
        ),
        OrderIdea(
            "gamis",
            "Tunik linen panjang, 120 pcs",
            "Tunik linen rami, belahan samping, kancing hidup di depan.",
            120,
            68_000,
            "direct",
            sizes=("M", "L", "XL"),
        ),
        OrderIdea(
            "jaket",
            "Outer kimono katun, 100 pcs",
            "Outer model kimono lengan lebar, tanpa kancing, obras rapi di dalam.",
            100,
            55_000,
            "bidding",
        ),
    ),
    "PT Seragam Nusantara Mandiri": (
        OrderIdea(
            "seragam",
            "Seragam kemeja kantor biru muda, 600 pcs",
            "Kemeja seragam bank daerah, American drill, bordir logo di lengan. Ukuran S–XXL.",
            600,
            78_000,
            "bidding",
            sizes=("S", "M", "L", "XL", "XXL"),
        ),
        OrderIdea(
            "celana",
            "Celana kerja kain drill, 400 pcs",
            "Celana bahan drill abu-abu, saku samping dan belakang, pinggang karet samping.",
            400,
            62_000,
            "direct",
            sizes=("M", "L", "XL", "XXL"),
        ),
        OrderIdea(
            "seragam",
            "Seragam sekolah SD putih-merah, 1.000 pcs",
            "Kemeja putih dan celana/rok merah, bahan dari kami. Harus selesai sebelum Juli.",
            1000,
            45_000,
            "bidding",
        ),
    ),
    "Studio Rara Anindita": (
        OrderIdea(
            "kebaya",
            "Kebaya modern brokat untuk bridesmaid, 12 pcs",
            "Kebaya brokat dengan furing, payet tangan di bagian dada. Fitting di Jakarta Pusat.",
            12,
            350_000,
            "bidding",
            sample_first=True,
            sizes=("S", "M", "L"),
        ),
        OrderIdea(
            "dress",
            "Dress pesta satin, 20 pcs",
            "Dress satin silk potongan bias, tali spageti. Jahitan halus, kelim tangan.",
            20,
            240_000,
            "bidding",
            sample_first=True,
            sizes=("S", "M", "L"),
        ),
    ),
    "Juara Merch": (
        OrderIdea(
            "kaos",
            "Kaos komunitas lari cotton combed 30s, 300 pcs",
            "Kaos lengan pendek, rib leher, jahit rantai bahu. Sablon oleh kami setelah jadi.",
            300,
            28_000,
            "direct",
            sizes=("S", "M", "L", "XL", "XXL"),
        ),
        OrderIdea(
            "kaos",
            "Polo shirt panitia acara kampus, 150 pcs",
            "Polo lacoste PE, kerah rajut, dua kancing. Bordir logo di dada kiri.",
            150,
            52_000,
            "bidding",
        ),
        OrderIdea(
            "jaket",
            "Hoodie fleece angkatan, 90 pcs",
            "Hoodie fleece cotton, kantong kanguru, tali kupluk. Kain dari kami.",
            90,
            85_000,
            "direct",
        ),
    ),
    "Sayana Modest": (
        OrderIdea(
            "gamis",
            "Gamis ceruti koleksi Syawal, 180 pcs",
            "Gamis ceruti babydoll dua lapis, lengan karet, resleting depan.",
            180,
            80_000,
            "bidding",
            sample_first=True,
        ),
        OrderIdea(
            "gamis",
            "Khimar dan gamis set anak, 100 pcs",
            "Set gamis dan khimar anak usia 4–10 tahun, jersey premium.",
            100,
            58_000,
            "direct",
            sizes=("ALL",),
        ),
    ),
    "Lurik Prasojo": (
        OrderIdea(
            "kemeja",
            "Kemeja lurik tenun tangan, 40 pcs",
            "Kemeja lurik ATBM, kerah shanghai, jahitan pipih. Kain mahal: potong hemat.",
            40,
            110_000,
            "bidding",
            sample_first=True,
        ),
        OrderIdea(
            "jaket",
            "Outer lurik unisex, 30 pcs",
            "Outer lurik tanpa kancing, furing katun, saku tempel.",
            30,
            120_000,
            "bidding",
            sizes=("M", "L", "XL"),
        ),
    ),
    "Omah Kebaya Ayu": (
        OrderIdea(
            "kebaya",
            "Kebaya kutubaru wisuda, 25 pcs",
            "Kebaya kutubaru katun bordir dengan bef depan. Ukuran S–XL.",
            25,
            160_000,
            "bidding",
            sample_first=True,
        ),
        OrderIdea(
            "kebaya",
            "Kebaya modern akad nikah, 10 pcs",
            "Kebaya brokat prancis, ekor pendek, furing satin. Fitting di Sleman.",
            10,
            420_000,
            "bidding",
            sample_first=True,
            sizes=("S", "M"),
        ),
    ),
    "CV Karya Busana Jaya": (
        OrderIdea(
            "seragam",
            "Seragam batik instansi, 500 pcs",
            "Kemeja batik printing seragam dinas, lengan pendek, furing depan.",
            500,
            58_000,
            "bidding",
            sizes=("M", "L", "XL", "XXL"),
        ),
        OrderIdea(
            "seragam",
            "Seragam pramuka SMP, 300 stel",
            "Kemeja dan celana/rok pramuka, tanda lokasi dijahit. Kain dari kami.",
            300,
            64_000,
            "direct",
        ),
    ),
    "Arek Wear": (
        OrderIdea(
            "jaket",
            "Jaket coach parasut, 120 pcs",
            "Jaket coach taslan, furing jaring, kancing jepret. Sablon punggung dari kami.",
            120,
            95_000,
            "bidding",
        ),
        OrderIdea(
            "kaos",
            "Kaos oversize heavy cotton, 200 pcs",
            "Kaos oversize 24s, drop shoulder, rib leher tebal.",
            200,
            38_000,
            "direct",
        ),
    ),
    "Batik Pawestri": (
        OrderIdea(
            "batik",
            "Kemeja batik tulis pria, 60 pcs",
            "Batik tulis Laweyan, kerah reguler, furing penuh. Kain sudah dipotong per pola.",
            60,
            125_000,
            "bidding",
            sample_first=True,
        ),
    ),
    "CV Seragam Pelangi": (
        OrderIdea(
            "seragam",
            "Wearpack safety dua warna, 250 pcs",
            "Wearpack katun drill, scotchlight di lengan dan kaki, resleting YKK.",
            250,
            135_000,
            "bidding",
            sizes=("M", "L", "XL", "XXL"),
        ),
    ),
    "Nara Kids": (
        OrderIdea(
            "anak",
            "Piyama anak katun jepang, 120 set",
            "Piyama lengan pendek, celana karet. Ukuran 2–8 tahun, semua ukuran sama banyak.",
            120,
            48_000,
            "direct",
            sizes=("ALL",),
        ),
        OrderIdea(
            "anak",
            "Dress anak motif bunga, 90 pcs",
            "Dress anak katun poplin, kerah sabrina, resleting belakang.",
            90,
            52_000,
            "bidding",
            sizes=("ALL",),
        ),
    ),
}
