"""The leadership dashboard in Chromium, as Pimpinan uses it: switch the
period, read the map with every tile request blocked (the fallback draws the
kecamatan names and the reports' markers), click a number through to its
list and find the same count there.

`SIKANDA_SCREENSHOTS=1` also writes docs/screenshots/dashboard.png."""

import datetime
import re

import pytest
from django.utils import timezone

from cms.accounts import roles
from cms.dashboard.geo import KECAMATAN_CENTRE
from cms.reports.models import Aspek, JenisATHG, Kecamatan
from tests import factories
from tests.reports.reports_factories import verified_report

from .conftest import DESKTOP, axe_violations, sign_in
from .test_desk_browser import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

TODAY = [
    ("paringin", "sosial-budaya", "gangguan", "tinggi", "Keributan pemuda di pasar Paringin"),
    ("paringin", "ekonomi", "hambatan", "sedang", "Antrean elpiji 3 kg"),
    ("halong", "pertahanan-dan-keamanan", "gangguan", "darurat", "Kebakaran lahan di Halong"),
    ("juai", "politik", "tantangan", "rendah", "Baliho calon kepala desa dirusak"),
    ("awayan", "ekonomi", "ancaman", "sedang", "Harga karet anjlok"),
    ("lampihong", "ideologi", "ancaman", "tinggi", "Selebaran paham radikal"),
]


@pytest.fixture
def reports():
    officer = factories.make_user(roles.PETUGAS, "petugas.semua",
                                  kecamatan=list(Kecamatan.objects.all()))
    admin = factories.make_user(roles.ADMINISTRATOR, "admin.dasbor")
    factories.make_user(roles.PIMPINAN, "pimpinan.dasbor", first_name="Bupati")
    now = timezone.now()
    made = []
    for minutes, (kec, aspek, jenis, urgensi, judul) in enumerate(TODAY, start=1):
        lat, lng = KECAMATAN_CENTRE[kec]
        made.append(verified_report(
            officer, admin, kec=kec, aspek=Aspek.objects.get(slug=aspek),
            jenis_athg=JenisATHG.objects.get(slug=jenis), urgensi=urgensi, judul=judul,
            waktu_kejadian=now - datetime.timedelta(minutes=minutes),
            latitude=f"{lat + 0.01 * minutes:.6f}", longitude=f"{lng + 0.004:.6f}",
        ))
    # Long ago: only a long custom range holds it.
    made.append(verified_report(officer, admin, kec="halong", judul="Banjir bulan lalu",
                                waktu_kejadian=now - datetime.timedelta(days=40)))
    return made


def test_pimpinan_switches_period_reads_the_offline_map_and_clicks_through(
    page, live_server, reports
):
    base = live_server.url
    sign_in(page, base, "pimpinan.dasbor", factories.PASSWORD)
    page.get_by_role("link", name="Buka dasbor pimpinan").click()
    page.wait_for_load_state()
    assert page.url.endswith("/admin/dasbor-pimpinan/")

    # A custom range of 45 days holds the old report too.
    today = timezone.localdate()
    page.fill("input[name=dari]", (today - datetime.timedelta(days=44)).isoformat())
    page.fill("input[name=sampai]", today.isoformat())
    page.get_by_role("button", name="Tampilkan").click()
    page.wait_for_load_state()
    assert "periode=rentang" in page.url
    assert page.inner_text("[data-angka=total] .dasbor-ubin__angka") == "7"

    page.get_by_role("link", name="Hari ini").click()
    page.wait_for_load_state()
    assert "periode=hari" in page.url
    assert page.get_by_role("link", name="Hari ini").get_attribute("aria-current") == "true"
    assert page.inner_text("[data-angka=total] .dasbor-ubin__angka") == "6"
    assert page.inner_text("[data-angka=darurat] .dasbor-ubin__angka") == "1"

    # Every tile request is aborted here: the map falls back to its drawing.
    page.locator("#dasbor-peta-cadangan").wait_for(state="visible")
    # The picture for the README: the top of the dashboard down to the map.
    page.set_viewport_size({"width": 1280, "height": 1400})
    screenshot(page, "dashboard.png")
    page.set_viewport_size(DESKTOP)
    assert page.locator("#dasbor-peta.dasbor-peta--tanpa-ubin").count() == 1
    assert page.locator("#dasbor-peta .dasbor-penanda").count() == len(TODAY)
    labels = page.locator("#dasbor-peta .dasbor-label-kecamatan")
    assert labels.count() == len(KECAMATAN_CENTRE)
    assert "Halong (1)" in page.inner_text("#dasbor-peta")
    assert page.locator("#dasbor-peta .dasbor-penanda--darurat").count() == 1
    page.locator("#dasbor-peta .dasbor-penanda--darurat").click()
    assert "Kebakaran lahan di Halong" in page.locator(".leaflet-popup-content").inner_text()
    page.locator(".leaflet-popup-close-button").click()
    assert axe_violations(page) == []

    # A number clicks through to its list, which holds as many reports.
    table = page.locator("section[aria-labelledby=dasbor-kecamatan]")
    paringin = table.locator("tr").filter(
        has=page.locator("th", has_text=re.compile(r"^Paringin$"))
    )
    link = paringin.locator("a[data-jumlah]")
    assert link.inner_text() == "2"
    link.click()
    page.wait_for_load_state()
    assert "/admin/snippets/reports/laporan/" in page.url
    rows = page.locator("table.listing tbody tr")
    assert rows.count() == 2
    listing = page.inner_text("main")
    assert "Keributan pemuda di pasar Paringin" in listing and "Antrean elpiji 3 kg" in listing
    assert re.search(r"Harga karet|Kebakaran lahan", listing) is None
