"""Cost is bounded before work: limits on the query's size, fields, depth and
aliases, each checked before the work it bounds; the document cache bounded
by memory. Work is asserted by counting (selections visited, parses done,
bytes read), never by the clock."""

import gc
import json
import tracemalloc

import pytest
from django.test import override_settings
from graphql import parse

from cms.api.schema import schema
from cms.api.validation import checked_document, documents, measure

pytestmark = pytest.mark.django_db


def codes(result):
    return [e.get("extensions", {}).get("code") for e in result.get("errors", [])]


def _api_settings(**changes):
    from django.conf import settings

    return {**settings.SIKANDA_API, **changes}


def fan_out(n, leaf="id judul"):
    """n fragments, each spreading the previous one twice: 2**n fields."""
    fragments = [f"fragment F0 on Report {{ {leaf} }}"]
    fragments += [f"fragment F{i} on Report {{ ...F{i - 1} ...F{i - 1} }}" for i in range(1, n)]
    return f"query {{ reports {{ nodes {{ ...F{n - 1} }} }} }} " + " ".join(fragments)


def test_depth_limit_rejects_deep_queries(api):
    assert "errors" not in api.execute("query { me { kecamatanPelaporan { __typename } } }")
    assert "errors" not in api.execute("query { newsList { nodes { category { nama } } } }")
    with override_settings(SIKANDA_API=_api_settings(MAX_DEPTH=4)):
        # Depth counts field levels: reports, nodes, kecamatan, id.
        assert "errors" not in api.execute("query { reports { nodes { kecamatan { id } } } }")
        result = api.execute("query { reports { nodes { desa { kecamatan { id } } } } }")
    assert codes(result) == ["DEPTH_LIMIT"]


def test_depth_counts_a_memoised_fragment_wherever_it_is_spread(api):
    fragment = "fragment D on Report { desa { kecamatan { nama } } } "
    with override_settings(SIKANDA_API=_api_settings(MAX_DEPTH=4)):
        shallow = api.execute(fragment + "query { report(id: 1) { ...D } }")
        # Measured once at depth 1, then spread again at depth 2: 2 + 3 > 4.
        deeper = api.execute(
            fragment + "query { report(id: 1) { ...D } reports { nodes { ...D } } }"
        )
    assert "errors" not in shallow
    assert codes(deeper) == ["DEPTH_LIMIT"]


def test_page_size_is_capped(api):
    result = api.execute("query { reports(first: 500) { totalCount } }")
    assert codes(result) == ["PAGE_SIZE_LIMIT"]
    assert "50" in result["errors"][0]["message"]


def test_aliases_are_limited(api):
    fields = " ".join(f"a{i}: kecamatanList {{ id }}" for i in range(20))
    result = api.execute("query { " + fields + " }")
    assert codes(result) == ["ALIAS_LIMIT"]


def test_field_cost_is_limited(api):
    fragment = "fragment F on Report { id judul fakta nomor }"
    small = api.execute(fragment + " query { reports { nodes { ...F } } }")
    assert "errors" not in small
    with override_settings(SIKANDA_API=_api_settings(MAX_FIELDS=5)):
        big = api.execute(fragment + " query { reports { nodes { ...F kecamatan { nama } } } }")
    assert codes(big) == ["COST_LIMIT"]


@pytest.mark.parametrize("n", [20, 24, 30])
def test_fragment_fan_out_is_measured_in_about_n_steps(n):
    budget = measure(parse(fan_out(n)), max_fields=400, max_depth=10)
    assert budget.fields > 400
    # Each fragment's selections are visited once (memoised), and measuring
    # stops at the first fragment past the limit: 2**n would be 10**9 at n=30.
    # About n + 2·log2(400) steps: fragments up to the one past the limit are
    # measured fully, those above it stop at their first spread.
    assert budget.visited <= n + 2 * 9 + 4
    unlimited = measure(parse(fan_out(n)), max_fields=2**40, max_depth=10)
    assert unlimited.fields == 2 ** (n - 1) * 2 + 2
    assert unlimited.visited <= 2 * n + 4


def test_fragment_fan_out_is_refused_before_validation_runs(api):
    # An unknown field inside: had validation (or expansion) run, it would
    # report that field; only the budget answers.
    parses = documents.parses
    result = api.execute(fan_out(30, leaf="id noSuchField"))
    assert codes(result) == ["COST_LIMIT"]
    assert documents.parses == parses + 1
    assert "400" in result["errors"][0]["message"]


def test_fragment_cycle_is_a_typed_validation_error_not_a_crash(api):
    for query in (
        "fragment A on Query { ...B } fragment B on Query { ...A } query { ...A }",
        "fragment A on Query { me { id } ...A } query { ...A }",
        "fragment A on Report { id kecamatan { id } ...B } fragment B on Report { ...A } "
        "query { reports { nodes { ...A } } }",
    ):
        response = api.raw(query)
        assert response.status_code == 400
        result = response.json()
        assert set(codes(result)) == {"GRAPHQL_VALIDATION_FAILED"}
        assert any("within itself" in e["message"] for e in result["errors"])


def test_a_two_megabyte_query_is_refused_before_its_body_is_read(client):
    body = json.dumps({"query": "{ " + "me { id } " * 200_000 + "}"}).encode()
    assert len(body) > 2_000_000
    stream = CountingStream(body)
    response = client.post(
        "/graphql/", content_type="application/json",
        **{"wsgi.input": stream, "CONTENT_LENGTH": str(len(body))},
    )
    assert response.status_code == 413
    assert response.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE"
    assert stream.read_bytes == 0


def test_a_query_over_the_byte_limit_is_refused_before_parsing(api):
    query = "{ " + "me { id } " * 60_000 + "}"  # 600 KB: inside the body limit
    parses = documents.parses
    result = api.execute(query)
    assert codes(result) == ["QUERY_TOO_LARGE"]
    assert documents.parses == parses


def test_a_query_over_the_token_limit_stops_the_parser(api):
    # 4000 tokens in 10 KB: small in bytes, too many tokens.
    query = "{" + " me" * 4000 + "}"
    result = api.execute(query)
    assert codes(result) == ["QUERY_TOO_LARGE"]
    with override_settings(SIKANDA_API=_api_settings(MAX_TOKENS=5)):
        assert codes(api.execute("{ me { id username email } }")) == ["QUERY_TOO_LARGE"]
        comments = "{ me # a\n" + "# comment\n" * 20 + "}"
        assert codes(api.execute(comments)) == ["QUERY_TOO_LARGE"]


def test_refused_documents_are_not_cached_and_messages_follow_the_language(api):
    documents.clear()
    fields = " ".join(f"a{i}: kecamatanList {{ id }}" for i in range(20))
    query = "query { " + fields + " }"
    indonesian = api.execute(query, language="id")
    english = api.execute(query, language="en")
    assert codes(indonesian) == codes(english) == ["ALIAS_LIMIT"]
    assert "Terlalu banyak alias" in indonesian["errors"][0]["message"]
    assert "Too many aliases" in english["errors"][0]["message"]
    assert len(documents) == 0
    api.execute("{ me { id } }")
    api.execute("{ me { id } }")
    assert len(documents) == 1


def test_the_document_cache_is_bounded_by_the_memory_of_its_documents():
    budget = 2 * 1024

    def fill(start, count=60):
        texts = 0
        for i in range(start, start + count):
            query = f"query Q{i} {{ " + " ".join(
                f"a{j}: reports(first: {i + 1}) {{ totalCount }}" for j in range(5)
            ) + " }"
            document, errors = checked_document(schema, query)
            assert errors == [] and document is not None
            texts += len(query)
        return texts

    with override_settings(SIKANDA_API=_api_settings(DOCUMENT_CACHE_BYTES=budget,
                                                     DOCUMENT_CACHE_ENTRIES=10_000)):
        documents.clear()
        fill(0, 5)  # first-use allocations
        documents.clear()
        tracemalloc.start()
        try:
            start = tracemalloc.get_traced_memory()[0]
            texts = fill(1000)
            gc.collect()  # tokens link to each other: freed by the cycle collector
            once = tracemalloc.get_traced_memory()[0] - start
            texts += fill(2000)
            gc.collect()
            twice = tracemalloc.get_traced_memory()[0] - start
        finally:
            tracemalloc.stop()
    print(f"cache: {len(documents)} documents, {documents.weight} bytes of text; "
          f"{once} then {twice} bytes held after {texts} bytes of queries")
    assert texts > 10 * budget
    assert documents.weight <= budget and 0 < len(documents) < 60
    # Twice the queries, the same memory: what is held is the bounded cache.
    assert twice < once * 1.1
    assert once < 250 * budget


def test_standard_validation_still_applies_with_custom_rules(api):
    # Custom rules are added to graphql-core's specified_rules, not instead of them.
    result = api.execute("query { reports { noSuchField } }")
    assert "Cannot query field 'noSuchField'" in result["errors"][0]["message"]
    assert codes(result) == ["GRAPHQL_VALIDATION_FAILED"]


def test_batching_is_off(client):
    response = client.post(
        "/graphql/", json.dumps([{"query": "{ me { id } }"}] * 2), content_type="application/json"
    )
    assert response.status_code == 400
    assert codes(response.json()) == ["BATCHING_DISABLED"]


def test_introspection_is_off_under_production_settings(api):
    with override_settings(SIKANDA_API=_api_settings(INTROSPECTION=False)):
        result = api.execute("query { __schema { types { name } } }")
        suggestion = api.execute("query { reprts { totalCount } }")
    assert result["errors"] and "introspection" in result["errors"][0]["message"].lower()
    assert set(codes(result)) == {"GRAPHQL_VALIDATION_FAILED"}
    # Without introspection, "Did you mean 'reports'?" would reveal the schema.
    assert "reports" not in suggestion["errors"][0]["message"]


def test_production_defaults_turn_introspection_and_graphiql_off():
    from cms.settings import base

    assert base.SIKANDA_API["INTROSPECTION"] is False and base.SIKANDA_API["GRAPHIQL"] is False


def test_graphiql_is_not_served_when_off(client):
    response = client.get("/graphql/", headers={"accept": "text/html"})
    assert b"graphiql" not in response.content.lower()


def test_get_cannot_run_a_mutation(client):
    response = client.get("/graphql/", {"query": "mutation { logout { ok } }"})
    assert response.status_code == 405
    assert codes(response.json()) == ["METHOD_NOT_ALLOWED"]


def test_errors_carry_no_stack_trace(api):
    result = api.execute('query { report(id: "abc") { id } }')
    assert result == {"data": {"report": None}}


class CountingStream:
    """A request body that counts what the server reads of it."""

    def __init__(self, data):
        self.data = data
        self.read_bytes = 0

    def read(self, size=-1):
        size = len(self.data) - self.read_bytes if size is None or size < 0 else size
        chunk = self.data[self.read_bytes : self.read_bytes + size]
        self.read_bytes += len(chunk)
        return chunk

    def readline(self, size=-1):
        return self.read(size)
