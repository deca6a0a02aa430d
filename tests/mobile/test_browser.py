"""The app in Debian's chromium at phone size against a live server: an
officer files a report online, then two offline that survive closing the
app and arrive exactly once each when the network returns."""

import json
import math
import time

import pytest
from django.utils import timezone

from cms.accounts import roles
from cms.reports.models import Laporan
from tests import factories

from .conftest import FIX, TILES, jpeg, phone_context, screenshot, serve_tiles

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def wait_until(condition, timeout=20):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.1)


def officer():
    return factories.make_user(roles.PETUGAS, username="petugas.app",
                               kecamatan=[factories.kecamatan("paringin")])


def log_in(page, username):
    page.goto("/app/")
    page.fill("[name=username]", username)
    page.fill("[name=password]", factories.PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_selector("form.report-form")


def compose(page, judul, locate=True):
    page.wait_for_selector("form.report-form [name=judul]")
    page.fill("[name=judul]", judul)
    page.fill("[name=fakta]", f"{judul}: warga berkumpul di balai desa.")
    page.select_option("[name=urgensi]", "TINGGI")
    page.set_input_files("[name=photos]", files=[jpeg()])
    if locate:
        page.click("#locate")
        page.wait_for_selector("#location:has-text('±')")


def test_officer_files_a_report_online_with_a_photo_and_location(phone):
    officer()
    page = phone.new_page()
    log_in(page, "petugas.app")
    compose(page, "Rapat warga di Paringin")
    screenshot(page, "compose")
    page.click("#send")
    page.wait_for_selector(".queue-item[data-state=terkirim]")

    report = Laporan.objects.get()
    assert report.judul == "Rapat warga di Paringin"
    assert report.status == "menunggu"
    assert (float(report.latitude), float(report.longitude)) == (-2.3349, 115.469)
    assert report.akurasi_m == 12
    photo = report.lampiran.get()
    # Shrunk on the phone: at most 1600 px on the long side, JPEG.
    assert photo.mime == "image/jpeg"
    from PIL import Image
    with photo.berkas.open("rb") as f:
        assert max(Image.open(f).size) == 1600


def test_officer_offline_reports_survive_closing_and_arrive_once(phone):
    officer()
    page = phone.new_page()
    log_in(page, "petugas.app")
    # Evaluated through the DevTools protocol: the page's CSP forbids eval, so no wait_for_function.
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    wait_until(lambda: page.evaluate("navigator.serviceWorker.controller !== null"))

    phone.set_offline(True)
    for judul in ("Banjir di Halong", "Jalan putus di Juai"):
        page.goto("/app/#/tulis")
        compose(page, judul, locate=False)
        page.click("#send")
        page.wait_for_selector(f".queue-item:has-text('{judul}')")
    page.close()

    page = phone.new_page()
    response = page.goto("/app/#/antrean")
    assert response.from_service_worker
    page.wait_for_selector(".queue-item >> nth=1")
    states = page.eval_on_selector_all(".queue-item", "els => els.map(e => e.dataset.state)")
    assert states == ["menunggu", "menunggu"]
    screenshot(page, "queue")
    assert Laporan.objects.count() == 0

    phone.set_offline(False)
    page.wait_for_selector(".queue-item[data-state=terkirim] >> nth=1", timeout=30000)
    reports = Laporan.objects.order_by("judul")
    assert [r.judul for r in reports] == ["Banjir di Halong", "Jalan putus di Juai"]
    assert len({r.client_uuid for r in reports}) == 2
    assert [r.lampiran.count() for r in reports] == [1, 1]

    # The app starts without a network, from the service worker, and is installable.
    phone.set_offline(True)
    response = page.reload()
    assert response.from_service_worker
    page.wait_for_selector("nav a[data-route=antrean]")
    manifest = json.loads(page.evaluate(
        "caches.match('/app/manifest.webmanifest').then(r => r.text())"))
    assert manifest["start_url"] == "/app/" and manifest["display"] == "standalone"
    assert {icon["sizes"] for icon in manifest["icons"]} == {"192x192", "512x512"}


def test_send_back_shows_the_comment_and_the_officer_edits_and_resubmits(phone):
    from cms.reports import services
    from tests.reports.reports_factories import make_report

    petugas = officer()
    verifikator = factories.make_user(roles.VERIFIKATOR, username="verifikator.app",
                                      kecamatan=[factories.kecamatan("paringin")])
    laporan = make_report(petugas, submit=True)
    services.act(laporan, verifikator, "reject", comment="Tambahkan jumlah massa.")

    page = phone.new_page()
    log_in(page, "petugas.app")
    page.goto("/app/#/laporanku")
    item = page.locator(f".report-item[data-id='{laporan.pk}']")
    item.locator("text=Tambahkan jumlah massa.").wait_for()
    item.locator("a:has-text('Ubah')").click()
    page.wait_for_selector("form.report-form [name=fakta]")
    page.fill("[name=fakta]", "Dua kelompok pemuda, sekitar 40 orang, bersitegang di pasar.")
    page.click("#resubmit")
    page.wait_for_selector(f".report-item[data-id='{laporan.pk}'] .status--MENUNGGU")

    laporan.refresh_from_db()
    assert laporan.status == "menunggu"
    assert "40 orang" in laporan.fakta


def test_guest_registers_subscribes_and_sees_a_verified_report(phone):
    from tests.reports.reports_factories import photo, verified_report

    page = phone.new_page()
    page.goto("/app/#/daftar")
    page.fill("[name=username]", "siti.aminah")
    page.fill("[name=email]", "siti@example.org")
    page.fill("[name=fullName]", "Siti Aminah")
    page.fill("[name=password]", "kata-sandi-warga-2026")
    page.click("form button[type=submit]")
    page.wait_for_selector("nav a[data-route=langganan]")
    page.goto("/app/#/langganan")
    paringin = factories.kecamatan("paringin")
    page.check(f"input[name=kecamatan][value='{paringin.pk}']")
    page.click("form button[type=submit]")
    page.wait_for_selector("text=Tersimpan.")

    petugas = officer()
    verifikator = factories.make_user(roles.VERIFIKATOR, username="verifikator.app",
                                      kecamatan=[paringin])
    laporan = verified_report(petugas, verifikator, uploads=[photo(size=(640, 480))])

    page.goto("/app/#/beranda")
    card = page.locator(f".report-card[data-id='{laporan.pk}']")
    card.wait_for()
    card.locator("img[src^='blob:']").wait_for()
    screenshot(page, "feed")
    page.goto("/app/#/kotak-masuk")
    page.wait_for_selector(".notification.unread")
    assert page.inner_text("#unread") == "1"
    page.goto(f"/app/#/laporan/{laporan.pk}")
    page.wait_for_selector(f"h1:has-text('{laporan.judul}')")
    page.locator(".photos img[src^='blob:']").wait_for()


def test_connection_dropped_mid_upload_still_makes_one_report(browser, live_server):
    """The server made the report but its answer never reached the phone: the
    retry sends the same clientUuid and gets that report back."""
    officer()
    # No service worker here, so the page's own requests can be cut (page.route).
    context = phone_context(browser, live_server, service_workers="block")
    try:
        page = context.new_page()
        log_in(page, "petugas.app")
        cut = []

        def drop_first_upload(route):
            upload = "multipart/form-data" in (route.request.headers.get("content-type") or "")
            if upload and not cut:
                route.fetch()  # the server receives it and makes the report...
                cut.append(route.request.url)
                route.abort("connectionreset")  # ...and the answer is lost
            else:
                route.continue_()

        page.route("**/graphql/", drop_first_upload)
        compose(page, "Longsor di Tebing Tinggi")
        page.click("#send")
        page.wait_for_selector(".queue-item[data-state=terkirim]", timeout=30000)
        assert cut
        report = Laporan.objects.get()
        assert report.judul == "Longsor di Tebing Tinggi"
        assert report.lampiran.count() == 1
    finally:
        context.close()


def assert_accessible(page, screen):
    from tests.browser.conftest import axe_violations

    violations = axe_violations(page)
    assert not violations, f"{screen}: {violations}"


def test_main_screens_have_no_serious_accessibility_violations(phone):
    from tests.reports.reports_factories import photo, verified_report

    petugas = officer()
    verifikator = factories.make_user(roles.VERIFIKATOR, username="verifikator.app",
                                      kecamatan=[factories.kecamatan("paringin")])
    laporan = verified_report(petugas, verifikator, uploads=[photo(size=(640, 480))])
    page = phone.new_page()
    page.goto("/app/")
    page.wait_for_selector("form [name=username]")
    assert_accessible(page, "masuk")
    page.goto("/app/#/daftar")
    page.wait_for_selector("form [name=email]")
    assert_accessible(page, "daftar")
    log_in(page, "petugas.app")
    assert_accessible(page, "tulis")
    for route, ready in (("antrean", "#queue"), ("laporanku", ".report-item"),
                         ("beranda", ".report-card img[src^='blob:']"),
                         (f"laporan/{laporan.pk}", ".photos img[src^='blob:']"),
                         ("kotak-masuk", "h1:has-text('Kotak masuk')"),
                         ("fasilitas", "h1:has-text('Fasilitas')")):
        page.goto(f"/app/#/{route}")
        page.wait_for_selector(ready)
        assert_accessible(page, route)


def metres_per_fingertip(latitude, zoom):
    return max(1, round(156543.03392 * math.cos(math.radians(latitude)) / 2 ** zoom * 24))


def test_officer_picks_the_place_on_a_map_instead_of_gps(phone, settings):
    settings.SIKANDA_MAP_TILES = {"URL": TILES, "ATTRIBUTION": "Peta uji"}
    served = serve_tiles(phone)
    officer()
    page = phone.new_page()
    log_in(page, "petugas.app")
    compose(page, "Keributan di pasar Paringin")  # GPS fix first: the map opens there
    page.click("#pick")
    page.wait_for_selector("#pick-map .leaflet-tile-loaded")
    assert served
    # The GPS fix and its accuracy are drawn; a tap at the centre picks that point.
    page.wait_for_selector("#pick-map .leaflet-marker-icon")
    assert page.locator("#pick-map path.leaflet-interactive").count() == 1
    page.locator("#pick-map").scroll_into_view_if_needed()
    box = page.locator("#pick-map").bounding_box()
    page.mouse.click(box["x"] + box["width"] / 2 + 40, box["y"] + box["height"] / 2)
    page.wait_for_selector("#location:has-text('dipilih di peta')")
    assert "±" in page.inner_text("#location")
    assert_accessible(page, "tulis + peta")
    page.click("#send")
    page.wait_for_selector(".queue-item[data-state=terkirim]")

    report = Laporan.objects.get()
    # 40 px east of the fix at zoom 16, as accurate as a fingertip there.
    assert abs(float(report.latitude) - FIX["latitude"]) < 1e-4
    degrees_per_pixel = 360 / (256 * 2 ** 16)
    assert abs(float(report.longitude) - FIX["longitude"] - 40 * degrees_per_pixel) < 1e-4
    assert report.akurasi_m == metres_per_fingertip(FIX["latitude"], 16)


def test_without_tiles_the_map_falls_back_to_typed_coordinates(phone, settings):
    settings.SIKANDA_MAP_TILES = {"URL": TILES, "ATTRIBUTION": "Peta uji"}  # never answered
    officer()
    page = phone.new_page()
    log_in(page, "petugas.app")
    compose(page, "Pohon tumbang di Awayan", locate=False)
    page.click("#pick")
    page.wait_for_selector("#pick-map .map-fallback")
    assert "tidak dapat dimuat" in page.inner_text("#pick-map .map-fallback")
    page.fill("[name=manualLat]", "-2.41")
    page.fill("[name=manualLng]", "115.38")
    page.locator("[name=manualLng]").dispatch_event("change")
    page.wait_for_selector("#location:has-text('diketik')")
    page.click("#send")
    page.wait_for_selector(".queue-item[data-state=terkirim]")
    report = Laporan.objects.get()
    assert (float(report.latitude), float(report.longitude), report.akurasi_m) == (
        -2.41, 115.38, None)


def test_facilities_on_a_map_and_nearest_first(phone, settings):
    from decimal import Decimal

    settings.SIKANDA_MAP_TILES = {"URL": TILES, "ATTRIBUTION": "Peta uji"}
    serve_tiles(phone)
    # The phone is in Paringin (FIX): Halong is farthest, Paringin nearest.
    factories.make_facility("Puskesmas Halong", kec="halong", latitude=Decimal("-2.2890"),
                            longitude=Decimal("115.7320"))
    factories.make_facility("Polsek Paringin", kec="paringin", latitude=Decimal("-2.3360"),
                            longitude=Decimal("115.4700"))
    factories.make_facility("Koramil Juai", kec="juai", latitude=Decimal("-2.4000"),
                            longitude=Decimal("115.6000"))
    factories.make_facility("Kantor tanpa titik", kec="awayan")
    page = phone.new_page()
    page.goto("/app/#/fasilitas")
    page.wait_for_selector("#facility-map .leaflet-tile-loaded")
    page.wait_for_selector("#facility-map .leaflet-marker-icon >> nth=2")
    assert page.locator("#facility-map .leaflet-marker-icon").count() == 3
    page.click("#nearest")
    page.wait_for_selector(".facility[data-distance]")
    titles = page.eval_on_selector_all(".facility strong", "els => els.map(e => e.textContent)")
    assert titles == ["Polsek Paringin", "Koramil Juai", "Puskesmas Halong", "Kantor tanpa titik"]
    first = page.locator(".facility >> nth=0").inner_text()
    assert "170 m" in first  # 165 m away, shown to the nearest 10 m
    assert_accessible(page, "fasilitas")


def test_without_onesignal_no_sdk_is_requested_and_the_inbox_polls(browser, live_server,
                                                                   settings, monkeypatch):
    settings.ONESIGNAL_APP_ID = ""
    monkeypatch.delenv("ONESIGNAL_APP_ID", raising=False)
    settings.SIKANDA_APP_POLL_SECONDS = 1
    factories.make_user(roles.PENGGUNA, username="warga.app")
    # No service worker: requests passing through one reach Playwright without their body.
    context = phone_context(browser, live_server, service_workers="block")
    requested = []
    polls = []
    context.on("request", lambda request: requested.append(request.url))
    context.on("request", lambda request: polls.append(time.monotonic())
               if request.method == "POST" and "query Notifications(" in (request.post_data or "")
               else None)
    try:
        page = context.new_page()
        page.goto("/app/")
        page.fill("[name=username]", "warga.app")
        page.fill("[name=password]", factories.PASSWORD)
        page.click("form button[type=submit]")
        page.wait_for_selector("nav a[data-route=langganan]")
        before = len(polls)
        # Playwright's events arrive only while it runs: wait in the page, not in time.sleep.
        for _ in range(100):
            if len(polls) >= before + 2:
                break
            page.wait_for_timeout(100)
        assert len(polls) >= before + 2, polls
        assert not [url for url in requested if "onesignal" in url.lower()]
        assert page.evaluate("typeof window.OneSignalDeferred") == "undefined"
        assert page.get_attribute("body", "data-onesignal-app-id") is None
    finally:
        context.close()


def test_pimpinan_reads_verified_reports_restricted_ones_too(phone):
    from tests.reports.reports_factories import make_report, verified_report

    petugas = officer()
    verifikator = factories.make_user(roles.VERIFIKATOR, username="verifikator.app",
                                      kecamatan=[factories.kecamatan("paringin")])
    terbatas = verified_report(petugas, verifikator, judul="Gesekan antarwarga di Paringin",
                               klasifikasi="terbatas")
    menunggu = make_report(petugas, submit=True, judul="Belum diverifikasi")
    factories.make_user(roles.PIMPINAN, username="pimpinan.app")

    page = phone.new_page()
    page.goto("/app/")
    page.fill("[name=username]", "pimpinan.app")
    page.fill("[name=password]", factories.PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_selector("nav a[data-route=beranda]:has-text('Laporan terverifikasi')")
    card = page.locator(f".report-card[data-id='{terbatas.pk}']")
    card.wait_for()
    assert "Terbatas" in card.inner_text()
    assert page.locator(f".report-card[data-id='{menunggu.pk}']").count() == 0
    assert page.locator("nav a[data-route=tulis]").count() == 0
    assert_accessible(page, "pimpinan beranda")
    card.locator("a").click()
    page.wait_for_selector(f"h1:has-text('{terbatas.judul}')")


def test_instansi_sees_forwarded_reports_and_records_follow_up_steps(phone):
    from cms.followup.models import Instansi, TindakLanjut
    from tests.followup.conftest import issue
    from tests.reports.reports_factories import verified_report

    petugas = officer()
    verifikator = factories.make_user(roles.VERIFIKATOR, username="verifikator.app",
                                      kecamatan=[factories.kecamatan("paringin")])
    pimpinan = factories.make_user(roles.PIMPINAN, username="pimpinan.app")
    polres = Instansi.objects.get(singkatan="Polres Balangan")
    anggota = factories.make_user(roles.INSTANSI, username="anggota.polres")
    polres.anggota.add(anggota)
    diteruskan = verified_report(petugas, verifikator, judul="Bentrok pemuda di pasar")
    verified_report(petugas, verifikator, judul="Tidak diteruskan ke Polres")
    issue(diteruskan, pimpinan, polres, instruksi="Amankan pasar dan laporkan perkembangan.")
    tindak_lanjut = TindakLanjut.objects.get()

    page = phone.new_page()
    page.goto("/app/")
    page.fill("[name=username]", "anggota.polres")
    page.fill("[name=password]", factories.PASSWORD)
    page.click("form button[type=submit]")
    item = page.locator(f".follow-up[data-id='{tindak_lanjut.pk}']")
    item.wait_for()
    assert page.locator(".follow-up").count() == 1
    assert "Amankan pasar" in item.inner_text()
    assert_accessible(page, "tindak lanjut")
    item.locator("a").click()
    page.wait_for_selector("form.step-form")
    assert_accessible(page, "tindak lanjut detail")
    page.fill("[name=note]", "Personel tiba di pasar pukul 10.00.")
    page.click("form.step-form button[type=submit]")
    page.wait_for_selector("#follow-up-status.status--DITERIMA")
    page.select_option("[name=status]", "SELESAI")
    page.fill("[name=note]", "Situasi kondusif, kedua kelompok dimediasi.")
    page.set_input_files("[name=photos]", files=[jpeg()])
    page.click("form.step-form button[type=submit]")
    page.wait_for_selector("#follow-up-status.status--SELESAI")
    assert page.locator("form.step-form").count() == 0  # nothing follows selesai

    tindak_lanjut.refresh_from_db()
    assert tindak_lanjut.status == "selesai"
    steps = list(tindak_lanjut.langkah.order_by("waktu"))
    assert [s.status for s in steps] == ["diterima", "selesai"]
    assert steps[1].lampiran.count() == 1


# Everything the first screen needs on the wire, headers included (bench/mobile_3g.py
# prints the times; measured at about 42 KB in 16 requests).
FIRST_LOAD_BUDGET = 100 * 1024


def test_first_load_on_3g_stays_within_the_transfer_budget(browser, live_server, capsys):
    from bench.mobile_3g import THREE_G, measure

    result = measure(browser, live_server.url, warm=False)
    with capsys.disabled():
        print(f"\nSIKANDA Mobile first load on 3G ({THREE_G['latency']} ms, "
              f"{THREE_G['downloadThroughput'] * 8 / 1e6:.1f} Mbit/s): "
              f"{result['cold_bytes']} bytes in {result['cold_requests']} requests, "
              f"first screen after {result['cold_ms']} ms (budget {FIRST_LOAD_BUDGET} bytes)")
    assert 0 < result["cold_bytes"] <= FIRST_LOAD_BUDGET


def test_instansi_hands_a_follow_up_over_to_another_agency(phone):
    from cms.followup.models import Instansi, TindakLanjut
    from tests.followup.conftest import issue
    from tests.reports.reports_factories import verified_report

    petugas = officer()
    verifikator = factories.make_user(roles.VERIFIKATOR, username="verifikator.app",
                                      kecamatan=[factories.kecamatan("paringin")])
    pimpinan = factories.make_user(roles.PIMPINAN, username="pimpinan.app")
    polres = Instansi.objects.get(singkatan="Polres Balangan")
    bpbd = Instansi.objects.get(singkatan="BPBD Balangan")
    anggota = factories.make_user(roles.INSTANSI, username="anggota.polres")
    polres.anggota.add(anggota)
    laporan = verified_report(petugas, verifikator, judul="Tanah longsor di Halong")
    issue(laporan, pimpinan, polres)
    tindak_lanjut = TindakLanjut.objects.get()

    page = phone.new_page()
    log_in_as(page, "anggota.polres")
    page.locator(f".follow-up[data-id='{tindak_lanjut.pk}'] a").click()
    page.wait_for_selector("form.step-form")
    page.select_option("[name=status]", "DIALIHKAN")
    page.wait_for_selector(f"[name=handOverTo] option[value='{bpbd.pk}']", state="attached")
    assert page.locator(f"[name=handOverTo] option[value='{polres.pk}']").count() == 0
    page.select_option("[name=handOverTo]", str(bpbd.pk))
    page.fill("[name=note]", "Longsor ditangani BPBD.")
    page.click("form.step-form button[type=submit]")
    page.wait_for_selector("#follow-up-status.status--DIALIHKAN")

    tindak_lanjut.refresh_from_db()
    assert tindak_lanjut.status == "dialihkan"
    successor = TindakLanjut.objects.get(instansi=bpbd)
    assert successor.dialihkan_dari_id == tindak_lanjut.pk and successor.status == "terkirim"


def log_in_as(page, username):
    page.goto("/app/")
    page.fill("[name=username]", username)
    page.fill("[name=password]", factories.PASSWORD)
    page.click("form button[type=submit]")
    page.wait_for_selector("nav a[data-route]:not([data-route=masuk])")


def test_officer_files_nihil_in_two_taps_and_sees_the_state_change(phone):
    from cms.compliance.models import LaporanNihil
    from cms.recaps.periods import local_date

    officer()
    page = phone.new_page()
    log_in(page, "petugas.app")
    row = page.locator("#today li[data-state=MISSING]")
    row.wait_for()
    assert "Belum ada laporan" in row.inner_text()
    assert_accessible(page, "tulis with today's state")

    row.locator("button.nihil").click()  # tap one
    page.locator("button.nihil-confirm").wait_for()
    assert_accessible(page, "nihil confirmation")
    page.click("button.nihil-confirm")  # tap two
    filed = page.locator("#today li[data-state=NIHIL]")
    filed.wait_for()
    assert "Laporan nihil terkirim." in filed.inner_text()
    nihil = LaporanNihil.objects.get()
    assert (nihil.kecamatan.slug, nihil.tanggal, nihil.petugas.username) == (
        "paringin", local_date(timezone.now()), "petugas.app")

    # The state comes from the server, not the phone: a reload shows it too.
    page.reload()
    page.locator("#today li[data-state=NIHIL]").wait_for()
    assert page.locator("#today button.nihil").count() == 0


def test_officer_of_two_kecamatan_picks_one_and_offline_is_told_not_lost(phone):
    from django.contrib.auth.models import Group

    from cms.compliance.models import LaporanNihil

    user = factories.make_user(roles.PETUGAS, username="petugas.app", kecamatan=[
        factories.kecamatan("paringin"), factories.kecamatan("halong")])
    halong = factories.kecamatan("halong")
    page = phone.new_page()
    log_in(page, "petugas.app")
    page.locator("#today li[data-state=MISSING] >> nth=1").wait_for()
    row = page.locator(f"#today li[data-kecamatan='{halong.pk}']")

    # No connection: said on the spot, nothing pretends to be filed, the button comes back.
    phone.set_offline(True)
    row.locator("button.nihil").click()
    row.locator("button.nihil-confirm").click()
    row.locator("[role=alert]:has-text('tidak ada sambungan')").wait_for()
    assert row.get_attribute("data-state") == "MISSING"
    assert LaporanNihil.objects.count() == 0

    phone.set_offline(False)
    row.locator("button.nihil").click()
    row.locator("button.nihil-confirm").click()
    page.locator(f"#today li[data-kecamatan='{halong.pk}'][data-state=NIHIL]").wait_for()
    assert [n.kecamatan.slug for n in LaporanNihil.objects.all()] == ["halong"]
    assert page.locator("#today li[data-state=MISSING]").count() == 1
    screenshot(page, "nihil")

    # In English, through the app's catalogue.
    page.click("nav button:has-text('EN')")
    page.locator("#today button.nihil:has-text('Nothing to report today')").wait_for()
    page.click("nav button:has-text('ID')")
    page.locator("#today button.nihil:has-text('Nihil hari ini')").wait_for()

    # A typed error from the server, in Indonesian, on the row: no longer an officer.
    user.groups.remove(Group.objects.get(name=roles.PETUGAS))
    paringin = page.locator("#today li[data-state=MISSING]")
    paringin.locator("button.nihil").click()
    paringin.locator("button.nihil-confirm").click()
    paringin.locator("[role=alert]:has-text('Anda tidak berhak melakukan ini.')").wait_for()
    assert LaporanNihil.objects.count() == 1


def test_pimpinan_opens_the_recap_list_and_a_recap_and_downloads_it(phone):
    from cms.platform.plugins import set_enabled
    from cms.recaps.models import RekapKecamatan
    from tests.recaps.builders import signed_regency_recap

    set_enabled("export_pdf", True)
    recap, _reports = signed_regency_recap()
    kecamatan = RekapKecamatan.objects.get(periode=recap.periode, periode_mulai=recap.periode_mulai,
                                           kecamatan__slug="paringin")
    factories.make_user(roles.PIMPINAN, username="pimpinan.app")
    page = phone.new_page()
    log_in_as(page, "pimpinan.app")
    page.click("nav a[data-route=rekap]")
    first = page.locator(".recap-item >> nth=0")
    first.wait_for()
    ids = page.eval_on_selector_all(".recap-item", "els => els.map(e => e.dataset.id)")
    # The regency recap before its kecamatan recap, both readable by the leadership.
    assert ids == [f"kabupaten-{recap.pk}", f"kecamatan-{kecamatan.pk}"]
    assert_accessible(page, "rekap")
    screenshot(page, "recaps")

    first.locator("a").click()
    page.wait_for_selector(f".recap[data-id='kabupaten-{recap.pk}'] h1")
    assert "Ditandatangani" in page.inner_text("#recap-status")
    assert "Drs. H. Ahmad Fauzi" in page.inner_text(".recap")
    assert page.locator("table.counts caption:has-text('Per aspek')").count() == 1
    assert_accessible(page, "rekap detail")
    screenshot(page, "recap")

    # The link needs the user's authorization: the app sends its bearer token (no cookie).
    with page.expect_download() as info:
        page.click("button.download[data-format=pdf]")
    download = info.value
    assert download.suggested_filename.endswith(".pdf")
    with open(download.path(), "rb") as f:
        assert f.read(5) == b"%PDF-"

    # An officer reads no recap: no link, an empty list, and a typed id is "not found".
    officer()
    page.click("nav button:has-text('Keluar')")
    page.wait_for_selector("form [name=username]")
    log_in(page, "petugas.app")
    assert page.locator("nav a[data-route=rekap]").count() == 0
    page.goto("/app/#/rekap")
    page.wait_for_selector("#recaps li:has-text('Belum ada rekap.')")
    page.goto(f"/app/#/rekap/kabupaten-{recap.pk}")
    page.wait_for_selector("[role=alert]:has-text('Data tidak ditemukan.')")
