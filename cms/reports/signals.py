"""Keep Laporan.status in step with Wagtail's workflow and publishing, so
listings can filter on one indexed column."""

from django.dispatch import receiver
from wagtail import signals

from .models import Laporan
from .models.laporan import Status


def _laporan_pk(workflow_state):
    ct = workflow_state.base_content_type
    if (ct.app_label, ct.model) != (Laporan._meta.app_label, Laporan._meta.model_name):
        return None
    return int(workflow_state.object_id)


def _set(pk, status):
    if pk is not None:
        Laporan.objects.filter(pk=pk).update(status=status)


@receiver(signals.workflow_submitted)
def on_submitted(sender, instance, **kwargs):
    _set(_laporan_pk(instance), Status.MENUNGGU)


@receiver(signals.task_submitted)
def on_task_submitted(sender, instance, **kwargs):
    # Resuming after changes restarts the task; this is the only signal it sends.
    _set(_laporan_pk(instance.workflow_state), Status.MENUNGGU)


@receiver(signals.workflow_rejected)
def on_rejected(sender, instance, **kwargs):
    _set(_laporan_pk(instance), Status.PERLU_PERBAIKAN)


@receiver(signals.workflow_cancelled)
def on_cancelled(sender, instance, **kwargs):
    pk = _laporan_pk(instance)
    if pk is not None:
        live = Laporan.objects.filter(pk=pk).values_list("live", flat=True).first()
        _set(pk, Status.TERVERIFIKASI if live else Status.DRAF)


@receiver(signals.published, sender=Laporan)
def on_published(sender, instance, **kwargs):
    _set(instance.pk, Status.TERVERIFIKASI)
    instance.status = Status.TERVERIFIKASI


@receiver(signals.unpublished, sender=Laporan)
def on_unpublished(sender, instance, **kwargs):
    _set(instance.pk, Status.DRAF)
    instance.status = Status.DRAF
