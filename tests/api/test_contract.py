"""The contract in graphql/ matches the code, and every operation a mobile
client sends runs end to end."""

import uuid

import pytest
from django.core.management import call_command
from graphql import parse, validate

from cms.api.contract import CONTRACT_DIR, load_operation, operation_names, printed_schema
from cms.api.schema import schema
from cms.reports import services
from tests import factories
from tests.factories import PASSWORD
from tests.reports.reports_factories import photo, report_fields

pytestmark = pytest.mark.django_db


def test_schema_file_matches_the_code():
    assert (CONTRACT_DIR / "schema.graphql").read_text() == printed_schema()
    call_command("graphql_contract", "--check")


@pytest.mark.parametrize("name", operation_names())
def test_operation_documents_are_valid(name):
    assert validate(schema.graphql_schema, parse(load_operation(name))) == []


def test_every_operation_runs_end_to_end(api, petugas, verifikator, administrator):
    """One officer's day, through the contract's documents only."""
    from cms.reports.models import Aspek, JenisATHG

    factories.make_news("Rapat koordinasi", lead_image=factories.make_image())
    news_id = str(factories.make_news("Sosialisasi").pk)
    factories.make_facility("Polsek Halong", photo=factories.make_image())
    ran = set()

    def run(name, variables=None, **kwargs):
        result = api.op(name, variables, **kwargs)
        assert "errors" not in result, (name, result)
        ran.add(name)
        return result["data"]

    guest = run(
        "Register",
        {"username": "warga.kontrak", "email": "k@example.id", "password": "Kuat-sekali-2026"},
    )["register"]
    assert guest["errors"] == []
    login = run("Login", {"username": "petugas.uji", "password": PASSWORD, "deviceName": "HP"})[
        "login"
    ]
    api.token = login["accessToken"]
    me = run("Me")
    run("MasterData", {"kecamatan": "paringin"})
    assert run("News", {"first": 5, "withTotal": True})["newsList"]["totalCount"] == 2
    assert run("NewsDetail", {"id": news_id})["news"]["title"] == "Sosialisasi"
    facilities = run("Facilities", {"kind": "PUSKESMAS", "withTotal": True})["facilities"]
    assert facilities["totalCount"] == 1 and facilities["totalCountCapped"] is False

    variables = {
        "clientUuid": str(uuid.uuid4()),
        "submit": False,
        "attachments": [None],
        "input": {
            "judul": "Uji kontrak",
            "periode": "HARIAN",
            "jenisAthg": str(JenisATHG.objects.first().pk),
            "aspek": str(Aspek.objects.first().pk),
            "urgensi": "SEDANG",
            "kecamatan": me["me"]["kecamatanPelaporan"][0]["id"],
            "waktuKejadian": "2026-11-27T07:00:00+08:00",
            "fakta": "Fakta uji.",
            "klasifikasi": "PUBLIK",
        },
    }
    submitted = api.upload("SubmitReport", variables, {"variables.attachments.0": photo()})
    assert submitted["data"]["submitReport"]["errors"] == []
    ran.add("SubmitReport")
    report = submitted["data"]["submitReport"]["report"]
    report_id = report["id"]
    updated = run(
        "UpdateReport",
        {
            "id": report_id,
            "input": {"judul": "Uji kontrak (revisi)", "analisis": None},
            "expectedRevision": None,
        },
    )
    assert updated["updateReport"]["errors"] == []
    removed = run(
        "RemoveAttachment",
        {"reportId": report_id, "attachmentId": report["attachments"][0]["id"]},
    )["removeAttachment"]
    assert removed["errors"] == [] and removed["report"]["attachments"] == []
    run("ResubmitReport", {"id": report_id})
    run("WithdrawReport", {"id": report_id})
    assert run("Report", {"id": report_id})["report"]["judul"] == "Uji kontrak (revisi)"
    assert run("Reports", {"mine": True, "withTotal": True})["reports"]["totalCount"] == 1
    run("RegisterPushDevice", {"subscriptionId": "onesignal-sub-1", "platform": "ANDROID"})
    kecamatan_id = me["me"]["kecamatanPelaporan"][0]["id"]
    run("SetSubscriptions", {"kecamatan": [kecamatan_id], "aspek": []})
    run("Subscriptions")
    run("Notifications", {"first": 10})
    run("MarkNotificationsRead", {"all": True})
    devices = run("Me")["myDevices"]
    second = api.login("petugas.uji", PASSWORD, device="Tablet")
    run("RevokeDevice", {"id": devices[0]["id"]}, token=second["accessToken"])
    refreshed = run("RefreshToken", {"refreshToken": second["refreshToken"]})["refreshToken"]
    api.token = refreshed["accessToken"]
    run("Logout")
    # These documents run end to end in their domain's tests.
    from tests.compliance.test_nihil import OPERATIONS as COMPLIANCE_OPERATIONS
    from tests.followup.test_api import OPERATIONS as FOLLOWUP_OPERATIONS
    from tests.followup.test_incident_api import OPERATIONS as INCIDENT_OPERATIONS
    from tests.recaps.test_api import OPERATIONS as RECAP_OPERATIONS

    assert ran | FOLLOWUP_OPERATIONS | INCIDENT_OPERATIONS | COMPLIANCE_OPERATIONS | (
        RECAP_OPERATIONS
    ) == set(operation_names())


def test_demo_officer_report_flow_matches_services(petugas):
    # The same rules hold when the service is called directly (used by the admin and demo).
    laporan = services.create_report(petugas, **report_fields())
    assert laporan.client_uuid is not None
