"""The webhook SSRF guard: endpoints may only reach public http(s) addresses,
checked when saved and again, after resolution, when sent. The test
settings allow 127.0.0.1 (SIKANDA_WEBHOOKS_ALLOWED_HOSTS) for the receivers;
these tests take that permission away where they need to."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cms.platform import outbox
from cms.platform.plugins import set_enabled
from plugins.webhooks.models import Delivery, Endpoint
from plugins.webhooks.wagtail_hooks import delivery_admin, endpoint_admin
from tests.plugins.test_webhooks import VERIFIED, Receiver, make_endpoint

pytestmark = pytest.mark.django_db

# One URL per forbidden class, and the word the refusal names it by.
FORBIDDEN = [
    ("http://localhost:8080/hook", "loopback"),
    ("http://127.0.0.1/hook", "loopback"),
    ("http://127.8.9.10:5432/", "loopback"),
    ("http://[::1]:8000/hook", "loopback"),
    ("http://[::ffff:127.0.0.1]/hook", "loopback"),
    ("http://2130706433/hook", "loopback"),  # 127.0.0.1 written as one number
    ("http://10.0.0.1/hook", "privat"),
    ("http://172.16.5.4/hook", "privat"),
    ("https://192.168.1.1/hook", "privat"),
    ("http://[fd00::1]/hook", "privat"),
    ("http://169.254.169.254/latest/meta-data/", "link-local"),
    ("http://[fe80::1]/hook", "link-local"),
    ("http://0.0.0.0:8000/hook", "tak tertentu"),
    ("http://[::]/hook", "tak tertentu"),
    ("http://224.0.0.1/hook", "multicast"),
    ("http://[ff02::1]/hook", "multicast"),
    ("http://240.0.0.1/hook", "dicadangkan"),
    ("http://100.64.0.1/hook", "non-publik"),
    ("http://[64:ff9b::a00:1]/hook", "privat"),  # NAT64 of 10.0.0.1
]
PUBLIC = "https://93.184.215.14/sikanda"  # a public address; nothing is sent to it here


@pytest.fixture
def nothing_allowed(settings):
    settings.SIKANDA_WEBHOOKS_ALLOWED_HOSTS = []


def endpoint(url):
    return Endpoint(nama="Penerima", url=url, events=[VERIFIED])


@pytest.mark.parametrize(("url", "kind"), FORBIDDEN)
def test_each_forbidden_class_is_refused_when_saved(nothing_allowed, url, kind):
    with pytest.raises(ValidationError) as refused:
        endpoint(url).full_clean()
    message = " ".join(refused.value.message_dict["url"])
    assert kind in message and "tidak boleh menerima webhook" in message
    assert not Endpoint.objects.exists()


@pytest.mark.parametrize(
    "url", ["ftp://93.184.215.14/hook", "file:///etc/passwd", "gopher://93.184.215.14/"]
)
def test_only_http_and_https(nothing_allowed, url):
    with pytest.raises(ValidationError):
        endpoint(url).full_clean()


def test_a_public_address_is_accepted(nothing_allowed):
    endpoint(PUBLIC).full_clean()


def test_the_sites_own_host_is_refused_by_name_and_by_address(nothing_allowed, settings):
    settings.ALLOWED_HOSTS = ["sikanda.balangankab.go.id"]
    settings.WAGTAILADMIN_BASE_URL = "http://93.184.215.14"
    for url in (
        "https://sikanda.balangankab.go.id/api/graphql/",
        "https://SIKANDA.balangankab.go.id./admin/",
        "http://93.184.215.14:8001/",
    ):
        with pytest.raises(ValidationError) as refused:
            endpoint(url).full_clean()
        assert "SIKANDA sendiri" in str(refused.value)


def test_an_unknown_host_name_is_refused_when_saved(nothing_allowed):
    with pytest.raises(ValidationError) as refused:
        endpoint("https://penerima.invalid/hook").full_clean()
    assert "tidak dapat ditemukan" in str(refused.value)


def test_the_allow_list_takes_names_addresses_and_networks(settings):
    settings.SIKANDA_WEBHOOKS_ALLOWED_HOSTS = ["localhost", "10.1.2.3", "192.168.0.0/16"]
    for url in ("http://localhost:9/", "http://10.1.2.3/", "http://192.168.44.5/"):
        endpoint(url).full_clean()
    with pytest.raises(ValidationError):
        endpoint("http://10.1.2.4/").full_clean()


def test_the_admin_form_shows_the_refusal_and_saves_nothing(
    nothing_allowed, client, administrator
):
    set_enabled("webhooks", True)
    client.force_login(administrator)
    response = client.post(
        endpoint_admin.url_helper.create_url,
        {
            "nama": "Metadata awan",
            "url": "http://169.254.169.254/latest/meta-data/",
            "events": [VERIFIED],
            "secret": "rahasia-bersama-yang-cukup-panjang",
            "aktif": "on",
        },
    )
    assert response.status_code == 200
    assert "link-local" in response.content.decode()
    assert not Endpoint.objects.exists()


# -- at send time --------------------------------------------------------------


def queued_delivery(url):
    """A delivery to an endpoint saved while its address was allowed (or
    written around the form): the send-time check must still refuse it."""
    target = make_endpoint(url)
    return Delivery.objects.create(endpoint=target, event=VERIFIED, payload={"event": VERIFIED})


@pytest.mark.parametrize(("url", "kind"), FORBIDDEN)
def test_each_forbidden_class_is_refused_when_sent(nothing_allowed, url, kind):
    set_enabled("webhooks", True)
    delivery = queued_delivery(url)
    assert outbox.attempt(Delivery, delivery.pk) == Delivery.Status.FAILED
    delivery.refresh_from_db()
    assert delivery.galat_terakhir.startswith("Ditolak:")
    assert kind in delivery.galat_terakhir
    assert delivery.response_status is None and delivery.percobaan == 1


@pytest.mark.parametrize("host", ["127.0.0.1", "localhost"])
def test_a_loopback_receiver_gets_nothing_once_the_allowance_is_removed(settings, host):
    set_enabled("webhooks", True)
    server = Receiver().start()
    try:
        settings.SIKANDA_WEBHOOKS_ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
        url = f"http://{host}:{server.port}/hook"
        endpoint(url).full_clean()  # saved while allowed
        delivery = queued_delivery(url)
        settings.SIKANDA_WEBHOOKS_ALLOWED_HOSTS = []
        assert outbox.attempt(Delivery, delivery.pk) == Delivery.Status.FAILED
        assert server.requests == []

        # Allowed again, the administrator's replay reaches it.
        settings.SIKANDA_WEBHOOKS_ALLOWED_HOSTS = ["127.0.0.0/8"]
        delivery.refresh_from_db()
        outbox.requeue(delivery, reset_attempts=True)
        assert outbox.attempt(Delivery, delivery.pk) == Delivery.Status.SENT
        assert len(server.requests) == 1
    finally:
        server.stop()


def test_redirects_are_not_followed(enabled_plugin):
    target = Receiver().start()
    bouncer = Receiver(statuses=[302], headers={"Location": target.url}).start()
    try:
        delivery = queued_delivery(bouncer.url)
        assert outbox.attempt(Delivery, delivery.pk) == Delivery.Status.PENDING
        delivery.refresh_from_db()
        assert delivery.response_status == 302
        assert len(bouncer.requests) == 1 and target.requests == []
    finally:
        bouncer.stop()
        target.stop()


def test_the_admin_sees_the_status_and_a_short_escaped_excerpt(
    enabled_plugin, client, administrator
):
    page = b"<script>alert('ssrf')</script>" + b"rahasia internal " * 500
    server = Receiver(statuses=[500], body=page).start()
    try:
        delivery = queued_delivery(server.url)
        outbox.attempt(Delivery, delivery.pk)
    finally:
        server.stop()
    delivery.refresh_from_db()
    assert delivery.response_status == 500
    assert delivery.galat_terakhir.startswith("HTTP 500: <script>")
    assert len(delivery.galat_terakhir) <= 200

    client.force_login(administrator)
    for url in (
        delivery_admin.url_helper.index_url,
        delivery_admin.url_helper.get_action_url("inspect", delivery.pk),
    ):
        html = client.get(url).content.decode()
        assert "&lt;script&gt;alert(" in html
        assert "<script>alert(" not in html
        assert html.count("rahasia internal") < 20


def test_retry_after_of_a_busy_endpoint_is_honoured(enabled_plugin):
    server = Receiver(statuses=[429], headers={"Retry-After": "600"}).start()
    try:
        delivery = queued_delivery(server.url)
        assert outbox.attempt(Delivery, delivery.pk) == Delivery.Status.PENDING
    finally:
        server.stop()
    delivery.refresh_from_db()
    assert delivery.response_status == 429
    assert (delivery.coba_lagi_pada - timezone.now()).total_seconds() > 590


def test_a_hostile_retry_after_cannot_park_a_delivery_for_ever(enabled_plugin):
    server = Receiver(statuses=[503], headers={"Retry-After": "9" * 15}).start()
    try:
        delivery = queued_delivery(server.url)
        assert outbox.attempt(Delivery, delivery.pk) == Delivery.Status.PENDING
    finally:
        server.stop()
    delivery.refresh_from_db()
    wait = (delivery.coba_lagi_pada - timezone.now()).total_seconds()
    assert 23 * 3600 < wait <= 24 * 3600


@pytest.fixture
def enabled_plugin(db):
    set_enabled("webhooks", True)
