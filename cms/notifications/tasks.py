from django_tasks import task

from cms.platform import outbox

from .models import Pengiriman


# Kept so that tasks queued before the one delivery engine still run; new
# ones go through cms.platform.tasks.deliver.
@task(priority=50)
def deliver(pengiriman_id):
    return outbox.attempt(Pengiriman, pengiriman_id)


def enqueue(pks):
    outbox.enqueue(Pengiriman, pks)


def sweep():
    """Queue every notification delivery that is due again (retries whose
    time has come, and deliveries whose worker died holding them)."""
    return outbox.sweep(Pengiriman)
