"""Who hears what, and the outbox written with the event."""

import pytest
from django.db import transaction

from cms.accounts import roles
from cms.notifications.models import Langganan, Notifikasi, Pengiriman
from cms.reports import services
from tests import factories
from tests.reports.reports_factories import make_report

pytestmark = pytest.mark.django_db


def inbox(user):
    return list(Notifikasi.objects.filter(penerima=user).values_list("peristiwa", flat=True))


def deliveries_for(user):
    return Pengiriman.objects.filter(penerima=user)


def test_submission_notifies_the_kecamatan_verifiers_only(petugas, verifikator, channel):
    other = factories.make_user(roles.VERIFIKATOR, kecamatan=[factories.kecamatan("halong")])
    services.submit(make_report(petugas), petugas)
    assert inbox(verifikator) == ["report.submitted"]
    assert inbox(other) == [] and inbox(petugas) == []
    assert deliveries_for(verifikator).count() == 1


def test_changes_requested_reaches_the_reporter_with_the_comment(petugas, verifikator, channel):
    laporan = services.submit(make_report(petugas), petugas)
    services.act(laporan, verifikator, "reject", comment="Tambahkan foto lokasi.")
    entry = Notifikasi.objects.get(penerima=petugas, peristiwa="report.changes_requested")
    assert "Tambahkan foto lokasi." in entry.isi["id"] and entry.judul["en"]


@pytest.mark.parametrize(
    ("urgensi", "pimpinan_push"),
    [("darurat", True), ("tinggi", True), ("sedang", False), ("rendah", False)],
)
def test_verification_reaches_reporter_and_pimpinan_at_once_when_urgent(
    petugas, verifikator, pimpinan, channel, urgensi, pimpinan_push
):
    laporan = services.submit(make_report(petugas, urgensi=urgensi), petugas)
    services.act(laporan, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2")
    assert "report.verified" in inbox(petugas)
    # A DARURAT report also reached them when it was submitted (cms/followup).
    expected = {"report.verified", "report.submitted"} if urgensi == "darurat" else {
        "report.verified"}
    assert set(inbox(pimpinan)) == expected and len(inbox(pimpinan)) == len(expected)
    assert deliveries_for(pimpinan).exists() is pimpinan_push
    assert deliveries_for(petugas).filter(peristiwa="report.verified").count() == 1


def test_publication_reaches_subscribed_guests_only(
    petugas, verifikator, pengguna, channel, django_capture_on_commit_callbacks
):
    paringin = factories.kecamatan("paringin")
    Langganan.objects.create(pengguna=pengguna, kecamatan=paringin)
    unsubscribed = factories.make_user(roles.PENGGUNA)
    elsewhere = factories.make_user(roles.PENGGUNA)
    Langganan.objects.create(pengguna=elsewhere, kecamatan=factories.kecamatan("juai"))
    laporan = services.submit(make_report(petugas), petugas)
    with django_capture_on_commit_callbacks(execute=True):  # guests hear after the commit
        services.act(
            laporan, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2"
        )
    assert inbox(pengguna) == ["report.published"]
    assert inbox(unsubscribed) == [] and inbox(elsewhere) == []


def test_aspect_subscription_works_too(
    petugas, verifikator, pengguna, channel, django_capture_on_commit_callbacks
):
    from cms.reports.models import Aspek

    Langganan.objects.create(pengguna=pengguna, aspek=Aspek.objects.get(slug="sosial-budaya"))
    laporan = services.submit(make_report(petugas), petugas)
    with django_capture_on_commit_callbacks(execute=True):  # guests hear after the commit
        services.act(
            laporan, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2"
        )
    assert inbox(pengguna) == ["report.published"]


def test_nothing_about_a_report_the_recipient_may_not_see(petugas, verifikator, pengguna, channel):
    Langganan.objects.create(pengguna=pengguna, kecamatan=factories.kecamatan("paringin"))
    laporan = services.submit(make_report(petugas, klasifikasi="terbatas"), petugas)
    services.act(laporan, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2")
    assert inbox(pengguna) == []
    assert not deliveries_for(pengguna).exists()


def test_the_actor_is_not_notified_of_their_own_action(
    petugas, verifikator, administrator, channel
):
    # An administrator approving is a verifier here, and gets no notice of it
    # (the kecamatan has a verifier, so the submission went to them).
    laporan = services.submit(make_report(petugas), petugas)
    services.act(
        laporan, administrator, "approve", keandalan_sumber="B", kredibilitas_informasi="2"
    )
    assert inbox(administrator) == []


def test_outbox_is_written_in_the_transaction_of_the_event(petugas, verifikator, channel):
    laporan = make_report(petugas)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.submit(laporan, petugas)
        assert inbox(verifikator) == ["report.submitted"]
        raise RuntimeError("rollback")
    assert inbox(verifikator) == [] and not Pengiriman.objects.exists()


def test_without_an_enabled_channel_only_the_inbox_is_written(petugas, verifikator):
    services.submit(make_report(petugas), petugas)
    assert inbox(verifikator) == ["report.submitted"]
    assert not Pengiriman.objects.exists()


def test_delivery_goes_out_after_commit_with_a_stable_idempotency_key(
    petugas, verifikator, channel, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        services.submit(make_report(petugas), petugas)
    delivery = Pengiriman.objects.get()
    assert delivery.status == Pengiriman.Status.SENT
    assert channel == [delivery] or [d.pk for d in channel] == [delivery.pk]
    assert channel[0].external_ids == [str(verifikator.pk)]
    assert channel[0].data["event"] == "report.submitted"
