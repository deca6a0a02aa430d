"""The verification loop as a verifier does it, in Chromium: from the dashboard,
read a report with a photo and approve it; send another back. Interactions
are counted and printed (issue 10: at most 4 each). Plus the desk on a phone,
and axe-core on the desk.

`SIKANDA_SCREENSHOTS=1` also writes docs/screenshots/desk-*.png."""

import os
import time
from pathlib import Path

import pytest

from cms.accounts import roles
from cms.reports.models import Laporan, PenilaianVerifikasi, Status
from tests import factories
from tests.reports.reports_factories import make_report, photo

from .conftest import DESKTOP, PHONE, Ui, axe_violations, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def screenshot(page, name):
    if os.environ.get("SIKANDA_SCREENSHOTS"):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=SCREENSHOTS / name, full_page=False)


@pytest.fixture
def loop():
    paringin = factories.kecamatan("paringin")
    officer = factories.make_user(roles.PETUGAS, "petugas.paringin", kecamatan=[paringin],
                                  first_name="Ahmad", last_name="Fauzi")
    verifier = factories.make_user(roles.VERIFIKATOR, "verifikator.paringin",
                                   kecamatan=[paringin], first_name="Siti", last_name="Aminah")
    urgent = make_report(
        officer, submit=True, urgensi="darurat", judul="Perahu penyeberangan tenggelam",
        fakta="Perahu motor tenggelam di Sungai Balangan; dua penumpang belum ditemukan.",
        uploads=[photo("perahu.jpg", colour="#335577", size=(640, 480))], akurasi_m=15,
    )
    other = make_report(
        officer, submit=True, urgensi="sedang", judul="Jalan desa tergenang",
        uploads=[photo("jalan.jpg", colour="#557733", size=(640, 480))],
    )
    return {"officer": officer, "verifier": verifier, "urgent": urgent, "other": other}


def test_verifier_approves_after_reading_and_sends_one_back(page, live_server, loop):
    base = live_server.url
    sign_in(page, base, "verifikator.paringin", factories.PASSWORD)
    assert "Menunggu verifikasi Anda" in page.inner_text("main")

    # Approve after reading, starting on the dashboard.
    ui = Ui(page)
    ui.click(page.get_by_role("link", name="Perahu penyeberangan tenggelam"))
    page.wait_for_load_state()
    main = page.locator("main")
    assert "dua penumpang belum ditemukan" in main.inner_text()
    thumb = page.locator(".meja-lampiran__foto img").first
    thumb.wait_for()
    thumb.scroll_into_view_if_needed()
    # The thumbnail loads from the permission-checked view (not a broken
    # image); on a busy machine that may take a moment after the page.
    deadline = time.monotonic() + 15
    while not page.evaluate("(img) => img.complete && img.naturalWidth > 0",
                            thumb.element_handle()):
        assert time.monotonic() < deadline, "the thumbnail did not load"
        page.wait_for_timeout(100)
    # Offline (every other host is blocked here) the map says so and the
    # coordinates stay readable.
    page.locator("#meja-peta-galat").wait_for(state="visible")
    assert "Koordinat: -2.334900, 115.469000 (± 15 m)" in main.inner_text()
    screenshot(page, "desk-desktop.png")
    ui.check(page.get_by_label("B — Biasanya andal"))
    ui.check(page.get_by_label("2 — Kemungkinan benar"))
    ui.click(page.get_by_role("button", name="Verifikasi"))
    page.wait_for_load_state()
    approve_count = ui.count
    assert f"Laporan {loop['urgent'].nomor} diverifikasi." in page.inner_text(".messages")
    assert "Penilaian: B — Biasanya andal / 2 — Kemungkinan benar." in main.inner_text()
    assert page.get_by_role("link", name=f"Laporan berikutnya: {loop['other'].nomor}").is_visible()

    # Send one back, again starting on the dashboard.
    page.goto(f"{base}/admin/")
    ui = Ui(page)
    ui.click(page.get_by_role("link", name="Jalan desa tergenang"))
    page.wait_for_load_state()
    ui.fill(page.get_by_label("Apa yang harus diperbaiki pelapor?"),
            "Tambahkan foto genangan dan perkiraan kedalaman air.")
    ui.click(page.get_by_role("button", name="Minta perbaikan"))
    page.wait_for_load_state()
    send_back_count = ui.count
    assert "dikembalikan kepada pelapor untuk diperbaiki" in page.inner_text(".messages")
    # The verifier sees their own comment in the report's history.
    assert "Tambahkan foto genangan" in page.inner_text(".meja-riwayat")

    print(f"\nINTERAKSI verifikasi setelah membaca (dari dasbor): {approve_count}")
    print(f"INTERAKSI minta perbaikan (dari dasbor): {send_back_count}")
    assert approve_count <= 4 and send_back_count <= 4

    urgent = Laporan.objects.get(pk=loop["urgent"].pk)
    other = Laporan.objects.get(pk=loop["other"].pk)
    assert urgent.status == Status.TERVERIFIKASI and urgent.live
    assert PenilaianVerifikasi.objects.get(laporan=urgent).keandalan_sumber == "B"
    assert other.status == Status.PERLU_PERBAIKAN


def test_approve_without_grading_is_refused_in_the_browser(page, live_server, loop):
    sign_in(page, live_server.url, "verifikator.paringin", factories.PASSWORD)
    page.goto(f"{live_server.url}/admin/meja-verifikasi/{loop['urgent'].pk}/")
    page.get_by_role("button", name="Verifikasi").click()
    page.wait_for_load_state()
    text = page.inner_text("main")
    assert "Pilih keandalan sumber (A–F)." in text
    assert not page.locator("input[type=radio]:checked").count()
    assert Laporan.objects.get(pk=loop["urgent"].pk).status == Status.MENUNGGU


def test_the_desk_on_a_phone(browser_context, live_server, loop):
    page = browser_context(PHONE).new_page()
    sign_in(page, live_server.url, "verifikator.paringin", factories.PASSWORD)
    for path in ("/admin/meja-verifikasi/", f"/admin/meja-verifikasi/{loop['urgent'].pk}/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state()
        # Nothing wider than the screen: no sideways scrolling to read or act.
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], (path, width)
    screenshot(page, "desk-phone.png")
    approve = page.get_by_role("button", name="Verifikasi")
    approve.scroll_into_view_if_needed()
    assert approve.is_visible()
    box = approve.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"]
    page.goto(f"{live_server.url}/admin/meja-verifikasi/")
    assert "Perahu penyeberangan tenggelam" in page.inner_text("main")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_desk_has_no_serious_accessibility_violations(browser_context, live_server, loop,
                                                      viewport):
    page = browser_context(viewport).new_page()
    sign_in(page, live_server.url, "verifikator.paringin", factories.PASSWORD)
    for path in ("/admin/meja-verifikasi/", f"/admin/meja-verifikasi/{loop['urgent'].pk}/"):
        page.goto(live_server.url + path)
        page.wait_for_load_state()
        assert axe_violations(page) == [], path
