from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.search import SearchArea

from cms.reports import admin_guard
from cms.reports.permissions import laporan_policy

from . import views
from .queue import shows_desk


@hooks.register("register_admin_urls")
def register_desk_urls():
    patterns = [
        path("", views.QueueView.as_view(), name="queue"),
        path("<int:pk>/", views.LaporanView.as_view(), name="detail"),
        path("<int:pk>/verifikasi/", views.approve, name="approve"),
        path("<int:pk>/minta-perbaikan/", views.request_changes, name="request_changes"),
        path("<int:pk>/tarik/", views.retract, name="retract"),
    ]
    admin_guard.guard_urlpatterns(patterns, admin_guard.DESK_URLS)
    return [path("meja-verifikasi/", include((patterns, "sikanda_desk")))]


class DeskMenuItem(MenuItem):
    def is_shown(self, request):
        return shows_desk(request.user)


@hooks.register("register_admin_menu_item")
def register_desk_menu_item():
    return DeskMenuItem(
        _("Meja verifikasi"), reverse("sikanda_desk:queue"), name="meja-verifikasi",
        icon_name="tasks", order=140,
    )


class LaporanSearchArea(SearchArea):
    """The admin's search box (sidebar) searches reports for those who read
    reports: Wagtail's page search, the only one it offers them otherwise,
    answered verifiers and the Pimpinan with a permission error. After the
    page search (order 100), so page editors keep theirs first."""

    def is_shown(self, request):
        return laporan_policy.user_has_permission(request.user, "view")


@hooks.register("register_admin_search_area")
def register_laporan_search_area():
    return LaporanSearchArea(
        _("Laporan ATHG"), reverse("wagtailsnippets_reports_laporan:list"),
        name="laporan", icon_name="warning", order=150,
    )
