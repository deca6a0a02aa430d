from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class LaporanNihil(models.Model):
    """"Nothing to report" for one kecamatan and one WITA calendar day.

    One per kecamatan and day, whoever files it: the board asks whether the
    kecamatan accounted for its day, and a second officer of the same
    kecamatan filing again gets the first record back (idempotent), not a
    duplicate. The officer who filed it is kept."""

    kecamatan = models.ForeignKey(
        "reports.Kecamatan", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("kecamatan"),
    )
    tanggal = models.DateField(_("tanggal (WITA)"))
    petugas = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("petugas"),
    )
    dibuat = models.DateTimeField(_("dikirim"), default=timezone.now)

    class Meta:
        ordering = ["-tanggal", "kecamatan__nama"]
        verbose_name = _("laporan nihil")
        verbose_name_plural = _("laporan nihil")
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "tanggal"], name="unique_nihil_per_hari")
        ]
        indexes = [models.Index(fields=["tanggal"], name="nihil_tanggal_idx")]

    def __str__(self):
        return f"{self.kecamatan} · {self.tanggal.isoformat()} · nihil"


class TahapPengingatKepatuhan(models.TextChoices):
    PETUGAS = "petugas", _("Petugas")
    VERIFIKATOR = "verifikator", _("Verifikator")


class PengingatKepatuhan(models.Model):
    """A reminder that a kecamatan has not reported for a day, as sent: at
    most one per kecamatan, day and stage. Inserted in the transaction of its
    notification rows, so a second run — concurrent or later — sends nothing."""

    kecamatan = models.ForeignKey(
        "reports.Kecamatan", on_delete=models.CASCADE, related_name="+",
        verbose_name=_("kecamatan"),
    )
    tanggal = models.DateField(_("tanggal (WITA)"))
    tahap = models.CharField(_("tahap"), max_length=12, choices=TahapPengingatKepatuhan)
    penerima = models.PositiveIntegerField(_("jumlah penerima"), default=0)
    dikirim = models.DateTimeField(_("dikirim"), default=timezone.now)

    class Meta:
        verbose_name = _("pengingat kepatuhan")
        verbose_name_plural = _("pengingat kepatuhan")
        constraints = [
            models.UniqueConstraint(
                fields=["kecamatan", "tanggal", "tahap"], name="unique_pengingat_kepatuhan"
            )
        ]

    def __str__(self):
        return f"{self.kecamatan_id} · {self.tanggal.isoformat()} · {self.tahap}"
