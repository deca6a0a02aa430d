"""The compliance board with many reports: server time and SQL count of the
board (week, month, weeks of a month, year) and of the reminder sweep.

    .venv/bin/python -m bench.compliance_board [--reports 100000] [--rounds 20]

Uses (or creates) the PostgreSQL database `sikanda_bench_compliance` (`--db`),
migrates it, tops it up to `--reports` verified reports spread over a year
(bench.graphql_vs_json's seeder) and files a laporan nihil for every second
quiet kecamatan-day of that year, then measures in-process. The board is
aggregated in SQL, so its query count must not move with the data."""

import argparse
import datetime
import statistics
import time

from bench.graphql_vs_json import analyze, ensure_database, seed, setup_django


def seed_nihil():
    from django.utils import timezone

    from cms.compliance import board
    from cms.compliance.models import LaporanNihil
    from cms.reports.models import Kecamatan

    if LaporanNihil.objects.exists():
        return
    today = timezone.localdate()
    first = today - datetime.timedelta(days=365)
    ids = list(Kecamatan.objects.values_list("pk", flat=True))
    reported = board.daily_counts(ids, first, today)
    rows = [
        LaporanNihil(kecamatan_id=pk, tanggal=first + datetime.timedelta(days=n))
        for n in range(366) for pk in ids
        if (pk, first + datetime.timedelta(days=n)) not in reported and (n + pk) % 2
    ]
    LaporanNihil.objects.bulk_create(rows, batch_size=5000)
    print(f"nihil: {len(rows)} filed")


def measure(label, call, rounds):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call()  # warm up
    times = []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as queries:
            t0 = time.perf_counter()
            call()
            times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    p95 = times[min(len(times) - 1, int(len(times) * 0.95))]
    print(f"{label:<34} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
          f"{len(queries)} SQL")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="sikanda_bench_compliance")
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--rounds", type=int, default=20)
    args = parser.parse_args()
    ensure_database(args.db)
    setup_django(args.db)
    seed(args.reports)
    seed_nihil()
    analyze()

    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.test import Client
    from django.utils import timezone

    from cms.accounts import roles
    from cms.compliance import reminders
    from cms.reports.models import Laporan

    User = get_user_model()
    admin, created = User.objects.get_or_create(username="bench.admin")
    if created:
        admin.groups.add(Group.objects.get(name=roles.ADMINISTRATOR))
    print(f"reports: {Laporan.objects.count()}")
    client = Client()
    client.force_login(admin)
    url = "/admin/kepatuhan-pelaporan/"
    today = timezone.localdate().isoformat()
    for label, params in (
        ("board: a week of days", {"tanggal": today}),
        ("board: a month of days", {"rentang": "bulan", "tanggal": today}),
        ("board: the weeks of a month", {"tampilan": "mingguan", "tanggal": today}),
        ("board: a year of months", {"tampilan": "bulanan", "tanggal": today}),
    ):
        def get(params=params):
            response = client.get(url, params)
            assert response.status_code == 200, response.status_code
        measure(label, get, args.rounds)
    from cms.compliance import board

    today_date = timezone.localdate()
    for tampilan, rentang in (("harian", "minggu"), ("harian", "bulan"), ("bulanan", "minggu")):
        measure(f"build(): {tampilan}/{rentang}",
                lambda t=tampilan, r=rentang: board.build(admin, t, r, today_date, today_date),
                args.rounds)
    # `due` only: what the sweep reads before it sends anything.
    measure("reminders: what is due today", lambda: reminders.due(), args.rounds)


if __name__ == "__main__":
    main()
