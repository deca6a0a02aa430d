"""The transition service from the side of what must not happen: a failure in
the middle leaves the report exactly as it was, files never outlive their
rows, action data is validated whatever posted it, another report's task
state acts on nothing, and a verified report is retracted, not erased."""

import datetime
import io
import os
from contextlib import contextmanager

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from wagtail.models import ModelLogEntry, Revision, TaskState, WorkflowState

from cms.accounts import roles
from cms.notifications.models import Notifikasi, Pengiriman
from cms.reports import events, files, services, transitions
from cms.reports.models import Laporan, PenilaianVerifikasi, Status
from cms.reports.models.laporan import Lampiran
from tests import factories

from .reports_factories import make_report, photo, verified_report

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

ADMIN = "/admin/snippets/reports/laporan/"


@contextmanager
def failing(event):
    """The outbox (an in-transaction receiver of `event`) fails."""

    def outbox_down(**kwargs):
        raise RuntimeError("outbox down")

    event.connect(outbox_down, in_transaction=True)
    try:
        yield
    finally:
        event.disconnect(outbox_down)


def snapshot(laporan):
    fresh = Laporan.objects.get(pk=laporan.pk)
    states = WorkflowState.objects.for_instance(fresh)
    return {
        "row": (fresh.status, fresh.live, fresh.nomor, fresh.judul, fresh.latest_revision_id),
        "workflow": sorted(states.values_list("pk", "status")),
        "tasks": sorted(
            TaskState.objects.filter(workflow_state__in=states).values_list("pk", "status")
        ),
        "grading": PenilaianVerifikasi.objects.filter(laporan=fresh).count(),
        "inbox": Notifikasi.objects.filter(laporan=fresh).count(),
        "deliveries": Pengiriman.objects.filter(laporan=fresh).count(),
        "log": ModelLogEntry.objects.filter(object_id=str(fresh.pk)).count(),
        "revisions": Revision.objects.for_instance(fresh).count(),
    }


def private_files():
    root = settings.SIKANDA_PRIVATE_MEDIA_ROOT
    return {
        os.path.relpath(os.path.join(folder, name), root)
        for folder, _dirs, names in os.walk(root)
        for name in names
    }


@pytest.fixture
def people():
    paringin = factories.kecamatan("paringin")
    return {
        "petugas": factories.make_user(roles.PETUGAS, "petugas.t", kecamatan=[paringin]),
        "verifikator": factories.make_user(roles.VERIFIKATOR, "verif.t", kecamatan=[paringin]),
        "halong": factories.make_user(
            roles.VERIFIKATOR, "verif.halong", kecamatan=[factories.kecamatan("halong")]
        ),
        "administrator": factories.make_user(roles.ADMINISTRATOR, "admin.t"),
        "pimpinan": factories.make_user(roles.PIMPINAN, "pimpinan.t"),
    }


# -- one transaction --------------------------------------------------------------

def test_a_failing_outbox_leaves_every_transition_undone(people):
    petugas, verifikator = people["petugas"], people["verifikator"]
    approve = {"keandalan_sumber": "B", "kredibilitas_informasi": "2"}

    draft = make_report(petugas)
    before = snapshot(draft)
    with failing(events.report_submitted), pytest.raises(RuntimeError):
        services.submit(draft, petugas)
    assert snapshot(draft) == before

    waiting = make_report(petugas, submit=True)
    for event, call in [
        (events.report_verified, lambda: services.act(waiting, verifikator, "approve", **approve)),
        (events.report_published, lambda: services.act(waiting, verifikator, "approve", **approve)),
        (events.changes_requested,
         lambda: services.act(waiting, verifikator, "reject", comment="Lengkapi.")),
        (events.report_withdrawn, lambda: services.withdraw(waiting, petugas)),
    ]:
        before = snapshot(waiting)
        with failing(event), pytest.raises(RuntimeError):
            call()
        assert snapshot(waiting) == before, event
        assert before["grading"] == 0

    services.act(waiting, verifikator, "reject", comment="Lengkapi.")
    before = snapshot(waiting)
    with failing(events.report_submitted), pytest.raises(RuntimeError):
        services.submit(waiting, petugas)
    assert snapshot(waiting) == before

    verified = verified_report(petugas, verifikator)
    before = snapshot(verified)
    with failing(events.report_retracted), pytest.raises(RuntimeError):
        services.retract(verified, verifikator, "Informasi keliru.")
    assert snapshot(verified) == before


def test_a_new_report_that_fails_to_submit_is_not_written_and_leaves_no_file(people):
    petugas = people["petugas"]
    files_before = private_files()
    with failing(events.report_submitted), pytest.raises(RuntimeError):
        make_report(petugas, submit=True, uploads=[photo(), photo("dua.jpg")])
    assert not Laporan.objects.exists() and not Lampiran.objects.exists()
    assert private_files() == files_before


def test_a_half_written_file_is_removed(people):
    """A disk that fills up in the middle of a write leaves no truncated file."""

    class DiskFull(SimpleUploadedFile):
        def chunks(self, chunk_size=None):
            yield self.read(64)
            raise OSError(28, "No space left on device")

    upload = photo()
    broken = DiskFull("foto.jpg", upload.read(), content_type="image/jpeg")
    files_before = private_files()
    with pytest.raises(OSError):
        make_report(people["petugas"], uploads=[broken])
    assert private_files() == files_before
    assert not Laporan.objects.exists()


def test_too_many_attachments_are_refused_before_anything_is_written(people, settings):
    settings.SIKANDA_ATTACHMENT_MAX_COUNT = 2
    petugas = people["petugas"]
    with pytest.raises(ValidationError) as refused:
        make_report(petugas, uploads=[photo(), photo(), photo()])
    assert "lampiran" in refused.value.error_dict
    laporan = make_report(petugas, uploads=[photo()])
    with pytest.raises(ValidationError):
        services.update_report(laporan, petugas, uploads=[photo(), photo()])
    assert laporan.lampiran.count() == 1


# -- files follow their rows ------------------------------------------------------------

def test_deleting_a_report_removes_its_files_after_commit(people):
    petugas = people["petugas"]
    laporan = make_report(petugas, uploads=[photo()])
    name = laporan.lampiran.get().berkas.name
    assert name in private_files()
    services.delete_report(laporan, petugas)
    assert not Laporan.objects.filter(pk=laporan.pk).exists()
    assert name not in private_files()
    entry = ModelLogEntry.objects.get(object_id=str(laporan.pk), action="wagtail.delete")
    assert entry.user == petugas and entry.deleted


def test_orphan_command_lists_then_removes_only_old_unreferenced_files(people):
    laporan = make_report(people["petugas"], uploads=[photo()])
    kept = laporan.lampiran.get().berkas.name
    storage = files.private_storage()
    old = storage.save("laporan/2020/01/yatim.jpg", io.BytesIO(b"sisa"))
    young = storage.save("laporan/2026/11/baru.jpg", io.BytesIO(b"sedang diunggah"))
    long_ago = (datetime.datetime.now() - datetime.timedelta(days=2)).timestamp()
    os.utime(storage.path(old), (long_ago, long_ago))

    out = io.StringIO()
    call_command("clean_orphan_files", "--dry-run", stdout=out)
    assert old in out.getvalue() and young not in out.getvalue() and kept not in out.getvalue()
    assert {old, young, kept} <= private_files()

    call_command("clean_orphan_files", stdout=io.StringIO())
    remaining = private_files()
    assert old not in remaining and {young, kept} <= remaining


# -- who may act on what ----------------------------------------------------------------

def test_task_state_of_another_report_acts_on_nothing(people):
    petugas, verifikator = people["petugas"], people["verifikator"]
    halong_officer = factories.make_user(
        roles.PETUGAS, "petugas.halong", kecamatan=[factories.kecamatan("halong")]
    )
    mine = make_report(petugas, submit=True)
    theirs = make_report(halong_officer, submit=True, kec="halong")
    foreign_task_state = theirs.current_workflow_task_state.pk
    before = snapshot(theirs), snapshot(mine)
    for action, data in [("approve", {"keandalan_sumber": "A", "kredibilitas_informasi": "1"}),
                         ("reject", {"comment": "x"})]:
        with pytest.raises(ValidationError) as refused:
            services.act(mine, verifikator, action, task_state_id=foreign_task_state, **data)
        assert refused.value.error_dict["id"][0].code == "not_found"
    assert (snapshot(theirs), snapshot(mine)) == before


@pytest.mark.parametrize(
    "extra, field",
    [
        ('{"keandalan_sumber": "Z", "kredibilitas_informasi": "9", "comment": ""}', "grading"),
        ('{"comment": ""}', "grading"),
        ("not json", "grading"),
        ("[1, 2]", "grading"),
    ],
)
def test_edit_view_workflow_action_validates_grading(client, people, extra, field):
    petugas, verifikator = people["petugas"], people["verifikator"]
    laporan = make_report(petugas, submit=True)
    before = snapshot(laporan)
    client.force_login(verifikator)
    response = client.post(
        f"{ADMIN}edit/{laporan.pk}/",
        {"action-workflow-action": "on", "workflow-action-name": "approve",
         "workflow-action-extra-data": extra},
    )
    assert response.status_code == 302
    assert snapshot(laporan) == before
    assert not PenilaianVerifikasi.objects.exists()


def test_edit_view_request_changes_needs_a_comment(client, people):
    petugas, verifikator = people["petugas"], people["verifikator"]
    laporan = make_report(petugas, submit=True)
    before = snapshot(laporan)
    client.force_login(verifikator)
    response = client.post(
        f"{ADMIN}edit/{laporan.pk}/",
        {"action-workflow-action": "on", "workflow-action-name": "reject",
         "workflow-action-extra-data": '{"comment": "   "}'},
        follow=True,
    )
    assert response.status_code == 200
    assert snapshot(laporan) == before
    assert Laporan.objects.get(pk=laporan.pk).status == Status.MENUNGGU


def test_approval_form_preselects_no_grade():
    from cms.reports.workflow_forms import PersetujuanForm

    form = PersetujuanForm(data={"comment": ""})
    assert not form.is_valid()
    assert {"keandalan_sumber", "kredibilitas_informasi"} <= set(form.errors)


# -- retraction ---------------------------------------------------------------------------

def test_retraction_end_to_end(client, people):
    petugas, verifikator, pimpinan = people["petugas"], people["verifikator"], people["pimpinan"]
    from cms.platform.plugins import set_enabled
    from plugins.webhooks.models import Delivery, Endpoint

    set_enabled("webhooks", True)
    Endpoint.objects.create(nama="BPBD", url="http://127.0.0.1:9/", events=["report.retracted"])
    laporan = verified_report(petugas, verifikator, klasifikasi="publik")
    url = laporan.get_absolute_url()
    assert client.get(url).status_code == 200
    revisions = Revision.objects.for_instance(laporan).count()

    services.retract(laporan, verifikator, "Kejadian ternyata tidak terjadi.")
    laporan = Laporan.objects.get(pk=laporan.pk)
    assert laporan.status == Status.DITARIK and not laporan.live
    assert laporan.ditarik_oleh == verifikator and laporan.alasan_penarikan

    response = client.get(url)
    assert response.status_code == 410
    assert laporan.nomor in response.content.decode()
    assert "tidak terjadi" not in response.content.decode()  # the reason stays internal
    assert laporan.judul not in client.get("/laporan/").content.decode()

    entry = ModelLogEntry.objects.get(object_id=str(laporan.pk), action=transitions.RETRACT_ACTION)
    assert entry.user == verifikator and entry.data["alasan"].startswith("Kejadian")
    assert Revision.objects.for_instance(laporan).count() == revisions
    assert PenilaianVerifikasi.objects.filter(laporan=laporan).exists()
    told = set(
        Notifikasi.objects.filter(laporan=laporan, peristiwa="report.retracted")
        .values_list("penerima__username", flat=True)
    )
    assert told == {"petugas.t", "pimpinan.t"}  # the actor hears nothing of their own act
    delivery = Delivery.objects.get(event="report.retracted")
    assert delivery.payload["report"]["nomor"] == laporan.nomor
    assert "tidak terjadi" not in str(delivery.payload)  # the reason stays internal
    from cms.reports.permissions import laporan_policy

    assert laporan_policy.user_can_view(pimpinan, laporan)


def test_retraction_refused_for_those_who_may_not(people):
    petugas, verifikator = people["petugas"], people["verifikator"]
    laporan = verified_report(petugas, verifikator)
    with pytest.raises(PermissionDenied):
        services.retract(laporan, petugas, "Saya ingin menariknya.")
    with pytest.raises(PermissionDenied):
        services.retract(laporan, people["pimpinan"], "Tidak sesuai.")
    # Another kecamatan's verifier reads a public report like anyone, no more…
    with pytest.raises(PermissionDenied):
        services.retract(laporan, people["halong"], "Tidak sesuai.")
    # …and a restricted one does not exist for them.
    terbatas = verified_report(petugas, verifikator, klasifikasi="terbatas")
    with pytest.raises(ValidationError) as refused:
        services.retract(terbatas, people["halong"], "Tidak sesuai.")
    assert refused.value.error_dict["id"][0].code == "not_found"
    with pytest.raises(ValidationError) as refused:
        services.retract(laporan, verifikator, "   ")
    assert refused.value.error_dict["alasan"][0].code == "required"
    waiting = make_report(petugas, submit=True)
    with pytest.raises(ValidationError) as refused:
        services.retract(waiting, people["administrator"], "Belum diverifikasi.")
    assert refused.value.error_list[0].code == "invalid_state"
    assert Laporan.objects.get(pk=laporan.pk).live


def test_a_sent_report_is_not_erased_by_its_officer_and_only_with_confirmation(people):
    petugas, administrator = people["petugas"], people["administrator"]
    laporan = make_report(petugas, submit=True)
    with pytest.raises(PermissionDenied):
        services.delete_report(laporan, petugas)
    with pytest.raises(ValidationError) as refused:
        services.delete_report(laporan, administrator)
    assert refused.value.error_dict["confirm"][0].code == "required"
    assert Laporan.objects.filter(pk=laporan.pk).exists()
    services.delete_report(laporan, administrator, confirm=True)
    assert not Laporan.objects.filter(pk=laporan.pk).exists()
    assert ModelLogEntry.objects.filter(
        object_id=str(laporan.pk), action="wagtail.delete", user=administrator
    ).exists()


def test_a_correction_of_a_public_report_is_an_update_not_news(people):
    petugas, verifikator, administrator = (
        people["petugas"], people["verifikator"], people["administrator"]
    )
    guest = factories.make_user(roles.PENGGUNA, "warga.t")
    guest.langganan.create(kecamatan=factories.kecamatan("paringin"))
    laporan = verified_report(petugas, verifikator, klasifikasi="publik")
    assert Notifikasi.objects.filter(penerima=guest, peristiwa="report.published").count() == 1

    # The administrator corrects the verified report and sends it to verification again.
    corrected = laporan.get_latest_revision_as_object()
    corrected.judul = "Judul dikoreksi"
    corrected.save_revision(user=administrator)
    services.submit(laporan, administrator)
    services.act(laporan, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2")

    assert Laporan.objects.get(pk=laporan.pk).judul == "Judul dikoreksi"
    assert Notifikasi.objects.filter(penerima=guest).count() == 1
    assert not Notifikasi.objects.filter(peristiwa="report.updated").exists()


def _edit_form(laporan, **changes):
    from wagtail.test.utils.form_data import inline_formset, nested_form_data

    data = {
        "judul": laporan.judul, "periode": laporan.periode, "urgensi": laporan.urgensi,
        "klasifikasi": laporan.klasifikasi, "jenis_athg": laporan.jenis_athg_id,
        "aspek": laporan.aspek_id, "kecamatan": laporan.kecamatan_id, "desa": "",
        "waktu_kejadian": laporan.waktu_kejadian.strftime("%Y-%m-%d %H:%M"),
        "fakta": laporan.fakta, "analisis": laporan.analisis,
        "rekomendasi": laporan.rekomendasi, "sumber_informasi": laporan.sumber_informasi,
        "latitude": "", "longitude": "", "akurasi_m": "",
        "lampiran": inline_formset([]),
        **changes,
    }
    return nested_form_data(data)


def test_admin_edit_over_a_newer_revision_is_refused(client, people):
    petugas, administrator = people["petugas"], people["administrator"]
    laporan = make_report(petugas)
    loaded = laporan.latest_revision_id
    services.update_report(laporan, petugas, fakta="Diubah petugas dari ponsel.")
    client.force_login(administrator)
    response = client.post(
        f"{ADMIN}edit/{laporan.pk}/",
        _edit_form(laporan, fakta="Koreksi admin", loaded_revision_id=str(loaded)),
    )
    assert response.status_code == 200  # the form again, with the message
    assert "diubah orang lain" in response.content.decode()
    latest = Laporan.objects.get(pk=laporan.pk).get_latest_revision_as_object()
    assert latest.fakta == "Diubah petugas dari ponsel."

    fresh = Laporan.objects.get(pk=laporan.pk)
    response = client.post(
        f"{ADMIN}edit/{laporan.pk}/",
        _edit_form(fresh, fakta="Koreksi admin", loaded_revision_id=str(fresh.latest_revision_id)),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert Laporan.objects.get(pk=laporan.pk).get_latest_revision_as_object().fakta == (
        "Koreksi admin"
    )


def test_admin_delete_view_deletes_through_the_service(client, people):
    petugas, verifikator, administrator = (
        people["petugas"], people["verifikator"], people["administrator"]
    )
    laporan = make_report(petugas, submit=True, uploads=[photo()])
    name = laporan.lampiran.get().berkas.name
    client.force_login(verifikator)
    client.post(f"{ADMIN}delete/{laporan.pk}/")  # refused by Wagtail's permission check
    assert Laporan.objects.filter(pk=laporan.pk).exists()

    Laporan.objects.filter(pk=laporan.pk).update(locked=True, locked_by=verifikator)
    client.force_login(administrator)
    client.post(f"{ADMIN}delete/{laporan.pk}/")
    assert Laporan.objects.filter(pk=laporan.pk).exists()  # locked by someone else

    Laporan.objects.filter(pk=laporan.pk).update(locked=False, locked_by=None)
    assert client.post(f"{ADMIN}delete/{laporan.pk}/").status_code == 302
    assert not Laporan.objects.filter(pk=laporan.pk).exists()
    assert name not in private_files()
    assert ModelLogEntry.objects.filter(
        object_id=str(laporan.pk), action="wagtail.delete", user=administrator
    ).count() == 1


def test_orphan_command_keeps_files_of_revisions_and_derived_copies(people):
    petugas = people["petugas"]
    laporan = make_report(petugas, uploads=[photo()])
    original = laporan.lampiran.get().berkas.name
    storage = files.private_storage()
    # An edit removes the attachment; the first revision still shows it.
    laporan.lampiran.all().delete()
    assert original in private_files()  # the report still exists
    derived = storage.save(f"{original}.thumb.jpg", io.BytesIO(b"rendition"))
    stray_copy = storage.save("laporan/2020/01/hilang.jpg.thumb.jpg", io.BytesIO(b"x"))
    long_ago = (datetime.datetime.now() - datetime.timedelta(days=2)).timestamp()
    for name in (original, derived, stray_copy):
        os.utime(storage.path(name), (long_ago, long_ago))
    call_command("clean_orphan_files", stdout=io.StringIO())
    remaining = private_files()
    assert {original, derived} <= remaining and stray_copy not in remaining
