"""Public pages of the report archive and the one way to fetch an attachment.

Who may see what is decided only by `laporan_policy`; these views never add
rules of their own. The public pages show verified (live) reports only:
drafts and reports waiting for verification are seen in the admin."""

import datetime
import re
from pathlib import PurePosixPath

from django import forms
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from PIL import Image, UnidentifiedImageError

from cms.accounts.auth import accepts_bearer_token

from . import derived
from .archive_paging import archive_page
from .models import Aspek, JenisATHG, Kecamatan, Laporan
from .models.laporan import Klasifikasi, Lampiran
from .permissions import laporan_policy
from .search import search

SEARCH_MAX_LENGTH = 100


class ArsipFilterForm(forms.Form):
    """The archive's filter inputs (GET). Invalid values become form errors,
    never server errors."""

    q = forms.CharField(
        label=gettext_lazy("Kata kunci"), required=False, max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=gettext_lazy("Cari pada judul, isi, atau nomor laporan."),
    )
    kecamatan = forms.ModelChoiceField(
        label=gettext_lazy("Kecamatan"), queryset=Kecamatan.objects.all(), to_field_name="slug",
        required=False, empty_label=gettext_lazy("Semua kecamatan"),
    )
    aspek = forms.ModelChoiceField(
        label=gettext_lazy("Aspek"), queryset=Aspek.objects.all(), to_field_name="slug",
        required=False, empty_label=gettext_lazy("Semua aspek"),
    )
    jenis = forms.ModelChoiceField(
        label=gettext_lazy("Jenis ATHG"), queryset=JenisATHG.objects.all(), to_field_name="slug",
        required=False, empty_label=gettext_lazy("Semua jenis"),
    )
    dari = forms.DateField(
        label=gettext_lazy("Dari tanggal"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    sampai = forms.DateField(
        label=gettext_lazy("Sampai tanggal"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", "saring-%s")
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        dari, sampai = cleaned.get("dari"), cleaned.get("sampai")
        if dari and sampai and dari > sampai:
            self.add_error(
                "sampai", _("Tanggal akhir tidak boleh sebelum tanggal awal.")
            )
            cleaned.pop("sampai", None)
        return cleaned

    def mark_errors(self):
        """Link each invalid input to its error message (aria-describedby)."""
        for name in self.errors:
            if name in self.fields:
                ids = [f"{self[name].auto_id}-galat"]
                if self.fields[name].help_text:
                    ids.append(f"{self[name].auto_id}_helptext")
                self.fields[name].widget.attrs["aria-describedby"] = " ".join(ids)

    def filter(self, reports):
        """Apply the valid filters; invalid ones are skipped (and reported)."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        if data.get("kecamatan"):
            reports = reports.filter(kecamatan=data["kecamatan"])
        if data.get("aspek"):
            reports = reports.filter(aspek=data["aspek"])
        if data.get("jenis"):
            reports = reports.filter(jenis_athg=data["jenis"])
        # Whole local (WITA) days, as datetime bounds so the index can be used.
        if data.get("dari"):
            reports = reports.filter(waktu_kejadian__gte=_start_of_day(data["dari"]))
        if data.get("sampai"):
            next_day = data["sampai"] + datetime.timedelta(days=1)
            reports = reports.filter(waktu_kejadian__lt=_start_of_day(next_day))
        return search(reports, self.search_term)

    @property
    def search_term(self):
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        return (data.get("q") or "").strip()

    @property
    def is_filtered(self):
        return any(self.data.get(name) for name in self.fields)


def _start_of_day(date):
    return timezone.make_aware(datetime.datetime.combine(date, datetime.time.min))


def published_reports(user):
    """Verified reports this user may see, ready for a list (kecamatan, aspek,
    jenis and photos loaded up front)."""
    photos = Lampiran.objects.filter(jenis=Lampiran.Jenis.FOTO).order_by("sort_order", "pk")
    return (
        laporan_policy.visible_to(user)
        .filter(live=True)
        .for_listing()
        .prefetch_related(Prefetch("lampiran", queryset=photos, to_attr="foto"))
    )


@require_safe
def index(request):
    form = ArsipFilterForm(request.GET or None)
    if form.is_bound and not form.is_valid():
        form.mark_errors()
    reports = form.filter(published_reports(request.user)) if form.is_bound else (
        published_reports(request.user)
    )
    page = archive_page(reports, request.GET, searching=bool(form.search_term))
    return TemplateResponse(request, "reports/laporan_index.html", {
        "form": form,
        "reports": page,
        "is_filtered": form.is_bound and form.is_filtered,
    })


@require_safe
def detail(request, pk):
    laporan = get_object_or_404(
        Laporan.objects.for_listing().prefetch_related(
            Prefetch("lampiran", queryset=Lampiran.objects.order_by("sort_order", "pk"))
        ),
        pk=pk,
    )
    if laporan.is_retracted and laporan.first_published_at and (
        laporan.klasifikasi == Klasifikasi.PUBLIK
        or laporan_policy.user_can_view(request.user, laporan)
    ):
        # The public once read it here: say it was taken down rather than
        # pretend it never existed. The reason is Kesbangpol's, not public.
        return TemplateResponse(
            request, "reports/laporan_ditarik.html", {"laporan": laporan}, status=410
        )
    # Drafts and reports in verification belong to the admin, not here.
    if not laporan.live or not laporan_policy.user_can_view(request.user, laporan):
        raise Http404
    # Documents are listed by name: the uploader's own only for those who may
    # download the original.
    original_names = laporan_policy.user_can_see_restricted(request.user, laporan)
    for position, item in enumerate(laporan.lampiran.all(), start=1):
        item.nama_tampil = (
            item.nama_asli if original_names and item.nama_asli
            else public_filename(laporan, item, position)
        )
    return TemplateResponse(request, "reports/laporan_detail.html", {"laporan": laporan})


# -- attachments ------------------------------------------------------------


def _safe_filename(name, fallback):
    name = PurePosixPath((name or "").replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name or fallback


def _position(item):
    """1-based place of the attachment in its report, as the report lists them."""
    pks = list(
        Lampiran.objects.filter(laporan_id=item.laporan_id)
        .order_by("sort_order", "pk")
        .values_list("pk", flat=True)
    )
    return pks.index(item.pk) + 1


def public_filename(laporan, item, position, suffix="", ext=None):
    """`SKD-2026-000123-1.jpg`: says which report and which attachment,
    and nothing of the uploader's own file name."""
    ext = ext or PurePosixPath(item.berkas.name).suffix or ".bin"
    return f"{laporan.nomor or f'lampiran-{item.pk}'}-{position}{suffix}{ext}"


def _unrenderable():
    return HttpResponse(
        _("Foto ini tidak dapat ditampilkan."),
        status=415, content_type="text/plain; charset=utf-8",
    )


IMAGE_ERRORS = (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError)


@require_safe
@accepts_bearer_token
def lampiran(request, pk):
    """One attachment, after the policy check. Whoever may see the report's
    restricted fields (reporter, the kecamatan's verifiers, Pimpinan,
    administrators) gets the original file under its original name; everyone
    else gets a photo's public copy (cms/reports/derived.py) and a name made
    from the report number."""
    item = get_object_or_404(Lampiran.objects.select_related("laporan"), pk=pk)
    laporan = item.laporan
    if not laporan_policy.user_can_view(request.user, laporan):
        raise Http404

    is_photo = item.jenis == Lampiran.Jenis.FOTO
    original = laporan_policy.user_can_see_restricted(request.user, laporan)
    ukuran = request.GET.get("ukuran")
    # The same for everyone who may see the report: renditions. Depending on
    # who asks: the file itself (original or public copy).
    shared = bool(ukuran)

    if ukuran:
        if ukuran not in derived.RENDITIONS or not is_photo:
            return HttpResponseBadRequest(
                _("Ukuran “%(ukuran)s” tidak dikenal. Gunakan “thumb” atau "
                  "“web”, dan hanya untuk lampiran foto.") % {"ukuran": ukuran[:20]},
                content_type="text/plain; charset=utf-8",
            )
        try:
            name = derived.rendition(item, ukuran)
        except IMAGE_ERRORS:
            return _unrenderable()
        response = FileResponse(
            item.berkas.storage.open(name, "rb"), content_type="image/jpeg",
            filename=public_filename(laporan, item, _position(item), f"-{ukuran}", ".jpg"),
        )
    elif original:
        try:
            handle = item.berkas.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        ext = PurePosixPath(item.berkas.name).suffix or ".bin"
        response = FileResponse(
            handle, content_type=item.mime, as_attachment=not is_photo,
            filename=_safe_filename(item.nama_asli, f"lampiran-{item.pk}{ext}"),
        )
    elif is_photo:
        try:
            name = derived.public_copy(item)
        except FileNotFoundError:
            raise Http404 from None
        except IMAGE_ERRORS:
            return _unrenderable()
        response = FileResponse(
            item.berkas.storage.open(name, "rb"), content_type="image/jpeg",
            filename=public_filename(laporan, item, _position(item), ext=".jpg"),
        )
    else:
        try:
            handle = item.berkas.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            handle, content_type=item.mime, as_attachment=True,
            filename=public_filename(laporan, item, _position(item)),
        )

    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if laporan.is_public and (shared or not original):
        response["Cache-Control"] = "public, max-age=3600"
    else:
        # An original is never stored by a shared cache, even of a public
        # report: the next one to ask may be a guest.
        response["Cache-Control"] = "private, no-store"
    if not shared:
        patch_vary_headers(response, ("Authorization", "Cookie"))
    return response
