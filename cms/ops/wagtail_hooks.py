from wagtail import hooks

from .tasks_recovery import fail_stale_running


@hooks.register("sweep_round")
def fail_lost_tasks():
    """Each sweeper round (`manage.py sweep_outbox`) also closes the task rows
    whose worker died: the deliveries they were sending are queued again by
    the same round once their lease runs out."""
    if lost := fail_stale_running():
        return f"{lost} tugas yang pekerjanya hilang ditandai gagal."
    return ""
