"""Bad input through the service layer: a clear Indonesian message, and
nothing stored. Idempotent filing, and who may change what when."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from wagtail.models import Revision

from cms.accounts import roles
from cms.reports import services
from cms.reports.models import Desa, Laporan, PenilaianVerifikasi, Status
from tests import factories

from .reports_factories import make_report, report_fields, verified_report

pytestmark = pytest.mark.django_db


def assert_nothing_stored():
    assert Laporan.objects.count() == 0
    assert Revision.objects.filter(base_content_type__model="laporan").count() == 0


def create_error(user, **overrides):
    with pytest.raises(ValidationError) as excinfo:
        services.create_report(user, **report_fields(**overrides))
    assert_nothing_stored()
    return excinfo.value.message_dict


def test_event_time_in_the_future(petugas):
    errors = create_error(petugas, waktu_kejadian=timezone.now() + datetime.timedelta(days=1))
    assert errors["waktu_kejadian"] == ["Waktu kejadian tidak boleh di masa depan."]


def test_coordinates_that_are_not_numbers(petugas):
    errors = create_error(petugas, latitude="abc")
    assert "latitude" in errors
    assert errors["latitude"] == ["Nilai “abc” harus berupa bilangan desimal."]


def test_coordinates_out_of_range(petugas):
    errors = create_error(petugas, latitude="95")
    assert "latitude" in errors


def test_latitude_without_longitude(petugas):
    errors = create_error(petugas, longitude=None)
    assert errors["longitude"] == ["Isi lintang dan bujur bersama-sama, atau kosongkan keduanya."]


def test_desa_from_another_kecamatan(petugas):
    desa = Desa.objects.create(nama="Desa Uji Halong", kecamatan=factories.kecamatan("halong"))
    errors = create_error(petugas, desa=desa)
    assert errors["desa"] == ["Desa/kelurahan ini tidak berada di kecamatan yang dipilih."]


def test_kecamatan_the_officer_is_not_assigned_to(petugas):
    errors = create_error(petugas, kecamatan=factories.kecamatan("halong"))
    assert any("tidak ditugaskan" in message for message in errors["kecamatan"])


def test_unknown_field(petugas):
    errors = create_error(petugas, warna="merah")
    assert errors["warna"] == ["Kolom ini tidak dikenal."]


def test_missing_required_fields(petugas):
    fields = report_fields()
    del fields["judul"], fields["fakta"]
    with pytest.raises(ValidationError) as excinfo:
        services.create_report(petugas, **fields)
    assert {"judul", "fakta"} <= set(excinfo.value.message_dict)
    assert_nothing_stored()


def test_several_errors_are_reported_together(petugas):
    errors = create_error(
        petugas, latitude="abc", kecamatan=factories.kecamatan("halong"),
        waktu_kejadian=timezone.now() + datetime.timedelta(days=1),
    )
    assert {"latitude", "kecamatan", "waktu_kejadian"} <= set(errors)


def test_same_client_uuid_twice_files_one_report(petugas):
    client_uuid = uuid.uuid4()
    first = services.create_report(petugas, client_uuid=client_uuid, **report_fields())
    again = services.create_report(
        petugas, client_uuid=client_uuid, **report_fields(judul="Kiriman ulang")
    )
    assert again.pk == first.pk and again.judul == first.judul
    assert Laporan.objects.count() == 1
    assert Laporan.objects.get().client_uuid == client_uuid


def test_update_refused_while_waiting_and_after_verification(petugas, verifikator):
    laporan = make_report(petugas, submit=True)
    with pytest.raises(ValidationError) as refused:
        services.update_report(laporan, petugas, judul="Diubah saat menunggu")
    assert refused.value.error_list[0].code == "invalid_state"
    assert Laporan.objects.get(pk=laporan.pk).judul != "Diubah saat menunggu"

    laporan = verified_report(petugas, verifikator, judul="Sudah diverifikasi")
    revisions = laporan.revisions.count()
    with pytest.raises(ValidationError) as refused:
        services.update_report(laporan, petugas, judul="Diubah setelah verifikasi")
    assert refused.value.error_list[0].code == "invalid_state"
    laporan = Laporan.objects.get(pk=laporan.pk)
    assert laporan.judul == "Sudah diverifikasi" and laporan.revisions.count() == revisions


def test_update_of_a_draft_validates_before_writing(petugas):
    laporan = make_report(petugas)
    with pytest.raises(ValidationError):
        services.update_report(laporan, petugas, judul="Diubah", latitude="abc")
    fresh = Laporan.objects.get(pk=laporan.pk)
    assert fresh.judul == "Keributan di pasar Paringin" and fresh.revisions.count() == 1


def test_submit_by_someone_else_is_refused(petugas, verifikator):
    other = factories.make_user(
        roles.PETUGAS, "petugas.lain", kecamatan=[factories.kecamatan("paringin")]
    )
    laporan = make_report(petugas)
    # Neither may even see an unsent draft: refused as if it did not exist.
    for user in (other, verifikator):
        with pytest.raises(ValidationError) as refused:
            services.submit(laporan, user)
        assert refused.value.error_dict["id"][0].code == "not_found"
    laporan.refresh_from_db()
    assert laporan.status == Status.DRAF and laporan.nomor is None
    assert laporan.current_workflow_state is None


def test_act_by_a_verifier_of_another_kecamatan_is_refused(petugas):
    halong_verifier = factories.make_user(
        roles.VERIFIKATOR, "verifikator.halong", kecamatan=[factories.kecamatan("halong")]
    )
    laporan = make_report(petugas, submit=True)
    task_state = laporan.current_workflow_task_state
    for action, extra in (
        ("approve", {"keandalan_sumber": "A", "kredibilitas_informasi": "1"}),
        ("reject", {"comment": "Perbaiki."}),
    ):
        with pytest.raises(ValidationError) as refused:
            services.act(laporan, halong_verifier, action, **extra)
        assert refused.value.error_dict["id"][0].code == "not_found"
    laporan = Laporan.objects.get(pk=laporan.pk)
    assert laporan.status == Status.MENUNGGU and not laporan.live
    assert laporan.current_workflow_task_state == task_state
    assert task_state.__class__.objects.get(pk=task_state.pk).status == "in_progress"
    assert not PenilaianVerifikasi.objects.exists()


def test_a_verified_report_is_never_rewritten_in_place(administrator):
    from django.core.exceptions import ValidationError

    from cms.reports import services
    from cms.reports.models import Laporan
    from tests import factories
    from tests.reports.reports_factories import verified_report

    officer = factories.make_user("Petugas", kecamatan=[factories.kecamatan("paringin")])
    verifier = factories.make_user("Verifikator", kecamatan=[factories.kecamatan("paringin")])
    laporan = verified_report(officer, verifier)
    with pytest.raises(ValidationError, match="terverifikasi"):
        services.update_report(laporan, administrator, judul="Diubah diam-diam")
    assert Laporan.objects.get(pk=laporan.pk).judul != "Diubah diam-diam"
