"""Searching reports: the public archive's `?q=` and the API's `search`.

On PostgreSQL it is full-text search (cms/reports/search.py) answered from a
GIN index; on SQLite a substring match. Both find reports by a word of the
title or the facts, whatever the case, and by their number; each backend's
own strengths are tested on that backend."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from cms.reports.models import Laporan
from cms.reports.search import INDEX_NAME, search, search_query, search_vector
from tests.api.conftest import api  # noqa: F401

from .reports_factories import make_report, verified_report

pytestmark = pytest.mark.django_db
postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL search")
sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite fallback")

INDEX = reverse("reports:index")


@pytest.fixture
def reports(petugas, verifikator):
    return {
        "banjir": verified_report(petugas, verifikator, judul="Banjir merendam permukiman",
                                  fakta="Air sungai naik setelah hujan deras."),
        "luapan": verified_report(petugas, verifikator, judul="Luapan sungai",
                                  fakta="Banjir merendam jalan desa."),
        "pasar": verified_report(petugas, verifikator, judul="Keributan di pasar Paringin"),
        "lahan": verified_report(petugas, verifikator, judul="Kebakaran lahan gambut",
                                 fakta="Api membakar dua hektare kebun warga."),
        # Matches, but never public: the policy applies in the same query.
        "draf": make_report(petugas, judul="Banjir bandang (draf)"),
    }


def listed(response):
    assert response.status_code == 200
    return {item.pk for item in response.context["reports"].object_list}


def found(term):
    return set(search(Laporan.objects.public(), term).values_list("pk", flat=True))


def test_words_of_title_or_facts_in_any_case(client, reports):
    flood = {reports["banjir"].pk, reports["luapan"].pk}
    assert listed(client.get(INDEX, {"q": "banjir"})) == flood
    assert listed(client.get(INDEX, {"q": "BANJIR"})) == flood
    assert listed(client.get(INDEX, {"q": "pasar"})) == {reports["pasar"].pk}
    assert listed(client.get(INDEX, {"q": "pasar paringin"})) == {reports["pasar"].pk}
    assert listed(client.get(INDEX, {"q": "gempa"})) == set()


def test_by_number(client, reports):
    laporan = reports["luapan"]
    assert listed(client.get(INDEX, {"q": laporan.nomor})) == {laporan.pk}
    assert listed(client.get(INDEX, {"q": laporan.nomor.lower()})) == {laporan.pk}


def test_api_search_finds_the_same(api, reports):  # noqa: F811
    body = api.op("Reports", {"first": 20, "search": "banjir"})
    assert "errors" not in body, body
    got = {int(node["id"]) for node in body["data"]["reports"]["nodes"]}
    assert got == {reports["banjir"].pk, reports["luapan"].pk}


def test_empty_or_blank_term_filters_nothing(reports):
    everything = set(Laporan.objects.public().values_list("pk", flat=True))
    assert found("") == everything
    assert found("   ") == everything


@postgresql
def test_indonesian_stems_and_prefixes(reports):
    # Snowball's Indonesian stemmer: "kebakaran" and "membakar" share "bakar".
    assert found("bakar") == {reports["lahan"].pk}
    assert found("terbakar") == {reports["lahan"].pk}
    # The word being typed: a prefix already finds.
    assert found("banj") == {reports["banjir"].pk, reports["luapan"].pk}
    # Every word must match, in any order.
    assert found("paringin keributan") == {reports["pasar"].pk}
    assert found("banjir pasar") == set()


@postgresql
def test_last_digits_of_the_number(reports):
    laporan = reports["pasar"]
    assert found(laporan.nomor.rsplit("-", 1)[1]) == {laporan.pk}


@postgresql
def test_punctuation_and_tsquery_syntax_are_only_text(reports):
    for term in ("%%", "'", "&|!", ":*", "\\", "()"):
        assert found(term) == set(), term
    # Quotes and operators are not syntax: both words must match, none has both.
    assert found("banjir' | 'pasar") == set()
    assert found("banjir:*") == {reports["banjir"].pk, reports["luapan"].pk}


@postgresql
def test_search_is_answered_from_the_gin_index(reports):
    """Planner forced off sequential scans: if the query's expression did not
    match the index's, PostgreSQL would have no index to use and say so."""
    query = (
        Laporan.objects.alias(_pencarian=search_vector())
        .filter(_pencarian=search_query("banjir")).values("pk")
    )
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        raw = cursor.fetchone()[0]
    plan = json.dumps(json.loads(raw) if isinstance(raw, str) else raw)
    assert INDEX_NAME in plan


@sqlite
def test_sqlite_matches_substrings(reports):
    assert found("anjir") == {reports["banjir"].pk, reports["luapan"].pk}
    assert found("%%") == set()
