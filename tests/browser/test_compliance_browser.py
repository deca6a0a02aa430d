"""The compliance board as Kesbangpol opens it, in Chromium: from the admin menu
to the board, a word in every coloured cell, a legend, no serious axe-core
violation, and a click from a *Melapor* cell to the reports behind it.
`SIKANDA_SCREENSHOTS=1` also writes docs/screenshots/kepatuhan.png."""

import datetime
import os
from pathlib import Path

import pytest
from django.utils import timezone

from cms.accounts import roles
from cms.compliance import services
from cms.recaps.periods import WITA
from tests import factories
from tests.reports.reports_factories import make_report

from .conftest import axe_violations, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOT = Path(__file__).resolve().parents[2] / "docs" / "screenshots" / "kepatuhan.png"


def _at(day, hour):
    return datetime.datetime.combine(day, datetime.time(hour), tzinfo=WITA)


@pytest.fixture
def week():
    today = timezone.localdate()
    monday = today - datetime.timedelta(days=today.weekday())
    days = [d for d in (monday + datetime.timedelta(days=n) for n in range(7)) if d <= today]
    officers = {
        slug: factories.make_user(roles.PETUGAS, f"petugas.{slug}",
                                  kecamatan=[factories.kecamatan(slug)])
        for slug in ("paringin", "halong", "juai", "awayan")
    }
    yesterday = today - datetime.timedelta(days=1)
    for n, day in enumerate(days):
        make_report(officers["paringin"], submit=True, judul=f"Laporan Paringin {n}",
                    waktu_kejadian=_at(day, 0) + datetime.timedelta(minutes=5))
        if n % 2 == 0:
            make_report(officers["awayan"], submit=True, kec="awayan",
                        judul=f"Laporan Awayan {n}",
                        waktu_kejadian=_at(day, 0) + datetime.timedelta(minutes=5))
    for day in (yesterday, today):
        services.file_nihil(officers["halong"], day)
    services.file_nihil(officers["juai"], yesterday)
    return {"today": today}


def test_kesbangpol_reads_the_board_and_opens_the_reports_of_a_cell(page, live_server, week):
    factories.make_user(roles.ADMINISTRATOR, "admin.uji")
    base = live_server.url
    sign_in(page, base, "admin.uji", factories.PASSWORD)
    page.get_by_role("link", name="Kepatuhan pelaporan").click()
    page.wait_for_load_state()
    table = page.locator("table.kepatuhan-tabel")
    assert table.is_visible()
    assert "Paringin" in table.inner_text() and "Halong" in table.inner_text()
    # Every coloured cell says what it means in words.
    for cell in page.locator("a.kepatuhan-sel").all():
        assert cell.inner_text().strip().split("\n")[0] in (
            "Melapor", "Nihil", "Sebagian hari", "Tidak ada laporan")
    assert page.locator(".kepatuhan-legenda li").count() == 5
    assert axe_violations(page) == []
    if os.environ.get("SIKANDA_SCREENSHOTS"):
        SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOT, full_page=True)
    # Today's Paringin cell opens the listing of that kecamatan and day.
    row = page.locator("tr", has=page.locator("th", has_text="Paringin")).first
    row.locator("a.kepatuhan--melapor").last.click()
    page.wait_for_load_state()
    listing = page.inner_text("main")
    n = week["today"].weekday()
    assert f"Laporan Paringin {n}" in listing
    others = [f"Laporan Paringin {m}" for m in range(n)] + ["Laporan Awayan"]
    assert not [title for title in others if title in listing]
