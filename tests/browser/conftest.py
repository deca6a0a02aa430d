"""Browser tests: Debian's Chromium driven by Playwright against Django's live
server. Never `playwright install`: the browser is the system package
(`apt-get install chromium`, done by .ci/run when missing).

Every request to a host other than the live server is aborted, so the tests
never reach the internet (the desk's map tiles take their fallback). A failing
test leaves a screenshot in tests/browser/.artifacts/ (git-ignored)."""

import json
import os
import re
from pathlib import Path

import pytest

CHROMIUM = Path(os.environ.get("SIKANDA_CHROMIUM", "/usr/bin/chromium"))
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
ARTIFACTS = Path(__file__).parent / ".artifacts"
AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - dev extras not installed
    sync_playwright = None

# Playwright's sync API keeps an event loop running in this thread; Django
# refuses ORM calls there unless told it is safe (it is: one thread, sync).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    reason = None
    if sync_playwright is None:
        reason = "Playwright is not installed (pip install -e '.[dev]')"
    elif not CHROMIUM.exists():
        reason = (f"{CHROMIUM} is missing: install Debian's chromium "
                  "(apt-get install -y chromium) to run the browser tests")
    if reason:
        for item in items:
            if "browser" in item.keywords:
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    setattr(item, f"report_{report.when}", report)
    return report


def restore_migration_data(serialized):
    """Load the migrations' data again if the previous test's flush emptied
    the database (every browser test, through tests/conftest.py)."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import connection

    if not serialized or Group.objects.exists():
        return
    # Emptied by the previous test's flush (which may have re-created content
    # types and permissions through post_migrate): start clean.
    call_command("flush", interactive=False, inhibit_post_migrate=True, verbosity=0,
                 reset_sequences=False)
    # Content types first: saving some rows (pages) looks content types up and
    # would create them under new ids before theirs are loaded.
    rows = json.loads(serialized)
    first = [row for row in rows if row["model"] == "contenttypes.contenttype"]
    rest = [row for row in rows if row["model"] != "contenttypes.contenttype"]
    for part in (first, rest):
        connection.creation.deserialize_db_from_string(json.dumps(part))


@pytest.fixture
def browser_context(chromium, live_server, request):
    contexts = []
    host = re.escape(live_server.url)

    def new(viewport=DESKTOP):
        context = chromium.new_context(viewport=viewport, locale="id-ID",
                                       timezone_id="Asia/Makassar")
        context.set_default_timeout(15_000)
        # Nothing leaves the machine: only the live server answers.
        context.route(re.compile(rf"^(?!{host}).*"), lambda route: route.abort())
        contexts.append(context)
        return context

    yield new
    failed = getattr(request.node, "report_call", None)
    for number, context in enumerate(contexts):
        if failed is not None and failed.failed:
            ARTIFACTS.mkdir(exist_ok=True)
            for index, page in enumerate(context.pages):
                page.screenshot(
                    path=ARTIFACTS / f"{request.node.name}-{number}-{index}.png", full_page=True
                )
        context.close()


@pytest.fixture
def page(browser_context):
    return browser_context().new_page()


class Ui:
    """A person's interactions with a page, counted: a click, a choice or
    typing into one field is one interaction; arriving at the start page and
    reading are not."""

    def __init__(self, page):
        self.page = page
        self.count = 0

    def click(self, target):
        self._locate(target).click()
        self.count += 1

    def check(self, target):
        self._locate(target).check()
        self.count += 1

    def fill(self, target, text):
        self._locate(target).fill(text)
        self.count += 1

    def _locate(self, target):
        return self.page.locator(target) if isinstance(target, str) else target


def sign_in(page, base_url, username, password):
    page.goto(f"{base_url}/admin/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit]")
    page.wait_for_load_state()


def axe_violations(page, context=None):
    """Serious and critical axe-core violations of the page (or of a part).
    Injected over the DevTools protocol, which the page's CSP does not govern."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    results = page.evaluate(
        "async (context) => await axe.run(context || document, "
        "{resultTypes: ['violations']})",
        context,
    )
    return [
        {"id": v["id"], "impact": v["impact"], "help": v["help"],
         "targets": [node["target"] for node in v["nodes"]][:5]}
        for v in results["violations"] if v["impact"] in ("serious", "critical")
    ]
