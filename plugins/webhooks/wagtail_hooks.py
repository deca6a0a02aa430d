"""Admin of the webhooks plugin. The ModelAdmins stay out of Wagtail's menu
(its menu is built once per process, so a hook cannot hide it); the plugin's
own submenu of `PluginMenuItem`s is shown only while the plugin is enabled,
and every view answers 404 while it is disabled."""

from django.contrib.admin.utils import quote
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, ObjectList
from wagtail_modeladmin.helpers import ButtonHelper, PermissionHelper
from wagtail_modeladmin.options import ModelAdmin, ModelAdminGroup
from wagtail_modeladmin.views import CreateView, DeleteView, EditView, IndexView, InspectView

from cms.platform.plugins import PluginMenuItem

from .forms import EndpointForm
from .models import Delivery, Endpoint
from .views import REPLAY_PERMISSION, EnabledOnlyMixin, replay_view

LABEL = "webhooks"


class GatedIndexView(EnabledOnlyMixin, IndexView):
    pass


class GatedCreateView(EnabledOnlyMixin, CreateView):
    pass


class GatedEditView(EnabledOnlyMixin, EditView):
    pass


class GatedDeleteView(EnabledOnlyMixin, DeleteView):
    pass


class GatedInspectView(EnabledOnlyMixin, InspectView):
    pass


class GatedViews:
    index_view_class = GatedIndexView
    create_view_class = GatedCreateView
    edit_view_class = GatedEditView
    delete_view_class = GatedDeleteView
    inspect_view_class = GatedInspectView


class EndpointAdmin(GatedViews, ModelAdmin):
    model = Endpoint
    menu_label = _("Endpoint")
    menu_icon = "link"
    list_display = ("nama", "url", "aktif", "dibuat")
    list_filter = ("aktif",)
    search_fields = ("nama", "url")
    edit_handler = ObjectList(
        [
            FieldPanel("nama"),
            FieldPanel("url"),
            FieldPanel("events"),
            FieldPanel("secret"),
            FieldPanel("aktif"),
        ],
        base_form_class=EndpointForm,
    )


class DeliveryPermissionHelper(PermissionHelper):
    """Deliveries are records: listed and inspected, replayed, never edited by hand."""

    def user_can_create(self, user):
        return False

    def user_can_edit_obj(self, user, obj):
        return False

    def user_can_delete_obj(self, user, obj):
        return False


class DeliveryButtonHelper(ButtonHelper):
    def replay_button(self, obj):
        return {
            "url": reverse("webhooks_replay", args=[quote(obj.pk)]),
            "label": _("Kirim ulang"),
            "classname": self.finalise_classname(["button-secondary"]),
            "title": _("Kirim ulang pengiriman ini dengan ID yang sama"),
        }

    def get_buttons_for_obj(self, obj, exclude=None, classnames_add=None, classnames_exclude=None):
        buttons = super().get_buttons_for_obj(obj, exclude, classnames_add, classnames_exclude)
        if self.request.user.has_perm(REPLAY_PERMISSION):
            buttons.append(self.replay_button(obj))
        return buttons


class DeliveryAdmin(GatedViews, ModelAdmin):
    model = Delivery
    menu_label = _("Pengiriman")
    menu_icon = "resubmit"
    # The answer of an endpoint is shown as its status and a short excerpt
    # (galat_terakhir, at most 200 characters, escaped), never in full.
    list_display = (
        "event",
        "endpoint",
        "status",
        "percobaan",
        "response_status",
        "galat_terakhir",
        "coba_lagi_pada",
        "created",
        "delivery_id",
    )
    list_filter = ("status", "event", "endpoint")
    list_select_related = ("endpoint",)
    search_fields = ("delivery_id", "galat_terakhir")
    inspect_view_fields = (
        "event",
        "endpoint",
        "delivery_id",
        "status",
        "percobaan",
        "response_status",
        "galat_terakhir",
        "coba_lagi_pada",
        "created",
        "terkirim",
        "payload",
    )
    inspect_view_enabled = True
    permission_helper_class = DeliveryPermissionHelper
    button_helper_class = DeliveryButtonHelper


class WebhooksGroup(ModelAdminGroup):
    menu_label = _("Webhook")
    menu_icon = "link"
    add_to_admin_menu = False
    items = (EndpointAdmin, DeliveryAdmin)


webhooks_group = WebhooksGroup()
webhooks_group.register_with_wagtail()
endpoint_admin, delivery_admin = webhooks_group.modeladmin_instances


class WebhookMenuItem(PluginMenuItem):
    def __init__(self, model_admin, **kwargs):
        self.model_admin = model_admin
        super().__init__(
            LABEL,
            model_admin.get_menu_label(),
            model_admin.url_helper.index_url,
            icon_name=model_admin.get_menu_icon(),
            **kwargs,
        )

    def is_shown(self, request):
        return super().is_shown(request) and self.model_admin.permission_helper.user_can_list(
            request.user
        )


@hooks.register("register_admin_menu_item")
def register_webhooks_menu():
    submenu = Menu(
        items=[
            WebhookMenuItem(endpoint_admin, name="webhook-endpoint", order=1),
            WebhookMenuItem(delivery_admin, name="webhook-delivery", order=2),
        ]
    )
    return SubmenuMenuItem(
        _("Webhook"), submenu, name="webhooks", icon_name="link", order=950
    )


@hooks.register("register_admin_urls")
def register_replay_url():
    return [
        path("webhooks/pengiriman/<int:pk>/kirim-ulang/", replay_view, name="webhooks_replay"),
    ]
