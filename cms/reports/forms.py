from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from cms.accounts import roles

from .assignments import FILE_REPORT, VERIFY_REPORT, assigned_users, set_assigned_users


def _users_in(role):
    return get_user_model().objects.filter(groups__name=role, is_active=True).order_by("username")


class KecamatanForm(WagtailAdminModelForm):
    """Edits the kecamatan and, on the same screen, who is assigned to it."""

    petugas = forms.ModelMultipleChoiceField(
        label=_("Petugas yang ditugaskan"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Petugas ini boleh membuat laporan untuk kecamatan ini."),
    )
    verifikator = forms.ModelMultipleChoiceField(
        label=_("Verifikator yang ditugaskan"),
        queryset=get_user_model().objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Verifikator ini memeriksa laporan dari kecamatan ini."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["petugas"].queryset = _users_in(roles.PETUGAS)
        self.fields["verifikator"].queryset = _users_in(roles.VERIFIKATOR)
        if self.instance.pk:
            self.initial["petugas"] = list(assigned_users(self.instance, FILE_REPORT))
            self.initial["verifikator"] = list(assigned_users(self.instance, VERIFY_REPORT))

    def save(self, commit=True):
        instance = super().save(commit=commit)
        if commit:
            set_assigned_users(instance, FILE_REPORT, self.cleaned_data["petugas"])
            set_assigned_users(instance, VERIFY_REPORT, self.cleaned_data["verifikator"])
        return instance
