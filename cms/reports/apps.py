from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "cms.reports"
    label = "reports"
    verbose_name = _("Laporan ATHG")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from . import derived, log_actions, signals  # noqa: F401
        from .models import Laporan
        from .permissions import laporan_policy

        # Registered before any admin view can create a fallback policy.
        register_permission_policy(Laporan, laporan_policy)

        # Phones (iPhones above all) send HEIC photos; Wagtail's Willow[heif]
        # installs the decoder, but Pillow only uses it once registered.
        from pillow_heif import register_heif_opener

        register_heif_opener()
