"""What a dashboard number that is not a plain report filter stands for, as
conditions on reports. The dashboard counts with them and the report listing
in the admin filters with them (cms/reports/admin_views.py), so a number and
the list it clicks through to are the same rows by construction."""

from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from cms.followup.models import OPEN_STATUSES, StatusTindakLanjut, TindakLanjut
from cms.reports.models import Status, Urgensi


def _follow_ups(**conditions):
    """Follow-ups of the report at hand under a disposition still in force."""
    return TindakLanjut.objects.filter(
        disposisi__laporan=OuterRef("pk"), disposisi__dicabut_pada__isnull=True, **conditions
    )


def follow_up_open():
    return Q(Exists(_follow_ups(status__in=OPEN_STATUSES)))


def follow_up_overdue(now=None):
    return Q(Exists(_follow_ups(
        status__in=OPEN_STATUSES, disposisi__batas_waktu__lt=now or timezone.now()
    )))


def follow_up_closed_between(start, end):
    """An agency closed its follow-up of the report in [start, end) (either
    bound may be None: open-ended)."""
    bounds = {}
    if start is not None:
        bounds["diperbarui__gte"] = start
    if end is not None:
        bounds["diperbarui__lt"] = end
    return Q(Exists(_follow_ups(status=StatusTindakLanjut.SELESAI, **bounds)))


def open_emergency():
    """A DARURAT report that has been sent in, is not retracted, and that no
    agency has yet reported done: in verification, or verified and waiting
    for (or under) follow-up."""
    return (
        Q(urgensi=Urgensi.DARURAT, nomor__isnull=False)
        & ~Q(status__in=(Status.DRAF, Status.DITARIK))
        & ~Q(Exists(_follow_ups(status=StatusTindakLanjut.SELESAI)))
    )
