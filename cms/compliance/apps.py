from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    name = "cms.compliance"
    label = "compliance"
    verbose_name = _("Kepatuhan pelaporan")
    default_auto_field = "django.db.models.BigAutoField"
