from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PluginState(models.Model):
    """Whether an installed plugin is switched on in this installation. A
    plugin without a row is off: nothing runs until an administrator says so."""

    label = models.CharField(_("label aplikasi"), max_length=100, unique=True)
    enabled = models.BooleanField(_("aktif"), default=False)
    changed_at = models.DateTimeField(_("diubah"), auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("diubah oleh"),
    )

    class Meta:
        verbose_name = _("status plugin")
        verbose_name_plural = _("status plugin")
        permissions = [("manage_plugins", _("Boleh mengaktifkan dan menonaktifkan plugin"))]

    def __str__(self):
        return f"{self.label}: {'aktif' if self.enabled else 'nonaktif'}"
