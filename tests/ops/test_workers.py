"""Several `db_worker` processes on one queue (deploy/systemd/sikanda-worker@.service):
tasks that wait on the network run side by side, one per worker, and no task
is run by two workers."""

import os
import time
from types import SimpleNamespace

import pytest
from django.db import connection
from django.test import override_settings
from django_tasks_db.models import DBTaskResult

from tests.ops.sleepy_tasks import nap
from tests.ops.test_exactly_once import Processes, environment

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
TASKS = 32
WAIT = 0.25  # stands for OneSignal's answer: the worker waits, the CPU does not

pytestmark = [
    pytest.mark.multiprocess,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        os.environ.get("DATABASE_URL", "").split(":", 1)[0] not in ("postgres", "postgresql"),
        reason="worker processes on the test database: PostgreSQL only",
    ),
]


def rss_mb(pid):
    for line in open(f"/proc/{pid}/status"):  # noqa: SIM115 (read at once)
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def run_with(procs, logs, workers, label):
    """Start `workers` db_workers, queue TASKS naps once all poll, wait for the
    queue to drain; return the rows, the span from first claim to last finish,
    the most tasks running at one moment and the workers' memory."""
    started = []
    for i in range(workers):
        name = f"{label}-{i + 1}"
        started.append(procs.manage(name, "db_worker", "--interval", "0.05",
                                    "--no-startup-delay", "--no-reload", "--verbosity", "1",
                                    "--worker-id", name))
    deadline = time.monotonic() + 120
    for i in range(workers):
        log = logs / f"{label}-{i + 1}.log"
        while "Starting worker" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.1)
    ids = [nap.enqueue(WAIT).id for _ in range(TASKS)]
    rows = DBTaskResult.objects.filter(pk__in=ids)
    while rows.exclude(status="SUCCESSFUL").exists():
        assert time.monotonic() < deadline, list(rows.values_list("status", flat=True))
        time.sleep(0.1)
    memory = [rss_mb(proc.pid) for proc in started]
    for proc in started:
        proc.terminate()
        proc.wait(timeout=30)
    rows = list(rows)
    span = (max(r.finished_at for r in rows) - min(r.started_at for r in rows)).total_seconds()
    events = sorted([(r.started_at, 1) for r in rows] + [(r.finished_at, -1) for r in rows])
    at_once = most = 0
    for _moment, step in events:
        at_once += step
        most = max(most, at_once)
    return rows, span, most, memory


@override_settings(TASKS=DB_TASKS)
def test_four_workers_run_four_tasks_at_once_and_none_twice(tmp_path):
    assert connection.vendor == "postgresql"
    logs = tmp_path / "logs"
    logs.mkdir()
    no_push = SimpleNamespace(url="http://127.0.0.1:9", app_id="-", api_key="-")
    procs = Processes(environment(no_push, tmp_path), logs)
    try:
        one = run_with(procs, logs, 1, "sendiri")
        four = run_with(procs, logs, 4, "berempat")
    finally:
        procs.stop()
    print(f"\n{TASKS} tasks waiting {WAIT}s each: one worker {one[1]:.2f}s, "
          f"four workers {four[1]:.2f}s (at most {four[2]} at once); "
          f"worker RSS {', '.join(f'{mb:.0f}' for mb in four[3])} MB")

    rows, span, most, _memory = one
    assert most == 1 and span >= TASKS * WAIT
    rows, span, most, _memory = four
    # Each task claimed by exactly one worker, and every worker took its share.
    assert all(len(row.worker_ids) == 1 for row in rows)
    assert {row.worker_ids[0] for row in rows} == {f"berempat-{i}" for i in range(1, 5)}
    assert most == 4
    assert span < TASKS * WAIT / 2
