"""A task that takes its time, for the tests that kill a worker in the middle
of one. Module-level so that a `db_worker` subprocess can import it."""

import time

from django_tasks import task


@task()
def nap(seconds):
    time.sleep(seconds)
    return seconds
