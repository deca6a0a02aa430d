"""The desk's decision forms. The transition service validates the same data
again whatever posted it; these forms exist to give the verifier a precise,
translated message next to the field and keep what they typed."""

from django import forms
from django.utils.translation import gettext_lazy as _

from cms.reports.models import PenilaianVerifikasi
from cms.reports.transitions import REASON_MAX_LENGTH

COMMENT_MAX_LENGTH = 2000


class SetujuiForm(forms.Form):
    """Approve: the grading is the verifier's judgement, so nothing is
    preselected and both parts must be chosen."""

    keandalan_sumber = forms.ChoiceField(
        label=_("Keandalan sumber"),
        choices=PenilaianVerifikasi.Keandalan.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih keandalan sumber (A–F).")},
    )
    kredibilitas_informasi = forms.ChoiceField(
        label=_("Kredibilitas informasi"),
        choices=PenilaianVerifikasi.Kredibilitas.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Pilih kredibilitas informasi (1–6).")},
    )
    comment = forms.CharField(
        label=_("Catatan (tidak wajib)"),
        required=False,
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "setujui")
        super().__init__(*args, **kwargs)


class PerbaikanForm(forms.Form):
    comment = forms.CharField(
        label=_("Apa yang harus diperbaiki pelapor?"),
        max_length=COMMENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Tuliskan apa yang harus diperbaiki pelapor.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "perbaikan")
        super().__init__(*args, **kwargs)


class TarikForm(forms.Form):
    alasan = forms.CharField(
        label=_("Alasan penarikan"),
        max_length=REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Hanya untuk internal: publik hanya melihat bahwa laporan ditarik."),
        error_messages={"required": _("Tuliskan alasan penarikan laporan.")},
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "tarik")
        super().__init__(*args, **kwargs)
