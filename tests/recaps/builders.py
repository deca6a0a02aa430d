"""A signed regency recap with reports in several aspects, built through the
real services (reports verified in the workflow, recaps through the
transition service) — for the exporter tests and the screenshot."""

import datetime

from django.utils import timezone

from cms.accounts import roles
from cms.recaps import transitions
from cms.recaps.generation import ensure
from cms.recaps.models import Penandatangan, RekapKabupaten, RekapKecamatan
from cms.recaps.periods import Period
from cms.reports.models import Aspek, JenisATHG
from tests import factories
from tests.reports.reports_factories import verified_report

SAMPLES = [
    ("ideologi", "ancaman", "rendah", "Selebaran paham radikal di masjid desa",
     "Ditemukan selebaran tanpa identitas berisi ajakan menolak Pancasila."),
    ("politik", "tantangan", "sedang", "Ketegangan pendukung calon kepala desa",
     "Dua kubu pendukung calon kepala desa saling sindir di media sosial."),
    ("ekonomi", "hambatan", "sedang", "Kelangkaan elpiji 3 kg",
     "Antrean panjang di pangkalan elpiji; harga eceran naik menjadi Rp35.000."),
    ("sosial-budaya", "gangguan", "tinggi", "Keributan pemuda di pasar Paringin",
     "Dua kelompok pemuda bersitegang; dilerai aparat desa dan Bhabinkamtibmas."),
    ("pertahanan-dan-keamanan", "gangguan", "darurat", "Kebakaran lahan dekat permukiman",
     "Api membakar sekitar dua hektare lahan gambut; warga dievakuasi sementara."),
]


def setup_signer():
    signer = factories.make_user(roles.ADMINISTRATOR, username="kaban.kesbangpol")
    setting = Penandatangan.current()
    setting.pengguna = signer
    setting.nama = "Drs. H. Ahmad Fauzi, M.Si"
    setting.nip = "19700101 199003 1 005"
    setting.save()
    return signer


def signed_regency_recap(cadence="harian"):
    admin = factories.make_user(roles.ADMINISTRATOR, username="admin.rekap")
    officer = factories.make_user(roles.PETUGAS, username="petugas.rekap",
                                  kecamatan=[factories.kecamatan("paringin")])
    verifier = factories.make_user(roles.VERIFIKATOR, username="verifikator.rekap",
                                   kecamatan=[factories.kecamatan("paringin")])
    signer = setup_signer()
    period = Period.containing(cadence, timezone.now() - datetime.timedelta(days=1))
    if cadence != "harian":
        period = period.previous()
    reports = []
    for hour, (aspek, jenis, urgensi, judul, fakta) in enumerate(SAMPLES, start=8):
        reports.append(verified_report(
            officer, verifier, aspek=Aspek.objects.get(slug=aspek),
            jenis_athg=JenisATHG.objects.get(slug=jenis), urgensi=urgensi, judul=judul,
            fakta=fakta, waktu_kejadian=period.start + datetime.timedelta(hours=hour),
        ))
    kecamatan = ensure(RekapKecamatan, period, kecamatan=factories.kecamatan("paringin"))[0]
    transitions.update(kecamatan, verifier, situasi_umum="Situasi Kecamatan Paringin kondusif.")
    transitions.submit(kecamatan, verifier)
    transitions.decide(kecamatan, admin, "approve")

    recap = ensure(RekapKabupaten, period)[0]
    transitions.update(
        recap, admin,
        situasi_umum="Situasi Kabupaten Balangan secara umum aman dan terkendali.",
        penilaian="Kebakaran lahan dan kelangkaan elpiji perlu diwaspadai.",
        rekomendasi="Koordinasi dengan BPBD dan Dinas Perdagangan; patroli gabungan.",
    )
    transitions.submit(recap, admin)
    recap = transitions.decide(recap, signer, "approve")
    return recap, reports
