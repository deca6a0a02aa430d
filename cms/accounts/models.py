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


class RevocationReason(models.TextChoices):
    LOGOUT = "logout", _("keluar dari aplikasi")
    DEVICE = "perangkat", _("dicabut oleh pengguna")
    ADMIN = "admin", _("dicabut oleh administrator")
    PASSWORD = "kata_sandi", _("kata sandi diganti")
    REUSE = "dipakai_ulang", _("token penyegar lama dipakai ulang")


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
    revoked_reason = models.CharField(
        _("alasan dicabut"), max_length=20, choices=RevocationReason, blank=True
    )

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

    def revoke(self, reason):
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.revoked_reason = reason
            self.save(update_fields=["revoked_at", "revoked_reason"])


class RotatedRefreshToken(models.Model):
    """A refresh token that has been exchanged. Kept (as a hash) so that
    presenting it again is recognised: within the grace window as a retry of
    a refresh whose answer was lost, after it as a stolen copy, which ends the
    whole session."""

    session = models.ForeignKey(
        DeviceSession, on_delete=models.CASCADE, related_name="rotated_tokens"
    )
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    rotated_at = models.DateTimeField()

    class Meta:
        verbose_name = _("token penyegar lama")
        verbose_name_plural = _("token penyegar lama")

    def __str__(self):
        return f"{self.session_id} @ {self.rotated_at:%Y-%m-%d %H:%M:%S}"


class UsernameSkeleton(models.Model):
    """What a username looks like (cms/accounts/usernames.py), indexed so a
    new registration is compared with every existing name in one lookup."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="username_skeleton",
    )
    skeleton = models.CharField(max_length=150, db_index=True)

    class Meta:
        verbose_name = _("kerangka nama pengguna")
        verbose_name_plural = _("kerangka nama pengguna")

    def __str__(self):
        return self.skeleton
