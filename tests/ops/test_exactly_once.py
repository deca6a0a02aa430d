"""Two app servers, two task workers and a sweeper on one PostgreSQL: every
push delivery reaches OneSignal, and none becomes two pushes, while one
worker is SIGKILLed in the middle of a send.

The reports are filed through the GraphQL API and approved through the
verifier's desk, over real HTTP, alternating between the two app servers.
The outbox is worked by the production shape: `manage.py db_worker` (twice)
and `manage.py sweep_outbox --every`, which re-queues the delivery whose
worker died once its lease has run out."""

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta
from pathlib import Path

import httpx
import pytest
from django.db import connection
from django.utils import timezone

from cms.accounts import roles
from cms.notifications.models import Langganan, Pengiriman
from cms.platform.plugins import get_plugin, set_enabled
from cms.reports.assignments import FILE_REPORT, VERIFY_REPORT, assign
from cms.reports.models import Aspek, JenisATHG, Laporan
from tests import factories
from tests.plugins.fake_onesignal import FakeOneSignal

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
REPORTS = 60
GUESTS = 3
LEASE_SECONDS = 4
# The first reports are sent twice at once, one copy to each app server: the
# phone's retry of a submission, two verifiers clicking "approve" together.
DOUBLED = 5
REPLY_DELAY = 0.03  # OneSignal's answer takes a moment: workers are caught mid-send
pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]

SUBMIT = """
mutation($clientUuid: UUID!, $input: ReportInput!) {
  submitReport(clientUuid: $clientUuid, input: $input, submit: true) {
    report { id }
    errors { field code message }
  }
}"""
LOGIN = """
mutation($username: String!, $password: String!) {
  login(username: $username, password: $password, deviceName: "uji") {
    accessToken
    errors { field code message }
  }
}"""


class SlowFakeOneSignal(FakeOneSignal):
    """The tests' fake, answering after REPLY_DELAY, counting requests in flight."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.in_flight = 0
        # The killed worker's connection is reset under the server: expected.
        self.server.handle_error = lambda request, address: None

    def _handle(self, handler):
        with self.lock:
            self.in_flight += 1
        try:
            time.sleep(REPLY_DELAY)
            super()._handle(handler)
        finally:
            with self.lock:
                self.in_flight -= 1


def free_port():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(fake, tmp_path):
    conf = connection.settings_dict
    auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf.get("PASSWORD") else "")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.test",
        # The database pytest-django created and migrated for this test.
        DATABASE_URL=(
            f"postgres://{auth}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/"
            f"{conf['NAME']}"
        ),
        DJANGO_MEDIA_ROOT=str(tmp_path / "media"),
        SIKANDA_TASK_BACKEND="django_tasks_db.backend.DatabaseBackend",
        SIKANDA_OUTBOX_LEASE_SECONDS=str(LEASE_SECONDS),
        ONESIGNAL_API_URL=fake.url,
        ONESIGNAL_APP_ID=fake.app_id,
        ONESIGNAL_REST_API_KEY=fake.api_key,
        ONESIGNAL_TIMEOUT_SECONDS="2",
    )
    return env


class Processes:
    def __init__(self, env, logs):
        self.env, self.logs, self.procs = env, logs, []

    def start(self, name, *args):
        log = open(self.logs / f"{name}.log", "w")  # noqa: SIM115 (closed in stop())
        proc = subprocess.Popen(
            [*args], cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.procs.append((proc, log))
        return proc

    def app(self, name):
        port = free_port()
        self.start(name, str(BIN / "gunicorn"), "-c", "gunicorn.conf.py",
                   "--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", "-")
        return f"http://127.0.0.1:{port}"

    def manage(self, name, *args):
        return self.start(name, sys.executable, "manage.py", *args)

    def stop(self):
        for proc, _log in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc, log in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
            log.close()


def wait_ready(base, deadline):
    while True:
        try:
            httpx.get(f"{base}/healthz", timeout=5).raise_for_status()
            return
        except httpx.HTTPError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.3)


def graphql(client, query, variables, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = client.post("/graphql/", json={"query": query, "variables": variables},
                           headers=headers, timeout=30)
    response.raise_for_status()
    body = response.json()
    assert "errors" not in body, body
    return body["data"]


def desk_session(base, username):
    """A verifier signed in to the admin in a browser-like client."""
    client = httpx.Client(base_url=base, timeout=30)
    client.get("/admin/login/")
    response = client.post("/admin/login/", data={
        "username": username, "password": factories.PASSWORD,
        "csrfmiddlewaretoken": client.cookies["csrftoken"],
    })
    assert response.status_code == 302, response.text[:500]
    return client


def report_input(n, refs):
    return {
        "judul": f"Uji sekali kirim {n}",
        "periode": "INSIDENTIL",
        "jenisAthg": refs["jenis"],
        "aspek": refs["aspek"],
        "urgensi": "TINGGI",
        "kecamatan": refs["kecamatan"],
        "waktuKejadian": (timezone.now() - timedelta(hours=1)).isoformat(),
        "fakta": "Dua kelompok pemuda bersitegang.",
        "sumberInformasi": "Ketua RT 03",
        "klasifikasi": "PUBLIK",
        "latitude": -2.3349,
        "longitude": 115.469,
    }


def doubled_jobs():
    """(report number, app server): alternating, the first DOUBLED on both."""
    jobs = []
    for n in range(REPORTS):
        jobs.append((n, n % 2))
        if n < DOUBLED:
            jobs.append((n, 1 - n % 2))
    return jobs


@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":", 1)[0] not in ("postgres", "postgresql"),
    reason="several processes on one database: PostgreSQL only",
)
def test_deliveries_are_exactly_once_across_processes_while_a_worker_dies(tmp_path):
    assert connection.vendor == "postgresql"
    started = time.monotonic()
    paringin = factories.kecamatan("paringin")
    petugas = factories.make_user(roles.PETUGAS, "petugas.sekali", kecamatan=[paringin])
    assign(petugas, FILE_REPORT, paringin)
    verifikator = factories.make_user(roles.VERIFIKATOR, "verif.sekali", kecamatan=[paringin])
    assign(verifikator, VERIFY_REPORT, paringin)
    pimpinan = factories.make_user(roles.PIMPINAN, "pimpinan.sekali")
    guests = [factories.make_user(roles.PENGGUNA, f"warga.sekali{i}") for i in range(GUESTS)]
    for guest in guests:
        Langganan.objects.create(pengguna=guest, kecamatan=paringin)
    if get_plugin("sample_plugin") is not None:
        set_enabled("sample_plugin", False)
    set_enabled("onesignal_push", True)
    refs = {
        "jenis": str(JenisATHG.objects.get(slug="gangguan").pk),
        "aspek": str(Aspek.objects.get(slug="sosial-budaya").pk),
        "kecamatan": str(paringin.pk),
    }
    # Every push delivery of one report: to the verifier on submission; to the
    # reporter and (TINGGI) the Pimpinan on verification; to the subscribed
    # guests on publication.
    expected_sets = sorted([
        (verifikator.pk,), (petugas.pk,), (pimpinan.pk,), tuple(sorted(g.pk for g in guests)),
    ])

    logs = tmp_path / "logs"
    logs.mkdir()
    with SlowFakeOneSignal(app_id="sekali-app", api_key="sekali-key") as fake:
        procs = Processes(environment(fake, tmp_path), logs)
        try:
            apps = [procs.app("web-a"), procs.app("web-b")]
            worker_args = ("db_worker", "--interval", "0.05", "--no-startup-delay",
                           "--no-reload", "--verbosity", "0")
            victim = procs.manage("worker-1", *worker_args)
            survivor = procs.manage("worker-2", *worker_args)
            procs.manage("sweeper", "sweep_outbox", "--every", "2")
            for base in apps:
                wait_ready(base, time.monotonic() + 60)
            phases = {"start": time.monotonic() - started}

            clients = [httpx.Client(base_url=base, timeout=30) for base in apps]
            token = graphql(clients[0], LOGIN, {"username": petugas.username,
                                                "password": factories.PASSWORD})["login"]
            assert token["errors"] == [], token
            token = token["accessToken"]

            client_uuids = [str(uuid.uuid4()) for _ in range(REPORTS)]

            def submit(job):
                n, app = job
                data = graphql(clients[app], SUBMIT,
                               {"clientUuid": client_uuids[n], "input": report_input(n, refs)},
                               token)["submitReport"]
                assert data["errors"] == [], data
                return n, data["report"]["id"]

            with ThreadPoolExecutor(4) as pool:
                answers = list(pool.map(submit, doubled_jobs()))
            ids = {}
            for n, report_id in answers:
                ids.setdefault(n, set()).add(report_id)
            assert all(len(same) == 1 for same in ids.values()), ids
            reports = list(Laporan.objects.filter(judul__startswith="Uji sekali kirim")
                           .order_by("pk").values_list("pk", flat=True))
            assert len(reports) == REPORTS
            phases["submit"] = time.monotonic() - started

            desks = [desk_session(base, verifikator.username) for base in apps]

            def approve(job):
                i, app = job
                client = desks[app]
                response = client.post(f"/admin/meja-verifikasi/{reports[i]}/verifikasi/", data={
                    "setujui-keandalan_sumber": "B", "setujui-kredibilitas_informasi": "2",
                    "csrfmiddlewaretoken": client.cookies["csrftoken"],
                })
                assert response.status_code == 302, response.text[:500]

            expected = REPORTS * len(expected_sets)
            killed_mid_send = threading.Event()

            def kill_mid_run():
                # Once a third of the pushes are out, wait for both workers to
                # be inside a send at the same moment, and kill one of them.
                deadline = time.monotonic() + 60
                while fake.pushes < expected // 3 and time.monotonic() < deadline:
                    time.sleep(0.01)
                while time.monotonic() < deadline:
                    if fake.in_flight >= 2:
                        killed_mid_send.set()
                        break
                    time.sleep(0.001)
                if victim.poll() is None:
                    os.kill(victim.pid, signal.SIGKILL)

            killer = threading.Thread(target=kill_mid_run)
            killer.start()
            with ThreadPoolExecutor(4) as pool:
                list(pool.map(approve, doubled_jobs()))
            phases["approve"] = time.monotonic() - started
            killer.join()
            assert victim.wait(timeout=10) == -signal.SIGKILL

            deliveries = Pengiriman.objects.filter(laporan_id__in=reports, kanal="onesignal")
            deadline = time.monotonic() + 90
            while deliveries.exclude(status=Pengiriman.Status.SENT).exists():
                assert survivor.poll() is None, "the surviving worker died"
                assert time.monotonic() < deadline, Counter(
                    deliveries.values_list("status", flat=True))
                time.sleep(0.2)
            phases["sent"] = time.monotonic() - started
            time.sleep(0.5)  # a late duplicate would arrive now
        finally:
            procs.stop()

        elapsed = time.monotonic() - started
        # A worker killed while writing its request leaves a truncated one
        # (no JSON): the fake answered it with a 400 and pushed nothing.
        keys = Counter(r["json"].get("idempotency_key") for r in fake.requests if r["json"])
        truncated = sum(1 for r in fake.requests if not r["json"])
        created = Counter(payload["idempotency_key"] for _id, payload in fake.created)
        from django_tasks_db.models import DBTaskResult

        tasks = DBTaskResult.objects.filter(task_path="cms.platform.tasks.deliver").count()
        rows = list(deliveries.values_list("idempotency_key", "percobaan", "laporan_id", "pk"))
        retried = {str(key) for key, attempts, _, _ in rows if attempts > 1}
        repeated = {key for key, n in keys.items() if n > 1}
        print(f"\n{len(rows)} deliveries, {len(fake.requests)} requests, {fake.pushes} pushes, "
              f"{sum(keys.values()) - len(keys)} repeated requests, {len(retried)} retried rows, "
              f"{tasks} deliver tasks, killed mid-send: {killed_mid_send.is_set()}, {elapsed:.1f}s "
              f"({', '.join(f'{name} at {t:.1f}s' for name, t in phases.items())})")

    # Every delivery the rules ask for, and no other.
    assert len(rows) == expected
    by_report = {}
    for delivery in deliveries.prefetch_related("penerima"):
        by_report.setdefault(delivery.laporan_id, []).append(
            tuple(sorted(u.pk for u in delivery.penerima.all()))
        )
    assert {pk: sorted(sets) for pk, sets in by_report.items()} == dict.fromkeys(
        reports, expected_sets
    )
    # Each one sent, reached the fake, and became exactly one push.
    assert not deliveries.exclude(status=Pengiriman.Status.SENT).exists()
    assert set(keys) == set(created) == {str(key) for key, *_ in rows}
    assert fake.pushes == len(rows)
    assert set(created.values()) == {1}
    # A key was asked for twice only when its first claimant was lost.
    assert repeated <= retried
    assert truncated <= 1  # only the killed worker's
    assert killed_mid_send.is_set()
