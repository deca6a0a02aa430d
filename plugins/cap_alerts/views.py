"""Public, read-only endpoints. The core answers 404 for them while the
plugin is disabled (cms.platform.plugins.plugin_urlpatterns)."""

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from cms.reports.permissions import laporan_policy

from . import cap

RELATED = ("kecamatan", "desa", "aspek", "jenis_athg", "penilaian")


def alert_reports():
    """Reports that may become alerts: what anyone may see (the report
    permission policy, as every path), verified, with a number."""
    return (
        laporan_policy.visible_to(AnonymousUser())
        .filter(live=True, nomor__isnull=False)
        .select_related(*RELATED)
    )


@require_safe
def feed(request):
    reports = alert_reports().order_by("-first_published_at", "-pk")[: cap.FEED_SIZE]
    return HttpResponse(cap.build_feed(reports, request), content_type=cap.ATOM_CONTENT_TYPE)


@require_safe
def alert(request, nomor):
    laporan = get_object_or_404(alert_reports(), nomor=nomor)
    response = HttpResponse(cap.build_alert(laporan, request), content_type=cap.CAP_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{cap.identifier(laporan)}.xml"'
    return response
