"""The webhooks plugin against a real HTTP receiver on 127.0.0.1."""

import datetime
import hashlib
import hmac
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from cms.platform.plugins import set_enabled
from plugins.webhooks.delivery import backoff
from plugins.webhooks.models import Delivery, Endpoint
from plugins.webhooks.wagtail_hooks import delivery_admin, endpoint_admin
from tests.reports.reports_factories import make_report, verified_report

VERIFIED = "report.verified"


class Receiver:
    """Records every POST; answers with the scripted statuses in turn, then
    200. `delay` makes it slow (seconds per request); `body` and `headers`
    are what it answers with."""

    def __init__(self, statuses=(), delay=0, body=None, headers=None):
        self.requests = []
        self.statuses = list(statuses)
        self.lock = threading.Lock()
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                payload = self.rfile.read(length)
                with receiver.lock:
                    receiver.requests.append(
                        {"path": self.path, "headers": dict(self.headers), "body": payload}
                    )
                    status = receiver.statuses.pop(0) if receiver.statuses else 200
                if delay:
                    time.sleep(delay)
                self.send_response(status)
                self.send_header("Content-Type", "text/plain")
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body if body is not None else (b"ok" if status < 300 else b"boom"))

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def port(self):
        return self.server.server_address[1]

    @property
    def url(self):
        host, port = self.server.server_address
        return f"http://{host}:{port}/hook"

    def start(self):
        self.thread.start()
        return self

    def stop(self):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=5)


@pytest.fixture
def receiver():
    server = Receiver().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def enabled(db):
    set_enabled("webhooks", True)


def make_endpoint(url, events=(VERIFIED,), **fields):
    return Endpoint.objects.create(nama="Penerima uji", url=url, events=list(events), **fields)


def closed_port_url():
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    return f"http://127.0.0.1:{port}/hook"


def verify(petugas, verifikator, capture, **overrides):
    with capture(execute=True):
        return verified_report(petugas, verifikator, **overrides)


def check_signature(request, secret):
    headers = request["headers"]
    timestamp = headers["X-Sikanda-Timestamp"]
    expected = hmac.new(
        secret.encode(), f"{timestamp}.".encode() + request["body"], hashlib.sha256
    ).hexdigest()
    assert headers["X-Sikanda-Signature"] == f"sha256={expected}"
    assert abs(int(timestamp) - timezone.now().timestamp()) < 60


def test_receiver_gets_a_signed_delivery(
    enabled, receiver, petugas, verifikator, django_capture_on_commit_callbacks
):
    endpoint = make_endpoint(receiver.url)
    laporan = verify(petugas, verifikator, django_capture_on_commit_callbacks)

    assert len(receiver.requests) == 1
    request = receiver.requests[0]
    assert request["path"] == "/hook"
    headers = request["headers"]
    assert headers["Content-Type"] == "application/json"
    assert headers["X-Sikanda-Event"] == VERIFIED
    check_signature(request, endpoint.secret)

    delivery = Delivery.objects.get()
    assert headers["X-Sikanda-Delivery"] == str(delivery.delivery_id)
    assert delivery.status == Delivery.Status.SENT
    assert delivery.percobaan == 1
    assert delivery.response_status == 200
    assert delivery.terkirim is not None

    # Compact, sorted JSON: what was signed is exactly what was stored.
    body = json.loads(request["body"])
    assert request["body"] == json.dumps(body, sort_keys=True, separators=(",", ":")).encode()
    assert body["event"] == VERIFIED
    assert body["delivery_id"] == str(delivery.delivery_id)
    assert body["occurred_at"]
    report = body["report"]
    assert report["id"] == laporan.pk
    assert report["nomor"] == laporan.nomor
    assert report["judul"] == laporan.judul
    assert report["status"] == "terverifikasi"
    assert report["klasifikasi"] == "publik"
    assert report["urgensi"] == "tinggi"
    assert report["kecamatan"] == laporan.kecamatan.nama
    assert report["url"].endswith(f"/laporan/{laporan.pk}/")
    text = request["body"].decode()
    for secret in ("sumber_informasi", "Pak RT 03", "pelapor", petugas.username, "fakta"):
        assert secret not in text


def test_secret_is_generated_per_endpoint(db):
    one, two = make_endpoint("http://example.invalid/a"), make_endpoint("http://example.invalid/b")
    assert len(one.secret) >= 40
    assert one.secret != two.secret


def test_events_are_validated(db):
    from django.core.exceptions import ValidationError

    endpoint = Endpoint(nama="x", url="http://127.0.0.1:8080/h", events=["report.nope"])
    with pytest.raises(ValidationError) as exc:
        endpoint.full_clean()
    assert "events" in exc.value.message_dict
    endpoint.events = []
    with pytest.raises(ValidationError):
        endpoint.full_clean()
    endpoint.events = [VERIFIED, "report.published"]
    endpoint.full_clean()


def test_failure_then_retry_keeps_the_delivery_id(
    enabled, receiver, petugas, verifikator, django_capture_on_commit_callbacks, capsys
):
    receiver.statuses = [500]
    endpoint = make_endpoint(receiver.url)
    before = timezone.now()
    verify(petugas, verifikator, django_capture_on_commit_callbacks)

    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.percobaan == 1
    assert delivery.response_status == 500
    assert "500" in delivery.galat_terakhir
    assert delivery.coba_lagi_pada >= before + datetime.timedelta(seconds=30)

    # Not yet due: the sweeper leaves it alone.
    call_command("send_webhooks")
    assert len(receiver.requests) == 1

    Delivery.objects.filter(pk=delivery.pk).update(
        coba_lagi_pada=timezone.now() - datetime.timedelta(seconds=1)
    )
    call_command("send_webhooks")
    assert "1 terkirim" in capsys.readouterr().out

    assert len(receiver.requests) == 2
    first, second = receiver.requests
    ids = {r["headers"]["X-Sikanda-Delivery"] for r in receiver.requests}
    assert ids == {str(delivery.delivery_id)}
    assert first["body"] == second["body"]
    check_signature(second, endpoint.secret)
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.percobaan == 2
    assert delivery.galat_terakhir == ""


def test_backoff_grows_and_is_capped():
    waits = [backoff(n).total_seconds() for n in range(1, 10)]
    assert waits[:4] == [30, 60, 120, 240]
    assert waits == sorted(waits)
    assert max(waits) == 3600


def test_repeated_failures_back_off_then_give_up(
    enabled, petugas, verifikator, django_capture_on_commit_callbacks, settings
):
    settings.SIKANDA_OUTBOX = {**settings.SIKANDA_OUTBOX, "webhooks": {"MAX_ATTEMPTS": 3}}
    server = Receiver(statuses=[503, 503, 503, 503]).start()
    try:
        make_endpoint(server.url)
        verify(petugas, verifikator, django_capture_on_commit_callbacks)
        delivery = Delivery.objects.get()
        gaps = []
        for _ in range(2):
            gaps.append((delivery.coba_lagi_pada - timezone.now()).total_seconds())
            Delivery.objects.filter(pk=delivery.pk).update(coba_lagi_pada=timezone.now())
            call_command("send_webhooks")
            delivery.refresh_from_db()
        assert gaps[0] == pytest.approx(30, abs=5)
        assert delivery.percobaan == 3
        assert delivery.status == Delivery.Status.FAILED
        assert len(server.requests) == 3
        assert len({r["headers"]["X-Sikanda-Delivery"] for r in server.requests}) == 1
    finally:
        server.stop()


def test_backoff_doubles_between_attempts(
    enabled, petugas, verifikator, django_capture_on_commit_callbacks
):
    server = Receiver(statuses=[500, 500, 500]).start()
    try:
        make_endpoint(server.url)
        verify(petugas, verifikator, django_capture_on_commit_callbacks)
        delivery = Delivery.objects.get()
        waits = []
        for _ in range(3):
            waits.append((delivery.coba_lagi_pada - timezone.now()).total_seconds())
            Delivery.objects.filter(pk=delivery.pk).update(coba_lagi_pada=timezone.now())
            call_command("send_webhooks")
            delivery.refresh_from_db()
        assert waits[0] == pytest.approx(30, abs=5)
        assert waits[1] == pytest.approx(60, abs=5)
        assert waits[2] == pytest.approx(120, abs=5)
        assert delivery.status == Delivery.Status.SENT
    finally:
        server.stop()


def test_unsubscribed_or_inactive_endpoint_gets_nothing(
    enabled, receiver, petugas, verifikator, django_capture_on_commit_callbacks
):
    make_endpoint(receiver.url, events=["report.withdrawn"])
    make_endpoint(receiver.url, aktif=False)
    verify(petugas, verifikator, django_capture_on_commit_callbacks)
    assert receiver.requests == []
    assert not Delivery.objects.exists()


def test_submitted_event_reaches_subscriber(
    enabled, receiver, petugas, django_capture_on_commit_callbacks
):
    make_endpoint(receiver.url, events=["report.submitted"])
    with django_capture_on_commit_callbacks(execute=True):
        make_report(petugas, submit=True)
    assert [r["headers"]["X-Sikanda-Event"] for r in receiver.requests] == ["report.submitted"]


def test_disabled_plugin_creates_no_delivery(
    db, receiver, petugas, verifikator, django_capture_on_commit_callbacks
):
    set_enabled("webhooks", False)
    make_endpoint(receiver.url)
    verify(petugas, verifikator, django_capture_on_commit_callbacks)
    assert not Delivery.objects.exists()
    assert receiver.requests == []


def test_unreachable_receiver_never_fails_the_report(
    enabled, petugas, verifikator, django_capture_on_commit_callbacks
):
    make_endpoint(closed_port_url())
    laporan = verify(petugas, verifikator, django_capture_on_commit_callbacks)
    laporan.refresh_from_db()
    assert laporan.status == "terverifikasi"
    delivery = Delivery.objects.get()
    assert delivery.status == Delivery.Status.PENDING
    assert delivery.percobaan == 1
    assert delivery.response_status is None
    assert "Connection" in delivery.galat_terakhir
    assert delivery.coba_lagi_pada > timezone.now()


def test_terbatas_payload_reveals_nothing_sensitive(
    enabled, receiver, petugas, verifikator, django_capture_on_commit_callbacks
):
    make_endpoint(receiver.url)
    laporan = verify(petugas, verifikator, django_capture_on_commit_callbacks,
                     klasifikasi="terbatas")
    assert len(receiver.requests) == 1
    body = json.loads(receiver.requests[0]["body"])
    assert body["report"] == {
        "id": laporan.pk,
        "nomor": laporan.nomor,
        "status": "terverifikasi",
        "kecamatan": laporan.kecamatan.nama,
    }
    text = receiver.requests[0]["body"].decode()
    for hidden in ("judul", "fakta", "sumber_informasi", "Keributan", "Pak RT", "Dua kelompok"):
        assert hidden not in text


def replay_url(delivery):
    return reverse("webhooks_replay", args=[delivery.pk])


def test_administrator_replays_with_the_same_id(
    enabled, receiver, client, administrator, petugas, verifikator,
    django_capture_on_commit_callbacks,
):
    make_endpoint(receiver.url)
    verify(petugas, verifikator, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    client.force_login(administrator)

    listing = client.get(delivery_admin.url_helper.index_url)
    assert listing.status_code == 200
    assert replay_url(delivery) in listing.content.decode()
    assert client.get(replay_url(delivery)).status_code == 200  # confirmation page
    assert len(receiver.requests) == 1

    with django_capture_on_commit_callbacks(execute=True) as queued:
        response = client.post(replay_url(delivery))
        # Queued, not sent inside the request: the worker sends it after the commit.
        assert response.status_code == 302
        assert len(receiver.requests) == 1
        delivery.refresh_from_db()
        assert delivery.status == Delivery.Status.PENDING
        assert delivery.coba_lagi_pada <= timezone.now()
    assert len(queued) == 1
    assert len(receiver.requests) == 2
    assert {r["headers"]["X-Sikanda-Delivery"] for r in receiver.requests} == {
        str(delivery.delivery_id)
    }
    delivery.refresh_from_db()
    assert delivery.status == Delivery.Status.SENT
    assert delivery.percobaan == 2


def test_administrator_manages_endpoints(enabled, client, administrator):
    client.force_login(administrator)
    assert client.get(endpoint_admin.url_helper.index_url).status_code == 200
    response = client.post(
        endpoint_admin.url_helper.create_url,
        {
            "nama": "Dinas Kominfo",
            "url": "http://127.0.0.1:8080/sikanda",
            "events": [VERIFIED, "report.published"],
            "secret": "rahasia-bersama-yang-cukup-panjang",
            "aktif": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    endpoint = Endpoint.objects.get()
    assert endpoint.events == [VERIFIED, "report.published"]


def refused(response):
    # Wagtail answers PermissionDenied in its admin with a redirect home and a message.
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert response.url == reverse("wagtailadmin_home")


def test_verifikator_is_refused(
    enabled, receiver, client, verifikator, petugas, django_capture_on_commit_callbacks
):
    make_endpoint(receiver.url)
    verify(petugas, verifikator, django_capture_on_commit_callbacks)
    delivery = Delivery.objects.get()
    client.force_login(verifikator)
    for url in (
        endpoint_admin.url_helper.index_url,
        endpoint_admin.url_helper.create_url,
        delivery_admin.url_helper.index_url,
    ):
        refused(client.get(url))
    refused(client.post(replay_url(delivery)))
    refused(client.get(replay_url(delivery)))
    assert len(receiver.requests) == 1


def test_admin_is_hidden_while_disabled(db, client, administrator):
    set_enabled("webhooks", False)
    client.force_login(administrator)
    assert client.get(endpoint_admin.url_helper.index_url).status_code == 404
    assert client.get(delivery_admin.url_helper.index_url).status_code == 404
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert endpoint_admin.url_helper.index_url not in home
    set_enabled("webhooks", True)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert endpoint_admin.url_helper.index_url in home
    assert delivery_admin.url_helper.index_url in home


def test_replay_is_post_only_in_effect(enabled, receiver, client, administrator, db):
    endpoint = make_endpoint(receiver.url)
    delivery = Delivery.objects.create(
        endpoint=endpoint, event=VERIFIED, payload={"event": VERIFIED}
    )
    client.force_login(administrator)
    client.get(replay_url(delivery))
    assert receiver.requests == []


def test_unverified_publik_report_is_announced_without_its_title(
    petugas, django_capture_on_commit_callbacks
):
    from cms.reports import services
    from plugins.webhooks.models import Delivery, Endpoint
    from tests.reports.reports_factories import make_report

    set_enabled("webhooks", True)
    Endpoint.objects.create(
        nama="Pusdalops", url="http://127.0.0.1:9/", events=["report.submitted"]
    )
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(make_report(petugas, judul="Belum terverifikasi"), petugas)
    report = Delivery.objects.get().payload["report"]
    assert "judul" not in report and "Belum terverifikasi" not in str(report)
