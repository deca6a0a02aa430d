"""The verification queue: the reports waiting for one user, most urgent first
and, within an urgency, the longest waiting first.

The waiting time is measured from the start of the report's current
verification task (a resubmission after changes starts a new one), not from
the report's last change: an administrator's correction must not push a
report to the back of the queue. The transition service stores that start on
the report (`menunggu_sejak`), so the queue's head and count are read from its
indexes (laporan_antrean_kec_idx, laporan_antrean_idx) instead of sorting
every waiting report per request."""

from cms.reports.models.laporan import urgency_rank
from cms.reports.permissions import laporan_policy

PER_PAGE = 20
DASHBOARD_ITEMS = 5


def waiting_for(user):
    """Reports waiting for `user`'s verification, in the order to work on them."""
    return (
        laporan_policy.verifiable_by(user)
        .annotate(peringkat_urgensi=urgency_rank())
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
