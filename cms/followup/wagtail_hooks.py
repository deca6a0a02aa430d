from datetime import datetime

from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets.button import Button
from wagtail.log_actions import LogFormatter

from cms.reports import admin_guard
from cms.reports.admin_views import INSPECT_PANELS_HOOK
from cms.reports.models import Laporan
from cms.reports.permissions import laporan_policy

from . import admin_views, deadlines, panels, transitions
from .gaps import kecamatan_without_verifier
from .models import OPEN_STATUSES, StatusTindakLanjut, TindakLanjut


@hooks.register("register_admin_urls")
def register_followup_urls():
    base = "reports/laporan/<int:pk>/tindak-lanjut/"
    patterns = admin_guard.guard_urlpatterns([
        path(base, admin_views.TimelineView.as_view(), name="timeline"),
        path(f"{base}disposisi/", admin_views.IssueView.as_view(), name="issue"),
        path(f"{base}cabut/", admin_views.WithdrawView.as_view(), name="withdraw"),
        path(f"{base}langkah/", admin_views.StepView.as_view(), name="step"),
        path(f"{base}kejadian/", admin_views.IncidentView.as_view(), name="incident"),
    ], admin_guard.FOLLOWUP_URLS)
    return [path("", include((patterns, admin_views.NAMESPACE), namespace=admin_views.NAMESPACE))]


hooks.register(INSPECT_PANELS_HOOK, panels.report_panels)


@hooks.register("register_snippet_listing_buttons")
def report_followup_buttons(snippet, user, next_url=None):
    if not isinstance(snippet, Laporan):
        return
    if transitions.may_issue(user) and snippet.nomor:
        yield Button(_("Tindak lanjut"), admin_views.timeline_url(snippet.pk), icon_name="tasks",
                     priority=60)
    if transitions.may_link(user, snippet):
        yield Button(_("Kejadian"), admin_views.incident_url(snippet.pk), icon_name="link",
                     priority=61)


@hooks.register("register_log_actions")
def register_followup_actions(actions):
    def simple(action, label, message):
        class Formatter(LogFormatter):
            def format_message(self, log_entry):
                data = log_entry.data or {}
                return message % {
                    "instansi": ", ".join(
                        item.get("nama", "") for item in data.get("instansi", ())
                        if isinstance(item, dict)
                    ) if isinstance(data.get("instansi"), list)
                    else (data.get("instansi") or {}).get("nama", ""),
                    "status": data.get("status", ""),
                    "catatan": data.get("catatan", ""),
                    "alasan": data.get("alasan", ""),
                    "judul": data.get("judul", ""),
                }

        Formatter.label = label
        actions.register_action(action)(Formatter)

    simple(transitions.ISSUE_ACTION, _("Disposisi"), _("Disposisi kepada %(instansi)s"))
    simple(transitions.WITHDRAW_ACTION, _("Cabut disposisi"),
           _("Disposisi kepada %(instansi)s dicabut: %(alasan)s"))
    simple(transitions.STEP_ACTION, _("Tindak lanjut"),
           _("%(instansi)s: %(status)s — %(catatan)s"))
    simple(transitions.LINK_ACTION, _("Tautkan ke kejadian"), _("Ditautkan ke kejadian %(judul)s"))
    simple(transitions.UNLINK_ACTION, _("Lepas dari kejadian"),
           _("Dilepas dari kejadian %(judul)s"))
    simple(transitions.INCIDENT_STATUS_ACTION, _("Status kejadian"),
           _("Kejadian %(judul)s kini berstatus %(status)s"))
    simple(deadlines.ESCALATE_ACTION, _("Eskalasi verifikasi"),
           _("Batas waktu verifikasi terlewati; Administrator diberi tahu."))


def _month_start(now):
    local = timezone.localtime(now)
    return timezone.make_aware(datetime(local.year, local.month, 1))


class TindakLanjutPanel(Component):
    """Dashboard of the leadership: open, overdue and closed-this-month
    follow-ups of the reports they may see."""

    name = "tindak_lanjut"
    order = 55
    template_name = "followup/admin/tindak_lanjut_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        now = timezone.now()
        follow_ups = TindakLanjut.objects.filter(
            disposisi__dicabut_pada__isnull=True,
            disposisi__laporan__in=laporan_policy.visible_to(self.user),
        )
        open_ = follow_ups.filter(status__in=OPEN_STATUSES)
        overdue = open_.filter(disposisi__batas_waktu__lt=now)
        return {
            "terbuka": open_.count(),
            "terlambat": overdue.count(),
            "selesai": follow_ups.filter(
                status=StatusTindakLanjut.SELESAI, diperbarui__gte=_month_start(now)
            ).count(),
            "daftar_terlambat": [
                (item, reverse(f"{admin_views.NAMESPACE}:timeline",
                               args=[item.disposisi.laporan_id]))
                for item in overdue.select_related("instansi", "disposisi__laporan")
                .order_by("disposisi__batas_waktu")[:5]
            ],
        }


class KecamatanTanpaVerifikatorPanel(Component):
    """Administrators see at once where no verifier receives submissions."""

    name = "kecamatan_tanpa_verifikator"
    order = 45
    template_name = "followup/admin/tanpa_verifikator_panel.html"

    def get_context_data(self, parent_context):
        return {"kecamatan": list(kecamatan_without_verifier())}


@hooks.register("construct_homepage_panels")
def add_followup_panels(request, panels):
    user = request.user
    if laporan_policy.is_administrator(user):
        panels.append(KecamatanTanpaVerifikatorPanel())
    if transitions.may_issue(user):
        panels.append(TindakLanjutPanel(user))
