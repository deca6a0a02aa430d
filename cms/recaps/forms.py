from django import forms
from django.utils.translation import gettext_lazy as _


class KembalikanForm(forms.Form):
    comment = forms.CharField(
        label=_("Catatan perbaikan"), widget=forms.Textarea(attrs={"rows": 4}), required=True,
        error_messages={"required": _("Tuliskan apa yang harus diperbaiki.")},
    )
