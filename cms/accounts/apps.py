from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class AccountsConfig(AppConfig):
    name = "cms.accounts"
    label = "accounts"
    verbose_name = _("Akun dan peran")
    # This module also holds the users app config below.
    default = True

    def ready(self):
        from . import signals  # noqa: F401


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin with SIKANDA's role boundaries (cms/accounts/user_admin.py):
    installed in place of "wagtail.users"."""

    user_viewset = "cms.accounts.user_admin.UserViewSet"
