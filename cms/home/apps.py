from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HomeConfig(AppConfig):
    name = "cms.home"
    label = "home"
    verbose_name = _("Beranda")

    def ready(self):
        from cms.recaps import events

        from .summaries import on_recap_signed

        # A signed monthly regency recap publishes the public summary page.
        events.recap_signed.connect(on_recap_signed)
