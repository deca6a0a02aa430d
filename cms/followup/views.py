"""Public-side views of the follow-up: a step's attachment (permission
checked, like a report's) and an incident's page with its public reports."""

from pathlib import PurePosixPath

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_safe

from cms.accounts.auth import accepts_bearer_token
from cms.reports.permissions import laporan_policy
from cms.reports.views import published_reports

from .models import Kejadian, LampiranLangkah
from .transitions import is_member, may_see_timeline


def may_see_follow_up(user, tindak_lanjut):
    """The issuer's side (Pimpinan, administrators) and the members of the
    agency whose follow-up it is — and only while they may see the report."""
    laporan = tindak_lanjut.disposisi.laporan
    if not laporan_policy.user_can_view(user, laporan):
        return False
    return may_see_timeline(user, laporan) or (
        tindak_lanjut.disposisi.aktif and is_member(user, tindak_lanjut.instansi)
    )


@require_safe
@accepts_bearer_token
def lampiran(request, pk):
    item = get_object_or_404(
        LampiranLangkah.objects.select_related(
            "langkah__tindak_lanjut__instansi", "langkah__tindak_lanjut__disposisi__laporan"
        ),
        pk=pk,
    )
    if not may_see_follow_up(request.user, item.langkah.tindak_lanjut):
        raise Http404
    try:
        handle = item.berkas.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    ext = PurePosixPath(item.berkas.name).suffix or ".bin"
    response = FileResponse(
        handle, content_type=item.mime, as_attachment=item.jenis != "foto",
        filename=f"tindak-lanjut-{item.langkah_id}-{item.pk}{ext}",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    patch_vary_headers(response, ("Authorization", "Cookie"))
    return response


@require_safe
def kejadian(request, pk):
    """One incident with the reports of it this visitor may read; an
    incident with none of them does not exist for them."""
    incident = get_object_or_404(Kejadian, pk=pk)
    reports = list(
        published_reports(request.user).filter(tautan_kejadian__kejadian=incident)
        .order_by("waktu_kejadian", "pk")
    )
    if not reports:
        raise Http404
    return TemplateResponse(
        request, "followup/public/kejadian.html", {"kejadian": incident, "reports": reports}
    )
