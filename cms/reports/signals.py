"""Keep Laporan.status in step with Wagtail's workflow and publishing, so
listings can filter on one indexed column, and announce the domain events
(cms.reports.events). Every path — admin, API, services — passes here."""

from django.db.models.signals import post_delete
from django.dispatch import receiver
from wagtail import signals

from . import events, files
from .models import Laporan
from .models.laporan import Lampiran, Status


def _laporan_pk(workflow_state):
    ct = workflow_state.base_content_type
    if (ct.app_label, ct.model) != (Laporan._meta.app_label, Laporan._meta.model_name):
        return None
    return int(workflow_state.object_id)


def _set(pk, status):
    if pk is not None:
        Laporan.objects.filter(pk=pk).update(status=status)


@receiver(signals.workflow_submitted)
def on_submitted(sender, instance, user=None, **kwargs):
    pk = _laporan_pk(instance)
    _set(pk, Status.MENUNGGU)
    if pk is not None:
        events.emit(events.report_submitted, pk, actor=user)


@receiver(signals.task_submitted)
def on_task_submitted(sender, instance, user=None, **kwargs):
    # Resuming after changes restarts the task; this is the only signal it sends.
    pk = _laporan_pk(instance.workflow_state)
    if pk is None:
        return
    was = Laporan.objects.filter(pk=pk).values_list("status", flat=True).first()
    _set(pk, Status.MENUNGGU)
    if was == Status.PERLU_PERBAIKAN:
        events.emit(events.report_submitted, pk, actor=user)


@receiver(signals.workflow_rejected)
def on_rejected(sender, instance, user=None, **kwargs):
    pk = _laporan_pk(instance)
    _set(pk, Status.PERLU_PERBAIKAN)
    if pk is not None:
        task_state = instance.current_task_state
        comment = task_state.comment if task_state else ""
        events.emit(events.changes_requested, pk, actor=user, comment=comment)


@receiver(signals.workflow_approved)
def on_approved(sender, instance, user=None, **kwargs):
    pk = _laporan_pk(instance)
    if pk is None:
        return
    task_state = instance.current_task_state
    events.emit(events.report_verified, pk, actor=user,
                comment=task_state.comment if task_state else "")
    # Whether it is now *published* or a public report *updated* is announced
    # by the transition service (transitions.decide), which knows what the
    # public saw before the approval.


@receiver(signals.workflow_cancelled)
def on_cancelled(sender, instance, user=None, **kwargs):
    pk = _laporan_pk(instance)
    if pk is not None:
        live = Laporan.objects.filter(pk=pk).values_list("live", flat=True).first()
        _set(pk, Status.TERVERIFIKASI if live else Status.DRAF)
        if not live:
            # A cancelled correction of a live report is no withdrawal: the
            # verified report stays what it was.
            events.emit(events.report_withdrawn, pk, actor=user)


@receiver(signals.published, sender=Laporan)
def on_published(sender, instance, **kwargs):
    _set(instance.pk, Status.TERVERIFIKASI)
    instance.status = Status.TERVERIFIKASI


@receiver(signals.unpublished, sender=Laporan)
def on_unpublished(sender, instance, **kwargs):
    _set(instance.pk, Status.DRAF)
    instance.status = Status.DRAF


@receiver(post_delete, sender=Lampiran)
def on_lampiran_deleted(sender, instance, **kwargs):
    files.on_lampiran_deleted(sender, instance, **kwargs)
