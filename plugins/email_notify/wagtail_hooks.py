from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.views.account import BaseSettingsPanel, notifications_tab

from cms.platform.plugins import only_when_enabled
from cms.reports.permissions import laporan_policy

from .models import EVENTS, PreferensiEmail

VERIFIER_EVENTS = ("report.submitted", "report.withdrawn", "report.retracted")
PIMPINAN_EVENTS = ("report.verified", "report.retracted", "recap.signed")


def events_for(user):
    """The events whose notifications can reach this user."""
    if laporan_policy.is_administrator(user):
        return list(EVENTS)
    chosen = set()
    if laporan_policy.verify_kecamatan_ids(user):
        chosen.update(VERIFIER_EVENTS)
    if laporan_policy.is_pimpinan(user):
        chosen.update(PIMPINAN_EVENTS)
    return [event for event in EVENTS if event in chosen]


class PreferensiEmailForm(forms.ModelForm):
    peristiwa = forms.MultipleChoiceField(
        label=_("Kirim email bila"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Pemberitahuan di aplikasi dan kotak masuk tetap ada; email hanya untuk "
                    "yang Anda pilih di sini."),
    )

    class Meta:
        model = PreferensiEmail
        fields = ["peristiwa"]

    def __init__(self, *args, events=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["peristiwa"].choices = [(event, EVENTS[event]) for event in events]


class EmailSettingsPanel(BaseSettingsPanel):
    name = "email_sikanda"
    title = _("Notifikasi email")
    tab = notifications_tab
    order = 50
    form_class = PreferensiEmailForm

    def is_active(self):
        return bool(events_for(self.user))

    def get_form(self):
        instance = (
            PreferensiEmail.objects.filter(pengguna=self.user).first()
            or PreferensiEmail(pengguna=self.user)
        )
        kwargs = {"instance": instance, "prefix": self.name, "events": events_for(self.user)}
        if self.request.method == "POST":
            return self.form_class(self.request.POST, **kwargs)
        return self.form_class(**kwargs)


@hooks.register("register_account_settings_panel")
@only_when_enabled("email_notify")
def register_email_settings_panel(request, user, profile):
    return EmailSettingsPanel(request, user, profile)
