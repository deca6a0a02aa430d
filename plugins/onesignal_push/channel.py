"""Push notifications through OneSignal, built on the `onesignal-sdk` package.

The channel receives one outbox delivery (`cms.notifications.models.Pengiriman`)
and creates one OneSignal notification for it with the current REST API:

    POST {ONESIGNAL_API_URL}/notifications          (default https://api.onesignal.com)
    Authorization: Key <REST API key>
    {"app_id", "target_channel": "push", "include_aliases": {"external_id": [...]},
     "headings": {"id", "en"}, "contents": {"id", "en"}, "data", "idempotency_key"}

The delivery's idempotency key is passed on, so a retry (after a timeout, an
outage, or a worker that died mid-send) is answered by OneSignal with the same
notification instead of a second push.

We use the SDK's client (`onesignal_sdk.client.Client`): its request builder
`_kwargs_send_notification` (app id, path constant `NOTIFICATIONS_PATH`, body),
its `_build_request_kwargs`, `OneSignalResponse` and `OneSignalHTTPError`. Three
defects of onesignal-sdk 2.0.0 are worked around here, without forking it; each
is marked "SDK defect (a/b/c)" where it is handled.
"""

import logging
import os

import httpx
from django.conf import settings
from onesignal_sdk.client import Client
from onesignal_sdk.error import OneSignalHTTPError
from onesignal_sdk.request import _build_request_kwargs
from onesignal_sdk.response import OneSignalResponse

from cms.platform.plugins import DeliveryFailed, NotificationChannel

logger = logging.getLogger("sikanda.plugins.onesignal_push")

DEFAULT_API_URL = "https://api.onesignal.com"
DEFAULT_TIMEOUT_SECONDS = 10.0
NOT_CONFIGURED = "OneSignal belum dikonfigurasi (ONESIGNAL_APP_ID dan ONESIGNAL_REST_API_KEY)."


def setting(name, default=None):
    """A Django setting, else the environment variable of the same name."""
    value = getattr(settings, name, None)
    if value is None or value == "":
        value = os.environ.get(name)
    return default if value is None or value == "" else value


def timeout_seconds():
    try:
        value = float(setting("ONESIGNAL_TIMEOUT_SECONDS", DEFAULT_TIMEOUT_SECONDS))
    except (TypeError, ValueError):
        return DEFAULT_TIMEOUT_SECONDS
    return value if value > 0 else DEFAULT_TIMEOUT_SECONDS


def _json(response):
    try:
        return response.json()
    except ValueError:  # json.JSONDecodeError is a ValueError
        return None


def errors_text(errors):
    """OneSignal's `errors` as one readable line: a list (its first entry, as
    the SDK does), a dict such as {"invalid_aliases": {"external_id": [...]}},
    or a plain string."""
    if not errors:
        return ""
    if isinstance(errors, str):
        return errors
    if isinstance(errors, list):
        return str(errors[0])
    if isinstance(errors, dict):
        parts = []
        for key, value in errors.items():
            if isinstance(value, dict):
                value = "; ".join(f"{k}: {_listing(v)}" for k, v in value.items())
            parts.append(f"{key}: {_listing(value)}")
        return "; ".join(parts)
    return str(errors)


def _listing(value):
    return ", ".join(map(str, value)) if isinstance(value, (list, tuple)) else str(value)


class OneSignalError(OneSignalHTTPError):
    """The SDK's HTTP error, made safe for any answer.

    SDK defect (c): `OneSignalHTTPError._get_message` calls `response.json()`
    unguarded, so a response without a JSON body (OneSignal's 403 comes with an
    empty text body, and so do proxies' and load balancers' errors) raises a
    JSONDecodeError from inside the exception's constructor: the real status
    is lost and the caller sees a parse error. It also indexes `errors[0]`,
    which fails for the current API's dict-shaped `errors`. Here the message
    falls back to the status and the (short) text body.
    """

    def _get_message(self, response):
        body = _json(response)
        if body is None:
            text = " ".join((response.text or "").split())[:200]
            detail = f": {text}" if text else " (badan kosong)"
            return (
                f"OneSignal menjawab HTTP {response.status_code} tanpa badan JSON{detail}"
            )
        text = errors_text(body.get("errors")) if isinstance(body, dict) else ""
        return text or f"OneSignal menjawab HTTP {response.status_code} tanpa keterangan galat"


_http_client = None


def _http():
    """One pooled HTTP client per process: building a client per send costs
    a new SSL context and connection (tens of ms) on every push."""
    global _http_client
    if _http_client is None:
        _http_client = httpx.Client()
    return _http_client


class SikandaOneSignalClient(Client):
    """`onesignal_sdk.client.Client` speaking OneSignal's current REST API.

    SDK defect (a): the SDK's `basic_auth_request` sends `Authorization: Basic
    <key>` (the legacy scheme; the current API wants `Key <key>`) to the
    hard-coded legacy host `https://onesignal.com/api/v1`, with httpx's default
    5 s timeout and no way to change either. The host comes in through the
    client's own `API_ROOT` option; requests go through `_request`, which builds
    the body with the SDK's `_build_request_kwargs` but without its token (so no
    Basic header), sets the `Key` header itself and passes our timeout.
    """

    def __init__(self, app_id, rest_api_key, *, api_url=DEFAULT_API_URL,
                 timeout=DEFAULT_TIMEOUT_SECONDS):
        super().__init__(app_id, rest_api_key, options={"API_ROOT": api_url.rstrip("/")})
        self.timeout = timeout

    def __repr__(self):  # never show the key, e.g. in a debugger or a traceback
        return f"<SikandaOneSignalClient app_id={self.app_id} api={self._options['API_ROOT']}>"

    def send_notification(self, notification_body):
        return self._request(**self._kwargs_send_notification(notification_body))

    def _request(self, method, url, token=None, payload=None, params=None):
        request_kwargs = _build_request_kwargs(None, payload, params)
        headers = {"Accept": "application/json"}
        if token:
            headers["Authorization"] = f"Key {token}"
        response = _http().request(method, url, headers=headers, timeout=self.timeout,
                                   **request_kwargs)
        if response.status_code >= 300:
            raise OneSignalError(response)
        if _json(response) is None:
            # A 2xx that is not JSON (a proxy's page): the SDK's
            # OneSignalResponse would raise a JSONDecodeError too.
            raise OneSignalError(response)
        return OneSignalResponse(response)


def localised(value):
    """{"id", "en"} with English falling back to the Indonesian text."""
    value = value if isinstance(value, dict) else {"id": str(value or "")}
    text_id = value.get("id") or value.get("en") or ""
    return {"id": text_id, "en": value.get("en") or text_id}


def retry_after_seconds(response):
    raw = response.headers.get("Retry-After")
    if not raw:
        return None
    try:
        return max(int(float(raw.strip())), 0)
    except ValueError:  # an HTTP date: let the core's backoff decide
        return None


class OneSignalChannel(NotificationChannel):
    identifier = "onesignal"
    verbose_name = "Push OneSignal"
    # OneSignal's limit of 2,000 entries per REST call for each include_* list.
    max_recipients = 2000

    client_class = SikandaOneSignalClient

    def client(self):
        app_id = setting("ONESIGNAL_APP_ID")
        api_key = setting("ONESIGNAL_REST_API_KEY")
        if not app_id or not api_key:
            raise DeliveryFailed(NOT_CONFIGURED, retry=True)
        return self.client_class(
            str(app_id), str(api_key), api_url=str(setting("ONESIGNAL_API_URL", DEFAULT_API_URL)),
            timeout=timeout_seconds(),
        )

    def notification(self, delivery):
        return {
            "target_channel": "push",
            "include_aliases": {"external_id": list(delivery.external_ids)},
            "headings": localised(delivery.headings),
            "contents": localised(delivery.contents),
            "data": dict(delivery.data or {}),
            "idempotency_key": str(delivery.idempotency_key),
        }

    def send(self, delivery):
        client = self.client()
        try:
            notification_id = self._send(client, delivery)
        except DeliveryFailed as exc:
            # Messages are built from OneSignal's answers and httpx's errors,
            # neither of which carries the key; scrub anyway, and drop the
            # exception chain so nothing else travels with it.
            message = scrub(str(exc), client.rest_api_key)
            logger.warning("OneSignal: pengiriman %s gagal: %s", delivery.pk, message)
            raise DeliveryFailed(message, retry=exc.retry, retry_after=exc.retry_after) from None
        logger.info("OneSignal: pengiriman %s terkirim sebagai notifikasi %s", delivery.pk,
                    notification_id)
        return notification_id

    def _send(self, client, delivery):
        body = self.notification(delivery)
        if not body["include_aliases"]["external_id"]:
            raise DeliveryFailed("Pengiriman tanpa penerima.", retry=False)
        try:
            response = client.send_notification(body)
        except httpx.TimeoutException:
            raise DeliveryFailed(
                f"OneSignal tidak menjawab dalam {client.timeout:g} detik (timeout).", retry=True
            ) from None
        except httpx.TransportError as exc:  # refused, reset, DNS…
            raise DeliveryFailed(
                f"Tidak dapat menghubungi OneSignal: {type(exc).__name__}: {exc}", retry=True
            ) from None
        except OneSignalError as exc:
            raise http_failure(exc) from None
        return created_notification(response)


def http_failure(exc):
    status, message = exc.status_code, exc.message
    if status == 429:
        return DeliveryFailed(
            f"OneSignal membatasi laju (HTTP 429): {message}", retry=True,
            retry_after=retry_after_seconds(exc.http_response),
        )
    if status >= 500:
        return DeliveryFailed(f"OneSignal sedang gangguan (HTTP {status}): {message}", retry=True)
    if status < 300:
        # A 2xx we could not read: OneSignal may have created it; the retry
        # carries the same idempotency key, so it cannot push twice.
        return DeliveryFailed(f"Balasan OneSignal tidak terbaca (HTTP {status}): {message}",
                              retry=True)
    # 3xx (a wrong ONESIGNAL_API_URL) and 4xx: asking again will not help.
    return DeliveryFailed(f"OneSignal menolak (HTTP {status}): {message}", retry=False)


def created_notification(response):
    """The notification id of a 200, or DeliveryFailed.

    SDK defect (b): the SDK returns every status below 300 as a success. But
    OneSignal answers 200 with `{"id": "", "errors": [...]}` when it created no
    notification, e.g. "All included players are not subscribed" or invalid
    external ids: nobody got a push. Without an id it is a failure, not to be
    retried (the recipients will not subscribe because we ask again). With an
    id and `errors` (some external ids invalid) the others got it: success.
    """
    body = response.body if isinstance(response.body, dict) else {}
    notification_id = str(body.get("id") or "")
    problem = errors_text(body.get("errors"))
    if not notification_id:
        if problem:
            raise DeliveryFailed(f"OneSignal tidak mengirim push: {problem}", retry=False)
        raise DeliveryFailed("OneSignal menjawab 200 tanpa id notifikasi.", retry=True)
    if problem:
        logger.warning("OneSignal: notifikasi %s tidak sampai ke sebagian penerima: %s",
                       notification_id, problem)
    return notification_id


def scrub(text, secret):
    return text.replace(secret, "***") if secret else text
