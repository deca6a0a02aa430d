"""Webhook endpoints (who receives which events) and deliveries (one POST of
one event to one endpoint, retried with the same delivery id until it gets
a 2xx or gives up)."""

import secrets
import uuid

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from cms.platform.outbox import OutboxDelivery
from cms.platform.plugins import is_enabled
from cms.recaps.events import BY_NAME as RECAP_EVENTS
from cms.reports.events import BY_NAME as REPORT_EVENTS

from .guard import validate_url

# Report events, then recap events (recap.signed: the regency recap was signed).
BY_NAME = {**REPORT_EVENTS, **RECAP_EVENTS}


def generate_secret():
    return secrets.token_urlsafe(32)


def event_choices():
    return [(name, f"{name} — {event.description}") for name, event in BY_NAME.items()]


def validate_event_names(value):
    if not isinstance(value, list) or not value:
        raise ValidationError(_("Pilih sedikitnya satu peristiwa."))
    unknown = [name for name in value if not isinstance(name, str) or name not in BY_NAME]
    if unknown:
        raise ValidationError(
            _("Peristiwa tidak dikenal: %(names)s."),
            params={"names": ", ".join(map(str, unknown))},
        )


class Endpoint(models.Model):
    nama = models.CharField(_("nama"), max_length=100)
    url = models.URLField(
        _("URL penerima"),
        max_length=500,
        validators=[validate_url],
        help_text=_(
            "Alamat http(s) publik. Alamat loopback, privat, link-local dan alamat situs ini "
            "sendiri ditolak, kecuali diizinkan di SIKANDA_WEBHOOKS_ALLOWED_HOSTS."
        ),
    )
    events = models.JSONField(
        _("peristiwa"),
        default=list,
        validators=[validate_event_names],
        help_text=_("Peristiwa laporan yang dikirim ke penerima ini."),
    )
    secret = models.CharField(
        _("kunci rahasia"),
        max_length=128,
        default=generate_secret,
        help_text=_(
            "Dipakai untuk tanda tangan HMAC-SHA256 pada header X-Sikanda-Signature. "
            "Simpan juga di sistem penerima."
        ),
    )
    aktif = models.BooleanField(_("aktif"), default=True)
    dibuat = models.DateTimeField(_("dibuat"), auto_now_add=True)

    class Meta:
        verbose_name = _("endpoint webhook")
        verbose_name_plural = _("endpoint webhook")
        ordering = ["nama", "pk"]

    def __str__(self):
        return self.nama

    def subscribes_to(self, event_name):
        return event_name in (self.events or [])


class Delivery(OutboxDelivery):
    """One event for one endpoint: an outbox row of the one delivery engine
    (cms.platform.outbox), written in the event's transaction."""

    endpoint = models.ForeignKey(
        Endpoint, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("endpoint")
    )
    event = models.CharField(_("peristiwa"), max_length=64)
    delivery_id = models.UUIDField(
        _("ID pengiriman"), unique=True, default=uuid.uuid4, editable=False
    )
    payload = models.JSONField(_("isi"))
    response_status = models.PositiveIntegerField(_("status respons"), null=True, blank=True)
    created = models.DateTimeField(_("dibuat"), auto_now_add=True)

    outbox_kind = "webhooks"
    outbox_legacy_setting = "SIKANDA_WEBHOOKS"
    outbox_legacy_names = {"BACKOFF_BASE": "BACKOFF_SECONDS", "BACKOFF_MAX": "MAX_BACKOFF_SECONDS"}
    outbox_defaults = {"TIMEOUT": 10}
    outbox_result_fields = ("response_status",)

    class Meta(OutboxDelivery.Meta):
        verbose_name = _("pengiriman webhook")
        verbose_name_plural = _("pengiriman webhook")
        ordering = ["-created", "-pk"]

    def __str__(self):
        return f"{self.event} → {self.endpoint} ({self.delivery_id})"

    @classmethod
    def outbox_active(cls):
        # While the plugin is off its deliveries wait; switched on again,
        # the sweeper sends them.
        return is_enabled("webhooks")

    @classmethod
    def outbox_queryset(cls):
        return cls.objects.select_related("endpoint")

    def send(self):
        from .delivery import post

        post(self)
