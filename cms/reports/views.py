"""Public pages of the report archive and the one way to fetch an attachment.

Who may see what is decided only by `laporan_policy`; these views never add
rules of their own. The public pages show verified (live) reports only:
drafts and reports waiting for verification are seen in the admin."""

import datetime
import io
import re
from pathlib import PurePosixPath

from django import forms
from django.core.files.base import ContentFile
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe
from PIL import Image, ImageOps, UnidentifiedImageError

from cms.accounts.auth import accepts_bearer_token

from .models import Aspek, JenisATHG, Kecamatan, Laporan
from .models.laporan import Klasifikasi, Lampiran
from .permissions import laporan_policy

PER_PAGE = 20
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
        if query := (data.get("q") or "").strip():
            reports = reports.filter(
                Q(judul__icontains=query) | Q(fakta__icontains=query) | Q(nomor__icontains=query)
            )
        return reports

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
    page = Paginator(reports, PER_PAGE).get_page(request.GET.get("halaman"))
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
    return TemplateResponse(request, "reports/laporan_detail.html", {"laporan": laporan})


# -- attachments ------------------------------------------------------------

RENDITIONS = {
    "thumb": ("fill", (320, 240)),
    "web": ("max", (1280, None)),
}


def _safe_filename(name, fallback):
    name = PurePosixPath((name or "").replace("\\", "/")).name
    name = re.sub(r"[\x00-\x1f\x7f]", "", name).strip()
    return name or fallback


def _render(original, kind, size):
    with Image.open(original) as image:
        image.draft("RGB", (size[0] * 2, (size[1] or size[0]) * 2))
        image = ImageOps.exif_transpose(image).convert("RGB")
        if kind == "fill":
            image = ImageOps.fit(image, size, Image.Resampling.LANCZOS)
        elif image.width > size[0]:
            height = max(1, round(image.height * size[0] / image.width))
            image = image.resize((size[0], height), Image.Resampling.LANCZOS)
        out = io.BytesIO()
        image.save(out, "JPEG", quality=82, optimize=True, progressive=True)
    return out.getvalue()


def _rendition(lampiran, ukuran):
    """The stored name of a cached JPEG rendition, made on first use."""
    storage = lampiran.berkas.storage
    name = f"{lampiran.berkas.name}.{ukuran}.jpg"
    if not storage.exists(name):
        kind, size = RENDITIONS[ukuran]
        with lampiran.berkas.open("rb") as original:
            data = _render(original, kind, size)
        name = storage.save(name, ContentFile(data))
    return name


@require_safe
@accepts_bearer_token
def lampiran(request, pk):
    item = get_object_or_404(Lampiran.objects.select_related("laporan"), pk=pk)
    laporan = item.laporan
    if not laporan_policy.user_can_view(request.user, laporan):
        raise Http404

    is_photo = item.jenis == Lampiran.Jenis.FOTO
    ukuran = request.GET.get("ukuran")
    ext = PurePosixPath(item.berkas.name).suffix or ".bin"
    filename = _safe_filename(item.nama_asli, f"lampiran-{item.pk}{ext}")

    if ukuran:
        if ukuran not in RENDITIONS or not is_photo:
            return HttpResponseBadRequest(
                _("Ukuran “%(ukuran)s” tidak dikenal. Gunakan “thumb” atau "
                  "“web”, dan hanya untuk lampiran foto.") % {"ukuran": ukuran[:20]},
                content_type="text/plain; charset=utf-8",
            )
        try:
            name = _rendition(item, ukuran)
        except (OSError, UnidentifiedImageError, Image.DecompressionBombError, ValueError):
            return HttpResponse(
                _("Pratinjau foto ini tidak dapat dibuat; unduh berkas aslinya."),
                status=415, content_type="text/plain; charset=utf-8",
            )
        stem = PurePosixPath(filename).stem or f"lampiran-{item.pk}"
        response = FileResponse(
            item.berkas.storage.open(name, "rb"), content_type="image/jpeg",
            filename=f"{stem}-{ukuran}.jpg",
        )
    else:
        try:
            handle = item.berkas.open("rb")
        except FileNotFoundError:
            raise Http404 from None
        response = FileResponse(
            handle, content_type=item.mime, as_attachment=not is_photo, filename=filename,
        )

    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    if laporan.is_public:
        response["Cache-Control"] = "public, max-age=3600"
    else:
        response["Cache-Control"] = "private, no-store"
    return response
