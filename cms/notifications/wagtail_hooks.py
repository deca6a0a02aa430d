"""Operations view: administrators see every delivery of the notification
outbox (status, attempts, last error) and send failed ones again."""

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register

from .delivery import retry_now
from .models import Pengiriman

RETRY_PERMISSION = "notifications.change_pengiriman"


class PengirimanPermissionHelper(PermissionHelper):
    """Delivery records are the outbox: read and retried, never edited by hand."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class PengirimanButtonHelper(ButtonHelper):
    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if obj.status == Pengiriman.Status.FAILED and self.request.user.has_perm(RETRY_PERMISSION):
            buttons.append(
                {
                    "url": reverse("notifications_retry", args=[quote(obj.pk)]),
                    "label": _("Kirim ulang"),
                    "classname": self.finalise_classname(["button-secondary"]),
                    "title": _("Kirim ulang dengan kunci idempotensi yang sama"),
                }
            )
        return buttons


class PengirimanAdmin(ModelAdmin):
    model = Pengiriman
    menu_label = gettext_lazy("Pengiriman notifikasi")
    menu_icon = "mail"
    add_to_settings_menu = True
    menu_order = 910
    list_display = (
        "peristiwa",
        "kanal",
        "laporan",
        "status",
        "percobaan",
        "galat_terakhir",
        "coba_lagi_pada",
        "terkirim",
    )
    list_filter = ("status", "kanal", "peristiwa")
    list_select_related = ("laporan",)
    search_fields = ("galat_terakhir", "idempotency_key")
    inspect_view_enabled = True
    permission_helper_class = PengirimanPermissionHelper
    button_helper_class = PengirimanButtonHelper


modeladmin_register(PengirimanAdmin)


@require_POST
def retry_view(request, pk):
    if not request.user.has_perm(RETRY_PERMISSION):
        raise PermissionDenied
    delivery = get_object_or_404(Pengiriman, pk=pk)
    retry_now(delivery)  # queued for the worker after the commit
    delivery.refresh_from_db()
    messages.success(
        request,
        _("Pengiriman diantrekan ulang: %(status)s.") % {"status": delivery.get_status_display()},
    )
    return redirect("notifications_pengiriman_modeladmin_index")


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [
        path("notifikasi/pengiriman/<int:pk>/kirim-ulang/", retry_view, name="notifications_retry")
    ]
