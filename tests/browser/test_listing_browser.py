"""The report listing as a verifier uses it in Chromium: a report is opened
from its row and sent back or approved in a few interactions (counted and
printed), and the listing reads on a 390 px phone, urgency in colour and
words. `SIKANDA_SCREENSHOTS=1` writes docs/screenshots/listing-*.png."""

import pytest

from cms.accounts import roles
from cms.reports.models import Laporan, Status
from tests import factories
from tests.reports.reports_factories import make_report, photo

from .conftest import DESKTOP, PHONE, Ui, sign_in
from .test_desk_browser import screenshot

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

LISTING = "/admin/snippets/reports/laporan/"


@pytest.fixture
def listing_world():
    paringin = factories.kecamatan("paringin")
    officer = factories.make_user(roles.PETUGAS, "petugas.paringin", kecamatan=[paringin],
                                  first_name="Ahmad", last_name="Fauzi")
    factories.make_user(roles.VERIFIKATOR, "verifikator.paringin", kecamatan=[paringin],
                        first_name="Siti", last_name="Aminah")
    reports = {
        "darurat": make_report(officer, submit=True, urgensi="darurat",
                               judul="Perahu penyeberangan tenggelam",
                               uploads=[photo("perahu.jpg", size=(320, 240))]),
        "sedang": make_report(officer, submit=True, urgensi="sedang",
                              judul="Jalan desa tergenang"),
        "rendah": make_report(officer, submit=True, urgensi="rendah",
                              judul="Papan nama kantor desa rusak"),
    }
    return reports


def row_of(page, laporan):
    return page.locator("tr", has_text=laporan.judul)


def test_send_back_and_approve_from_the_listing(page, live_server, listing_world):
    base = live_server.url
    sign_in(page, base, "verifikator.paringin", factories.PASSWORD)

    page.goto(base + LISTING)
    ui = Ui(page)
    ui.click(row_of(page, listing_world["sedang"]).get_by_role(
        "link", name=f"Buka {listing_world['sedang']} di meja verifikasi"))
    page.wait_for_load_state()
    ui.fill(page.get_by_label("Apa yang harus diperbaiki pelapor?"),
            "Tambahkan foto genangan dan perkiraan kedalaman air.")
    ui.click(page.get_by_role("button", name="Minta perbaikan"))
    page.wait_for_load_state()
    send_back = ui.count
    assert "dikembalikan kepada pelapor untuk diperbaiki" in page.inner_text(".messages")

    page.goto(base + LISTING)
    ui = Ui(page)
    ui.click(row_of(page, listing_world["darurat"]).get_by_role(
        "link", name=f"Buka {listing_world['darurat']} di meja verifikasi"))
    page.wait_for_load_state()
    assert "Perahu penyeberangan tenggelam" in page.inner_text("main")
    ui.check(page.get_by_label("C — Cukup andal"))
    ui.check(page.get_by_label("3 — Mungkin benar"))
    ui.click(page.get_by_role("button", name="Verifikasi"))
    page.wait_for_load_state()
    approve = ui.count
    assert f"Laporan {listing_world['darurat'].nomor} diverifikasi." in page.inner_text(
        ".messages")

    print(f"\nINTERAKSI minta perbaikan (dari daftar laporan): {send_back}")
    print(f"INTERAKSI verifikasi setelah membaca (dari daftar laporan): {approve}")
    assert send_back <= 4 and approve <= 4
    assert Laporan.objects.get(pk=listing_world["sedang"].pk).status == Status.PERLU_PERBAIKAN
    assert Laporan.objects.get(pk=listing_world["darurat"].pk).status == Status.TERVERIFIKASI


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_listing_reads_on_a_phone_with_urgency_in_colour_and_words(
    browser_context, live_server, listing_world, viewport
):
    page = browser_context(viewport).new_page()
    sign_in(page, live_server.url, "verifikator.paringin", factories.PASSWORD)
    page.goto(live_server.url + LISTING)
    page.wait_for_load_state()
    width = page.evaluate("document.documentElement.scrollWidth")
    print("\nscrollWidth", viewport, width)
    screenshot(page, f"listing-{'phone' if viewport == PHONE else 'desktop'}.png")
    page.screenshot(path=f"/tmp/desk2-listing-{viewport['width']}.png", full_page=True)
    assert width <= viewport["width"]
    for level, word in (("darurat", "Darurat"), ("sedang", "Sedang"), ("rendah", "Rendah")):
        badge = row_of(page, listing_world[level]).locator(f".meja-urgensi--{level}")
        assert badge.inner_text().strip().lower() == word.lower()
        assert badge.is_visible()
        inside = badge.bounding_box()
        assert inside["x"] >= 0 and inside["x"] + inside["width"] <= viewport["width"], level
        colour = badge.evaluate("(el) => getComputedStyle(el).backgroundColor")
        assert colour not in ("rgba(0, 0, 0, 0)", "transparent"), (level, colour)
        title = row_of(page, listing_world[level]).get_by_text(listing_world[level].judul)
        box = title.bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= viewport["width"]
