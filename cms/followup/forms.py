"""Admin forms of the follow-up. They only collect input: the transition
service validates it again, whatever posted it."""

from django import forms
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.widgets import AdminDateTimeInput

from cms.accounts import roles

from .models import Instansi, Prioritas, StatusTindakLanjut


class InstansiForm(WagtailAdminModelForm):
    """Members are chosen among accounts in the role Instansi."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "anggota" in self.fields:
            self.fields["anggota"].queryset = (
                get_user_model().objects.filter(groups__name=roles.INSTANSI, is_active=True)
                .order_by("username")
            )
            self.fields["anggota"].widget = forms.CheckboxSelectMultiple()
            self.fields["anggota"].widget.choices = self.fields["anggota"].choices


class DisposisiForm(forms.Form):
    instruksi = forms.CharField(label=_("Instruksi"), widget=forms.Textarea(attrs={"rows": 4}))
    instansi = forms.ModelMultipleChoiceField(
        label=_("Instansi tujuan"), queryset=Instansi.objects.filter(aktif=True),
        widget=forms.CheckboxSelectMultiple,
    )
    prioritas = forms.ChoiceField(label=_("Prioritas"), choices=Prioritas.choices)
    batas_waktu = forms.DateTimeField(label=_("Batas waktu"), widget=AdminDateTimeInput)
    bagikan_terbatas = forms.BooleanField(
        label=_("Bagikan identitas pelapor dan sumber informasi"), required=False,
        help_text=_("Tanpa centang, instansi tujuan tidak melihat informasi terbatas."),
    )


class CabutForm(forms.Form):
    disposisi = forms.IntegerField(widget=forms.HiddenInput)
    alasan = forms.CharField(label=_("Alasan pencabutan"), max_length=1000)


class LangkahForm(forms.Form):
    """An administrator records a step an agency reported by phone or letter."""

    tindak_lanjut = forms.IntegerField(widget=forms.HiddenInput)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[c for c in StatusTindakLanjut.choices if c[0] != StatusTindakLanjut.TERKIRIM],
    )
    catatan = forms.CharField(label=_("Catatan"), widget=forms.Textarea(attrs={"rows": 2}))
    ke_instansi = forms.ModelChoiceField(
        label=_("Dialihkan ke"), queryset=Instansi.objects.filter(aktif=True), required=False
    )
    lampiran = forms.FileField(label=_("Lampiran"), required=False)


class TautkanForm(forms.Form):
    laporan = forms.MultipleChoiceField(label=_("Laporan yang sama kejadiannya"), required=True)
    kejadian = forms.IntegerField(required=False, widget=forms.HiddenInput)
    judul = forms.CharField(label=_("Judul kejadian"), max_length=200, required=False)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["laporan"].choices = choices
        self.fields["laporan"].widget = forms.CheckboxSelectMultiple(choices=choices)
