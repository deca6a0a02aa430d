"""The one receiver connected to every report event (see apps.py)."""

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
    endpoints = [
        endpoint
        for endpoint in Endpoint.objects.filter(aktif=True)
        if endpoint.subscribes_to(event.name)
    ]
    if not endpoints:
        return
    occurred_at = timezone.now()
    report = report_data(laporan)
    deliveries = []
    for endpoint in endpoints:
        delivery = Delivery(endpoint=endpoint, event=event.name, coba_lagi_pada=occurred_at)
        delivery.payload = {
            "event": event.name,
            "delivery_id": str(delivery.delivery_id),
            "occurred_at": occurred_at.isoformat(),
            "report": report,
        }
        if kwargs.get("detail"):
            # Which disposition, agency, step or incident (cms/followup events).
            delivery.payload["detail"] = kwargs["detail"]
        delivery.save()
        deliveries.append(delivery.pk)
    outbox.enqueue_on_commit(Delivery, deliveries)
