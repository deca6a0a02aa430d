"""The admin's search box goes where the user may search: reports for those
who read reports, never a page search that refuses them."""

import json
import re

import pytest
from django.urls import reverse

from tests.reports.reports_factories import make_report, verified_report

pytestmark = pytest.mark.django_db


def sidebar_search_url(html):
    props = re.search(
        r'<script id="wagtail-sidebar-props" type="application/json">(.*?)</script>', html, re.S
    )
    for module in json.loads(props.group(1))["modules"]:
        if module.get("_type") == "wagtail.sidebar.SearchModule":
            return module["_args"][0]
    return None


@pytest.mark.parametrize("who", ["verifikator", "pimpinan"])
def test_readers_search_reports_from_the_sidebar(client, request, petugas, verifikator, who):
    verified_report(petugas, verifikator, judul="Banjir di Paringin")
    verified_report(petugas, verifikator, judul="Pohon tumbang")
    make_report(petugas, submit=True, judul="Banjir yang belum diverifikasi")
    client.force_login(request.getfixturevalue(who))
    dashboard = client.get("/admin/").content.decode()
    # No page search on the dashboard for those without page permissions.
    assert 'action="/admin/pages/' not in dashboard
    url = sidebar_search_url(dashboard)
    assert url == reverse("wagtailsnippets_reports_laporan:list")
    response = client.get(url, {"q": "Banjir"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Banjir di Paringin" in html and "Pohon tumbang" not in html
    # The Pimpinan finds only what they may read.
    assert ("Banjir yang belum diverifikasi" in html) is (who == "verifikator")


def test_page_editors_keep_the_page_search_first(client, administrator):
    client.force_login(administrator)
    assert sidebar_search_url(client.get("/admin/").content.decode()) == reverse(
        "wagtailadmin_pages:search"
    )
