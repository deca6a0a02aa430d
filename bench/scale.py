"""How every list, page and the dashboard scale with the number of reports.

Run from the project root (PostgreSQL on 127.0.0.1:5432):

    .venv/bin/python -m bench.scale --reports 10000
    .venv/bin/python -m bench.scale --reports 100000      # tops the same database up
    .venv/bin/python -m bench.scale --reports 1000000

It fills the database `sikanda_bench_scale` (`--db`) up to `--reports` realistic
reports (all states, 8 kecamatan, 3 years) with COPY, then measures every path
of issue 15's table in-process with django.test.Client: median and p95 server
time and the SQL count per request, and the ratio to the smallest size measured
before (results kept in `--results`). `--measure-only` / `--load-only` split
the two halves. See bench/README.md for what the data contains and what it
leaves out.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
import uuid
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

PG_URL = "postgres://postgres@127.0.0.1:5432"
DEFAULT_DB = "sikanda_bench_scale"
BATCH = 10_000
YEARS = 3

# Shares of the reports by state (issue 15: ~70 % public at 1M, 30,000 waiting).
STATES = [
    ("publik", 0.70),       # verified, classification publik: on the public site
    ("terbatas", 0.15),     # verified, classification terbatas
    ("draf", 0.08),
    ("menunggu", 0.03),     # waiting for a verifier
    ("perbaikan", 0.02),    # sent back for changes
    ("ditarik", 0.02),      # verified, then retracted
]
KECAMATAN = {
    "paringin": 0.20, "paringin-selatan": 0.12, "juai": 0.11, "halong": 0.11,
    "awayan": 0.12, "batumandi": 0.12, "lampihong": 0.12, "tebing-tinggi": 0.10,
}
URGENSI = [("rendah", 0.35), ("sedang", 0.40), ("tinggi", 0.20), ("darurat", 0.05)]
PERIODE = [("insidentil", 0.6), ("harian", 0.25), ("mingguan", 0.1), ("bulanan", 0.05)]
EVENTS = [
    "Banjir merendam permukiman", "Pohon tumbang menutup jalan", "Konflik lahan perkebunan",
    "Unjuk rasa warga menolak tambang", "Kebakaran lahan gambut", "Perkelahian antarpemuda",
    "Peredaran obat terlarang", "Hoaks pemilu beredar di media sosial", "Sengketa batas desa",
    "Pencurian ternak", "Jembatan gantung rusak", "Kenaikan harga beras", "Tanah longsor",
    "Pertemuan kelompok tanpa izin", "Keributan di pasar", "Kekurangan air bersih",
    "Penyakit ternak menular", "Pengungsi akibat banjir", "Spanduk provokatif dipasang",
    "Antrean panjang solar", "Penambangan liar di sungai", "Kerusakan jalan kabupaten",
]
FACTS = [
    "Warga melaporkan kejadian kepada kepala desa pada pagi hari.",
    "Aparat desa dan Babinsa sudah berada di lokasi.",
    "Belum ada korban jiwa; beberapa rumah terdampak.",
    "Situasi sempat memanas sebelum ditengahi tokoh masyarakat.",
    "Air sungai naik setelah hujan deras semalaman.",
    "Informasi beredar melalui grup percakapan warga.",
    "Kegiatan ekonomi warga terganggu sejak dua hari terakhir.",
    "Petugas mencatat keterangan dari tiga orang saksi.",
]
SEARCH_TERM = "banjir"
# Where each kecamatan roughly is, for plausible coordinates.
CENTRE = {
    "paringin": (-2.334, 115.469), "paringin-selatan": (-2.372, 115.452),
    "juai": (-2.276, 115.613), "halong": (-2.195, 115.643), "awayan": (-2.431, 115.438),
    "batumandi": (-2.262, 115.428), "lampihong": (-2.332, 115.365),
    "tebing-tinggi": (-2.498, 115.598),
}


def pick(pairs):
    names, weights = zip(*pairs, strict=True)
    return random.choices(names, weights)[0]


# -- setup ---------------------------------------------------------------------------


def ensure_database(name):
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"database {name}: created")


def setup_django(db_name):
    os.environ["DATABASE_URL"] = f"{PG_URL}/{db_name}"
    # Persistent connections: measure the pages, not one TCP + auth handshake each.
    os.environ.setdefault("DATABASE_CONN_MAX_AGE", "60")
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def people():
    """Who files, verifies and reads: 6 officers and 2 verifiers per kecamatan,
    a Pimpinan and an administrator. Created once, reused."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms.accounts import roles
    from cms.reports.assignments import FILE_REPORT, VERIFY_REPORT, assign
    from cms.reports.models import Kecamatan

    User = get_user_model()

    def user(username, role, kecamatan=None, perm=None):
        obj, created = User.objects.get_or_create(
            username=username, defaults={"first_name": username.split(".")[1].title()}
        )
        if created:
            obj.set_password("bench-password")
            obj.save()
            obj.groups.add(Group.objects.get(name=role))
            if kecamatan:
                assign(obj, perm, kecamatan)
        return obj

    crew = {"officers": {}, "verifiers": {}}
    for kecamatan in Kecamatan.objects.all():
        crew["officers"][kecamatan.slug] = [
            user(f"bench.petugas.{kecamatan.slug}.{n}", roles.PETUGAS, kecamatan, FILE_REPORT)
            for n in range(6)
        ]
        crew["verifiers"][kecamatan.slug] = [
            user(f"bench.verif.{kecamatan.slug}.{n}", roles.VERIFIKATOR, kecamatan, VERIFY_REPORT)
            for n in range(2)
        ]
    crew["pimpinan"] = user("bench.pimpinan", roles.PIMPINAN)
    crew["admin"] = user("bench.admin", roles.ADMINISTRATOR)
    return crew


def prototypes(crew):
    """One report per state made by the real services (transition service,
    workflow, revisions, grading): the rows the generator copies, so generated
    reports look exactly like real ones to every query."""
    from django.utils import timezone

    from cms.reports import services
    from cms.reports.models import Aspek, JenisATHG, Kecamatan, Laporan

    officer = crew["officers"]["paringin"][0]
    verifier = crew["verifiers"]["paringin"][0]
    made = {}
    for state, _share in STATES:
        title = f"PROTOTIPE {state}"
        laporan = Laporan.objects.filter(judul=title).first()
        if laporan is None:
            laporan = services.create_report(
                officer, submit=state != "draf", judul=title, periode="insidentil",
                jenis_athg=JenisATHG.objects.first(), aspek=Aspek.objects.first(),
                urgensi="sedang", kecamatan=Kecamatan.objects.get(slug="paringin"),
                waktu_kejadian=timezone.now() - timedelta(days=1),
                fakta="Prototipe data uji skala.",
                klasifikasi="terbatas" if state == "terbatas" else "publik",
            )
            if state in ("publik", "terbatas", "ditarik"):
                services.act(laporan, verifier, "approve",
                             keandalan_sumber="B", kredibilitas_informasi="2")
            if state == "perbaikan":
                services.act(laporan, verifier, "reject", comment="Lengkapi lokasi.")
            if state == "ditarik":
                services.retract(Laporan.objects.get(pk=laporan.pk), verifier, "Uji skala.")
        made[state] = Laporan.objects.get(pk=laporan.pk)
    return made


def templates(made):
    from wagtail.models import Revision, TaskState, WorkflowState

    from cms.reports.models import Laporan, PenilaianVerifikasi

    out = {}
    for state, laporan in made.items():
        row = Laporan.objects.filter(pk=laporan.pk).values().get()
        revision = Revision.objects.filter(pk=row["latest_revision_id"]).values().get()
        workflow = (
            WorkflowState.objects.for_instance(laporan).order_by("-pk").values().first()
        )
        task = (
            TaskState.objects.filter(workflow_state_id=workflow["id"]).order_by("-pk")
            .values().first() if workflow else None
        )
        grading = PenilaianVerifikasi.objects.filter(laporan=laporan).values().first()
        out[state] = {"laporan": row, "revision": revision, "workflow": workflow,
                      "task": task, "grading": grading}
    return out


# -- generation ----------------------------------------------------------------------


class Copier:
    """COPY rows (dicts by attname) into a model's table."""

    def __init__(self, model):
        from django.db import connection

        self.model = model
        self.fields = model._meta.concrete_fields
        self.json = {f.attname for f in self.fields if f.get_internal_type() == "JSONField"}
        quote = connection.ops.quote_name
        columns = ", ".join(quote(f.column) for f in self.fields)
        self.sql = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"

    def write(self, cursor, rows):
        from psycopg.types.json import Jsonb

        with cursor.copy(self.sql) as copy:
            for row in rows:
                copy.write_row([
                    Jsonb(row[f.attname]) if f.attname in self.json else row[f.attname]
                    for f in self.fields
                ])


def next_ids(*models):
    from django.db import connection

    ids = {}
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {model._meta.db_table}")  # noqa: S608
            ids[model] = cursor.fetchone()[0]
    return ids


def reset_sequences(*models):
    from django.db import connection

    with connection.cursor() as cursor:
        for model in models:
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT MAX(id) FROM {table}))"
            )


def generate(count, crew, tmpl):
    """Append `count` reports with their rows, in batches, with progress."""
    from django.db import connection, transaction
    from django.utils import timezone
    from wagtail.models import Revision, TaskState, WorkflowState

    from cms.reports.models import (
        Aspek,
        Desa,
        JenisATHG,
        Kecamatan,
        Lampiran,
        Laporan,
        PenilaianVerifikasi,
    )

    models = (Laporan, Revision, WorkflowState, TaskState, PenilaianVerifikasi, Lampiran)
    copiers = {model: Copier(model) for model in models}
    ids = next_ids(*models)
    kecamatan = {k.slug: k for k in Kecamatan.objects.all()}
    desa = {slug: list(Desa.objects.filter(kecamatan__slug=slug).values_list("pk", flat=True))
            for slug in kecamatan}
    aspek = list(Aspek.objects.values_list("pk", flat=True))
    jenis = list(JenisATHG.objects.values_list("pk", flat=True))
    now = timezone.now()
    span = YEARS * 365 * 86400
    started, done = time.perf_counter(), 0
    while done < count:
        n = min(BATCH, count - done)
        rows = {model: [] for model in models}
        for _ in range(n):
            state = pick(STATES)
            slug = pick(list(KECAMATAN.items()))
            t = tmpl[state]
            pk = ids[Laporan]
            ids[Laporan] += 1
            # What waits or is still being written is recent; the rest spans 3 years.
            recent = state in ("draf", "menunggu", "perbaikan")
            age = random.random() ** 1.3 * (45 * 86400 if recent else span)
            when = now - timedelta(seconds=age)
            created = when + timedelta(minutes=random.randint(5, 240))
            changed = min(created + timedelta(minutes=random.randint(10, 4000)), now)
            officer = random.choice(crew["officers"][slug])
            verifier = random.choice(crew["verifiers"][slug])
            event = random.choice(EVENTS)
            village = random.choice(desa[slug]) if desa[slug] else None
            title = f"{event} di {kecamatan[slug].nama}"
            lat, lng = CENTRE[slug]
            report = dict(t["laporan"])
            report.update(
                id=pk, client_uuid=uuid.uuid4(), pelapor_id=officer.pk,
                nomor=f"SKD-{when.year}-{pk}" if t["laporan"]["nomor"] else None,
                judul=title, periode=pick(PERIODE), urgensi=pick(URGENSI),
                jenis_athg_id=random.choice(jenis), aspek_id=random.choice(aspek),
                kecamatan_id=kecamatan[slug].pk, desa_id=village,
                latitude=Decimal(f"{lat + random.uniform(-0.05, 0.05):.6f}"),
                longitude=Decimal(f"{lng + random.uniform(-0.05, 0.05):.6f}"),
                akurasi_m=random.randint(5, 60), waktu_kejadian=when,
                fakta=" ".join(random.sample(FACTS, 3)) + f" {event}.",
                analisis="Perlu dipantau.", rekomendasi="Koordinasi dengan kecamatan.",
                sumber_informasi="Tokoh masyarakat setempat (rahasia).",
                klasifikasi=(
                    t["laporan"]["klasifikasi"] if state in ("publik", "terbatas", "ditarik")
                    else random.choice(["publik", "publik", "publik", "terbatas"])
                ),
                dibuat=created, diperbarui=changed,
            )
            rev_id = ids[Revision]
            ids[Revision] += 1
            report["latest_revision_id"] = rev_id
            if t["laporan"]["live_revision_id"]:
                report["live_revision_id"] = rev_id
            for stamp in ("first_published_at", "last_published_at"):
                if t["laporan"][stamp]:
                    report[stamp] = changed
            if t["laporan"]["ditarik_pada"]:
                report.update(ditarik_pada=changed, ditarik_oleh_id=verifier.pk)
            # As the transition service keeps it: created, then first verified.
            # (Copied from the template, every report had one of six values,
            # and the default GraphQL order was one long tie.)
            report["terlihat_sejak"] = report["first_published_at"] or created
            # The verification queue's sort key: when its task below started.
            if t["laporan"]["menunggu_sejak"]:
                report["menunggu_sejak"] = created
            rows[Laporan].append(report)

            revision = dict(t["revision"])
            content = dict(revision["content"])
            content.update(pk=pk, judul=title, kecamatan=kecamatan[slug].pk)
            revision.update(
                id=rev_id, object_id=str(pk), created_at=changed, user_id=officer.pk,
                object_str=f"{report['nomor'] or ''} — {title}"[:255], content=content,
            )
            rows[Revision].append(revision)

            if t["workflow"]:
                ws_id, ts_id = ids[WorkflowState], ids[TaskState]
                ids[WorkflowState] += 1
                ids[TaskState] += 1
                workflow = dict(t["workflow"])
                workflow.update(
                    id=ws_id, object_id=str(pk), created_at=created,
                    requested_by_id=officer.pk,
                    current_task_state_id=ts_id if t["workflow"]["current_task_state_id"]
                    else None,
                )
                task = dict(t["task"])
                task.update(id=ts_id, workflow_state_id=ws_id, revision_id=rev_id,
                            started_at=created)
                if t["task"]["finished_at"]:
                    task.update(finished_at=changed, finished_by_id=verifier.pk)
                rows[WorkflowState].append(workflow)
                rows[TaskState].append(task)

            if t["grading"]:
                grading = dict(t["grading"])
                grading.update(
                    id=ids[PenilaianVerifikasi], laporan_id=pk, verifikator_id=verifier.pk,
                    waktu=changed, keandalan_sumber=random.choice("ABBBCCD"),
                    kredibilitas_informasi=random.choice("1222334"),
                )
                ids[PenilaianVerifikasi] += 1
                rows[PenilaianVerifikasi].append(grading)
                if random.random() < 0.4:
                    rows[Lampiran].append({
                        "id": ids[Lampiran], "sort_order": 0, "laporan_id": pk,
                        "berkas": f"laporan/bench/{pk}.jpg", "nama_asli": "foto.jpg",
                        "jenis": "foto", "mime": "image/jpeg", "ukuran": 180_000,
                        "keterangan": "",
                    })
                    ids[Lampiran] += 1

        # Foreign keys are DEFERRABLE INITIALLY DEFERRED: checked at commit,
        # so the workflow state may name its task state before it is copied.
        with transaction.atomic(), connection.cursor() as cursor:
            for model in models:
                copiers[model].write(cursor.cursor, rows[model])
        done += n
        elapsed = time.perf_counter() - started
        rate = done / elapsed
        print(f"  {done:>9,} / {count:,} reports  {rate:,.0f}/s  "
              f"eta {(count - done) / rate:,.0f} s", flush=True)
    reset_sequences(*models)
    with connection.cursor() as cursor:
        print("  VACUUM ANALYZE …", flush=True)
        cursor.execute("VACUUM ANALYZE")


def repair_terlihat_sejak():
    """Databases generated before the fix above: set `terlihat_sejak` as the
    generator now does (the app's own backfill, migration 0009), once."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT COUNT(*) FROM (SELECT DISTINCT terlihat_sejak FROM reports_laporan "
            "LIMIT 100) d"
        )
        if cursor.fetchone()[0] >= 100:
            return
        print("  terlihat_sejak: one of six values copied from the templates; repairing …",
              flush=True)
        cursor.execute(
            "UPDATE reports_laporan SET terlihat_sejak = COALESCE(first_published_at, dibuat) "
            "WHERE judul NOT LIKE 'PROTOTIPE%%'"
        )
        cursor.execute("VACUUM ANALYZE reports_laporan")


# -- measurement ---------------------------------------------------------------------


def paths(crew):
    """(label, who, kind, target, variables): the paths of issue 15's table."""
    from cms.reports.models import Laporan

    public = (Laporan.objects.filter(live=True, klasifikasi="publik")
              .exclude(judul__startswith="PROTOTIPE").order_by("-waktu_kejadian").first())
    verifier = crew["verifiers"]["paringin"][0]
    officer = crew["officers"]["paringin"][0]
    # The cursor of the public report 2,000 places down the newest-first
    # list: what an app holds after a hundred pages of 20.
    from cms.reports.schema import ORDERINGS

    newest = ORDERINGS["newest"]
    deep_row = Laporan.objects.public().order_by(*newest.order_by())[2000:2001].first()
    deep = newest.cursor(deep_row) if deep_row else None
    # Page 500 of the archive as a reader reaches it: "Berikutnya" 499 times,
    # each link carrying the position of the page's last report.
    from cms.reports import archive_paging

    archive = Laporan.objects.public().order_by(*archive_paging.NEWEST.order_by())
    # Fewer than 10,000 public reports (the 10k size): the last page, as the
    # numbered pager served it.
    page_500 = archive_paging.NEWEST.cursor(archive[9979:9980].first() or archive.last())
    return [
        ("public archive, page 1", None, "get", "/laporan/", None),
        ("public archive, kecamatan + aspek", None, "get",
         "/laporan/?kecamatan=paringin&aspek=sosial-budaya", None),
        ("public archive, page 500", None, "get",
         f"/laporan/?halaman=500&setelah={page_500}", None),
        (f"public archive, ?q={SEARCH_TERM}", None, "get", f"/laporan/?q={SEARCH_TERM}", None),
        ("report detail", None, "get", f"/laporan/{public.pk}/", None),
        ("GraphQL Reports, anonymous", None, "graphql", "Reports", {"first": 20}),
        ("GraphQL Reports, anonymous, kecamatan", None, "graphql", "Reports",
         {"first": 20, "kecamatan": "paringin"}),
        ("GraphQL Reports, anonymous, deep cursor", None, "graphql", "Reports",
         {"first": 20, "after": deep}),
        ("GraphQL Reports, anonymous, search", None, "graphql", "Reports",
         {"first": 20, "search": SEARCH_TERM}),
        ("GraphQL Reports, petugas (mine)", officer, "graphql", "Reports",
         {"first": 20, "mine": True}),
        ("GraphQL Reports, verifier", verifier, "graphql", "Reports", {"first": 20}),
        ("GraphQL Reports, pimpinan", crew["pimpinan"], "graphql", "Reports", {"first": 20}),
        ("admin listing, administrator", crew["admin"], "admin",
         "wagtailsnippets_reports_laporan:list", None),
        ("admin listing, verifier", verifier, "admin",
         "wagtailsnippets_reports_laporan:list", None),
        ("admin dashboard, pimpinan", crew["pimpinan"], "admin", "wagtailadmin_home", None),
        ("admin dashboard, verifier", verifier, "admin", "wagtailadmin_home", None),
        ("admin dashboard, administrator", crew["admin"], "admin", "wagtailadmin_home", None),
    ]


class QueryCounter:
    """Counts statements without the debug cursor's logging (which caps at
    9,000 and costs time of its own)."""

    def __init__(self, keep=False):
        self.count = 0
        self.total_ms = 0.0
        self.slowest = (0.0, "")
        self.statements = [] if keep else None

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        if self.statements is not None and not many:
            self.statements.append((sql, params))
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            elapsed = (time.perf_counter() - started) * 1000
            self.total_ms += elapsed
            if elapsed > self.slowest[0]:
                self.slowest = (elapsed, sql)


def executed_ms(statements, show=0):
    """What PostgreSQL itself spends on the request's statements: the sum of
    planning and execution time that EXPLAIN ANALYZE reports for each SELECT
    (re-run after the request). Unlike the wall time it barely moves when
    other processes load the machine, and it is where the table size shows.
    With `show`, the plans (ANALYZE, BUFFERS) of that many of the costliest
    statements are printed too (`--explain`)."""
    from django.db import connection

    timed = []
    with connection.cursor() as cursor:
        for sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            cursor.execute(f"EXPLAIN (ANALYZE, FORMAT JSON) {sql}", params)
            raw = cursor.fetchone()[0]
            plan = (json.loads(raw) if isinstance(raw, str) else raw)[0]
            timed.append((plan.get("Planning Time", 0.0) + plan.get("Execution Time", 0.0),
                          sql, params))
        for ms, sql, params in sorted(timed, key=lambda item: -item[0])[:show]:
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
            plan = "\n".join(f"      {row[0]}" for row in cursor.fetchall())
            print(f"    {ms:,.1f} ms: {' '.join(sql.split())[:300]}\n{plan}", flush=True)
    return sum(ms for ms, _sql, _params in timed)


def call(client, kind, target, document, variables, headers):
    if kind == "graphql":
        response = client.post(
            "/graphql/", {"query": document, "variables": variables},
            content_type="application/json", **headers,
        )
        body = response.json()
        assert "errors" not in body, body["errors"]
        return response
    return client.get(target)


def measure(crew, requests, slow_seconds, single_seconds, only=(), explain=0):
    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    from cms.accounts import tokens
    from cms.api.contract import load_operation

    document = load_operation("Reports")
    results = {}
    for label, who, kind, target, variables in paths(crew):
        if only and not any(part in label for part in only):
            continue
        client = Client()
        headers = {}
        if kind == "admin":
            client.force_login(who)
            target = reverse(target)
        elif kind == "graphql" and who is not None:
            _session, access, _refresh = tokens.issue(who, "bench")
            headers["HTTP_AUTHORIZATION"] = f"Bearer {access}"

        timings, queries, db_ms, slowest = [], [], [], (0.0, "")
        samples = requests
        explained = None
        for number in range(samples + 1):  # the first is a warm-up
            counter = QueryCounter(keep=number == 1)
            with connection.execute_wrapper(counter):
                started = time.perf_counter()
                response = call(client, kind, target, document, variables, headers)
                elapsed = time.perf_counter() - started
            assert response.status_code == 200, (label, response.status_code)
            if number == 0:
                size = len(response.content)
                # A page that takes seconds is measured three times, not fifteen;
                # one that takes minutes (the dashboard at 1M) only this once.
                if elapsed > single_seconds:
                    timings.append(elapsed * 1000)
                    queries.append(counter.count)
                    db_ms.append(counter.total_ms)
                    slowest = counter.slowest
                    break
                if elapsed > slow_seconds:
                    samples = min(samples, 3)
                continue
            timings.append(elapsed * 1000)
            queries.append(counter.count)
            db_ms.append(counter.total_ms)
            slowest = max(slowest, counter.slowest)
            if counter.statements is not None:
                explained = executed_ms(counter.statements, show=explain)
            if number >= samples:
                break
        timings.sort()
        results[label] = {
            "median_ms": round(statistics.median(timings), 1),
            "p95_ms": round(timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))], 1),
            "sql": max(queries),
            # Time inside the database driver, summed per request: on a shared
            # machine the steadier measure of what the queries cost.
            "db_median_ms": round(statistics.median(db_ms), 1),
            "explain_ms": round(explained, 1) if explained is not None else None,
            "kb": round(size / 1024),
            "n": len(timings),
            "slowest_sql_ms": round(slowest[0], 1),
            "slowest_sql": " ".join(slowest[1].split())[:400],
        }
        r = results[label]
        print(f"  {label:<42} {r['median_ms']:>9.1f} {r['p95_ms']:>9.1f} {r['sql']:>5} "
              f"{r['db_median_ms']:>8.1f} {r['explain_ms'] or 0:>8.1f} {r['kb']:>6} KB",
              flush=True)
    return results


def report(size, results, store):
    history = json.loads(store.read_text()) if store.exists() else {}
    # A run of some paths (--only) keeps the other paths' figures at that size.
    history[str(size)] = {**history.get(str(size), {}), **results}
    store.write_text(json.dumps(history, indent=1))
    sizes = sorted(int(s) for s in history)
    base = sizes[0]
    print(f"\n| path | {' | '.join(f'{s:,} median / p95 ms (SQL, PG ms)' for s in sizes)} | "
          f"{sizes[-1]:,} / {base:,} |")
    print("|---|" + "---|" * (len(sizes) + 1))
    for label in results:
        cells = []
        for s in sizes:
            r = history[str(s)].get(label)
            if not r:
                cells.append("—")
                continue
            db = f", PG {r['explain_ms']:,.1f} ms" if r.get("explain_ms") is not None else ""
            cells.append(f"{r['median_ms']:,.0f} / {r['p95_ms']:,.0f} ({r['sql']}{db})")
        first = history[str(base)].get(label)
        last = history[str(sizes[-1])].get(label)
        ratio = f"{last['median_ms'] / first['median_ms']:.2f}×" if first and last else "—"
        print(f"| {label} | {' | '.join(cells)} | {ratio} |")
    print(f"\nslowest statement per path at {sizes[-1]:,}:")
    for label, r in history[str(sizes[-1])].items():
        print(f"  {label}: {r.get('slowest_sql_ms', 0):,.1f} ms  {r.get('slowest_sql', '')[:200]}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=10_000, help="target number of reports")
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--requests", type=int, default=15, help="timed requests per path")
    parser.add_argument("--slow-seconds", type=float, default=2.0,
                        help="paths slower than this get 3 timed requests")
    parser.add_argument("--single-seconds", type=float, default=30.0,
                        help="paths slower than this are measured once (the warm-up)")
    parser.add_argument("--results", default="/tmp/sikanda-bench-scale.json")
    parser.add_argument("--load-only", action="store_true")
    parser.add_argument("--measure-only", action="store_true")
    parser.add_argument("--seed", type=int, default=15)
    parser.add_argument("--only", action="append", default=[], metavar="TEXT",
                        help="measure only the paths whose label contains TEXT (repeatable), "
                             "e.g. --only 'admin dashboard' --only 'admin listing'")
    parser.add_argument("--explain", type=int, default=0, metavar="N",
                        help="print EXPLAIN (ANALYZE, BUFFERS) of each path's N costliest "
                             "statements")
    args = parser.parse_args()
    random.seed(args.seed)

    ensure_database(args.db)
    setup_django(args.db)
    from cms.reports.models import Laporan

    crew = people()
    if not args.measure_only:
        tmpl = templates(prototypes(crew))
        have = Laporan.objects.count()
        if have < args.reports:
            print(f"reports: {have:,} present, generating {args.reports - have:,} …", flush=True)
            started = time.perf_counter()
            generate(args.reports - have, crew, tmpl)
            print(f"  generated in {time.perf_counter() - started:,.0f} s")
    if args.load_only:
        return
    repair_terlihat_sejak()
    size = Laporan.objects.count()
    print(f"\nmeasuring at {size:,} reports ({args.requests} requests per path, "
          "after one warm-up)\n")
    print(f"  {'path':<42} {'median':>9} {'p95':>9} {'SQL':>5} {'SQL ms':>8} {'PG ms':>8} "
          f"{'size':>9}")
    results = measure(crew, args.requests, args.slow_seconds, args.single_seconds, args.only,
                      args.explain)
    report(size, results, Path(args.results))


if __name__ == "__main__":
    sys.exit(main())
