from django import forms
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm

from cms.accounts import roles

from . import attachments
from .assignments import FILE_REPORT, VERIFY_REPORT, assigned_users, set_assigned_users
from .models.laporan import Saluran
from .permissions import laporan_policy


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
        for name, role in (("petugas", roles.PETUGAS), ("verifikator", roles.VERIFIKATOR)):
            # People are recognised by name; the username tells namesakes apart.
            self.fields[name].queryset = _users_in(role).order_by(
                "first_name", "last_name", "username"
            )
            self.fields[name].label_from_instance = _officer_label
        if self.instance.pk:
            self.initial["petugas"] = list(assigned_users(self.instance, FILE_REPORT))
            self.initial["verifikator"] = list(assigned_users(self.instance, VERIFY_REPORT))
            if not self.initial["verifikator"]:
                self.fields["verifikator"].help_text = _(
                    "⚠ Belum ada verifikator: laporan dari kecamatan ini langsung diteruskan "
                    "kepada Administrator."
                )

    def save(self, commit=True):
        instance = super().save(commit=commit)
        if commit:
            set_assigned_users(instance, FILE_REPORT, self.cleaned_data["petugas"])
            set_assigned_users(instance, VERIFY_REPORT, self.cleaned_data["verifikator"])
        return instance


# -- the report editor --------------------------------------------------------


def _officer_label(user):
    return f"{user.get_full_name() or user.username} ({user.username})"


class LaporanAdminForm(WagtailAdminModelForm):
    """The report editor. On creation an administrator records a report that
    reached Kesbangpol by phone, letter or in person: on behalf of an officer
    or in their own name, with the channel noted. Both are fixed once the
    report exists, so the edit form leaves them out."""

    atas_nama = forms.ModelChoiceField(
        label=_("Atas nama petugas"),
        queryset=get_user_model().objects.none(),
        required=False,
        empty_label=_("— atas nama saya sendiri —"),
        help_text=_(
            "Petugas yang menyampaikan laporan ini. Kosongkan bila Anda sendiri yang menerimanya."
        ),
    )
    saluran = forms.ChoiceField(
        label=_("Diterima melalui"),
        # The app files its own reports; the admin records the other channels.
        choices=[choice for choice in Saluran.choices if choice[0] != Saluran.APLIKASI],
        initial=Saluran.TELEPON,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_recording:
            del self.fields["atas_nama"]
            del self.fields["saluran"]
            return
        officers = self.fields["atas_nama"]
        officers.queryset = _users_in(roles.PETUGAS).order_by("first_name", "last_name", "username")
        officers.label_from_instance = _officer_label

    @property
    def is_recording(self):
        return self.instance.pk is None

    def clean(self):
        cleaned = super().clean()
        officer, kecamatan = cleaned.get("atas_nama"), cleaned.get("kecamatan")
        if officer and kecamatan and not laporan_policy.user_can_file_for(officer, kecamatan):
            self.add_error("atas_nama", _(
                "%(officer)s tidak ditugaskan melapor di Kecamatan %(kecamatan)s."
            ) % {"officer": _officer_label(officer), "kecamatan": kecamatan})
        return cleaned

    def save(self, commit=True):
        if self.is_recording:
            self.instance.pelapor = self.cleaned_data.get("atas_nama") or self.for_user
            self.instance.saluran = self.cleaned_data["saluran"]
        return super().save(commit=commit)


class LampiranInput(forms.FileInput):
    """The file input of an attachment row. Stored files have no public URL
    (the storage refuses to give one), so an existing attachment is shown
    through the permission-checked view: thumbnail, name, type and size."""

    template_name = "reports/admin/lampiran_input.html"

    def __init__(self, attrs=None):
        # A hint for the file picker only; the content check decides.
        accept = ",".join([*attachments.PHOTO_TYPES, *attachments.DOCUMENT_TYPES])
        super().__init__({"accept": accept, **(attrs or {})})

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        lampiran = getattr(value, "instance", None)
        context["lampiran"] = lampiran if lampiran is not None and lampiran.pk else None
        return context


class LampiranAdminForm(WagtailAdminModelForm):
    """An attachment uploaded in the admin passes the same content checks as
    one sent by the app (type by content, size limit); type, MIME and size
    are taken from the file, not from the browser."""

    def clean_berkas(self):
        berkas = self.cleaned_data.get("berkas")
        if isinstance(berkas, UploadedFile):
            checked = attachments.build(berkas)
            for field in ("jenis", "mime", "ukuran", "nama_asli"):
                setattr(self.instance, field, getattr(checked, field))
        return berkas
