"""Wagtail admin for recaps. Every queryset comes from the recap policy and
every URL that names a recap goes through one guard (404 for a recap the
user may not see), as for reports. Submission and workflow decisions are
routed through cms/recaps/transitions.py."""

from functools import wraps

from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail.admin.ui.tables import Column, UpdatedAtColumn
from wagtail.admin.views.generic.workflow import WorkflowAction
from wagtail.snippets.views.chooser import (
    ChooseResultsView,
    ChooseView,
    SnippetChooserViewSet,
    SnippetChosenView,
)
from wagtail.snippets.views.snippets import (
    EditView,
    InspectView,
    SnippetViewSet,
    UnpublishView,
)

from . import transitions
from .delivery import download_url
from .models import RekapKabupaten, RekapKecamatan
from .permissions import policy_for

FORMATS = (("pdf", "PDF"), ("docx", "DOCX"), ("xlsx", "XLSX"))


def _report_errors(request, exc):
    if isinstance(exc, ValidationError):
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.error(request, str(exc) or _("Anda tidak dapat melakukan tindakan ini."))


class VisibleOnlyMixin:
    def get_object_list(self):
        return policy_for(self.model).visible_to(self.request.user)


class RekapChooseView(VisibleOnlyMixin, ChooseView):
    pass


class RekapChooseResultsView(VisibleOnlyMixin, ChooseResultsView):
    pass


class RekapChosenView(SnippetChosenView):
    def get_object(self, pk):
        try:
            return policy_for(self.model).visible_to(self.request.user).get(pk=pk)
        except (self.model.DoesNotExist, ValueError) as exc:
            raise Http404 from exc


class RekapChooserViewSet(SnippetChooserViewSet):
    choose_view_class = RekapChooseView
    choose_results_view_class = RekapChooseResultsView
    chosen_view_class = RekapChosenView


class RekapEditView(EditView):
    # Approval is the only way to publish, so no "publish" button; the
    # workflow is neither cancelled nor restarted from the editor.
    HIDDEN_ACTIONS = {"publish", "cancel-workflow", "restart-workflow"}

    def get_available_actions(self):
        return [a for a in super().get_available_actions() if a not in self.HIDDEN_ACTIONS]

    def submit_action(self):
        try:
            transitions.submit(self.object, self.request.user)
        except (ValidationError, PermissionDenied) as exc:
            _report_errors(self.request, exc)
            return redirect(self.get_edit_url())
        return None

    def workflow_action_action(self):
        try:
            transitions.decide(self.object, self.request.user, self.workflow_action,
                               comment=self.request.POST.get("comment", ""))
        except (ValidationError, PermissionDenied) as exc:
            _report_errors(self.request, exc)
            return redirect(self.get_edit_url())
        return None

    def post(self, request, *args, **kwargs):
        if self.permission_policy.user_can_edit(request.user, self.live_object):
            return super().post(request, *args, **kwargs)
        if self.action == "workflow-action":
            response = self.workflow_action_action()
            return response or redirect(self.get_success_url())
        raise PermissionDenied


class RekapUnpublishView(UnpublishView):
    """An approved recap is a record: it is never taken down from the admin."""

    def dispatch(self, request, *args, **kwargs):
        raise PermissionDenied


class RekapWorkflowAction(WorkflowAction):
    def post(self, request, *args, **kwargs):
        try:
            return super().post(request, *args, **kwargs)
        except ValidationError as exc:
            _report_errors(request, exc)
            return redirect(self.redirect_url)


class RekapInspectView(InspectView):
    EXTRA_LABELS = {"unduh": _("Unduh"), "title": _("Rekap")}

    def get_field_label(self, field_name, field):
        if field_name in self.EXTRA_LABELS:
            return self.EXTRA_LABELS[field_name]
        return super().get_field_label(field_name, field)

    def get_unduh_display_value(self):
        return format_html_join(
            " · ", '<a href="{}">{}</a>',
            ((download_url(self.object, fmt), label) for fmt, label in FORMATS),
        )

    def get_checksum_display_value(self):
        return format_html("<code>{}</code>", self.object.checksum) if self.object.checksum \
            else "—"


class RekapViewSet(SnippetViewSet):
    edit_view_class = RekapEditView
    chooser_viewset_class = RekapChooserViewSet
    inspect_view_enabled = True
    inspect_view_class = RekapInspectView
    workflow_action_view_class = RekapWorkflowAction
    unpublish_view_class = RekapUnpublishView
    list_per_page = 25
    edit_handler = ObjectList([
        FieldPanel("situasi_umum"), FieldPanel("penilaian"), FieldPanel("rekomendasi"),
    ])

    def get_queryset(self, request):
        return self.permission_policy.visible_to(request.user)

    def get_urlpatterns(self):
        # One guard for every URL that names a recap.
        patterns = super().get_urlpatterns()
        for pattern in patterns:
            if "pk" in getattr(pattern.pattern, "converters", {}):
                pattern.callback = self._guard(pattern.callback)
        return patterns

    def _guard(self, view):
        model, policy = self.model, self.permission_policy

        @wraps(view)
        def guarded(request, *args, **kwargs):
            recap = get_object_or_404(model, pk=unquote(str(kwargs["pk"])))
            if not policy.user_can_view(request.user, recap):
                raise Http404
            return view(request, *args, **kwargs)

        return guarded


class RekapKecamatanViewSet(RekapViewSet):
    model = RekapKecamatan
    icon = "doc-full"
    menu_label = _("Rekap kecamatan")
    menu_name = "rekap_kecamatan"
    list_display = [
        "__str__", "kecamatan", Column("periode", label=_("Periode"),
                                       accessor="get_periode_display"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("nomor", label=_("Nomor")), UpdatedAtColumn(),
    ]
    list_filter = ["periode", "status", "kecamatan"]
    inspect_view_fields = [
        "title", "kecamatan", "periode", "periode_mulai", "status", "nomor", "situasi_umum",
        "penilaian", "rekomendasi", "disetujui_pada", "disetujui_oleh", "checksum", "unduh",
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("kecamatan")


class RekapKabupatenViewSet(RekapViewSet):
    model = RekapKabupaten
    icon = "doc-full-inverse"
    menu_label = _("Rekap kabupaten")
    menu_name = "rekap_kabupaten"
    list_display = [
        "__str__", Column("periode", label=_("Periode"), accessor="get_periode_display"),
        Column("status", label=_("Status"), accessor="get_status_display"),
        Column("nomor", label=_("Nomor")), UpdatedAtColumn(),
    ]
    list_filter = ["periode", "status"]
    inspect_view_fields = [
        "title", "periode", "periode_mulai", "status", "nomor", "situasi_umum", "penilaian",
        "rekomendasi", "disetujui_pada", "ditandatangani_pada", "ditandatangani_oleh",
        "checksum", "unduh",
    ]
