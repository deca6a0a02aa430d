"""Which reports may describe the same event as this one: a suggestion for
the verifier, never a link made automatically."""

import math
from datetime import timedelta

from cms.reports.models.laporan import Status
from cms.reports.permissions import laporan_policy

from . import conf
from .transitions import may_link

EARTH_RADIUS_KM = 6371.0
KM_PER_DEGREE = 111.0


def distance_km(a, b):
    """Great-circle distance between two reports with coordinates."""
    lat1, lng1, lat2, lng2 = map(math.radians, map(float, (
        a.latitude, a.longitude, b.latitude, b.longitude)))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lng2 - lng1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(h))


def suggestions(laporan, user):
    """[(report, km or None)] of the same ATHG type within the configured
    distance and time window that `user` may link, nearest first. Without
    coordinates, reports of the same kecamatan in the window are proposed."""
    settings = conf.incident_suggestions()
    window = timedelta(hours=settings["HOURS"])
    candidates = (
        laporan_policy.visible_to(user)
        .filter(
            jenis_athg_id=laporan.jenis_athg_id,
            nomor__isnull=False,
            waktu_kejadian__gte=laporan.waktu_kejadian - window,
            waktu_kejadian__lte=laporan.waktu_kejadian + window,
        )
        .exclude(status=Status.DRAF)
        .exclude(pk=laporan.pk)
        .select_related("kecamatan", "tautan_kejadian")
    )
    current = getattr(getattr(laporan, "tautan_kejadian", None), "kejadian_id", None)
    if current is not None:
        candidates = candidates.exclude(tautan_kejadian__kejadian_id=current)
    if laporan.has_location:
        degrees = settings["KM"] / KM_PER_DEGREE
        lng_degrees = degrees / max(math.cos(math.radians(float(laporan.latitude))), 0.01)
        candidates = candidates.filter(
            latitude__gte=float(laporan.latitude) - degrees,
            latitude__lte=float(laporan.latitude) + degrees,
            longitude__gte=float(laporan.longitude) - lng_degrees,
            longitude__lte=float(laporan.longitude) + lng_degrees,
        )
    else:
        candidates = candidates.filter(kecamatan_id=laporan.kecamatan_id)
    found = []
    for other in candidates[:200]:
        if not may_link(user, other):
            continue
        km = distance_km(laporan, other) if laporan.has_location and other.has_location else None
        if km is not None and km > settings["KM"]:
            continue
        found.append((other, km))
    found.sort(key=lambda pair: (pair[1] is None, pair[1] or 0,
                                 abs((pair[0].waktu_kejadian - laporan.waktu_kejadian)
                                     .total_seconds())))
    return found[: settings["LIMIT"]]
