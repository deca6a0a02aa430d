from django_tasks import task

from .delivery import attempt, due


# Ahead of Wagtail's indexing tasks that the same approval queues: an alert
# to the leadership matters more than a fresh search index.
@task(priority=50)
def deliver(pengiriman_id):
    return attempt(pengiriman_id)


def enqueue(pks):
    for pk in pks:
        deliver.enqueue(pk)


def sweep():
    """Queue every delivery that is due again (retries whose time has come,
    and deliveries whose worker died holding them). Returns how many."""
    pks = list(due().values_list("pk", flat=True))
    enqueue(pks)
    return len(pks)
