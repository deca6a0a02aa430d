"""The follow-up's section on a report's page in the admin (the inspect view,
through cms.reports' `construct_report_inspect_panels` hook): the
dispositions, the agencies they address, each agency's steps with notes and
attachments, overdue ones highlighted; and the report's incident.

What it shows is `transitions.follow_up_scope` for this user and report —
the same answer the API's `dispositions` and the attachments view give —
read in a fixed number of queries however many dispositions, agencies, steps
and attachments there are."""

from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone
from wagtail.admin.ui.components import Component

from cms.reports.models import Laporan
from cms.reports.permissions import laporan_policy

from . import admin_views, transitions
from .models import Instansi, LangkahTindakLanjut, TautanKejadian, TindakLanjut


def _dispositions(laporan, scope, user):
    steps = LangkahTindakLanjut.objects.select_related("oleh").prefetch_related("lampiran")
    follow_ups = (
        TindakLanjut.objects.select_related("instansi", "dialihkan_dari__instansi")
        .prefetch_related(Prefetch("langkah", queryset=steps))
    )
    dispositions = laporan.disposisi.select_related("dibuat_oleh", "dicabut_oleh")
    if scope == transitions.OWN_FOLLOW_UPS:
        mine = Instansi.objects.filter(anggota=user, aktif=True)
        follow_ups = follow_ups.filter(instansi__in=mine)
        dispositions = dispositions.filter(
            dicabut_pada__isnull=True, tindak_lanjut__instansi__in=mine
        ).distinct()
    return list(
        dispositions.prefetch_related(Prefetch("tindak_lanjut", queryset=follow_ups))
        .order_by("-dibuat", "-pk")
    )


def _incident(laporan, user):
    tautan = TautanKejadian.objects.select_related("kejadian").filter(laporan=laporan).first()
    if tautan is None:
        return None, []
    others = (
        laporan_policy.visible_to(user)
        .filter(tautan_kejadian__kejadian_id=tautan.kejadian_id)
        .exclude(pk=laporan.pk)
        .select_related("kecamatan")
        .order_by("waktu_kejadian", "pk")
    )
    return tautan.kejadian, [
        (other, reverse("wagtailsnippets_reports_laporan:inspect", args=[other.pk]))
        for other in others
    ]


class ReportFollowUpPanel(Component):
    template_name = "followup/admin/laporan_panel.html"

    def __init__(self, user, laporan):
        self.user = user
        self.laporan = laporan

    def get_context_data(self, parent_context=None):
        user, laporan = self.user, self.laporan
        scope = transitions.follow_up_scope(user, laporan)
        now = timezone.now()
        dispositions = _dispositions(laporan, scope, user) if scope else []
        overdue = 0
        for disposisi in dispositions:
            for follow_up in disposisi.tindak_lanjut.all():
                follow_up.terlambat = (
                    disposisi.aktif and follow_up.terbuka and disposisi.batas_waktu < now
                )
                overdue += follow_up.terlambat
        kejadian, others = _incident(laporan, user)
        return {
            "laporan": laporan,
            "scope": scope,
            "dispositions": dispositions,
            "overdue": overdue,
            "kejadian": kejadian,
            "others": others,
            "timeline_url": (
                admin_views.timeline_url(laporan.pk)
                if transitions.may_see_timeline(user, laporan) else None
            ),
            "incident_url": (
                admin_views.incident_url(laporan.pk) if transitions.may_link(user, laporan)
                else None
            ),
        }


def report_panels(request, laporan, panels):
    """Only for numbered reports (a draft has neither follow-up nor incident)."""
    if isinstance(laporan, Laporan) and laporan.nomor:
        panels.append(ReportFollowUpPanel(request.user, laporan))
