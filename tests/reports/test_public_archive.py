"""The public report archive (/laporan/) and report detail pages."""

import datetime

import pytest
from django.db import connection
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cms.accounts import roles
from cms.reports import services
from cms.reports.models import Aspek, JenisATHG, Lampiran, Status
from tests import factories

from .reports_factories import make_report, photo, report_fields, verified_report

pytestmark = pytest.mark.django_db

INDEX = reverse("reports:index")


@pytest.fixture(autouse=True)
def _remove_private_files(db):
    yield
    for item in Lampiran.objects.all():
        storage = item.berkas.storage
        for name in (item.berkas.name, f"{item.berkas.name}.thumb.jpg",
                     f"{item.berkas.name}.web.jpg"):
            storage.delete(name)


def listed(response):
    return {item.pk for item in response.context["reports"]}


@pytest.fixture
def officer(db):
    """An officer with a name, filing in Paringin and Halong."""
    return factories.make_user(
        roles.PETUGAS, username="budi.lapangan", first_name="Budiman", last_name="Sastrowardoyo",
        kecamatan=[factories.kecamatan("paringin"), factories.kecamatan("halong")],
    )


@pytest.fixture
def verifier_halong(db):
    return factories.make_user(roles.VERIFIKATOR, kecamatan=[factories.kecamatan("halong")])


def test_guest_sees_only_verified_public_reports(client, petugas, verifikator):
    public = verified_report(petugas, verifikator, judul="Laporan publik terverifikasi")
    terbatas = verified_report(
        petugas, verifikator, judul="Laporan terbatas terverifikasi", klasifikasi="terbatas"
    )
    draft = make_report(petugas, judul="Draf yang belum dikirim")
    waiting = make_report(petugas, submit=True, judul="Menunggu verifikasi")
    assert waiting.status == Status.MENUNGGU

    response = client.get(INDEX)
    assert response.status_code == 200
    assert listed(response) == {public.pk}
    html = response.content.decode()
    assert "Laporan publik terverifikasi" in html
    for hidden in (terbatas, draft, waiting):
        assert hidden.judul not in html


def test_signed_in_citizen_sees_the_same_as_a_guest(client, petugas, verifikator, pengguna):
    public = verified_report(petugas, verifikator)
    verified_report(petugas, verifikator, klasifikasi="terbatas")
    client.force_login(pengguna)
    assert listed(client.get(INDEX)) == {public.pk}


def test_pimpinan_also_sees_verified_terbatas(client, petugas, verifikator, pimpinan):
    public = verified_report(petugas, verifikator)
    terbatas = verified_report(petugas, verifikator, klasifikasi="terbatas")
    make_report(petugas, submit=True, klasifikasi="terbatas")
    client.force_login(pimpinan)
    response = client.get(INDEX)
    assert listed(response) == {public.pk, terbatas.pk}
    assert "Terbatas" in response.content.decode()


def test_officer_does_not_see_own_unverified_reports_here(client, petugas, verifikator):
    public = verified_report(petugas, verifikator)
    make_report(petugas)
    make_report(petugas, submit=True)
    client.force_login(petugas)
    assert listed(client.get(INDEX)) == {public.pk}


def test_filter_by_kecamatan(client, officer, verifikator, verifier_halong):
    paringin = verified_report(officer, verifikator)
    halong = verified_report(officer, verifier_halong, kec="halong")
    assert listed(client.get(INDEX, {"kecamatan": "halong"})) == {halong.pk}
    assert listed(client.get(INDEX, {"kecamatan": "paringin"})) == {paringin.pk}
    assert listed(client.get(INDEX)) == {paringin.pk, halong.pk}


def test_filter_by_aspek_and_jenis(client, petugas, verifikator):
    sosial = verified_report(petugas, verifikator)
    ekonomi = verified_report(
        petugas, verifikator, aspek=Aspek.objects.get(slug="ekonomi"),
        jenis_athg=JenisATHG.objects.get(slug="ancaman"),
    )
    assert listed(client.get(INDEX, {"aspek": "ekonomi"})) == {ekonomi.pk}
    assert listed(client.get(INDEX, {"aspek": "sosial-budaya"})) == {sosial.pk}
    assert listed(client.get(INDEX, {"jenis": "ancaman"})) == {ekonomi.pk}
    assert listed(client.get(INDEX, {"jenis": "gangguan"})) == {sosial.pk}
    assert listed(client.get(INDEX, {"jenis": "gangguan", "aspek": "ekonomi"})) == set()


def test_filter_by_local_date_range(client, petugas, verifikator):
    today = timezone.localdate()

    def at(days_ago, hour):
        day = today - datetime.timedelta(days=days_ago)
        return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, 30)))

    old = verified_report(petugas, verifikator, waktu_kejadian=at(40, 10))
    # 00:30 WITA is the previous day in UTC: the filter must use local days.
    early = verified_report(petugas, verifikator, waktu_kejadian=at(10, 0))
    late = verified_report(petugas, verifikator, waktu_kejadian=at(10, 23))

    day = (today - datetime.timedelta(days=10)).isoformat()
    assert listed(client.get(INDEX, {"dari": day, "sampai": day})) == {early.pk, late.pk}
    assert listed(client.get(INDEX, {"dari": day})) == {early.pk, late.pk}
    assert listed(client.get(INDEX, {"sampai": day})) == {old.pk, early.pk, late.pk}
    before = (today - datetime.timedelta(days=11)).isoformat()
    assert listed(client.get(INDEX, {"sampai": before})) == {old.pk}


def test_search_by_title_text_and_number(client, petugas, verifikator):
    pasar = verified_report(petugas, verifikator, judul="Keributan di pasar Paringin")
    banjir = verified_report(
        petugas, verifikator, judul="Luapan sungai", fakta="Banjir merendam jalan desa."
    )
    assert listed(client.get(INDEX, {"q": "pasar"})) == {pasar.pk}
    assert listed(client.get(INDEX, {"q": "BANJIR"})) == {banjir.pk}
    assert listed(client.get(INDEX, {"q": banjir.nomor})) == {banjir.pk}
    assert listed(client.get(INDEX, {"q": "tidak-ada-apa-apa"})) == set()


def test_bad_filter_input_shows_an_error_not_a_crash(client, petugas, verifikator):
    public = verified_report(petugas, verifikator)
    response = client.get(INDEX, {"dari": "notadate", "kecamatan": "atlantis", "halaman": "x"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Masukkan tanggal yang valid" in html  # Django's own message, in Indonesian
    assert 'aria-invalid="true"' in html
    assert response.context["form"].errors.keys() == {"dari", "kecamatan"}
    # The valid rest still works: nothing else was filtered away.
    assert listed(response) == {public.pk}


def test_reversed_date_range_is_reported(client, petugas, verifikator):
    verified_report(petugas, verifikator)
    response = client.get(INDEX, {"dari": "2026-05-02", "sampai": "2026-05-01"})
    assert response.status_code == 200
    assert "Tanggal akhir tidak boleh sebelum tanggal awal." in response.content.decode()


def test_pagination_20_per_page(client, petugas, verifikator):
    reports = [verified_report(petugas, verifikator, judul=f"Laporan {n}") for n in range(21)]
    first = client.get(INDEX)
    assert len(first.context["reports"].object_list) == 20
    second = client.get(INDEX, {"halaman": 2})
    assert len(second.context["reports"].object_list) == 1
    assert listed(first) | listed(second) == {r.pk for r in reports}


def _count_list_queries(client):
    client.get(INDEX)  # warm up caches that are not per-report (content types, site)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(INDEX)
    assert response.status_code == 200
    return len(queries), len(response.context["reports"].object_list)


def test_list_query_count_does_not_grow_with_reports(client, petugas, verifikator):
    for n in range(3):
        verified_report(petugas, verifikator, judul=f"Laporan {n}", uploads=[photo()])
    few, shown = _count_list_queries(client)
    assert shown == 3
    for n in range(3, 15):
        verified_report(petugas, verifikator, judul=f"Laporan {n}", uploads=[photo()])
    many, shown = _count_list_queries(client)
    assert shown == 15
    assert many == few


def test_detail_shows_the_report_without_reporter_or_source(client, officer, verifikator):
    laporan = verified_report(
        officer, verifikator, desa=factories.kecamatan("paringin").desa.first(),
        uploads=[photo(), photo("kedua.jpg")],
    )
    response = client.get(reverse("reports:detail", args=[laporan.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    for text in (laporan.nomor, laporan.judul, laporan.fakta, laporan.analisis,
                 laporan.rekomendasi, "Paringin", "Sosial Budaya", "Gangguan", "Tinggi", "WITA"):
        assert text in html
    # OpenStreetMap link with dot decimals whatever the locale.
    assert "openstreetmap.org/?mlat=-2.334900&amp;mlon=115.469000" in html
    for item in laporan.lampiran.all():
        assert f"/laporan/lampiran/{item.pk}/?ukuran=web" in html
    # Never the reporter nor the source.
    assert "Pak RT 03" not in html
    assert laporan.sumber_informasi not in html
    assert "budi.lapangan" not in html
    assert "Budiman" not in html and "Sastrowardoyo" not in html


@pytest.mark.parametrize("viewer", [None, "pimpinan", "administrator"])
def test_detail_hides_sources_from_everyone(client, request, petugas, verifikator, viewer):
    laporan = verified_report(petugas, verifikator, klasifikasi="terbatas")
    if viewer:
        client.force_login(request.getfixturevalue(viewer))
    response = client.get(reverse("reports:detail", args=[laporan.pk]))
    if viewer is None:
        assert response.status_code == 404
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert laporan.sumber_informasi not in html
    assert petugas.username not in html


def test_detail_404_for_drafts_and_unverified_reports(client, petugas, verifikator, administrator):
    draft = make_report(petugas)
    waiting = make_report(petugas, submit=True)
    for laporan in (draft, waiting):
        url = reverse("reports:detail", args=[laporan.pk])
        assert client.get(url).status_code == 404
        # Not on the public page even for those who may see it in the admin.
        for user in (petugas, verifikator, administrator):
            client.force_login(user)
            assert client.get(url).status_code == 404
        client.logout()


def test_detail_404_for_terbatas_as_guest(client, petugas, verifikator, pimpinan):
    laporan = verified_report(petugas, verifikator, klasifikasi="terbatas")
    url = reverse("reports:detail", args=[laporan.pk])
    assert client.get(url).status_code == 404
    client.force_login(pimpinan)
    assert client.get(url).status_code == 200


def test_detail_404_for_unknown_report(client):
    assert client.get(reverse("reports:detail", args=[999999])).status_code == 404


def test_preview_template_renders_the_shared_body(rf, petugas):
    laporan = services.create_report(
        petugas, uploads=[photo("bukti-lapangan.jpg")], **report_fields()
    )
    request = rf.get("/")
    request.user = petugas
    html = render_to_string(
        laporan.get_preview_template(request, ""), laporan.get_preview_context(request, ""),
        request=request,
    )
    assert laporan.judul in html and laporan.fakta in html
    assert "bukti-lapangan.jpg" in html
    assert "/laporan/lampiran/" not in html
    assert laporan.sumber_informasi not in html
