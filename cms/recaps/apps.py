from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecapsConfig(AppConfig):
    name = "cms.recaps"
    label = "recaps"
    verbose_name = _("Rekap berjenjang")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from .models import RekapKabupaten, RekapKecamatan
        from .permissions import rekap_kabupaten_policy, rekap_kecamatan_policy

        register_permission_policy(RekapKecamatan, rekap_kecamatan_policy)
        register_permission_policy(RekapKabupaten, rekap_kabupaten_policy)
