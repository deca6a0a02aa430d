"""Everything before a resolver runs: what the endpoint does with bodies,
multipart uploads and malformed requests. Every refusal is JSON with
`extensions.code` and a sensible status, never a server error page."""

import json
import logging
import os

import graphene
import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory, override_settings
from django.test.client import BOUNDARY, encode_multipart

from cms.api.schema import schema
from cms.api.views import SikandaGraphQLView
from tests.factories import PASSWORD
from tests.reports.reports_factories import photo

from .test_protection import CountingStream

pytestmark = pytest.mark.django_db

# Equal to Django's MULTIPART_CONTENT but not that object, which would make
# the test client encode the (already encoded) body again.
MULTIPART_CONTENT = f"multipart/form-data; boundary={BOUNDARY}"

UPLOAD = (
    "mutation($f: [Upload!]) "
    "{ updateReport(id: 1, input: {}, attachments: $f) { errors { code } } }"
)


def post(client, body, content_type="application/json", **environ):
    return client.post("/graphql/", body, content_type=content_type, **environ)


def error_of(response, status):
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    errors = response.json()["errors"]
    assert len(errors) == 1
    return errors[0]["extensions"]["code"], errors[0]["message"]


def multipart(operations, file_map, files, token):
    data = {"operations": json.dumps(operations), "map": json.dumps(file_map), **files}
    body = encode_multipart(BOUNDARY, data)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"} if token else {}
    return body, headers


@pytest.fixture
def token(api, petugas):
    return api.login("petugas.uji", PASSWORD)["accessToken"]


@pytest.mark.parametrize("body", [
    b'{"query": 5}',
    b'{"query": {"a": 1}}',
    b'{"query": "{ me { id } }", "variables": [1]}',
    b'{"query": "{ me { id } }", "variables": "{not json"}',
    b'{"query": "{ me { id } }", "variables": 7}',
    b'{"query": "{ me { id } }", "operationName": 3}',
    b'"just a string"',
    b"5",
    b"null",
    b"{}",
    b'{"query": ""}',
    b"{not json",
    b'{"query": "\xff\xfe"}',
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 100_000 + b"1" + b"}" * 100_000,
])
def test_malformed_json_bodies_are_bad_requests(client, body):
    code, message = error_of(post(client, body), 400)
    assert code in ("BAD_REQUEST", "BATCHING_DISABLED")
    assert message


def test_a_json_list_is_a_refused_batch(client):
    code, _message = error_of(post(client, b'[{"query": "{ me { id } }"}]'), 400)
    assert code == "BATCHING_DISABLED"


def test_other_methods_are_refused_with_a_code(client):
    response = client.put("/graphql/", b"{}", content_type="application/json")
    code, _message = error_of(response, 405)
    assert code == "METHOD_NOT_ALLOWED" and response["Allow"] == "GET, POST"


def test_graphql_core_errors_get_codes(api):
    parse_error = api.raw("{ me { id }").json()
    assert parse_error["errors"][0]["extensions"]["code"] == "GRAPHQL_PARSE_FAILED"
    coercion = api.raw("query($p: Int!) { reports(first: $p) { totalCount } }", {"p": "x"})
    assert coercion.status_code == 400
    assert coercion.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    missing = api.execute("query($p: Int!) { reports(first: $p) { totalCount } }")
    assert missing["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    status_type = schema.graphql_schema.query_type.fields["reports"].args["status"].type
    enum = api.raw(f"query($s: {status_type}) {{ reports(status: $s) {{ totalCount }} }}",
                   {"s": "NOPE"})
    assert enum.status_code == 400
    assert enum.json()["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    unknown_operation = api.client.post(
        "/graphql/", json.dumps({"query": "query A { me { id } }", "operationName": "B"}),
        content_type="application/json",
    ).json()
    assert unknown_operation["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


def test_an_explicit_null_for_an_argument_with_a_default_means_the_default(api, petugas):
    result = api.execute("{ reports(first: null, after: null) { nodes { id } } }")
    assert result == {"data": {"reports": {"nodes": []}}}
    login = api.execute(
        "mutation($p: String!) { login(username: \"petugas.uji\", password: $p, "
        "deviceName: null) { accessToken errors { code } } }", {"p": PASSWORD},
    )
    assert login["data"]["login"]["errors"] == [] and login["data"]["login"]["accessToken"]


@pytest.mark.parametrize("text", ["a\x00b", "\ud800", {"nested": ["ok", "x\x00"]}])
def test_nul_and_lone_surrogates_in_variables_are_refused(api, text):
    query = "query($s: String) { reports(search: $s) { totalCount } }"
    if isinstance(text, dict):
        query = "query($s: String) { reports(search: $s) { totalCount } }"
        response = api.raw(query, {"s": "ok", "other": text})
    else:
        response = api.raw(query, {"s": text})
    code, message = error_of(response, 400)
    assert code == "INVALID" and "NUL" in message


def test_nul_escapes_in_the_query_text_are_refused(api):
    response = api.raw(r'{ reports(search: "a\u0000") { totalCount } }')
    code, _message = error_of(response, 400)
    assert code == "INVALID"


def test_every_response_carries_a_request_id(client):
    response = post(client, b'{"query": "{ me { id } }"}')
    assert len(response["X-Request-ID"]) == 32
    given = post(client, b"5", HTTP_X_REQUEST_ID="proxy-1234abcd")
    assert given["X-Request-ID"] == "proxy-1234abcd"
    forged = post(client, b"5", HTTP_X_REQUEST_ID="<script>")
    assert forged["X-Request-ID"] != "<script>"


def test_an_unexpected_exception_is_logged_and_only_its_request_id_shown(caplog):
    class Query(graphene.ObjectType):
        fine = graphene.String()
        broken = graphene.String()

        @staticmethod
        def resolve_fine(root, info):
            return "ok"

        @staticmethod
        def resolve_broken(root, info):
            raise KeyError("secret internal detail")

    view = SikandaGraphQLView.as_view(schema=graphene.Schema(query=Query))
    request = RequestFactory().post(
        "/graphql/", json.dumps({"query": "{ fine broken }"}), content_type="application/json"
    )
    request.user = AnonymousUser()
    with caplog.at_level(logging.ERROR, logger="sikanda.api"):
        response = view(request)
    body = json.loads(response.content)
    assert response.status_code == 200 and body["data"] == {"fine": "ok", "broken": None}
    error = body["errors"][0]
    request_id = response["X-Request-ID"]
    assert error["message"] == "Terjadi kesalahan di server."
    assert error["extensions"] == {"code": "INTERNAL_SERVER_ERROR", "requestId": request_id}
    assert "secret" not in response.content.decode()
    [record] = [r for r in caplog.records if r.name == "sikanda.api"]
    assert request_id in record.getMessage() and "secret internal detail" in caplog.text


def test_a_body_over_the_limit_is_refused_before_it_is_read(client):
    body = json.dumps({"query": "{ me { id } }", "variables": {"x": "a" * 1_100_000}}).encode()
    stream = CountingStream(body)
    response = client.post("/graphql/", content_type="application/json",
                           **{"wsgi.input": stream, "CONTENT_LENGTH": str(len(body))})
    code, _message = error_of(response, 413)
    assert code == "PAYLOAD_TOO_LARGE" and stream.read_bytes == 0


def test_an_upload_over_the_limit_is_refused_before_it_is_read(client, token):
    body, headers = multipart({"query": UPLOAD, "variables": {"f": [None]}},
                              {"0": ["variables.f.0"]}, {"0": photo()}, token)
    stream = CountingStream(body)
    with override_settings(SIKANDA_API={**_api(), "MAX_UPLOAD_BYTES": len(body) - 1}):
        response = client.post("/graphql/", content_type=MULTIPART_CONTENT, **headers,
                               **{"wsgi.input": stream, "CONTENT_LENGTH": str(len(body))})
    code, _message = error_of(response, 413)
    assert code == "PAYLOAD_TOO_LARGE" and stream.read_bytes == 0


def test_an_anonymous_upload_is_refused_before_its_body_is_read(client):
    body, headers = multipart({"query": UPLOAD, "variables": {"f": [None]}},
                              {"0": ["variables.f.0"]}, {"0": photo()}, None)
    stream = CountingStream(body)
    response = client.post("/graphql/", content_type=MULTIPART_CONTENT,
                           **{"wsgi.input": stream, "CONTENT_LENGTH": str(len(body))})
    code, message = error_of(response, 401)
    assert code == "UNAUTHENTICATED" and stream.read_bytes == 0
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_too_many_files_stop_the_reading_of_the_body(client, token):
    count = 30
    files = {str(i): SimpleUploadedFile(f"f{i}.jpg", os.urandom(20_000)) for i in range(count)}
    body, headers = multipart(
        {"query": UPLOAD, "variables": {"f": [None] * count}},
        {str(i): [f"variables.f.{i}"] for i in range(count)}, files, token,
    )
    stream = CountingStream(body)
    response = client.post("/graphql/", content_type=MULTIPART_CONTENT, **headers,
                           **{"wsgi.input": stream, "CONTENT_LENGTH": str(len(body))})
    code, message = error_of(response, 400)
    assert code == "TOO_MANY_FILES" and "10" in message
    assert stream.read_bytes < len(body) * 0.6


@pytest.mark.parametrize(("operations", "file_map"), [
    ({"query": UPLOAD, "variables": {}}, {"0": ["variables.f.0"]}),  # missing variable
    ({"query": UPLOAD, "variables": {"f": [None]}}, {"0": ["variables.f.5"]}),  # out of range
    ({"query": UPLOAD, "variables": {"f": [None]}}, {"0": ["variables.f.99999999999999"]}),
    ({"query": UPLOAD, "variables": {"f": [None]}}, {"0": ["variables.f.-1"]}),
    ({"query": UPLOAD, "variables": {"f": [None]}}, {"0": ["query"]}),
    ({"query": UPLOAD, "variables": {"f": [None]}}, {"0": ["operationName"]}),
    ({"query": UPLOAD, "variables": {"f": [None]}}, {"0": ["variables"]}),
    ({"query": UPLOAD, "variables": {"f": [None]}}, {"0": "variables.f.0"}),  # not a list
    ({"query": UPLOAD, "variables": {"f": [None]}}, {"0": [["variables", "f", "0"]]}),
    ({"query": UPLOAD, "variables": {"f": [None]}}, {"0": []}),
    ({"query": UPLOAD, "variables": {"f": [None]}}, {"1": ["variables.f.0"]}),  # unknown key
    ({"query": UPLOAD, "variables": {"f": [None]}}, {}),  # file not in the map
    ({"query": UPLOAD, "variables": {"f": [None, None]}},
     {"0": ["variables.f.0", "variables.f.1"]}),  # one file, two slots
    ({"query": UPLOAD, "variables": {"f": ["x"]}}, {"0": ["variables.f.0"]}),  # slot taken
    ({"query": UPLOAD, "variables": {"f": {"a": None}}}, {"0": ["variables.f.a.b"]}),
    ({"query": UPLOAD, "variables": 5}, {"0": ["variables.f.0"]}),
    ([{"query": UPLOAD}], {"0": ["0.variables.f.0"]}),  # a batch
    ("not an object", {"0": ["variables.f.0"]}),
    ({"query": UPLOAD, "variables": {"f": [None]}}, ["variables.f.0"]),
])
def test_malformed_multipart_maps_are_refused_with_a_code(client, token, operations, file_map):
    body, headers = multipart(operations, file_map, {"0": photo()}, token)
    response = client.post("/graphql/", body, content_type=MULTIPART_CONTENT, **headers)
    code, message = error_of(response, 400)
    assert code in ("INVALID_MULTIPART", "BATCHING_DISABLED"), message


@pytest.mark.parametrize("fields", [
    {"operations": "{not json", "map": "{}"},
    {"operations": json.dumps({"query": UPLOAD}), "map": "{not json"},
    {"map": "{}"},
    {"operations": "[" * 50_000 + "]" * 50_000, "map": "{}"},
])
def test_malformed_multipart_fields_are_refused_with_a_code(client, token, fields):
    body = encode_multipart(BOUNDARY, {**fields, "0": photo()})
    response = client.post("/graphql/", body, content_type=MULTIPART_CONTENT,
                           HTTP_AUTHORIZATION=f"Bearer {token}")
    code, _message = error_of(response, 400)
    assert code in ("INVALID_MULTIPART", "BAD_REQUEST")


def test_a_broken_multipart_body_is_refused_with_a_code(client, token):
    response = client.post(
        "/graphql/", b"--nothing-like-the-boundary\r\n\r\n",
        content_type="multipart/form-data; boundary=", HTTP_AUTHORIZATION=f"Bearer {token}",
    )
    code, _message = error_of(response, 400)
    assert code in ("INVALID_MULTIPART", "BAD_REQUEST")


def test_the_upload_scalar_accepts_only_files(api, token):
    result = api.raw(UPLOAD, {"f": ["not a file"]}, token=token)
    code, _message = error_of(result, 400)
    assert code == "BAD_USER_INPUT"
    literal = api.raw(
        'mutation { updateReport(id: 1, input: {}, attachments: ["x"]) { errors { code } } }',
        token=token,
    )
    code, _message = error_of(literal, 400)
    assert code == "GRAPHQL_VALIDATION_FAILED"


def test_a_well_formed_upload_still_goes_through(client, token):
    body, headers = multipart({"query": UPLOAD, "variables": {"f": [None]}},
                              {"0": ["variables.f.0"]}, {"0": photo()}, token)
    response = client.post("/graphql/", body, content_type=MULTIPART_CONTENT, **headers)
    # Report 1 is not this officer's: a typed error of the mutation, not of the transport.
    assert response.json() == {"data": {"updateReport": {"errors": [{"code": "NOT_FOUND"}]}}}


@pytest.mark.parametrize(("language", "message"), [
    ("id", "Permintaan tanpa query."), ("en", "Request has no query."),
])
def test_refusals_follow_the_language_of_the_request(client, language, message):
    response = post(client, b"{}", HTTP_ACCEPT_LANGUAGE=language)
    assert error_of(response, 400) == ("BAD_REQUEST", message)


def _api():
    from django.conf import settings

    return settings.SIKANDA_API


@pytest.mark.parametrize("bad_id", ["²", "١", "9" * 30, "99999999999999999999", "-1", "0", " 1"])
def test_ids_that_name_no_row_answer_like_unknown_ids(api, token, bad_id):
    result = api.execute(
        "query($id: ID!) { report(id: $id) { id } news(id: $id) { id } "
        "facility(id: $id) { id } }", {"id": bad_id}, token=token,
    )
    assert result == {"data": {"report": None, "news": None, "facility": None}}
    revoke = api.execute(
        "mutation($id: ID!) { revokeDevice(id: $id) { ok errors { code } } }",
        {"id": bad_id}, token=token,
    )
    assert revoke == {"data": {"revokeDevice": {"ok": False, "errors": [{"code": "NOT_FOUND"}]}}}
