"""Admin pages of one report's follow-up: the timeline (dispositions, each
agency's steps, overdue ones highlighted), issuing and withdrawing a
disposition, a step recorded on an agency's behalf, and incident linking.

Every URL here names a report and is wrapped by cms/reports/admin_guard.py
(FOLLOWUP_URLS): a report the user may not see is 404 before these views
run. What each user may do is the transition service's decision; the views
only show its answer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.reports.admin_workflow import is_not_found, refusal_message
from cms.reports.models import Laporan
from cms.reports.permissions import laporan_policy

from . import transitions
from .forms import CabutForm, DisposisiForm, LangkahForm, TautkanForm
from .incidents import suggestions
from .models import LangkahTindakLanjut, TautanKejadian, TindakLanjut

NAMESPACE = "followup_admin"


def timeline_url(laporan_pk):
    return reverse(f"{NAMESPACE}:timeline", args=[laporan_pk])


def incident_url(laporan_pk):
    return reverse(f"{NAMESPACE}:incident", args=[laporan_pk])


def _run(request, call, success):
    try:
        call()
    except (ValidationError, PermissionDenied) as exc:
        if is_not_found(exc):
            raise Http404 from exc
        messages.error(request, refusal_message(exc))
        return False
    messages.success(request, success)
    return True


def _form_errors(request, form):
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        messages.error(request, f"{label}: {' '.join(errors)}" if label else " ".join(errors))


class ReportMixin(WagtailAdminTemplateMixin):
    header_icon = "tasks"

    def dispatch(self, request, *args, pk, **kwargs):
        # The guard already refused a report the user may not see.
        self.laporan = (
            Laporan.objects.for_listing().filter(pk=pk).first()
        )
        if self.laporan is None or not laporan_policy.user_can_view(request.user, self.laporan):
            raise Http404
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("wagtailsnippets_reports_laporan:list"), "label": _("Laporan ATHG")},
            {"url": reverse("wagtailsnippets_reports_laporan:inspect", args=[self.laporan.pk]),
             "label": str(self.laporan.nomor or self.laporan.pk)},
            {"url": "", "label": self.get_page_title()},
        ]


def dispositions_of(laporan):
    """Every disposition of the report with its follow-ups and their steps,
    in a fixed number of queries."""
    steps = LangkahTindakLanjut.objects.select_related("oleh").prefetch_related("lampiran")
    follow_ups = TindakLanjut.objects.select_related("instansi", "dialihkan_dari__instansi") \
        .prefetch_related(Prefetch("langkah", queryset=steps))
    return list(
        laporan.disposisi.select_related("dibuat_oleh", "dicabut_oleh")
        .prefetch_related(Prefetch("tindak_lanjut", queryset=follow_ups))
        .order_by("-dibuat", "-pk")
    )


class TimelineView(ReportMixin, TemplateView):
    """The issuer's and the leadership's view of what became of a report."""

    template_name = "followup/admin/timeline.html"

    def get_page_title(self):
        return _("Tindak lanjut")

    def get(self, request, *args, **kwargs):
        if not transitions.may_see_timeline(request.user, self.laporan):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        user = self.request.user
        now = timezone.now()
        dispositions = dispositions_of(self.laporan)
        for disposisi in dispositions:
            for follow_up in disposisi.tindak_lanjut.all():
                follow_up.terlambat = (
                    disposisi.aktif and follow_up.terbuka and disposisi.batas_waktu < now
                )
        verified = self.laporan.live and self.laporan.status == "terverifikasi"
        return {
            **super().get_context_data(**kwargs),
            "laporan": self.laporan,
            "dispositions": dispositions,
            "may_issue": transitions.may_issue(user) and verified,
            "may_record": laporan_policy.is_administrator(user),
            "issue_form": DisposisiForm(prefix="disposisi"),
            "step_form_class": LangkahForm,
            "now": now,
        }


class IssueView(ReportMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = DisposisiForm(request.POST, prefix="disposisi")
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(timeline_url(self.laporan.pk))
        data = form.cleaned_data
        _run(request, lambda: transitions.issue(
            self.laporan.pk, request.user, instruksi=data["instruksi"],
            instansi_ids=[a.pk for a in data["instansi"]], prioritas=data["prioritas"],
            batas_waktu=data["batas_waktu"], bagikan_terbatas=data["bagikan_terbatas"],
        ), _("Disposisi dikirim kepada %(n)d instansi.") % {"n": len(data["instansi"])})
        return redirect(timeline_url(self.laporan.pk))


class WithdrawView(ReportMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = CabutForm(request.POST)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(timeline_url(self.laporan.pk))
        pk = form.cleaned_data["disposisi"]
        if not self.laporan.disposisi.filter(pk=pk).exists():
            # A disposition of another report does not exist as far as this
            # report is concerned.
            raise Http404
        _run(request, lambda: transitions.withdraw(pk, request.user, form.cleaned_data["alasan"]),
             _("Disposisi dicabut; instansi tujuan tidak lagi melihat laporan ini."))
        return redirect(timeline_url(self.laporan.pk))


class StepView(ReportMixin, TemplateView):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        form = LangkahForm(request.POST, request.FILES)
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(timeline_url(self.laporan.pk))
        data = form.cleaned_data
        pk = data["tindak_lanjut"]
        if not TindakLanjut.objects.filter(pk=pk, disposisi__laporan=self.laporan).exists():
            raise Http404
        uploads = [data["lampiran"]] if data.get("lampiran") else []
        _run(request, lambda: transitions.record_step(
            pk, request.user, status=data["status"], catatan=data["catatan"], uploads=uploads,
            ke_instansi_id=data["ke_instansi"].pk if data.get("ke_instansi") else None,
        ), _("Langkah tindak lanjut dicatat."))
        return redirect(timeline_url(self.laporan.pk))


class IncidentView(ReportMixin, TemplateView):
    """The report's incident and the reports proposed as the same event."""

    template_name = "followup/admin/incident.html"

    def get_page_title(self):
        return _("Kejadian")

    def _check(self):
        if not transitions.may_link(self.request.user, self.laporan):
            raise PermissionDenied

    def _choices(self):
        self.proposed = suggestions(self.laporan, self.request.user)
        return [(str(other.pk), str(other)) for other, _km in self.proposed]

    def get(self, request, *args, **kwargs):
        self._check()
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        tautan = (
            TautanKejadian.objects.select_related("kejadian").filter(laporan=self.laporan).first()
        )
        kejadian = tautan.kejadian if tautan else None
        form = TautkanForm(choices=self._choices())
        return {
            **super().get_context_data(**kwargs),
            "laporan": self.laporan,
            "kejadian": kejadian,
            "anggota": (
                Laporan.objects.filter(tautan_kejadian__kejadian=kejadian)
                .select_related("kecamatan").order_by("waktu_kejadian")
                if kejadian else []
            ),
            "proposed": self.proposed,
            "form": form,
        }

    def post(self, request, *args, **kwargs):
        self._check()
        if request.POST.get("status"):
            tautan = TautanKejadian.objects.filter(laporan=self.laporan).first()
            if tautan is None:
                raise Http404
            _run(request, lambda: transitions.set_incident_status(
                request.user, tautan.kejadian_id, request.POST["status"]
            ), _("Status kejadian diperbarui."))
            return redirect(incident_url(self.laporan.pk))
        if request.POST.get("lepas"):
            _run(request, lambda: transitions.unlink(request.user, self.laporan.pk),
                 _("Laporan dilepas dari kejadian."))
            return redirect(incident_url(self.laporan.pk))
        form = TautkanForm(request.POST, choices=self._choices())
        if not form.is_valid():
            _form_errors(request, form)
            return redirect(incident_url(self.laporan.pk))
        tautan = TautanKejadian.objects.filter(laporan=self.laporan).first()
        pks = [self.laporan.pk, *map(int, form.cleaned_data["laporan"])]
        _run(request, lambda: transitions.link(
            request.user, pks, kejadian_pk=tautan.kejadian_id if tautan else None,
            judul=form.cleaned_data["judul"] or self.laporan.judul,
        ), _("Laporan ditautkan ke kejadian."))
        return redirect(incident_url(self.laporan.pk))
