"""The one delivery engine (cms/platform/outbox.py) and the in-transaction
receivers of domain events that write its rows."""

import datetime

import pytest
from django.utils import timezone

from cms.notifications.models import Pengiriman
from cms.platform import outbox
from cms.platform.plugins import DomainEvent, set_enabled
from plugins.webhooks.models import Delivery
from tests.plugins.test_webhooks import VERIFIED, make_endpoint

pytestmark = pytest.mark.django_db


# -- domain events: in-transaction receivers obey plugin enablement ----------------


def receiver_in(module, calls):
    def receiver(event, **payload):
        calls.append((module, payload["n"]))

    receiver.__module__ = module
    return receiver


def test_in_transaction_receivers_of_a_disabled_plugin_do_not_run():
    event = DomainEvent("uji.peristiwa")
    calls = []
    event.connect(receiver_in("tests.plugins.sample.receivers", calls), in_transaction=True)
    event.connect(receiver_in("cms.notifications.outbox", calls), in_transaction=True)

    set_enabled("sample_plugin", False)
    event.send_in_transaction(n=1)
    assert calls == [("cms.notifications.outbox", 1)]

    set_enabled("sample_plugin", True)
    event.send_in_transaction(n=2)
    assert calls[1:] == [
        ("tests.plugins.sample.receivers", 2),
        ("cms.notifications.outbox", 2),
    ]


def test_an_in_transaction_error_reaches_the_sender_so_the_change_rolls_back():
    event = DomainEvent("uji.gagal")

    def broken(event, **payload):
        raise RuntimeError("outbox penuh")

    event.connect(broken, in_transaction=True)
    with pytest.raises(RuntimeError):
        event.send_in_transaction()
    event.disconnect(broken)
    event.send_in_transaction()  # disconnected from the in-transaction list too


def test_the_webhooks_plugin_records_in_the_transaction():
    from cms.reports import events
    from plugins.webhooks.receivers import on_report_event

    for event in events.ALL:
        assert on_report_event in event._transactional
        assert on_report_event not in event._receivers


# -- the engine ------------------------------------------------------------------------


@pytest.fixture
def delivery():
    set_enabled("webhooks", True)
    return Delivery.objects.create(
        endpoint=make_endpoint("http://127.0.0.1:9/hook"), event=VERIFIED, payload={}
    )


def test_every_kind_runs_on_the_engine():
    assert {Pengiriman, Delivery} <= set(outbox.kinds())


def test_a_claim_is_exclusive_until_its_lease_runs_out(delivery):
    first = outbox.claim(Delivery, delivery.pk)
    assert first.status == Delivery.Status.SENDING and first.percobaan == 1
    assert outbox.claim(Delivery, delivery.pk) is None
    assert outbox.sweep(Delivery) == 0

    Delivery.objects.filter(pk=delivery.pk).update(
        kunci_hingga=timezone.now() - datetime.timedelta(seconds=1)
    )
    second = outbox.claim(Delivery, delivery.pk)
    assert second.percobaan == 2


def test_a_claimant_that_overran_its_lease_records_nothing(delivery):
    late = outbox.claim(Delivery, delivery.pk)
    Delivery.objects.filter(pk=delivery.pk).update(
        kunci_hingga=timezone.now() - datetime.timedelta(seconds=1)
    )
    current = outbox.claim(Delivery, delivery.pk)

    outbox._finish(late, Delivery.Status.SENT)  # the late one finishes …
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENDING  # … and is ignored
    assert delivery.kunci_hingga == current.kunci_hingga

    outbox._finish(current, Delivery.Status.SENT)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and delivery.kunci_hingga is None


def test_requeue_leaves_a_delivery_being_sent_to_its_claimant(
    delivery, django_capture_on_commit_callbacks
):
    outbox.claim(Delivery, delivery.pk)
    with django_capture_on_commit_callbacks() as queued:
        assert outbox.requeue(delivery) is False
    assert queued == []
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENDING


def test_requeue_of_a_failed_delivery_starts_its_attempts_again(
    delivery, django_capture_on_commit_callbacks
):
    Delivery.objects.filter(pk=delivery.pk).update(
        status=Delivery.Status.FAILED,
        percobaan=10,
        coba_lagi_pada=timezone.now() + datetime.timedelta(hours=1),
    )
    with django_capture_on_commit_callbacks() as queued:
        assert outbox.requeue(delivery, reset_attempts=True) is True
    assert len(queued) == 1  # the task is queued only after the commit
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING and delivery.percobaan == 0
    assert delivery.coba_lagi_pada <= timezone.now()


def test_one_settings_dict_with_per_kind_overrides_and_the_old_names(settings):
    settings.SIKANDA_OUTBOX = {"MAX_ATTEMPTS": 7, "BACKOFF_SECONDS": 10}
    settings.SIKANDA_WEBHOOKS = {}
    settings.SIKANDA_NOTIFICATIONS = {}
    assert outbox.option(Pengiriman, "MAX_ATTEMPTS") == 7
    assert outbox.option(Delivery, "MAX_ATTEMPTS") == 7
    assert outbox.backoff(Delivery, 3) == datetime.timedelta(seconds=40)
    assert outbox.option(Delivery, "LEASE_SECONDS") == 120  # the engine's default
    assert outbox.option(Delivery, "TIMEOUT") == 10  # the kind's default

    # The older dicts of each kind are still read, under their old key names …
    settings.SIKANDA_WEBHOOKS = {"MAX_ATTEMPTS": 3, "BACKOFF_BASE": 5, "BACKOFF_MAX": 15}
    assert outbox.option(Delivery, "MAX_ATTEMPTS") == 3
    assert [outbox.backoff(Delivery, n).total_seconds() for n in (1, 2, 3)] == [5, 10, 15]
    assert outbox.option(Pengiriman, "MAX_ATTEMPTS") == 7
    # … and the kind's own sub-dict wins over them.
    settings.SIKANDA_OUTBOX = {"MAX_ATTEMPTS": 7, "webhooks": {"MAX_ATTEMPTS": 4}}
    assert outbox.option(Delivery, "MAX_ATTEMPTS") == 4
