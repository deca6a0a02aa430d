"""Wagtail admin for reports. Every queryset and every per-object URL goes
through the report permission policy."""

import csv
import datetime
import json

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import Http404
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
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
from wagtail.admin.ui.tables import BulkActionsCheckboxColumn, Column, UpdatedAtColumn
from wagtail.admin.views.bulk_action import BulkAction
from wagtail.admin.views.mixins import Echo
from wagtail.admin.widgets.button import HeaderButton, ListingButton
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenMultipleView,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import (
    CollectWorkflowActionDataView,
    CopyView,
    CreateView,
    DeleteView,
    EditView,
    HistoryView,
    IndexView,
    InspectView,
    PreviewRevisionView,
    SnippetViewSet,
    WorkflowHistoryDetailView,
    WorkflowHistoryView,
)

from cms.desk.columns import UrgensiColumn
from cms.desk.wita import in_wita, wita

from . import admin_guard, services, transitions
from .admin_paginator import CappedPaginator
from .admin_workflow import WorkflowActionWithMessagesView, refusal_message, run_decision
from .forms import LampiranAdminForm, LampiranInput, LaporanAdminForm
from .models import Aspek, JenisATHG, Kecamatan, Laporan, Status, Urgensi
from .permissions import laporan_policy


class LampiranPanel(InlinePanel):
    """The attachment rows, each form checking its upload by content."""

    def get_form_options(self):
        options = super().get_form_options()
        options["formsets"][self.relation_name]["form"] = LampiranAdminForm
        return options


class TindakLanjutFilter(models.TextChoices):
    TERBUKA = "terbuka", _("Terbuka")
    TERLAMBAT = "terlambat", _("Terlambat")


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
    # What the leadership dashboard's numbers click through to; the
    # conditions are the ones the dashboard counts with (cms/dashboard).
    tindak_lanjut = django_filters.ChoiceFilter(
        label=_("Tindak lanjut"), choices=TindakLanjutFilter.choices,
        method="filter_tindak_lanjut",
    )
    tindak_lanjut_selesai = django_filters.DateFromToRangeFilter(
        label=_("Tindak lanjut selesai"), widget=DateRangePickerWidget,
        method="filter_tindak_lanjut_selesai",
    )
    darurat_terbuka = django_filters.BooleanFilter(
        label=_("Darurat belum tertangani"), method="filter_darurat_terbuka"
    )

    class Meta:
        model = Laporan
        fields = ["status", "kecamatan", "aspek", "jenis_athg", "urgensi", "waktu_kejadian"]

    def filter_tindak_lanjut(self, queryset, name, value):
        from cms.dashboard import selections

        if value == TindakLanjutFilter.TERBUKA:
            return queryset.filter(selections.follow_up_open())
        if value == TindakLanjutFilter.TERLAMBAT:
            return queryset.filter(selections.follow_up_overdue())
        return queryset

    def filter_tindak_lanjut_selesai(self, queryset, name, value):
        from cms.dashboard import selections

        if not value or (value.start is None and value.stop is None):
            return queryset
        # The range ends at 23:59:59.999999 of its last day; the selection
        # takes an exclusive end.
        end = value.stop + datetime.timedelta(microseconds=1) if value.stop else None
        return queryset.filter(selections.follow_up_closed_between(value.start, end))

    def filter_darurat_terbuka(self, queryset, name, value):
        from cms.dashboard import selections

        if value:
            return queryset.filter(selections.open_emergency())
        return queryset


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


class LaporanChosenMultipleView(SnippetChosenMultipleView):
    def get_objects(self, pks):
        return laporan_policy.visible_to(self.request.user).filter(pk__in=pks)


class LaporanChooserViewSet(SnippetChooserViewSet):
    choose_view_class = LaporanChooseView
    choose_results_view_class = LaporanChooseResultsView
    chosen_view_class = LaporanChosenView
    chosen_multiple_view_class = LaporanChosenMultipleView

    def get_urlpatterns(self):
        return admin_guard.guard_urlpatterns(super().get_urlpatterns(), admin_guard.CHOOSER_URLS)


class LaporanBulkActionRemoved(BulkAction):
    """Takes the place of Wagtail's bulk delete for reports. Deleting a report
    is a transition with its own rules (drafts, explicit confirmation, audit
    entry, files), made one report at a time; the confirmation page would also
    list the titles of reports the user may not see."""

    display_name = _("Hapus")
    action_type = "delete"
    aria_label = _("Laporan tidak dapat dihapus secara massal")
    models = [Laporan]

    def dispatch(self, request, *args, **kwargs):
        raise Http404


class ReadersGoToTheDeskMixin:
    """Wagtail's editor, history and revision pages belong to those who may
    write the report. Anyone else who may read it (a verifier deciding, the
    Pimpinan) is taken to the report's desk screen, which holds the body,
    the decisions, every comment and the whole history, instead of a
    permission error on the dashboard or an editor whose changes would be
    refused. Only reading is redirected: what is posted keeps its own rules."""

    desk_anchor = ""

    def dispatch(self, request, *args, **kwargs):
        if request.method in ("GET", "HEAD"):
            laporan = admin_guard.find_report(request.user, kwargs.get("pk"))
            if not laporan_policy.user_can_edit(request.user, laporan):
                url = reverse("sikanda_desk:detail", args=[laporan.pk])
                return redirect(url + self.desk_anchor)
        return super().dispatch(request, *args, **kwargs)


class LaporanHistoryView(ReadersGoToTheDeskMixin, HistoryView):
    desk_anchor = "#bagian-riwayat"


class LaporanWorkflowHistoryView(ReadersGoToTheDeskMixin, WorkflowHistoryView):
    desk_anchor = "#bagian-riwayat"


class LaporanWorkflowHistoryDetailView(ReadersGoToTheDeskMixin, WorkflowHistoryDetailView):
    desk_anchor = "#bagian-riwayat"


class LaporanRevisionView(ReadersGoToTheDeskMixin, PreviewRevisionView):
    desk_anchor = "#bagian-riwayat"


class RecordingByAdministratorsMixin:
    """In the admin, new reports (and copies) are recorded by administrators
    only; officers who also verify file theirs from the app. The policy's
    "add" also answers for the app, so the admin buttons ask here."""

    def user_has_permission(self, permission):
        if permission == "add":
            return laporan_policy.is_administrator(self.request.user)
        return super().user_has_permission(permission)


class LaporanIndexView(RecordingByAdministratorsMixin, IndexView):
    # An exact count of the visible reports is over a second at a million.
    paginator_class = CappedPaginator

    def get_list_buttons(self, instance):
        # Every row leads to the verification desk, where the report is read
        # and decided (the guard and the policy answer for it there too).
        desk = ListingButton(
            _("Buka di meja verifikasi"), reverse("sikanda_desk:detail", args=[instance.pk]),
            icon_name="tasks", attrs={"aria-label": _("Buka %(laporan)s di meja verifikasi")
                                      % {"laporan": instance}},
        )
        return [desk, *super().get_list_buttons(instance)]

    @property
    def columns(self):
        return [
            column for column in super().columns
            if not isinstance(column, BulkActionsCheckboxColumn)
        ]

    # Exports (?export=csv|xlsx, the listing's download buttons): the rows of
    # this listing (the policy's, with the filters applied), the columns that
    # need no restricted access, times in WITA; CSV is streamed in chunks.
    def stream_csv(self, queryset):
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export)
        yield writer.writerow({field: self.get_heading(queryset, field)
                               for field in self.list_export})
        for item in queryset.iterator(chunk_size=500):
            yield self.write_csv_row(writer, self.to_row_dict(item))


class SubmitThroughServiceMixin:
    """Sending a report to verification gives it its number and starts the
    workflow in the report service, the same path the app takes."""

    def submit_action(self):
        try:
            services.submit(self.object, self.request.user)
        except (ValidationError, PermissionDenied) as exc:
            message = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            messages.error(self.request, message or _("Laporan tidak dapat dikirim."))
            return redirect(self.get_edit_url())
        return None


class LaporanCreateView(SubmitThroughServiceMixin, CreateView):
    """An administrator records a report received by phone, letter or in
    person (the guard keeps everyone else out)."""


class LaporanCopyView(SubmitThroughServiceMixin, CopyView):
    def get_initial_form_instance(self):
        # A copy starts as a new report: no number, no reporter, no workflow,
        # and none of the original's attachments (they are its evidence).
        original = self.get_object()
        return Laporan(**{
            field.attname: getattr(original, field.attname)
            for field in Laporan._meta.concrete_fields
            if field.name in LaporanViewSet.COPIED_FIELDS
        })


class ScopedTaskStateMixin:
    """Wagtail loads the task state named in the URL by id alone; here it must
    be the task in progress of this very report."""

    def get_task_state(self):
        task_state = admin_guard.current_task_state(self.object, self.task_state_id)
        if task_state is None:
            raise Http404
        return task_state.specific


class LaporanWorkflowActionView(ScopedTaskStateMixin, WorkflowActionWithMessagesView):
    pass


class LaporanCollectWorkflowActionDataView(ScopedTaskStateMixin, CollectWorkflowActionDataView):
    pass


def _extra_data(request):
    """The edit view's workflow action data: JSON from the browser, anything
    from anyone else. The transition service validates it; this only decodes."""
    try:
        data = json.loads(request.POST.get("workflow-action-extra-data") or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


class LaporanEditView(ReadersGoToTheDeskMixin, RecordingByAdministratorsMixin,
                      SubmitThroughServiceMixin, EditView):
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

    def cancel_workflow_action(self):
        run_decision(self.request, self.live_object, "cancel",
                     lambda: transitions.withdraw(self.live_object.pk, self.request.user))

    def restart_workflow_action(self):
        def restart():
            with transaction.atomic():
                transitions.withdraw(self.live_object.pk, self.request.user)
                transitions.submit(self.live_object.pk, self.request.user)

        run_decision(self.request, self.live_object, "restart", restart)


class LaporanDeleteView(DeleteView):
    """Wagtail's confirmation page is the explicit confirmation; the deletion
    itself is a transition (row lock, edit lock, policy, audit entry, files)."""

    def delete_action(self):
        transitions.delete(self.object.pk, self.request.user, confirm=True)

    def form_valid(self, form):
        try:
            return super().form_valid(form)
        except (ValidationError, PermissionDenied) as exc:
            messages.error(self.request, refusal_message(exc))
            return redirect(self.get_success_url())


# Other apps add sections below the report's fields (the follow-up's panel):
# functions registered for this hook take (request, laporan, panels) and
# append Components. Each panel decides itself what this user may read.
INSPECT_PANELS_HOOK = "construct_report_inspect_panels"


class LaporanInspectView(RecordingByAdministratorsMixin, InspectView):
    """What a verifier reads before deciding: the uniform body, where it
    happened (with a map link), the attachments and any earlier grading;
    then what other apps add (INSPECT_PANELS_HOOK)."""

    template_name = "reports/admin/laporan_inspect.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        panels = []
        for hook in hooks.get_hooks(INSPECT_PANELS_HOOK):
            hook(self.request, self.object, panels)
        context["report_panels"] = panels
        return context

    EXTRA_LABELS = {
        "lokasi": _("Lokasi"),
        "lampiran": _("Lampiran"),
        "penilaian": _("Penilaian verifikator"),
    }

    @property
    def header_buttons(self):
        # The decision is taken on the desk: one click from here.
        desk = HeaderButton(
            _("Buka di meja verifikasi"),
            url=reverse("sikanda_desk:detail", args=[self.object.pk]), icon_name="tasks",
        )
        return [desk, *super().header_buttons]

    def get_field_label(self, field_name, field):
        if field_name in self.EXTRA_LABELS:
            return self.EXTRA_LABELS[field_name]
        return super().get_field_label(field_name, field)

    # Times in WITA with the label, whatever zone the database or a profile uses.
    def get_waktu_kejadian_display_value(self):
        return wita(self.object.waktu_kejadian)

    def get_dibuat_display_value(self):
        return wita(self.object.dibuat)

    def get_diperbarui_display_value(self):
        return wita(self.object.diperbarui)

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
        return mark_safe("".join(  # noqa: S308 - each item is an autoescaped template
            render_to_string("reports/admin/lampiran_item.html", {"lampiran": item})
            for item in items
        ))

    def get_penilaian_display_value(self):
        penilaian = getattr(self.object, "penilaian", None)
        if penilaian is None:
            return _("Belum dinilai")
        return format_html(
            "{} / {} — {}", penilaian.get_keandalan_sumber_display(),
            penilaian.get_kredibilitas_informasi_display(), penilaian.verifikator,
        ) + format_html(" ({})", wita(penilaian.waktu))


class LaporanViewSet(SnippetViewSet):
    model = Laporan
    icon = "warning"
    menu_label = _("Laporan ATHG")
    menu_name = "laporan"
    menu_order = 150
    add_to_admin_menu = True
    chooser_viewset_class = LaporanChooserViewSet
    index_view_class = LaporanIndexView
    index_template_name = "reports/admin/laporan_index.html"
    index_results_template_name = "reports/admin/laporan_results.html"
    add_view_class = LaporanCreateView
    copy_view_class = LaporanCopyView
    edit_view_class = LaporanEditView
    delete_view_class = LaporanDeleteView
    history_view_class = LaporanHistoryView
    workflow_history_view_class = LaporanWorkflowHistoryView
    workflow_history_detail_view_class = LaporanWorkflowHistoryDetailView
    revisions_view_class = LaporanRevisionView
    workflow_action_view_class = LaporanWorkflowActionView
    collect_workflow_action_data_view_class = LaporanCollectWorkflowActionDataView
    list_display = [
        "__str__",
        Column("nomor", label=_("Nomor")),
        "kecamatan",
        "jenis_athg",
        UrgensiColumn(label=_("Urgensi")),
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
    list_export = [
        "nomor", "judul", "get_status_display", "get_urgensi_display", "kecamatan", "desa",
        "jenis_athg", "aspek", "get_periode_display", "get_klasifikasi_display",
        "waktu_kejadian", "first_published_at",
    ]
    export_headings = {
        "nomor": _("Nomor"), "judul": _("Judul"), "get_status_display": _("Status"),
        "get_urgensi_display": _("Urgensi"), "kecamatan": _("Kecamatan"),
        "desa": _("Desa/kelurahan"), "jenis_athg": _("Jenis ATHG"), "aspek": _("Aspek"),
        "get_periode_display": _("Periode"), "get_klasifikasi_display": _("Klasifikasi"),
        "waktu_kejadian": _("Waktu kejadian (WITA)"),
        "first_published_at": _("Pertama diterbitkan (WITA)"),
    }
    export_filename = "laporan-sikanda"
    inspect_view_enabled = True
    inspect_view_class = LaporanInspectView
    inspect_view_fields = [
        "nomor", "judul", "status", "periode", "jenis_athg", "aspek", "urgensi", "kecamatan",
        "desa", "lokasi", "waktu_kejadian", "fakta", "analisis",
        "rekomendasi", "sumber_informasi", "klasifikasi", "pelapor", "saluran", "lampiran",
        "penilaian", "dibuat", "diperbarui",
    ]
    # What a copy takes from the original: the content, not the record.
    COPIED_FIELDS = (
        "judul", "periode", "jenis_athg", "aspek", "urgensi", "kecamatan", "desa", "latitude",
        "longitude", "akurasi_m", "waktu_kejadian", "fakta", "analisis", "rekomendasi",
        "sumber_informasi", "klasifikasi",
    )
    edit_handler = TabbedInterface([
        ObjectList([
            # Only on creation (the form drops them once the report exists).
            MultiFieldPanel([
                FieldRowPanel([FieldPanel("atas_nama"), FieldPanel("saluran")]),
            ], heading=_("Pencatatan laporan")),
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
        ObjectList([
            LampiranPanel("lampiran", heading=_("Lampiran"), panels=[
                FieldPanel("berkas", widget=LampiranInput),
                FieldPanel("keterangan"),
            ]),
        ], heading=_("Lampiran")),
    ], base_form_class=LaporanAdminForm)

    def get_queryset(self, request):
        return laporan_policy.visible_to(request.user).for_listing()

    def get_index_view_kwargs(self, **kwargs):
        # Spreadsheet cells get WITA wall-clock times (openpyxl cannot store a
        # zone; Wagtail would write UTC), the CSV the labelled text.
        wita_cells = {
            IndexView.FORMAT_CSV: lambda value: wita(value) if value else "",
            IndexView.FORMAT_XLSX: lambda value: in_wita(value).replace(tzinfo=None)
            if value else None,
        }
        return super().get_index_view_kwargs(
            custom_field_preprocess={"waktu_kejadian": wita_cells,
                                     "first_published_at": wita_cells},
            **kwargs,
        )

    def get_urlpatterns(self):
        return admin_guard.guard_urlpatterns(super().get_urlpatterns(), admin_guard.SNIPPET_URLS)


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

        daily, places = charts.both(self.user)
        return {
            "trend": charts.bars(daily),
            "total": sum(day["total"] for day in daily),
            "urgent": sum(day["urgent"] for day in daily),
            "places": places,
            "places_peak": max([p["total"] for p in places] + [1]),
            "days": charts.DAYS,
        }
