"""GraphQL `reports` vs. a plain Django JSON view serving the same page.

Run from the project root:

    .venv/bin/python -m bench.graphql_vs_json [--seconds 10] [--profile]

Both endpoints are called in-process through django.test.Client, so both pay
the same middleware; the difference is what GraphQL (parsing, validation,
execution, per-field resolvers, serialisation) costs on top of the ORM work.
See bench/README.md.
"""

import argparse
import os
import statistics
import sys
import time
import uuid
from datetime import timedelta
from decimal import Decimal

DB_NAME = "sikanda_bench"
PG_URL = "postgres://postgres@127.0.0.1:5432"
SEED_TARGET = 10_000
BATCH = 1_000
PAGE_SIZE = 50
ROUND = 10  # requests per path per round; rounds alternate between the paths
WARMUP = 20

GRAPHQL_QUERY = """query {
  reports(first: 50, orderBy: EVENT_TIME) {
    totalCount
    nodes {
      id nomor judul urgensi klasifikasi status waktuKejadian latitude longitude
      kecamatan { nama } aspek { nama } jenisAthg { nama }
    }
  }
}"""
JSON_URL = "/bench/reports.json"
GRAPHQL_URL = "/graphql/"


# -- the plain view ------------------------------------------------------------


def reports_json(request):
    """The same page as the GraphQL query: the first 50 reports an anonymous
    visitor may see, newest first, with the same fields."""
    from django.contrib.auth.models import AnonymousUser
    from django.http import JsonResponse

    from cms.reports.permissions import laporan_policy

    reports = laporan_policy.visible_to(AnonymousUser()).filter(live=True).for_listing()
    items = [
        {
            "id": str(r.pk),
            "nomor": r.nomor,
            "judul": r.judul,
            "urgensi": r.urgensi,
            "klasifikasi": r.klasifikasi,
            "status": r.status,
            "waktu_kejadian": r.waktu_kejadian.isoformat(),
            "latitude": None if r.latitude is None else float(r.latitude),
            "longitude": None if r.longitude is None else float(r.longitude),
            "kecamatan": {"nama": r.kecamatan.nama},
            "aspek": {"nama": r.aspek.nama},
            "jenis_athg": {"nama": r.jenis_athg.nama},
        }
        for r in reports.order_by("-waktu_kejadian", "-pk")[:PAGE_SIZE]
    ]
    return JsonResponse({"total_count": reports.count(), "items": items})


# -- setup ---------------------------------------------------------------------


def ensure_database(name):
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            print(f"database {name}: reusing")
        else:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"database {name}: created")


def setup_django(db_name):
    os.environ["DATABASE_URL"] = f"{PG_URL}/{db_name}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    print("migrate …", flush=True)
    call_command("migrate", interactive=False, verbosity=0)
    settings.ROOT_URLCONF = "bench.urls_bench"
    from django.urls import clear_url_caches

    clear_url_caches()


def seed(target):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from cms.reports.models import Aspek, JenisATHG, Kecamatan, Laporan
    from cms.reports.models.laporan import Klasifikasi, Status, Urgensi

    have = Laporan.objects.count()
    if have >= target:
        print(f"reports: {have} present, no seeding needed")
        return
    user, _ = get_user_model().objects.get_or_create(
        username="bench", defaults={"first_name": "Bench", "is_active": True}
    )
    kecamatan = list(Kecamatan.objects.all())
    aspek = list(Aspek.objects.all())
    jenis = list(JenisATHG.objects.all())
    if not (kecamatan and aspek and jenis):
        sys.exit("master data (kecamatan/aspek/jenis ATHG) missing after migrate")
    urgensi = list(Urgensi.values)
    start = Laporan.objects.filter(nomor__startswith="BENCH-").count()
    missing = target - have
    now = timezone.now()
    year_s = 365 * 24 * 3600
    print(f"reports: {have} present, seeding {missing} …", flush=True)
    t0 = time.perf_counter()
    done = 0
    while done < missing:
        rows = []
        for i in range(start + done, start + min(done + BATCH, missing)):
            rows.append(
                Laporan(
                    client_uuid=uuid.uuid4(),
                    pelapor=user,
                    nomor=f"BENCH-{i:06d}",
                    status=Status.TERVERIFIKASI,
                    judul=f"Laporan uji beban {i}",
                    jenis_athg=jenis[i % len(jenis)],
                    aspek=aspek[i % len(aspek)],
                    urgensi=urgensi[i % len(urgensi)],
                    kecamatan=kecamatan[i % len(kecamatan)],
                    latitude=Decimal("-2.3") + Decimal(i % 1000) / 10000,
                    longitude=Decimal("115.6") + Decimal(i % 997) / 10000,
                    waktu_kejadian=now - timedelta(seconds=(i * 7919) % year_s),
                    fakta=f"Fakta laporan uji beban nomor {i}.",
                    # 4 in 5 public
                    klasifikasi=Klasifikasi.TERBATAS if i % 5 == 4 else Klasifikasi.PUBLIK,
                    live=True,
                    has_unpublished_changes=False,
                    first_published_at=now,
                    last_published_at=now,
                )
            )
        Laporan.objects.bulk_create(rows)
        done += len(rows)
        print(f"  {done}/{missing} ({time.perf_counter() - t0:.1f}s)", flush=True)


def analyze():
    """Fresh planner statistics. Right after a bulk insert autovacuum has not
    run yet; PostgreSQL then estimates a handful of rows, joins all 8,000
    public reports before the top-N sort, and the page query alone takes
    ~80 ms instead of <1 ms, swamping whatever GraphQL costs."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print("ANALYZE done")


# -- measuring -----------------------------------------------------------------


def make_requests(client):
    def graphql():
        return client.post(GRAPHQL_URL, {"query": GRAPHQL_QUERY}, content_type="application/json")

    def plain():
        return client.get(JSON_URL)

    return {"graphql": graphql, "json": plain}


def check(name, response):
    if response.status_code != 200:
        sys.exit(f"{name}: HTTP {response.status_code}: {response.content[:500]!r}")
    if name == "graphql" and b'"errors"' in response.content:
        sys.exit(f"graphql: errors: {response.content[:500]!r}")


def same_page(requests):
    g = requests["graphql"]().json()["data"]["reports"]
    j = requests["json"]().json()
    g_ids = [item["id"] for item in g["nodes"]]
    j_ids = [item["id"] for item in j["items"]]
    assert len(g_ids) == PAGE_SIZE, f"graphql returned {len(g_ids)} items"
    assert g_ids == j_ids, "GraphQL and JSON returned different ids or order"
    assert g["totalCount"] == j["total_count"], (g["totalCount"], j["total_count"])
    return g["totalCount"]


def queries_per_request(requests):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts = {}
    for name, call in requests.items():
        with CaptureQueriesContext(connection) as ctx:
            check(name, call())
        counts[name] = len(ctx.captured_queries)
    return counts


def measure(requests, seconds):
    samples = {name: [] for name in requests}
    for name, call in requests.items():
        for _ in range(WARMUP):
            check(name, call())
    order = list(requests)
    rounds = 0
    while min(sum(s) for s in samples.values()) < seconds:
        # alternate which path goes first, so neither always follows the other
        for name in order if rounds % 2 == 0 else reversed(order):
            call = requests[name]
            for _ in range(ROUND):
                t0 = time.perf_counter()
                response = call()
                samples[name].append(time.perf_counter() - t0)
                check(name, response)
        rounds += 1
    return samples


def profile(requests, n=200):
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(n):
        requests["graphql"]()
    profiler.disable()
    print(f"\n--- cProfile of {n} GraphQL requests (top 30 by cumulative time) ---")
    pstats.Stats(profiler).strip_dirs().sort_stats("cumulative").print_stats(30)
    print("--- top 20 by own time ---")
    pstats.Stats(profiler).strip_dirs().sort_stats("tottime").print_stats(20)


def p95(values):
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=10.0, help="timed seconds per path")
    parser.add_argument("--db", default=DB_NAME, help="PostgreSQL database name")
    parser.add_argument("--reports", type=int, default=SEED_TARGET, help="seed at least this many")
    parser.add_argument("--profile", action="store_true", help="also cProfile GraphQL requests")
    args = parser.parse_args(argv)

    ensure_database(args.db)
    setup_django(args.db)
    seed(args.reports)
    analyze()

    from django.test import Client

    client = Client()
    requests = make_requests(client)
    total = same_page(requests)
    print(f"same page: 50 ids in the same order on both paths (totalCount {total})")
    queries = queries_per_request(requests)
    print(f"measuring {args.seconds:g}s per path, rounds of {ROUND} alternating …", flush=True)
    samples = measure(requests, args.seconds)

    rows = {}
    for name, s in samples.items():
        rows[name] = {
            "n": len(s),
            "rps": len(s) / sum(s),
            "mean": statistics.fmean(s) * 1000,
            "p95": p95(s) * 1000,
            "queries": queries[name],
        }
    print()
    print(f"{'path':<10}{'requests':>10}{'req/s':>10}{'mean ms':>10}{'p95 ms':>10}{'SQL/req':>10}")
    for name, r in rows.items():
        print(
            f"{name:<10}{r['n']:>10}{r['rps']:>10.1f}{r['mean']:>10.2f}"
            f"{r['p95']:>10.2f}{r['queries']:>10}"
        )
    ratio = rows["graphql"]["mean"] / rows["json"]["mean"]
    verdict = "within" if ratio <= 2 else "OVER"
    print(
        f"\nGraphQL is {ratio:.2f}x the plain view's time per request; "
        f"target ≤ 2x ({verdict} target)"
    )
    if args.profile:
        profile(requests)
    return 0


if __name__ == "__main__":
    sys.exit(main())
