"""Realistic demo content for a fresh SIKANDA install (never for production).

Each builder is idempotent on its natural key, so running the command twice
leaves one copy of everything."""

import datetime
import io
import uuid
from decimal import Decimal
from textwrap import wrap

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.test.utils import override_settings
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Site

from cms.accounts import roles
from cms.accounts.guests import subscribe_to_every_kecamatan
from cms.facilities.models import FacilityIndexPage, FacilityKind, FacilityPage
from cms.home.models import HomePage, SiteSettings
from cms.news.models import NewsCategory, NewsIndexPage, NewsPage
from cms.reports.assignments import FILE_REPORT, VERIFY_REPORT, assign
from cms.reports.models import Desa, Kecamatan

DEMO_PASSWORD = "sikanda-demo-2026"

# username, full name, role, kecamatan slugs (file/verify assignment). Every
# kecamatan has at least one verifier and most have two, as in the field
# (leave, shifts); officers file for their own kecamatan.
USERS = [
    ("admin", "Rahmat Hidayat", roles.ADMINISTRATOR, []),
    ("pimpinan", "H. Abdul Hadi", roles.PIMPINAN, []),
    ("verifikator.paringin", "Siti Aminah", roles.VERIFIKATOR, ["paringin", "paringin-selatan"]),
    ("verifikator.kota", "Rina Marlina", roles.VERIFIKATOR, ["paringin"]),
    ("verifikator.halong", "Muhammad Ridwan", roles.VERIFIKATOR, ["halong", "juai"]),
    ("verifikator.juai", "Fitriani", roles.VERIFIKATOR, ["juai", "tebing-tinggi"]),
    ("verifikator.tebing", "Syahrudin", roles.VERIFIKATOR, ["tebing-tinggi", "halong"]),
    ("verifikator.awayan", "Hendra Saputra", roles.VERIFIKATOR, ["awayan", "batumandi"]),
    ("verifikator.lampihong", "Nur Aisyah", roles.VERIFIKATOR, ["lampihong", "batumandi"]),
    ("petugas.paringin", "Ahmad Fauzi", roles.PETUGAS, ["paringin"]),
    ("petugas.parsel", "Rahmawati", roles.PETUGAS, ["paringin-selatan"]),
    ("petugas.halong", "Norhasanah", roles.PETUGAS, ["halong"]),
    ("petugas.juai", "Budi Santoso", roles.PETUGAS, ["juai", "halong"]),
    ("petugas.awayan", "Junaidi", roles.PETUGAS, ["awayan"]),
    ("petugas.batumandi", "Saleh Hidayat", roles.PETUGAS, ["batumandi"]),
    ("petugas.lampihong", "Masrani", roles.PETUGAS, ["lampihong"]),
    ("petugas.tebing", "Yuliani", roles.PETUGAS, ["tebing-tinggi"]),
    ("warga", "Dewi Lestari", roles.PENGGUNA, []),
    # A member of a partner agency (cms/followup): sees what is forwarded to Polres.
    ("instansi.polres", "Andi Pratama", roles.INSTANSI, []),
]

DESA = {
    "paringin": [
        ("Paringin Kota", "kelurahan"),
        ("Paringin Timur", "kelurahan"),
        ("Lasung Batu", "desa"),
    ],
    "paringin-selatan": [("Batu Piring", "kelurahan"), ("Halubau", "desa"), ("Inan", "desa")],
    "halong": [("Halong", "desa"), ("Mauya", "desa"), ("Binjai Punggal", "desa")],
    "juai": [("Juai", "desa"), ("Lalayau", "desa")],
    "awayan": [("Awayan", "desa"), ("Baramban", "desa")],
    "batumandi": [("Batumandi", "desa"), ("Mampari", "desa")],
    "lampihong": [("Lampihong Kiri", "desa"), ("Lampihong Kanan", "desa")],
    "tebing-tinggi": [("Tebing Tinggi", "desa"), ("Dayak Pitap", "desa")],
}

# Rough centre of each kecamatan, for report coordinates.
KECAMATAN_CENTRE = {
    "paringin": ("-2.3349", "115.4690"),
    "paringin-selatan": ("-2.3611", "115.4823"),
    "halong": ("-2.3853", "115.6405"),
    "juai": ("-2.2405", "115.6001"),
    "awayan": ("-2.4561", "115.4180"),
    "batumandi": ("-2.3157", "115.5282"),
    "lampihong": ("-2.3701", "115.3512"),
    "tebing-tinggi": ("-2.1910", "115.6620"),
}

NEWS_CATEGORIES = ["Kewaspadaan Dini", "Kegiatan", "Pengumuman"]
NEWS = [
    (
        "Rapat koordinasi Tim Kewaspadaan Dini Daerah triwulan IV",
        "Kegiatan",
        "Tim Kewaspadaan Dini Daerah Kabupaten Balangan menggelar rapat koordinasi bersama unsur Forkopimda.",
        ["rapat", "forkopimda"],
    ),
    (
        "Kesbangpol perkenalkan aplikasi SIKANDA kepada petugas kecamatan",
        "Kewaspadaan Dini",
        "Petugas dari delapan kecamatan mengikuti pelatihan pelaporan ATHG melalui aplikasi SIKANDA Mobile.",
        ["sikanda", "pelatihan"],
    ),
    (
        "Imbauan waspada banjir di bantaran Sungai Balangan",
        "Pengumuman",
        "Curah hujan tinggi diperkirakan berlanjut; warga di bantaran sungai diminta meningkatkan kewaspadaan.",
        ["banjir", "cuaca"],
    ),
    (
        "Forum Kewaspadaan Dini Masyarakat dibentuk di Kecamatan Halong",
        "Kewaspadaan Dini",
        "FKDM Kecamatan Halong resmi dibentuk untuk memperkuat deteksi dini di tingkat desa.",
        ["fkdm", "halong"],
    ),
    (
        "Sosialisasi pencegahan konflik sosial menjelang pilkades",
        "Kegiatan",
        "Sosialisasi menghadirkan tokoh agama dan tokoh adat dari seluruh desa peserta pilkades.",
        ["pilkades", "konflik sosial"],
    ),
    (
        "Posko siaga karhutla dibuka di Kecamatan Juai",
        "Pengumuman",
        "Posko siaga kebakaran hutan dan lahan beroperasi 24 jam selama musim kemarau.",
        ["karhutla", "juai"],
    ),
]

FACILITIES = [
    (
        "Polres Balangan",
        FacilityKind.KANTOR_POLISI,
        "paringin",
        "Jl. Jend. A. Yani, Paringin",
        "-2.3349",
        "115.4690",
        "110",
        "24 jam",
    ),
    (
        "Polsek Halong",
        FacilityKind.KANTOR_POLISI,
        "halong",
        "Jl. Poros Halong, Halong",
        "-2.3853",
        "115.6405",
        "(0526) 2000110",
        "24 jam",
    ),
    (
        "Koramil 1001-08/Paringin",
        FacilityKind.KORAMIL,
        "paringin",
        "Jl. Basuki Rahmat, Paringin",
        "-2.3370",
        "115.4652",
        "",
        "Senin–Jumat 08.00–16.00",
    ),
    (
        "Puskesmas Paringin",
        FacilityKind.PUSKESMAS,
        "paringin",
        "Jl. Pramuka, Paringin",
        "-2.3312",
        "115.4711",
        "(0526) 2028007",
        "Senin–Sabtu 08.00–14.00; UGD 24 jam",
    ),
    (
        "Puskesmas Juai",
        FacilityKind.PUSKESMAS,
        "juai",
        "Jl. Poros Juai, Juai",
        "-2.2405",
        "115.6001",
        "",
        "Senin–Sabtu 08.00–14.00",
    ),
    (
        "RSUD Balangan",
        FacilityKind.RUMAH_SAKIT,
        "paringin-selatan",
        "Jl. Lingkar Paringin Selatan",
        "-2.3611",
        "115.4823",
        "(0526) 2028119",
        "24 jam",
    ),
    (
        "Kantor Camat Awayan",
        FacilityKind.KANTOR_CAMAT,
        "awayan",
        "Jl. Poros Awayan, Awayan",
        "-2.4561",
        "115.4180",
        "",
        "Senin–Jumat 08.00–16.00",
    ),
    (
        "Kantor Camat Lampihong",
        FacilityKind.KANTOR_CAMAT,
        "lampihong",
        "Jl. Poros Lampihong",
        "-2.3701",
        "115.3512",
        "",
        "Senin–Jumat 08.00–16.00",
    ),
    (
        "Pos Damkar Batumandi",
        FacilityKind.POS_DAMKAR,
        "batumandi",
        "Jl. Poros Batumandi",
        "-2.3157",
        "115.5282",
        "113",
        "24 jam",
    ),
    (
        "Pos Damkar Tebing Tinggi",
        FacilityKind.POS_DAMKAR,
        "tebing-tinggi",
        "Jl. Poros Tebing Tinggi",
        "-2.1910",
        "115.6620",
        "113",
        "24 jam",
    ),
]

# Hand-written reports (the CAP feed and tests name some of them): officer,
# title, kecamatan, desa, ATHG, aspect, urgency, classification, end state,
# verifier, scene of the photo, facts.
REPORTS = [
    ("petugas.paringin", "Keributan antarpemuda di Pasar Paringin", "paringin", "Paringin Kota", "gangguan", "sosial-budaya", "tinggi", "publik", "terverifikasi", "verifikator.paringin", "keramaian",
     "Sekitar 20 pemuda dari dua desa bersitegang di area parkir Pasar Paringin setelah pertandingan sepak bola. Aparat kelurahan dan Bhabinkamtibmas melerai; tidak ada korban."),
    ("petugas.paringin", "Rencana unjuk rasa pedagang terkait relokasi pasar", "paringin", "Paringin Timur", "tantangan", "ekonomi", "sedang", "terbatas", "terverifikasi", "verifikator.paringin", "pasar",
     "Paguyuban pedagang berencana menyampaikan aspirasi ke DPRD pekan depan menolak relokasi sementara. Diperkirakan 100–150 orang."),
    ("petugas.paringin", "Penyebaran selebaran provokatif menjelang pilkades", "paringin", "Lasung Batu", "ancaman", "politik", "tinggi", "terbatas", "menunggu", None, "spanduk",
     "Ditemukan selebaran tanpa identitas di beberapa warung yang menyudutkan salah satu calon kepala desa."),
    ("petugas.paringin", "Jalan penghubung desa longsor", "paringin", "Lasung Batu", "hambatan", "ekonomi", "sedang", "publik", "perlu_perbaikan", "verifikator.paringin", "jalan",
     "Badan jalan penghubung desa amblas sepanjang kurang lebih 15 meter setelah hujan deras."),
    ("petugas.paringin", "Catatan pemantauan harian", "paringin", None, "tantangan", "sosial-budaya", "rendah", "terbatas", "draf", None, "rapat",
     "Situasi umum kondusif; kegiatan masyarakat berjalan normal."),
    ("petugas.halong", "Banjir luapan Sungai Balangan di Halong", "halong", "Halong", "gangguan", "pertahanan-dan-keamanan", "darurat", "publik", "terverifikasi", "verifikator.halong", "banjir",
     "Air sungai meluap dengan ketinggian 50–80 cm merendam sekitar 40 rumah warga. Warga lansia dievakuasi ke balai desa."),
    ("petugas.halong", "Sengketa batas lahan kebun antarwarga", "halong", "Mauya", "hambatan", "sosial-budaya", "sedang", "terbatas", "menunggu", None, "kebun",
     "Dua keluarga bersengketa batas kebun karet; mediasi oleh kepala desa belum berhasil."),
    ("petugas.juai", "Titik api di lahan gambut Juai", "juai", "Juai", "ancaman", "pertahanan-dan-keamanan", "tinggi", "publik", "terverifikasi", "verifikator.halong", "api",
     "Terpantau tiga titik api di lahan gambut seluas sekitar 2 hektare; tim Manggala Agni dan BPBD menuju lokasi."),
    ("petugas.halong", "Isu kerusuhan di pasar Halong", "halong", "Halong", "ancaman", "sosial-budaya", "tinggi", "publik", "ditarik", "verifikator.halong", "pasar",
     "Beredar kabar akan ada kerusuhan di pasar Halong; belakangan terbukti hoaks."),
]

# Everyday reports from every kecamatan over the last 30 days: title (the
# desa is added), ATHG, aspect, urgency, classification, scene, facts.
SCENARIOS = [
    ("Genangan air merendam permukiman", "gangguan", "sosial-budaya", "sedang", "publik", "banjir",
     "Hujan sejak dini hari membuat air setinggi 20–40 cm menggenangi belasan rumah di RT 02."),
    ("Kebakaran semak di tepi jalan poros", "ancaman", "pertahanan-dan-keamanan", "tinggi", "publik", "api",
     "Api membakar semak kering sekitar 0,5 hektare; warga dan petugas damkar memadamkan dalam satu jam."),
    ("Pertemuan warga menolak tambang galian C", "tantangan", "ekonomi", "sedang", "terbatas", "keramaian",
     "Sekitar 60 warga berkumpul di balai desa menyatakan keberatan atas rencana tambang galian C."),
    ("Harga kebutuhan pokok naik di pasar desa", "tantangan", "ekonomi", "rendah", "publik", "pasar",
     "Harga cabai dan bawang naik 30 persen dalam sepekan; pedagang mengeluhkan pasokan dari luar daerah."),
    ("Jalan desa rusak berat setelah hujan", "hambatan", "ekonomi", "sedang", "publik", "jalan",
     "Ruas jalan sepanjang 200 meter berlubang dan berlumpur; kendaraan roda empat tidak dapat melintas."),
    ("Spanduk bernada provokatif terpasang", "ancaman", "politik", "tinggi", "terbatas", "spanduk",
     "Spanduk tanpa identitas pemasang berisi ujaran yang menyudutkan kelompok tertentu dipasang di simpang desa."),
    ("Sengketa lahan kebun karet", "hambatan", "sosial-budaya", "sedang", "terbatas", "kebun",
     "Dua kelompok warga mengklaim lahan kebun karet yang sama; pemasangan patok dihentikan oleh kepala desa."),
    ("Perahu penyeberangan tenggelam", "gangguan", "pertahanan-dan-keamanan", "darurat", "publik", "sungai",
     "Perahu penyeberangan bermuatan enam orang terbalik; seluruh penumpang berhasil diselamatkan warga."),
    ("Rapat koordinasi pengamanan kegiatan keagamaan", "tantangan", "sosial-budaya", "rendah", "publik", "rapat",
     "Camat, Polsek, Koramil dan tokoh agama membahas pengamanan peringatan hari besar keagamaan."),
    ("Aliran kepercayaan baru meresahkan warga", "ancaman", "ideologi", "sedang", "terbatas", "rapat",
     "Sekelompok orang mengadakan pengajian tertutup dengan ajaran yang dipersoalkan tokoh agama setempat."),
    ("Antrean panjang di SPBU kecamatan", "hambatan", "ekonomi", "rendah", "publik", "keramaian",
     "Antrean kendaraan mengular hingga 500 meter karena keterlambatan pasokan solar."),
    ("Luapan anak sungai memutus akses desa", "gangguan", "pertahanan-dan-keamanan", "tinggi", "publik", "sungai",
     "Jembatan kayu tertutup air; warga menyeberang dengan perahu kecil, anak sekolah diliburkan."),
]

# How the everyday reports stand (by index): most are verified, some wait,
# some were sent back, some are drafts on an officer's phone.
STATE_CYCLE = [
    "terverifikasi", "terverifikasi", "menunggu", "terverifikasi", "perlu_perbaikan",
    "terverifikasi", "draf", "terverifikasi", "menunggu", "terverifikasi",
]
GENERATED_REPORTS = 56
# Days back the demo files laporan nihil for quiet kecamatan (the compliance board).
NIHIL_DAYS = 21

PALETTE = ["#0b5d3b", "#14456b", "#7a4b12", "#5b2a6e", "#1f6f6b", "#8a1c1c"]


# Guests of the app without a demo login, each following one or two kecamatan.
FOLLOWER_PREFIX = "pelanggan.demo"
FOLLOWERS = 40


def placeholder_image(title, colour):
    """A generated photo stand-in: the demo must not fetch anything."""
    canvas = PILImage.new("RGB", (1200, 675), colour)
    draw = ImageDraw.Draw(canvas)
    for i in range(0, 1200, 60):
        draw.line([(i, 675), (i + 300, 0)], fill="#ffffff22", width=2)
    draw.text((60, 560), title[:70], fill="white", font_size=40)
    buffer = io.BytesIO()
    canvas.save(buffer, "JPEG", quality=80)
    image_model = get_image_model()
    image = image_model(title=title)
    image.file = ImageFile(buffer, name=f"demo-{abs(hash(title)) % 10**8}.jpg")
    image.save()
    return image


class DemoBuilder:
    def __init__(self, stdout=None):
        self.stdout = stdout

    def say(self, message):
        if self.stdout:
            self.stdout.write(message)

    def build(self):
        steps = [
            ("Desa/kelurahan", self.build_desa),
            ("Pengguna dan penugasan", self.build_users),
            ("Pengaturan situs", self.build_settings),
            ("Berita", self.build_news),
            ("Fasilitas", self.build_facilities),
            ("Laporan ATHG (semua status)", self.build_reports),
            ("Laporan nihil (papan kepatuhan)", self.build_nihil),
            ("Plugin umpan CAP diaktifkan", self.enable_plugins),
            ("Rekap berjenjang (rekap mingguan disetujui dan ditandatangani)",
             self.build_recaps),
        ]
        for number, (label, step) in enumerate(steps, start=1):
            self.say(f"[{number}/{len(steps)}] {label}…")
            step()

    def kecamatan(self, slug):
        cache = getattr(self, "_kecamatan", None)
        return cache[slug] if cache else Kecamatan.objects.get(slug=slug)

    def build_desa(self):
        for slug, desa in DESA.items():
            kecamatan = self.kecamatan(slug)
            for nama, jenis in desa:
                Desa.objects.get_or_create(
                    kecamatan=kecamatan, nama=nama, defaults={"jenis": jenis}
                )

    def build_users(self):
        User = get_user_model()
        # One hash for every demo account: hashing is deliberately slow, and
        # the demo would spend most of its time on it.
        password = make_password(DEMO_PASSWORD)
        existing = set(User.objects.filter(username__in=[u[0] for u in USERS])
                       .values_list("username", flat=True))
        groups = {group.name: group for group in Group.objects.all()}
        kecamatan = {k.slug: k for k in Kecamatan.objects.all()}
        for username, full_name, role, slugs in USERS:
            first, _, last = full_name.rpartition(" ")
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first or last,
                    "last_name": last if first else "",
                    "email": f"{username}@demo.sikanda.balangankab.go.id",
                    "password": password,
                },
            )
            if username in existing:
                continue
            user.groups.add(groups[role])
            if role == roles.INSTANSI:
                from cms.followup.models import Instansi

                Instansi.objects.get(singkatan="Polres Balangan").anggota.add(user)
            if role == roles.PENGGUNA:
                subscribe_to_every_kecamatan(user)  # as registering in the app does
                continue
            perm = VERIFY_REPORT if role == roles.VERIFIKATOR else FILE_REPORT
            assign(user, perm, *(kecamatan[slug] for slug in slugs))
        self.build_followers(groups[roles.PENGGUNA], list(kecamatan.values()))

    def build_followers(self, group, kecamatan):
        """Guests of the app (no demo login) following one or two kecamatan,
        so that each publication is a broadcast to a few dozen people."""
        from cms.notifications.models import Langganan

        User = get_user_model()
        names = [f"{FOLLOWER_PREFIX}{n:02d}" for n in range(1, FOLLOWERS + 1)]
        if User.objects.filter(username__in=names).exists():
            return
        people = User.objects.bulk_create(
            User(username=name, password=make_password(None)) for name in names
        )
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=person.pk, group_id=group.pk) for person in people
        )
        Langganan.objects.bulk_create(
            Langganan(pengguna=person, kecamatan=kecamatan[(n * k) % len(kecamatan)])
            for n, person in enumerate(people) for k in (1, 3)[: 1 + n % 2]
        )

    def build_settings(self):
        site_settings = SiteSettings.for_site(Site.objects.get(is_default_site=True))
        site_settings.alamat = (
            "Jl. A. Yani Km. 4,5, Paringin, Kabupaten Balangan, Kalimantan Selatan"
        )
        site_settings.telepon = "(0526) 2028060"
        site_settings.email = "kesbangpol@balangankab.go.id"
        site_settings.save()

    def home(self):
        return HomePage.objects.get()

    def build_news(self):
        home = self.home()
        index = NewsIndexPage.objects.first()
        if index is None:
            index = home.add_child(
                instance=NewsIndexPage(
                    title="Berita",
                    slug="berita",
                    intro="<p>Kabar terbaru dari Badan Kesbangpol Kabupaten Balangan.</p>",
                )
            )
        categories = {
            nama: NewsCategory.objects.get_or_create(
                nama=nama, defaults={"slug": nama.lower().replace(" ", "-")}
            )[0]
            for nama in NEWS_CATEGORIES
        }
        today = timezone.localdate()
        for number, (title, category, summary, tags) in enumerate(NEWS):
            if NewsPage.objects.filter(title=title).exists():
                continue
            page = NewsPage(
                title=title,
                date=today - datetime.timedelta(days=3 * number + 1),
                summary=summary,
                body=f"<p>{summary}</p><p>Kegiatan ini merupakan bagian dari upaya "
                "deteksi dini dan pencegahan dini ancaman, tantangan, hambatan dan gangguan "
                "(ATHG) di Kabupaten Balangan.</p>",
                category=categories[category],
                lead_image=placeholder_image(title, PALETTE[number % len(PALETTE)]),
            )
            page.tags.add(*tags)
            index.add_child(instance=page)
            page.save_revision().publish()

    def report_plan(self, now):
        """Every demo report as (key, officer, fields, state, verifier, scene,
        with_document, channel): the hand-written ones, then everyday reports
        from every kecamatan spread over the last 30 days."""
        plan = []
        for number, row in enumerate(REPORTS):
            officer, judul, kec, desa, athg, aspek, urgensi, klasifikasi, state, verifier, scene, fakta = row
            fields = self.report_fields(judul, kec, desa, athg, aspek, urgensi, klasifikasi, fakta,
                                        now - datetime.timedelta(hours=6 * number + 3), number)
            plan.append((judul, officer, fields, state, verifier, scene, number % 3 == 1, None))

        officers = {slug: [u[0] for u in USERS if u[2] == roles.PETUGAS and slug in u[3]]
                    for slug in DESA}
        verifiers = {slug: [u[0] for u in USERS if u[2] == roles.VERIFIKATOR and slug in u[3]]
                     for slug in DESA}
        kecamatan_order = list(DESA)
        step = datetime.timedelta(hours=29 * 24 / GENERATED_REPORTS)
        for i in range(GENERATED_REPORTS):
            kec = kecamatan_order[i % len(kecamatan_order)]
            title, athg, aspek, urgensi, klasifikasi, scene, fakta = SCENARIOS[(i * 7) % len(SCENARIOS)]
            desa = DESA[kec][(i // len(kecamatan_order)) % len(DESA[kec])][0]
            judul = f"{title} di {desa}"
            fields = self.report_fields(judul, kec, desa, athg, aspek, urgensi, klasifikasi, fakta,
                                        now - datetime.timedelta(hours=5) - step * i, i)
            officer = officers[kec][(i // len(kecamatan_order)) % len(officers[kec])]
            verifier = verifiers[kec][i % len(verifiers[kec])]
            channel = {4: "telepon", 8: "surat"}.get(i % 9)
            plan.append((f"{kec}/{i}/{judul}", officer, fields, STATE_CYCLE[i % len(STATE_CYCLE)],
                         verifier, scene, i % 4 == 1, channel))
        return plan

    def report_fields(self, judul, kec, desa, athg, aspek, urgensi, klasifikasi, fakta, when, n):
        kecamatan = self.kecamatan(kec)
        lat, lng = KECAMATAN_CENTRE[kec]
        return {
            "judul": judul,
            "periode": "insidentil" if urgensi in ("tinggi", "darurat") else "harian",
            "jenis_athg": self.jenis[athg],
            "aspek": self.aspek[aspek],
            "urgensi": urgensi,
            "kecamatan": kecamatan,
            "desa": Desa.objects.filter(kecamatan=kecamatan, nama=desa).first() if desa else None,
            "latitude": Decimal(lat) + Decimal((n * 37) % 50 - 25) / 2000,
            "longitude": Decimal(lng) + Decimal((n * 53) % 50 - 25) / 2000,
            "akurasi_m": 5 + (n * 11) % 40,
            "waktu_kejadian": when,
            "fakta": fakta,
            "analisis": "Perlu pemantauan lanjutan oleh Tim Kewaspadaan Dini kecamatan.",
            "rekomendasi": "Koordinasi dengan camat, Polsek dan Koramil setempat.",
            "sumber_informasi": "Tokoh masyarakat setempat (identitas dirahasiakan).",
            "klasifikasi": klasifikasi,
        }

    def build_reports(self):
        from cms.reports import services
        from cms.reports.models import Aspek, JenisATHG, Laporan

        from . import demo_media

        User = get_user_model()
        users = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in USERS])}
        self.jenis = {j.slug: j for j in JenisATHG.objects.all()}
        self.aspek = {a.slug: a for a in Aspek.objects.all()}
        self._kecamatan = {k.slug: k for k in Kecamatan.objects.all()}
        done = set(Laporan.objects.values_list("pelapor_id", "client_uuid"))
        plan = self.report_plan(timezone.now())
        made = 0
        # Wagtail mails the officer on every approval and rejection; for the
        # demo's invented history those mails would only flood the console.
        with override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend"):
            for key, officer, fields, state, verifier, scene, with_document, channel in plan:
                pelapor = users[officer]
                client_uuid = uuid.uuid5(uuid.NAMESPACE_URL, f"sikanda-demo/{key}")
                if (pelapor.pk, client_uuid) in done:
                    continue
                desa, kecamatan = fields["desa"], fields["kecamatan"]
                place = f"{desa.nama}, {kecamatan}" if desa else str(kecamatan)
                uploads = [demo_media.photo(scene, fields["judul"], place, fields["waktu_kejadian"],
                                            name=f"IMG_{fields['waktu_kejadian']:%Y%m%d_%H%M}.jpg")]
                if with_document:
                    uploads.append(demo_media.document(
                        "BERITA ACARA KEJADIAN", [fields["judul"], place, *wrap(fields["fakta"], 60)],
                    ))
                laporan = services.create_report(pelapor, client_uuid=client_uuid, uploads=uploads,
                                                 **fields)
                if channel:
                    # Recorded by Kesbangpol from a call or a letter (the admin
                    # create form sets this; the API never does).
                    Laporan.objects.filter(pk=laporan.pk).update(saluran=channel)
                made += 1
                if made % 16 == 0:
                    self.say(f"      {made} laporan…")
                if state == "draf":
                    continue
                services.submit(laporan, pelapor)
                if state in ("terverifikasi", "ditarik"):
                    services.act(laporan, users[verifier], "approve",
                                 comment="Sesuai fakta lapangan.",
                                 keandalan_sumber="ABC"[made % 3],
                                 kredibilitas_informasi="123"[made % 3])
                if state == "ditarik":
                    services.retract(laporan, users[verifier],
                                     "Klarifikasi Polsek: kabar itu hoaks.")
                elif state == "perlu_perbaikan":
                    services.act(laporan, users[verifier], "reject",
                                 comment="Mohon lengkapi titik koordinat dan foto lokasi.")
        self.say(f"      {made} laporan baru, {len(plan) - made} sudah ada.")

    def build_nihil(self):
        """Most quiet kecamatan-days of the last three weeks get a laporan
        nihil from their officer, about a third stay missing, so the
        compliance board shows every state."""
        from cms.compliance import board, services
        from cms.recaps.periods import WITA

        User = get_user_model()
        users = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in USERS])}
        officers = {slug: users[u[0]] for slug in DESA for u in USERS
                    if u[2] == roles.PETUGAS and slug in u[3]}
        kecamatan = {k.pk: k for k in Kecamatan.objects.all()}
        today = timezone.localdate()
        first = today - datetime.timedelta(days=NIHIL_DAYS)
        reported = board.daily_counts(list(kecamatan), first, today)
        made = 0
        for offset in range(1, NIHIL_DAYS + 1):
            day = today - datetime.timedelta(days=offset)
            for number, (pk, kec) in enumerate(sorted(kecamatan.items())):
                if (pk, day) in reported or (offset + number) % 3 == 0 or (
                        kec.slug not in officers):
                    continue
                # Filed at four in the afternoon of that day, as an officer would.
                moment = datetime.datetime.combine(day, datetime.time(16), tzinfo=WITA)
                made += services.file_nihil(officers[kec.slug], day, pk, now=moment)[1]
        self.say(f"      {made} laporan nihil.")

    def enable_plugins(self):
        from django.apps import apps

        from cms.platform.plugins import set_enabled

        # The CAP feed needs no configuration; push and webhooks need keys and
        # endpoints, so they stay off until an administrator sets them up.
        if apps.is_installed("plugins.cap_alerts"):
            set_enabled("cap_alerts", True)

    def build_facilities(self):
        home = self.home()
        index = FacilityIndexPage.objects.first()
        if index is None:
            index = home.add_child(instance=FacilityIndexPage(title="Fasilitas", slug="fasilitas"))
        for number, (title, kind, kecamatan, address, lat, lng, phone, hours) in enumerate(
            FACILITIES
        ):
            if FacilityPage.objects.filter(title=title).exists():
                continue
            page = FacilityPage(
                title=title,
                kind=kind,
                kecamatan=self.kecamatan(kecamatan),
                address=address,
                latitude=lat,
                longitude=lng,
                phone=phone,
                opening_hours=hours,
                photo=placeholder_image(title, PALETTE[number % len(PALETTE)])
                if number < 4
                else None,
            )
            index.add_child(instance=page)
            page.save_revision().publish()


    def build_recaps(self):
        """The recaps due now, drafted as the cron job would; the last full
        week's kecamatan recaps completed by their verifiers and approved by
        Kesbangpol, and the regency recap signed by the head of Kesbangpol
        (the signer in the site settings) — so the admin, the API and the
        leadership's inbox show a signed recap with its stored files. (The
        demo's reports span the last 30 days, so last calendar month's recap
        would be nearly empty: it stays a draft.) Two dispositions of the
        week's reports fill the *tindak lanjut* section."""
        from cms.platform.plugins import set_enabled
        from cms.recaps import transitions
        from cms.recaps.generation import ensure, generate
        from cms.recaps.models import Penandatangan, RekapKabupaten, RekapKecamatan
        from cms.recaps.periods import latest_due

        User = get_user_model()
        users = {u.username: u for u in User.objects.filter(username__in=[u[0] for u in USERS])}
        admin = users["admin"]
        signer = Penandatangan.current()
        if not signer.pengguna_id:
            signer.pengguna = admin
            signer.nama = "Rahmat Hidayat, S.Sos., M.AP"
            signer.nip = "19750317 200003 1 004"
            signer.save()
        now = timezone.now()
        created, _existing = generate(now=now)
        verifier_of = {}
        for username, _name, role, slugs in USERS:
            if role == roles.VERIFIKATOR:
                for slug in slugs:
                    verifier_of.setdefault(slug, users[username])
        week = latest_due(now, "mingguan")
        self.build_dispositions(week, users)
        for period in (week,):
            if RekapKabupaten.objects.filter(periode=period.cadence,
                                             periode_mulai=period.start_date,
                                             status="ditandatangani").exists():
                continue
            for kecamatan in Kecamatan.objects.order_by("nama"):
                recap = ensure(RekapKecamatan, period, kecamatan=kecamatan)[0]
                if recap.status != "draf":
                    continue
                verifier = verifier_of[kecamatan.slug]
                transitions.update(
                    recap, verifier,
                    situasi_umum=f"Situasi Kecamatan {kecamatan.nama} selama periode "
                                 f"{period.label} secara umum aman dan kondusif.",
                    penilaian="Gangguan yang dilaporkan bersifat lokal dan telah ditangani "
                              "bersama Polsek, Koramil dan aparat desa.",
                    rekomendasi="Lanjutkan patroli dan koordinasi rutin dengan tokoh "
                                "masyarakat.",
                )
                transitions.submit(recap, verifier)
                transitions.decide(recap, admin, "approve")
            # The exporters are switched on before the signature only: the
            # signed recap's files are made (and stored) once, after the
            # commit, without rendering every kecamatan recap.
            for label in ("export_pdf", "export_docx", "export_xlsx"):
                set_enabled(label, True)
            regency = ensure(RekapKabupaten, period)[0]
            transitions.update(
                regency, admin,
                situasi_umum=f"Situasi Kabupaten Balangan selama periode {period.label} "
                             "secara umum aman dan terkendali.",
                penilaian="Kebakaran lahan, kelangkaan elpiji dan ketegangan menjelang "
                          "pemilihan kepala desa perlu terus diwaspadai.",
                rekomendasi="Koordinasi Forkopimda; patroli gabungan di titik rawan; "
                            "operasi pasar elpiji bersama Dinas Perdagangan.",
            )
            transitions.submit(regency, admin)
            transitions.decide(regency, signer.pengguna or admin, "approve")
        self.say(f"      {created} rekap dibuat; rekap mingguan {week.label} disetujui dan "
                 "ditandatangani.")

    def build_dispositions(self, period, users):
        from cms.followup import transitions as followup
        from cms.followup.models import Disposisi, Instansi
        from cms.reports.models import Laporan

        if Disposisi.objects.exists():
            return
        reports = list(
            Laporan.objects.filter(live=True, waktu_kejadian__gte=period.start,
                                   waktu_kejadian__lt=period.end)
            .order_by("-urgensi", "waktu_kejadian")[:2]
        )
        polres = Instansi.objects.get(singkatan="Polres Balangan")
        for number, laporan in enumerate(reports):
            disposisi = followup.issue(
                laporan.pk, users["pimpinan"], instansi_ids=[polres.pk],
                instruksi="Tangani di lapangan dan laporkan perkembangannya.",
                batas_waktu=timezone.now() + datetime.timedelta(days=2),
            )
            if number == 0:
                step = disposisi.tindak_lanjut.get()
                followup.record_step(step.pk, users["instansi.polres"], status="diterima",
                                     catatan="Diterima; anggota menuju lokasi.")
