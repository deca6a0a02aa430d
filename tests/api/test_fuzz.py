"""A fuzzer for what clients send, driving the real endpoint through Django's
test client: operations generated from the schema itself (random fields,
arguments, aliases, fragments, variables; values that are right, wrong, null,
huge, naive, NUL, lone surrogates, unknown enums), malformed JSON bodies and
malformed multipart uploads, as an anonymous guest and as a signed-in
petugas. Whatever is sent, the answer is JSON, never an HTTP 5xx, and every
error carries `extensions.code`; none is INTERNAL_SERVER_ERROR (a resolver
that crashed).

CI runs about 2,000 cases with a fixed seed (derandomized: the same cases
each run, so a failure is reproducible and CI does not flake on a case found
by chance). `make fuzz` runs ten times as many with fresh random cases and
prints what it sent and got: SIKANDA_FUZZ_SCALE sets the multiplier,
SIKANDA_FUZZ_RANDOM=1 drops the fixed seed."""

import json
import math
import os
import uuid
from collections import Counter

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.client import BOUNDARY, encode_multipart
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    Undefined,
    get_named_type,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cms.accounts import roles, tokens
from cms.api.contract import load_operation, operation_names
from cms.api.schema import schema
from tests import factories
from tests.factories import PASSWORD
from tests.reports.reports_factories import make_report, photo, verified_report

pytestmark = pytest.mark.django_db

SCALE = float(os.environ.get("SIKANDA_FUZZ_SCALE", "1"))
FUZZ = settings(
    deadline=None,
    database=None,
    derandomize=os.environ.get("SIKANDA_FUZZ_RANDOM") != "1",
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                           HealthCheck.data_too_large, HealthCheck.large_base_example],
    print_blob=True,
)
SCHEMA = schema.graphql_schema
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"
# Ids of rows the fixture made, so generated ids also hit real objects.
KNOWN_IDS = ["1"]
SEEN = Counter()


# ---------------------------------------------------------------- values

class EnumName(str):
    """A value written bare in a query (an enum value, valid or not)."""


NASTY_TEXT = st.sampled_from([
    "", " ", "\x00", "a\x00b", "\ud800", "x\udfff", "\U0001d518\U0001d52b", "Ǆ", "İ",
    "' OR 1=1 --", "%s%n", "../../etc/passwd", "<script>alert(1)</script>", "9" * 40,
    "\u202e", "a" * 5000, "null", "{}", "__typename",
])
TEXT = st.one_of(st.text(max_size=20), NASTY_TEXT)
INTS = st.one_of(
    st.integers(-3, 60),
    st.sampled_from([0, -1, 2**31 - 1, 2**31, -(2**31) - 1, 2**53 + 1, 2**63, 10**30]),
)
FLOATS = st.one_of(
    st.floats(allow_nan=True, allow_infinity=True), st.sampled_from([-2.3349, 115.469, 1e308])
)
ID_TEXT = st.one_of(
    st.integers(0, 10**6).map(lambda i: KNOWN_IDS[i % len(KNOWN_IDS)]),
    st.sampled_from(["0", "-1", "²", "١٢", "1.5", "1e3", " 1", "abc", "", "9" * 30,
                     "99999999999999999999", "9223372036854775807", "0x1f"]),
)
DATETIMES = st.one_of(
    st.datetimes().map(lambda d: d.isoformat()),  # naive: no offset
    st.tuples(st.datetimes(), st.sampled_from(["Z", "+08:00", "-12:00", "+14:00"])).map(
        lambda pair: pair[0].isoformat() + pair[1]
    ),
    st.sampled_from(["2026-02-30T10:00:00+08:00", "2026-13-01", "kemarin", "", "0000-00-00",
                     "2026-11-27T07:30:00+08:00", "9999-12-31T23:59:59+08:00"]),
)
DATES = st.one_of(st.dates().map(str), st.sampled_from(["2026-02-30", "x", "", "2026-1-1"]))
UUIDS = st.one_of(st.uuids().map(str), st.sampled_from(["", "not-a-uuid", "0" * 32]))
SCALARS = {
    "String": TEXT, "Int": INTS, "Float": FLOATS, "Boolean": st.booleans(),
    "ID": st.one_of(ID_TEXT, INTS), "DateTime": DATETIMES, "Date": DATES, "UUID": UUIDS,
    "Upload": st.one_of(TEXT, st.none()),
}
# What a clean value of each scalar may be: the right kind, any content.
CLEAN_SCALARS = {**SCALARS, "Int": st.integers(-3, 60), "Upload": st.none(),
                 "Float": st.floats(-200, 200)}
WRONG = st.one_of(st.none(), TEXT, INTS, st.booleans(), st.lists(INTS, max_size=2),
                  st.dictionaries(st.sampled_from(["a", "id"]), INTS, max_size=1))


def value_of(graphql_type, hostile, depth=0):
    """A strategy of values for an input type. Clean values are of the right
    kind (their content may still be nasty: NUL, naive times, huge ids), so
    the operation reaches the resolvers; hostile ones are also null, missing
    or of the wrong kind often enough to matter."""
    if isinstance(graphql_type, GraphQLNonNull):
        inner = value_of(graphql_type.of_type, hostile, depth)
        return st.one_of(inner, inner, inner, st.none()) if hostile else inner
    if isinstance(graphql_type, GraphQLList):
        inner = value_of(graphql_type.of_type, hostile, depth + 1)
        return st.one_of(st.lists(inner, max_size=3), inner, st.none())
    if isinstance(graphql_type, GraphQLEnumType):
        names = st.sampled_from(sorted(graphql_type.values))
        if not hostile:
            return names.map(EnumName)
        return st.one_of(
            names.map(EnumName), names.map(EnumName), names.map(str.lower).map(EnumName),
            st.sampled_from(["NOPE", "null"]).map(EnumName), st.none(),
        )
    if isinstance(graphql_type, GraphQLInputObjectType):
        if depth > 2:
            return st.none()
        fields = {
            name: value_of(field.type, hostile, depth + 1)
            for name, field in graphql_type.fields.items()
        }
        required = {
            name: fields.pop(name) for name, field in graphql_type.fields.items()
            if not hostile and isinstance(field.type, GraphQLNonNull)
        }
        return st.fixed_dictionaries(
            required, optional={**fields, "bogus": TEXT} if hostile else fields
        )
    right = (CLEAN_SCALARS if not hostile else SCALARS).get(graphql_type.name, TEXT)
    return st.one_of(right, right, right, WRONG) if hostile else right


def literal(value):
    """A value written into the query text."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, EnumName):
        return str(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return "null" if math.isnan(value) else ("1e999" if math.isinf(value) else repr(value))
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, list):
        return "[" + ", ".join(literal(item) for item in value) + "]"
    return "{" + ", ".join(f"{key}: {literal(item)}" for key, item in value.items()) + "}"


# ------------------------------------------------------------ operations

@st.composite
def arguments(draw, field, variables, hostile):
    written = []
    for name, argument in field.args.items():
        required = isinstance(argument.type, GraphQLNonNull) and (
            argument.default_value is Undefined
        )
        if not required and not draw(st.booleans()):
            continue
        value = draw(value_of(argument.type, hostile))
        if draw(st.booleans()):
            variable = f"v{len(variables)}"
            variables[variable] = (str(argument.type), value)
            written.append(f"{name}: ${variable}")
        else:
            written.append(f"{name}: {literal(value)}")
    return f"({', '.join(written)})" if written else ""


@st.composite
def selection(draw, parent, depth, fragments, variables, hostile):
    fields = sorted(parent.fields.items())
    chosen = draw(st.lists(st.sampled_from(fields), min_size=1, max_size=4,
                           unique_by=lambda item: item[0]))
    parts = []
    for index, (name, field) in enumerate(chosen):
        alias = draw(st.sampled_from(["", "", "", f"a{index}: "]))
        args = draw(arguments(field, variables, hostile))
        named = get_named_type(field.type)
        if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
            below = "__typename" if depth >= 3 else draw(
                selection(named, depth + 1, fragments, variables, hostile)
            )
            how = draw(st.integers(0, 5))
            if how == 0:
                fragment = f"F{len(fragments)}"
                fragments.append(f"fragment {fragment} on {named.name} {{ {below} }}")
                below = f"...{fragment}"
            elif how == 1:
                below = f"... on {named.name} {{ {below} }}"
            parts.append(f"{alias}{name}{args} {{ {below} }}")
        else:
            parts.append(f"{alias}{name}{args}")
    return " ".join(parts)


@st.composite
def operations(draw):
    kind = draw(st.sampled_from(["query", "query", "mutation"]))
    root = SCHEMA.query_type if kind == "query" else SCHEMA.mutation_type
    fragments, variables = [], {}
    hostile = draw(st.booleans())
    body = draw(selection(root, 0, fragments, variables, hostile))
    declared = ", ".join(f"${name}: {type_}" for name, (type_, _value) in variables.items())
    text = f"{kind} Fuzz{f'({declared})' if declared else ''} {{ {body} }} " + " ".join(fragments)
    values = {
        name: value for name, (_type, value) in variables.items()
        if not hostile or draw(st.integers(0, 9))  # now and then a variable is not sent
    }
    return text, values


# ---------------------------------------------------------------- bodies

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | INTS | st.floats(allow_nan=False) | TEXT,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(TEXT, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def json_bodies(draw):
    """(body bytes, content type) of everything but a well-formed request."""
    text, values = draw(operations())
    how = draw(st.integers(0, 8))
    if how == 0:
        body = draw(st.binary(max_size=200))
    elif how == 1:
        body = json.dumps(draw(JSON_VALUES)).encode()
    elif how == 2:
        keys = {"query": st.one_of(st.just(text), JSON_VALUES), "variables": JSON_VALUES,
                "operationName": JSON_VALUES, "extensions": JSON_VALUES}
        body = json.dumps(draw(st.fixed_dictionaries({}, optional=keys))).encode()
    elif how == 3:
        whole = json.dumps({"query": text, "variables": values}).encode()
        cut = draw(st.integers(0, len(whole)))
        body = whole[:cut] + draw(st.binary(max_size=4)) + whole[cut + 1 :]
    elif how == 4:
        depth = draw(st.sampled_from([500, 5000, 100_000]))
        opener, closer = draw(st.sampled_from([("[", "]"), ('{"a":', "}")]))
        inner = (opener * depth + "1" + closer * depth) if opener != "[" else (
            "[" * depth + "]" * depth)
        body = ('{"query": "{ me { id } }", "variables": ' + inner + "}").encode()
    elif how == 5:
        body = text.encode("utf-8", "surrogatepass")
        return body, "application/graphql"
    elif how == 6:
        body = json.dumps([{"query": text, "variables": values}]).encode()
    else:
        body = json.dumps({"query": text, "variables": values}).encode()
    content_type = draw(st.sampled_from([
        "application/json", "application/json", "application/json; charset=latin-1",
        "text/plain", "application/x-www-form-urlencoded", "",
    ]))
    return body, content_type


# The contract's documents that send files, with the input type they take.
UPLOAD_DOCUMENTS = [name for name in operation_names() if "Upload" in load_operation(name)]
REPORT_INPUT = get_named_type(SCHEMA.mutation_type.fields["submitReport"].args["input"].type)


@st.composite
def multipart_bodies(draw):
    name = draw(st.sampled_from(UPLOAD_DOCUMENTS))
    slots = draw(st.integers(0, 3))
    variables = {"clientUuid": draw(UUIDS), "id": draw(ID_TEXT),
                 "input": draw(value_of(REPORT_INPUT, draw(st.booleans()))),
                 "attachments": [None] * slots}
    operations = draw(st.one_of(
        st.just({"query": load_operation(name), "variables": variables}),
        JSON_VALUES,
        st.just([{"query": load_operation(name), "variables": variables}]),
    ))
    paths = st.one_of(
        st.integers(0, 4).map(lambda i: f"variables.attachments.{i}"),
        st.sampled_from(["query", "variables", "variables.input.judul", "operationName",
                         "variables.attachments", "0.variables.attachments.0",
                         "variables.attachments.99999999999999999", "variables.x.0", ""]),
        TEXT,
    )
    keys = st.sampled_from(["0", "1", "2", "x"])
    file_map = draw(st.one_of(
        st.dictionaries(keys, st.one_of(st.lists(paths, max_size=3), paths, JSON_VALUES),
                        max_size=4),
        JSON_VALUES,
    ))
    contents = st.one_of(
        st.just(b"jpeg").map(lambda _b: photo().read()), st.binary(max_size=64)
    )
    files = draw(st.dictionaries(keys, contents, max_size=4))
    fields = {}
    if draw(st.integers(0, 9)):
        fields["operations"] = json.dumps(operations)
    if draw(st.integers(0, 9)):
        fields["map"] = json.dumps(file_map)
    for key, content in files.items():
        fields[key] = SimpleUploadedFile(f"{key}.jpg", content, "image/jpeg")
    body = encode_multipart(BOUNDARY, fields)
    if not draw(st.integers(0, 9)):
        cut = draw(st.integers(0, len(body)))
        body = body[:cut]
    return body


# ---------------------------------------------------------------- checks

def check(response, kind):
    SEEN[f"{kind} requests"] += 1
    SEEN[f"HTTP {response.status_code}"] += 1
    assert response.status_code < 500, response.content[:2000]
    assert response["Content-Type"].startswith("application/json"), response.content[:500]
    assert response["X-Request-ID"]
    result = json.loads(response.content)
    assert isinstance(result, dict)
    for error in result.get("errors", []):
        code = (error.get("extensions") or {}).get("code")
        assert isinstance(code, str) and code, error
        assert code != "INTERNAL_SERVER_ERROR", error
        SEEN[f"code {code}"] += 1
    if result.get("data"):
        SEEN["with data"] += 1
        payloads = [p for p in result["data"].values() if isinstance(p, dict)]
        for typed in (error for p in payloads for error in p.get("errors") or ()):
            SEEN[f"typed {typed.get('code') or '(code not selected)'}"] += 1
    return result


@pytest.fixture
def world(db, settings):  # noqa: F811 (pytest-django's settings fixture)
    """Rows for generated ids to find: an officer's draft and verified public
    report, news, a facility; and the officer who fuzzes as petugas."""
    settings.AXES_ENABLED = False  # thousands of failed logins are the point here
    petugas = factories.make_user(
        roles.PETUGAS, username="petugas.fuzz", kecamatan=[factories.kecamatan("paringin")]
    )
    verifier = factories.make_user(
        roles.VERIFIKATOR, username="verifikator.fuzz",
        kecamatan=[factories.kecamatan("paringin")],
    )
    draft = make_report(petugas)
    published = verified_report(petugas, verifier)
    news = factories.make_news()
    facility = factories.make_facility()
    KNOWN_IDS[:] = [str(row.pk) for row in (draft, published, news, facility, petugas)]
    return petugas


def _as(user, draw_role):
    if draw_role == "anonymous":
        return {}
    _session, access, _refresh = tokens.issue(user, "fuzz")
    return {"HTTP_AUTHORIZATION": f"Bearer {access}"}


ROLES = st.sampled_from(["anonymous", "petugas"])


@given(operation=operations(), role=ROLES, method=st.sampled_from(["POST"] * 9 + ["GET"]))
@settings(FUZZ, max_examples=int(1300 * SCALE))
def test_generated_operations_never_crash(world, operation, role, method):
    text, variables = operation
    client = Client()
    headers = _as(world, role)
    if method == "POST":
        body = json.dumps({"query": text, "variables": variables})
        response = client.post("/graphql/", body, content_type="application/json", **headers)
    else:
        response = client.get(
            "/graphql/", {"query": text, "variables": json.dumps(variables)}, **headers
        )
    check(response, "operation")


@given(body=json_bodies(), role=ROLES)
@settings(FUZZ, max_examples=int(400 * SCALE))
def test_malformed_bodies_never_crash(world, body, role):
    data, content_type = body
    response = Client().generic(
        "POST", "/graphql/", data, content_type=content_type, **_as(world, role)
    )
    check(response, "body")


@given(body=multipart_bodies(), role=st.sampled_from(["petugas", "petugas", "anonymous"]))
@settings(FUZZ, max_examples=int(300 * SCALE))
def test_malformed_uploads_never_crash(world, body, role):
    response = Client().generic(
        "POST", "/graphql/", body, content_type=MULTIPART, **_as(world, role)
    )
    check(response, "multipart")


@pytest.fixture(autouse=True, scope="module")
def _print_counts(request):
    """What was sent and answered, on the terminal even while output is captured."""
    yield
    if SEEN:
        capture = request.config.pluginmanager.getplugin("capturemanager")
        with capture.global_and_fixture_disabled():
            print("\nfuzz: " + ", ".join(f"{key}: {count}" for key, count in sorted(SEEN.items())))


# What the fuzzer's kind of input once crashed in the domain: generated
# clients send these legitimately.
CLIENT_INPUTS = [
    pytest.param({"waktuKejadian": "2026-11-27T08:00:00"}, id="naive-datetime"),
    pytest.param({"analisis": None}, id="analisis-null"),
    pytest.param({"rekomendasi": None}, id="rekomendasi-null"),
]


@pytest.mark.parametrize("override", CLIENT_INPUTS)
def test_legitimate_client_inputs_are_accepted(api, petugas, override):
    from cms.reports.models import Laporan

    from .test_reports_api import report_input

    api.login("petugas.uji", PASSWORD)
    result = api.op(
        "SubmitReport", {"clientUuid": str(uuid.uuid4()), "input": report_input(**override)}
    )
    assert "errors" not in result, result
    assert result["data"]["submitReport"]["errors"] == []
    laporan = Laporan.objects.get()
    if "waktuKejadian" in override:
        # read as WITA: 08:00 WITA is 00:00 UTC
        assert laporan.waktu_kejadian.isoformat() == "2026-11-27T00:00:00+00:00"
    for name in ("analisis", "rekomendasi"):
        if name in override:
            assert getattr(laporan, name) == ""
