from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeskConfig(AppConfig):
    """The verification desk: where verifiers spend their day."""

    name = "cms.desk"
    label = "desk"
    verbose_name = _("Meja verifikasi")
