from django.utils.translation import gettext_lazy as _
from wagtail_modeladmin.options import ModelAdmin, modeladmin_register
from wagtail_modeladmin.views import DeleteView

from .models import DeviceSession, RevocationReason


class RevokeView(DeleteView):
    """'Delete' in the admin revokes: the session ends at once and the record
    stays for the audit trail."""

    page_title = _("Cabut sesi")

    def confirmation_message(self):
        return _("Cabut sesi perangkat ini? Aplikasi di perangkat itu harus masuk ulang.")

    def delete_instance(self):
        self.instance.revoke(RevocationReason.ADMIN)


class DeviceSessionAdmin(ModelAdmin):
    model = DeviceSession
    menu_label = _("Sesi perangkat")
    menu_icon = "mobile-alt"
    menu_order = 900
    add_to_settings_menu = True
    list_display = (
        "user", "device_name", "created_at", "last_used_at", "revoked_at", "revoked_reason"
    )
    list_filter = ("revoked_at", "revoked_reason")
    list_select_related = ("user",)
    search_fields = ("user__username", "device_name")
    delete_view_class = RevokeView
    inspect_view_enabled = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("user")


modeladmin_register(DeviceSessionAdmin)
