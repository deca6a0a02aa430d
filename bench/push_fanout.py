"""Push at scale: a publication to 100,000 followers, with a slow OneSignal.

Run from the project root:

    .venv/bin/python -m bench.push_fanout [--guests 100000] [--workers 4] [--rounds 2]

The production shape: django_tasks_db's DatabaseBackend and `--workers`
`manage.py db_worker` processes, against a fake OneSignal HTTP server on
127.0.0.1 that answers every request after `--provider-seconds` (1 s). Each
round a verifier approves a public report of Paringin, which every guest
follows; while that broadcast goes out, another report (terbatas, so no
broadcast) is approved every second, and the reporter's and the Pimpinan's
pushes of each are timed. Prints approval → last push of the broadcast,
the spread of the followers' pushes, and the personal pushes' latency, and
exits 1 unless every follower was reached exactly once. See bench/README.md.
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

from bench.push_latency import (
    API_KEY,
    APP_ID,
    WORKER_BACKEND,
    TimedFakeOneSignal,
    ensure_database,
    setup_django,
    user,
)

DB_NAME = "sikanda_bench_fanout"
ROOT = Path(__file__).resolve().parent.parent
GUEST_PREFIX = "bench.warga."
BATCH = 5000


def p95(values):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(0.95 * (len(values) - 1))))] if values else 0


def ms(seconds):
    return f"{seconds * 1000:,.0f} ms"


# -- data ---------------------------------------------------------------------------


def followers(count):
    """`count` active guests following Paringin (bulk, with progress)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms.accounts import roles
    from cms.notifications.models import Langganan
    from tests import factories

    User = get_user_model()
    have = User.objects.filter(username__startswith=GUEST_PREFIX).count()
    if have >= count:
        print(f"{have:,} guests already follow Paringin")
        return have
    group = Group.objects.get(name=roles.PENGGUNA)
    paringin = factories.kecamatan("paringin")
    t0 = time.perf_counter()
    for start in range(have, count, BATCH):
        people = User.objects.bulk_create(
            User(username=f"{GUEST_PREFIX}{n}", password="!")
            for n in range(start, min(start + BATCH, count))
        )
        User.groups.through.objects.bulk_create(
            User.groups.through(user_id=p.pk, group_id=group.pk) for p in people
        )
        Langganan.objects.bulk_create(Langganan(pengguna=p, kecamatan=paringin) for p in people)
        done = start + len(people)
        print(f"  guests {done:,}/{count:,} ({time.perf_counter() - t0:.1f}s)", flush=True)
    return count


def others_follow_nothing():
    """Only the bench's guests follow Paringin (a re-run with fewer guests
    drops the extra ones' subscriptions)."""
    from cms.notifications.models import Langganan

    Langganan.objects.exclude(pengguna__username__startswith=GUEST_PREFIX).delete()


def submitted(officer, judul, klasifikasi):
    from cms.reports import services
    from tests.reports.reports_factories import report_fields

    return services.create_report(
        officer, submit=True, **report_fields(judul=judul, urgensi="tinggi",
                                              klasifikasi=klasifikasi)
    )


def approve(laporan, verifier):
    from django.db import transaction

    from cms.reports import services

    t0 = time.perf_counter()
    with transaction.atomic():
        services.act(laporan, verifier, "approve", keandalan_sumber="B",
                     kredibilitas_informasi="2")
    return t0, time.perf_counter()


def queue_left():
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().count() + DBTaskResult.objects.running().count()


def drain(workers, timeout=600):
    deadline = time.monotonic() + timeout
    while queue_left():
        if any(proc.poll() is not None for proc in workers):
            sys.exit("a db_worker exited while the queue was being drained")
        if time.monotonic() > deadline:
            sys.exit(f"the workers did not drain the queue in {timeout}s")
        time.sleep(0.2)


# -- one round ------------------------------------------------------------------------


class EventFake(TimedFakeOneSignal):
    """Also keeps each push's event, to tell the broadcast's pushes from the
    reporter's, the Pimpinan's and the verifier's (on submission)."""

    def pushes(self, laporan_id, event):
        return [(t, r) for t, r, key in self.arrivals[laporan_id]
                if self.event_of.get(key) == event]

    @property
    def event_of(self):
        with self.lock:
            return {payload["idempotency_key"]: (payload.get("data") or {}).get("event")
                    for _, payload in self.created}


def round_(fake, workers, people, officer, verifier, tag, personal_every, timeout):
    broadcast = submitted(officer, f"Banjir di Paringin {tag}", "publik")
    personal = [submitted(officer, f"Laporan terbatas {tag} {n}", "terbatas")
                for n in range(60)]
    drain(workers)  # the verifier's pushes of these submissions go out first
    officer_id = str(officer.pk)

    t0, committed = approve(broadcast, verifier)
    timed = []  # (laporan, t0)
    used = 0
    deadline = time.perf_counter() + timeout
    while True:
        reached = sum(len(r) for _, r in fake.pushes(broadcast.pk, "report.published"))
        if reached >= people or time.perf_counter() > deadline:
            break
        if used < len(personal) and time.perf_counter() - t0 >= used * personal_every:
            timed.append((personal[used], approve(personal[used], verifier)[0]))
            used += 1
        time.sleep(0.02)
    for laporan, _ in timed:  # their pushes may still be on the way (+1 on submission)
        fake.wait_for(laporan.pk, 3, 15)

    own = [t for t, _ in fake.pushes(broadcast.pk, "report.verified")]
    crowd = fake.pushes(broadcast.pk, "report.published")
    ids = Counter(i for _, r in crowd for i in r)
    personal_latency = {"reporter": [], "pimpinan": []}
    for laporan, start in timed:
        for t, recipients in fake.pushes(laporan.pk, "report.verified"):
            who = "reporter" if officer_id in recipients else "pimpinan"
            personal_latency[who].append(t - start)
    return {
        "approval": committed - t0,
        "first": min(t for t, _ in crowd) - t0 if crowd else None,
        "last": max(t for t, _ in crowd) - t0 if crowd else None,
        "per_recipient": [t - t0 for t, r in crowd for _ in r],
        "requests": len(crowd),
        "reached": len(ids),
        "duplicates": sum(n - 1 for n in ids.values() if n > 1),
        "own": [t - t0 for t in own],
        "personal": personal_latency,
        "personal_count": len(timed),
    }


def start_workers(count):
    log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (kept open for the workers)
        "w+", prefix="bench-fanout-workers-", suffix=".log", delete=False
    )
    command = [sys.executable, "manage.py", "db_worker", "--interval", "0.05",
               "--no-startup-delay", "--no-reload", "--verbosity", "0"]
    procs = [subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=log,
                              stderr=subprocess.STDOUT) for _ in range(count)]
    return procs, log


def stop_workers(procs, log):
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
    log.seek(0)
    tail = log.read()[-1500:].strip()
    if tail:
        print(f"--- db_worker log (tail) ---\n{tail}\n---")
    log.close()
    os.unlink(log.name)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--guests", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--provider-seconds", type=float, default=1.0,
                        help="how long the fake OneSignal takes to answer each request")
    parser.add_argument("--personal-every", type=float, default=1.0,
                        help="seconds between the personal approvals during a broadcast")
    parser.add_argument("--timeout", type=float, default=300.0)
    parser.add_argument("--db", default=DB_NAME)
    args = parser.parse_args(argv)

    ensure_database(args.db)
    with EventFake(app_id=APP_ID, api_key=API_KEY) as fake:
        fake.default = fake.hang(args.provider_seconds)
        setup_django(args.db, fake, backend=WORKER_BACKEND, migrate=True)
        os.environ["ONESIGNAL_TIMEOUT_SECONDS"] = str(args.provider_seconds + 9)
        from django_tasks_db.models import DBTaskResult

        from cms.accounts import roles
        from cms.platform.plugins import is_enabled, set_enabled
        from cms.reports.assignments import FILE_REPORT, VERIFY_REPORT

        DBTaskResult.objects.ready().delete()
        officer = user("officer", roles.PETUGAS, FILE_REPORT)
        verifier = user("verifier", roles.VERIFIKATOR, VERIFY_REPORT)
        user("pimpinan", roles.PIMPINAN)
        people = followers(args.guests)
        others_follow_nothing()
        if is_enabled("sample_plugin"):
            set_enabled("sample_plugin", False)
        set_enabled("onesignal_push", True)

        procs, log = start_workers(args.workers)
        print(f"{args.workers} db_worker processes; fake OneSignal answers after "
              f"{args.provider_seconds:g} s", flush=True)
        results = []
        try:
            drain(procs)
            for n in range(1, args.rounds + 1):
                tag = f"{int(time.time())}-{n}"
                # Reports to approve are created while the workers idle, then
                # the queue is drained so each round starts from an empty one.
                result = round_(fake, procs, people, officer, verifier, tag,
                                args.personal_every, args.timeout)
                drain(procs)
                results.append(result)
                print(f"round {n}: approval {ms(result['approval'])}, broadcast to "
                      f"{result['reached']:,} in {result['requests']} requests, last push after "
                      f"{ms(result['last'] or 0)}", flush=True)
        finally:
            stop_workers(procs, log)

    ok = report(results, people)
    sys.exit(0 if ok else 1)


def report(results, people):
    print("\n== broadcast: approval → pushes ==")
    print(f"{'round':>5} {'approval':>10} {'first push':>11} {'last push':>10} "
          f"{'recipient p50':>14} {'recipient p95':>14} {'reached':>9} {'dupl.':>6}")
    ok = True
    for n, r in enumerate(results, 1):
        per = r["per_recipient"]
        print(f"{n:>5} {ms(r['approval']):>10} {ms(r['first'] or 0):>11} "
              f"{ms(r['last'] or 0):>10} {ms(statistics.median(per) if per else 0):>14} "
              f"{ms(p95(per)):>14} {r['reached']:>9,} {r['duplicates']:>6}")
        ok = ok and r["reached"] == people and r["duplicates"] == 0
    lasts = [r["last"] for r in results if r["last"] is not None]
    if lasts:
        print(f"approval → last push: median {ms(statistics.median(lasts))}, "
              f"p95 {ms(p95(lasts))} over {len(lasts)} broadcasts of {people:,} recipients")
    print("\n== reporter and Pimpinan while a broadcast goes out ==")
    for who in ("reporter", "pimpinan"):
        values = [v for r in results for v in r["personal"][who]]
        if values:
            print(f"{who:>9}: {len(values)} pushes, median {ms(statistics.median(values))}, "
                  f"p95 {ms(p95(values))}, max {ms(max(values))}")
        expected = sum(r["personal_count"] for r in results)
        if len(values) != expected:
            print(f"  {who}: {len(values)} pushes for {expected} approvals")
            ok = False
    own = [v for r in results for v in r["own"]]
    if own:
        print(f"the broadcast report's own reporter/Pimpinan pushes: median "
              f"{ms(statistics.median(own))}, max {ms(max(own))}")
    print("\nevery follower reached exactly once: " + ("yes" if ok else "NO"))
    return ok


if __name__ == "__main__":
    main()
