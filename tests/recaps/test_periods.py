"""Recap periods at the WITA boundaries."""

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.test import override_settings

from cms.recaps.periods import WITA, Cadence, Period, due_periods, latest_due

UTC = datetime.UTC


def wita(*args):
    return datetime.datetime(*args, tzinfo=WITA)


def test_report_belongs_to_its_wita_day_although_its_utc_date_is_the_day_before():
    late = wita(2026, 11, 28, 23, 30)
    assert Period.containing("harian", late).start_date == datetime.date(2026, 11, 28)
    early = wita(2026, 11, 29, 7, 30)  # 23:30 UTC on the 28th
    assert early.astimezone(UTC).date() == datetime.date(2026, 11, 28)
    assert Period.containing("harian", early).start_date == datetime.date(2026, 11, 29)


def test_2359_and_0000_wita_fall_in_consecutive_days():
    before = wita(2026, 11, 28, 23, 59, 59)
    midnight = wita(2026, 11, 29, 0, 0)
    day = Period.containing("harian", before)
    assert day.start_date == datetime.date(2026, 11, 28)
    assert day.contains(before) and not day.contains(midnight)
    assert Period.containing("harian", midnight) == day.next()
    assert day.end == midnight
    # Midnight WITA is 16:00 UTC the day before.
    assert day.end.astimezone(UTC) == datetime.datetime(2026, 11, 28, 16, 0, tzinfo=UTC)


def test_same_utc_instant_is_classified_by_wita_not_by_utc():
    instant = datetime.datetime(2026, 11, 28, 16, 30, tzinfo=UTC)  # 00:30 WITA on the 29th
    assert Period.containing("harian", instant).start_date == datetime.date(2026, 11, 29)
    jakarta = instant.astimezone(ZoneInfo("Asia/Jakarta"))  # 23:30 WIB on the 28th
    assert Period.containing("harian", jakarta).start_date == datetime.date(2026, 11, 29)


def test_week_runs_monday_to_sunday_across_midnight_and_the_year_end():
    sunday_late = wita(2027, 1, 3, 23, 59)
    monday = wita(2027, 1, 4, 0, 0)
    week = Period.containing("mingguan", sunday_late)
    assert week.start_date == datetime.date(2026, 12, 28)  # a Monday
    assert week.last_date == datetime.date(2027, 1, 3)
    assert week.label == "28 Desember 2026 – 3 Januari 2027"
    assert Period.containing("mingguan", monday) == week.next()
    assert week.previous().start_date == datetime.date(2026, 12, 21)


def test_month_edges_and_december():
    assert Period.containing("bulanan", wita(2026, 11, 30, 23, 59)).start_date == datetime.date(
        2026, 11, 1
    )
    december = Period.containing("bulanan", wita(2026, 12, 1, 0, 0))
    assert december.start_date == datetime.date(2026, 12, 1)
    assert december.end == wita(2027, 1, 1)
    assert december.next().start_date == datetime.date(2027, 1, 1)
    assert december.label == "Desember 2026"


def test_leap_year_february():
    february = Period.containing("bulanan", datetime.date(2028, 2, 29))
    assert february.last_date == datetime.date(2028, 2, 29)
    assert february.end == wita(2028, 3, 1)
    assert Period.containing("bulanan", wita(2028, 2, 29, 23, 59)) == february
    assert Period.containing("bulanan", wita(2028, 3, 1, 0, 0)) == february.next()
    assert Period.containing("bulanan", datetime.date(2027, 2, 1)).last_date == datetime.date(
        2027, 2, 28
    )
    leap_day = Period.containing("harian", datetime.date(2028, 2, 29))
    assert leap_day.next().start_date == datetime.date(2028, 3, 1)
    assert leap_day.previous().start_date == datetime.date(2028, 2, 28)


def test_a_period_must_start_where_its_cadence_starts():
    with pytest.raises(ValueError):
        Period(Cadence.MINGGUAN, datetime.date(2026, 11, 25))  # a Wednesday
    with pytest.raises(ValueError):
        Period.containing("harian", datetime.datetime(2026, 11, 25, 12, 0))  # naive


def test_daily_recap_is_due_at_the_cutoff_and_not_before():
    yesterday = Period.containing("harian", datetime.date(2026, 11, 28))
    assert latest_due(wita(2026, 11, 29, 0, 14), "harian") == yesterday.previous()
    assert latest_due(wita(2026, 11, 29, 0, 15), "harian") == yesterday
    with override_settings(SIKANDA_RECAP_CUTOFF={"harian": "06:00"}):
        assert latest_due(wita(2026, 11, 29, 5, 59), "harian") == yesterday.previous()
        assert latest_due(wita(2026, 11, 29, 6, 0), "harian") == yesterday


def test_due_periods_from_since_to_now_never_includes_an_unfinished_period():
    now = wita(2026, 12, 2, 9, 0)
    days = due_periods(now, "harian", since=datetime.date(2026, 11, 28))
    assert [p.start_date.day for p in days] == [28, 29, 30, 1]
    assert due_periods(now, "harian") == [days[-1]]
    weeks = due_periods(now, "mingguan", since=datetime.date(2026, 11, 10))
    assert [p.start_date for p in weeks] == [
        datetime.date(2026, 11, 9), datetime.date(2026, 11, 16), datetime.date(2026, 11, 23)
    ]
    months = due_periods(wita(2026, 12, 1, 0, 59), "bulanan", since=datetime.date(2026, 9, 5))
    assert [p.start_date.month for p in months] == [9, 10]
    months = due_periods(wita(2026, 12, 1, 1, 0), "bulanan", since=datetime.date(2026, 9, 5))
    assert [p.start_date.month for p in months] == [9, 10, 11]
    until = due_periods(now, "harian", since=datetime.date(2026, 11, 28),
                        until=datetime.date(2026, 11, 29))
    assert [p.start_date.day for p in until] == [28, 29]
