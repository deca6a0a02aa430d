from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "cms.notifications"
    label = "notifications"
    verbose_name = _("Notifikasi")

    def ready(self):
        from cms.reports import events

        from .outbox import record

        # Written in the same transaction as the change that causes it.
        for event in events.ALL:
            event.connect(record, in_transaction=True)
