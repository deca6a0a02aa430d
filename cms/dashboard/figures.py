"""Everything the leadership dashboard shows for one user and one period, in
a fixed number of queries whatever the number of reports.

The counts come from the recap aggregates (cms/recaps/aggregates.py) over
the reports the user may see, so the dashboard and the recap documents never
disagree; the follow-up and emergency numbers from cms/dashboard/selections,
which the report listing filters with too. Every number carries the URL of
the admin list behind it."""

import datetime
from urllib.parse import urlencode

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from cms.recaps.aggregates import aggregates
from cms.recaps.periods import WITA
from cms.recaps.permissions import rekap_kabupaten_policy, rekap_kecamatan_policy
from cms.reports.models import Kecamatan, Status, Urgensi
from cms.reports.permissions import laporan_policy

from . import geo, selections

# Newest located reports drawn on the map; the map says when there are more.
MAP_LIMIT = 500
LIST_ITEMS = 5
LISTING = "wagtailsnippets_reports_laporan:list"
CHART_WIDTH, CHART_HEIGHT = 720, 140


def may_view(user):
    """The dashboard is the leadership's: Pimpinan and administrators.
    Verifiers keep their desk and its panel; everyone else has no admin."""
    return laporan_policy.is_administrator(user) or laporan_policy.is_pimpinan(user)


def listing_url(**params):
    return f"{reverse(LISTING)}?{urlencode(params)}"


def period_listing_url(period, **params):
    """The verified reports of the period (event time, WITA dates), narrowed."""
    return listing_url(
        status=Status.TERVERIFIKASI,
        waktu_kejadian_from=period.start_date.isoformat(),
        waktu_kejadian_to=period.last_date.isoformat(),
        **params,
    )


def change(item):
    """The change from the previous period, spelt out (not colour alone)."""
    delta = item["perubahan"]
    if delta > 0:
        symbol, direction = "▲", "naik"
        text = ngettext("naik %(n)s dari periode sebelumnya",
                        "naik %(n)s dari periode sebelumnya", delta) % {"n": delta}
    elif delta < 0:
        symbol, direction = "▼", "turun"
        text = ngettext("turun %(n)s dari periode sebelumnya",
                        "turun %(n)s dari periode sebelumnya", -delta) % {"n": -delta}
    else:
        symbol, direction, text = "=", "tetap", _("sama dengan periode sebelumnya")
    return {"symbol": symbol, "direction": direction, "amount": abs(delta), "text": text,
            "before": item["sebelumnya"]}


def _row(item, url):
    return {"nama": item["nama"], "jumlah": item["jumlah"], "change": change(item), "url": url}


def build(user, period, now=None):
    now = now or timezone.now()
    reports = laporan_policy.visible_to(user)
    figures = aggregates(period, reports=reports)
    kecamatan = list(Kecamatan.objects.order_by("nama").values_list("pk", "nama", "slug"))
    counted = {item["id"]: item for item in figures["kecamatan"]}
    per_kecamatan = []
    for pk, nama, slug in kecamatan:
        item = counted.get(pk) or {"nama": nama, "jumlah": 0, "sebelumnya": 0, "perubahan": 0}
        row = _row({**item, "nama": nama}, period_listing_url(period, kecamatan=pk))
        row["centre"] = geo.KECAMATAN_CENTRE.get(slug)
        per_kecamatan.append(row)

    return {
        "period": period,
        "periode": figures["periode"],
        "total": _row({**figures["jumlah"], "nama": _("Laporan terverifikasi")},
                      period_listing_url(period)),
        "events": figures["jumlah_kejadian"],
        "aspek": [_row(item, period_listing_url(period, aspek=item["id"]))
                  for item in figures["aspek"]],
        "jenis_athg": [_row(item, period_listing_url(period, jenis_athg=item["id"]))
                       for item in figures["jenis_athg"]],
        "urgensi": [_row(item, period_listing_url(period, urgensi=item["kode"]))
                    for item in figures["urgensi"]],
        "kecamatan": per_kecamatan,
        "trend": trend(period, figures["laporan"]),
        "map": map_points(reports, period),
        "emergencies": emergencies(reports),
        "follow_up": follow_up(reports, period, now),
        "recaps": latest_recaps(user),
    }


def _day_url(period, day):
    return listing_url(
        status=Status.TERVERIFIKASI,
        waktu_kejadian_from=day.isoformat(), waktu_kejadian_to=day.isoformat(),
    )


def trend(period, rows):
    """Verified reports per day of the period (per hour for a single day),
    counted from the aggregates' own report list."""
    moments = [datetime.datetime.fromisoformat(row["waktu_iso"]).astimezone(WITA)
               for row in rows]
    days = (period.end_date - period.start_date).days
    buckets = []
    if days == 1:
        counts = [0] * 24
        for moment in moments:
            counts[moment.hour] += 1
        for hour, n in enumerate(counts):
            buckets.append({"label": f"{hour:02d}.00", "total": n,
                            "url": _day_url(period, period.start_date)})
    else:
        by_day = {}
        for moment in moments:
            by_day[moment.date()] = by_day.get(moment.date(), 0) + 1
        for offset in range(days):
            day = period.start_date + datetime.timedelta(days=offset)
            buckets.append({"label": day.strftime("%d/%m"), "day": day,
                            "total": by_day.get(day, 0), "url": _day_url(period, day)})
    peak = max([bucket["total"] for bucket in buckets] + [1])
    gap = 2 if len(buckets) < 60 else 0
    width = (CHART_WIDTH - gap * (len(buckets) - 1)) / len(buckets)
    for index, bucket in enumerate(buckets):
        height = round(bucket["total"] * CHART_HEIGHT / peak, 1)
        bucket.update(x=round(index * (width + gap), 1), w=round(width, 1),
                      y=round(CHART_HEIGHT - height, 1), h=height)
    every = max(1, len(buckets) // 8)
    return {"bars": buckets, "peak": peak, "width": CHART_WIDTH, "height": CHART_HEIGHT,
            "ticks": buckets[::every], "hourly": days == 1}


def map_points(reports, period):
    located = (
        reports.filter(live=True, waktu_kejadian__gte=period.start, waktu_kejadian__lt=period.end,
                       latitude__isnull=False, longitude__isnull=False)
        .order_by("-waktu_kejadian", "-pk")
        .values("pk", "nomor", "judul", "urgensi", "latitude", "longitude", "kecamatan__nama",
                "waktu_kejadian")[:MAP_LIMIT]
    )
    labels = dict(Urgensi.choices)
    points = [
        {"id": row["pk"], "nomor": row["nomor"] or "", "judul": row["judul"],
         "urgensi": row["urgensi"], "urgensi_label": str(labels.get(row["urgensi"], "")),
         "lat": float(row["latitude"]), "lng": float(row["longitude"]),
         "kecamatan": row["kecamatan__nama"],
         "waktu": timezone.localtime(row["waktu_kejadian"], WITA).strftime("%d/%m/%Y %H.%M"),
         "url": reverse("sikanda_desk:detail", args=[row["pk"]])}
        for row in located
    ]
    return {"points": points, "truncated": len(points) >= MAP_LIMIT, "limit": MAP_LIMIT}


def emergencies(reports):
    waiting = reports.filter(selections.open_emergency())
    items = list(
        waiting.select_related("kecamatan").order_by("-waktu_kejadian", "-pk")[:LIST_ITEMS]
    )
    # Counted every time, so the number of queries never depends on the data.
    total = waiting.count()
    return {
        "items": [{"laporan": item, "url": reverse("sikanda_desk:detail", args=[item.pk])}
                  for item in items],
        "total": total,
        "url": listing_url(darurat_terbuka="true"),
    }


def follow_up(reports, period, now):
    counts = reports.aggregate(
        terbuka=Count("pk", filter=selections.follow_up_open()),
        terlambat=Count("pk", filter=selections.follow_up_overdue(now)),
        selesai=Count("pk", filter=selections.follow_up_closed_between(period.start, period.end)),
    )
    return {
        "terbuka": {"jumlah": counts["terbuka"], "url": listing_url(tindak_lanjut="terbuka")},
        "terlambat": {"jumlah": counts["terlambat"],
                      "url": listing_url(tindak_lanjut="terlambat")},
        "selesai": {"jumlah": counts["selesai"], "url": listing_url(
            tindak_lanjut_selesai_from=period.start_date.isoformat(),
            tindak_lanjut_selesai_to=period.last_date.isoformat(),
        )},
    }


def _recap_url(recap):
    return reverse(type(recap).snippet_viewset.get_url_name("inspect"), args=[recap.pk])


def latest_recaps(user):
    kabupaten = list(
        rekap_kabupaten_policy.visible_to(user).order_by("-periode_mulai", "-pk")[:LIST_ITEMS]
    )
    kecamatan = list(
        rekap_kecamatan_policy.visible_to(user).select_related("kecamatan")
        .order_by("-periode_mulai", "-pk")[:LIST_ITEMS]
    )
    return {
        "kabupaten": [{"rekap": r, "url": _recap_url(r)} for r in kabupaten],
        "kecamatan": [{"rekap": r, "url": _recap_url(r)} for r in kecamatan],
        "kabupaten_url": reverse("wagtailsnippets_recaps_rekapkabupaten:list"),
        "kecamatan_url": reverse("wagtailsnippets_recaps_rekapkecamatan:list"),
    }
