import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from cms.platform.outbox import OutboxDelivery
from cms.platform.plugins import DeliveryFailed


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


class Pengiriman(OutboxDelivery):
    """One delivery of one message through one channel to a set of
    recipients: the outbox row the engine (cms.platform.outbox) claims,
    sends, retries and finishes."""

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
    referensi = models.CharField(_("referensi penyedia"), max_length=100, blank=True)
    dibuat = models.DateTimeField(_("dibuat"), default=timezone.now)
    # A batch of a broadcast (Siaran): which one, and its number per channel.
    siaran = models.ForeignKey(
        "Siaran",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="pengiriman",
        verbose_name=_("siaran"),
    )
    potongan = models.PositiveIntegerField(_("potongan ke"), null=True, blank=True)

    outbox_kind = "notifications"
    outbox_legacy_setting = "SIKANDA_NOTIFICATIONS"
    outbox_result_fields = ("referensi",)
    outbox_background = models.Q(siaran__isnull=False)

    class Meta(OutboxDelivery.Meta):
        ordering = ["-dibuat", "-pk"]
        verbose_name = _("pengiriman notifikasi")
        verbose_name_plural = _("pengiriman notifikasi")
        constraints = [
            # A broadcast expanded twice (a worker that died after the
            # expansion committed) cannot write its batches twice.
            models.UniqueConstraint(
                fields=["siaran", "kanal", "potongan"], name="pengiriman_siaran_potongan_unik"
            ),
        ]

    def __str__(self):
        return f"{self.kanal} · {self.peristiwa} · {self.get_status_display()}"

    def send(self):
        from cms.platform.plugins import notification_channels

        channel = {c.identifier: c for c in notification_channels()}.get(self.kanal)
        if channel is None:
            # The plugin may be switched on again: keep the delivery.
            raise DeliveryFailed(gettext("Kanal tidak aktif atau tidak terpasang."))
        self.referensi = str(channel.send(self) or "")[:100]

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


class Siaran(OutboxDelivery):
    """One message to a large audience (the guests who follow a kecamatan or
    an aspect): written in the transaction of the event, like every outbox
    row, but whom it reaches is worked out afterwards by a worker.

    A publication may have 100,000 followers. Writing their inbox entries and
    deliveries inside the verifier's approval would hold the approval (and
    the reporter's and the Pimpinan's pushes behind it) for seconds; here the
    approval writes one row, and "sending" it means expanding it into inbox
    entries and one delivery per batch a channel can take
    (`cms.notifications.fanout`), page by page, once."""

    peristiwa = models.CharField(_("peristiwa"), max_length=50)
    laporan = models.ForeignKey(
        "reports.Laporan", on_delete=models.CASCADE, related_name="+", verbose_name=_("laporan")
    )
    khalayak = models.CharField(
        _("khalayak"),
        max_length=30,
        help_text=_("Siapa yang dijangkau, menurut aturan notifikasi."),
    )
    aktor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("pelaku"),
    )
    judul = models.JSONField(_("judul"))
    isi = models.JSONField(_("isi"))
    data = models.JSONField(_("data"), default=dict)
    # The expansion's progress, written with each page (cms.notifications.fanout).
    jumlah_penerima = models.PositiveIntegerField(_("jumlah penerima"), default=0)
    halaman = models.PositiveIntegerField(_("halaman diuraikan"), default=0)
    terakhir = models.PositiveBigIntegerField(_("ID pengguna terakhir"), default=0)
    diuraikan = models.DateTimeField(_("selesai diuraikan"), null=True, blank=True)
    dibuat = models.DateTimeField(_("dibuat"), default=timezone.now)

    outbox_kind = "notifications"
    outbox_legacy_setting = "SIKANDA_NOTIFICATIONS"
    outbox_result_fields = ("jumlah_penerima",)
    # Behind the personal deliveries: a reporter's "verified" push must not
    # wait for 100,000 followers.
    outbox_background = models.Q(pk__isnull=False)  # every row

    class Meta(OutboxDelivery.Meta):
        ordering = ["-dibuat", "-pk"]
        verbose_name = _("siaran notifikasi")
        verbose_name_plural = _("siaran notifikasi")

    def __str__(self):
        return f"{self.khalayak} · {self.peristiwa} · {self.get_status_display()}"

    def send(self):
        from .fanout import expand

        self.jumlah_penerima = expand(self)


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
