from django.apps import apps
from django_tasks import task

from .outbox import attempt


# Ahead of Wagtail's indexing tasks that the same approval queues: an alert
# to the leadership matters more than a fresh search index.
@task(priority=50)
def deliver(model_label, pk):
    """One attempt at one outbox row (`cms.platform.outbox`)."""
    return attempt(apps.get_model(model_label), pk)
