"""Delivery on signing: Pimpinan's inbox and push through the outbox, in the
transaction of the signature; e-mail to the Pimpinan who chose it, with a
download link that refuses everyone else; `recap.signed` announced after
commit, to webhooks too."""

import json

import pytest
from django.core import mail
from django.test import override_settings

from cms.accounts import roles
from cms.notifications.models import Notifikasi, Pengiriman
from cms.platform.plugins import set_enabled
from cms.recaps import events, transitions
from plugins.email_notify.models import PreferensiEmail
from tests import factories
from tests.notifications.conftest import channel  # noqa: F401

pytestmark = pytest.mark.django_db


def test_signing_pushes_title_and_period_to_pimpinan_and_announces_recap_signed(
    rekap_kabupaten, administrator, penandatangan, pimpinan, verifikator, channel,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    received = []

    def receiver(event, recap, actor, comment):
        received.append((event.name, recap.pk, actor, recap.status))

    events.recap_signed.connect(receiver)
    try:
        transitions.update(rekap_kabupaten, administrator, situasi_umum="Aman.")
        transitions.submit(rekap_kabupaten, administrator)
        with django_capture_on_commit_callbacks(execute=True):
            recap = transitions.decide(rekap_kabupaten, penandatangan, "approve")
    finally:
        events.recap_signed.disconnect(receiver)

    assert received == [("recap.signed", recap.pk, penandatangan, "ditandatangani")]
    delivery = Pengiriman.objects.get(peristiwa="recap.signed")
    assert list(delivery.penerima.all()) == [pimpinan]
    assert delivery.isi == {"id": recap.period.label, "en": recap.period.label}
    assert delivery.data["url"] == f"/rekap/kabupaten/{recap.pk}/unduh/pdf/"
    assert delivery.status == Pengiriman.Status.SENT
    assert [sent.pk for sent in channel] == [delivery.pk]
    assert channel[0].external_ids == [str(pimpinan.pk)]


def test_a_failed_signature_leaves_no_outbox_rows(rekap_kabupaten, administrator, pimpinan,
                                                   penandatangan):
    from django.core.exceptions import ValidationError

    from cms.recaps.models import Penandatangan

    setting = Penandatangan.current()
    setting.nip = ""
    setting.save()
    transitions.update(rekap_kabupaten, administrator, situasi_umum="Aman.")
    transitions.submit(rekap_kabupaten, administrator)
    with pytest.raises(ValidationError):
        transitions.decide(rekap_kabupaten, penandatangan, "approve")
    assert not Pengiriman.objects.filter(peristiwa="recap.signed").exists()
    rekap_kabupaten.refresh_from_db()
    assert rekap_kabupaten.status == "menunggu" and rekap_kabupaten.nomor is None


BASE = "https://sikanda.example.go.id"


@override_settings(WAGTAILADMIN_BASE_URL=BASE, DEFAULT_FROM_EMAIL="sikanda@balangankab.go.id")
def test_signing_emails_only_the_pimpinan_who_chose_it_with_a_link_that_refuses_others(
    rekap_kabupaten, administrator, penandatangan, pimpinan, petugas, pengguna, verifikator,
    client, django_capture_on_commit_callbacks,
):
    set_enabled("email_notify", True)
    set_enabled("export_xlsx", True)
    chose = factories.make_user(roles.PIMPINAN, username="bupati", email="bupati@example.go.id",
                                first_name="Bupati")
    PreferensiEmail.objects.create(pengguna=chose, peristiwa=["recap.signed"])
    pimpinan.email = "wakil@example.go.id"
    pimpinan.save()  # has an address, did not choose it
    PreferensiEmail.objects.create(pengguna=pimpinan, peristiwa=["report.verified"])
    # An administrator who chose it is no recipient of a recap.signed message.
    administrator.email = "admin@example.go.id"
    administrator.save()
    PreferensiEmail.objects.create(pengguna=administrator, peristiwa=["recap.signed"])
    mail.outbox.clear()

    transitions.update(rekap_kabupaten, administrator, situasi_umum="Aman.")
    transitions.submit(rekap_kabupaten, administrator)
    with django_capture_on_commit_callbacks(execute=True):
        recap = transitions.decide(rekap_kabupaten, penandatangan, "approve")

    assert [message.to for message in mail.outbox] == [["bupati@example.go.id"]]
    message = mail.outbox[0]
    link = f"{BASE}/rekap/kabupaten/{recap.pk}/unduh/pdf/"
    assert link in message.body and recap.period.label in message.body
    assert message.subject == "[SIKANDA] Rekap harian Kabupaten Balangan"
    email = Pengiriman.objects.get(peristiwa="recap.signed", kanal="email")
    assert list(email.penerima.all()) == [chose] and email.status == Pengiriman.Status.SENT
    # Both Pimpinan have it in the inbox.
    assert set(Notifikasi.objects.filter(peristiwa="recap.signed")
               .values_list("penerima__username", flat=True)) == {"bupati", pimpinan.username}

    path = link.removeprefix(BASE).replace("/pdf/", "/xlsx/")
    for user in (petugas, pengguna, verifikator, None):
        if user is not None:
            client.force_login(user)
        assert client.get(path).status_code == 404, user
        client.logout()
    client.force_login(chose)
    assert client.get(path).status_code == 200


def test_webhooks_announce_recap_signed_without_its_content(
    rekap_kabupaten, administrator, penandatangan, django_capture_on_commit_callbacks
):
    from plugins.webhooks.models import Delivery, Endpoint
    from tests.plugins.test_webhooks import Receiver, check_signature

    set_enabled("webhooks", True)
    server = Receiver().start()
    try:
        endpoint = Endpoint.objects.create(nama="Sistem Pemprov", url=server.url,
                                           events=["recap.signed"])
        transitions.update(rekap_kabupaten, administrator, situasi_umum="Rahasia situasi.")
        with django_capture_on_commit_callbacks(execute=True):
            transitions.submit(rekap_kabupaten, administrator)
        assert server.requests == []  # subscribed to recap.signed only
        with django_capture_on_commit_callbacks(execute=True):
            recap = transitions.decide(rekap_kabupaten, penandatangan, "approve")
    finally:
        server.stop()
    assert len(server.requests) == 1
    request = server.requests[0]
    check_signature(request, endpoint.secret)
    assert request["headers"]["X-Sikanda-Event"] == "recap.signed"
    body = json.loads(request["body"])
    assert body["recap"] == {
        "id": f"kabupaten-{recap.pk}", "tier": "kabupaten", "nomor": recap.nomor,
        "periode": "harian", "mulai": recap.period.start_date.isoformat(),
        "sampai": recap.period.last_date.isoformat(), "label": recap.period.label,
        "kecamatan": None, "status": "ditandatangani", "checksum": recap.checksum,
    }
    assert "Rahasia" not in request["body"].decode()
    assert Delivery.objects.get().status == Delivery.Status.SENT
