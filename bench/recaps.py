"""How long a kabupaten monthly recap takes to draft, and what exporting
100,000 reports to XLSX costs in time and memory, at a given number of
reports in PostgreSQL.

Run from the project root (PostgreSQL on 127.0.0.1:5432):

    .venv/bin/python -m bench.recaps --reports 100000
    .venv/bin/python -m bench.recaps --reports 1000000     # tops the same database up

The reports are loaded as bench/scale.py loads them (COPY, all states, 8
kecamatan, 3 years; see bench/README.md), into the database
`sikanda_bench_recaps` (`--db`). Then it prints:

- drafting: `documents.build()` of the regency recap (and of one kecamatan
  recap) of the busiest full month — the aggregates, the report list, the
  late reports, the follow-up section, the kecamatan tier — median of
  `--repeat` runs, with its SQL query count;
- export: `XlsxExporter.export()` (the plugin's streamed, write-only
  workbook) of the first `--rows` reports, timed once without and once under
  tracemalloc (peak of Python allocations), with the growth of the process's
  peak RSS and the file size.
"""

import argparse
import resource
import statistics
import sys
import time
import tracemalloc

from bench.scale import ensure_database, generate, people, prototypes, setup_django, templates

DEFAULT_DB = "sikanda_bench_recaps"


def busiest_month():
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from cms.recaps.periods import Period
    from cms.reports.models import Laporan

    months = (
        Laporan.objects.filter(live=True)
        .annotate(bulan=TruncMonth("waktu_kejadian"))
        .values("bulan").annotate(n=Count("pk")).order_by("-n")
    )
    # The current month is not over: take the busiest full one.
    current = Period.containing("bulanan", time_now())
    for row in months:
        period = Period.containing("bulanan", row["bulan"])
        if period != current:
            return period, row["n"]
    return current.previous(), 0


def time_now():
    from django.utils import timezone

    return timezone.now()


def draft(repeat):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cms.recaps import documents
    from cms.recaps.generation import ensure
    from cms.recaps.models import RekapKabupaten, RekapKecamatan
    from cms.reports.models import Kecamatan

    period, count = busiest_month()
    regency = ensure(RekapKabupaten, period)[0]
    paringin = ensure(RekapKecamatan, period, kecamatan=Kecamatan.objects.get(slug="paringin"))[0]
    print(f"drafting the monthly recaps of {period.label} ({count:,} verified reports)")
    for label, recap in (("kabupaten", regency), ("kecamatan Paringin", paringin)):
        times, queries, doc = [], 0, None
        for _ in range(repeat):
            with CaptureQueriesContext(connection) as captured:
                started = time.perf_counter()
                doc = documents.build(recap)
                times.append(time.perf_counter() - started)
            queries = len(captured)
        print(f"  {label:<20} median {statistics.median(times) * 1000:8.0f} ms   "
              f"max {max(times) * 1000:8.0f} ms   SQL {queries:3d}   "
              f"listed {len(doc['laporan']):,} reports")


def export(rows):
    from cms.reports.models import Laporan
    from plugins.export_xlsx.exporters import XlsxExporter

    last = Laporan.objects.order_by("pk").values_list("pk", flat=True)[rows - 1]
    reports = Laporan.objects.filter(pk__lte=last)
    exporter = XlsxExporter()
    print(f"\nexporting {reports.count():,} reports to XLSX (write-only workbook, "
          "rows read in chunks of 2,000)")
    rss_before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.perf_counter()
    data = exporter.export(reports)
    elapsed = time.perf_counter() - started
    rss_after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"  time {elapsed:8.1f} s   file {len(data) / 1e6:6.1f} MB   "
          f"peak RSS {rss_after / 1024:6.0f} MB (+{(rss_after - rss_before) / 1024:.0f} MB "
          "during the export)")
    del data
    tracemalloc.start()
    started = time.perf_counter()
    data = exporter.export(reports)
    traced = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(f"  under tracemalloc: time {traced:6.1f} s   peak Python allocations "
          f"{peak / 1e6:6.1f} MB (of which the finished file {len(data) / 1e6:.1f} MB)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=100_000, help="target number of reports")
    parser.add_argument("--rows", type=int, default=100_000, help="reports to export to XLSX")
    parser.add_argument("--repeat", type=int, default=5, help="drafts timed per recap")
    parser.add_argument("--db", default=DEFAULT_DB)
    parser.add_argument("--skip-export", action="store_true")
    args = parser.parse_args()

    ensure_database(args.db)
    setup_django(args.db)
    from django.db import connection

    from cms.platform.plugins import set_enabled
    from cms.reports.models import Laporan

    crew = people()
    have = Laporan.objects.count()
    if have < args.reports:
        print(f"reports: {have:,} present, generating {args.reports - have:,} …", flush=True)
        started = time.perf_counter()
        generate(args.reports - have, crew, templates(prototypes(crew)))
        print(f"  generated in {time.perf_counter() - started:,.0f} s")
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    set_enabled("export_xlsx", True)
    print(f"\n{Laporan.objects.count():,} reports in PostgreSQL "
          f"({connection.settings_dict['NAME']})\n")
    draft(args.repeat)
    if not args.skip_export:
        export(min(args.rows, Laporan.objects.count()))


if __name__ == "__main__":
    sys.exit(main())
