"""The daily pruning of the task queue (deploy/systemd/sikanda-prune-tasks.*):
the unit's own command line deletes finished rows past their age and keeps
the rest — nothing else removes task rows."""

import datetime
import shlex
from pathlib import Path

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.ops.sleepy_tasks import nap
from tests.ops.test_tasks_recovery import DB_TASKS, running

UNIT = Path(__file__).resolve().parents[2] / "deploy" / "systemd" / "sikanda-prune-tasks.service"


def unit_arguments():
    exec_start = next(line for line in UNIT.read_text().splitlines()
                      if line.startswith("ExecStart="))
    words = shlex.split(exec_start.split("manage.py", 1)[1])
    return words[0], words[1:]


@pytest.mark.django_db
@override_settings(TASKS=DB_TASKS)
def test_the_units_command_prunes_old_finished_rows_only():
    def finished(days_ago, failed=False):
        row = running("pekerja", minutes_ago=1)
        row.set_failed(ValueError("gagal")) if failed else row.set_successful(1)
        DBTaskResult.objects.filter(pk=row.pk).update(
            finished_at=timezone.now() - datetime.timedelta(days=days_ago)
        )
        return row.pk

    old_done = finished(15)
    recent_done = finished(13)
    old_failed = finished(29, failed=True)
    recent_failed = finished(20, failed=True)
    waiting = DBTaskResult.objects.get(pk=nap.enqueue(1).id).pk
    busy = running("pekerja-lain", minutes_ago=5).pk

    command, arguments = unit_arguments()
    call_command(command, *arguments, verbosity=0)

    left = set(DBTaskResult.objects.values_list("pk", flat=True))
    assert left == {recent_done, recent_failed, waiting, busy}
    assert not left & {old_done, old_failed}
