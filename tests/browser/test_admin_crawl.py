"""The admin as an Indonesian verifier, Pimpinan and administrator see it in
Chromium: every admin page each of them can reach by clicking (the sidebar
with its submenus, listings, filters, pagination, editors, history, workflow
panels) shows none of Wagtail's or Django's English, and no page asks any
host but SIKANDA's own for anything (no gravatar, no fonts, no analytics).

The crawl follows the links and sidebar entries it finds, one page per URL
shape (ids are collapsed), so a new screen is covered the day it is linked."""

import re
from collections import deque
from urllib.parse import urljoin, urlsplit

import pytest

from cms.accounts import roles
from cms.desk.views import _tile_origin
from tests import factories
from tests.desk.test_indonesian_admin import ENGLISH
from tests.reports.reports_factories import make_report, photo, verified_report

from .conftest import sign_in

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

# What the browser shows of a page: visible text, the sidebar's labels
# (submenus are in the DOM while closed) and what is read out or hovered.
SHOWN = """() => {
    const parts = [document.body.innerText, document.title];
    for (const el of document.querySelectorAll('aside, nav, [data-side-panel], .w-dialog')) {
        parts.push(el.textContent);
    }
    for (const el of document.querySelectorAll(
            '[placeholder], [title], [aria-label], img[alt], input[type=submit][value], '
            + 'button[value], [data-w-tooltip-content-value]')) {
        for (const name of ['placeholder', 'title', 'aria-label', 'alt',
                            'data-w-tooltip-content-value']) {
            if (el.getAttribute(name)) parts.push(el.getAttribute(name));
        }
        if (el.matches('input[type=submit]')) parts.push(el.value);
    }
    return parts.join('\\n');
}"""
# The sidebar's links are drawn by React from JSON: ask the sidebar itself.
SIDEBAR_LINKS = """() => Array.from(
    document.querySelectorAll('a[href]'), a => a.getAttribute('href'))"""

# CAP's message types, named as the standard spells them (plugins/cap_alerts).
TECHNICAL_TERMS = re.compile(r"\((Update|Cancel)\)")
PATTERN = re.compile(r"(?<![\w-])(" + "|".join(re.escape(p) for p in ENGLISH) + r")(?![\w-])")
# Leaving, changing or downloading is not reading: never followed.
NOT_FOLLOWED = re.compile(
    r"logout|/delete/|/unpublish/|/lock/|/unlock/|/revert/|/disable/|/enable/|/copy/|/move/"
    r"|export=|/usage/|/preview|/compare/|password_reset|/tarik/|/verifikasi/$|/minta-perbaikan/"
    r"|/bulk/|/download|/lampiran/|\.(csv|xlsx|pdf|docx|png|jpg|svg)$|/documents/\d+/|/api/"
)
MAX_PAGES = 150


def english_in(text):
    return sorted(set(PATTERN.findall(TECHNICAL_TERMS.sub("", text))))


def page_key(path):
    """One visit per screen: ids collapsed; of the query variants, one page
    of a paginated listing and one filtered or sorted listing."""
    url = urlsplit(path)
    key = re.sub(r"/\d+(?=/|$)", "/<id>", url.path)
    if url.query:
        key += "?p" if url.query.startswith("p=") else "?filter"
    return key


def crawl(page, base, start="/admin/"):
    """Visit every admin page reachable from the dashboard, once per shape."""
    seen_shapes, visited = set(), []
    queue = deque([start])
    found, statuses = {}, {}
    while queue and len(visited) < MAX_PAGES:
        path = queue.popleft()
        key = page_key(path)
        if key in seen_shapes:
            continue
        seen_shapes.add(key)
        response = page.goto(base + path)
        page.wait_for_load_state()
        statuses[path] = response.status if response else None
        here = urlsplit(page.url).path
        if not here.startswith("/admin/"):
            continue
        visited.append(path)
        english = english_in(page.evaluate(SHOWN))
        if english:
            found[path] = english
        for href in page.evaluate(SIDEBAR_LINKS):
            url = urlsplit(urljoin(base + here, href))
            if url.netloc != urlsplit(base).netloc or not url.path.startswith("/admin/"):
                continue
            target = url.path + (f"?{url.query}" if url.query else "")
            if not NOT_FOLLOWED.search(target):
                queue.append(target)
    return visited, found, statuses


@pytest.fixture
def admin_world(petugas, verifikator):
    halong = factories.kecamatan("halong")
    verifikator.first_name, verifikator.last_name = "Siti", "Aminah"
    verifikator.save()
    waiting = make_report(petugas, submit=True, uploads=[photo()])
    # A guest following Paringin: the publication below is a broadcast,
    # listed with its batch under Pengaturan → Siaran notifikasi.
    from cms.notifications.models import Langganan

    follower = factories.make_user(roles.PENGGUNA, "warga.crawl")
    Langganan.objects.create(pengguna=follower, kecamatan=factories.kecamatan("paringin"))
    verified_report(petugas, verifikator, judul="Pohon tumbang di jalan",
                    uploads=[photo("pohon.jpg")])
    sent_back = make_report(petugas, submit=True, judul="Perlu diperbaiki")
    from cms.reports import services

    services.act(sent_back, verifikator, "reject", comment="Tambahkan foto.")
    other = factories.make_user(roles.PETUGAS, "petugas.halong", kecamatan=[halong])
    make_report(other, submit=True, kecamatan=halong, judul="Di Halong")
    factories.make_news("Rapat koordinasi", lead_image=factories.make_image("Rapat"))
    factories.make_facility()
    return {"waiting": waiting}


def _role_user(role, verifikator):
    if role == roles.VERIFIKATOR:
        return verifikator
    names = {roles.PIMPINAN: "pimpinan.crawl", roles.ADMINISTRATOR: "admin.crawl"}
    return factories.make_user(role, names[role], first_name="Rahmat", last_name="Hidayat")


@pytest.mark.parametrize("role", [roles.VERIFIKATOR, roles.PIMPINAN, roles.ADMINISTRATOR])
def test_every_admin_page_a_role_reaches_is_indonesian_and_calls_no_other_host(
    browser_context, live_server, admin_world, verifikator, role
):
    user = _role_user(role, verifikator)
    context = browser_context()
    page = context.new_page()
    base = live_server.url
    elsewhere = []
    page.on("request", lambda request: None if request.url.startswith(base)
            or request.url.startswith("data:") else elsewhere.append(request.url))

    page.goto(f"{base}/admin/login/")
    login_english = english_in(page.evaluate(SHOWN))
    assert login_english == [], login_english
    sign_in(page, base, user.username, factories.PASSWORD)
    assert urlsplit(page.url).path == "/admin/"

    visited, found, statuses = crawl(page, base)
    print(f"\n{role}: {len(visited)} halaman admin diperiksa: {' '.join(visited)}")
    assert len(visited) >= 5, visited
    errors = {path: status for path, status in statuses.items() if status and status >= 500}
    assert errors == {}
    assert found == {}, f"English shown to {role}: {found}"
    # The desk's map tiles come from the configured tile server, on purpose
    # (SIKANDA_MAP_TILES); nothing else leaves.
    tiles = _tile_origin()
    assert [url for url in elsewhere if not url.startswith(tiles)] == []
    assert not any("gravatar" in url for url in elsewhere)
