from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import views


@hooks.register("register_admin_urls")
def register_admin_urls():
    urls = [path("", views.index, name="index"), path("<str:label>/", views.toggle, name="toggle")]
    return [path("plugin/", include((urls, "sikanda_plugins")))]


class PluginsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(views.PERMISSION)


@hooks.register("register_settings_menu_item")
def register_menu_item():
    return PluginsMenuItem(
        _("Plugin"), reverse("sikanda_plugins:index"), icon_name="cogs", order=950
    )


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("sikanda.plugin.enable", _("Enable plugin"), _("Plugin enabled"))
    actions.register_action("sikanda.plugin.disable", _("Disable plugin"), _("Plugin disabled"))
