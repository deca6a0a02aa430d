from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import board, views
from .services import FILE_ACTION


@hooks.register("register_admin_urls")
def register_board_urls():
    return [path("kepatuhan-pelaporan/", views.BoardView.as_view(), name="sikanda_kepatuhan")]


class BoardMenuItem(MenuItem):
    def is_shown(self, request):
        return board.may_view(request.user)


@hooks.register("register_admin_menu_item")
def register_board_menu_item():
    # Next to Rekap (160): the board answers "which kecamatan have reported".
    return BoardMenuItem(
        _("Kepatuhan pelaporan"), reverse("sikanda_kepatuhan"), name="kepatuhan-pelaporan",
        icon_name="table", order=165,
    )


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action(FILE_ACTION, _("Kirim laporan nihil"), _("Laporan nihil dikirim"))
