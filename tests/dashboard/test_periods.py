import datetime

from cms.dashboard.periods import MAX_RANGE_DAYS, Rentang, select
from cms.recaps.periods import WITA, Period

# 00:30 WITA on Monday 2 March 2026 is still Sunday 1 March in UTC.
NOW = datetime.datetime(2026, 3, 2, 0, 30, tzinfo=WITA)


def test_today_week_month_are_the_recap_periods_in_wita():
    assert select({"periode": "hari"}, NOW).period == Period("harian", datetime.date(2026, 3, 2))
    assert select({"periode": "minggu"}, NOW).period == Period(
        "mingguan", datetime.date(2026, 3, 2)
    )
    assert select({"periode": "bulan"}, NOW).period == Period(
        "bulanan", datetime.date(2026, 3, 1)
    )
    assert select({}, NOW).choice == "bulan"
    assert select({"periode": "tahun"}, NOW).choice == "bulan"


def test_custom_range_and_its_previous_range_of_the_same_length():
    chosen = select({"periode": "rentang", "dari": "2026-02-25", "sampai": "2026-03-01"}, NOW)
    assert chosen.error == ""
    period = chosen.period
    assert period.start == datetime.datetime(2026, 2, 25, tzinfo=WITA)
    assert period.end == datetime.datetime(2026, 3, 2, tzinfo=WITA)
    previous = period.previous()
    assert (previous.start_date, previous.last_date) == (
        datetime.date(2026, 2, 20), datetime.date(2026, 2, 24)
    )
    assert period.label == "25 Februari 2026 – 1 Maret 2026"
    assert Rentang(datetime.date(2024, 2, 29), datetime.date(2024, 2, 29)).previous() == Rentang(
        datetime.date(2024, 2, 28), datetime.date(2024, 2, 28)
    )


def test_a_bad_range_falls_back_to_this_month_with_the_reason():
    for params in (
        {"periode": "rentang"},
        {"periode": "rentang", "dari": "2026-03-02", "sampai": "2026-03-01"},
        {"periode": "rentang", "dari": "kemarin", "sampai": "2026-03-01"},
        {"periode": "rentang", "dari": "2024-01-01",
         "sampai": (datetime.date(2024, 1, 1)
                    + datetime.timedelta(days=MAX_RANGE_DAYS)).isoformat()},
    ):
        chosen = select(params, NOW)
        assert chosen.error
        assert chosen.period == Period("bulanan", datetime.date(2026, 3, 1))
