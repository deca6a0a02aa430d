from django.db import models
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from wagtail.search import index


class Kecamatan(index.Indexed, models.Model):
    """A district of the regency. Officers and verifiers are assigned to a
    kecamatan through object permissions (see cms.reports.assignments)."""

    nama = models.CharField(_("nama"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    kode = models.CharField(
        _("kode wilayah"),
        max_length=20,
        blank=True,
        help_text=_("Kode wilayah Kemendagri, bila diketahui."),
    )

    search_fields = [index.SearchField("nama"), index.AutocompleteField("nama")]

    class Meta:
        ordering = ["nama"]
        verbose_name = _("kecamatan")
        verbose_name_plural = _("kecamatan")
        permissions = [
            ("file_report", _("Boleh membuat laporan untuk kecamatan ini")),
            ("verify_report", _("Boleh memverifikasi laporan kecamatan ini")),
        ]

    def __str__(self):
        return self.nama


class Desa(index.Indexed, models.Model):
    class Jenis(models.TextChoices):
        DESA = "desa", _("Desa")
        KELURAHAN = "kelurahan", _("Kelurahan")

    kecamatan = models.ForeignKey(
        Kecamatan, on_delete=models.PROTECT, related_name="desa", verbose_name=_("kecamatan")
    )
    nama = models.CharField(_("nama"), max_length=100)
    jenis = models.CharField(_("jenis"), max_length=10, choices=Jenis, default=Jenis.DESA)
    kode = models.CharField(
        _("kode wilayah"),
        max_length=20,
        blank=True,
        help_text=_("Kode wilayah Kemendagri (mis. 63.11.06.1023), bila diketahui."),
    )

    search_fields = [
        index.SearchField("nama"),
        index.AutocompleteField("nama"),
        index.FilterField("kecamatan"),
    ]

    class Meta:
        ordering = ["kecamatan__nama", "nama"]
        verbose_name = _("desa/kelurahan")
        verbose_name_plural = _("desa/kelurahan")
        constraints = [
            models.UniqueConstraint(fields=["kecamatan", "nama"], name="unique_desa_per_kecamatan"),
            # A code names one village; rows without one are allowed any number.
            models.UniqueConstraint(
                fields=["kode"], condition=~models.Q(kode=""), name="unique_desa_kode"
            ),
        ]

    def __str__(self):
        return f"{self.nama} ({self.kecamatan})"


# Direct foreign-key object-permission tables: guardian's generic tables join on
# a text object_pk, which cannot use an index against an integer key.
class KecamatanUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Kecamatan, on_delete=models.CASCADE)


class KecamatanGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Kecamatan, on_delete=models.CASCADE)
