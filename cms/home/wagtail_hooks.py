"""The admin as SIKANDA's users see it: what they do not use is not shown.

- Wagtail's *Help* menu (What's new in Wagtail, the Wagtail editor guide,
  shortcuts) points to wagtail.org in English: removed.
- Wagtail's *Reports* menu (site history, aging pages, workflows…) sits next to
  *Laporan ATHG* and is mistaken for it: renamed *Laporan sistem*, and shown
  to administrators only."""

import copy

from django.utils.translation import gettext_lazy as _
from wagtail import hooks

from cms.reports.permissions import laporan_policy

SYSTEM_REPORTS_LABEL = _("Laporan sistem")


@hooks.register("construct_main_menu")
def sikanda_main_menu(request, menu_items):
    administrator = laporan_policy.is_administrator(request.user)
    kept = []
    for item in menu_items:
        if item.name == "help":
            continue
        if item.name == "reports":
            if not administrator:
                continue
            # Menu items are shared by every request: rename a copy.
            item = copy.copy(item)
            item.label = SYSTEM_REPORTS_LABEL
        kept.append(item)
    menu_items[:] = kept
