from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The events a person may choose to receive by email, and who may choose
# them (the notification rules decide who is a recipient at all).
EVENTS = {
    "report.submitted": _("Laporan baru menunggu verifikasi (verifikator)"),
    "report.withdrawn": _("Laporan ditarik kembali oleh pelapor (verifikator)"),
    "report.verified": _("Laporan terverifikasi (pimpinan)"),
    "report.retracted": _("Laporan terverifikasi ditarik (verifikator dan pimpinan)"),
    "recap.signed": _("Rekap kabupaten ditandatangani, dengan tautan unduhan (pimpinan)"),
}


class PreferensiEmail(models.Model):
    """Which report events a user wants by email. Nobody gets email without
    choosing it here."""

    pengguna = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="preferensi_email",
        verbose_name=_("pengguna"),
    )
    peristiwa = models.JSONField(_("peristiwa"), default=list, blank=True)

    class Meta:
        verbose_name = _("preferensi email")
        verbose_name_plural = _("preferensi email")

    def __str__(self):
        return f"{self.pengguna}: {', '.join(self.peristiwa) or '-'}"


class EmailTerkirim(models.Model):
    """One email sent for one delivery to one person: a retry of the delivery
    (the outbox sends again after a failure or a dead worker) skips those
    already sent, so nobody gets the same email twice."""

    idempotency_key = models.UUIDField(_("kunci idempotensi"))
    penerima = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
        verbose_name=_("penerima"),
    )
    dikirim = models.DateTimeField(_("dikirim"), auto_now_add=True)

    class Meta:
        verbose_name = _("email terkirim")
        verbose_name_plural = _("email terkirim")
        constraints = [
            models.UniqueConstraint(
                fields=["idempotency_key", "penerima"], name="email_sekali_per_penerima"
            )
        ]

    def __str__(self):
        return f"{self.idempotency_key} → {self.penerima_id}"
