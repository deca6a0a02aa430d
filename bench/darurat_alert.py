"""DARURAT fast path: an officer submits a DARURAT report in a kecamatan without
a verifier → the alert push to the Pimpinan (and the routed notice to the
Administrators) reaching OneSignal.

Run from the project root:

    .venv/bin/python -m bench.darurat_alert [--reports 100]

Against the tests' fake OneSignal HTTP server in the bench process (timestamped
per request, as in bench/push_latency.py), with the in-process task backend
(the outbox task runs on commit of the submission). See bench/README.md.
"""

import argparse
import statistics
import sys
import time

from bench.push_latency import PG_URL, TimedFakeOneSignal, ensure_database, setup_django

DB_NAME = "sikanda_bench_darurat"
WARMUP = 3
WAIT_SECONDS = 15
USERS = {"officer": "bench_darurat_petugas", "admin": "bench_darurat_admin",
         "pimpinan": "bench_darurat_pimpinan"}
KECAMATAN = "halong"


def accounts():
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms.accounts import roles
    from cms.reports.assignments import FILE_REPORT, VERIFY_REPORT, assign, set_assigned_users
    from cms.reports.models import Kecamatan

    kecamatan = Kecamatan.objects.get(slug=KECAMATAN)
    # The gap the issue describes: nobody verifies this kecamatan.
    set_assigned_users(kecamatan, VERIFY_REPORT, [])
    made = {}
    for key, role in (("officer", roles.PETUGAS), ("admin", roles.ADMINISTRATOR),
                      ("pimpinan", roles.PIMPINAN)):
        made[key], _ = get_user_model().objects.get_or_create(
            username=USERS[key], defaults={"first_name": key.title()}
        )
        made[key].groups.add(Group.objects.get(name=role))
    assign(made["officer"], FILE_REPORT, kecamatan)
    # Only these accounts hold the roles that are alerted, so every push is ours.
    for role, key in ((roles.ADMINISTRATOR, "admin"), (roles.PIMPINAN, "pimpinan")):
        others = get_user_model().objects.filter(groups__name=role).exclude(pk=made[key].pk)
        for other in others:
            other.groups.remove(Group.objects.get(name=role))
    get_user_model().objects.filter(is_superuser=True).update(is_active=False)
    return made


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=100)
    parser.add_argument("--db", default=DB_NAME)
    args = parser.parse_args()

    ensure_database(args.db)
    with TimedFakeOneSignal(app_id="bench-app-id", api_key="bench-rest-api-key") as fake:
        setup_django(args.db, fake, backend=None, migrate=True)
        from django.db import transaction

        from cms.notifications.models import Pengiriman
        from cms.platform.plugins import is_enabled, set_enabled
        from cms.reports import services
        from tests.reports.reports_factories import report_fields

        Pengiriman.objects.filter(
            status__in=[Pengiriman.Status.PENDING, Pengiriman.Status.SENDING]
        ).update(status=Pengiriman.Status.FAILED, galat_terakhir="bench: earlier run")
        if is_enabled("sample_plugin"):
            set_enabled("sample_plugin", False)
        set_enabled("onesignal_push", True)
        people = accounts()
        pimpinan, admin = (str(people["pimpinan"].pk),), (str(people["admin"].pk),)

        print(f"{args.reports} DARURAT submissions in Kec. {KECAMATAN} (no verifier) …",
              flush=True)
        to_pimpinan, to_admin, submit_ms, missing, duplicates = [], [], [], 0, 0
        for i in range(WARMUP + args.reports):
            t0 = time.perf_counter()
            with transaction.atomic():
                laporan = services.create_report(
                    people["officer"], submit=True,
                    **report_fields(kec=KECAMATAN, judul=f"Bench darurat {i}", urgensi="darurat"),
                )
            t1 = time.perf_counter()
            arrivals = fake.wait_for(laporan.pk, 2, WAIT_SECONDS)
            if i < WARMUP:
                continue
            by_recipients = {}
            for arrival, recipients, _key in arrivals:
                by_recipients.setdefault(recipients, []).append(arrival)
            duplicates += sum(len(times) - 1 for times in by_recipients.values())
            if pimpinan not in by_recipients or admin not in by_recipients:
                missing += 1
                continue
            to_pimpinan.append((by_recipients[pimpinan][0] - t0) * 1000)
            to_admin.append((by_recipients[admin][0] - t0) * 1000)
            submit_ms.append((t1 - t0) * 1000)

        def line(label, values):
            return (f"  {label:<34} median {statistics.median(values):7.1f} ms   "
                    f"p95 {percentile(values, 0.95):7.1f} ms   max {max(values):7.1f} ms")

        print(f"database: {PG_URL}/{args.db}; pushes at the fake: {fake.pushes}")
        print(f"submissions timed: {args.reports}; alerts missing: {missing}; "
              f"duplicate pushes: {duplicates}")
        if to_pimpinan:
            print(line("submission → Pimpinan alert push", to_pimpinan))
            print(line("submission → Administrator push", to_admin))
            print(line("submission call (incl. sending)", submit_ms))
        return 1 if missing or duplicates else 0


if __name__ == "__main__":
    sys.exit(main())
