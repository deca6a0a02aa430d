"""The delivery worker: retries with backoff, leases, the sweeper, the
operations view."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from cms.notifications import delivery as worker
from cms.notifications.models import Pengiriman
from cms.notifications.tasks import sweep
from cms.platform.plugins import DeliveryFailed
from cms.reports import services
from tests.plugins.sample import extensions
from tests.reports.reports_factories import make_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def outbox(petugas, verifikator, channel):
    services.submit(make_report(petugas), petugas)  # no commit: nothing sent yet
    return Pengiriman.objects.get()


@pytest.fixture
def failing(monkeypatch):
    """Make the recording channel fail the way a remote service does."""
    state = {"error": None}
    original = extensions.RecordingChannel.send

    def send(self, delivery):
        if state["error"] is not None:
            raise state["error"]
        return original(self, delivery)

    monkeypatch.setattr(extensions.RecordingChannel, "send", send)
    return state


def past(delivery, field="coba_lagi_pada"):
    Pengiriman.objects.filter(pk=delivery.pk).update(
        **{field: timezone.now() - datetime.timedelta(seconds=1)}
    )


def test_retryable_failure_keeps_it_pending_with_growing_backoff(outbox, failing):
    failing["error"] = DeliveryFailed("layanan sibuk")
    waits = []
    for _ in range(3):
        before = timezone.now()
        assert worker.attempt(outbox.pk) == Pengiriman.Status.PENDING
        outbox.refresh_from_db()
        waits.append((outbox.coba_lagi_pada - before).total_seconds())
        past(outbox)
    assert outbox.galat_terakhir == "layanan sibuk" and outbox.percobaan == 3
    assert waits[0] < waits[1] < waits[2]


def test_retry_after_is_honoured(outbox, failing):
    failing["error"] = DeliveryFailed("terlalu banyak", retry_after=600)
    worker.attempt(outbox.pk)
    outbox.refresh_from_db()
    assert outbox.coba_lagi_pada - timezone.now() > datetime.timedelta(seconds=590)


def test_permanent_failure_is_recorded(outbox, failing):
    failing["error"] = DeliveryFailed("penerima tidak terdaftar", retry=False)
    assert worker.attempt(outbox.pk) == Pengiriman.Status.FAILED
    outbox.refresh_from_db()
    assert outbox.galat_terakhir == "penerima tidak terdaftar"


def test_gives_up_after_the_maximum_attempts(outbox, failing, settings):
    settings.SIKANDA_OUTBOX = {**settings.SIKANDA_OUTBOX, "notifications": {"MAX_ATTEMPTS": 2}}
    failing["error"] = DeliveryFailed("mati")
    worker.attempt(outbox.pk)
    past(outbox)
    assert worker.attempt(outbox.pk) == Pengiriman.Status.FAILED


def test_the_older_settings_name_is_still_read(outbox, failing, settings):
    settings.SIKANDA_NOTIFICATIONS = {"MAX_ATTEMPTS": 1}
    failing["error"] = DeliveryFailed("mati")
    assert worker.attempt(outbox.pk) == Pengiriman.Status.FAILED


def test_a_delivery_not_yet_due_or_already_sent_is_left_alone(outbox, channel):
    Pengiriman.objects.filter(pk=outbox.pk).update(
        coba_lagi_pada=timezone.now() + datetime.timedelta(minutes=5)
    )
    assert worker.attempt(outbox.pk) is None
    past(outbox)
    assert worker.attempt(outbox.pk) == Pengiriman.Status.SENT
    assert worker.attempt(outbox.pk) is None
    assert len(channel) == 1


def test_sweeper_picks_up_a_delivery_whose_worker_died(outbox, channel):
    claimed = worker.claim(outbox.pk)  # the worker took it … and died
    assert claimed.status == Pengiriman.Status.SENDING
    assert sweep() == 0  # still leased: nobody else may send it
    past(outbox, "kunci_hingga")
    out = io.StringIO()
    call_command("sweep_notifications", stdout=out)
    assert out.getvalue().startswith("1 ")
    outbox.refresh_from_db()
    assert outbox.status == Pengiriman.Status.SENT and outbox.percobaan == 2
    assert [d.idempotency_key for d in channel] == [outbox.idempotency_key]


def test_a_crashing_channel_never_loses_the_delivery(outbox, failing):
    failing["error"] = ZeroDivisionError("bug di kanal")
    assert worker.attempt(outbox.pk) == Pengiriman.Status.PENDING
    outbox.refresh_from_db()
    assert "ZeroDivisionError" in outbox.galat_terakhir


def test_disabled_channel_keeps_the_delivery_for_later(outbox):
    from cms.platform.plugins import set_enabled

    set_enabled("sample_plugin", False)
    assert worker.attempt(outbox.pk) == Pengiriman.Status.PENDING
    outbox.refresh_from_db()
    assert "Kanal tidak aktif" in outbox.galat_terakhir


def test_administrator_sees_deliveries_and_retries_a_failed_one(
    client, administrator, outbox, channel, django_capture_on_commit_callbacks
):
    Pengiriman.objects.filter(pk=outbox.pk).update(
        status=Pengiriman.Status.FAILED, galat_terakhir="ditolak"
    )
    client.force_login(administrator)
    listing = client.get("/admin/notifications/pengiriman/")
    assert listing.status_code == 200 and "ditolak" in listing.content.decode()
    with django_capture_on_commit_callbacks(execute=True) as queued:
        client.post(f"/admin/notifikasi/pengiriman/{outbox.pk}/kirim-ulang/")
        assert channel == []  # queued for after the commit, not sent in the request
    assert len(queued) == 1
    outbox.refresh_from_db()
    assert outbox.status == Pengiriman.Status.SENT and len(channel) == 1


def test_verifier_cannot_see_or_retry_deliveries(client, verifikator, outbox):
    Pengiriman.objects.filter(pk=outbox.pk).update(status=Pengiriman.Status.FAILED)
    client.force_login(verifikator)
    assert client.get("/admin/notifications/pengiriman/").status_code in (302, 403)
    client.post(f"/admin/notifikasi/pengiriman/{outbox.pk}/kirim-ulang/")
    outbox.refresh_from_db()
    assert outbox.status == Pengiriman.Status.FAILED
