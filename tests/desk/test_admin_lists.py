"""Admin screens around the desk: users by name with role and kecamatan, the
kecamatan assignment checkboxes, plugins switched on only when configured,
readable delivery details, the report listing's exports, WITA on inspect."""

import csv
import datetime
import io
import re

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from django.utils import timezone

from cms.accounts import roles
from cms.desk.wita import WITA as wita_zone
from cms.notifications.models import Pengiriman
from cms.platform.plugins import is_enabled
from tests import factories
from tests.reports.reports_factories import make_report, verified_report

pytestmark = pytest.mark.django_db

LISTING = reverse("wagtailsnippets_reports_laporan:list")


def test_user_listing_shows_names_roles_and_kecamatan(client, administrator):
    halong, juai = factories.kecamatan("halong"), factories.kecamatan("juai")
    factories.make_user(roles.VERIFIKATOR, "verifikator.halong", kecamatan=[halong, juai],
                        first_name="Muhammad", last_name="Ridwan")
    client.force_login(administrator)

    def listing():
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("wagtailusers_users:index"))
        assert response.status_code == 200
        return len(queries), response.content.decode()

    listing()
    few, html = listing()
    assert "Muhammad Ridwan" in html and "verifikator.halong" in html
    assert "Halong (verifikasi), Juai (verifikasi)" in html
    assert ">Peran<" in html.replace("\n", "").replace(" ", "")
    row = re.search(
        r"<tr[^>]*>(?:(?!</tr>).)*>\s*verifikator\.halong\s*<(?:(?!</tr>).)*</tr>", html, re.S
    )
    assert row and "Verifikator" in row.group(0)
    for number in range(6):
        factories.make_user(roles.PETUGAS, f"petugas.{number}", kecamatan=[halong])
    many, html = listing()
    assert many == few
    assert "Halong (lapor)" in html


def test_kecamatan_assignment_lists_people_by_name(client, administrator):
    factories.make_user(roles.PETUGAS, "petugas.bs", first_name="Budi", last_name="Santoso")
    factories.make_user(roles.VERIFIKATOR, "verif.fa", first_name="Fitriani")
    client.force_login(administrator)
    kecamatan = factories.kecamatan("juai")
    html = client.get(
        reverse("reports_kecamatan_modeladmin_edit", args=[kecamatan.pk])
    ).content.decode()
    assert "Budi Santoso (petugas.bs)" in html
    assert "Fitriani (verif.fa)" in html


# -- plugins and deliveries -------------------------------------------------------------


@override_settings(ONESIGNAL_APP_ID="", ONESIGNAL_REST_API_KEY="")
def test_onesignal_without_keys_is_refused(client, administrator, monkeypatch):
    monkeypatch.delenv("ONESIGNAL_APP_ID", raising=False)
    monkeypatch.delenv("ONESIGNAL_REST_API_KEY", raising=False)
    client.force_login(administrator)
    response = client.post("/admin/plugin/onesignal_push/", {"enabled": "1"}, follow=True)
    html = response.content.decode()
    assert "tidak diaktifkan" in html and "ONESIGNAL_APP_ID" in html
    assert not is_enabled("onesignal_push")


@override_settings(ONESIGNAL_APP_ID="app-123", ONESIGNAL_REST_API_KEY="kunci-rahasia")
def test_onesignal_with_keys_is_switched_on(client, administrator):
    client.force_login(administrator)
    response = client.post("/admin/plugin/onesignal_push/", {"enabled": "1"}, follow=True)
    assert "diaktifkan" in response.content.decode()
    assert is_enabled("onesignal_push")
    assert "kunci-rahasia" not in client.get("/admin/plugin/").content.decode()


def test_delivery_detail_reads_as_text(client, administrator, petugas):
    laporan = make_report(petugas, submit=True)
    delivery = Pengiriman.objects.create(
        kanal="onesignal", peristiwa="report.submitted", laporan=laporan,
        judul={"id": "Laporan menunggu verifikasi", "en": "Report awaiting verification"},
        isi={"id": "Isi pesan", "en": "Message body"},
        data={"event": "report.submitted", "laporan_id": laporan.pk},
        coba_lagi_pada=timezone.make_aware(datetime.datetime(2026, 3, 1, 8, 15)),
    )
    petugas.first_name = "Ahmad"
    petugas.save()
    delivery.penerima.set([petugas])
    client.force_login(administrator)
    html = client.get(
        reverse("notifications_pengiriman_modeladmin_inspect", args=[delivery.pk])
    ).content.decode()
    assert "Bahasa Indonesia: Laporan menunggu verifikasi" in html
    assert "Inggris: Report awaiting verification" in html
    assert f"ID laporan: {laporan.pk}" in html and "Peristiwa: report.submitted" in html
    assert "Ahmad (petugas.uji)" in html
    assert "1 Maret 2026, 08.15 WITA" in html
    assert "{&#x27;id&#x27;" not in html and "{'id'" not in html


# -- the report listing ---------------------------------------------------------------


def test_listing_export_has_the_rows_the_user_may_see(client, petugas, verifikator):
    halong_officer = factories.make_user(roles.PETUGAS, kecamatan=[factories.kecamatan("halong")])
    waiting = make_report(petugas, submit=True, judul="Menunggu di Paringin",
                          waktu_kejadian=timezone.make_aware(datetime.datetime(2026, 2, 3, 7, 30)))
    make_report(halong_officer, submit=True, judul="Menunggu di Halong",
                kecamatan=factories.kecamatan("halong"))
    make_report(petugas, judul="Draf petugas")
    verified_report(petugas, verifikator, judul="Terbatas terverifikasi", klasifikasi="terbatas")
    client.force_login(verifikator)

    response = client.get(LISTING, {"export": "csv"})
    assert response.status_code == 200 and response["Content-Type"] == "text/csv"
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    titles = {row["Judul"] for row in rows}
    assert titles == {"Menunggu di Paringin", "Terbatas terverifikasi"}
    row = next(row for row in rows if row["Nomor"] == waiting.nomor)
    assert row["Status"] == "Menunggu verifikasi" and row["Kecamatan"] == "Paringin"
    assert row["Waktu kejadian (WITA)"] == "3 Februari 2026, 07.30 WITA"
    # Restricted fields never leave in a file.
    assert "Sumber informasi" not in rows[0] and "Pak RT 03" not in str(rows)

    response = client.get(LISTING, {"export": "xlsx", "status": "menunggu"})
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][0] == "Nomor" and len(values) == 2
    assert values[1][1] == "Menunggu di Paringin"
    assert values[1][10] == datetime.datetime(2026, 2, 3, 7, 30)


def test_inspect_view_shows_wita_with_label(client, petugas, verifikator):
    laporan = make_report(
        petugas, submit=True,
        waktu_kejadian=timezone.make_aware(datetime.datetime(2026, 1, 5, 7, 30)),
    )
    client.force_login(verifikator)
    html = client.get(
        reverse("wagtailsnippets_reports_laporan:inspect", args=[laporan.pk])
    ).content.decode()
    assert "5 Januari 2026, 07.30 WITA" in html
    assert "23.30" not in html and "23:30" not in html


def test_every_listing_row_leads_to_the_desk(client, petugas, verifikator):
    laporan = make_report(petugas, submit=True)
    client.force_login(verifikator)
    html = client.get(LISTING).content.decode()
    assert reverse("sikanda_desk:detail", args=[laporan.pk]) in html


def test_the_inspect_page_leads_to_the_desk(client, petugas, verifikator):
    laporan = make_report(petugas, submit=True)
    client.force_login(verifikator)
    html = client.get(
        reverse("wagtailsnippets_reports_laporan:inspect", args=[laporan.pk])
    ).content.decode()
    desk = reverse("sikanda_desk:detail", args=[laporan.pk])
    assert re.search(rf'<a [^>]*href="{desk}"[^>]*>\s*(<svg.*?</svg>)?\s*Buka di meja verifikasi',
                     html, re.S)


def test_listing_and_history_times_name_wita(client, petugas, administrator):
    laporan = make_report(petugas, submit=True)
    client.force_login(administrator)
    html = client.get(LISTING).content.decode()
    tooltips = re.findall(r'data-w-tooltip-content-value="([^"]*)"', html)
    # The wall-clock hour in Makassar, labelled, whatever zone the server uses.
    laporan.refresh_from_db()
    changed = laporan.latest_revision.created_at
    hour = timezone.localtime(changed, wita_zone).strftime("%-H.%M")
    assert tooltips and all(tip.endswith(" WITA") for tip in tooltips), tooltips
    assert any(f", {hour}" in tip for tip in tooltips), (hour, tooltips)
    history = client.get(
        reverse("wagtailsnippets_reports_laporan:history", args=[laporan.pk])
    ).content.decode()
    tooltips = re.findall(r'data-w-tooltip-content-value="([^"]*)"', history)
    assert tooltips and all(tip.endswith(" WITA") for tip in tooltips), tooltips


def test_listing_export_is_every_row_not_one_page(client, petugas, verifikator):
    # The listing shows a page of rows; its export must hold all of them.
    for n in range(40):
        make_report(petugas, submit=True, judul=f"Laporan antre {n:02d}")
    client.force_login(verifikator)
    listing = client.get(LISTING).content.decode()
    assert len(set(re.findall(r"Laporan antre \d\d", listing))) < 40

    response = client.get(LISTING, {"export": "csv"})
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert sorted(row["Judul"] for row in rows) == [f"Laporan antre {n:02d}" for n in range(40)]
