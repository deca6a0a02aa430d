"""Debian's chromium driven by Playwright (never `playwright install`)."""

import io
import os
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
    return context


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
