from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlatformConfig(AppConfig):
    name = "cms.platform"
    label = "platform"
    verbose_name = _("Platform plugin")
