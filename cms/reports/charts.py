"""Figures for the dashboard charts, computed in the database through the
report permission policy (one grouped statement for both charts, whatever
the number of reports).

Both charts count the same window, the last `DAYS` days by event time: an
all-time count reads the whole visible table (seconds at a million reports),
while the window is a range of the partial covering index of live reports by
event time (laporan_live_kejadian_idx), read alone for every role: the policy
is asked for verified reports (`verified_visible_to`) in the shape that index
answers."""

import datetime

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone

from .models import Kecamatan
from .permissions import laporan_policy

DAYS = 30


def window_start(days=DAYS):
    """First WITA day of the window (today is its last)."""
    return timezone.localdate() - datetime.timedelta(days=days - 1)


def in_window(user, days=DAYS):
    """Verified reports the user may see whose event falls in the window."""
    start = window_start(days)
    since = timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))
    # Bounded above too, so that an event dated after today (a wrong clock on
    # a phone) is in neither chart and the two add up to the same total.
    until = since + datetime.timedelta(days=days)
    return laporan_policy.verified_visible_to(user).filter(
        waktu_kejadian__gte=since, waktu_kejadian__lt=until
    )


def window_counts(user, days=DAYS):
    """Verified reports of the window per (WITA day, urgency, kecamatan): one
    statement for both charts (at most days × 4 × 8 rows). COUNT(*) rather
    than of the key: the id is not in the charts' index
    (laporan_live_kejadian_idx), and counting it would fetch every row."""
    return list(
        in_window(user, days)
        .annotate(day=TruncDate("waktu_kejadian", tzinfo=timezone.get_current_timezone()))
        .values_list("day", "urgensi", "kecamatan_id")
        .annotate(n=Count("*"))
    )


def trend(user, days=DAYS, counts=None):
    """Verified reports per day (WITA) over the last `days` days, oldest first,
    split into urgent (tinggi/darurat) and other."""
    start = window_start(days)
    per_day = {}
    for day, urgensi, _kecamatan, n in window_counts(user, days) if counts is None else counts:
        bucket = per_day.setdefault(day, [0, 0])
        bucket[0 if urgensi in ("tinggi", "darurat") else 1] += n
    series = []
    for offset in range(days):
        day = start + datetime.timedelta(days=offset)
        urgent, other = per_day.get(day, (0, 0))
        series.append({"day": day, "urgent": urgent, "other": other, "total": urgent + other})
    return series


def per_kecamatan(user, days=DAYS, counts=None):
    """Verified reports per kecamatan over the same window as `trend`, every
    kecamatan listed (zeros too)."""
    counted = {}
    for _day, _urgensi, kecamatan_id, n in window_counts(user, days) if counts is None else counts:
        counted[kecamatan_id] = counted.get(kecamatan_id, 0) + n
    return [{"kecamatan": k, "total": counted.get(k.pk, 0)} for k in Kecamatan.objects.all()]


def both(user, days=DAYS):
    """(trend, per_kecamatan) from one statement: the dashboard shows both."""
    counts = window_counts(user, days)
    return trend(user, days, counts), per_kecamatan(user, days, counts)


def bars(series, key="total", height=120, width=600, gap=2):
    """Geometry of a bar chart for the template: each bar's x, width, y, h."""
    peak = max([item[key] for item in series] + [1])
    bar = (width - gap * (len(series) - 1)) / max(len(series), 1)
    shaped = []
    for index, item in enumerate(series):
        total_h = round(item["total"] * height / peak, 1)
        urgent_h = round(item.get("urgent", 0) * height / peak, 1)
        shaped.append({
            **item,
            "x": round(index * (bar + gap), 1), "w": round(bar, 1),
            "y": round(height - total_h, 1), "h": total_h,
            "uy": round(height - urgent_h, 1), "uh": urgent_h,
        })
    return {"bars": shaped, "peak": peak, "height": height, "width": width}
