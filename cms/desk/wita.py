"""Times as SIKANDA's users read them: in WITA (Asia/Makassar), always with
the label, whatever time zone the server, the database or a user's admin
profile is set to."""

import zoneinfo

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.timesince import timesince

WITA = zoneinfo.ZoneInfo("Asia/Makassar")


def in_wita(value):
    if value is None:
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value, WITA)
    return timezone.localtime(value, WITA)


def wita(value, fmt="j F Y, H.i"):
    """'29 November 2026, 07.30 WITA' (month names in the active language);
    a date without a time (the WITA date) carries no label."""
    if value is None:
        return ""
    text = date_format(in_wita(value), fmt)
    return f"{text} WITA" if "H" in fmt or "G" in fmt else text


def waited(since, now=None):
    """'3 jam' / '2 hari': the largest unit only, for a queue at a glance."""
    if since is None:
        return ""
    return timesince(since, now or timezone.now(), depth=1)
