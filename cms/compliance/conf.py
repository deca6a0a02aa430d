"""Compliance settings (`SIKANDA_COMPLIANCE`), with Kesbangpol's defaults.

The reminder times are WITA clock times on the day being chased: officers
of a kecamatan with neither a report nor a *laporan nihil* hear at
`remind_officers_at`, its verifiers at `remind_verifiers_at` if still
nothing has come."""

import datetime

from django.conf import settings

DEFAULTS = {"remind_officers_at": "17:00", "remind_verifiers_at": "19:00"}


def setting(name):
    return {**DEFAULTS, **getattr(settings, "SIKANDA_COMPLIANCE", {})}[name]


def clock(name):
    hours, minutes = (int(part) for part in setting(name).split(":"))
    return datetime.time(hours, minutes)
