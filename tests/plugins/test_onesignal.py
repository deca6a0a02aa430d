"""The OneSignal push plugin against a fake OneSignal on 127.0.0.1."""

import datetime
import logging
import socket

import pytest
from django.utils import timezone

from cms.notifications.delivery import claim
from cms.notifications.models import Langganan, Notifikasi, Pengiriman
from cms.notifications.tasks import sweep
from cms.platform.plugins import DeliveryFailed, set_enabled
from cms.reports import services
from cms.reports.models import Laporan
from plugins.onesignal_push.channel import OneSignalChannel
from tests import factories
from tests.reports.reports_factories import make_report

from .fake_onesignal import FakeOneSignal

APP_ID = "5eb5a37e-b458-11e3-ac11-000c2940e62c"
API_KEY = "os_v2_app_SUPERSECRETRESTKEY0123456789"
KANAL = "onesignal"
Status = Pengiriman.Status


@pytest.fixture
def fake(db, settings):
    with FakeOneSignal(app_id=APP_ID, api_key=API_KEY) as server:
        settings.ONESIGNAL_API_URL = server.url
        settings.ONESIGNAL_APP_ID = APP_ID
        settings.ONESIGNAL_REST_API_KEY = API_KEY
        settings.ONESIGNAL_TIMEOUT_SECONDS = 0.5
        yield server


@pytest.fixture
def enabled(db):
    set_enabled("onesignal_push", True)


def submit(petugas, capture, **overrides):
    with capture(execute=True):
        return make_report(petugas, submit=True, **overrides)


def approve(laporan, verifikator, capture=None):
    def act():
        return services.act(
            laporan, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2"
        )

    if capture is None:  # the after-commit sending never runs
        return act()
    with capture(execute=True):
        return act()


def verified_delivery(laporan):
    return Pengiriman.objects.get(kanal=KANAL, peristiwa="report.verified", laporan=laporan)


def make_due(delivery, field="coba_lagi_pada"):
    Pengiriman.objects.filter(pk=delivery.pk).update(
        **{field: timezone.now() - datetime.timedelta(seconds=1)}
    )


def run_sweep(capture):
    with capture(execute=True):
        return sweep()


def test_plugin_metadata():
    from django.apps import apps

    config = apps.get_app_config("onesignal_push")
    assert config.meta.name == "Push OneSignal"
    assert config.meta.version == "1.0.0"
    assert config.meta.author == "Tim SIKANDA"
    assert config.notification_channels == ["plugins.onesignal_push.channel.OneSignalChannel"]


def test_verification_pushes_once_per_recipient_set(
    enabled, fake, petugas, verifikator, pimpinan, pengguna, django_capture_on_commit_callbacks
):
    Langganan.objects.create(pengguna=pengguna, kecamatan=factories.kecamatan("paringin"))
    laporan = submit(petugas, django_capture_on_commit_callbacks)
    approve(laporan, verifikator, django_capture_on_commit_callbacks)

    by_event = {}
    for request in fake.requests:
        assert request["method"] == "POST"
        assert request["path"] == "/notifications"
        assert request["headers"]["Authorization"] == f"Key {API_KEY}"
        body = request["json"]
        by_event.setdefault(body["data"]["event"], []).append(body)
    assert sorted((event, len(bodies)) for event, bodies in by_event.items()) == [
        ("report.published", 1), ("report.submitted", 1), ("report.verified", 2),
    ]
    assert fake.pushes == 4 == len(fake.requests)

    def recipients(body):
        return body["include_aliases"]["external_id"]

    (submitted,) = by_event["report.submitted"]
    assert recipients(submitted) == [str(verifikator.pk)]
    reporter, leaders = sorted(by_event["report.verified"], key=lambda b: b["headings"]["id"])
    assert recipients(reporter) == [str(petugas.pk)]
    assert reporter["headings"] == {"id": "Laporan Anda terverifikasi",
                                    "en": "Your report was verified"}
    assert recipients(leaders) == [str(pimpinan.pk)]
    assert leaders["headings"]["id"].startswith("SEGERA: ")
    assert leaders["headings"]["en"].startswith("URGENT: ")
    (published,) = by_event["report.published"]
    assert recipients(published) == [str(pengguna.pk)]
    assert published["contents"] == {"id": laporan.judul, "en": laporan.judul}

    keys = set()
    for bodies in by_event.values():
        for body in bodies:
            assert body["app_id"] == APP_ID
            assert body["target_channel"] == "push"
            assert set(body["headings"]) == set(body["contents"]) == {"id", "en"}
            assert body["data"]["laporan_id"] == laporan.pk
            keys.add(body["idempotency_key"])
    deliveries = Pengiriman.objects.filter(kanal=KANAL)
    assert keys == {str(d.idempotency_key) for d in deliveries}
    assert {d.status for d in deliveries} == {Status.SENT}
    assert {d.referensi for d in deliveries} == set(fake.notifications.values())


def test_pimpinan_push_only_when_urgent(
    enabled, fake, petugas, verifikator, pimpinan, django_capture_on_commit_callbacks
):
    laporan = submit(petugas, django_capture_on_commit_callbacks, urgensi="rendah")
    approve(laporan, verifikator, django_capture_on_commit_callbacks)

    ids = [r["json"]["include_aliases"]["external_id"] for r in fake.requests]
    assert [str(pimpinan.pk)] not in ids
    assert [str(petugas.pk)] in ids
    assert Notifikasi.objects.filter(penerima=pimpinan, laporan=laporan).exists()


def test_english_falls_back_to_indonesian(enabled, fake, petugas):
    delivery = Pengiriman.objects.create(
        kanal=KANAL, peristiwa="report.verified", judul={"id": "Judul"}, isi={"id": "Isi"},
        data={"laporan_id": 1},
    )
    delivery.penerima.set([petugas])
    reference = OneSignalChannel().send(delivery)
    body = fake.requests[0]["json"]
    assert body["headings"] == {"id": "Judul", "en": "Judul"}
    assert body["contents"] == {"id": "Isi", "en": "Isi"}
    assert reference == fake.notifications[str(delivery.idempotency_key)]


def test_timeout_is_retried_with_the_same_key_and_pushes_once(
    enabled, fake, petugas, verifikator, django_capture_on_commit_callbacks
):
    laporan = submit(petugas, django_capture_on_commit_callbacks)
    fake.script(FakeOneSignal.hang(seconds=3))
    approve(laporan, verifikator, django_capture_on_commit_callbacks)

    delivery = verified_delivery(laporan)
    assert delivery.status == Status.PENDING
    assert delivery.percobaan == 1
    assert "timeout" in delivery.galat_terakhir
    assert delivery.coba_lagi_pada > timezone.now()
    assert run_sweep(django_capture_on_commit_callbacks) == 0  # not due yet

    make_due(delivery)
    assert run_sweep(django_capture_on_commit_callbacks) == 1

    delivery.refresh_from_db()
    assert delivery.status == Status.SENT
    assert delivery.percobaan == 2
    requests = fake.requests_with_key(delivery.idempotency_key)
    assert len(requests) == 2
    assert {r["json"]["idempotency_key"] for r in requests} == {str(delivery.idempotency_key)}
    created = [p for _id, p in fake.created
               if p["idempotency_key"] == str(delivery.idempotency_key)]
    assert len(created) == 1
    assert delivery.referensi == fake.notifications[str(delivery.idempotency_key)]


def test_outage_keeps_the_report_and_sends_later(
    enabled, fake, petugas, verifikator, django_capture_on_commit_callbacks
):
    fake.default = FakeOneSignal.server_error()
    laporan = submit(petugas, django_capture_on_commit_callbacks)
    approve(laporan, verifikator, django_capture_on_commit_callbacks)

    assert Laporan.objects.get(pk=laporan.pk).status == "terverifikasi"
    deliveries = Pengiriman.objects.filter(kanal=KANAL, laporan=laporan)
    assert deliveries.count() == 2
    for delivery in deliveries:
        assert delivery.status == Status.PENDING
        assert "HTTP 500" in delivery.galat_terakhir
    assert fake.pushes == 0

    fake.default = FakeOneSignal.ok()
    for delivery in deliveries:
        make_due(delivery)
    assert run_sweep(django_capture_on_commit_callbacks) == 2
    assert set(deliveries.values_list("status", flat=True)) == {Status.SENT}
    assert fake.pushes == 2


def test_rate_limit_honours_retry_after(
    enabled, fake, petugas, verifikator, django_capture_on_commit_callbacks
):
    laporan = submit(petugas, django_capture_on_commit_callbacks)
    fake.script(FakeOneSignal.too_many(retry_after=120))
    before = timezone.now()
    approve(laporan, verifikator, django_capture_on_commit_callbacks)

    delivery = verified_delivery(laporan)
    assert delivery.status == Status.PENDING
    assert "HTTP 429" in delivery.galat_terakhir
    assert delivery.coba_lagi_pada >= before + datetime.timedelta(seconds=120)


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (FakeOneSignal.bad_request("Message Notifications must have English language content"),
         "Message Notifications must have English language content"),
        (FakeOneSignal.ok_with_errors("All included players are not subscribed"),
         "All included players are not subscribed"),
        (FakeOneSignal.forbidden_empty(), "HTTP 403 tanpa badan JSON"),
    ],
    ids=["400", "200-with-errors", "403-empty"],
)
def test_refusals_fail_without_retry(
    enabled, fake, petugas, verifikator, django_capture_on_commit_callbacks, reply, expected
):
    laporan = submit(petugas, django_capture_on_commit_callbacks)
    fake.script(reply)
    approve(laporan, verifikator, django_capture_on_commit_callbacks)

    delivery = verified_delivery(laporan)
    assert delivery.status == Status.FAILED
    assert expected in delivery.galat_terakhir
    assert delivery.percobaan == 1
    assert fake.pushes == 1  # only the earlier "submitted" push


def test_channel_errors_are_classified(enabled, fake, petugas):
    delivery = Pengiriman.objects.create(
        kanal=KANAL, peristiwa="report.verified", judul={"id": "a", "en": "a"},
        isi={"id": "b", "en": "b"},
    )
    delivery.penerima.set([petugas])
    channel = OneSignalChannel()
    for reply, retry, retry_after in [
        (FakeOneSignal.too_many(retry_after=7), True, 7),
        (FakeOneSignal.server_error(), True, None),
        (FakeOneSignal.bad_request("bad"), False, None),
        (FakeOneSignal.forbidden_empty(), False, None),
        (FakeOneSignal.ok_with_errors(), False, None),
        (FakeOneSignal.hang(seconds=2), True, None),
    ]:
        fake.script(reply)
        with pytest.raises(DeliveryFailed) as caught:
            channel.send(delivery)
        assert (caught.value.retry, caught.value.retry_after) == (retry, retry_after), reply


def test_worker_killed_mid_delivery_loses_nothing(
    enabled, fake, petugas, verifikator, django_capture_on_commit_callbacks
):
    laporan = submit(petugas, django_capture_on_commit_callbacks)
    approve(laporan, verifikator)  # committed, but its worker has not run
    pending = verified_delivery(laporan)

    crashed = claim(pending.pk)  # the worker takes the lease…
    OneSignalChannel().send(crashed)  # …OneSignal gets it, and the worker dies.
    key = str(pending.idempotency_key)
    pushes = fake.pushes
    assert Pengiriman.objects.get(pk=pending.pk).status == Status.SENDING
    assert run_sweep(django_capture_on_commit_callbacks) == 0  # the lease still holds

    make_due(pending, "kunci_hingga")
    assert run_sweep(django_capture_on_commit_callbacks) == 1

    delivery = Pengiriman.objects.get(pk=pending.pk)
    assert delivery.status == Status.SENT
    assert delivery.kunci_hingga is None
    assert delivery.percobaan == 2
    assert len(fake.requests_with_key(key)) == 2
    assert fake.pushes == pushes  # the resend was the same notification
    assert delivery.referensi == fake.notifications[key]


def test_nothing_for_a_report_the_recipient_may_not_see(
    enabled, fake, petugas, verifikator, pengguna, django_capture_on_commit_callbacks
):
    Langganan.objects.create(pengguna=pengguna, kecamatan=factories.kecamatan("paringin"))
    laporan = submit(petugas, django_capture_on_commit_callbacks, klasifikasi="terbatas")
    approve(laporan, verifikator, django_capture_on_commit_callbacks)

    assert fake.requests  # the others were notified
    for request in fake.requests:
        assert str(pengguna.pk) not in request["json"]["include_aliases"]["external_id"]
    assert not Notifikasi.objects.filter(penerima=pengguna).exists()
    assert not Pengiriman.objects.filter(penerima=pengguna).exists()


def closed_port_url():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}"


def test_api_key_never_in_logs_or_errors(enabled, fake, petugas, settings, caplog):
    caplog.set_level(logging.DEBUG)
    delivery = Pengiriman.objects.create(
        kanal=KANAL, peristiwa="report.verified", judul={"id": "a", "en": "a"},
        isi={"id": "b", "en": "b"},
    )
    delivery.penerima.set([petugas])
    channel = OneSignalChannel()
    messages = []
    for reply in (FakeOneSignal.forbidden_empty(), FakeOneSignal.bad_request(),
                  FakeOneSignal.ok_with_errors(), FakeOneSignal.server_error(),
                  FakeOneSignal.too_many(), FakeOneSignal.hang(seconds=2)):
        fake.script(reply)
        with pytest.raises(DeliveryFailed) as caught:
            channel.send(delivery)
        messages.append(str(caught.value))
    assert channel.send(delivery)  # a success is logged too

    settings.ONESIGNAL_REST_API_KEY = "wrong-key"
    with pytest.raises(DeliveryFailed) as caught:
        channel.send(delivery)
    assert not caught.value.retry and "401" in str(caught.value)
    settings.ONESIGNAL_REST_API_KEY = API_KEY

    settings.ONESIGNAL_API_URL = closed_port_url()
    with pytest.raises(DeliveryFailed) as caught:
        channel.send(delivery)
    assert caught.value.retry
    messages.append(str(caught.value))

    assert "HTTP 403" in messages[0]
    assert "timeout" in messages[5]
    assert caplog.records
    for text in [*messages, caplog.text, repr(channel.client())]:
        assert API_KEY not in text
        assert "SUPERSECRET" not in text


def test_missing_configuration_is_retried(enabled, settings, petugas, monkeypatch):
    settings.ONESIGNAL_APP_ID = ""
    settings.ONESIGNAL_REST_API_KEY = None
    monkeypatch.delenv("ONESIGNAL_APP_ID", raising=False)
    monkeypatch.delenv("ONESIGNAL_REST_API_KEY", raising=False)
    delivery = Pengiriman.objects.create(kanal=KANAL, peristiwa="x", judul={}, isi={})
    delivery.penerima.set([petugas])
    with pytest.raises(DeliveryFailed) as caught:
        OneSignalChannel().send(delivery)
    assert caught.value.retry
    assert "OneSignal belum dikonfigurasi" in str(caught.value)


def test_settings_fall_back_to_the_environment(enabled, fake, settings, petugas, monkeypatch):
    del settings.ONESIGNAL_APP_ID
    del settings.ONESIGNAL_REST_API_KEY
    monkeypatch.setenv("ONESIGNAL_APP_ID", APP_ID)
    monkeypatch.setenv("ONESIGNAL_REST_API_KEY", API_KEY)
    delivery = Pengiriman.objects.create(kanal=KANAL, peristiwa="x", judul={"id": "a"},
                                         isi={"id": "b"})
    delivery.penerima.set([petugas])
    assert OneSignalChannel().send(delivery) == fake.notifications[str(delivery.idempotency_key)]


def test_disabled_plugin_creates_no_push_deliveries(
    fake, petugas, verifikator, pimpinan, django_capture_on_commit_callbacks
):
    set_enabled("onesignal_push", False)
    laporan = submit(petugas, django_capture_on_commit_callbacks)
    approve(laporan, verifikator, django_capture_on_commit_callbacks)

    assert not Pengiriman.objects.filter(kanal=KANAL).exists()
    assert fake.requests == []
    assert Notifikasi.objects.filter(penerima=petugas, laporan=laporan).exists()
    assert Notifikasi.objects.filter(penerima=pimpinan, laporan=laporan).exists()


def test_a_crowd_of_subscribers_is_pushed_in_batches_of_two_thousand(
    enabled, fake, petugas, verifikator, django_capture_on_commit_callbacks, django_user_model
):
    # 2,345 guests follow Paringin: OneSignal names at most 2,000 per request,
    # so the publication goes out as two deliveries, each with its own key.
    from django.contrib.auth.models import Group

    from cms.accounts import roles

    guests = django_user_model.objects.bulk_create(
        django_user_model(username=f"warga.{n}") for n in range(2345)
    )
    group = Group.objects.get(name=roles.PENGGUNA)
    django_user_model.groups.through.objects.bulk_create(
        django_user_model.groups.through(user_id=guest.pk, group_id=group.pk) for guest in guests
    )
    paringin = factories.kecamatan("paringin")
    Langganan.objects.bulk_create(Langganan(pengguna=guest, kecamatan=paringin) for guest in guests)
    laporan = submit(petugas, django_capture_on_commit_callbacks)
    approve(laporan, verifikator, django_capture_on_commit_callbacks)

    published = [request["json"] for request in fake.requests
                 if request["json"]["data"]["event"] == "report.published"]
    sizes = sorted(len(body["include_aliases"]["external_id"]) for body in published)
    assert sizes == [345, 2000]
    reached = [pk for body in published for pk in body["include_aliases"]["external_id"]]
    assert sorted(reached) == sorted(str(guest.pk) for guest in guests)
    assert len({body["idempotency_key"] for body in published}) == 2
    deliveries = Pengiriman.objects.filter(kanal=KANAL, peristiwa="report.published",
                                           laporan=laporan)
    assert sorted(deliveries.values_list("status", flat=True)) == ["sent", "sent"]
