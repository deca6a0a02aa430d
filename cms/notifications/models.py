import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class Notifikasi(models.Model):
    """An in-app inbox entry: one per recipient per event."""

    penerima = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifikasi",
        verbose_name=_("penerima"),
    )
    peristiwa = models.CharField(_("peristiwa"), max_length=50)
    laporan = models.ForeignKey(
        "reports.Laporan",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("laporan"),
    )
    judul = models.JSONField(_("judul"), help_text=_('{"id": …, "en": …}'))
    isi = models.JSONField(_("isi"), help_text=_('{"id": …, "en": …}'))
    dibuat = models.DateTimeField(_("dibuat"), default=timezone.now, db_index=True)
    dibaca = models.DateTimeField(_("dibaca"), null=True, blank=True)

    class Meta:
        ordering = ["-dibuat", "-pk"]
        verbose_name = _("notifikasi")
        verbose_name_plural = _("notifikasi")
        indexes = [models.Index(fields=["penerima", "dibaca", "-dibuat"])]

    def __str__(self):
        return self.text(self.judul)

    @staticmethod
    def text(value, language=None):
        language = (language or get_language() or "id")[:2]
        return value.get(language) or value.get("id") or ""


class Pengiriman(models.Model):
    """One delivery of one message through one channel to a set of
    recipients: the outbox row a worker sends, retries and finishes."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Menunggu dikirim")
        SENDING = "sending", _("Sedang dikirim")
        SENT = "sent", _("Terkirim")
        FAILED = "failed", _("Gagal")

    idempotency_key = models.UUIDField(
        _("kunci idempotensi"), default=uuid.uuid4, unique=True, editable=False
    )
    kanal = models.CharField(_("kanal"), max_length=50)
    peristiwa = models.CharField(_("peristiwa"), max_length=50)
    laporan = models.ForeignKey(
        "reports.Laporan",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("laporan"),
    )
    penerima = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name=_("penerima")
    )
    judul = models.JSONField(_("judul"))
    isi = models.JSONField(_("isi"))
    data = models.JSONField(_("data"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status, default=Status.PENDING, db_index=True
    )
    percobaan = models.PositiveIntegerField(_("percobaan"), default=0)
    coba_lagi_pada = models.DateTimeField(_("coba lagi pada"), default=timezone.now, db_index=True)
    kunci_hingga = models.DateTimeField(
        _("dikunci pekerja hingga"),
        null=True,
        blank=True,
        help_text=_("Pekerja yang mati di tengah pengiriman melepas kunci saat waktu ini lewat."),
    )
    galat_terakhir = models.TextField(_("galat terakhir"), blank=True)
    referensi = models.CharField(_("referensi penyedia"), max_length=100, blank=True)
    dibuat = models.DateTimeField(_("dibuat"), default=timezone.now)
    terkirim = models.DateTimeField(_("terkirim"), null=True, blank=True)

    class Meta:
        ordering = ["-dibuat", "-pk"]
        verbose_name = _("pengiriman notifikasi")
        verbose_name_plural = _("pengiriman notifikasi")

    def __str__(self):
        return f"{self.kanal} · {self.peristiwa} · {self.get_status_display()}"

    # What a NotificationChannel reads (cms.platform.plugins.NotificationChannel).
    @property
    def external_ids(self):
        return [str(pk) for pk in self.penerima.values_list("pk", flat=True)]

    @property
    def headings(self):
        return self.judul

    @property
    def contents(self):
        return self.isi


class PerangkatPush(models.Model):
    """A phone registered for push: the app's OneSignal subscription id. Push
    targets users by external id (the user id), so this is for operations."""

    pengguna = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="perangkat_push",
        verbose_name=_("pengguna"),
    )
    subscription_id = models.CharField(_("ID langganan OneSignal"), max_length=100, unique=True)
    platform = models.CharField(_("platform"), max_length=20, blank=True)
    didaftarkan = models.DateTimeField(_("didaftarkan"), auto_now=True)

    class Meta:
        verbose_name = _("perangkat push")
        verbose_name_plural = _("perangkat push")

    def __str__(self):
        return f"{self.pengguna} · {self.platform or '?'}"


class Langganan(models.Model):
    """What a guest wants to hear about: published reports of a kecamatan,
    of an aspect, or both."""

    pengguna = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="langganan",
        verbose_name=_("pengguna"),
    )
    kecamatan = models.ForeignKey(
        "reports.Kecamatan", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    aspek = models.ForeignKey(
        "reports.Aspek", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("langganan")
        verbose_name_plural = _("langganan")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kecamatan__isnull=False) | models.Q(aspek__isnull=False),
                name="langganan_kecamatan_or_aspek",
            ),
            models.UniqueConstraint(
                fields=["pengguna", "kecamatan", "aspek"], name="unique_langganan"
            ),
        ]

    def __str__(self):
        return f"{self.pengguna}: {self.kecamatan or ''} {self.aspek or ''}".strip()
