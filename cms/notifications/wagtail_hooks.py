"""Operations view: administrators see every delivery of the notification
outbox (status, attempts, last error) and send failed ones again."""

import datetime

from django.contrib import admin, messages
from django.contrib.admin.utils import quote
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.formats import number_format
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
from .models import Pengiriman, Siaran

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


SHOWN_RECIPIENTS = 50

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
            # A broadcast's batch names up to 2,000 people: show the first ones.
            everyone = self.instance.penerima.order_by("first_name", "username")
            people = [
                f"{user.get_full_name() or user.get_username()} ({user.get_username()})"
                for user in everyone[:SHOWN_RECIPIENTS]
            ]
            more = everyone.count() - len(people) if len(people) == SHOWN_RECIPIENTS else 0
            if more:
                count = number_format(more, force_grouping=True)
                people.append(_("dan %(count)s lainnya") % {"count": count})
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


class SiaranInspectView(PengirimanInspectView):
    def get_field_label(self, field_name, field=None):
        if field_name == "batches":
            return SiaranAdmin.batches.short_description
        return super().get_field_label(field_name, field)

    def get_field_display_value(self, field_name, field=None):
        if field_name == "batches":
            return SiaranAdmin.batches(None, self.instance)
        return super().get_field_display_value(field_name, field)


class SiaranAdmin(ModelAdmin):
    """Broadcasts to followers: how many each reached and how far its batches
    are (the batches themselves are in *Pengiriman notifikasi*)."""

    model = Siaran
    menu_label = gettext_lazy("Siaran notifikasi")
    menu_icon = "mail"
    add_to_settings_menu = True
    menu_order = 911
    list_display = ("peristiwa", "laporan", "khalayak", "status", "jumlah_penerima", "batches",
                    "galat_terakhir", "dibuat", "diuraikan")
    list_filter = ("status", "peristiwa")
    list_select_related = ("laporan",)
    inspect_view_enabled = True
    inspect_view_class = SiaranInspectView
    inspect_view_fields = (
        "peristiwa", "laporan", "khalayak", "status", "jumlah_penerima", "halaman", "batches",
        "judul", "isi", "data", "percobaan", "galat_terakhir", "coba_lagi_pada", "dibuat",
        "diuraikan",
    )
    permission_helper_class = PengirimanPermissionHelper

    def get_queryset(self, request):
        # The batches' progress for the whole page in the listing's one query.
        counts = {
            f"batches_{status}": Count("pengiriman", filter=Q(pengiriman__status=status))
            for status in Pengiriman.Status.values
        }
        return super().get_queryset(request).annotate(**counts)

    @admin.display(description=gettext_lazy("pengiriman per potongan"))
    def batches(self, obj):
        counts = getattr(obj, "batches_sent", None)
        if counts is None:  # the detail page: one object, one query
            found = dict(
                obj.pengiriman.values_list("status").annotate(n=Count("pk")).order_by()
            )
        else:
            found = {status: getattr(obj, f"batches_{status}")
                     for status in Pengiriman.Status.values}
        parts = [
            f"{number_format(found[status], force_grouping=True)} {label.lower()}"
            for status, label in Pengiriman.Status.choices
            if found.get(status)
        ]
        return " · ".join(parts) or "—"


modeladmin_register(SiaranAdmin)


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
