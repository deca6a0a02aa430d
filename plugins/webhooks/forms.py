from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from .models import event_choices


class EndpointForm(WagtailAdminModelForm):
    events = forms.MultipleChoiceField(
        label=_("Peristiwa"),
        choices=event_choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Peristiwa laporan yang dikirim ke penerima ini."),
    )
