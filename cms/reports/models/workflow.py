from django.db import models
from django.db.models.functions import Cast
from django.utils.translation import gettext_lazy as _
from wagtail.models import Task, TaskState


class VerifikasiKecamatanTask(Task):
    """Routes each report to the verifiers assigned to *its* kecamatan.

    Who may act is decided by the report permission policy (the one layer
    every path uses), not by group membership."""

    def _policy(self):
        from cms.reports.permissions import laporan_policy

        return laporan_policy

    def user_can_access_editor(self, obj, user):
        return self._policy().user_can_verify(user, obj)

    def locked_for_user(self, obj, user):
        return not self._policy().user_can_verify(user, obj)

    def user_can_lock(self, obj, user):
        return self._policy().user_can_verify(user, obj)

    def user_can_unlock(self, obj, user):
        return False

    def get_actions(self, obj, user):
        if not self._policy().user_can_verify(user, obj):
            return []
        return [
            ("reject", _("Minta perbaikan"), True),
            ("approve", _("Verifikasi"), True),
        ]

    def get_form_for_action(self, action):
        # The admin forms module needs a ready app registry; models load first.
        from cms.reports.workflow_forms import PerbaikanForm, PersetujuanForm

        return PersetujuanForm if action == "approve" else PerbaikanForm

    def on_action(self, task_state, user, action_name, **kwargs):
        # Every path that acts on the task (Wagtail's workflow action view, the
        # edit view's workflow action, the API) ends here or in the service:
        # the decision runs through the transition service, against the task
        # state's own report, with the row locked and the data validated.
        from cms.reports import transitions

        transitions.decide(
            int(task_state.workflow_state.object_id), user, action_name,
            data=kwargs, task_state_id=task_state.pk,
        )

    def get_task_states_user_can_moderate(self, user, **kwargs):
        from .laporan import Laporan

        # WorkflowState.object_id is text; compare against the report pk as text.
        waiting = (
            self._policy().verifiable_by(user)
            .annotate(pk_text=Cast("pk", models.CharField()))
            .values("pk_text")
        )
        return self.task_states.filter(
            status=TaskState.STATUS_IN_PROGRESS,
            workflow_state__base_content_type__app_label=Laporan._meta.app_label,
            workflow_state__base_content_type__model=Laporan._meta.model_name,
            workflow_state__object_id__in=waiting,
        )

    @classmethod
    def get_description(cls):
        return _("Verifikator yang ditugaskan di kecamatan laporan memverifikasi laporan itu.")

    class Meta:
        verbose_name = _("tugas verifikasi kecamatan")
        verbose_name_plural = _("tugas verifikasi kecamatan")
