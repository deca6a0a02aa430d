"""Readiness checks (django-health-check's HealthCheck classes).

Each check runs in a thread of the probe's executor with a wall-clock budget,
so every check that touches the database closes its own connection: a probe
must never keep one open, nor reuse one that died with the database.
"""

import dataclasses
import datetime
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connections, router
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.base import TaskResultStatus
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.models import DBTaskResult
from health_check.base import HealthCheck
from health_check.checks import Database, Storage
from health_check.exceptions import ServiceUnavailable

from .tasks import HEARTBEAT_PATH, heartbeat
from .tasks_recovery import stale_running

__all__ = ["Database", "Migrations", "Storage", "Worker", "readiness_checks"]


def health_settings():
    return {
        "WORKER_HEARTBEAT_SECONDS": 60,
        "WORKER_GRACE_SECONDS": 120,
        **getattr(settings, "SIKANDA_HEALTH", {}),
    }


@contextmanager
def own_connection(alias):
    connection = connections[alias]
    try:
        yield connection
    except DatabaseError as error:
        raise ServiceUnavailable(_("basis data tidak dapat dihubungi")) from error
    finally:
        connection.close()


@dataclasses.dataclass
class Migrations(HealthCheck):
    """Every migration the code knows is applied: a new release whose
    `migrate` has not run yet is not ready."""

    alias: str = "default"

    def run(self):
        with own_connection(self.alias) as connection:
            executor = MigrationExecutor(connection)
            plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if plan:
            names = ", ".join(f"{m.app_label}.{m.name}" for m, _backwards in plan[:5])
            raise ServiceUnavailable(
                _("%(count)d migrasi belum dijalankan: %(names)s")
                % {"count": len(plan), "names": names}
            )


@dataclasses.dataclass
class Worker(HealthCheck):
    """A database task worker runs tasks.

    The proof is the `heartbeat` task (cms/ops/tasks.py): fresh when one
    finished within WORKER_HEARTBEAT_SECONDS. Otherwise the probe queues one
    (unless one is already waiting) and fails once a queued heartbeat has
    waited longer than WORKER_GRACE_SECONDS: no worker is taking tasks. With
    an in-process backend (development, tests) there is no worker to check.

    For information only, `info["stale_tasks"]` counts the task rows a dead
    worker left RUNNING that the sweeper has not failed yet: the work itself
    is queued again, so they do not make the instance unready.
    """

    backend: str = DEFAULT_TASK_BACKEND_ALIAS

    def skipped(self):
        if not isinstance(task_backends[self.backend], DatabaseBackend):
            return _("tugas dijalankan di dalam proses (%(backend)s); tidak ada worker") % {
                "backend": type(task_backends[self.backend]).__name__
            }
        return None

    def run(self):
        config = health_settings()
        now = timezone.now()
        database = router.db_for_write(DBTaskResult)
        with own_connection(database):
            self.info = {"stale_tasks": stale_running(using=database).count()}
            beats = DBTaskResult.objects.using(database).filter(
                task_path=HEARTBEAT_PATH, backend_name=self.backend
            )
            last = (
                beats.filter(status=TaskResultStatus.SUCCESSFUL)
                .order_by("-finished_at")
                .values_list("finished_at", flat=True)
                .first()
            )
            if last and now - last < datetime.timedelta(
                seconds=config["WORKER_HEARTBEAT_SECONDS"]
            ):
                return
            waiting = (
                beats.filter(status=TaskResultStatus.READY)
                .order_by("enqueued_at")
                .values_list("enqueued_at", flat=True)
                .first()
            )
            if waiting is None:
                heartbeat.using(backend=self.backend).enqueue()
                # One row a minute at most; a day of them is plenty of history.
                beats.filter(
                    status=TaskResultStatus.SUCCESSFUL,
                    finished_at__lt=now - datetime.timedelta(days=1),
                ).delete()
                return
        waited = (now - waiting).total_seconds()
        if waited > config["WORKER_GRACE_SECONDS"]:
            raise ServiceUnavailable(
                _("tidak ada worker yang menjalankan tugas: detak yang diantrekan %(seconds)d "
                  "detik lalu belum dijalankan") % {"seconds": waited}
            )


def readiness_checks():
    """(name, check) pairs of /readyz, in the order they are reported."""
    return [
        ("database", Database(alias="default")),
        ("migrations", Migrations(alias="default")),
        ("storage_private", Storage(alias="private")),
        ("storage_public", Storage(alias="default")),
        ("worker", Worker()),
    ]
