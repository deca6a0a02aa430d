from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSetGroup

from .admin_views import RekapKabupatenViewSet, RekapKecamatanViewSet


class RekapGroup(SnippetViewSetGroup):
    menu_label = _("Rekap")
    menu_icon = "doc-full"
    menu_name = "rekap"
    menu_order = 160
    items = (RekapKecamatanViewSet, RekapKabupatenViewSet)


register_snippet(RekapGroup)


@hooks.register("register_log_actions")
def register_log_actions(actions):
    actions.register_action("sikanda.recap.approve", _("Setujui rekap"), _("Rekap disetujui"))
    actions.register_action(
        "sikanda.recap.sign", _("Tandatangani rekap"), _("Rekap disetujui dan ditandatangani")
    )
    actions.register_action(
        "sikanda.recap.susulan", _("Laporan susulan"),
        _("Laporan periode ini terverifikasi setelah rekap disetujui; dimuat sebagai susulan"),
    )
    actions.register_action("sikanda.recap.create", _("Buat rekap"), _("Rekap dibuat otomatis"))
