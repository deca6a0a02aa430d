"""One attempt at one delivery: a signed JSON POST to a checked address.

Claiming, retries with backoff, the lease and the sweeper are the one
delivery engine's (cms.platform.outbox); this module only makes the POST.

Headers of every request:
    Content-Type: application/json
    X-Sikanda-Event: report.verified
    X-Sikanda-Delivery: <uuid>      the same on every retry: receivers dedupe on it
    X-Sikanda-Timestamp: <unix seconds of this attempt>
    X-Sikanda-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>

A receiver verifies by recomputing the HMAC over the raw body and rejecting
timestamps that are too old (replay protection).

Settings: SIKANDA_OUTBOX["webhooks"] = {"TIMEOUT": 10, "MAX_ATTEMPTS": …,
"BACKOFF_SECONDS": …, "MAX_BACKOFF_SECONDS": …}; the older SIKANDA_WEBHOOKS
(with BACKOFF_BASE, BACKOFF_MAX) is still read.
"""

import email.utils
import hashlib
import hmac
import json
import time

import requests
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.platform import outbox
from cms.platform.plugins import DeliveryFailed

from . import guard
from .models import Delivery

USER_AGENT = "SIKANDA-Webhooks/1.0"
# What the admin may see of an answer: the status and this much of the body.
EXCERPT_LENGTH = 200
READ_LIMIT = 1024


def option(name):
    return outbox.option(Delivery, name)


def timeout():
    """Seconds per connect and per read. A third of the lease at most, so an
    attempt ends (connect, send, answer) before its claim can expire and
    another sender take the delivery over."""
    return min(option("TIMEOUT"), outbox.option(Delivery, "LEASE_SECONDS") / 3)


def encode(payload):
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sign(secret, timestamp, body):
    message = f"{timestamp}.".encode() + body
    return hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


def backoff(attempts):
    """Wait after the `attempts`-th failed attempt: 30 s, 60 s, 120 s… at most 1 h."""
    return outbox.backoff(Delivery, attempts)


def headers_for(delivery, body, timestamp):
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Sikanda-Event": delivery.event,
        "X-Sikanda-Delivery": str(delivery.delivery_id),
        "X-Sikanda-Timestamp": str(timestamp),
        "X-Sikanda-Signature": "sha256=" + sign(delivery.endpoint.secret, timestamp, body),
    }


def post(delivery):
    """POST `delivery` once; set its response status; raise DeliveryFailed
    unless the endpoint answered 2xx. Redirects are not followed."""
    body = encode(delivery.payload)
    timestamp = int(time.time())
    delivery.response_status = None
    try:
        guard.check_url(delivery.endpoint.url, resolve=False)
        with guard.session() as http:
            response = http.post(
                delivery.endpoint.url,
                data=body,
                headers=headers_for(delivery, body, timestamp),
                timeout=timeout(),
                allow_redirects=False,
                stream=True,
            )
            with response:
                excerpt = read_excerpt(response)
    except guard.ForbiddenAddress as exc:
        # Refused before any connection: retrying cannot help, an
        # administrator must allow the address or fix the endpoint.
        reason = _("Ditolak: %(reason)s") % {"reason": exc}
        raise DeliveryFailed(short(reason), retry=False) from exc
    except requests.RequestException as exc:
        raise DeliveryFailed(short(f"{type(exc).__name__}: {exc}")) from exc
    delivery.response_status = response.status_code
    if 200 <= response.status_code < 300:
        return
    status = f"HTTP {response.status_code}"
    raise DeliveryFailed(
        short(f"{status}: {excerpt}" if excerpt else status), retry_after=retry_after(response)
    )


def read_excerpt(response):
    """The start of the answer's body, never more: an endpoint's page is
    not for the admin to read (and not worth the memory)."""
    try:
        raw = response.raw.read(READ_LIMIT, decode_content=True) or b""
    except Exception:  # a broken body does not change the outcome of the POST
        return ""
    return " ".join(raw.decode("utf-8", errors="replace").split())[:EXCERPT_LENGTH]


def short(text):
    return str(text)[:EXCERPT_LENGTH]


def retry_after(response):
    """Seconds from a Retry-After header (seconds or an HTTP date), or None."""
    value = response.headers.get("Retry-After", "").strip()
    if not value:
        return None
    if value.isdigit():
        return int(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        return None
    return max((when - timezone.now()).total_seconds(), 0) or None


def replay(delivery):
    """Queue a delivery to be sent again, whatever its state, with the same
    id: the worker sends it after the commit. False while it is being sent."""
    return outbox.requeue(delivery, reset_attempts=delivery.status == Delivery.Status.FAILED)
