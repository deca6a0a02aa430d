"""Realistic demo content for a fresh SIKANDA install (never for production).

Each builder is idempotent on its natural key, so running the command twice
leaves one copy of everything."""

import datetime
import io
import uuid

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.utils import timezone
from PIL import Image as PILImage
from PIL import ImageDraw
from wagtail.images import get_image_model
from wagtail.models import Site

from cms.accounts import roles
from cms.facilities.models import FacilityIndexPage, FacilityKind, FacilityPage
from cms.home.models import HomePage, SiteSettings
from cms.news.models import NewsCategory, NewsIndexPage, NewsPage
from cms.reports.assignments import FILE_REPORT, VERIFY_REPORT, assign
from cms.reports.models import Desa, Kecamatan

DEMO_PASSWORD = "sikanda-demo-2026"

# username, full name, role, kecamatan slugs (file/verify assignment)
USERS = [
    ("admin", "Rahmat Hidayat", roles.ADMINISTRATOR, []),
    ("pimpinan", "H. Abdul Hadi", roles.PIMPINAN, []),
    ("verifikator.paringin", "Siti Aminah", roles.VERIFIKATOR, ["paringin", "paringin-selatan"]),
    ("verifikator.halong", "Muhammad Ridwan", roles.VERIFIKATOR, ["halong", "juai"]),
    ("petugas.paringin", "Ahmad Fauzi", roles.PETUGAS, ["paringin"]),
    ("petugas.halong", "Norhasanah", roles.PETUGAS, ["halong"]),
    ("petugas.juai", "Budi Santoso", roles.PETUGAS, ["juai", "halong"]),
    ("warga", "Dewi Lestari", roles.PENGGUNA, []),
]

DESA = {
    "paringin": [
        ("Paringin Kota", "kelurahan"),
        ("Paringin Timur", "kelurahan"),
        ("Lasung Batu", "desa"),
    ],
    "paringin-selatan": [("Batu Piring", "kelurahan"), ("Hujan Mas", "desa"), ("Lok Batu", "desa")],
    "halong": [("Halong", "desa"), ("Mauya", "desa"), ("Binjai Punggal", "desa")],
    "juai": [("Juai", "desa"), ("Lalayau", "desa")],
    "awayan": [("Awayan", "desa"), ("Baramban", "desa")],
    "batumandi": [("Batumandi", "desa"), ("Mampari", "desa")],
    "lampihong": [("Lampihong Kiri", "desa"), ("Lampihong Kanan", "desa")],
    "tebing-tinggi": [("Tebing Tinggi", "desa"), ("Dayak Pitap", "desa")],
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

# officer, title, kecamatan, desa, ATHG, aspect, urgency, classification, end state, verifier,
# facts
REPORTS = [
    ("petugas.paringin", "Keributan antarpemuda di Pasar Paringin", "paringin", "Paringin Kota", "gangguan", "sosial-budaya", "tinggi", "publik", "terverifikasi", "verifikator.paringin",
     "Sekitar 20 pemuda dari dua desa bersitegang di area parkir Pasar Paringin setelah pertandingan sepak bola. Aparat kelurahan dan Bhabinkamtibmas melerai; tidak ada korban."),
    ("petugas.paringin", "Rencana unjuk rasa pedagang terkait relokasi pasar", "paringin", "Paringin Timur", "tantangan", "ekonomi", "sedang", "terbatas", "terverifikasi", "verifikator.paringin",
     "Paguyuban pedagang berencana menyampaikan aspirasi ke DPRD pekan depan menolak relokasi sementara. Diperkirakan 100–150 orang."),
    ("petugas.paringin", "Penyebaran selebaran provokatif menjelang pilkades", "paringin", "Lasung Batu", "ancaman", "politik", "tinggi", "terbatas", "menunggu", None,
     "Ditemukan selebaran tanpa identitas di beberapa warung yang menyudutkan salah satu calon kepala desa."),
    ("petugas.paringin", "Jalan penghubung desa longsor", "paringin", "Lasung Batu", "hambatan", "ekonomi", "sedang", "publik", "perlu_perbaikan", "verifikator.paringin",
     "Badan jalan penghubung desa amblas sepanjang kurang lebih 15 meter setelah hujan deras."),
    ("petugas.paringin", "Catatan pemantauan harian", "paringin", None, "tantangan", "sosial-budaya", "rendah", "terbatas", "draf", None,
     "Situasi umum kondusif; kegiatan masyarakat berjalan normal."),
    ("petugas.halong", "Banjir luapan Sungai Balangan di Halong", "halong", "Halong", "gangguan", "pertahanan-dan-keamanan", "darurat", "publik", "terverifikasi", "verifikator.halong",
     "Air sungai meluap dengan ketinggian 50–80 cm merendam sekitar 40 rumah warga. Warga lansia dievakuasi ke balai desa."),
    ("petugas.halong", "Sengketa batas lahan kebun antarwarga", "halong", "Mauya", "hambatan", "sosial-budaya", "sedang", "terbatas", "menunggu", None,
     "Dua keluarga bersengketa batas kebun karet; mediasi oleh kepala desa belum berhasil."),
    ("petugas.juai", "Titik api di lahan gambut Juai", "juai", "Juai", "ancaman", "pertahanan-dan-keamanan", "tinggi", "publik", "terverifikasi", "verifikator.halong",
     "Terpantau tiga titik api di lahan gambut seluas sekitar 2 hektare; tim Manggala Agni dan BPBD menuju lokasi."),
    ("petugas.halong", "Isu kerusuhan di pasar Halong", "halong", "Halong", "ancaman", "sosial-budaya", "tinggi", "publik", "ditarik", "verifikator.halong",
     "Beredar kabar akan ada kerusuhan di pasar Halong; belakangan terbukti hoaks."),
]

PALETTE = ["#0b5d3b", "#14456b", "#7a4b12", "#5b2a6e", "#1f6f6b", "#8a1c1c"]


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
            ("Plugin umpan CAP diaktifkan", self.enable_plugins),
        ]
        for number, (label, step) in enumerate(steps, start=1):
            self.say(f"[{number}/{len(steps)}] {label}…")
            step()

    def kecamatan(self, slug):
        return Kecamatan.objects.get(slug=slug)

    def build_desa(self):
        for slug, desa in DESA.items():
            kecamatan = self.kecamatan(slug)
            for nama, jenis in desa:
                Desa.objects.get_or_create(
                    kecamatan=kecamatan, nama=nama, defaults={"jenis": jenis}
                )

    def build_users(self):
        User = get_user_model()
        for username, full_name, role, kecamatan in USERS:
            first, _, last = full_name.rpartition(" ")
            user, created = User.objects.get_or_create(
                username=username,
                defaults={
                    "first_name": first or last,
                    "last_name": last if first else "",
                    "email": f"{username}@demo.sikanda.balangankab.go.id",
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
            user.groups.add(Group.objects.get(name=role))
            perm = VERIFY_REPORT if role == roles.VERIFIKATOR else FILE_REPORT
            assign(user, perm, *(self.kecamatan(slug) for slug in kecamatan))

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

    def build_reports(self):
        from cms.reports import services
        from cms.reports.models import Aspek, JenisATHG, Laporan

        User = get_user_model()
        now = timezone.now()
        for number, row in enumerate(REPORTS):
            officer, judul, kec, desa, athg, aspek, urgensi, klasifikasi, state, verifier, fakta = row
            pelapor = User.objects.get(username=officer)
            client_uuid = uuid.uuid5(uuid.NAMESPACE_URL, f"sikanda-demo/{judul}")
            if Laporan.objects.filter(pelapor=pelapor, client_uuid=client_uuid).exists():
                continue
            kecamatan = self.kecamatan(kec)
            laporan = services.create_report(
                pelapor,
                client_uuid=client_uuid,
                judul=judul,
                periode="insidentil" if urgensi in ("tinggi", "darurat") else "harian",
                jenis_athg=JenisATHG.objects.get(slug=athg),
                aspek=Aspek.objects.get(slug=aspek),
                urgensi=urgensi,
                kecamatan=kecamatan,
                desa=Desa.objects.filter(kecamatan=kecamatan, nama=desa).first() if desa else None,
                waktu_kejadian=now - datetime.timedelta(hours=6 * number + 3),
                fakta=fakta,
                analisis="Perlu pemantauan lanjutan oleh Tim Kewaspadaan Dini kecamatan.",
                rekomendasi="Koordinasi dengan camat, Polsek dan Koramil setempat.",
                sumber_informasi="Tokoh masyarakat setempat (identitas dirahasiakan).",
                klasifikasi=klasifikasi,
            )
            if state == "draf":
                continue
            services.submit(laporan, pelapor)
            reviewer = User.objects.get(username=verifier) if verifier else None
            if state in ("terverifikasi", "ditarik"):
                services.act(laporan, reviewer, "approve", comment="Sesuai fakta lapangan.",
                             keandalan_sumber="B", kredibilitas_informasi="2")
            if state == "ditarik":
                services.retract(laporan, reviewer, "Klarifikasi Polsek: kabar itu hoaks.")
            elif state == "perlu_perbaikan":
                services.act(laporan, reviewer, "reject",
                             comment="Mohon lengkapi titik koordinat dan foto lokasi.")

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
