"""Public, read-only endpoints. The core answers 404 for them while the
plugin is disabled (cms.platform.plugins.plugin_urlpatterns)."""

from itertools import chain

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_safe

from cms.reports.models import Laporan
from cms.reports.models.laporan import Klasifikasi
from cms.reports.permissions import laporan_policy

from . import cap

RELATED = ("kecamatan", "desa", "aspek", "jenis_athg")
RETRACTED_RELATED = ("kecamatan", "aspek", "jenis_athg")


def alert_reports():
    """Reports whose alert stands: what anyone may see (the report permission
    policy, as every path), verified, numbered, published."""
    return laporan_policy.visible_to(AnonymousUser()).filter(
        live=True, nomor__isnull=False, first_published_at__isnull=False
    )


def cancelled_reports():
    """Reports the public once read and Kesbangpol took down. The policy no
    longer lets anyone outside read them; what the Cancel says of them is
    what the public report page's 410 notice says — number, kecamatan and
    time of the retraction — so the same rule as that page applies: retracted
    (ditarik_pada kept even while a correction is being verified again),
    published before, publik. A terbatas report never had a public alert, so
    it never gets a Cancel either."""
    return Laporan.objects.filter(
        live=False,
        ditarik_pada__isnull=False,
        first_published_at__isnull=False,
        nomor__isnull=False,
        klasifikasi=Klasifikasi.PUBLIK,
    )


@require_safe
def feed(request):
    # Two index-ordered reads of at most FEED_SIZE rows each (see the
    # reports' migration adding laporan_cap_feed_idx and laporan_cap_cancel_idx),
    # merged by each message's own time.
    live = (
        alert_reports()
        .select_related(*RELATED)
        .order_by("-last_published_at", "-pk")[: cap.FEED_SIZE]
    )
    cancelled = (
        cancelled_reports()
        .select_related(*RETRACTED_RELATED)
        .order_by("-ditarik_pada", "-pk")[: cap.FEED_SIZE]
    )
    messages = cap.newest_first(cap.message(laporan) for laporan in chain(live, cancelled))
    return HttpResponse(
        cap.build_feed(messages[: cap.FEED_SIZE], request), content_type=cap.ATOM_CONTENT_TYPE
    )


def incident_of(laporan):
    """The report's incident id and the incident's other reports whose alert
    stands. Incidents are the follow-up's (cms/followup, reverse relation
    `tautan_kejadian`); read through the ORM so the plugin imports nothing of
    that app. Only reports of the public feed are named: a terbatas report of
    the same incident never had an alert and stays unmentioned."""
    tautan = getattr(laporan, "tautan_kejadian", None)
    kejadian_id = tautan.kejadian_id if tautan is not None else None
    if kejadian_id is None:
        return None, []
    siblings = list(
        alert_reports()
        .filter(tautan_kejadian__kejadian_id=kejadian_id)
        .exclude(pk=laporan.pk)
        .only("pk", "nomor", "first_published_at")
        .order_by("first_published_at", "pk")
    )
    return kejadian_id, siblings


@require_safe
def alert(request, nomor):
    """The report's current message: its Alert, its Update after a verified
    correction, or its Cancel once retracted; naming its incident and the
    incident's earlier alerts."""
    laporan = get_object_or_404(
        (alert_reports() | cancelled_reports()).select_related(*RELATED, "tautan_kejadian"),
        nomor=nomor,
    )
    kejadian_id, siblings = incident_of(laporan)
    msg = cap.message(laporan, kejadian_id=kejadian_id, siblings=siblings)
    response = HttpResponse(cap.build_alert(msg, request), content_type=cap.CAP_CONTENT_TYPE)
    response["Content-Disposition"] = f'inline; filename="{msg.identifier}.xml"'
    return response
