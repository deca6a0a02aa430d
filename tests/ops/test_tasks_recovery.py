"""Task rows left RUNNING by a worker that died are marked FAILED by the
sweeper; rows of live workers, and finished ones, are left alone."""

import datetime
import os
import signal
import threading
import time
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cms.ops.tasks_recovery import fail_stale_running, stale_running
from tests.ops.sleepy_tasks import nap
from tests.ops.test_exactly_once import Processes, environment

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
LOST = "berhenti sebelum tugas selesai"


def running(worker_id, minutes_ago):
    """A queued nap claimed by `worker_id` `minutes_ago`, as db_worker claims it."""
    row = DBTaskResult.objects.get(pk=nap.enqueue(1).id)
    row.claim(worker_id)
    row.started_at = timezone.now() - datetime.timedelta(minutes=minutes_ago)
    row.save(update_fields=["started_at"])
    return row


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS, SIKANDA_TASK_STALE_SECONDS=600)
def test_only_rows_running_past_the_limit_are_failed():
    lost = running("pekerja-mati", minutes_ago=11)
    young = running("pekerja-hidup", minutes_ago=9)
    done = running("pekerja-selesai", minutes_ago=30)
    done.set_successful(1)
    waiting = DBTaskResult.objects.get(pk=nap.enqueue(1).id)

    assert list(stale_running().values_list("pk", flat=True)) == [lost.pk]
    assert fail_stale_running() == 1

    lost.refresh_from_db()
    assert lost.status == "FAILED" and lost.finished_at is not None
    assert lost.exception_class_path == "cms.ops.tasks_recovery.WorkerLost"
    assert LOST in lost.traceback and "pekerja-mati" in lost.traceback
    assert "600 detik" in lost.traceback
    # What django-tasks (and its admin) report for the result.
    result = nap.get_result(str(lost.pk))
    assert result.status == "FAILED"
    assert LOST in result.errors[0].traceback
    assert {row.pk: row.status for row in DBTaskResult.objects.all()} == {
        lost.pk: "FAILED", young.pk: "RUNNING", done.pk: "SUCCESSFUL", waiting.pk: "READY",
    }
    young.refresh_from_db()
    assert young.finished_at is None and young.traceback == ""

    # Every sweeper round asks once, and finds nothing more to do.
    with CaptureQueriesContext(connection) as queries:
        assert fail_stale_running() == 0
    assert len(queries) == 1


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS, SIKANDA_TASK_STALE_SECONDS=60)
def test_the_sweeper_fails_lost_tasks_each_round_and_says_how_many():
    running("pekerja-a", minutes_ago=2)
    running("pekerja-b", minutes_ago=3)
    young = running("pekerja-c", minutes_ago=0)
    out = StringIO()
    call_command("sweep_outbox", stdout=out)
    assert "2 tugas yang pekerjanya hilang ditandai gagal." in out.getvalue()
    assert DBTaskResult.objects.filter(status="FAILED").count() == 2
    assert DBTaskResult.objects.get(pk=young.pk).status == "RUNNING"
    # Nothing left to fail: the round says nothing about tasks.
    out = StringIO()
    call_command("sweep_outbox", stdout=out)
    assert "tugas" not in out.getvalue()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DB_TASKS, SIKANDA_TASK_STALE_SECONDS=60)
def test_a_row_a_worker_is_writing_is_left_to_that_worker():
    """A row locked by its worker (recording the outcome right now) is skipped
    this round, and the outcome it commits is what stays."""
    if connection.vendor != "postgresql":
        pytest.skip("row locks: PostgreSQL")
    slow = running("pekerja-lambat", minutes_ago=5)
    locked, release = threading.Event(), threading.Event()

    def worker_finishing():
        from django.db import connections, transaction

        try:
            with transaction.atomic():
                row = DBTaskResult.objects.select_for_update().get(pk=slow.pk)
                locked.set()
                release.wait(30)
                row.set_successful(1)
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker_finishing)
    thread.start()
    try:
        assert locked.wait(30)
        assert fail_stale_running() == 0
    finally:
        release.set()
        thread.join()
    assert DBTaskResult.objects.get(pk=slow.pk).status == "SUCCESSFUL"
    assert fail_stale_running() == 0


def wait_for_status(pk, status, deadline):
    while True:
        row = DBTaskResult.objects.filter(pk=pk).first()
        if row is not None and row.status == status:
            return row
        assert time.monotonic() < deadline, row and row.status
        time.sleep(0.05)


@pytest.mark.multiprocess
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(
    os.environ.get("DATABASE_URL", "").split(":", 1)[0] not in ("postgres", "postgresql"),
    reason="a worker process on the test database: PostgreSQL only",
)
@override_settings(TASKS=DB_TASKS)
def test_a_killed_workers_task_is_failed_and_a_live_workers_is_not(tmp_path):
    """Real `db_worker`s: one SIGKILLed in the middle of a task, one alive in
    the middle of its own; the sweeper fails the first only."""
    assert connection.vendor == "postgresql"
    logs = tmp_path / "logs"
    logs.mkdir()
    no_push = SimpleNamespace(url="http://127.0.0.1:9", app_id="-", api_key="-")
    procs = Processes(environment(no_push, tmp_path), logs)
    worker = ("db_worker", "--interval", "0.05", "--no-startup-delay", "--no-reload",
              "--verbosity", "0")
    try:
        victim = procs.manage("worker-1", *worker, "--worker-id", "pekerja-korban")
        lost = nap.enqueue(120)
        wait_for_status(lost.id, "RUNNING", time.monotonic() + 60)
        os.kill(victim.pid, signal.SIGKILL)
        assert victim.wait(timeout=10) == -signal.SIGKILL
        time.sleep(2)  # the live task starts clearly later than the lost one

        survivor = procs.manage("worker-2", *worker, "--worker-id", "pekerja-hidup")
        live = nap.enqueue(4)
        live_row = wait_for_status(live.id, "RUNNING", time.monotonic() + 60)
        lost_row = DBTaskResult.objects.get(pk=lost.id)
        assert lost_row.status == "RUNNING"  # nobody will ever finish it
        assert lost_row.worker_ids == ["pekerja-korban"]

        # A limit between the two ages: the lost task is past it, the live one is not.
        now = timezone.now()
        limit = ((now - lost_row.started_at) + (now - live_row.started_at)) / 2
        assert (live_row.started_at - lost_row.started_at).total_seconds() > 2
        out = StringIO()
        with override_settings(SIKANDA_TASK_STALE_SECONDS=limit.total_seconds()):
            call_command("sweep_outbox", stdout=out)
        assert "1 tugas yang pekerjanya hilang ditandai gagal." in out.getvalue()

        lost_row.refresh_from_db()
        assert lost_row.status == "FAILED"
        assert LOST in lost_row.traceback and "pekerja-korban" in lost_row.traceback
        assert DBTaskResult.objects.get(pk=live.id).status == "RUNNING"

        # The live worker finishes its task and records it as usual.
        finished = wait_for_status(live.id, "SUCCESSFUL", time.monotonic() + 60)
        assert finished.return_value == 4
        assert survivor.poll() is None
    finally:
        procs.stop()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@override_settings(TASKS=DB_TASKS, SIKANDA_TASK_STALE_SECONDS=600)
def test_readyz_counts_stale_tasks_without_failing(client):
    running("pekerja-mati", minutes_ago=11)
    running("pekerja-hidup", minutes_ago=1)
    response = client.get("/readyz")
    body = response.json()
    # Information for the operator: the sweeper will fail it, the work is queued again.
    assert response.status_code == 200, body
    assert body["checks"]["worker"] == {**body["checks"]["worker"], "status": "ok",
                                        "stale_tasks": 1}
    assert fail_stale_running() == 1
    assert client.get("/readyz").json()["checks"]["worker"]["stale_tasks"] == 0


def test_the_index_serves_the_search_for_stale_rows(db):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's plan")
    with connection.cursor() as cursor:
        cursor.execute("SET enable_seqscan = off")
        plan = stale_running().explain()
        cursor.execute("RESET enable_seqscan")
    assert "sikanda_tasks_running_idx" in plan
