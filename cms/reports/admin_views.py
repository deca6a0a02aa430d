"""Wagtail admin for reports. Every queryset and every per-object URL goes
through the report permission policy."""

from functools import wraps

import django_filters
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Min
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
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
from wagtail.snippets.views.snippets import EditView, SnippetViewSet

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


class LaporanViewSet(SnippetViewSet):
    model = Laporan
    icon = "warning"
    menu_label = _("Laporan ATHG")
    menu_name = "laporan"
    menu_order = 150
    add_to_admin_menu = True
    chooser_viewset_class = LaporanChooserViewSet
    edit_view_class = LaporanEditView
    list_display = [
        "__str__",
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
    inspect_view_fields = [
        "nomor", "judul", "status", "periode", "jenis_athg", "aspek", "urgensi", "kecamatan",
        "desa", "latitude", "longitude", "akurasi_m", "waktu_kejadian", "fakta", "analisis",
        "rekomendasi", "sumber_informasi", "klasifikasi", "pelapor",
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
