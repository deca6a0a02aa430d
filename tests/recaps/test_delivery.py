"""Delivery on signing: Pimpinan's inbox and push through the outbox, in the
transaction of the signature; `recap.signed` announced after commit."""

import pytest

from cms.notifications.models import Pengiriman
from cms.recaps import events, transitions
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
