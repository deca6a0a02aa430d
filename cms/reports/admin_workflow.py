"""The admin's workflow actions on a report, ending in the transition service.

Wagtail's views call the task's `on_action`, which runs
`transitions.decide`; what the service refuses (a decision already taken by
another verifier, a lock, invalid grading) comes back as a message on the
report, never as a server error."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from wagtail.snippets.views.snippets import WorkflowActionView

SUCCESS = {
    "approve": _("Laporan %(nomor)s diverifikasi."),
    "reject": _("Laporan %(nomor)s dikembalikan kepada pelapor untuk diperbaiki."),
}


def refusal_message(exc):
    if isinstance(exc, PermissionDenied):
        return str(exc) or _("Anda tidak dapat melakukan tindakan ini.")
    return " ".join(exc.messages)


def is_not_found(exc):
    if not isinstance(exc, ValidationError):
        return False
    groups = exc.error_dict.values() if hasattr(exc, "error_dict") else [exc.error_list]
    return any(error.code == "not_found" for errors in groups for error in errors)


def run_decision(request, laporan, action, call):
    """Run `call` (which acts through the task) and report the outcome as a
    message. Returns True when the decision was recorded."""
    try:
        call()
    except (ValidationError, PermissionDenied) as exc:
        if is_not_found(exc):
            raise Http404 from exc
        messages.error(request, refusal_message(exc))
        return False
    if action in SUCCESS:
        messages.success(request, SUCCESS[action] % {"nomor": laporan.nomor or laporan.pk})
    return True


class WorkflowActionWithMessagesView(WorkflowActionView):
    def post(self, request, *args, **kwargs):
        response = None

        def call():
            nonlocal response
            response = super(WorkflowActionWithMessagesView, self).post(request, *args, **kwargs)

        if run_decision(request, self.object, self.action_name, call):
            return response
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return self.render_modal_json(
                request, {"step": "success", "redirect": self.redirect_url}
            )
        return redirect(self.redirect_url)
