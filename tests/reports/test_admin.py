"""The report admin: listing, filters, search, query counts, inspect view,
dashboard panel, chooser and the verify-permission user lookup."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cms.accounts import roles
from cms.reports.models import Aspek, JenisATHG
from cms.reports.permissions import laporan_policy
from tests import factories

from .reports_factories import make_report, verified_report

pytestmark = pytest.mark.django_db

ADMIN = "/admin/snippets/reports/laporan/"


@pytest.fixture
def halong_verifier(db):
    return factories.make_user(
        roles.VERIFIKATOR, "verifikator.halong", kecamatan=[factories.kecamatan("halong")]
    )


@pytest.fixture
def halong_officer(db):
    return factories.make_user(
        roles.PETUGAS, "petugas.halong", kecamatan=[factories.kecamatan("halong")]
    )


def listed(client, **params):
    response = client.get(ADMIN, params)
    assert response.status_code == 200
    return {obj.judul for obj in response.context["object_list"]}


def test_listing_shows_only_what_the_policy_allows(
    client, petugas, verifikator, halong_verifier, halong_officer
):
    make_report(petugas, judul="Draf Paringin")
    make_report(petugas, submit=True, judul="Menunggu Paringin", klasifikasi="terbatas")
    make_report(
        halong_officer, submit=True, judul="Menunggu Halong",
        kecamatan=factories.kecamatan("halong"),
    )

    client.force_login(verifikator)
    assert listed(client) == {"Menunggu Paringin"}
    client.force_login(halong_verifier)
    assert listed(client) == {"Menunggu Halong"}


def test_listing_filters_and_search(client, petugas, administrator, halong_officer):
    now = timezone.now()
    make_report(
        petugas, judul="Banjir pasar", urgensi="darurat",
        jenis_athg=JenisATHG.objects.get(slug="ancaman"), aspek=Aspek.objects.get(slug="ekonomi"),
        waktu_kejadian=now - datetime.timedelta(days=10), fakta="Air naik di pasar lama.",
    )
    submitted = make_report(petugas, submit=True, judul="Keributan pemuda", urgensi="rendah")
    make_report(
        halong_officer, judul="Sengketa lahan", kecamatan=factories.kecamatan("halong"),
        aspek=Aspek.objects.get(slug="politik"),
    )
    client.force_login(administrator)
    every = {"Banjir pasar", "Keributan pemuda", "Sengketa lahan"}
    assert listed(client) == every
    assert listed(client, status="menunggu") == {"Keributan pemuda"}
    assert listed(client, status="draf") == {"Banjir pasar", "Sengketa lahan"}
    assert listed(client, kecamatan=factories.kecamatan("halong").pk) == {"Sengketa lahan"}
    assert listed(client, aspek=Aspek.objects.get(slug="ekonomi").pk) == {"Banjir pasar"}
    assert listed(client, jenis_athg=JenisATHG.objects.get(slug="ancaman").pk) == {"Banjir pasar"}
    assert listed(client, urgensi="darurat") == {"Banjir pasar"}
    week_ago = (now - datetime.timedelta(days=7)).date().isoformat()
    assert listed(client, waktu_kejadian_to=week_ago) == {"Banjir pasar"}
    assert listed(client, waktu_kejadian_from=week_ago) == {"Keributan pemuda", "Sengketa lahan"}
    # Search covers judul, fakta and nomor.
    assert listed(client, q="keributan") == {"Keributan pemuda"}
    assert listed(client, q="pemuda") == {"Keributan pemuda", "Sengketa lahan"}  # fakta
    assert listed(client, q="Air naik") == {"Banjir pasar"}
    assert listed(client, q=submitted.nomor) == {"Keributan pemuda"}
    assert listed(client, q="pemuda", status="draf") == {"Sengketa lahan"}


def test_search_respects_the_policy(client, petugas, halong_verifier):
    make_report(petugas, submit=True, judul="Keributan pemuda")
    client.force_login(halong_verifier)
    assert listed(client, q="pemuda") == set()


def _listing_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(ADMIN)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["object_list"])


@pytest.mark.parametrize("role", ["administrator", "verifikator"])
def test_listing_query_count_is_constant(role, request, client, petugas, verifikator):
    client.force_login(request.getfixturevalue(role))
    for i in range(3):
        make_report(petugas, submit=True, judul=f"Laporan {i}")
    client.get(ADMIN)  # warm per-process caches (content types, site)
    few, rows = _listing_queries(client)
    assert rows == 3
    for i in range(3, 15):
        make_report(petugas, submit=True, judul=f"Laporan {i}")
    many, rows = _listing_queries(client)
    assert rows == 15
    print(f"{role}: {few} queries for 3 reports, {many} for 15")
    assert few == many


def test_inspect_shows_body_and_coordinates_to_the_verifier(client, petugas, verifikator):
    laporan = make_report(
        petugas, submit=True, fakta="Dua kelompok pemuda bersitegang di pasar.",
        latitude="-2.334900", longitude="115.469000",
    )
    client.force_login(verifikator)
    response = client.get(f"{ADMIN}inspect/{laporan.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dua kelompok pemuda bersitegang di pasar." in html
    assert "-2.334900" in html or "-2,334900" in html
    assert "115.469000" in html or "115,469000" in html


def test_dashboard_panel_for_verifiers(client, petugas, verifikator, halong_verifier):
    oldest = make_report(petugas, submit=True, judul="Yang paling lama")
    make_report(petugas, submit=True, judul="Yang kedua")
    make_report(petugas, judul="Masih draf")

    client.force_login(verifikator)
    response = client.get("/admin/")
    html = response.content.decode()
    assert "Menunggu verifikasi" in html
    assert "2 laporan menunggu verifikasi Anda." in html
    assert str(oldest) in html
    assert reverse("wagtailsnippets_reports_laporan:edit", args=[oldest.pk]) in html

    client.force_login(halong_verifier)
    response = client.get("/admin/")
    html = response.content.decode()
    assert "Menunggu verifikasi" in html
    assert "Tidak ada laporan yang menunggu verifikasi Anda." in html
    assert str(oldest) not in html
    panel = next(
        p for p in response.context["panels"] if getattr(p, "name", "") == "menunggu_verifikasi"
    )
    assert panel.get_context_data({})["jumlah"] == 0


def test_chooser_lists_only_visible_reports(
    client, petugas, verifikator, halong_verifier, pimpinan
):
    url = reverse("wagtailsnippetchoosers_reports_laporan:choose")
    assert url == "/admin/snippets/choose/reports/laporan/"
    make_report(petugas, judul="Draf rahasia")
    make_report(petugas, submit=True, judul="Menunggu Paringin")
    verified_report(petugas, verifikator, judul="Terbatas", klasifikasi="terbatas")

    def chosen(user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        html = response.json()["html"]
        return {t for t in ("Draf rahasia", "Menunggu Paringin", "Terbatas") if t in html}

    assert chosen(verifikator) == {"Menunggu Paringin", "Terbatas"}
    assert chosen(halong_verifier) == set()
    assert chosen(pimpinan) == {"Terbatas"}

    results = reverse("wagtailsnippetchoosers_reports_laporan:choose_results")
    client.force_login(halong_verifier)
    assert "Menunggu Paringin" not in client.get(results).content.decode()


def test_chosen_view_refuses_invisible_reports(client, petugas, halong_verifier):
    laporan = make_report(petugas, submit=True)
    client.force_login(halong_verifier)
    url = reverse("wagtailsnippetchoosers_reports_laporan:chosen", args=[laporan.pk])
    assert client.get(url).status_code == 404


def test_users_with_verify_permission(petugas, verifikator, halong_verifier, administrator):
    laporan = make_report(petugas, submit=True)
    superuser = factories.make_user(username="root", is_superuser=True)
    users = set(laporan_policy.users_with_permission_for_instance("verify", laporan))
    assert users == {verifikator, administrator, superuser}
    assert halong_verifier not in users and petugas not in users


def test_inspect_view_shows_location_link_attachments_and_grading(client, petugas, verifikator):
    from cms.reports import services
    from tests.reports.reports_factories import photo, report_fields

    laporan = services.create_report(petugas, submit=True, uploads=[photo("lokasi.jpg")],
                                     **report_fields(akurasi_m=25))
    client.force_login(verifikator)
    html = client.get(f"/admin/snippets/reports/laporan/inspect/{laporan.pk}/").content.decode()
    assert "openstreetmap.org/?mlat=-2.334900&amp;mlon=115.469000" in html
    assert "(± 25 m)" in html
    lampiran = laporan.lampiran.get()
    assert f"/laporan/lampiran/{lampiran.pk}/?ukuran=thumb" in html and "lokasi.jpg" in html
    assert "Belum dinilai" in html
    services.act(laporan, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2")
    html = client.get(f"/admin/snippets/reports/laporan/inspect/{laporan.pk}/").content.decode()
    assert "B — Biasanya andal" in html


def test_dashboard_charts_count_what_the_user_may_see(client, petugas, verifikator, pimpinan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cms.reports import charts
    from tests.reports.reports_factories import verified_report

    verified_report(petugas, verifikator, urgensi="darurat")
    verified_report(petugas, verifikator, urgensi="rendah")
    halong_officer = factories.make_user(roles.PETUGAS, kecamatan=[factories.kecamatan("halong")])
    halong_verifier = factories.make_user(roles.VERIFIKATOR,
                                          kecamatan=[factories.kecamatan("halong")])
    verified_report(halong_officer, halong_verifier, kecamatan=factories.kecamatan("halong"),
                    urgensi="sedang", klasifikasi="terbatas")

    daily = charts.trend(pimpinan)
    assert len(daily) == charts.DAYS and daily[-1]["total"] == 3 and daily[-1]["urgent"] == 1
    by_place = {p["kecamatan"].slug: p["total"] for p in charts.per_kecamatan(verifikator)}
    # A restricted report of another kecamatan is not counted for a Paringin verifier.
    assert by_place["paringin"] == 2 and by_place["halong"] == 0
    with CaptureQueriesContext(connection) as ctx:
        charts.trend(pimpinan), charts.per_kecamatan(pimpinan)
    assert len(ctx.captured_queries) <= 4

    client.force_login(pimpinan)
    html = client.get("/admin/").content.decode()
    assert "Tren harian laporan terverifikasi" in html and "<svg" in html
    # Coordinates keep a decimal point in Indonesian (a comma would break the SVG).
    import re

    assert not re.search(r'<rect[^>]* (?:y|height)="[0-9]+,[0-9]', html)
