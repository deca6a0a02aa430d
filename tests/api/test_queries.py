"""Every list resolves with a constant number of SQL queries (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.api.contract import load_operation
from cms.reports import services
from tests import factories
from tests.factories import PASSWORD
from tests.reports.reports_factories import photo, report_fields

pytestmark = pytest.mark.django_db


def count_queries(api, name, variables):
    query = load_operation(name)
    api.execute(query, variables)  # warm-up: renditions are generated once, then reused
    with CaptureQueriesContext(connection) as ctx:
        result = api.execute(query, variables)
    assert "errors" not in result, result
    return len(ctx.captured_queries)


def add_reports(officer, verifier, count):
    for number in range(count):
        laporan = services.create_report(
            officer, submit=True, uploads=[photo()], **report_fields(judul=f"Laporan {number}")
        )
        if number % 3 == 0:
            services.act(laporan, verifier, "reject", comment="Lengkapi.")
        else:
            services.act(
                laporan,
                verifier,
                "approve",
                comment="Oke.",
                keandalan_sumber="B",
                kredibilitas_informasi="2",
            )


@pytest.mark.parametrize("who", ["petugas", "verifikator", "administrator", "pengguna"])
def test_reports_list_is_constant(api, request, petugas, verifikator, who):
    user = request.getfixturevalue(who)
    api.login(user.username, PASSWORD)
    add_reports(petugas, verifikator, 3)
    few = count_queries(api, "Reports", {"first": 50})
    add_reports(petugas, verifikator, 12)
    many = count_queries(api, "Reports", {"first": 50})
    assert few == many, (few, many)


def test_news_list_is_constant(api):
    for number in range(3):
        news = factories.make_news(
            f"Berita {number}", lead_image=factories.make_image(f"g{number}")
        )
        news.tags.add("uji")
        news.save()
    few = count_queries(api, "News", {"first": 50})
    for number in range(3, 15):
        news = factories.make_news(
            f"Berita {number}", lead_image=factories.make_image(f"g{number}")
        )
        news.tags.add("uji", f"tag{number}")
        news.save()
    many = count_queries(api, "News", {"first": 50})
    assert few == many, (few, many)


def test_facility_list_is_constant(api):
    for number in range(3):
        factories.make_facility(f"Fasilitas {number}", photo=factories.make_image(f"f{number}"))
    few = count_queries(api, "Facilities", {"first": 50})
    for number in range(3, 15):
        factories.make_facility(f"Fasilitas {number}", photo=factories.make_image(f"f{number}"))
    many = count_queries(api, "Facilities", {"first": 50})
    assert few == many, (few, many)
