"""Audit-log actions of SIKANDA's own, shown in Wagtail's history views."""

from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.log_actions import LogFormatter

from .transitions import RETRACT_ACTION


@hooks.register("register_log_actions")
def register_report_actions(actions):
    @actions.register_action(RETRACT_ACTION)
    class TarikLaporan(LogFormatter):
        label = _("Tarik laporan")

        def format_message(self, log_entry):
            alasan = (log_entry.data or {}).get("alasan", "")
            return _("Laporan ditarik: %(alasan)s") % {"alasan": alasan}
