"""The public monthly summary page, published when the regency's monthly
recap is signed through the recap transition service."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from cms.accounts import roles
from cms.home.models import RingkasanBulananIndexPage, RingkasanBulananPage
from cms.home.summaries import publish_for
from cms.recaps import events, transitions
from cms.recaps.generation import ensure
from cms.recaps.models import RekapKabupaten, RekapKecamatan
from cms.recaps.periods import Period
from cms.reports.models import Aspek
from tests import factories
from tests.recaps.builders import setup_signer
from tests.reports.reports_factories import verified_report

SECRET_TITLE = "Pergerakan kelompok tertutup di Desa Lajar"
SECRET_SOURCE = "Informan Pak Budiman, RT 04"


@pytest.fixture
def last_month():
    return Period.containing("bulanan", timezone.now()).previous()


@pytest.fixture
def officers(db):
    paringin, halong = factories.kecamatan("paringin"), factories.kecamatan("halong")
    return {
        "petugas": factories.make_user(roles.PETUGAS, username="petugas.rahasia",
                                       first_name="Rusdiansyah", kecamatan=[paringin]),
        "verifikator": factories.make_user(roles.VERIFIKATOR, username="verif.paringin",
                                           first_name="Siti", kecamatan=[paringin]),
        "petugas_halong": factories.make_user(roles.PETUGAS, username="petugas.h",
                                              kecamatan=[halong]),
        "verifikator_halong": factories.make_user(roles.VERIFIKATOR, username="verif.h",
                                                  kecamatan=[halong]),
    }


def _at(period, days, hour=9):
    return period.start + datetime.timedelta(days=days, hours=hour)


def _reports(period, officers):
    ekonomi = Aspek.objects.get(slug="ekonomi")
    ideologi = Aspek.objects.get(slug="ideologi")
    p, v = officers["petugas"], officers["verifikator"]
    verified_report(p, v, waktu_kejadian=_at(period, 2))
    verified_report(p, v, waktu_kejadian=_at(period, 3), aspek=ekonomi)
    verified_report(officers["petugas_halong"], officers["verifikator_halong"], kec="halong",
                    waktu_kejadian=_at(period, 4), aspek=ekonomi)
    verified_report(p, v, waktu_kejadian=_at(period, 5), aspek=ideologi, klasifikasi="terbatas",
                    judul=SECRET_TITLE, sumber_informasi=SECRET_SOURCE)
    verified_report(p, v, waktu_kejadian=_at(period.previous(), 6))


def _sign(period, officers, administrator, capture):
    signer = setup_signer()
    kecamatan = ensure(RekapKecamatan, period, kecamatan=factories.kecamatan("paringin"))[0]
    transitions.update(kecamatan, officers["verifikator"], situasi_umum="Kondusif.")
    transitions.submit(kecamatan, officers["verifikator"])
    transitions.decide(kecamatan, administrator, "approve")
    recap = ensure(RekapKabupaten, period)[0]
    transitions.update(recap, administrator, situasi_umum="Aman dan terkendali.")
    transitions.submit(recap, administrator)
    with capture(execute=True):
        recap = transitions.decide(recap, signer, "approve")
    return recap, signer


def test_signing_the_monthly_regency_recap_publishes_the_public_summary(
    client, administrator, officers, last_month, django_capture_on_commit_callbacks
):
    _reports(last_month, officers)
    assert not RingkasanBulananPage.objects.exists()
    recap, _signer = _sign(last_month, officers, administrator, django_capture_on_commit_callbacks)

    page = RingkasanBulananPage.objects.get()
    assert page.live and page.periode_mulai == last_month.start_date
    assert isinstance(page.get_parent().specific, RingkasanBulananIndexPage)
    # The recap counts every verified report; the public page only public ones.
    assert recap.isi_beku["jumlah"]["jumlah"] == 4
    assert page.ringkasan["jumlah"] == {"jumlah": 3, "sebelumnya": 1, "perubahan": 2}
    aspek = {row["nama"]: row["jumlah"] for row in page.ringkasan["aspek"]}
    assert aspek["Ekonomi"] == 2 and aspek["Sosial Budaya"] == 1 and aspek["Ideologi"] == 0
    kecamatan = {row["nama"]: row["jumlah"] for row in page.ringkasan["kecamatan"]}
    assert (kecamatan["Paringin"], kecamatan["Halong"], kecamatan["Juai"]) == (2, 1, 0)

    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert page.title in html and "<svg" in html
    assert "Ekonomi" in html and "Halong" in html
    for restricted in (SECRET_TITLE, SECRET_SOURCE, "Rusdiansyah", "petugas.rahasia", "Siti",
                       "verif.paringin", "SKD-"):
        assert restricted not in html
    listing = client.get(page.get_parent().url)
    assert listing.status_code == 200 and page.title in listing.content.decode()


def test_publishing_is_idempotent(
    administrator, officers, last_month, django_capture_on_commit_callbacks
):
    _reports(last_month, officers)
    recap, signer = _sign(last_month, officers, administrator, django_capture_on_commit_callbacks)
    first = RingkasanBulananPage.objects.get()
    revisions = first.revisions.count()

    # The event again (a re-delivery), the catch-up command, the function.
    events.recap_signed.send(recap=recap, actor=signer, comment="")
    call_command("publish_monthly_summaries", verbosity=0)
    assert publish_for(recap).pk == first.pk
    assert RingkasanBulananPage.objects.count() == 1
    assert RingkasanBulananIndexPage.objects.count() == 1
    assert first.revisions.count() == revisions  # nothing changed, nothing re-published


def test_only_a_signed_monthly_regency_recap_makes_a_page(db, last_month):
    daily = Period.containing("harian", timezone.now() - datetime.timedelta(days=1))
    assert publish_for(ensure(RekapKabupaten, daily)[0]) is None
    assert publish_for(ensure(RekapKabupaten, last_month)[0]) is None  # a draft
    assert publish_for(
        ensure(RekapKecamatan, last_month, kecamatan=factories.kecamatan("paringin"))[0]
    ) is None
    assert not RingkasanBulananPage.objects.exists()
