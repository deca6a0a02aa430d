from django_tasks import task


# Kept so that tasks queued before the one delivery engine still run; new
# ones go through cms.platform.tasks.deliver.
@task()
def send_delivery_task(delivery_pk):
    from cms.platform.outbox import attempt

    from .models import Delivery

    return attempt(Delivery, delivery_pk)
