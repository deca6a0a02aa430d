"""Task rows whose worker is gone.

django-tasks-db claims a task by committing it as RUNNING (with `started_at`
and the worker's id) and then runs it holding no lock. A worker killed in the
middle (SIGKILL, out of memory, a server switched off) never writes the
outcome, so its row stays RUNNING forever: the task list shows work in
progress that nobody does, and whatever counts running tasks counts it.

Nothing in the row says whether its worker still lives; its age does. No
SIKANDA task runs for minutes (a delivery gives up at its channel's timeout,
well within the outbox lease), so a row RUNNING for longer than
`SIKANDA_TASK_STALE_SECONDS` has lost its worker. The sweeper marks such rows
FAILED with django-tasks-db's own `set_failed`, giving a `WorkerLost` error
whose text the task list shows. The work itself is not lost: an outbox
delivery the dead worker had claimed is queued again by the sweeper once its
lease runs out.

Should a worker that was merely slow finish after all, its own outcome
overwrites FAILED: the row ends with what really happened.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import router
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks.base import TaskResultStatus
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction

logger = logging.getLogger("sikanda.tasks")

DEFAULT_STALE_SECONDS = 600


class WorkerLost(RuntimeError):
    """The worker running a task stopped before it recorded the outcome."""


def stale_limit():
    return timedelta(seconds=getattr(settings, "SIKANDA_TASK_STALE_SECONDS", DEFAULT_STALE_SECONDS))


def stale_running(limit=None, now=None, using=None):
    """RUNNING rows started longer than `limit` ago (default: the setting);
    read through the partial index of cms/ops/migrations/0001."""
    using = using or router.db_for_write(DBTaskResult)
    cutoff = (now or timezone.now()) - (stale_limit() if limit is None else limit)
    return DBTaskResult.objects.using(using).filter(
        status=TaskResultStatus.RUNNING, started_at__lt=cutoff
    ).order_by()


def fail_stale_running(limit=None, now=None):
    """Mark every stale RUNNING row FAILED; return how many were marked.

    One query when there are none (every sweeper round). The rows are then
    taken under a row lock (skipping any a worker is writing right now) and
    checked again, so an outcome a worker committed meanwhile is never
    overwritten."""
    limit = stale_limit() if limit is None else limit
    now = now or timezone.now()
    using = router.db_for_write(DBTaskResult)
    candidates = list(stale_running(limit, now, using).values_list("pk", flat=True))
    if not candidates:
        return 0
    recovered = 0
    with exclusive_transaction(using):
        rows = (
            stale_running(limit, now, using)
            .filter(pk__in=candidates)
            .select_for_update(skip_locked=True)
        )
        for row in rows:
            worker = row.worker_ids[-1] if row.worker_ids else "?"
            row.set_failed(
                WorkerLost(
                    _(
                        "Pekerja %(worker)s berhenti sebelum tugas selesai: tugas ini berjalan "
                        "sejak %(started)s, lebih lama dari batas %(seconds)d detik "
                        "(SIKANDA_TASK_STALE_SECONDS), tanpa hasil tercatat."
                    )
                    % {
                        "worker": worker,
                        "started": row.started_at.isoformat(timespec="seconds"),
                        "seconds": limit.total_seconds(),
                    }
                )
            )
            logger.warning(
                "Task %s (%s) of worker %s RUNNING since %s marked FAILED: worker lost",
                row.pk, row.task_path, worker, row.started_at,
            )
            recovered += 1
    return recovered
