"""The receivers connected to every report event and every recap event
(see apps.py)."""

from django.conf import settings
from django.utils import timezone

from cms.platform import outbox

from .models import Delivery, Endpoint


def report_url(laporan):
    base = getattr(settings, "WAGTAILADMIN_BASE_URL", "").rstrip("/")
    return f"{base}{laporan.get_absolute_url()}"


def report_data(laporan):
    """What a receiver may learn about a report: never the reporter, the
    source of the information or the narrative; a report that is not public
    (terbatas, or not verified yet) only by number, status and kecamatan."""
    kecamatan = laporan.kecamatan.nama if laporan.kecamatan_id else None
    if not laporan.is_public:
        return {
            "id": laporan.pk,
            "nomor": laporan.nomor,
            "status": laporan.status,
            "kecamatan": kecamatan,
        }
    return {
        "id": laporan.pk,
        "nomor": laporan.nomor,
        "judul": laporan.judul,
        "status": laporan.status,
        "klasifikasi": laporan.klasifikasi,
        "urgensi": laporan.urgensi,
        "kecamatan": kecamatan,
        "url": report_url(laporan),
    }


def on_report_event(event, laporan, actor=None, comment="", **kwargs):
    """Record one delivery per subscribed endpoint, inside the event's
    transaction (connected with in_transaction=True): if the change rolls
    back there is no delivery, and once it commits the delivery exists even
    if this process dies before it is sent (the sweeper sends it)."""
    _record(event, "report", lambda: report_data(laporan), kwargs.get("detail"))


def recap_data(recap):
    """A recap is a restricted document: receivers learn which one, for which
    period, in which state and with which checksum — never its content."""
    tier = "kecamatan" if hasattr(recap, "kecamatan_id") else "kabupaten"
    period = recap.period
    return {
        "id": f"{tier}-{recap.pk}",
        "tier": tier,
        "nomor": recap.nomor,
        "periode": recap.periode,
        "mulai": period.start_date.isoformat(),
        "sampai": period.last_date.isoformat(),
        "label": period.label,
        "kecamatan": recap.kecamatan.nama if tier == "kecamatan" else None,
        "status": recap.status,
        "checksum": recap.checksum or None,
    }


def on_recap_event(event, recap, actor=None, comment="", **kwargs):
    """As for reports: recap.signed and the other recap events, in the
    transaction of the recap's state change."""
    _record(event, "recap", lambda: recap_data(recap))


def _record(event, key, data, detail=None):
    endpoints = [
        endpoint
        for endpoint in Endpoint.objects.filter(aktif=True)
        if endpoint.subscribes_to(event.name)
    ]
    if not endpoints:
        return
    occurred_at = timezone.now()
    subject = data()
    deliveries = []
    for endpoint in endpoints:
        delivery = Delivery(endpoint=endpoint, event=event.name, coba_lagi_pada=occurred_at)
        delivery.payload = {
            "event": event.name,
            "delivery_id": str(delivery.delivery_id),
            "occurred_at": occurred_at.isoformat(),
            key: subject,
        }
        if detail:
            # Which disposition, agency, step or incident (cms/followup events).
            delivery.payload["detail"] = detail
        delivery.save()
        deliveries.append(delivery.pk)
    outbox.enqueue_on_commit(Delivery, deliveries)
