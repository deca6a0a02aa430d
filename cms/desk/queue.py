"""The verification queue: the reports waiting for one user, most urgent first
and, within an urgency, the longest waiting first.

The waiting time is measured from the start of the report's current
verification task (a resubmission after changes starts a new one), not from
the report's last change: an administrator's correction must not push a
report to the back of the queue."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import Case, CharField, F, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Cast, Coalesce
from wagtail.models import TaskState

from cms.reports.models import Laporan, Urgensi
from cms.reports.permissions import laporan_policy

# Lower is more urgent.
URGENCY_RANK = {
    Urgensi.DARURAT: 0,
    Urgensi.TINGGI: 1,
    Urgensi.SEDANG: 2,
    Urgensi.RENDAH: 3,
}

PER_PAGE = 20
DASHBOARD_ITEMS = 5


def _task_started():
    content_type = ContentType.objects.get_for_model(Laporan)
    return Subquery(
        TaskState.objects.filter(
            workflow_state__base_content_type=content_type,
            workflow_state__object_id=Cast(OuterRef("pk"), CharField()),
            status=TaskState.STATUS_IN_PROGRESS,
        )
        .order_by("-started_at")
        .values("started_at")[:1]
    )


def with_waiting_since(reports):
    return reports.annotate(menunggu_sejak=Coalesce(_task_started(), F("diperbarui")))


def waiting_for(user):
    """Reports waiting for `user`'s verification, in the order to work on them."""
    ranked = laporan_policy.verifiable_by(user).annotate(
        peringkat_urgensi=Case(
            *[When(urgensi=value, then=Value(rank)) for value, rank in URGENCY_RANK.items()],
            default=Value(len(URGENCY_RANK)),
            output_field=IntegerField(),
        )
    )
    return (
        with_waiting_since(ranked)
        .select_related("kecamatan", "desa", "jenis_athg", "aspek")
        .order_by("peringkat_urgensi", "menunggu_sejak", "pk")
    )


def next_for(user, after=None):
    """The report to open next: the head of the queue, other than `after`."""
    queue = waiting_for(user)
    if after is not None:
        queue = queue.exclude(pk=after.pk)
    return queue.select_related(None).only("pk", "nomor", "judul").first()


def shows_desk(user):
    """The desk is for those who verify: verifiers and administrators."""
    return laporan_policy.is_administrator(user) or bool(laporan_policy.verify_kecamatan_ids(user))
