"""The verification desk: the queue of reports waiting for this user, and one
screen per report with everything needed to decide and the decision itself.

Every URL that names a report is wrapped by the admin guard
(cms/reports/admin_guard.py, table DESK_URLS): a report the user may not see
answers 404 before these views run. The views read through the report
policy again, and every decision goes through the report services, which
run the transition service (row lock, policy, edit lock, validation,
outbox). What the service refuses comes back as a message, never a 500."""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django.views.generic import TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import ModelLogEntry, Revision

from cms.reports import services, transitions
from cms.reports.admin_workflow import is_not_found, refusal_message, run_decision
from cms.reports.models import Status
from cms.reports.models.laporan import Lampiran
from cms.reports.permissions import laporan_policy

from . import queue
from .forms import PerbaikanForm, SetujuiForm, TarikForm

DEFAULT_TILES = {
    "URL": "https://tile.openstreetmap.org/{z}/{x}/{y}.png",
    "ATTRIBUTION": "© OpenStreetMap contributors",
}
HISTORY_LIMIT = 100
REVISIONS_LIMIT = 20
REPORTER_HISTORY = 5


def map_tiles():
    """`SIKANDA_MAP_TILES` (URL template and attribution); OpenStreetMap by default."""
    return {**DEFAULT_TILES, **getattr(settings, "SIKANDA_MAP_TILES", {})}


def _tile_origin():
    parts = urlsplit(map_tiles()["URL"])
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    # "{s}.tile.example.org" (Leaflet's subdomains) is "*.tile.example.org" in CSP.
    return f"{parts.scheme}://{parts.netloc.replace('{s}', '*')}"


def allow_tiles(response):
    """The map's tiles come from the tile server: its origin, and only it, is
    added to the page's img-src (django-csp merges this update)."""
    origin = _tile_origin()
    if origin:
        update = getattr(response, "_csp_update", None) or {}
        response._csp_update = {**update, "img-src": [*update.get("img-src", []), origin]}
    return response


def desk_url(laporan):
    return reverse("sikanda_desk:detail", args=[laporan.pk])


def load(user, pk):
    """The report with what its screen shows, read through the policy."""
    reports = laporan_policy.visible_to(user).select_related(
        "kecamatan", "desa", "aspek", "jenis_athg", "pelapor", "locked_by", "ditarik_oleh",
        "penilaian__verifikator",
    ).prefetch_related(
        Prefetch("lampiran", queryset=Lampiran.objects.order_by("sort_order", "pk"))
    )
    return get_object_or_404(reports, pk=pk)


class DeskMixin(WagtailAdminTemplateMixin):
    header_icon = "tasks"

    def get_breadcrumbs_items(self):
        return [
            *super().get_breadcrumbs_items(),
            {"url": reverse("sikanda_desk:queue"), "label": _("Meja verifikasi")},
        ]


class QueueView(DeskMixin, TemplateView):
    template_name = "desk/queue.html"
    page_title = gettext_lazy("Meja verifikasi")

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        page = Paginator(queue.waiting_for(self.request.user), queue.PER_PAGE).get_page(
            self.request.GET.get("halaman")
        )
        context.update({"page": page, "reports": list(page.object_list)})
        return context


class LaporanView(DeskMixin, TemplateView):
    template_name = "desk/laporan.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.laporan = load(request.user, kwargs["pk"])

    def get_page_title(self):
        return self.laporan.nomor or self.laporan.judul

    def get_breadcrumbs_items(self):
        return [*super().get_breadcrumbs_items(), {"url": "", "label": self.get_page_title()}]

    def get_context_data(self, forms=None, **kwargs):
        context = super().get_context_data(**kwargs)
        user, laporan = self.request.user, self.laporan
        restricted = laporan_policy.user_can_see_restricted(user, laporan)
        can_decide = laporan.status == Status.MENUNGGU and laporan_policy.user_can_verify(
            user, laporan
        )
        can_retract = (
            laporan.status == Status.TERVERIFIKASI and laporan.live
            and transitions.may_retract(user, laporan)
        )
        forms = forms or {}
        context.update({
            "laporan": laporan,
            "restricted": restricted,
            "can_decide": can_decide,
            "can_retract": can_retract,
            # Wagtail's revision previews are for those who may write the report.
            "can_edit": laporan_policy.user_can_edit(user, laporan),
            "locked_by_other": laporan.locked and laporan.locked_by_id not in (None, user.pk),
            "setujui_form": forms.get("setujui") or SetujuiForm(),
            "perbaikan_form": forms.get("perbaikan") or PerbaikanForm(),
            "tarik_form": forms.get("tarik") or TarikForm(),
            "lampiran": list(laporan.lampiran.all()),
            "history": self.history(),
            "revisions": list(
                Revision.objects.for_instance(laporan).select_related("user")
                .order_by("-created_at", "-pk")[:REVISIONS_LIMIT]
            ),
            "next_report": queue.next_for(user, after=laporan) if queue.shows_desk(user) else None,
            "tiles": map_tiles(),
        })
        if restricted:
            earlier = laporan_policy.visible_to(user).filter(
                pelapor_id=laporan.pelapor_id
            ).exclude(pk=laporan.pk)
            context["reporter_count"] = earlier.count()
            context["reporter_reports"] = list(
                earlier.select_related("kecamatan").order_by("-dibuat", "-pk")[:REPORTER_HISTORY]
            )
        return context

    def history(self):
        """Every step of the report, newest first: edits, submissions, the
        verifiers' decisions with their comments, publication, retraction."""
        return list(
            ModelLogEntry.objects.for_instance(self.laporan)
            .select_related("user").order_by("-timestamp", "-pk")[:HISTORY_LIMIT]
        )

    def render_to_response(self, context, **response_kwargs):
        return allow_tiles(super().render_to_response(context, **response_kwargs))


def _invalid(request, pk, name, form):
    view = LaporanView()
    view.setup(request, pk=pk)
    context = view.get_context_data(forms={name: form})
    response = view.render_to_response(context)
    response.status_code = 400
    return response


@require_POST
def approve(request, pk):
    laporan = load(request.user, pk)
    form = SetujuiForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Verifikasi belum tercatat: pilih penilaian sumber dan "
                                  "informasi terlebih dahulu."))
        return _invalid(request, pk, "setujui", form)
    data = form.cleaned_data
    run_decision(request, laporan, "approve", lambda: services.act(
        laporan, request.user, "approve", comment=data["comment"],
        keandalan_sumber=data["keandalan_sumber"],
        kredibilitas_informasi=data["kredibilitas_informasi"],
    ))
    return redirect(desk_url(laporan))


@require_POST
def request_changes(request, pk):
    laporan = load(request.user, pk)
    form = PerbaikanForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Permintaan perbaikan belum terkirim: tuliskan apa yang "
                                  "harus diperbaiki."))
        return _invalid(request, pk, "perbaikan", form)
    run_decision(request, laporan, "reject", lambda: services.act(
        laporan, request.user, "reject", comment=form.cleaned_data["comment"],
    ))
    return redirect(desk_url(laporan))


@require_POST
def retract(request, pk):
    laporan = load(request.user, pk)
    form = TarikForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Laporan belum ditarik: tuliskan alasannya."))
        return _invalid(request, pk, "tarik", form)
    try:
        services.retract(laporan, request.user, form.cleaned_data["alasan"])
    except (ValidationError, PermissionDenied) as exc:
        if is_not_found(exc):
            raise Http404 from exc
        messages.error(request, refusal_message(exc))
    else:
        messages.success(
            request,
            _("Laporan %(nomor)s ditarik. Halaman publiknya kini menyatakan laporan ditarik.")
            % {"nomor": laporan.nomor},
        )
    return redirect(desk_url(laporan))
