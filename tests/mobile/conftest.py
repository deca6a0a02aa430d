"""Debian's chromium driven by Playwright (never `playwright install`)."""

import io
import os
import re
from pathlib import Path

import pytest
from PIL import Image

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]
PHONE = {"width": 390, "height": 844}
# Inside Balangan (Paringin): the API refuses points outside Kalimantan Selatan.
FIX = {"latitude": -2.3349, "longitude": 115.469, "accuracy": 12}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


@pytest.fixture(scope="session")
def browser(request):
    if not CHROMIUM.exists():
        pytest.skip("/usr/bin/chromium is missing: `apt-get install -y chromium` "
                    "to run the browser tests")
    pytest.importorskip("playwright.sync_api")
    # The live server's database calls run in its own thread; Playwright's
    # sync API runs an event loop in this one, which Django would refuse.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    return request.getfixturevalue("chromium")


def phone_context(browser, live_server, **options):
    """A phone in Balangan with location granted (the migrations' data is
    restored for every browser test by tests/conftest.py)."""
    context = browser.new_context(
        base_url=live_server.url, viewport=PHONE, device_scale_factor=2, is_mobile=True,
        has_touch=True, locale="id-ID", timezone_id="Asia/Makassar",
        geolocation=FIX, permissions=["geolocation"], **options,
    )
    context.set_default_timeout(20000)
    # Nothing leaves the machine: only the live server answers (a test may
    # answer for a tile server itself; later routes win).
    host = re.escape(live_server.url)
    context.route(re.compile(rf"^(?!{host}).*"), lambda route: route.abort())
    return context


TILES = "http://peta.uji/{z}/{x}/{y}.png"


def tile_png():
    buffer = io.BytesIO()
    Image.new("RGB", (256, 256), (220, 230, 220)).save(buffer, "PNG")
    return buffer.getvalue()


def serve_tiles(context):
    """A tile server for the map (the setting points at it), answered by the
    browser context itself; returns the list of tiles requested."""
    served = []
    png = tile_png()

    def answer(route):
        served.append(route.request.url)
        route.fulfill(status=200, content_type="image/png", body=png)

    context.route("http://peta.uji/**", answer)
    return served


@pytest.fixture
def phone(browser, live_server):
    context = phone_context(browser, live_server)
    yield context
    context.close()


def jpeg(colour=(30, 120, 60), size=(2400, 1800)):
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "JPEG", quality=90)
    return {"name": "foto.jpg", "mimeType": "image/jpeg", "buffer": buffer.getvalue()}


def screenshot(page, name):
    if os.environ.get("SIKANDA_SCREENSHOTS"):
        page.screenshot(path=str(SCREENSHOTS / f"mobile-{name}.png"))
