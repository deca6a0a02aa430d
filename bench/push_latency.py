"""Push latency: a verifier's approval → the push request reaching OneSignal.

Run from the project root:

    .venv/bin/python -m bench.push_latency [--approvals 200] [--mode both]

Two shapes of delivery, each against a fake OneSignal HTTP server running in
the bench process (tests/plugins/fake_onesignal.py, timestamped per request):

- in-process: the default ImmediateBackend; the outbox task runs on commit of
  the approval, in the same process;
- worker: the production shape; django_tasks_db's DatabaseBackend and a
  `manage.py db_worker` subprocess that sends to the fake over loopback. The
  task backend is read when Django starts, so this mode runs in a child
  process (the script re-invokes itself with `--mode worker`).

See bench/README.md.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from pathlib import Path

from tests.plugins.fake_onesignal import FakeOneSignal

DB_NAME = "sikanda_bench_push"
PG_URL = "postgres://postgres@127.0.0.1:5432"
ROOT = Path(__file__).resolve().parent.parent
APP_ID = "bench-app-id"
API_KEY = "bench-rest-api-key"
WORKER_BACKEND = "django_tasks_db.backend.DatabaseBackend"
WORKER_INTERVAL = "0.05"
WARMUP = 3  # untimed approvals first (imports, connections, the worker's first poll)
PROGRESS_EVERY = 50
WAIT_SECONDS = 15  # per approval, for its pushes to arrive
WARMUP_WAIT_SECONDS = 60
USERS = {"officer": "bench_push_petugas", "verifier": "bench_push_verifikator",
         "pimpinan": "bench_push_pimpinan"}


# -- the fake, timestamped -----------------------------------------------------------


class TimedFakeOneSignal(FakeOneSignal):
    """The tests' fake, plus the arrival time (time.perf_counter(), taken in
    the server thread once the request line and headers are read) of every
    request, grouped by the `data.laporan_id` of its payload."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.local = threading.local()
        self.arrived = threading.Condition()
        # laporan id -> [(arrival, recipients tuple, idempotency key)]
        self.arrivals = defaultdict(list)

    def _handle(self, handler):
        self.local.t = time.perf_counter()
        super()._handle(handler)

    def _create(self, payload):
        notification_id = super()._create(payload)
        laporan_id = (payload.get("data") or {}).get("laporan_id")
        recipients = tuple(sorted(payload["include_aliases"]["external_id"]))
        with self.arrived:
            self.arrivals[laporan_id].append(
                (self.local.t, recipients, payload["idempotency_key"])
            )
            self.arrived.notify_all()
        return notification_id

    def wait_for(self, laporan_id, count, timeout):
        with self.arrived:
            self.arrived.wait_for(lambda: len(self.arrivals[laporan_id]) >= count, timeout)
            return list(self.arrivals[laporan_id])


# -- setup ---------------------------------------------------------------------------


def ensure_database(name):
    import psycopg

    with psycopg.connect(f"{PG_URL}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if exists:
            print(f"database {name}: reusing")
        else:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"database {name}: created")


def setup_django(db_name, fake, backend, migrate):
    """Everything the settings read must be in the environment before
    django.setup(); the worker subprocess inherits the same environment."""
    os.environ["DATABASE_URL"] = f"{PG_URL}/{db_name}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "cms.settings.test"
    if backend:
        os.environ["SIKANDA_TASK_BACKEND"] = backend
    else:
        os.environ.pop("SIKANDA_TASK_BACKEND", None)
    os.environ["ONESIGNAL_API_URL"] = fake.url
    os.environ["ONESIGNAL_APP_ID"] = fake.app_id
    os.environ["ONESIGNAL_REST_API_KEY"] = fake.api_key
    os.environ["ONESIGNAL_TIMEOUT_SECONDS"] = "5"
    import django

    django.setup()
    from django.conf import settings

    print(f"task backend: {settings.TASKS['default']['BACKEND']}", flush=True)
    if migrate:
        from django.core.management import call_command

        print("migrate …", flush=True)
        call_command("migrate", interactive=False, verbosity=0)


def user(key, role, perm=None):
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from cms.reports.assignments import assign
    from tests import factories

    account, _ = get_user_model().objects.get_or_create(
        username=USERS[key], defaults={"first_name": key.title(), "is_active": True}
    )
    account.groups.add(Group.objects.get(name=role))
    if perm:
        assign(account, perm, factories.kecamatan("paringin"))
    return account


def clean_leftovers():
    """A run that was interrupted may leave deliveries due and tasks queued;
    they would send (to this run's fake) and be miscounted."""
    from django_tasks_db.models import DBTaskResult

    from cms.notifications.models import Pengiriman

    stale = Pengiriman.objects.filter(
        status__in=[Pengiriman.Status.PENDING, Pengiriman.Status.SENDING]
    ).update(status=Pengiriman.Status.FAILED, galat_terakhir="bench: left by an earlier run")
    queued = DBTaskResult.objects.ready().delete()[0]
    if stale or queued:
        print(f"cleaned leftovers: {stale} deliveries, {queued} queued tasks")


def users():
    from cms.accounts import roles
    from cms.reports.assignments import FILE_REPORT, VERIFY_REPORT

    return (user("officer", roles.PETUGAS, FILE_REPORT),
            user("verifier", roles.VERIFIKATOR, VERIFY_REPORT),
            user("pimpinan", roles.PIMPINAN))


def title(tag, mode):
    return f"Uji latensi push {tag} {mode} "


def create_reports(officer, groups):
    """Submitted `darurat` reports, n per title prefix in `groups`. The plugin
    is off while they are submitted (no pushes to the verifier, no outbox
    rows), and switched on afterwards."""
    from cms.platform.plugins import is_enabled, set_enabled
    from cms.reports import services
    from tests.reports.reports_factories import report_fields

    if is_enabled("sample_plugin"):
        set_enabled("sample_plugin", False)
    set_enabled("onesignal_push", False)
    total = sum(groups.values())
    print(f"creating and submitting {total} reports …", flush=True)
    t0 = time.perf_counter()
    created = {prefix: [] for prefix in groups}
    done = 0
    for prefix, n in groups.items():
        for i in range(1, n + 1):
            created[prefix].append(
                services.create_report(
                    officer, submit=True, **report_fields(judul=f"{prefix}{i}", urgensi="darurat")
                )
            )
            done += 1
            if done % PROGRESS_EVERY == 0 or done == total:
                print(f"  {done}/{total} ({time.perf_counter() - t0:.1f}s)", flush=True)
    set_enabled("onesignal_push", True)
    return created


def created_earlier(prefix, n):
    from cms.reports.models import Laporan

    reports = list(Laporan.objects.filter(judul__startswith=prefix).order_by("pk"))
    if len(reports) != n:
        sys.exit(f"expected {n} reports titled {prefix!r}…, found {len(reports)}")
    return reports


# -- measuring -----------------------------------------------------------------------


def approve(fake, laporan, verifier, wait):
    """Approve one report; return (t0, t_after_commit, expected, arrivals)."""
    from django.db import transaction

    from cms.notifications.models import Pengiriman
    from cms.reports import services

    t0 = time.perf_counter()
    with transaction.atomic():
        services.act(laporan, verifier, "approve", keandalan_sumber="B",
                     kredibilitas_informasi="2")
    committed = time.perf_counter()
    expected = Pengiriman.objects.filter(laporan_id=laporan.pk, kanal="onesignal").count()
    return t0, committed, expected, fake.wait_for(laporan.pk, expected, wait)


def run(fake, reports, mode):
    officer, verifier, pimpinan = users()
    approvals = len(reports) - WARMUP
    warmup, timed = reports[:WARMUP], reports[WARMUP:]
    for laporan in warmup:
        _, _, expected, got = approve(fake, laporan, verifier, WARMUP_WAIT_SECONDS)
        if len(got) < expected:
            sys.exit(f"warm-up: {len(got)}/{expected} pushes for report {laporan.pk} "
                     f"within {WARMUP_WAIT_SECONDS}s; is the worker running?")
    print(f"warm-up: {WARMUP} approvals delivered; timing {approvals} …", flush=True)
    from django.utils import timezone

    since = timezone.now()
    first, reporter, chief, commit, problems = [], [], [], [], []
    expected_total = received = 0
    t_start = time.perf_counter()
    for i, laporan in enumerate(timed, 1):
        t0, committed, expected, got = approve(fake, laporan, verifier, WAIT_SECONDS)
        commit.append(committed - t0)
        expected_total += expected
        received += len(got)
        if len(got) < expected:
            problems.append(f"report {laporan.pk}: {len(got)}/{expected} pushes "
                            f"within {WAIT_SECONDS}s")
        if got:
            first.append(min(t for t, *_ in got) - t0)
        for t, recipients, _key in got:
            if recipients == (str(officer.pk),):
                reporter.append(t - t0)
            if str(pimpinan.pk) in recipients:
                chief.append(t - t0)
        if i % PROGRESS_EVERY == 0 or i == approvals:
            print(f"  {i}/{approvals} approvals ({time.perf_counter() - t_start:.1f}s)",
                  flush=True)
    time.sleep(0.5)  # let any late duplicate arrive before counting
    problems += duplicates(fake, [r.pk for r in reports], officer, pimpinan)
    return {
        "mode": mode, "approvals": approvals, "expected": expected_total,
        "received": received, "first": first, "reporter": reporter, "pimpinan": chief,
        "commit": commit, "requests": len(fake.requests), "pushes": fake.pushes,
        "problems": problems, "since": since, "queue": [],
    }


def duplicates(fake, laporan_ids, officer, pimpinan):
    """Exactly one push per recipient set per approval: the reporter's and
    the Pimpinan's, each once, and no request the fake had to deduplicate."""
    problems = []
    with fake.arrived:
        arrivals = {pk: list(v) for pk, v in fake.arrivals.items()}
    unexpected = set(arrivals) - set(laporan_ids)
    if unexpected:
        problems.append(f"pushes for reports outside this run: {sorted(unexpected)[:10]}")
    for pk in laporan_ids:
        sets = [recipients for _, recipients, _ in arrivals.get(pk, [])]
        if len(sets) != len(set(sets)):
            problems.append(f"report {pk}: duplicate push to the same recipients: {sets}")
        if (str(officer.pk),) not in sets:
            problems.append(f"report {pk}: no push to the reporter")
        if not any(str(pimpinan.pk) in s for s in sets):
            problems.append(f"report {pk}: no push to the Pimpinan")
    if len(fake.requests) != fake.pushes:
        problems.append(f"fake got {len(fake.requests)} requests for {fake.pushes} pushes "
                        "(retries or repeated idempotency keys)")
    if fake.pushes != sum(len(v) for v in arrivals.values()):
        problems.append("fake's push count and the timestamped arrivals disagree")
    return problems


# -- the two modes ---------------------------------------------------------------------


def in_process(args, tag):
    """Mode 1. With --mode both it also creates the worker mode's reports, so
    the child does not create them while its worker competes for the CPU."""
    n = args.approvals + WARMUP
    with TimedFakeOneSignal(app_id=APP_ID, api_key=API_KEY) as fake:
        print(f"fake OneSignal at {fake.url}")
        setup_django(args.db, fake, backend=None, migrate=not args.no_migrate)
        clean_leftovers()
        officer, _, _ = users()
        groups = {title(tag, "in-process"): n}
        if args.mode == "both":
            groups[title(tag, "worker")] = n
        reports = create_reports(officer, groups)[title(tag, "in-process")]
        result = run(fake, reports, "in-process")
        del result["since"]
        return result


def drain(proc, timeout=300):
    """Wait until the worker has run every queued task (Wagtail's index
    updates of the report creation, when they were queued here)."""
    from django_tasks_db.models import DBTaskResult

    t0 = time.perf_counter()
    last = 0.0
    while True:
        left = DBTaskResult.objects.ready().count() + DBTaskResult.objects.running().count()
        if not left:
            return
        if proc.poll() is not None:
            sys.exit(f"db_worker exited ({proc.returncode}) with {left} tasks queued")
        if time.perf_counter() - t0 > timeout:
            sys.exit(f"db_worker did not drain the queue in {timeout}s ({left} left)")
        if time.perf_counter() - last > 5:
            print(f"  worker: {left} queued tasks to drain …", flush=True)
            last = time.perf_counter()
        time.sleep(0.2)


def queue_summary(since, approvals):
    """What the worker ran during the timed approvals, from the task table."""
    from django.db.models import Count, F
    from django_tasks_db.models import DBTaskResult

    rows = (
        DBTaskResult.objects.filter(enqueued_at__gte=since)
        .values("task_path")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    lines = []
    for row in rows:
        durations = DBTaskResult.objects.filter(
            enqueued_at__gte=since, task_path=row["task_path"], finished_at__isnull=False
        ).values_list(F("started_at") - F("enqueued_at"), F("finished_at") - F("started_at"))
        waits = [w.total_seconds() * 1000 for w, _ in durations]
        runs = [r.total_seconds() * 1000 for _, r in durations]
        lines.append(
            f"{row['task_path']:<48}{row['n'] / approvals:>8.1f}"
            f"{statistics.median(waits) if waits else float('nan'):>12.1f}"
            f"{statistics.median(runs) if runs else float('nan'):>12.1f}"
        )
    return lines


def worker(args):
    """Mode 2, in its own process (the task backend is read by django.setup())."""
    n = args.approvals + WARMUP
    with TimedFakeOneSignal(app_id=APP_ID, api_key=API_KEY) as fake:
        print(f"fake OneSignal at {fake.url}")
        setup_django(args.db, fake, backend=WORKER_BACKEND, migrate=not args.no_migrate)
        if args.tag:  # created by the parent (--mode both)
            reports = created_earlier(title(args.tag, "worker"), n)
            print(f"{n} submitted reports created by the parent process")
        else:
            clean_leftovers()
            officer, _, _ = users()
            tag = str(int(time.time()))
            reports = create_reports(officer, {title(tag, "worker"): n})[title(tag, "worker")]
        log = tempfile.NamedTemporaryFile(  # noqa: SIM115 (kept open for the worker)
            "w+", prefix="bench-db-worker-", suffix=".log", delete=False
        )
        command = [sys.executable, "manage.py", "db_worker", "--interval", WORKER_INTERVAL,
                   "--no-startup-delay", "--no-reload", "--verbosity", "0"]
        print(f"starting {' '.join(command[1:])} (log {log.name})", flush=True)
        proc = subprocess.Popen(command, cwd=ROOT, env=os.environ.copy(), stdout=log,
                                stderr=subprocess.STDOUT)
        try:
            drain(proc)
            result = run(fake, reports, "worker")
            if proc.poll() is not None:
                result["problems"].append(f"db_worker exited early ({proc.returncode})")
            result["queue"] = queue_summary(result.pop("since"), args.approvals)
            return result
        finally:
            if proc.poll() is None:
                proc.terminate()
                try:
                    proc.wait(timeout=15)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
            print(f"db_worker (pid {proc.pid}) stopped, exit code {proc.returncode}")
            log.seek(0)
            tail = log.read()[-2000:].strip()
            if tail:
                print(f"--- db_worker log (tail) ---\n{tail}\n---")
            log.close()
            os.unlink(log.name)


def worker_in_child(args, tag):
    """Mode 2 needs its task backend set before django.setup(): a new process."""
    with tempfile.TemporaryDirectory(prefix="bench-push-") as tmp:
        result_file = Path(tmp) / "result.json"
        command = [sys.executable, "-m", "bench.push_latency", "--mode", "worker",
                   "--approvals", str(args.approvals), "--db", args.db, "--no-migrate",
                   "--tag", tag, "--result-file", str(result_file)]
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("ONESIGNAL_", "SIKANDA_TASK"))}
        code = subprocess.call(command, cwd=ROOT, env=env)
        if code != 0 or not result_file.exists():
            sys.exit(f"worker mode failed (exit code {code})")
        return json.loads(result_file.read_text())


# -- reporting -------------------------------------------------------------------------


def p95(values):
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def stats(values):
    ms = [v * 1000 for v in values]
    if len(ms) < 2:
        return (ms[0],) * 3 if ms else (float("nan"),) * 3
    return statistics.median(ms), p95(ms), max(ms)


def report(results):
    print()
    print("approval committed → first push request received by the fake OneSignal")
    header = (f"{'mode':<12}{'approvals':>10}{'pushes':>10}{'median ms':>11}{'p95 ms':>10}"
              f"{'max ms':>10}")
    print(header)
    for r in results:
        median, high, top = stats(r["first"])
        pushes = f"{r['received']}/{r['expected']}"
        print(f"{r['mode']:<12}{r['approvals']:>10}{pushes:>10}{median:>11.1f}{high:>10.1f}"
              f"{top:>10.1f}")
    print()
    print("by recipient, and the approval call itself (t0 → end of the atomic block)")
    print(f"{'mode':<12}{'measure':<22}{'n':>6}{'median ms':>11}{'p95 ms':>10}{'max ms':>10}")
    for r in results:
        for name, key in (("push to reporter", "reporter"), ("push to Pimpinan", "pimpinan"),
                          ("approval committed", "commit")):
            median, high, top = stats(r[key])
            print(f"{r['mode']:<12}{name:<22}{len(r[key]):>6}{median:>11.1f}{high:>10.1f}"
                  f"{top:>10.1f}")
    for r in results:
        if r["queue"]:
            print()
            print(f"{r['mode']}: tasks the worker ran during the timed approvals")
            print(f"{'task':<48}{'per appr':>8}{'wait ms':>12}{'run ms':>12}  (medians)")
            for line in r["queue"]:
                print(line)
    print()
    failed = False
    for r in results:
        if r["problems"]:
            failed = True
            print(f"{r['mode']}: {len(r['problems'])} problem(s):")
            for problem in r["problems"][:20]:
                print(f"  - {problem}")
        else:
            print(f"{r['mode']}: exactly one push per recipient set per approval "
                  f"({r['pushes']} pushes from {r['requests']} requests, "
                  f"incl. {WARMUP} warm-up approvals; no duplicates)")
    return 1 if failed else 0


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--approvals", type=int, default=200, help="timed approvals per mode")
    parser.add_argument("--mode", choices=["both", "in-process", "worker"], default="both")
    parser.add_argument("--db", default=DB_NAME, help="PostgreSQL database name")
    parser.add_argument("--no-migrate", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--result-file", help=argparse.SUPPRESS)
    parser.add_argument("--tag", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    t0 = time.perf_counter()

    if args.mode == "worker" and args.result_file:  # the child of --mode both
        result = worker(args)
        Path(args.result_file).write_text(json.dumps(result))
        return 0

    ensure_database(args.db)
    tag = str(int(time.time()))
    results = []
    if args.mode in ("both", "in-process"):
        print("\n== mode in-process (ImmediateBackend) ==", flush=True)
        results.append(in_process(args, tag))
    if args.mode == "both":
        print("\n== mode worker (DatabaseBackend + db_worker), in a child process ==",
              flush=True)
        results.append(worker_in_child(args, tag))
    elif args.mode == "worker":
        print("\n== mode worker (DatabaseBackend + db_worker) ==", flush=True)
        results.append(worker(args))
    code = report(results)
    print(f"\ntotal {time.perf_counter() - t0:.0f}s")
    return code


if __name__ == "__main__":
    sys.exit(main())
