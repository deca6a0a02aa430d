from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import figures, views


@hooks.register("register_admin_urls")
def register_dashboard_urls():
    return [path("dasbor-pimpinan/", views.DashboardView.as_view(), name="sikanda_dashboard")]


class DashboardMenuItem(MenuItem):
    def is_shown(self, request):
        return figures.may_view(request.user)


@hooks.register("register_admin_menu_item")
def register_dashboard_menu_item():
    return DashboardMenuItem(
        _("Dasbor pimpinan"), reverse("sikanda_dashboard"), name="dasbor-pimpinan",
        icon_name="site", order=130,
    )


class DashboardLinkPanel(Component):
    """On the admin home page of the leadership: the way to the dashboard."""

    name = "dasbor_pimpinan"
    order = 40
    template_name = "dashboard/panel.html"

    def get_context_data(self, parent_context):
        return {"url": reverse("sikanda_dashboard")}


@hooks.register("construct_homepage_panels")
def add_dashboard_panel(request, panels):
    if figures.may_view(request.user):
        panels.append(DashboardLinkPanel())
