"""Sending one outbox delivery through its channel.

A delivery is claimed with a lease before the network call, so two workers
never send it at once, and a worker that dies mid-send releases it when the
lease runs out; the sweeper then sends it again with the same idempotency
key, which the channel passes on so the provider never pushes twice."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from cms.platform.plugins import DeliveryFailed, notification_channels

from .models import Pengiriman

logger = logging.getLogger("sikanda.notifications")
Status = Pengiriman.Status


def _config(name, default):
    return getattr(settings, "SIKANDA_NOTIFICATIONS", {}).get(name, default)


def backoff(attempt):
    base = _config("BACKOFF_SECONDS", 30)
    return timedelta(
        seconds=min(base * 2 ** max(attempt - 1, 0), _config("MAX_BACKOFF_SECONDS", 3600))
    )


def due(now=None):
    now = now or timezone.now()
    return Pengiriman.objects.filter(
        Q(status=Status.PENDING, coba_lagi_pada__lte=now)
        | Q(status=Status.SENDING, kunci_hingga__lt=now)
    )


def claim(pk):
    """Take the delivery for sending if it is due and nobody holds it."""
    now = timezone.now()
    with transaction.atomic():
        delivery = due(now).select_for_update(skip_locked=True).filter(pk=pk).first()
        if delivery is None:
            return None
        delivery.status = Status.SENDING
        delivery.kunci_hingga = now + timedelta(seconds=_config("LEASE_SECONDS", 120))
        delivery.percobaan += 1
        delivery.save(update_fields=["status", "kunci_hingga", "percobaan"])
    return delivery


def attempt(pk):
    """Try to send delivery `pk` once. Returns its status afterwards."""
    delivery = claim(pk)
    if delivery is None:
        return None
    channel = {c.identifier: c for c in notification_channels()}.get(delivery.kanal)
    now = timezone.now()
    if channel is None:
        return _retry_later(delivery, "Kanal tidak aktif atau tidak terpasang.", now)
    try:
        reference = channel.send(delivery)
    except DeliveryFailed as exc:
        if not exc.retry:
            return _finish(delivery, Status.FAILED, error=str(exc))
        return _retry_later(delivery, str(exc), now, exc.retry_after)
    except Exception as exc:  # a channel bug must not lose the delivery
        logger.exception("Channel %s failed on delivery %s", delivery.kanal, delivery.pk)
        return _retry_later(delivery, f"{type(exc).__name__}: {exc}", now)
    return _finish(delivery, Status.SENT, reference=reference or "")


def _retry_later(delivery, error, now, retry_after=None):
    if delivery.percobaan >= _config("MAX_ATTEMPTS", 10):
        return _finish(delivery, Status.FAILED, error=error)
    wait = backoff(delivery.percobaan)
    if retry_after:
        wait = max(wait, timedelta(seconds=retry_after))
    Pengiriman.objects.filter(pk=delivery.pk).update(
        status=Status.PENDING,
        kunci_hingga=None,
        coba_lagi_pada=now + wait,
        galat_terakhir=error[:2000],
    )
    return Status.PENDING


def _finish(delivery, status, error="", reference=""):
    Pengiriman.objects.filter(pk=delivery.pk).update(
        status=status,
        kunci_hingga=None,
        galat_terakhir=error[:2000],
        referensi=reference[:100],
        terkirim=timezone.now() if status == Status.SENT else None,
    )
    return status


def retry_now(delivery):
    """An administrator sends a failed delivery again (same idempotency key)."""
    Pengiriman.objects.filter(pk=delivery.pk).update(
        status=Status.PENDING,
        coba_lagi_pada=timezone.now(),
        kunci_hingga=None,
        percobaan=0,
    )
