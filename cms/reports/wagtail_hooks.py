from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup, modeladmin_register

from cms.followup.admin import InstansiAdmin
from cms.followup.gaps import has_verifier

from .forms import KecamatanForm
from .models import Aspek, Desa, JenisATHG, Kecamatan


class KecamatanAdmin(ModelAdmin):
    model = Kecamatan
    menu_label = _("Kecamatan")
    menu_icon = "site"
    list_display = ("nama", "kode", "verifikator_status")
    search_fields = ("nama", "kode")

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(ada_verifikator=has_verifier())

    @admin.display(description=_("Verifikator"))
    def verifikator_status(self, obj):
        # Without one, submissions go straight to the Administrators (cms/followup).
        return _("Ada") if obj.ada_verifikator else _("⚠ Belum ada verifikator")
    edit_handler = ObjectList(
        [
            FieldPanel("nama"),
            FieldPanel("slug"),
            FieldPanel("kode"),
            FieldPanel("petugas"),
            FieldPanel("verifikator"),
        ],
        base_form_class=KecamatanForm,
    )


class DesaAdmin(ModelAdmin):
    model = Desa
    menu_label = _("Desa/Kelurahan")
    menu_icon = "home"
    list_display = ("nama", "jenis", "kecamatan")
    list_filter = ("kecamatan", "jenis")
    list_select_related = ("kecamatan",)
    search_fields = ("nama", "kecamatan__nama")


class AspekAdmin(ModelAdmin):
    model = Aspek
    menu_label = _("Aspek")
    menu_icon = "tag"
    list_display = ("nama", "urutan")
    search_fields = ("nama",)


class JenisATHGAdmin(ModelAdmin):
    model = JenisATHG
    menu_label = _("Jenis ATHG")
    menu_icon = "warning"
    list_display = ("nama", "urutan")
    search_fields = ("nama",)


@modeladmin_register
class MasterDataGroup(ModelAdminGroup):
    menu_label = _("Data induk")
    menu_icon = "folder-open-inverse"
    menu_order = 250
    items = (KecamatanAdmin, DesaAdmin, AspekAdmin, JenisATHGAdmin, InstansiAdmin)


from wagtail import hooks  # noqa: E402
from wagtail.admin.auth import user_has_any_page_permission  # noqa: E402
from wagtail.admin.views.home import (  # noqa: E402
    LockedPagesPanel,
    RecentEditsPanel,
    UserObjectsInWorkflowModerationPanel,
    WhatsNewInWagtailVersionPanel,
    WorkflowObjectsToModeratePanel,
)
from wagtail.snippets.models import register_snippet  # noqa: E402

from cms.desk.panels import AntreanPanel  # noqa: E402
from cms.desk.queue import shows_desk  # noqa: E402

from .admin_views import LaporanBulkActionRemoved, LaporanViewSet, RingkasanPanel  # noqa: E402
from .permissions import laporan_policy  # noqa: E402

register_snippet(LaporanViewSet)
# Registered after Wagtail's snippet bulk actions (order 0), so it replaces
# their delete for reports.
hooks.register("register_bulk_action", LaporanBulkActionRemoved, order=100)

# Wagtail's workflow panels render every item waiting (thousands of rows and
# queries with a long queue) and speak of pages ("Language", "Privacy and
# access"); the desk's panel takes their place.
WAGTAIL_WORKFLOW_PANELS = (WorkflowObjectsToModeratePanel, UserObjectsInWorkflowModerationPanel)
# About pages: only for those who edit pages.
PAGE_PANELS = (RecentEditsPanel, LockedPagesPanel)


@hooks.register("construct_homepage_panels")
def sikanda_dashboard(request, panels):
    user = request.user
    edits_pages = user_has_any_page_permission(user)
    panels[:] = [
        panel for panel in panels
        if not isinstance(panel, WAGTAIL_WORKFLOW_PANELS + (WhatsNewInWagtailVersionPanel,))
        and (edits_pages or not isinstance(panel, PAGE_PANELS))
    ]
    if shows_desk(user):
        panels.append(AntreanPanel(user))
    if laporan_policy.user_has_permission(user, "view"):
        panels.append(RingkasanPanel(user))
