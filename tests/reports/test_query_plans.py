"""No list reads the whole report table (PostgreSQL only).

Tens of thousands of reports are cloned in SQL from reports made by the real
services (one per state), spread over the 8 kecamatan, the aspek, many
officers and three years, and ANALYZEd. Then every statement that the first
page of each role's report list sends (GraphQL `Reports` as the app sends it,
the public archive, filtered by kecamatan + aspek, and searched) is EXPLAINed
(FORMAT JSON): none may hold a Seq Scan of `reports_laporan`. A sequential
scan here is the plan that grows with the table: at a million reports it is
seconds per page (bench/README.md)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.accounts import roles, tokens
from cms.api.contract import load_operation
from cms.reports import services
from cms.reports.models import Aspek, Kecamatan, Laporan
from tests import factories
from tests.followup.conftest import agency, issue, make_member

from .reports_factories import make_report, verified_report

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL query plans"),
]

CLONES = 40_000
TABLE = Laporan._meta.db_table
# Shares per state as in production (bench/scale.py): per 100 clones.
SHARES = {"publik": 70, "terbatas": 15, "draf": 8, "menunggu": 3, "perbaikan": 2, "ditarik": 2}


def _prototypes(officer, verifier):
    made = {
        "publik": verified_report(officer, verifier, judul="Banjir merendam permukiman"),
        "terbatas": verified_report(officer, verifier, klasifikasi="terbatas"),
        "draf": make_report(officer),
        "menunggu": make_report(officer, submit=True),
        "perbaikan": services.act(make_report(officer, submit=True), verifier, "reject",
                                  comment="Lengkapi."),
        "ditarik": services.retract(verified_report(officer, verifier), verifier, "Keliru."),
    }
    return made


def _clone(prototypes, officer_ids):
    """INSERT … SELECT from each prototype: the flags, revision and workflow
    columns exactly as the services wrote them; kecamatan, aspek, reporter,
    times and number varied per row."""
    kecamatan = list(Kecamatan.objects.order_by("pk").values_list("pk", flat=True))
    aspek = list(Aspek.objects.order_by("pk").values_list("pk", flat=True))
    columns = [f.column for f in Laporan._meta.concrete_fields if f.column != "id"]
    varied = {
        "client_uuid": "gen_random_uuid()",
        "pelapor_id": "(%(officers)s)[1 + g %% %(n_officers)s]",
        "nomor": "CASE WHEN t.nomor IS NULL THEN NULL ELSE 'UJI-' || %(state)s || '-' || g END",
        "kecamatan_id": "(%(kecamatan)s)[1 + g %% %(n_kecamatan)s]",
        "aspek_id": "(%(aspek)s)[1 + (g / 8) %% %(n_aspek)s]",
        "desa_id": "NULL",
        "judul": "t.judul || ' ' || g",
        "waktu_kejadian": "now() - (g * interval '37 minutes')",
        "terlihat_sejak": "now() - (g * interval '37 minutes')",
        "dibuat": "now() - (g * interval '37 minutes')",
        "menunggu_sejak": "CASE WHEN t.menunggu_sejak IS NULL THEN NULL "
                          "ELSE now() - (g * interval '37 minutes') END",
    }
    select = ", ".join(varied.get(c, f't."{c}"') for c in columns)
    names = ", ".join(f'"{c}"' for c in columns)
    sql = (
        f"INSERT INTO {TABLE} ({names}) "  # noqa: S608
        f"SELECT {select} FROM {TABLE} t, generate_series(1, %(count)s) g WHERE t.id = %(pk)s"
    )
    with connection.cursor() as cursor:
        for state, laporan in prototypes.items():
            cursor.execute(sql, {
                "officers": officer_ids, "n_officers": len(officer_ids),
                "kecamatan": kecamatan, "n_kecamatan": len(kecamatan),
                "aspek": aspek, "n_aspek": len(aspek), "state": state,
                "count": CLONES * SHARES[state] // 100, "pk": laporan.pk,
            })
        cursor.execute(f"ANALYZE {TABLE}")


@pytest.fixture
def world(petugas, verifikator, pimpinan, administrator, pengguna):
    prototypes = _prototypes(petugas, verifikator)
    officers = [petugas.pk] + [
        factories.make_user(roles.PETUGAS, f"petugas.klon.{n}").pk for n in range(47)
    ]
    _clone(prototypes, officers)
    polres = agency("Polres Balangan")
    member = make_member(polres, "anggota.polres")
    issue(prototypes["terbatas"], pimpinan, polres)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return {
        "pengguna": pengguna, "petugas": petugas, "verifikator": verifikator,
        "pimpinan": pimpinan, "administrator": administrator, "instansi": member,
    }


def _seq_scans(plan, found):
    if plan.get("Node Type") == "Seq Scan" and plan.get("Relation Name") == TABLE:
        found.append(plan)
    for child in plan.get("Plans", []):
        _seq_scans(child, found)
    return found


def _touches(plan):
    return plan.get("Relation Name") == TABLE or any(_touches(c) for c in plan.get("Plans", []))


def _plans(statements):
    """EXPLAIN every statement that reads the report table."""
    plans = []
    with connection.cursor() as cursor:
        for sql in statements:
            if not sql.lstrip().upper().startswith("SELECT") or f'"{TABLE}"' not in sql:
                continue
            cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}")
            raw = cursor.fetchone()[0]
            plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
            plans.append((sql, plan))
    return plans


def _problems(statements, label):
    plans = [(sql, plan) for sql, plan in _plans(statements) if _touches(plan)]
    if not plans:
        return [f"{label}: no statement read the report table"]
    return [
        f"{label}: Seq Scan on {TABLE} in\n{sql}\n{json.dumps(plan)[:3000]}"
        for sql, plan in plans if _seq_scans(plan, [])
    ]


def _graphql_first_page(client, user, variables):
    headers = {}
    if user is not None:
        _session, access, _refresh = tokens.issue(user, "uji")
        headers["HTTP_AUTHORIZATION"] = f"Bearer {access}"
    document = load_operation("Reports")
    with CaptureQueriesContext(connection) as queries:
        response = client.post(
            "/graphql/", {"query": document, "variables": variables},
            content_type="application/json", **headers,
        )
    body = response.json()
    assert "errors" not in body, body
    assert len(body["data"]["reports"]["nodes"]) == 20, (user, variables)
    return [q["sql"] for q in queries.captured_queries]


GRAPHQL_LISTS = [
    (who, {"first": 20})
    for who in (None, "pengguna", "petugas", "verifikator", "pimpinan", "administrator",
                "instansi")
] + [
    ("petugas", {"first": 20, "mine": True}),
    ("verifikator", {"first": 20, "orderBy": "EVENT_TIME"}),
    ("pimpinan", {"first": 20, "kecamatan": "paringin"}),
    (None, {"first": 20, "search": "banjir"}),
]
ARCHIVE_PARAMS = [{}, {"kecamatan": "paringin", "aspek": "sosial-budaya"}, {"q": "banjir"}]


def test_graphql_first_page_of_every_role_reads_from_indexes(client, world):
    problems = []
    for who, variables in GRAPHQL_LISTS:
        statements = _graphql_first_page(client, world[who] if who else None, variables)
        problems += _problems(statements, f"GraphQL Reports as {who or 'anonymous'} {variables}")
    assert not problems, "\n\n".join(problems)


def test_public_archive_reads_from_indexes(client, world):
    problems = []
    for who in (None, "pengguna", "pimpinan", "verifikator", "instansi"):
        client.logout()
        if who:
            client.force_login(world[who])
        for params in ARCHIVE_PARAMS:
            with CaptureQueriesContext(connection) as queries:
                response = client.get(reverse("reports:index"), params)
            assert response.status_code == 200
            assert len(response.context["reports"].object_list) == 20, (who, params)
            problems += _problems(
                [q["sql"] for q in queries.captured_queries], f"archive as {who} {params}"
            )
    assert not problems, "\n\n".join(problems)


def _scans(plan, found):
    """(node type, index) of every node that reads the report table."""
    if plan.get("Relation Name") == TABLE:
        found.append((plan["Node Type"], plan.get("Index Name")))
    for child in plan.get("Plans", []):
        _scans(child, found)
    return found


def _as_if_vacuumed():
    """Mark every page of the report table all-visible in the planner's
    statistics, as (auto)vacuum leaves a table that is mostly read. The
    clones are uncommitted (the test's transaction), so VACUUM cannot do it;
    without it the planner prices an index-only scan as one heap fetch per
    row, which is the plan of no production database."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        if not cursor.fetchone()[0]:
            pytest.skip("setting pg_class.relallvisible needs a superuser")
        cursor.execute(
            "UPDATE pg_class SET relallvisible = relpages WHERE oid = %s::regclass", [TABLE]
        )


def test_dashboard_charts_are_index_only_scans(world):
    """Each role's chart statements read only the partial index of live
    reports by event time (laporan_live_kejadian_idx), never the table.

    The window is the charts' own (30 days). Clones are 37 minutes apart per
    state, and the states with fewer clones (drafts, reports in verification)
    all fall near today, as at a million reports (bench/scale.py): the window
    holds ~16 % of the rows, ~6 % of them live (1M: 14 % and 5 %). On that
    shape the verifier's charts were a Seq Scan when the policy's OR kept a
    `live` in one branch (a column the index has only as its condition, so
    every row meant a heap fetch): the statement has to be answerable from
    the index alone, whatever PostgreSQL estimates."""
    from cms.reports import charts

    _as_if_vacuumed()
    problems = []
    for who in ("pimpinan", "verifikator", "administrator", "petugas"):
        with CaptureQueriesContext(connection) as queries:
            daily = charts.trend(world[who])
            places = charts.per_kecamatan(world[who])
        assert sum(day["total"] for day in daily) == sum(p["total"] for p in places) > 0
        plans = [(sql, plan) for sql, plan in _plans(q["sql"] for q in queries.captured_queries)
                 if _touches(plan)]
        assert len(plans) == 2, (who, [sql for sql, _plan in plans])
        problems += [
            f"dashboard charts as {who}: {_scans(plan, [])} in\n{sql}\n{json.dumps(plan)[:3000]}"
            for sql, plan in plans
            if set(_scans(plan, [])) != {("Index Only Scan", "laporan_live_kejadian_idx")}
        ]
    assert not problems, "\n\n".join(problems)


def test_admin_listing_counts_a_limited_subquery(client, world):
    from cms.reports.admin_paginator import CAP

    for who in ("verifikator", "administrator"):
        client.force_login(world[who])
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/admin/snippets/reports/laporan/")
        assert response.status_code == 200
        counts = [q["sql"] for q in queries.captured_queries
                  if "COUNT(" in q["sql"].upper() and f'"{TABLE}"' in q["sql"]]
        assert counts and all(f"LIMIT {CAP + 1}" in sql for sql in counts), counts


def _nodes(plan, found):
    found.append(plan["Node Type"])
    for child in plan.get("Plans", []):
        _nodes(child, found)
    return found


def test_verification_queue_head_and_count_read_the_queue_indexes(world):
    """The desk's queue (the dashboard panel's five and count, the desk's
    first page): its head walks the queue's partial index in the queue's
    order and stops, with no Sort of every waiting report (issue 15: 6,000
    of one kecamatan per request at 1M); its count reads that index alone."""
    from cms.desk import queue

    _as_if_vacuumed()
    problems = []
    for who, index in (("verifikator", "laporan_antrean_kec_idx"),
                       ("administrator", "laporan_antrean_idx")):
        user = world[who]
        with CaptureQueriesContext(connection) as queries:
            head = list(queue.waiting_for(user)[:queue.DASHBOARD_ITEMS])
            total = queue.waiting_for(user).count()
        assert len(head) == queue.DASHBOARD_ITEMS < total, (who, total)
        plans = [(sql, plan) for sql, plan in _plans(q["sql"] for q in queries.captured_queries)
                 if _touches(plan)]
        assert len(plans) == 2, (who, [sql for sql, _plan in plans])
        (head_sql, head_plan), (count_sql, count_plan) = plans
        if _scans(head_plan, []) != [("Index Scan", index)] or {
            "Sort", "Incremental Sort"
        } & set(_nodes(head_plan, [])):
            problems.append(f"queue head as {who}:\n{head_sql}\n{json.dumps(head_plan)[:3000]}")
        if {node for node, _index in _scans(count_plan, [])} != {"Index Only Scan"}:
            problems.append(f"queue count as {who}:\n{count_sql}\n{json.dumps(count_plan)[:3000]}")
    assert not problems, "\n\n".join(problems)
