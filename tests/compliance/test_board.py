"""The compliance board: kecamatan × day / week / month, who may see which
rows, the cells (colour and word), the click-through, and a constant number
of queries."""

import datetime

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.accounts import roles
from cms.compliance import board, services
from cms.compliance.board import Keadaan, Rentang, Tampilan
from cms.followup.models import Instansi
from cms.reports import services as report_services
from tests import factories
from tests.reports.reports_factories import make_report

from .conftest import officer, wita

pytestmark = pytest.mark.django_db
URL = "/admin/kepatuhan-pelaporan/"


@pytest.fixture
def day(kemarin):
    return kemarin


@pytest.fixture
def scene(petugas, day):
    """Paringin reported on `day` (twice, at both WITA edges of it), Halong
    filed a nihil, Juai has only a draft, the rest nothing."""
    early = make_report(petugas, submit=True, judul="Pagi buta di Paringin",
                        waktu_kejadian=wita(day, 0, 30))
    late = make_report(petugas, submit=True, judul="Jelang tengah malam di Paringin",
                       waktu_kejadian=wita(day, 23, 59))
    make_report(petugas, submit=True, judul="Hari sebelumnya",
                waktu_kejadian=wita(day, 0, 0) - datetime.timedelta(minutes=1))
    services.file_nihil(officer("halong"), day, now=wita(day, 18))
    make_report(officer("juai"), submit=False, kec="juai", waktu_kejadian=wita(day, 9))
    return {"early": early, "late": late}


def cells(response, slug):
    (row,) = [r for r in response.context["rows"] if r.kecamatan.slug == slug]
    return row.sel


def cell_on(response, slug, day):
    (cell,) = [c for c in cells(response, slug) if c.kolom.first <= day <= c.kolom.last]
    return cell


def get(client, user, **params):
    client.force_login(user)
    return client.get(URL, params)


def test_day_cells_say_melapor_nihil_or_missing(client, administrator, scene, day):
    response = get(client, administrator, tanggal=day.isoformat())
    assert response.status_code == 200
    paringin = cell_on(response, "paringin", day)
    # 00:30 WITA is the day before in UTC: it still counts for this WITA day.
    assert (paringin.keadaan, paringin.laporan) == (Keadaan.MELAPOR, 2)
    assert cell_on(response, "halong", day).keadaan == Keadaan.NIHIL
    # A draft is not a report.
    assert cell_on(response, "juai", day).keadaan == Keadaan.TIDAK_ADA
    assert cell_on(response, "awayan", day).keadaan == Keadaan.TIDAK_ADA
    html = response.content.decode()
    # A word with every colour, and the legend.
    for word in ("Melapor", "Nihil", "Tidak ada laporan", "2 laporan", "Keterangan"):
        assert word in html
    assert 'class="kepatuhan-sel kepatuhan--melapor"' in html
    assert len(cells(response, "paringin")) == 7


def test_days_to_come_are_not_missing(client, administrator, today):
    response = get(client, administrator, tanggal=today.isoformat(), rentang=Rentang.BULAN)
    tomorrow = today + datetime.timedelta(days=1)
    states = {c.kolom.first: c.keadaan for c in cells(response, "awayan")}
    assert states[today] == Keadaan.TIDAK_ADA
    if tomorrow in states:
        assert states[tomorrow] == Keadaan.BELUM


def test_week_and_month_columns(client, administrator, scene, day):
    weekly = get(client, administrator, tampilan=Tampilan.MINGGUAN, tanggal=day.isoformat())
    week = cell_on(weekly, "paringin", day)
    assert week.kolom.first.weekday() == 0 and week.kolom.days() == 7
    # The report a minute before `day` falls in the same week unless `day` is a Monday.
    before = 1 if day.weekday() else 0
    assert (week.laporan, week.hari_melapor) == (2 + before, 1 + before)
    if week.hari_berlalu > 1:
        assert week.keadaan == Keadaan.SEBAGIAN
    monthly = get(client, administrator, tampilan=Tampilan.BULANAN, tanggal=day.isoformat())
    assert len(cells(monthly, "paringin")) == 12
    month = cell_on(monthly, "paringin", day)
    assert month.kolom.first == day.replace(day=1) and month.laporan >= 2
    assert cell_on(monthly, "halong", day).hari_nihil == 1


def test_a_fully_covered_week_is_melapor_or_nihil(petugas):
    week = [datetime.date(2026, 3, 2) + datetime.timedelta(days=n) for n in range(7)]
    for n, day in enumerate(week):
        if n % 2:
            services.file_nihil(petugas, day, now=wita(day, 20))
        else:
            make_report(petugas, submit=True, waktu_kejadian=wita(day, 8))
    cols, rows = board.build(petugas_admin(), Tampilan.MINGGUAN, Rentang.MINGGU, week[0],
                             today=datetime.date(2026, 3, 31))
    (paringin,) = [r for r in rows if r.kecamatan.slug == "paringin"]
    (cell,) = [c for c in paringin.sel if c.kolom.first == week[0]]
    assert (cell.keadaan, cell.hari_melapor, cell.hari_nihil, cell.laporan) == (
        Keadaan.MELAPOR, 4, 3, 4)


def petugas_admin():
    return factories.make_user(roles.ADMINISTRATOR)


def test_cells_open_the_report_listing_for_that_kecamatan_and_day(client, administrator,
                                                                  scene, day):
    response = get(client, administrator, tanggal=day.isoformat())
    cell = cell_on(response, "paringin", day)
    paringin = factories.kecamatan("paringin").pk
    assert cell.url == (f"/admin/snippets/reports/laporan/?kecamatan={paringin}"
                        f"&waktu_kejadian_from={day}&waktu_kejadian_to={day}")
    assert cell.url.replace("&", "&amp;") in response.content.decode()
    listing = client.get(cell.url).content.decode()
    assert scene["early"].judul in listing and scene["late"].judul in listing
    assert "Hari sebelumnya" not in listing


def test_verifiers_see_their_own_kecamatan_only(client, verifikator, scene, day):
    response = get(client, verifikator, tanggal=day.isoformat())
    assert response.status_code == 200
    assert [r.kecamatan.slug for r in response.context["rows"]] == ["paringin"]
    assert "Halong" not in response.content.decode()
    # Naming another kecamatan in the URL changes nothing.
    halong = factories.kecamatan("halong").pk
    response = client.get(URL, {"kecamatan": halong, "tanggal": day.isoformat()})
    assert [r.kecamatan.slug for r in response.context["rows"]] == ["paringin"]


def test_pimpinan_sees_every_kecamatan_and_the_menu(client, pimpinan):
    response = get(client, pimpinan)
    assert response.status_code == 200 and len(response.context["rows"]) == 8
    assert "Kepatuhan pelaporan" in client.get("/admin/").content.decode()


@pytest.mark.parametrize("role", [roles.PETUGAS, roles.PENGGUNA, roles.INSTANSI])
def test_refused_to_officers_guests_and_agencies(client, role):
    user = factories.make_user(role, kecamatan=[factories.kecamatan("paringin")]
                               if role == roles.PETUGAS else ())
    if role == roles.INSTANSI:
        Instansi.objects.first().anggota.add(user)
    for params in ({}, {"tampilan": "bulanan"}, {"tanggal": "2026-01-01"}):
        response = get(client, user, **params)
        assert response.status_code == 302
        assert "kepatuhan" not in response["Location"]
        assert "Tidak ada laporan" not in response.content.decode()
        # Signed out of the admin at once.
        assert "_auth_user_id" not in client.session


def test_refused_to_anonymous(client):
    response = client.get(URL, {"tampilan": "harian"})
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_refused_to_admin_users_without_a_board_role(client):
    staff = factories.make_user()
    staff.user_permissions.add(Permission.objects.get(codename="access_admin"))
    response = get(client, staff)
    # Wagtail's answer to PermissionDenied in the admin: back to the dashboard.
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert "Kepatuhan pelaporan" not in client.get("/admin/").content.decode()


def test_bad_parameters_fall_back_to_this_week(client, administrator, today):
    response = get(client, administrator, tampilan="x", rentang="y", tanggal="2026-02-30")
    assert response.status_code == 200
    assert response.context["tampilan"] == Tampilan.HARIAN
    assert len(response.context["columns"]) == 7
    # Dates no navigation can go beyond mean today, as a missing one does.
    for tampilan in Tampilan.values:
        now = client.get(URL, {"tampilan": tampilan}).context["columns"]
        for far in ("9999-12-31", "0001-01-01"):
            response = client.get(URL, {"tampilan": tampilan, "tanggal": far})
            assert response.status_code == 200 and response.context["columns"] == now


def test_week_columns_cover_the_month_titled_by_it(client, administrator):
    response = get(client, administrator, tampilan=Tampilan.MINGGUAN, tanggal="2026-11-15")
    columns = response.context["columns"]
    # November 2026 starts on a Sunday and ends on a Monday.
    assert (columns[0].first, columns[-1].last) == (
        datetime.date(2026, 10, 26), datetime.date(2026, 12, 6))
    assert response.context["judul_periode"] == "November 2026"
    assert "tanggal=2026-10-01" in response.context["sebelumnya"]
    assert "tanggal=2026-12-01" in response.context["berikutnya"]


def _fresh(user):
    return get_user_model().objects.get(pk=user.pk)


@pytest.mark.parametrize("tampilan,rentang", [
    (Tampilan.HARIAN, Rentang.MINGGU), (Tampilan.HARIAN, Rentang.BULAN),
    (Tampilan.MINGGUAN, Rentang.MINGGU), (Tampilan.BULANAN, Rentang.MINGGU),
])
def test_the_board_is_four_queries_whatever_it_shows(
    django_assert_num_queries, administrator, verifikator, scene, day, tampilan, rentang
):
    administrator, verifikator = _fresh(administrator), _fresh(verifikator)
    # Roles, kecamatan, the grouped report counts, the nihil days.
    with django_assert_num_queries(4):
        board.build(administrator, tampilan, rentang, day, day)
    # A verifier: roles, assignment, kecamatan, counts, nihil.
    with django_assert_num_queries(5):
        board.build(verifikator, tampilan, rentang, day, day)


def test_the_page_costs_the_same_for_a_week_and_a_busy_year(
    client, django_assert_num_queries, administrator, petugas, day
):
    client.force_login(administrator)
    client.get(URL)  # warm caches (site, menu) once
    with CaptureQueriesContext(connection) as week:
        client.get(URL, {"tanggal": day.isoformat()})
    officers = {slug: officer(slug) for slug in ("halong", "juai", "awayan")}
    for n in range(12):
        when = wita(day, 8) - datetime.timedelta(days=n)
        laporan = make_report(petugas, submit=True, waktu_kejadian=when)
        if n % 3 == 0:
            report_services.act(laporan, administrator, "approve",
                                keandalan_sumber="B", kredibilitas_informasi="2")
    for n, (slug, user) in enumerate(officers.items()):
        services.file_nihil(user, day, now=wita(day, 18))
        make_report(user, submit=True, kec=slug,
                    waktu_kejadian=wita(day, 7) - datetime.timedelta(days=n + 1))
    with django_assert_num_queries(len(week)):
        client.get(URL, {"tampilan": "bulanan", "tanggal": day.isoformat()})
    with django_assert_num_queries(len(week)):
        client.get(URL, {"rentang": "bulan", "tanggal": day.isoformat()})
