from django.utils.translation import gettext_lazy as _

from cms.platform.plugins import PluginConfig


class OneSignalPushConfig(PluginConfig):
    name = "plugins.onesignal_push"
    label = "onesignal_push"
    verbose_name = _("Push OneSignal")
    default_auto_field = "django.db.models.BigAutoField"

    class SikandaPluginMeta:
        name = "Push OneSignal"
        version = "1.0.0"
        author = "Tim SIKANDA"
        description = (
            "Mengirim notifikasi push ke aplikasi seluler SIKANDA lewat OneSignal: pelapor, "
            "pimpinan dan warga pelanggan menerima pemberitahuan laporan di ponsel mereka. "
            "Setiap pengiriman membawa kunci idempotensi, sehingga pengiriman ulang tidak "
            "pernah menjadi push kedua."
        )
        compatibility = ">=0.1,<1"

    notification_channels = ["plugins.onesignal_push.channel.OneSignalChannel"]

    def configuration_problems(self):
        from .channel import setting

        missing = [
            name for name in ("ONESIGNAL_APP_ID", "ONESIGNAL_REST_API_KEY") if not setting(name)
        ]
        if not missing:
            return []
        return [
            _("Kunci OneSignal belum diisi: %(names)s. Isi variabel lingkungan itu di server, "
              "jalankan ulang aplikasi, lalu aktifkan plugin ini.") % {"names": ", ".join(missing)}
        ]
