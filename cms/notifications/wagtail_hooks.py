"""Operations view: administrators see every delivery of the notification
outbox (status, attempts, last error) and send failed ones again."""

import datetime

from django.contrib import messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import InspectView

from cms.desk.wita import wita

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


# What the stored values mean, for the delivery detail page.
DATA_LABELS = {"event": gettext_lazy("Peristiwa"), "laporan_id": gettext_lazy("ID laporan")}
LANGUAGE_LABELS = {"id": gettext_lazy("Bahasa Indonesia"), "en": gettext_lazy("English")}


class PengirimanInspectView(InspectView):
    """The delivery as text an administrator reads, not Python dicts: each
    language of the message on its own line, the data as labelled values,
    recipients by name, times in WITA."""

    def get_field_display_value(self, field_name, field=None):
        value = getattr(self.instance, field_name, None)
        if field_name in ("judul", "isi") and isinstance(value, dict):
            return format_html_join(
                mark_safe("<br>"), "{}: {}",
                ((LANGUAGE_LABELS.get(lang, lang), text) for lang, text in value.items()),
            ) or "—"
        if field_name == "data" and isinstance(value, dict):
            return format_html_join(
                mark_safe("<br>"), "{}: {}",
                ((DATA_LABELS.get(key, key), item) for key, item in value.items()),
            ) or "—"
        if field_name == "penerima":
            people = [
                f"{user.get_full_name() or user.get_username()} ({user.get_username()})"
                for user in self.instance.penerima.order_by("first_name", "username")
            ]
            return ", ".join(people) or "—"
        if isinstance(value, datetime.datetime):
            return wita(value)
        return super().get_field_display_value(field_name, field)


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
    inspect_view_class = PengirimanInspectView
    inspect_view_fields = (
        "peristiwa", "kanal", "laporan", "status", "penerima", "judul", "isi", "data",
        "percobaan", "galat_terakhir", "coba_lagi_pada", "terkirim", "dibuat", "referensi",
        "idempotency_key",
    )
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
