"""An administrator publishes a news page with an image and switches a plugin
on; a petugas refused at the admin is signed out; the public site says who is
signed in. axe-core on the public pages."""

import pytest
from playwright.sync_api import expect

from cms.accounts import roles
from cms.news.models import NewsPage
from cms.platform.plugins import is_enabled
from tests import factories
from tests.reports.reports_factories import make_report, photo, verified_report

from .conftest import DESKTOP, PHONE, Ui, axe_violations, sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_administrator_publishes_news_with_an_image_and_switches_a_plugin_on(page, live_server):
    factories.make_user(roles.ADMINISTRATOR, "admin.berita", first_name="Rahmat")
    index = factories.news_index()
    factories.make_image("Rapat Forkopimda")
    base = live_server.url
    sign_in(page, base, "admin.berita", factories.PASSWORD)

    page.goto(f"{base}/admin/pages/add/news/newspage/{index.pk}/")
    ui = Ui(page)
    ui.fill("#id_title", "Apel kesiapsiagaan bencana")
    ui.fill("#id_summary", "Apel gabungan menjelang musim hujan.")
    # Wagtail fills the slug from the title once the title loses focus; under
    # load that can trail the next clicks, and publishing without it is refused.
    expect(page.locator("#id_slug")).not_to_have_value("")
    ui.click("[data-field-wrapper] .Draftail-Editor .public-DraftEditor-content")
    page.keyboard.type("Apel diikuti unsur TNI, Polri, BPBD dan relawan.")
    ui.click(page.get_by_role("button", name="Pilih sebuah gambar"))
    modal = page.locator(".modal-dialog")
    modal.get_by_role("link", name="Rapat Forkopimda").click()
    modal.wait_for(state="hidden")
    assert page.locator("[data-chooser-title]", has_text="Rapat Forkopimda").is_visible()
    assert page.input_value("#id_lead_image")
    page.get_by_role("button", name="Tindakan lain").last.click()
    page.get_by_role("button", name="Publikasi").click()
    page.wait_for_load_state()
    message = page.inner_text(".messages")
    assert "Apel kesiapsiagaan bencana" in message and "publikasi" in message.lower(), message

    news = NewsPage.objects.get(title="Apel kesiapsiagaan bencana")
    assert news.live and news.lead_image.title == "Rapat Forkopimda"
    public = page.goto(f"{base}{news.url}")
    assert public.status == 200
    assert "Apel diikuti unsur TNI, Polri, BPBD dan relawan." in page.inner_text("main")
    image = page.locator("main img").first
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", image.element_handle())

    # Switch the CAP feed on, from Pengaturan → Plugin.
    page.goto(f"{base}/admin/plugin/")
    row = page.locator("tr", has_text="cap_alerts")
    row.get_by_role("button", name="Aktifkan").click()
    page.wait_for_load_state()
    assert "diaktifkan" in page.inner_text(".messages")
    assert page.locator("tr", has_text="cap_alerts").get_by_text("Aktif", exact=True).is_visible()
    assert is_enabled("cap_alerts")
    assert page.goto(f"{base}/plugin/cap_alerts/alerts.atom").status == 200


def test_petugas_refused_at_the_admin_is_signed_out(page, live_server, petugas, verifikator):
    terbatas = verified_report(petugas, verifikator, judul="Rahasia terbatas",
                               klasifikasi="terbatas")
    petugas.first_name = "Ahmad"
    petugas.save()
    base = live_server.url
    # Signed in on the public side (as the app would), the officer sees their
    # own restricted report.
    sign_in(page, base, petugas.username, factories.PASSWORD)
    assert page.url == f"{base}/akun/bukan-untuk-admin/"
    text = page.inner_text("main")
    assert "Halaman admin bukan untuk akun ini" in text and "dikeluarkan" in text
    assert page.get_by_role("link", name="Buka aplikasi SIKANDA").get_attribute("href") == "/app/"
    # The session is gone: no name in the header, no restricted report.
    assert "Masuk sebagai" not in page.inner_text("header")
    page.goto(f"{base}/laporan/")
    assert "Rahasia terbatas" not in page.inner_text("main")
    assert page.goto(f"{base}{terbatas.get_absolute_url()}").status == 404
    # Nothing in the browser still signs anyone in.
    from django.contrib.sessions.models import Session

    for cookie in page.context.cookies():
        if cookie["name"] == "sessionid":
            session = Session.objects.filter(session_key=cookie["value"]).first()
            assert session is None or "_auth_user_id" not in session.get_decoded()


def test_public_site_shows_who_is_signed_in_and_signs_out(page, live_server, verifikator):
    verifikator.first_name, verifikator.last_name = "Siti", "Aminah"
    verifikator.save()
    base = live_server.url
    sign_in(page, base, verifikator.username, factories.PASSWORD)
    page.goto(f"{base}/laporan/")
    header = page.inner_text("header")
    assert "Masuk sebagai Siti Aminah (verifikator.uji)" in header
    page.get_by_role("button", name="Keluar").click()
    page.wait_for_load_state()
    assert "Masuk sebagai" not in page.inner_text("header")
    assert page.goto(f"{base}/admin/").url.startswith(f"{base}/admin/login/")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_public_pages_have_no_serious_accessibility_violations(
    browser_context, live_server, petugas, verifikator, viewport
):
    report = verified_report(petugas, verifikator, judul="Pohon tumbang",
                             uploads=[photo("pohon.jpg", size=(320, 240))])
    make_report(petugas, submit=True, judul="Masih menunggu")
    news = factories.make_news("Rapat koordinasi", lead_image=factories.make_image("Rapat"))
    facility = factories.make_facility()
    page = browser_context(viewport).new_page()
    found = {}
    for path in ("/", "/laporan/", report.get_absolute_url(), "/laporan/?q=pohon",
                 news.url, facility.url, "/berita/", "/fasilitas/", "/cari/?q=rapat",
                 "/akun/bukan-untuk-admin/"):
        response = page.goto(live_server.url + path)
        assert response.status == 200, path
        if violations := axe_violations(page):
            found[path] = violations
    assert found == {}


def test_guest_refused_at_the_admin_is_signed_out(page, live_server, pengguna):
    base = live_server.url
    sign_in(page, base, pengguna.username, factories.PASSWORD)
    assert page.url == f"{base}/akun/bukan-untuk-admin/"
    assert "dikeluarkan" in page.inner_text("main")
    assert "Masuk sebagai" not in page.inner_text("header")
    # Every admin address sends them out again, and nothing signs them in.
    page.goto(f"{base}/admin/snippets/reports/laporan/")
    assert page.url.startswith((f"{base}/admin/login/", f"{base}/akun/bukan-untuk-admin/"))
    from django.contrib.sessions.models import Session

    for cookie in page.context.cookies():
        if cookie["name"] == "sessionid":
            session = Session.objects.filter(session_key=cookie["value"]).first()
            assert session is None or "_auth_user_id" not in session.get_decoded()
