"""The recap workflow round trip, through the transition service and the
Wagtail admin, with its audit entries and frozen content."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from wagtail.models import ModelLogEntry

from cms.notifications.models import Notifikasi
from cms.recaps import documents, transitions
from cms.recaps.models import RekapKecamatan, StatusRekap
from cms.reports import services

from .conftest import report_in

pytestmark = pytest.mark.django_db


def actions_of(recap):
    return list(
        ModelLogEntry.objects.filter(
            content_type__model=recap._meta.model_name, object_id=str(recap.pk)
        ).order_by("timestamp", "pk").values_list("action", flat=True)
    )


def test_kecamatan_recap_round_trip(
    rekap_paringin, yesterday, petugas, verifikator, administrator, pimpinan
):
    laporan = report_in(yesterday, petugas, verifikator)
    recap = rekap_paringin
    assert recap.status == StatusRekap.DRAF and not recap.live

    with pytest.raises(ValidationError) as missing:
        transitions.submit(recap, verifikator)
    assert "situasi_umum" in missing.value.message_dict
    transitions.update(recap, verifikator, situasi_umum="Situasi umum kondusif.",
                       rekomendasi="Tingkatkan patroli pasar.")
    recap = transitions.submit(recap, verifikator)
    assert recap.status == StatusRekap.MENUNGGU
    assert Notifikasi.objects.filter(penerima=administrator, peristiwa="recap.submitted").exists()

    with pytest.raises(ValidationError) as no_comment:
        transitions.decide(recap, administrator, "reject")
    assert "comment" in no_comment.value.message_dict
    recap = transitions.decide(recap, administrator, "reject", comment="Lengkapi penilaian.")
    assert recap.status == StatusRekap.PERLU_PERBAIKAN
    assert Notifikasi.objects.filter(penerima=verifikator,
                                     peristiwa="recap.changes_requested").exists()

    transitions.update(recap, verifikator, penilaian="Potensi konflik antarkelompok rendah.")
    recap = transitions.submit(recap, verifikator)
    recap = transitions.decide(recap, administrator, "approve")

    recap = RekapKecamatan.objects.get(pk=recap.pk)
    assert recap.status == StatusRekap.DISETUJUI and recap.live
    assert recap.nomor.endswith(f"/Kesbangpol/{recap.tahun_nomor}")
    assert recap.isi_beku["nomor"] == recap.nomor
    assert recap.checksum == documents.checksum(recap.isi_beku)
    assert [row["nomor"] for row in recap.isi_beku["laporan"]] == [laporan.nomor]
    assert recap.isi_beku["narasi"]["penilaian"] == "Potensi konflik antarkelompok rendah."
    assert recap.disetujui_oleh == administrator
    names = actions_of(recap)
    for expected in ("sikanda.recap.create", "wagtail.workflow.start", "wagtail.workflow.reject",
                     "wagtail.workflow.resume", "wagtail.workflow.approve", "wagtail.publish",
                     "sikanda.recap.approve"):
        assert expected in names, names
    assert Notifikasi.objects.filter(penerima=verifikator, peristiwa="recap.approved").exists()
    # Pimpinan see an approved kecamatan recap, but are not told about the tier below.
    assert not Notifikasi.objects.filter(penerima=pimpinan, peristiwa__startswith="recap").exists()


def test_approved_recap_is_frozen_against_later_report_changes(
    rekap_paringin, yesterday, petugas, verifikator, administrator
):
    laporan = report_in(yesterday, petugas, verifikator, judul="Unjuk rasa damai")
    transitions.update(rekap_paringin, verifikator, situasi_umum="Kondusif.")
    transitions.submit(rekap_paringin, verifikator)
    recap = transitions.decide(rekap_paringin, administrator, "approve")
    frozen = RekapKecamatan.objects.get(pk=recap.pk)
    before = frozen.isi_beku

    # The report is corrected and re-verified; a second report arrives late.
    laporan.judul = "Judul yang diubah"
    laporan.save()
    report_in(yesterday, petugas, verifikator, hour=15)

    frozen.refresh_from_db()
    assert frozen.isi_beku == before
    assert documents.document(frozen)["laporan"][0]["judul"] == "Unjuk rasa damai"
    assert documents.checksum(frozen.isi_beku) == frozen.checksum
    with pytest.raises(ValidationError) as exc:
        transitions.update(frozen, administrator, situasi_umum="Diubah")
    assert exc.value.code == "conflict"
    with pytest.raises(ValidationError) as again:
        transitions.decide(frozen, administrator, "approve")
    assert again.value.code == "conflict"


def test_kabupaten_recap_round_trip_signed_and_delivered(
    rekap_kabupaten, yesterday, petugas, verifikator, administrator, pimpinan, penandatangan,
    pengguna,
):
    report_in(yesterday, petugas, verifikator)
    recap = transitions.update(rekap_kabupaten, administrator, situasi_umum="Aman terkendali.")
    recap = transitions.submit(recap, administrator)
    assert Notifikasi.objects.filter(penerima=penandatangan, peristiwa="recap.submitted").exists()

    # Another administrator is not the configured signer.
    with pytest.raises(PermissionDenied):
        transitions.decide(recap, administrator, "approve")
    recap = transitions.decide(recap, penandatangan, "approve")
    assert recap.status == StatusRekap.DITANDATANGANI
    assert recap.ditandatangani_oleh == penandatangan
    assert recap.penandatangan["nip"] == "19700101 199003 1 005"
    assert recap.isi_beku["penandatangan"]["nama"] == "Drs. H. Ahmad Fauzi, M.Si"
    assert recap.isi_beku["tanggal"].startswith("Paringin, ")
    assert "sikanda.recap.sign" in actions_of(recap)
    inbox = Notifikasi.objects.get(penerima=pimpinan, peristiwa="recap.signed")
    assert f"/rekap/kabupaten/{recap.pk}/unduh/pdf/" in inbox.isi["id"]
    assert not Notifikasi.objects.filter(penerima=pengguna).exists()
    assert not Notifikasi.objects.filter(penerima=verifikator, peristiwa="recap.signed").exists()


def test_regency_recap_cannot_be_signed_without_a_configured_signer(
    rekap_kabupaten, administrator
):
    transitions.update(rekap_kabupaten, administrator, situasi_umum="Aman.")
    recap = transitions.submit(rekap_kabupaten, administrator)
    with pytest.raises(PermissionDenied):
        transitions.decide(recap, administrator, "approve")
    recap.refresh_from_db()
    assert recap.status == StatusRekap.MENUNGGU and recap.nomor is None


def test_report_taken_down_stops_counting_in_recaps_not_yet_approved(
    yesterday, petugas, verifikator
):
    from cms.recaps.aggregates import aggregates

    laporan = report_in(yesterday, petugas, verifikator)
    assert aggregates(yesterday)["jumlah"]["jumlah"] == 1
    laporan.unpublish()
    assert aggregates(yesterday)["jumlah"]["jumlah"] == 0
    assert services.Laporan.objects.filter(pk=laporan.pk, live=False).exists()
