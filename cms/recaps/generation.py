"""Drafting every recap that is due, idempotently.

Each recap is created with get_or_create on its unique key (kecamatan,
cadence, period start / cadence, period start), so running the generation
twice, or in two processes at once, creates each recap exactly once: the
database's unique constraint decides, and the loser reads the winner's row."""

from django.db import transaction
from django.utils import timezone
from wagtail.log_actions import log

from cms.reports.models import Kecamatan

from .models import RekapKabupaten, RekapKecamatan, StatusRekap
from .periods import Cadence, Period, due_periods


def ensure(model, period, **scope):
    with transaction.atomic():
        recap, created = model.objects.get_or_create(
            periode=period.cadence, periode_mulai=period.start_date, **scope,
            defaults={"live": False, "status": StatusRekap.DRAF},
        )
        if created:
            log(instance=recap, action="sikanda.recap.create")
    return recap, created


def default_since(cadence):
    """Where a run without --since starts: the newest regency recap of this
    cadence (so a run after days of downtime catches up), or, on a fresh
    installation, only the latest due period."""
    newest = (
        RekapKabupaten.objects.filter(periode=cadence)
        .order_by("-periode_mulai").values_list("periode_mulai", flat=True).first()
    )
    return newest


def generate(now=None, cadences=None, since=None, until=None, progress=None):
    """Create every recap due at `now`. Returns (created, existing)."""
    now = now or timezone.now()
    created = existing = 0
    kecamatan = list(Kecamatan.objects.order_by("nama"))
    for cadence in cadences or list(Cadence):
        start = since if since is not None else default_since(cadence)
        for period in due_periods(now, cadence, since=start, until=until):
            made = 0
            for item in kecamatan:
                _recap, new = ensure(RekapKecamatan, period, kecamatan=item)
                made += new
            _recap, new = ensure(RekapKabupaten, period)
            made += new
            created += made
            existing += len(kecamatan) + 1 - made
            if progress:
                progress(period, made, len(kecamatan) + 1)
    return created, existing


__all__ = ["Period", "ensure", "generate"]
