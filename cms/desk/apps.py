from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The verification desk: where verifiers spend their day."""

    name = "cms.desk"
    label = "desk"
    verbose_name = _("Meja verifikasi")

    def ready(self):
        switch_off_wagtail_workflow_emails()


# Connected by wagtail.admin's ready() (wagtail/admin/signal_handlers.py).
WAGTAIL_WORKFLOW_EMAILS = (
    ("task_submitted", "TaskState", "group_approval_task_submitted_email_notification"),
    ("workflow_submitted", "WorkflowState", "workflow_state_submitted_email_notification"),
    ("workflow_rejected", "WorkflowState", "workflow_state_rejected_email_notification"),
    ("workflow_approved", "WorkflowState", "workflow_state_approved_email_notification"),
)


def switch_off_wagtail_workflow_emails():
    """Wagtail e-mails workflow steps itself: half in English, with links into
    an admin that officers are refused from, to people SIKANDA's rules would
    not tell. SIKANDA's notification rules (cms/notifications/rules.py)
    decide who hears what, through the outbox and its channels (the e-mail
    plugin among them). This app comes after wagtail.admin, whose ready()
    connected them."""
    from wagtail import models, signals

    for signal_name, sender, dispatch_uid in WAGTAIL_WORKFLOW_EMAILS:
        getattr(signals, signal_name).disconnect(
            sender=getattr(models, sender), dispatch_uid=dispatch_uid
        )
