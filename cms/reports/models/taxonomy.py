from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderedTerm(models.Model):
    nama = models.CharField(_("nama"), max_length=100, unique=True)
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    keterangan = models.TextField(_("keterangan"), blank=True)
    urutan = models.PositiveSmallIntegerField(_("urutan"), default=0)

    class Meta:
        abstract = True
        ordering = ["urutan", "nama"]

    def __str__(self):
        return self.nama


class Aspek(OrderedTerm):
    """Aspect of national life a report concerns (Permendagri 2/2018):
    ideologi, politik, ekonomi, sosial budaya, pertahanan dan keamanan."""

    class Meta(OrderedTerm.Meta):
        verbose_name = _("aspek")
        verbose_name_plural = _("aspek")


class JenisATHG(OrderedTerm):
    """Ancaman, Tantangan, Hambatan, Gangguan."""

    class Meta(OrderedTerm.Meta):
        verbose_name = _("jenis ATHG")
        verbose_name_plural = _("jenis ATHG")
