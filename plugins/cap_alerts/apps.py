from django.utils.translation import gettext_lazy as _

from cms.platform.plugins import PluginConfig


class CapAlertsConfig(PluginConfig):
    name = "plugins.cap_alerts"
    label = "cap_alerts"
    verbose_name = _("Umpan peringatan CAP")
    default_auto_field = "django.db.models.BigAutoField"

    class SikandaPluginMeta:
        name = "Umpan peringatan CAP 1.2"
        version = "1.0.0"
        author = "Tim SIKANDA"
        description = (
            "Menerbitkan laporan terverifikasi berklasifikasi publik sebagai peringatan "
            "OASIS CAP 1.2 beserta umpan Atom, agar dapat diambil oleh sistem peringatan "
            "dini lain (BPBD, agregator peringatan). Koreksi terverifikasi terbit sebagai "
            "pembaruan (Update) dan laporan yang ditarik sebagai pembatalan (Cancel). "
            "Identitas pelapor, sumber informasi dan penilaian verifikator tidak pernah "
            "disertakan."
        )
        compatibility = ">=0.1,<1"

    urls = "plugins.cap_alerts.urls"
