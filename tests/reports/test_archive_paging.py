"""The public archive's paging stays bounded (cms/reports/archive_paging.py):
the total is counted only up to a limit, and previous / next follow the
position of the reports shown (keyset), never an OFFSET and never an exact
COUNT(*) of the whole list."""

import re
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.reports.models import Laporan

from .reports_factories import verified_report

pytestmark = pytest.mark.django_db

INDEX = reverse("reports:index")
LIMIT = 10


@pytest.fixture
def reports(petugas, verifikator, settings):
    settings.SIKANDA_ARCHIVE_COUNT_LIMIT = LIMIT
    made = [verified_report(petugas, verifikator, judul=f"Laporan {n}") for n in range(25)]
    # Newest event first, as the archive lists them.
    return [r.pk for r in sorted(made, key=lambda r: (r.waktu_kejadian, r.pk), reverse=True)]


def _get(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params)
    assert response.status_code == 200
    statements = [q["sql"] for q in queries.captured_queries if "reports_laporan" in q["sql"]]
    return response, statements


def _link(response, rel):
    """The link's URL, resolved against the archive (the links are "?…")."""
    match = re.search(rf'<a href="([^"]*)" rel="{rel}"', response.content.decode())
    if not match:
        return None
    href = unescape(match.group(1))
    return INDEX + href if href.startswith("?") else href


def _shown(response):
    return [item.pk for item in response.context["reports"].object_list]


def test_count_is_capped_and_pages_follow_positions(client, reports):
    first, statements = _get(client, INDEX)
    assert _shown(first) == reports[:20]
    html = first.content.decode()
    assert f"Lebih dari {LIMIT} laporan ditemukan." in html
    assert "Halaman 1" in html and "Halaman 1 dari" not in html
    assert _link(first, "prev") is None
    counts = [sql for sql in statements if "COUNT(" in sql]
    assert len(counts) == 1 and f"LIMIT {LIMIT + 1}" in counts[0]
    assert not any("OFFSET" in sql for sql in statements)

    second_url = _link(first, "next")
    assert "setelah=" in second_url and "halaman=2" in second_url
    second, statements = _get(client, second_url)
    assert _shown(second) == reports[20:]
    assert _link(second, "next") is None
    assert not any("OFFSET" in sql for sql in statements)
    page = [sql for sql in statements if "ORDER BY" in sql and "COUNT(" not in sql]
    assert any('"waktu_kejadian" <=' in sql for sql in page)

    # Back from page 2 is the plain first page: no paging parameter left.
    assert _link(second, "prev") in (INDEX, INDEX + "?")


def test_previous_walks_back_by_position(client, reports):
    cursor = re.search(r"setelah=([^&]+)", _link(_get(client, INDEX)[0], "next")).group(1)
    # Before the 20th report: the 19 newer ones, newest first, and nothing
    # before them, so this is page 1.
    response, statements = _get(client, INDEX, {"sebelum": cursor, "halaman": 2})
    assert _shown(response) == reports[:19]
    assert response.context["reports"].number == 1
    assert _link(response, "prev") is None
    assert not any("OFFSET" in sql for sql in statements)


def test_filters_survive_the_page_links(client, reports):
    first, _ = _get(client, INDEX, {"q": "Laporan", "kecamatan": "paringin"})
    url = _link(first, "next")
    assert "q=Laporan" in url and "kecamatan=paringin" in url
    assert len(_shown(_get(client, url)[0])) == 5


def test_exact_count_and_page_total_below_the_limit(client, petugas, verifikator, settings):
    settings.SIKANDA_ARCHIVE_COUNT_LIMIT = 1_000
    made = {verified_report(petugas, verifikator, judul=f"Laporan {n}").pk for n in range(3)}
    response, _ = _get(client, INDEX)
    html = response.content.decode()
    assert "3 laporan ditemukan." in html
    assert set(_shown(response)) == made
    assert _link(response, "next") is None and _link(response, "prev") is None


def test_typed_page_numbers_stay_within_the_counted_range(client, reports):
    # Two numbered pages fit 25 reports; with the count capped at 10 only
    # page 1 is reached by offset, deeper numbers show it and link onwards.
    response, statements = _get(client, INDEX, {"halaman": 999})
    assert _shown(response) == reports[:20]
    assert _link(response, "next")
    response, _ = _get(client, INDEX, {"halaman": "x"})
    assert _shown(response) == reports[:20]


@pytest.mark.parametrize("cursor", ["bukan-kursor", "eyJhIjoxfQ", "W10", "x" * 600])
def test_broken_cursors_fall_back_to_the_first_page(client, reports, cursor):
    for name in ("setelah", "sebelum"):
        response, _ = _get(client, INDEX, {name: cursor})
        assert _shown(response) == reports[:20]


def test_page_of_a_user_is_still_the_policy(client, reports, petugas, verifikator):
    hidden = verified_report(petugas, verifikator, judul="Terbatas", klasifikasi="terbatas")
    seen = set()
    response, _ = _get(client, INDEX)
    while response is not None:
        seen |= set(_shown(response))
        url = _link(response, "next")
        response = _get(client, url)[0] if url else None
    assert seen == set(reports)
    assert hidden.pk not in seen
    assert Laporan.objects.filter(pk=hidden.pk, live=True).exists()


def test_a_search_counts_to_its_own_lower_limit(client, reports, settings):
    """A search counts its matches up to SIKANDA_ARCHIVE_SEARCH_COUNT_LIMIT
    (counting matches reads them from the table), the plain list up to
    SIKANDA_ARCHIVE_COUNT_LIMIT; both still page on by position."""
    settings.SIKANDA_ARCHIVE_SEARCH_COUNT_LIMIT = 5
    searched, statements = _get(client, INDEX, {"q": "Laporan"})
    assert "Lebih dari 5 laporan ditemukan." in searched.content.decode()
    counts = [sql for sql in statements if "COUNT(" in sql]
    assert counts and all("LIMIT 6" in sql for sql in counts)
    assert _shown(searched) == reports[:20]
    assert len(_shown(_get(client, _link(searched, "next"))[0])) == 5
    plain, _ = _get(client, INDEX)
    assert f"Lebih dari {LIMIT} laporan ditemukan." in plain.content.decode()
