"""The period the dashboard shows: today, this week or this month (the
recap periods, in WITA) or a custom range of dates.

A custom range answers the same questions as `cms.recaps.periods.Period`
(start and end instants, the previous period, a label), so the recap
aggregates take it as they take a recap period."""

import datetime
from dataclasses import dataclass

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cms.recaps.periods import WITA, Period, local_date

# A range longer than this is refused: the trend chart draws one bar a day.
MAX_RANGE_DAYS = 366

CHOICES = ("hari", "minggu", "bulan", "rentang")
CADENCE = {"hari": "harian", "minggu": "mingguan", "bulan": "bulanan"}
DEFAULT = "bulan"


@dataclass(frozen=True)
class Rentang:
    start_date: datetime.date
    last_date: datetime.date
    cadence: str = "rentang"

    @property
    def end_date(self):
        return self.last_date + datetime.timedelta(days=1)

    @property
    def days(self):
        return (self.end_date - self.start_date).days

    @property
    def start(self):
        return datetime.datetime.combine(self.start_date, datetime.time(), tzinfo=WITA)

    @property
    def end(self):
        return datetime.datetime.combine(self.end_date, datetime.time(), tzinfo=WITA)

    def previous(self):
        """The range of the same length just before this one."""
        last = self.start_date - datetime.timedelta(days=1)
        return Rentang(last - datetime.timedelta(days=self.days - 1), last)

    @property
    def label(self):
        with translation.override("id"):
            first = formats.date_format(self.start_date, "j F Y")
            if self.start_date == self.last_date:
                return first
            return f"{first} – {formats.date_format(self.last_date, 'j F Y')}"


@dataclass(frozen=True)
class Selection:
    """What the user asked for: the choice, the period, and why a custom
    range was refused (the dashboard then shows this month)."""

    choice: str
    period: object
    error: str = ""


def _parse(value):
    try:
        return datetime.date.fromisoformat(value or "")
    except ValueError:
        return None


def select(params, now=None):
    now = now or timezone.now()
    choice = params.get("periode") or DEFAULT
    if choice not in CHOICES:
        choice = DEFAULT
    if choice != "rentang":
        return Selection(choice, Period.containing(CADENCE[choice], now))
    start, last = _parse(params.get("dari")), _parse(params.get("sampai"))
    error = ""
    if start is None or last is None:
        error = _("Isi tanggal awal dan akhir rentang (format TTTT-BB-HH).")
    elif last < start:
        error = _("Tanggal akhir tidak boleh sebelum tanggal awal.")
    elif (last - start).days + 1 > MAX_RANGE_DAYS:
        error = _("Rentang paling panjang %(hari)s hari.") % {"hari": MAX_RANGE_DAYS}
    if error:
        return Selection(DEFAULT, Period.containing(CADENCE[DEFAULT], now), error)
    return Selection(choice, Rentang(start, last))


def today(now=None):
    return local_date(now or timezone.now())
