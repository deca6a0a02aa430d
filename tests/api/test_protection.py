import json

import pytest
from django.test import override_settings

pytestmark = pytest.mark.django_db


def codes(result):
    return [e.get("extensions", {}).get("code") for e in result.get("errors", [])]


def test_depth_limit_rejects_deep_queries(api):
    deep = "query { me { kecamatanPelaporan { " + "__typename " + "} } }"
    assert "errors" not in api.execute(deep)
    nested = "query { newsList { nodes { category { " * 1 + "nama } } } }"
    assert "errors" not in api.execute(nested)
    with override_settings(SIKANDA_API={**_api_settings(), "MAX_DEPTH": 2}):
        result = api.execute("query { reports { nodes { kecamatan { nama } } } }")
    assert result["errors"] and "depth" in result["errors"][0]["message"].lower()


def test_page_size_is_capped(api):
    result = api.execute("query { reports(first: 500) { totalCount } }")
    assert codes(result) == ["PAGE_SIZE_LIMIT"]
    assert "50" in result["errors"][0]["message"]


def test_aliases_are_limited(api):
    fields = " ".join(f"a{i}: kecamatanList {{ id }}" for i in range(20))
    result = api.execute("query { " + fields + " }")
    assert codes(result) == ["ALIAS_LIMIT"]


def test_field_cost_is_limited(api):
    fragment = "fragment F on Report { " + " ".join(["id judul fakta nomor"] * 1) + " }"
    small = api.execute(fragment + " query { reports { nodes { ...F } } }")
    assert "errors" not in small
    with override_settings(SIKANDA_API={**_api_settings(), "MAX_FIELDS": 5}):
        big = api.execute(fragment + " query { reports { nodes { ...F kecamatan { nama } } } }")
    assert codes(big) == ["COST_LIMIT"]


def test_standard_validation_still_applies_with_custom_rules(api):
    # Custom rules are added to graphql-core's specified_rules, not instead of them.
    result = api.execute("query { reports { noSuchField } }")
    assert "Cannot query field 'noSuchField'" in result["errors"][0]["message"]


def test_batching_is_off(client):
    response = client.post(
        "/graphql/", json.dumps([{"query": "{ me { id } }"}] * 2), content_type="application/json"
    )
    assert response.status_code == 400


def test_introspection_is_off_under_production_settings(api):
    with override_settings(SIKANDA_API={**_api_settings(), "INTROSPECTION": False}):
        result = api.execute("query { __schema { types { name } } }")
    assert result["errors"] and "introspection" in result["errors"][0]["message"].lower()


def test_production_defaults_turn_introspection_and_graphiql_off():
    from cms.settings import base

    assert base.SIKANDA_API["INTROSPECTION"] is False and base.SIKANDA_API["GRAPHIQL"] is False


def test_graphiql_is_not_served_when_off(client):
    response = client.get("/graphql/", headers={"accept": "text/html"})
    assert b"graphiql" not in response.content.lower()


def test_get_cannot_run_a_mutation(client):
    response = client.get("/graphql/", {"query": "mutation { logout { ok } }"})
    assert response.status_code == 405


def test_errors_carry_no_stack_trace(api):
    result = api.execute('query { report(id: "abc") { id } }')
    assert result == {"data": {"report": None}}


def _api_settings():
    from django.conf import settings

    return settings.SIKANDA_API
