"""The leadership dashboard: who may open it, that its numbers are the recap
aggregates', that every number clicks through to a list of the same size,
and that its cost does not grow with the number of reports."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cms.accounts import roles
from cms.dashboard import figures
from cms.dashboard.periods import select
from cms.followup import transitions as followup
from cms.followup.models import Disposisi, Instansi
from cms.recaps.aggregates import aggregates
from tests import factories
from tests.reports.reports_factories import verified_report

from .conftest import days_ago, range_params

URL = "/admin/dasbor-pimpinan/"


def by_name(rows):
    return {row["nama"]: row for row in rows}


def listing_count(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    return response.context["items_count"]


def test_the_url_is_the_named_one():
    assert reverse("sikanda_dashboard") == URL


@pytest.mark.parametrize("role", [
    None, roles.PETUGAS, roles.PENGGUNA, roles.INSTANSI, roles.VERIFIKATOR,
])
def test_everyone_but_the_leadership_is_refused(client, db, role):
    if role is not None:
        kecamatan = [factories.kecamatan("paringin")] if role in (
            roles.PETUGAS, roles.VERIFIKATOR) else []
        client.force_login(factories.make_user(role, kecamatan=kecamatan))
    response = client.get(URL, range_params())
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        # Anonymous: to the sign-in page; officers, guests, agencies: out of the admin.
        assert "dasbor-pimpinan" not in response.url or "login" in response.url
    assert b"dasbor-peta" not in response.content
    if role == roles.VERIFIKATOR:
        # Verifiers keep their desk; the leadership's dashboard is not theirs:
        # Wagtail sends them back to the admin home with a message.
        assert (response.status_code, response.url) == (302, "/admin/")
        home = client.get("/admin/")
        assert URL.encode() not in home.content


@pytest.mark.parametrize("role", [roles.PIMPINAN, roles.ADMINISTRATOR])
def test_the_leadership_opens_it_from_the_admin_home(client, db, role):
    client.force_login(factories.make_user(role))
    assert URL.encode() in client.get("/admin/").content
    response = client.get(URL)
    assert response.status_code == 200
    assert response.context["selection"].choice == "bulan"


def test_numbers_are_the_recap_aggregates_and_click_through_to_lists_of_that_size(
    client, administrator, spread
):
    client.force_login(administrator)
    response = client.get(URL, range_params(3, 0))
    assert response.status_code == 200
    context = response.context
    recap = aggregates(context["period"])

    assert context["total"]["jumlah"] == recap["jumlah"]["jumlah"] == 3
    assert context["total"]["change"]["before"] == recap["jumlah"]["sebelumnya"] == 1
    for key in ("aspek", "jenis_athg", "urgensi"):
        assert {r["nama"]: r["jumlah"] for r in context[key]} == {
            r["nama"]: r["jumlah"] for r in recap[key]
        }
    kecamatan = by_name(context["kecamatan"])
    assert kecamatan["Paringin"]["jumlah"] == 2
    assert kecamatan["Halong"]["jumlah"] == 1
    assert kecamatan["Awayan"]["jumlah"] == 0

    assert listing_count(client, context["total"]["url"]) == 3
    assert listing_count(client, by_name(context["aspek"])["Ekonomi"]["url"]) == 2
    assert listing_count(client, kecamatan["Halong"]["url"]) == 1
    assert listing_count(client, kecamatan["Paringin"]["url"]) == 2
    assert listing_count(client, by_name(context["urgensi"])["Darurat"]["url"]) == 1
    assert listing_count(client, by_name(context["jenis_athg"])["Gangguan"]["url"]) == 2
    # Each bar of the trend opens its day.
    bars = [bar for bar in context["trend"]["bars"] if bar["total"]]
    assert sum(bar["total"] for bar in context["trend"]["bars"]) == 3
    assert all(listing_count(client, bar["url"]) == bar["total"] for bar in bars)

    # Open emergencies: the DARURAT report still in verification and the
    # verified one without a finished follow-up.
    assert context["emergencies"]["total"] == 2
    assert listing_count(client, context["emergencies"]["url"]) == 2


def test_pimpinan_counts_restricted_reports_but_not_unverified_ones(client, pimpinan, spread):
    client.force_login(pimpinan)
    context = client.get(URL, range_params(3, 0)).context
    assert context["total"]["jumlah"] == 3
    assert listing_count(client, context["total"]["url"]) == 3
    assert context["emergencies"]["total"] == 1
    assert listing_count(client, context["emergencies"]["url"]) == 1


def test_the_change_is_written_out_not_only_coloured(client, administrator, spread):
    client.force_login(administrator)
    html = client.get(URL, range_params(3, 0)).content.decode()
    assert "▲ 2" in html
    assert "naik 2 dari periode sebelumnya" in html
    # Sosial budaya: 1 now, 1 before.
    assert "sama dengan periode sebelumnya" in html


def test_follow_up_counts_click_through(client, administrator, pimpinan, spread):
    polres = Instansi.objects.get(singkatan="Polres Balangan")
    bpbd = Instansi.objects.get(singkatan="BPBD Balangan")
    member = factories.make_user(roles.INSTANSI, username="anggota.polres")
    polres.anggota.add(member)
    due = timezone.now() + datetime.timedelta(days=2)
    tinggi, terbatas, darurat = spread["now"]

    done = followup.issue(tinggi.pk, administrator, instruksi="Mediasi.",
                          instansi_ids=[polres.pk], batas_waktu=due)
    step = done.tindak_lanjut.get()
    followup.record_step(step.pk, member, status="diterima", catatan="Diterima.")
    followup.record_step(step.pk, member, status="selesai", catatan="Sudah dimediasi.")
    followup.issue(terbatas.pk, administrator, instruksi="Pantau harga.",
                   instansi_ids=[polres.pk], batas_waktu=due)
    late = followup.issue(darurat.pk, administrator, instruksi="Evakuasi.",
                          instansi_ids=[bpbd.pk], batas_waktu=due)
    # The due date passed since (the service only accepts a future one).
    Disposisi.objects.filter(pk=late.pk).update(
        batas_waktu=timezone.now() - datetime.timedelta(hours=1)
    )

    client.force_login(pimpinan)
    context = client.get(URL, range_params(3, 0)).context
    numbers = context["follow_up"]
    assert (numbers["terbuka"]["jumlah"], numbers["terlambat"]["jumlah"],
            numbers["selesai"]["jumlah"]) == (2, 1, 1)
    for key in ("terbuka", "terlambat", "selesai"):
        assert listing_count(client, numbers[key]["url"]) == numbers[key]["jumlah"]
    # Closed before this range: not "closed this period".
    earlier = client.get(URL, range_params(30, 20)).context["follow_up"]["selesai"]
    assert earlier["jumlah"] == 0
    assert listing_count(client, earlier["url"]) == 0


def test_the_map_gets_the_located_reports_of_the_period(client, pimpinan, spread, settings):
    settings.SIKANDA_MAP_TILES = {"URL": "https://ubin.example.org/{z}/{x}/{y}.png",
                                  "ATTRIBUTION": "© Contoh"}
    client.force_login(pimpinan)
    response = client.get(URL, range_params(3, 0))
    points = response.context["map_data"]["points"]
    assert len(points) == 3
    halong = next(p for p in points if p["kecamatan"] == "Halong")
    assert (halong["lat"], halong["lng"]) == (-2.3853, 115.6405)
    assert halong["urgensi"] == "darurat"
    labels = {k["nama"]: k["jumlah"] for k in response.context["map_data"]["kecamatan"]}
    assert labels["Halong"] == 1 and labels["Juai"] == 0
    html = response.content.decode()
    assert 'data-tiles="https://ubin.example.org/{z}/{x}/{y}.png"' in html
    assert 'id="dasbor-peta-data"' in html
    assert "https://ubin.example.org" in response["Content-Security-Policy"]


def _view_queries(client, params):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL, params).status_code == 200
    return len(queries)


def test_constant_number_of_queries_whatever_the_number_of_reports(
    client, django_assert_num_queries, administrator, petugas, verifikator, spread
):
    period = select(range_params(3, 0)).period
    # The user's roles, aspects, ATHG types, grouped counts, report list,
    # kecamatan, map points, emergencies and their count, follow-up counts,
    # two recap lists.
    fresh = type(administrator).objects.get(pk=administrator.pk)
    with django_assert_num_queries(12):
        figures.build(fresh, period)

    client.force_login(administrator)
    client.get(URL, range_params(3, 0))  # warm Wagtail's per-process caches
    few = _view_queries(client, range_params(3, 0))
    for day in range(4):
        verified_report(petugas, verifikator, waktu_kejadian=days_ago(day, hour=8),
                        urgensi="darurat")
        verified_report(petugas, verifikator, waktu_kejadian=days_ago(day, hour=9),
                        klasifikasi="terbatas", latitude=None, longitude=None)
    many = _view_queries(client, range_params(3, 0))
    assert client.get(URL, range_params(3, 0)).context["total"]["jumlah"] == 11
    assert many == few
    fresh = type(administrator).objects.get(pk=administrator.pk)
    with django_assert_num_queries(12):
        figures.build(fresh, period)
