from django.http import HttpResponse
from django.urls import path
from django.utils.html import format_html
from wagtail import hooks
from wagtail.admin.ui.components import Component

from cms.platform.plugins import PluginMenuItem, gate_urlpatterns, only_when_enabled


@hooks.register("register_admin_menu_item")
def menu_item():
    return PluginMenuItem(
        "sample_plugin",
        "Menu plugin contoh",
        "/plugin/sample_plugin/halo/",
        icon_name="cog",
        order=10_000,
    )


class SamplePanel(Component):
    order = 500

    def render_html(self, parent_context=None):
        return format_html("<section>{}</section>", "Panel plugin contoh")


@hooks.register("construct_homepage_panels")
@only_when_enabled("sample_plugin")
def add_panel(request, panels):
    panels.append(SamplePanel())


@hooks.register("register_admin_urls")
def admin_urls():
    return gate_urlpatterns("sample_plugin", [
        path("sample-plugin/", lambda request: HttpResponse("admin plugin contoh"),
             name="sample_plugin_admin"),
    ])
