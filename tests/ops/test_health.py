"""/healthz and /readyz: what a process manager and a load balancer see."""

import datetime
import os
import shutil
import socket
import subprocess
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.db.migrations.recorder import MigrationRecorder
from django.test import override_settings
from django.utils import timezone

# The readiness checks run in the probe's executor threads with their own
# connections: they see committed data only.
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)
DB_TASKS = {"default": {"BACKEND": "django_tasks_db.backend.DatabaseBackend"}}


def readyz(client):
    response = client.get("/readyz")
    assert response["Content-Type"] == "application/json"
    assert "no-cache" in response["Cache-Control"]
    return response.status_code, response.json()


def test_healthz_answers_without_touching_the_database(client):
    # No django_db mark: any query here would fail the test.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-cache" in response["Cache-Control"]
    assert client.post("/healthz").status_code == 405


@transactional
def test_readyz_is_ready_when_everything_answers(client):
    status, body = readyz(client)
    assert status == 200, body
    assert body["status"] == "ok" and body["failing"] == []
    assert list(body["checks"]) == [
        "database", "migrations", "storage_private", "storage_public", "worker",
    ]
    for name in ("database", "migrations", "storage_private", "storage_public"):
        assert body["checks"][name]["status"] == "ok"
    # Tests run tasks in-process: there is no worker to wait for.
    assert body["checks"]["worker"]["status"] == "skipped"


@transactional
def test_readyz_fails_on_a_migration_not_yet_applied(client):
    with override_settings(MIGRATION_MODULES={"ops": "tests.ops.pending_migrations"}):
        status, body = readyz(client)
    assert status == 503
    assert body["failing"] == ["migrations"]
    assert "ops.0001_pending" in body["checks"]["migrations"]["detail"]
    assert body["checks"]["database"]["status"] == "ok"


@transactional
def test_readyz_fails_when_the_latest_applied_migration_is_rolled_back(client):
    recorder = MigrationRecorder(connection)
    latest = recorder.migration_qs.filter(app="reports").order_by("-id").first()
    latest.delete()
    try:
        status, body = readyz(client)
    finally:
        recorder.record_applied(latest.app, latest.name)
    assert status == 503 and body["failing"] == ["migrations"]
    assert f"reports.{latest.name}" in body["checks"]["migrations"]["detail"]
    assert readyz(client)[0] == 200


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def database_unreachable():
    """New connections to the default database fail for real: PostgreSQL on a
    port nobody listens on, SQLite in a directory that does not exist. The
    test's own open connection is left alone."""
    conf = connections.settings["default"]
    saved = dict(conf)
    if connection.vendor == "postgresql":
        conf.update(HOST="127.0.0.1", PORT=str(closed_port()))
        conf["OPTIONS"] = {**conf.get("OPTIONS", {}), "connect_timeout": 2}
    else:
        conf.update(NAME="/nonexistent-sikanda-dir/db.sqlite3")
        conf["TEST"] = {**conf.get("TEST", {}), "NAME": "/nonexistent-sikanda-dir/db.sqlite3"}
    try:
        yield
    finally:
        conf.clear()
        conf.update(saved)


@transactional
def test_readyz_fails_when_the_database_is_down(client):
    with database_unreachable():
        status, body = readyz(client)
    assert status == 503
    assert "database" in body["failing"] and "migrations" in body["failing"]
    assert body["checks"]["database"]["status"] == "fail"
    # The storage still answers: the body says which part is down.
    assert body["checks"]["storage_private"]["status"] == "ok"
    assert readyz(client)[0] == 200


def writable(path):
    probe = path / ".probe"
    try:
        probe.touch()
    except PermissionError:
        return False
    probe.unlink()
    return True


@contextmanager
def read_only(path):
    """chmod is not enough for root (tests and CI run as root): make the
    directory immutable too when chattr can."""
    os.chmod(path, 0o555)
    immutable = writable(path) and subprocess.run(
        ["chattr", "+i", str(path)], capture_output=True
    ).returncode == 0
    try:
        if writable(path):
            pytest.skip("cannot make a directory read-only here")
        yield
    finally:
        if immutable:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        os.chmod(path, 0o755)


@transactional
@pytest.mark.parametrize("name", ["storage_private", "storage_public"])
def test_readyz_fails_when_storage_is_read_only(client, tmp_path, settings, name):
    media = tmp_path / "media"
    media.mkdir()
    if name == "storage_private":
        settings.SIKANDA_PRIVATE_MEDIA_ROOT = media
    else:
        settings.MEDIA_ROOT = media
    with read_only(media):
        status, body = readyz(client)
    assert status == 503
    assert body["failing"] == [name]
    other = {"storage_private": "storage_public", "storage_public": "storage_private"}[name]
    assert body["checks"][other]["status"] == "ok"
    shutil.rmtree(media)


@transactional
@override_settings(TASKS=DB_TASKS)
def test_readyz_follows_the_worker_heartbeat(client):
    from django_tasks_db.models import DBTaskResult

    # No heartbeat yet: the probe queues one and gives the worker its grace.
    status, body = readyz(client)
    assert status == 200 and body["checks"]["worker"]["status"] == "ok"
    beats = DBTaskResult.objects.filter(task_path="cms.ops.tasks.heartbeat")
    assert beats.count() == 1
    # A second probe does not queue another while one waits.
    readyz(client)
    assert beats.count() == 1

    # Nobody ran it for three minutes: no worker.
    beats.update(enqueued_at=timezone.now() - datetime.timedelta(minutes=3))
    status, body = readyz(client)
    assert status == 503 and body["failing"] == ["worker"]
    assert "detak" in body["checks"]["worker"]["detail"]

    # The real worker runs the queue once; the heartbeat is fresh again.
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    assert beats.get().status == "SUCCESSFUL"
    status, body = readyz(client)
    assert status == 200 and body["checks"]["worker"]["status"] == "ok"
    assert beats.count() == 1

    # A heartbeat gone stale is replaced by a new one, and old ones are pruned.
    beats.update(finished_at=timezone.now() - datetime.timedelta(days=2))
    assert readyz(client)[0] == 200
    assert list(beats.values_list("status", flat=True)) == ["READY"]
