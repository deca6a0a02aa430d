from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecapsConfig(AppConfig):
    name = "cms.recaps"
    label = "recaps"
    verbose_name = _("Rekap berjenjang")
    default_auto_field = "django.db.models.BigAutoField"
