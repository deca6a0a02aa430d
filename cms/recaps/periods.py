"""Recap periods, always in WITA (Asia/Makassar).

A report filed at 23:30 WITA belongs to that calendar day, although its UTC
date is the day before; weeks run Monday to Sunday; months are calendar
months. A period is identified by its cadence and the local date it starts
on; `start` and `end` are aware datetimes, `end` exclusive, so a period is
the half-open range [start, end) and two periods never share an instant."""

import datetime
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import models
from django.utils import formats, translation
from django.utils.translation import gettext_lazy as _

from . import conf

WITA = ZoneInfo("Asia/Makassar")


class Cadence(models.TextChoices):
    HARIAN = "harian", _("Harian")
    MINGGUAN = "mingguan", _("Mingguan")
    BULANAN = "bulanan", _("Bulanan")


def local_date(value):
    """The WITA calendar date of an aware datetime (or a date, unchanged)."""
    if isinstance(value, datetime.datetime):
        if value.tzinfo is None:
            raise ValueError("naive datetime: recap periods need an aware moment")
        return value.astimezone(WITA).date()
    return value


def _first_day(cadence, day):
    if cadence == Cadence.HARIAN:
        return day
    if cadence == Cadence.MINGGUAN:
        return day - datetime.timedelta(days=day.weekday())
    if cadence == Cadence.BULANAN:
        return day.replace(day=1)
    raise ValueError(f"unknown cadence {cadence!r}")


@dataclass(frozen=True, order=True)
class Period:
    cadence: str
    start_date: datetime.date

    def __post_init__(self):
        if _first_day(self.cadence, self.start_date) != self.start_date:
            raise ValueError(f"{self.start_date} does not start a {self.cadence} period")

    @classmethod
    def containing(cls, cadence, value):
        return cls(Cadence(cadence).value, _first_day(cadence, local_date(value)))

    @property
    def end_date(self):
        """The first local date after the period."""
        if self.cadence == Cadence.HARIAN:
            return self.start_date + datetime.timedelta(days=1)
        if self.cadence == Cadence.MINGGUAN:
            return self.start_date + datetime.timedelta(days=7)
        year, month = divmod(self.start_date.month, 12)
        return datetime.date(self.start_date.year + year, month + 1, 1)

    @property
    def last_date(self):
        return self.end_date - datetime.timedelta(days=1)

    @property
    def start(self):
        return datetime.datetime.combine(self.start_date, datetime.time(), tzinfo=WITA)

    @property
    def end(self):
        return datetime.datetime.combine(self.end_date, datetime.time(), tzinfo=WITA)

    def next(self):
        return Period(self.cadence, self.end_date)

    def previous(self):
        return Period.containing(self.cadence, self.start_date - datetime.timedelta(days=1))

    def contains(self, moment):
        return self.start <= moment < self.end

    def due_at(self):
        """When this period's recap is drafted: the cut-off time (WITA) on the
        first day after the period."""
        hours, minutes = (int(part) for part in conf.cutoff(self.cadence).split(":"))
        return self.end + datetime.timedelta(hours=hours, minutes=minutes)

    @property
    def label(self):
        """As it is written on the document, always in Indonesian."""
        with translation.override("id"):
            if self.cadence == Cadence.HARIAN:
                return formats.date_format(self.start_date, "l, j F Y")
            if self.cadence == Cadence.BULANAN:
                return formats.date_format(self.start_date, "F Y")
            first, last = self.start_date, self.last_date
            end = formats.date_format(last, "j F Y")
            if first.year != last.year:
                return f"{formats.date_format(first, 'j F Y')} – {end}"
            if first.month != last.month:
                return f"{formats.date_format(first, 'j F')} – {end}"
            return f"{first.day} – {end}"

    def __str__(self):
        return f"{self.cadence} {self.start_date.isoformat()}"


def latest_due(now, cadence):
    """The most recent period whose recap is due at `now`."""
    period = Period.containing(cadence, now)
    while period.due_at() > now:
        period = period.previous()
    return period


def due_periods(now, cadence, since=None, until=None):
    """Every period of `cadence` whose recap is due at `now`, oldest first:
    from the period containing `since` (default: only the latest due one)
    up to the latest due period, or the period containing `until` if that is
    earlier. Periods not yet due are never returned."""
    last = latest_due(now, cadence)
    if until is not None:
        last = min(last, Period.containing(cadence, until))
    first = Period.containing(cadence, since) if since is not None else last
    periods = []
    period = first
    while period <= last:
        periods.append(period)
        period = period.next()
    return periods
