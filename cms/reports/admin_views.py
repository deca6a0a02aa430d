"""Wagtail admin for reports. Every queryset and every per-object URL goes
through the report permission policy."""

import json
from functools import wraps

import django_filters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Min
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.filters import DateRangePickerWidget, WagtailFilterSet
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    ObjectList,
    TabbedInterface,
)
from wagtail.admin.ui.components import Component
from wagtail.admin.ui.tables import Column, UpdatedAtColumn
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import EditView, InspectView, SnippetViewSet

from . import transitions
from .admin_workflow import LaporanWorkflowActionView, run_decision
from .models import Aspek, JenisATHG, Kecamatan, Laporan, Status, Urgensi
from .permissions import laporan_policy


class LaporanFilterSet(WagtailFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Status.choices)
    kecamatan = django_filters.ModelChoiceFilter(
        label=_("Kecamatan"), queryset=Kecamatan.objects.all()
    )
    aspek = django_filters.ModelChoiceFilter(label=_("Aspek"), queryset=Aspek.objects.all())
    jenis_athg = django_filters.ModelChoiceFilter(
        label=_("Jenis ATHG"), queryset=JenisATHG.objects.all()
    )
    urgensi = django_filters.ChoiceFilter(label=_("Urgensi"), choices=Urgensi.choices)
    waktu_kejadian = django_filters.DateFromToRangeFilter(
        label=_("Waktu kejadian"), widget=DateRangePickerWidget
    )

    class Meta:
        model = Laporan
        fields = ["status", "kecamatan", "aspek", "jenis_athg", "urgensi", "waktu_kejadian"]


class VisibleOnlyMixin:
    def get_object_list(self):
        return laporan_policy.visible_to(self.request.user).select_related("kecamatan")


class LaporanChooseView(VisibleOnlyMixin, ChooseView):
    pass


class LaporanChooseResultsView(VisibleOnlyMixin, ChooseResultsView):
    pass


class LaporanChosenView(SnippetChosenView):
    def get_object(self, pk):
        return laporan_policy.visible_to(self.request.user).get(pk=pk)


class LaporanChooserViewSet(SnippetChooserViewSet):
    choose_view_class = LaporanChooseView
    choose_results_view_class = LaporanChooseResultsView
    chosen_view_class = LaporanChosenView


def _extra_data(request):
    """The edit view's workflow action data: JSON from the browser, anything
    from anyone else. The transition service validates it; this only decodes."""
    try:
        data = json.loads(request.POST.get("workflow-action-extra-data") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


class LaporanEditView(EditView):
    """The verification task lets a verifier open the editor to approve or
    send back; it does not make the officer's content theirs to change. A
    user the policy does not let edit may only run the workflow action."""

    def post(self, request, *args, **kwargs):
        if laporan_policy.user_can_edit(request.user, self.live_object):
            return super().post(request, *args, **kwargs)
        if self.action == "workflow-action":
            self.workflow_action_action()
            return redirect(self.get_success_url())
        raise PermissionDenied

    def save_instance(self):
        # Inside the editor's transaction: lock the row, then refuse to save
        # over a revision saved since this editor was loaded (Wagtail itself
        # only refuses that for autosave) or over someone else's edit lock.
        fresh = Laporan.objects.select_for_update().get(pk=self.live_object.pk)
        loaded = self.request.POST.get("loaded_revision_id")
        if loaded and loaded != str(fresh.latest_revision_id):
            raise PermissionDenied(
                _("Laporan sudah diubah orang lain sejak Anda membukanya. Muat ulang halaman "
                  "untuk melihat versi terbaru, lalu ulangi perubahan Anda.")
            )
        try:
            transitions.check_lock(fresh, self.request.user)
        except ValidationError as exc:
            raise PermissionDenied(" ".join(exc.messages)) from exc
        return super().save_instance()

    # Every state change the editor offers runs through the transition
    # service like every other path, so its lock, checks and outbox apply.
    def workflow_action_action(self):
        run_decision(
            self.request, self.live_object, self.workflow_action,
            lambda: transitions.decide(
                self.live_object.pk, self.request.user, self.workflow_action,
                data=_extra_data(self.request),
            ),
        )

    def submit_action(self):
        run_decision(self.request, self.live_object, "submit",
                     lambda: transitions.submit(self.live_object.pk, self.request.user))

    def cancel_workflow_action(self):
        run_decision(self.request, self.live_object, "cancel",
                     lambda: transitions.withdraw(self.live_object.pk, self.request.user))

    def restart_workflow_action(self):
        def restart():
            with transaction.atomic():
                transitions.withdraw(self.live_object.pk, self.request.user)
                transitions.submit(self.live_object.pk, self.request.user)

        run_decision(self.request, self.live_object, "restart", restart)


class LaporanInspectView(InspectView):
    """What a verifier reads before deciding: the uniform body, where it
    happened (with a map link), the attachments and any earlier grading."""

    EXTRA_LABELS = {
        "lokasi": _("Lokasi"),
        "lampiran": _("Lampiran"),
        "penilaian": _("Penilaian verifikator"),
    }

    def get_field_label(self, field_name, field):
        if field_name in self.EXTRA_LABELS:
            return self.EXTRA_LABELS[field_name]
        return super().get_field_label(field_name, field)

    def get_lokasi_display_value(self):
        laporan = self.object
        if not laporan.has_location:
            return _("Tidak ada koordinat")
        lat, lng = f"{laporan.latitude:f}", f"{laporan.longitude:f}"
        accuracy = (
            format_html(" (± {} m)", laporan.akurasi_m) if laporan.akurasi_m is not None else ""
        )
        return format_html(
            '{}, {}{} — <a href="https://www.openstreetmap.org/?mlat={}&amp;mlon={}#map=16/{}/{}"'
            ' target="_blank" rel="noopener">{}</a>',
            lat, lng, accuracy, lat, lng, lat, lng, _("buka peta"),
        )

    def get_lampiran_display_value(self):
        items = list(self.object.lampiran.all())
        if not items:
            return _("Tidak ada lampiran")
        return format_html_join(
            "", '<p><a href="{}" target="_blank" rel="noopener">{}{}</a> {}</p>',
            (
                (
                    reverse("reports:lampiran", args=[item.pk]),
                    format_html(
                        '<img src="{}?ukuran=thumb" alt="" width="160" height="120"><br>',
                        reverse("reports:lampiran", args=[item.pk]),
                    ) if item.jenis == item.Jenis.FOTO else "",
                    item.nama_asli or item.get_jenis_display(),
                    item.keterangan,
                )
                for item in items
            ),
        )

    def get_penilaian_display_value(self):
        penilaian = getattr(self.object, "penilaian", None)
        if penilaian is None:
            return _("Belum dinilai")
        return format_html(
            "{} / {} — {}", penilaian.get_keandalan_sumber_display(),
            penilaian.get_kredibilitas_informasi_display(), penilaian.verifikator,
        )


class LaporanViewSet(SnippetViewSet):
    model = Laporan
    icon = "warning"
    menu_label = _("Laporan ATHG")
    menu_name = "laporan"
    menu_order = 150
    add_to_admin_menu = True
    chooser_viewset_class = LaporanChooserViewSet
    edit_view_class = LaporanEditView
    workflow_action_view_class = LaporanWorkflowActionView
    list_display = [
        "__str__",
        Column("nomor", label=_("Nomor")),
        "kecamatan",
        "jenis_athg",
        Column("urgensi", label=_("Urgensi"), accessor="get_urgensi_display"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        UpdatedAtColumn(),
    ]
    filterset_class = LaporanFilterSet
    # Search with the ORM over these fields: through the search backend the
    # admin would only autocomplete on `judul` (the model's one
    # AutocompleteField), and the SQLite backend rejects `fields=` outright
    # ("no such column: judul").
    search_fields = ["judul", "fakta", "nomor"]
    search_backend_name = None
    list_per_page = 25
    inspect_view_enabled = True
    inspect_view_class = LaporanInspectView
    inspect_view_fields = [
        "nomor", "judul", "status", "periode", "jenis_athg", "aspek", "urgensi", "kecamatan",
        "desa", "lokasi", "waktu_kejadian", "fakta", "analisis",
        "rekomendasi", "sumber_informasi", "klasifikasi", "pelapor", "lampiran", "penilaian",
    ]
    edit_handler = TabbedInterface([
        ObjectList([
            FieldPanel("judul"),
            FieldRowPanel(
                [FieldPanel("periode"), FieldPanel("urgensi"), FieldPanel("klasifikasi")]
            ),
            FieldRowPanel([FieldPanel("jenis_athg"), FieldPanel("aspek")]),
            FieldPanel("waktu_kejadian"),
            FieldPanel("fakta"),
            FieldPanel("analisis"),
            FieldPanel("rekomendasi"),
            FieldPanel("sumber_informasi"),
        ], heading=_("Isi laporan")),
        ObjectList([
            FieldRowPanel([FieldPanel("kecamatan"), FieldPanel("desa")]),
            MultiFieldPanel([
                FieldRowPanel(
                    [FieldPanel("latitude"), FieldPanel("longitude"), FieldPanel("akurasi_m")]
                ),
            ], heading=_("Koordinat")),
        ], heading=_("Lokasi")),
        ObjectList([InlinePanel("lampiran", heading=_("Lampiran"))], heading=_("Lampiran")),
    ])

    def get_queryset(self, request):
        return laporan_policy.visible_to(request.user).for_listing()

    def get_urlpatterns(self):
        # One guard for every URL that names a report (edit, inspect, history,
        # revisions, preview, workflow actions, lock, usage, delete): a report
        # the user may not see does not exist for them.
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            if "pk" in getattr(pattern.pattern, "converters", {}):
                pattern.callback = self._guard(pattern.callback)
        return patterns

    @staticmethod
    def _guard(view):
        @wraps(view)
        def guarded(request, *args, **kwargs):
            laporan = get_object_or_404(Laporan, pk=unquote(str(kwargs["pk"])))
            if not laporan_policy.user_can_view(request.user, laporan):
                raise Http404
            return view(request, *args, **kwargs)

        return guarded


class MenungguVerifikasiPanel(Component):
    """Dashboard: how many reports wait for this verifier, and the oldest."""

    name = "menunggu_verifikasi"
    order = 50
    template_name = "reports/admin/menunggu_verifikasi_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        waiting = laporan_policy.verifiable_by(self.user)
        summary = waiting.aggregate(jumlah=Count("pk"), sejak=Min("diperbarui"))
        oldest = (
            waiting.order_by("diperbarui").select_related("kecamatan").first()
            if summary["jumlah"] else None
        )
        return {
            **summary, "oldest": oldest, "index_url_name": "wagtailsnippets_reports_laporan:list"
        }


class RingkasanPanel(Component):
    """Dashboard: how many verified reports, where and when, as charts (the
    leadership would rather look than read). Same policy as every list."""

    name = "ringkasan_laporan"
    order = 60
    template_name = "reports/admin/ringkasan_panel.html"

    def __init__(self, user):
        self.user = user

    def get_context_data(self, parent_context):
        from . import charts

        daily = charts.trend(self.user)
        places = charts.per_kecamatan(self.user)
        return {
            "trend": charts.bars(daily),
            "total": sum(day["total"] for day in daily),
            "urgent": sum(day["urgent"] for day in daily),
            "places": places,
            "places_peak": max([p["total"] for p in places] + [1]),
            "days": charts.DAYS,
        }
