import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

ACCESS_PREFIX = "skd_a_"
REFRESH_PREFIX = "skd_r_"


def hash_token(token):
    """What is stored for a token: an HMAC keyed by SECRET_KEY, so a leaked
    table is useless without the key (as Wagtail's own API tokens)."""
    return salted_hmac("sikanda.device-token", token, algorithm="sha256").hexdigest()


def new_token(prefix):
    return prefix + secrets.token_urlsafe(32)


class DeviceSessionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(revoked_at__isnull=True, refresh_expires_at__gt=timezone.now())


class DeviceSession(models.Model):
    """One signed-in device of a user: a short-lived access token and a
    longer-lived refresh token, both opaque and stored only as hashes.
    Refreshing rotates both; revoking ends the session at once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="device_sessions",
        verbose_name=_("pengguna"),
    )
    device_name = models.CharField(_("perangkat"), max_length=120, blank=True)
    access_hash = models.CharField(max_length=64, unique=True, editable=False)
    access_expires_at = models.DateTimeField(_("akses berlaku hingga"))
    refresh_hash = models.CharField(max_length=64, unique=True, editable=False)
    refresh_expires_at = models.DateTimeField(_("sesi berlaku hingga"))
    created_at = models.DateTimeField(_("dibuat"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("terakhir dipakai"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("dicabut"), null=True, blank=True)

    objects = DeviceSessionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("sesi perangkat")
        verbose_name_plural = _("sesi perangkat")

    def __str__(self):
        return f"{self.user} — {self.device_name or _('perangkat tanpa nama')}"

    @property
    def is_active(self):
        return self.revoked_at is None and self.refresh_expires_at > timezone.now()

    def revoke(self):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])
