import datetime
import io

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from cms.accounts import roles
from cms.facilities.models import FacilityPage
from cms.news.models import NewsPage
from cms.reports.assignments import FILE_REPORT, VERIFY_REPORT, assigned_kecamatan, assigned_users
from cms.reports.models import Kecamatan, Lampiran, Laporan, Status

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for this module (it is the slowest thing the
    suite builds), inside a transaction rolled back at the end; each test
    runs in its own savepoint on top of it."""
    out = io.StringIO()
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("load_demo_data", stdout=out)
            yield out.getvalue()
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


def test_demo_data_fills_an_empty_database_and_prints_logins(demo, django_user_model):
    for username in ["admin", "pimpinan", "verifikator.paringin", "petugas.paringin", "warga"]:
        assert username in demo
        assert django_user_model.objects.filter(username=username).exists()
    for role in roles.ALL:
        assert django_user_model.objects.filter(groups__name=role).exists(), role
    assert NewsPage.objects.live().count() >= 5
    kecamatan = set(FacilityPage.objects.live().values_list("kecamatan__slug", flat=True))
    assert len(kecamatan) >= 5
    officer = django_user_model.objects.get(username="petugas.paringin")
    verifier = django_user_model.objects.get(username="verifikator.paringin")
    assert [k.slug for k in assigned_kecamatan(officer, FILE_REPORT)] == ["paringin"]
    assert {k.slug for k in assigned_kecamatan(verifier, VERIFY_REPORT)} == {
        "paringin",
        "paringin-selatan",
    }
    assert "65 laporan baru" in demo


def test_every_kecamatan_has_verifiers_and_officers(demo):
    verifiers = {k.slug: assigned_users(k, VERIFY_REPORT).count() for k in Kecamatan.objects.all()}
    officers = {k.slug: assigned_users(k, FILE_REPORT).count() for k in Kecamatan.objects.all()}
    assert len(verifiers) == 8 and min(verifiers.values()) >= 1
    assert sum(1 for n in verifiers.values() if n >= 2) >= 4
    assert min(officers.values()) >= 1


def test_demo_data_has_reports_in_every_state(demo):
    assert set(Laporan.objects.values_list("status", flat=True)) == set(Status.values)
    verified = Laporan.objects.filter(status=Status.TERVERIFIKASI)
    assert verified.filter(live=True, klasifikasi="publik").exists()
    assert verified.filter(live=True, klasifikasi="terbatas").exists()
    assert all(laporan.penilaian for laporan in verified)


def test_many_reports_across_kecamatan_and_the_last_30_days(demo):
    reports = Laporan.objects.all()
    assert reports.count() >= 60
    assert set(reports.values_list("kecamatan__slug", flat=True)) == set(
        Kecamatan.objects.values_list("slug", flat=True)
    )
    now = timezone.now()
    times = list(reports.values_list("waktu_kejadian", flat=True))
    assert all(now - datetime.timedelta(days=30) <= t <= now for t in times)
    assert max(times) - min(times) > datetime.timedelta(days=25)
    assert {"aplikasi", "telepon", "surat"} <= set(reports.values_list("saluran", flat=True))


def test_every_demo_report_has_a_real_photo_and_some_a_pdf(demo):
    assert not Laporan.objects.exclude(lampiran__jenis=Lampiran.Jenis.FOTO).exists()
    photos = Lampiran.objects.filter(jenis=Lampiran.Jenis.FOTO)
    sizes = set()
    for lampiran in photos[:10]:
        with lampiran.berkas.open("rb") as handle, Image.open(handle) as image:
            assert (image.format, image.size) == ("JPEG", (1280, 960))
            sizes.add(lampiran.ukuran)
        assert lampiran.mime == "image/jpeg" and lampiran.ukuran == lampiran.berkas.size
    assert len(sizes) == 10  # different pictures, not one copied
    documents = Lampiran.objects.filter(jenis=Lampiran.Jenis.DOKUMEN)
    assert documents.count() >= 10
    with documents.first().berkas.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"


def test_admin_pages_of_a_demo_report_with_a_photo_answer_200(demo, client, django_user_model):
    laporan = Laporan.objects.filter(status=Status.MENUNGGU, kecamatan__slug="halong").first()
    photo = laporan.lampiran.get(jenis=Lampiran.Jenis.FOTO)
    for username in ("admin", "verifikator.halong"):
        client.force_login(django_user_model.objects.get(username=username))
        for view in ("edit", "inspect"):
            url = reverse(f"wagtailsnippets_reports_laporan:{view}", args=[laporan.pk])
            # A verifier opening the editor is taken to the report's desk screen.
            response = client.get(url, follow=True)
            assert response.status_code == 200, (username, view)
            assert f"/laporan/lampiran/{photo.pk}/?ukuran=thumb" in response.content.decode()
        assert client.get(f"/laporan/lampiran/{photo.pk}/?ukuran=thumb").status_code == 200


def test_demo_enables_the_cap_feed(demo, client):
    feed = client.get("/plugin/cap_alerts/alerts.atom")
    assert feed.status_code == 200 and b"Banjir luapan Sungai Balangan" in feed.content


def test_demo_data_twice_makes_no_duplicates(demo, django_user_model):
    counts = (
        django_user_model.objects.count(),
        NewsPage.objects.count(),
        FacilityPage.objects.count(),
        Laporan.objects.count(),
        Lampiran.objects.count(),
    )
    out = io.StringIO()
    call_command("load_demo_data", stdout=out)
    assert "0 laporan baru" in out.getvalue()
    assert counts == (
        django_user_model.objects.count(),
        NewsPage.objects.count(),
        FacilityPage.objects.count(),
        Laporan.objects.count(),
        Lampiran.objects.count(),
    )


def test_demo_data_refuses_under_production_settings(settings, django_user_model):
    settings.SIKANDA_DEMO_DATA_ALLOWED = False
    users = django_user_model.objects.count()
    with pytest.raises(CommandError, match="ditolak"):
        call_command("load_demo_data")
    assert django_user_model.objects.count() == users


def test_demo_fills_the_compliance_board_with_every_state(demo, django_user_model):
    from cms.compliance import board
    from cms.compliance.models import LaporanNihil

    assert "laporan nihil." in demo and LaporanNihil.objects.count() >= 20
    today = timezone.localdate()
    columns, rows = board.build(django_user_model.objects.get(username="admin"),
                                board.Tampilan.HARIAN,
                                board.Rentang.BULAN, today - datetime.timedelta(days=7), today)
    states = {cell.keadaan for row in rows for cell in row.sel}
    assert {board.Keadaan.MELAPOR, board.Keadaan.NIHIL, board.Keadaan.TIDAK_ADA} <= states


def test_demo_has_approved_kecamatan_recaps_and_a_signed_regency_recap(
    demo, client, django_user_model
):
    from cms.recaps.models import BerkasRekap, RekapKabupaten, RekapKecamatan

    assert "ditandatangani" in demo
    signed = RekapKabupaten.objects.get(status="ditandatangani")
    assert signed.periode == "mingguan" and signed.nomor and signed.checksum
    assert signed.isi_beku["jumlah"]["jumlah"] > 0
    assert signed.isi_beku["tindak_lanjut"]["jumlah"]["diterbitkan"] == 2
    approved = RekapKecamatan.objects.filter(periode="mingguan", periode_mulai=signed.periode_mulai)
    assert approved.count() == 8 and set(approved.values_list("status", flat=True)) == {
        "disetujui"
    }
    assert all(row["disetujui"] for row in signed.isi_beku["rekap_kecamatan"])
    # Its files are queued in the loader's transaction and made after it commits.
    assert set(BerkasRekap.objects.filter(rekap_kabupaten=signed)
               .values_list("format", flat=True)) == {"pdf", "docx", "xlsx"}
    client.force_login(django_user_model.objects.get(username="pimpinan"))
    response = client.get(f"/rekap/kabupaten/{signed.pk}/unduh/xlsx/")
    assert response.status_code == 200
    # The cron job's drafts of the latest daily and monthly periods are there too.
    assert set(RekapKabupaten.objects.values_list("periode", flat=True)) == {
        "harian", "mingguan", "bulanan"
    }


def test_publications_in_the_demo_are_broadcasts_to_followers(demo, django_user_model):
    """The demo guest follows every kecamatan (as the app's registration
    does) and forty app guests follow one or two: each public report's
    publication went out to them and sits in their inbox."""
    from cms.notifications.models import Notifikasi, Siaran
    from cms.platform import outbox
    from cms.reports.models import Laporan

    # This module loads the demo inside one transaction, so what `make run`
    # does after each commit (the workers' expansion) is done here.
    outbox.sweep(Siaran)
    published = Laporan.objects.filter(klasifikasi="publik", status="terverifikasi", live=True)
    broadcasts = Siaran.objects.filter(peristiwa="report.published")
    assert broadcasts.count() >= published.count() > 10
    assert set(broadcasts.values_list("status", flat=True)) == {Siaran.Status.SENT}
    reached = broadcasts.filter(laporan__in=published)
    assert reached.count() == published.count()
    assert min(reached.values_list("jumlah_penerima", flat=True)) > 1
    # Expanded only now, after the demo retracted some: those reach nobody.
    assert set(broadcasts.exclude(laporan__in=published)
               .values_list("jumlah_penerima", flat=True)) <= {0}
    warga = django_user_model.objects.get(username="warga")
    assert Notifikasi.objects.filter(penerima=warga, peristiwa="report.published").count() \
        == reached.count()
    assert django_user_model.objects.filter(username__startswith="pelanggan.demo").count() == 40
