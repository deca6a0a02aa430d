from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SecurityConfig(AppConfig):
    name = "cms.security"
    label = "security"
    verbose_name = _("Keamanan HTTP")

    def ready(self):
        from .wagtail_nonces import nonce_chooser_scripts

        nonce_chooser_scripts()
