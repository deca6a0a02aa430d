from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DashboardConfig(AppConfig):
    """The leadership dashboard: what happened in a period, where, and what is
    still open, read from the same aggregates as the recaps."""

    name = "cms.dashboard"
    label = "dashboard"
    verbose_name = _("Dasbor pimpinan")
