import threading
import uuid

import pytest
from django.db import connection

from cms.accounts import roles
from cms.reports import services
from cms.reports.models import Lampiran, Laporan, Status
from tests import factories
from tests.factories import PASSWORD
from tests.reports.reports_factories import photo

pytestmark = pytest.mark.django_db


def report_input(**overrides):
    from cms.reports.models import Aspek, JenisATHG

    values = {
        "judul": "Keributan di pasar",
        "periode": "INSIDENTIL",
        "jenisAthg": str(JenisATHG.objects.get(slug="gangguan").pk),
        "aspek": str(Aspek.objects.get(slug="sosial-budaya").pk),
        "urgensi": "TINGGI",
        "kecamatan": str(factories.kecamatan("paringin").pk),
        "waktuKejadian": "2026-11-27T08:00:00+08:00",
        "fakta": "Dua kelompok pemuda bersitegang.",
        "sumberInformasi": "Ketua RT 03",
        "klasifikasi": "PUBLIK",
        "latitude": -2.3349,
        "longitude": 115.469,
    }
    values.update(overrides)
    return values


def submit_with_photos(api, client_uuid, count=2):
    files = {f"variables.attachments.{i}": photo(f"foto{i}.jpg") for i in range(count)}
    variables = {"clientUuid": client_uuid, "input": report_input(), "attachments": [None] * count}
    return api.upload("SubmitReport", variables, files)


def test_officer_submits_with_two_photos_and_a_retry_makes_no_duplicate(api, petugas):
    api.login("petugas.uji", PASSWORD)
    client_uuid = str(uuid.uuid4())
    first = submit_with_photos(api, client_uuid)["data"]["submitReport"]
    assert first["errors"] == []
    report = first["report"]
    assert report["status"] == "MENUNGGU" and report["nomor"].startswith("SKD-")
    assert [a["jenis"] for a in report["attachments"]] == ["FOTO", "FOTO"]
    assert report["clientUuid"] == client_uuid and report["sumberInformasi"] == "Ketua RT 03"

    retry = submit_with_photos(api, client_uuid)["data"]["submitReport"]
    assert retry["report"]["id"] == report["id"]
    assert Laporan.objects.count() == 1 and Lampiran.objects.count() == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_racing_retries_still_make_one_report(petugas):
    if connection.vendor == "sqlite":
        pytest.skip("SQLite serialises writers; the race needs a real server (PostgreSQL in CI).")
    from cms.reports.models import Aspek, JenisATHG

    fields = {
        "judul": "Balapan", "kecamatan": factories.kecamatan("paringin"),
        "jenis_athg": JenisATHG.objects.first(), "aspek": Aspek.objects.first(),
        "waktu_kejadian": "2026-11-27T08:00:00+08:00", "fakta": "x", "klasifikasi": "publik",
    }
    client_uuid = uuid.uuid4()
    results, barrier = [], threading.Barrier(2)

    def attempt():
        barrier.wait()
        try:
            results.append(services.create_report(petugas, client_uuid=client_uuid, **fields).pk)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 2 and results[0] == results[1]
    assert Laporan.objects.filter(client_uuid=client_uuid).count() == 1


def test_unverified_report_is_invisible_to_other_kecamatan_and_guests(api, petugas, pengguna):
    api.login("petugas.uji", PASSWORD)
    report_id = submit_with_photos(api, str(uuid.uuid4()), 1)["data"]["submitReport"]["report"][
        "id"
    ]

    other = factories.make_user(
        roles.PETUGAS, username="petugas.halong", kecamatan=[factories.kecamatan("halong")]
    )
    for username in [other.username, pengguna.username]:
        api.login(username, PASSWORD)
        assert api.op("Report", {"id": report_id})["data"]["report"] is None
        assert api.op("Reports", {"withTotal": True})["data"]["reports"]["totalCount"] == 0
    api.token = None
    assert api.op("Report", {"id": report_id})["data"]["report"] is None
    # An id the user may not see answers exactly like an id that does not exist.
    assert api.op("Report", {"id": "999999"}) == api.op("Report", {"id": report_id})

    verifier = factories.make_user(roles.VERIFIKATOR, kecamatan=[factories.kecamatan("paringin")])
    services.act(
        Laporan.objects.get(pk=report_id),
        verifier,
        "approve",
        keandalan_sumber="B",
        kredibilitas_informasi="2",
    )
    api.login(pengguna.username, PASSWORD)
    seen = api.op("Report", {"id": report_id})["data"]["report"]
    assert seen["status"] == "TERVERIFIKASI"
    # Restricted fields never reach a guest.
    assert seen["sumberInformasi"] is None and seen["reporter"] is None
    assert (
        seen["grading"] is None and seen["verifierComments"] is None and seen["clientUuid"] is None
    )


def test_officer_sees_own_reports_with_state_and_verifier_comments(api, petugas, verifikator):
    laporan = services.create_report(petugas, submit=True, **_fields())
    services.act(laporan, verifikator, "reject", comment="Tambahkan jumlah massa.")
    api.login("petugas.uji", PASSWORD)
    page = api.op("Reports", {"mine": True})["data"]["reports"]
    item = page["nodes"][0]
    assert item["status"] == "PERLU_PERBAIKAN" and item["editable"] is True
    assert item["verifierComments"][0] == {
        "action": "NEEDS_CHANGES",
        "comment": "Tambahkan jumlah massa.",
        "at": item["verifierComments"][0]["at"],
    }

    updated = api.op("UpdateReport", {"id": item["id"], "input": {"fakta": "Sekitar 40 orang."}})
    assert updated["data"]["updateReport"]["errors"] == []
    resubmitted = api.op("ResubmitReport", {"id": item["id"]})["data"]["resubmitReport"]
    assert (
        resubmitted["report"]["status"] == "MENUNGGU"
        and resubmitted["report"]["fakta"] == "Sekitar 40 orang."
    )
    withdrawn = api.op("WithdrawReport", {"id": item["id"]})["data"]["withdrawReport"]
    assert withdrawn["report"]["status"] == "DRAF"


def test_verifier_sees_their_kecamatan_only(api, petugas, verifikator):
    services.create_report(petugas, submit=True, **_fields())
    halong_officer = factories.make_user(roles.PETUGAS, kecamatan=[factories.kecamatan("halong")])
    services.create_report(
        halong_officer, submit=True, **_fields(kecamatan=factories.kecamatan("halong"))
    )
    api.login(verifikator.username, PASSWORD)
    items = api.op("Reports", {})["data"]["reports"]["nodes"]
    assert [i["kecamatan"]["nama"] for i in items] == ["Paringin"]
    assert items[0]["reporter"]["fullName"] == petugas.username


def test_errors_are_typed_translated_and_store_nothing(api, petugas):
    api.login("petugas.uji", PASSWORD)
    bad = report_input(
        kecamatan=str(factories.kecamatan("halong").pk), waktuKejadian="2099-01-01T00:00:00+08:00"
    )
    result = api.op("SubmitReport", {"clientUuid": str(uuid.uuid4()), "input": bad})
    errors = result["data"]["submitReport"]["errors"]
    fields = {e["field"] for e in errors}
    assert {"kecamatan", "waktuKejadian"} <= fields
    assert any("tidak ditugaskan" in e["message"] for e in errors)
    assert Laporan.objects.count() == 0
    english = api.op("SubmitReport", {"clientUuid": str(uuid.uuid4()), "input": bad}, language="en")
    assert english["data"]["submitReport"]["errors"]
    unknown = api.op(
        "SubmitReport", {"clientUuid": str(uuid.uuid4()), "input": report_input(aspek="424242")}
    )
    assert unknown["data"]["submitReport"]["errors"][0]["field"] == "aspek"
    # A value of the wrong type is refused by GraphQL itself, with no stack trace.
    wrong_type = api.op(
        "SubmitReport", {"clientUuid": str(uuid.uuid4()), "input": report_input(latitude="abc")}
    )
    assert "errors" in wrong_type and "Traceback" not in str(wrong_type)
    assert Laporan.objects.count() == 0


def test_disguised_file_is_refused_and_nothing_is_stored(api, petugas):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api.login("petugas.uji", PASSWORD)
    fake = SimpleUploadedFile(
        "foto.jpg", b"#!/bin/sh\necho bukan foto\n", content_type="image/jpeg"
    )
    result = api.upload(
        "SubmitReport",
        {"clientUuid": str(uuid.uuid4()), "input": report_input(), "attachments": [None]},
        {"variables.attachments.0": fake},
    )
    errors = result["data"]["submitReport"]["errors"]
    assert errors[0]["field"] == "lampiran" and errors[0]["code"] == "FILE_TYPE"
    assert Laporan.objects.count() == 0 and Lampiran.objects.count() == 0


def test_guest_cannot_submit(api, pengguna):
    api.login(pengguna.username, PASSWORD)
    result = api.op("SubmitReport", {"clientUuid": str(uuid.uuid4()), "input": report_input()})
    assert result["data"]["submitReport"]["report"] is None
    assert Laporan.objects.count() == 0
    api.token = None
    anonymous = api.op("SubmitReport", {"clientUuid": str(uuid.uuid4()), "input": report_input()})
    assert anonymous["data"]["submitReport"]["errors"][0]["code"] == "PERMISSION_DENIED"


def test_officer_cannot_update_a_report_waiting_for_verification(api, petugas):
    laporan = services.create_report(petugas, submit=True, **_fields())
    api.login("petugas.uji", PASSWORD)
    result = api.op("UpdateReport", {"id": str(laporan.pk), "input": {"judul": "Diubah"}})
    # The reporter may see it; it is its state that forbids the change.
    assert result["data"]["updateReport"]["errors"][0]["code"] == "INVALID_STATE"
    laporan.refresh_from_db()
    assert laporan.judul != "Diubah" and laporan.status == Status.MENUNGGU


def test_another_officer_cannot_update_or_even_find_the_report(api, petugas):
    laporan = services.create_report(petugas, **_fields())
    other = factories.make_user(roles.PETUGAS, kecamatan=[factories.kecamatan("paringin")])
    api.login(other.username, PASSWORD)
    result = api.op("UpdateReport", {"id": str(laporan.pk), "input": {"judul": "Diubah"}})
    assert result["data"]["updateReport"]["errors"] == [
        {"field": "id", "code": "NOT_FOUND", "message": "Laporan tidak ditemukan."}
    ]
    removed = api.op(
        "RemoveAttachment", {"reportId": str(laporan.pk), "attachmentId": "1"}
    )["data"]["removeAttachment"]
    assert removed["errors"][0]["code"] == "NOT_FOUND"
    laporan.refresh_from_db()
    assert laporan.judul != "Diubah"


def test_withdrawing_a_draft_is_invalid_state(api, petugas):
    laporan = services.create_report(petugas, **_fields())
    api.login("petugas.uji", PASSWORD)
    result = api.op("WithdrawReport", {"id": str(laporan.pk)})["data"]["withdrawReport"]
    assert result["report"] is None and result["errors"][0]["code"] == "INVALID_STATE"
    pending = services.submit(laporan, petugas)
    again = api.op("ResubmitReport", {"id": str(pending.pk)})["data"]["resubmitReport"]
    assert again["errors"][0]["code"] == "INVALID_STATE"


def test_required_fields_of_a_patch_cannot_be_nulled(api, petugas):
    laporan = services.create_report(petugas, **_fields())
    api.login("petugas.uji", PASSWORD)
    result = api.op(
        "UpdateReport",
        {"id": str(laporan.pk), "input": {"judul": None, "aspek": None, "analisis": None}},
    )["data"]["updateReport"]
    assert {(e["field"], e["code"]) for e in result["errors"]} == {
        ("judul", "REQUIRED"),
        ("aspek", "REQUIRED"),
    }
    blank = api.op("UpdateReport", {"id": str(laporan.pk), "input": {"judul": "  "}})
    assert blank["data"]["updateReport"]["errors"][0]["code"] == "REQUIRED"
    laporan.refresh_from_db()
    assert laporan.judul and laporan.analisis


def test_patch_null_empties_what_may_be_empty_and_leaves_the_rest(api, petugas):
    laporan = services.create_report(petugas, **_fields(desa=None))
    api.login("petugas.uji", PASSWORD)
    result = api.op(
        "UpdateReport",
        {
            "id": str(laporan.pk),
            "input": {"analisis": None, "sumberInformasi": None, "latitude": None,
                      "longitude": None, "akurasiM": None},
        },
    )["data"]["updateReport"]
    assert result["errors"] == []
    report = result["report"]
    assert report["analisis"] == "" and report["sumberInformasi"] == ""
    assert report["latitude"] is None and report["longitude"] is None
    assert report["judul"] == laporan.judul and report["fakta"] == laporan.fakta


def test_officer_removes_an_attachment_while_editable_only(api, petugas, verifikator):
    api.login("petugas.uji", PASSWORD)
    report = submit_with_photos(api, str(uuid.uuid4()), 2)["data"]["submitReport"]["report"]
    first, second = report["attachments"]
    pending = api.op("RemoveAttachment", {"reportId": report["id"], "attachmentId": first["id"]})
    assert pending["data"]["removeAttachment"]["errors"][0]["code"] == "INVALID_STATE"
    assert Lampiran.objects.count() == 2

    services.act(Laporan.objects.get(pk=report["id"]), verifikator, "reject", comment="Foto 1?")
    revisions = Laporan.objects.get(pk=report["id"]).revisions.count()
    removed = api.op(
        "RemoveAttachment", {"reportId": report["id"], "attachmentId": first["id"]}
    )["data"]["removeAttachment"]
    assert removed["errors"] == []
    assert [a["id"] for a in removed["report"]["attachments"]] == [second["id"]]
    # The removal is a step in the report's history.
    assert Laporan.objects.get(pk=report["id"]).revisions.count() == revisions + 1
    gone = api.op("RemoveAttachment", {"reportId": report["id"], "attachmentId": first["id"]})
    assert gone["data"]["removeAttachment"]["errors"][0]["code"] == "NOT_FOUND"
    # Someone else's attachment id is not found on my report either.
    other = services.create_report(petugas, uploads=[photo()], **_fields())
    foreign = other.lampiran.get().pk
    mixed = api.op(
        "RemoveAttachment", {"reportId": report["id"], "attachmentId": str(foreign)}
    )["data"]["removeAttachment"]
    assert mixed["errors"][0]["code"] == "NOT_FOUND" and Lampiran.objects.filter(pk=foreign)


def test_report_exposes_its_revision_only_to_who_may_edit_it(api, petugas, pengguna, verifikator):
    laporan = services.create_report(petugas, **_fields())
    api.login("petugas.uji", PASSWORD)
    mine = api.op("Report", {"id": str(laporan.pk)})["data"]["report"]
    assert mine["revision"] == str(Laporan.objects.get(pk=laporan.pk).latest_revision_id)
    services.submit(laporan, petugas)
    assert api.op("Report", {"id": str(laporan.pk)})["data"]["report"]["revision"] is None


def test_stale_expected_revision_is_a_conflict_and_changes_nothing(api, petugas):
    laporan = services.create_report(petugas, **_fields())
    api.login("petugas.uji", PASSWORD)
    stale = api.op("Report", {"id": str(laporan.pk)})["data"]["report"]["revision"]
    fresh = api.op(
        "UpdateReport",
        {"id": str(laporan.pk), "input": {"judul": "Versi HP 1"}, "expectedRevision": stale},
    )["data"]["updateReport"]
    assert fresh["errors"] == [] and fresh["report"]["revision"] != stale
    late = api.op(
        "UpdateReport",
        {"id": str(laporan.pk), "input": {"judul": "Versi HP 2"}, "expectedRevision": stale},
    )["data"]["updateReport"]
    assert late["report"] is None and late["errors"][0]["code"] == "CONFLICT"
    laporan.refresh_from_db()
    assert laporan.judul == "Versi HP 1"


def _fields(**overrides):
    from tests.reports.reports_factories import report_fields

    return report_fields(**overrides)


def test_app_downloads_its_own_private_attachment_with_its_token(api, client, petugas, pengguna):
    api.login("petugas.uji", PASSWORD)
    report = submit_with_photos(api, str(uuid.uuid4()), 1)["data"]["submitReport"]["report"]
    url = report["attachments"][0]["url"].replace("http://testserver", "")
    owner = client.get(url, headers={"authorization": f"Bearer {api.token}"})
    assert owner.status_code == 200 and owner["Content-Type"] == "image/jpeg"
    guest_token = api.login(pengguna.username, PASSWORD)["accessToken"]
    assert client.get(url, headers={"authorization": f"Bearer {guest_token}"}).status_code == 404
    assert client.get(url, headers={"authorization": "Bearer skd_a_palsu"}).status_code == 401
    assert client.get(url).status_code == 404
