from django.utils.translation import gettext_lazy as _

from cms.platform.plugins import PluginConfig


class WebhooksConfig(PluginConfig):
    name = "plugins.webhooks"
    label = "webhooks"
    verbose_name = _("Webhook")
    default_auto_field = "django.db.models.BigAutoField"

    class SikandaPluginMeta:
        name = "Webhook bertanda tangan"
        version = "1.0.0"
        author = "Tim SIKANDA"
        description = (
            "Mengirim peristiwa laporan (diajukan, perlu perbaikan, terverifikasi, "
            "dipublikasikan, ditarik) ke sistem lain lewat HTTP POST yang ditandatangani "
            "HMAC-SHA256, dengan pengiriman ulang otomatis bila penerima gagal."
        )
        compatibility = ">=0.1,<1"

    def ready(self):
        super().ready()
        from cms.recaps import events as recap_events
        from cms.reports import events

        from .receivers import on_recap_event, on_report_event

        # Written in the event's transaction, like the notification outbox.
        for event in events.ALL:
            event.connect(on_report_event, in_transaction=True)
        for event in recap_events.ALL:
            event.connect(on_recap_event, in_transaction=True)
