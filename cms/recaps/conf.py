"""Recap settings, with the defaults Kesbangpol Balangan works to. Each can be
overridden in the Django settings of a deployment."""

from django.conf import settings

# When a period's recap is drafted, as a local (WITA) time on the day after
# the period ends: the daily recap of the 28th is drafted at 00:15 on the 29th,
# late enough for reports filed just before midnight to arrive.
DEFAULT_CUTOFF = {"harian": "00:15", "mingguan": "00:30", "bulanan": "01:00"}

# `{seq}` is the yearly sequence, `{year}` the year of approval.
DEFAULT_NUMBER_PATTERN = "300.1/{seq:03d}/Kesbangpol/{year}"


def cutoff(cadence):
    return {**DEFAULT_CUTOFF, **getattr(settings, "SIKANDA_RECAP_CUTOFF", {})}[cadence]


def number_pattern():
    return getattr(settings, "SIKANDA_RECAP_NUMBER_PATTERN", DEFAULT_NUMBER_PATTERN)
