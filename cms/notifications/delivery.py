"""The notification outbox on the one delivery engine (cms.platform.outbox).

A delivery is claimed with a lease before the channel is called, so two
workers never send it at once, and a worker that dies mid-send releases it
when the lease runs out; the sweeper then sends it again with the same
idempotency key, which the channel passes on so the provider never pushes
twice. These names are kept for the plugins and operations code that use
them."""

from cms.platform import outbox

from .models import Pengiriman


def backoff(attempt):
    return outbox.backoff(Pengiriman, attempt)


def due(now=None):
    return outbox.due(Pengiriman, now)


def claim(pk):
    """Take the delivery for sending if it is due and nobody holds it."""
    return outbox.claim(Pengiriman, pk)


def attempt(pk):
    """Try to send delivery `pk` once. Returns its status afterwards."""
    return outbox.attempt(Pengiriman, pk)


def retry_now(delivery):
    """An administrator sends a failed delivery again (same idempotency key);
    it is queued for the worker after the commit."""
    return outbox.requeue(delivery, reset_attempts=True)
