"""Webhook deliveries on the one delivery engine: written in the event's
transaction, sent by the leased, swept worker, exactly one POST per attempt
however many senders run (real threads on PostgreSQL, a slow real HTTP
receiver on 127.0.0.1)."""

import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection, transaction

from cms.platform import outbox
from cms.platform.plugins import set_enabled
from plugins.webhooks.models import Delivery
from tests.plugins.test_webhooks import VERIFIED, Receiver, make_endpoint
from tests.reports.reports_factories import verified_report


@pytest.fixture
def receiver():
    server = Receiver().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.mark.django_db
def test_the_delivery_commits_with_the_event_and_survives_a_lost_process(
    receiver, petugas, verifikator, django_capture_on_commit_callbacks
):
    set_enabled("webhooks", True)
    make_endpoint(receiver.url)
    # The callbacks are captured and dropped: the process died right after
    # the commit, before it could queue anything.
    with django_capture_on_commit_callbacks(execute=False) as dropped:
        laporan = verified_report(petugas, verifikator)
    assert dropped  # something was meant to run after the commit
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING and delivery.percobaan == 0
    assert delivery.payload["report"]["id"] == laporan.pk
    assert receiver.requests == []

    out = io.StringIO()
    call_command("sweep_outbox", stdout=out)  # cron, after the restart
    assert out.getvalue().startswith("1 ")
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and delivery.percobaan == 1
    assert [r["headers"]["X-Sikanda-Delivery"] for r in receiver.requests] == [
        str(delivery.delivery_id)
    ]


@pytest.mark.django_db
def test_a_rolled_back_event_leaves_no_delivery(
    receiver, petugas, verifikator, django_capture_on_commit_callbacks
):
    set_enabled("webhooks", True)
    make_endpoint(receiver.url)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        verified_report(petugas, verifikator)
        assert Delivery.objects.count() == 1  # written with the change …
        raise RuntimeError("the transition fails after the event")
    assert not Delivery.objects.exists()  # … and gone with it
    assert receiver.requests == []


@pytest.mark.django_db
def test_deliveries_wait_while_the_plugin_is_off(receiver):
    set_enabled("webhooks", True)
    delivery = Delivery.objects.create(
        endpoint=make_endpoint(receiver.url), event=VERIFIED, payload={"event": VERIFIED}
    )
    set_enabled("webhooks", False)
    assert outbox.attempt(Delivery, delivery.pk) is None
    assert outbox.sweep() == 0
    call_command("send_webhooks", stdout=io.StringIO())
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.PENDING and delivery.percobaan == 0
    assert receiver.requests == []

    set_enabled("webhooks", True)
    assert outbox.sweep() == 1
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT and len(receiver.requests) == 1


def test_send_timeout_stays_inside_the_lease(settings):
    from plugins.webhooks.delivery import timeout

    settings.SIKANDA_OUTBOX = {"LEASE_SECONDS": 30, "webhooks": {"TIMEOUT": 60}}
    assert timeout() == 10
    settings.SIKANDA_OUTBOX = {"LEASE_SECONDS": 120, "webhooks": {"TIMEOUT": 5}}
    assert timeout() == 5


# -- races (PostgreSQL, real threads) ---------------------------------------------

ROUNDS = 20
PER_ROUND = 12


def needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers; the race needs a real server (PostgreSQL in CI).")


def run_together(*works):
    """Run each callable in its own thread, released at the same moment;
    re-raise the first error."""
    barrier = threading.Barrier(len(works))
    errors = []

    def run(work):
        try:
            barrier.wait()
            work()
        except Exception as exc:  # reported to the test below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(work,)) for work in works]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    if errors:
        raise errors[0]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_senders_post_each_delivery_exactly_once():
    needs_postgresql()
    set_enabled("webhooks", True)
    server = Receiver(delay=0.02).start()  # slow enough for senders to overlap
    try:
        endpoint = make_endpoint(server.url)
        seen = 0
        for round_ in range(ROUNDS):
            deliveries = [
                Delivery.objects.create(
                    endpoint=endpoint, event=VERIFIED, payload={"round": round_, "n": n}
                )
                for n in range(PER_ROUND)
            ]
            pks = [d.pk for d in deliveries]
            run_together(
                # cron's sender, in this process
                lambda: call_command("send_webhooks", stdout=io.StringIO()),
                # the sweeper queueing the worker task (run in-process here)
                outbox.sweep,
                # a worker working through its queue in the other order
                lambda pks=pks: [outbox.attempt(Delivery, pk) for pk in reversed(pks)],
            )
            posted = [r["headers"]["X-Sikanda-Delivery"] for r in server.requests[seen:]]
            assert sorted(posted) == sorted(str(d.delivery_id) for d in deliveries), round_
            seen = len(server.requests)
        assert seen == ROUNDS * PER_ROUND
        # Each POST was one attempt, and each delivery needed exactly one.
        assert Delivery.objects.filter(status=Delivery.Status.SENT, percobaan=1).count() == seen
    finally:
        server.stop()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_one_claim_wins_when_many_reach_for_the_same_delivery():
    needs_postgresql()
    set_enabled("webhooks", True)
    endpoint = make_endpoint("http://127.0.0.1:9/hook")
    for _ in range(ROUNDS):
        delivery = Delivery.objects.create(endpoint=endpoint, event=VERIFIED, payload={})
        claims = []
        run_together(
            *[lambda pk=delivery.pk, into=claims: into.append(outbox.claim(Delivery, pk))] * 6
        )
        assert sum(claim is not None for claim in claims) == 1
        delivery.refresh_from_db()
        assert delivery.status == Delivery.Status.SENDING and delivery.percobaan == 1
