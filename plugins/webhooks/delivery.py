"""Sending one delivery: a signed JSON POST, and what to do when it fails.

Headers of every request:
    Content-Type: application/json
    X-Sikanda-Event: report.verified
    X-Sikanda-Delivery: <uuid>      the same on every retry: receivers dedupe on it
    X-Sikanda-Timestamp: <unix seconds of this attempt>
    X-Sikanda-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>

A receiver verifies by recomputing the HMAC over the raw body and rejecting
timestamps that are too old (replay protection).

Settings (optional): SIKANDA_WEBHOOKS = {"TIMEOUT": 10, "MAX_ATTEMPTS": 8,
"BACKOFF_BASE": 30, "BACKOFF_MAX": 3600}.
"""

import datetime
import hashlib
import hmac
import json
import time

import requests
from django.conf import settings
from django.utils import timezone

from .models import Delivery

DEFAULTS = {"TIMEOUT": 10, "MAX_ATTEMPTS": 8, "BACKOFF_BASE": 30, "BACKOFF_MAX": 3600}
USER_AGENT = "SIKANDA-Webhooks/1.0"


def option(name):
    return getattr(settings, "SIKANDA_WEBHOOKS", {}).get(name, DEFAULTS[name])


def encode(payload):
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(secret, timestamp, body):
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def backoff(attempts):
    """Wait after the `attempts`-th failed attempt: 30 s, 60 s, 120 s… at most 1 h."""
    seconds = option("BACKOFF_BASE") * 2 ** max(attempts - 1, 0)
    return datetime.timedelta(seconds=min(seconds, option("BACKOFF_MAX")))


def headers_for(delivery, body, timestamp):
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Sikanda-Event": delivery.event,
        "X-Sikanda-Delivery": str(delivery.delivery_id),
        "X-Sikanda-Timestamp": str(timestamp),
        "X-Sikanda-Signature": "sha256=" + sign(delivery.endpoint.secret, timestamp, body),
    }


def send_delivery(delivery):
    """Make one attempt; return True if the endpoint answered 2xx."""
    body = encode(delivery.payload)
    timestamp = int(time.time())
    error, status_code = "", None
    try:
        response = requests.post(
            delivery.endpoint.url,
            data=body,
            headers=headers_for(delivery, body, timestamp),
            timeout=option("TIMEOUT"),
            allow_redirects=False,
        )
        status_code = response.status_code
        if not 200 <= status_code < 300:
            error = f"HTTP {status_code}: {response.text[:500]}"
    except requests.RequestException as exc:
        error = f"{type(exc).__name__}: {exc}"[:1000]

    now = timezone.now()
    delivery.attempts += 1
    delivery.response_status = status_code
    if not error:
        delivery.status = Delivery.Status.SENT
        delivery.sent_at = now
        delivery.last_error = ""
    else:
        delivery.last_error = error
        if delivery.attempts >= option("MAX_ATTEMPTS"):
            delivery.status = Delivery.Status.FAILED
        else:
            delivery.status = Delivery.Status.PENDING
            delivery.next_attempt_at = now + backoff(delivery.attempts)
    delivery.save(
        update_fields=[
            "attempts",
            "response_status",
            "status",
            "sent_at",
            "last_error",
            "next_attempt_at",
        ]
    )
    return not error


def due_deliveries(now=None):
    now = now or timezone.now()
    return (
        Delivery.objects.select_related("endpoint")
        .filter(status=Delivery.Status.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "pk")
    )


def replay(delivery):
    """Send a delivery again now, whatever its state, with the same id."""
    if delivery.status == Delivery.Status.FAILED:
        delivery.attempts = 0
    delivery.status = Delivery.Status.PENDING
    delivery.next_attempt_at = timezone.now()
    delivery.save(update_fields=["status", "attempts", "next_attempt_at"])
    return send_delivery(delivery)
