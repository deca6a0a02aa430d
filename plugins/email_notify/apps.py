from django.utils.translation import gettext_lazy as _

from cms.platform.plugins import PluginConfig

DJANGO_DEFAULT_SENDER = "webmaster@localhost"


class EmailNotifyConfig(PluginConfig):
    name = "plugins.email_notify"
    label = "email_notify"
    verbose_name = _("Notifikasi email")
    default_auto_field = "django.db.models.BigAutoField"

    class SikandaPluginMeta:
        name = "Notifikasi email"
        version = "1.0.0"
        author = "Tim SIKANDA"
        description = (
            "Mengirim pemberitahuan laporan lewat email (server email Django) kepada "
            "verifikator, pimpinan dan administrator yang memilihnya per jenis peristiwa di "
            "Akun saya → Notifikasi email. Email berbahasa Indonesia, dengan tautan yang dapat "
            "dibuka penerimanya."
        )
        compatibility = ">=0.1,<1"

    notification_channels = ["plugins.email_notify.channel.EmailChannel"]

    def configuration_problems(self):
        from django.conf import settings

        if settings.DEFAULT_FROM_EMAIL in ("", DJANGO_DEFAULT_SENDER):
            return [
                _("Alamat pengirim email belum diatur: isi DJANGO_DEFAULT_FROM_EMAIL (dan "
                  "DJANGO_EMAIL_HOST) di server, jalankan ulang aplikasi, lalu aktifkan plugin "
                  "ini.")
            ]
        return []
