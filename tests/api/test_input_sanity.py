"""What generated clients and careless or hostile callers send: nulls where
the schema allows them, ids that are not ids, times without an offset,
places outside the regency, text a database cannot hold. Every answer is
typed; nothing is stored by a refused request."""

import datetime
import uuid

import pytest
from django.utils import timezone

from cms.accounts.models import DeviceSession
from cms.notifications.models import PerangkatPush
from cms.reports.models import Laporan
from tests.api.test_reports_api import report_input
from tests.factories import PASSWORD
from tests.reports.reports_factories import make_report

pytestmark = pytest.mark.django_db

WITA = datetime.timezone(datetime.timedelta(hours=8))


def submit(api, **overrides):
    variables = {"clientUuid": str(uuid.uuid4()), "input": report_input(**overrides)}
    return api.op("SubmitReport", variables)


def field_errors(result, mutation="submitReport"):
    return {(e["field"], e["code"]) for e in result["data"][mutation]["errors"]}


def top_level_codes(result):
    return [e.get("extensions", {}).get("code") for e in result.get("errors", [])]


# -- null means the default ---------------------------------------------------


def test_login_and_register_accept_null_for_optional_arguments(api, petugas):
    login = api.op(
        "Login", {"username": "petugas.uji", "password": PASSWORD, "deviceName": None}
    )["data"]["login"]
    assert login["errors"] == [] and login["accessToken"]
    assert DeviceSession.objects.get(user=petugas).device_name == ""
    registered = api.op(
        "Register",
        {"username": "warga.null", "email": "null@example.id", "password": "Kuat-sekali-2026",
         "fullName": None, "deviceName": None},
    )["data"]["register"]
    assert registered["errors"] == [] and registered["user"]["username"] == "warga.null"


def test_lists_accept_null_paging_and_filters(api, petugas):
    make_report(petugas)
    api.login(petugas.username, PASSWORD)
    nulls = {"first": None, "after": None, "orderBy": None, "mine": None, "status": None,
             "search": None, "eventFrom": None, "withTotal": True}
    reports = api.op("Reports", nulls)
    assert "errors" not in reports and reports["data"]["reports"]["totalCount"] == 1
    for name, key in [("News", "newsList"), ("Facilities", "facilities")]:
        result = api.op(name, {"first": None, "after": None})
        assert "errors" not in result and result["data"][key]["nodes"] == []
    inbox = api.op("Notifications", {"first": None, "unreadOnly": None})
    assert "errors" not in inbox


def test_submit_with_null_attachments_submit_and_optional_fields(api, petugas):
    api.login(petugas.username, PASSWORD)
    result = api.op(
        "SubmitReport",
        {
            "clientUuid": str(uuid.uuid4()),
            "attachments": None,
            "submit": None,
            "input": report_input(analisis=None, rekomendasi=None, sumberInformasi=None,
                                  periode=None, urgensi=None, klasifikasi=None, desa=None),
        },
    )["data"]["submitReport"]
    # Before: "Laporan matching query does not exist." (a NOT NULL failure
    # swallowed as a same-UUID race).
    assert result["errors"] == []
    report = result["report"]
    assert report["status"] == "MENUNGGU"  # submit: null is the default, true
    assert (report["analisis"], report["rekomendasi"], report["sumberInformasi"]) == ("", "", "")
    assert (report["periode"], report["urgensi"], report["klasifikasi"]) == (
        "INSIDENTIL", "SEDANG", "TERBATAS"
    )


def test_push_device_and_mark_read_accept_null(api, pengguna):
    api.login(pengguna.username, PASSWORD)
    device = api.op("RegisterPushDevice", {"subscriptionId": "sub-null", "platform": None})
    assert device["data"]["registerPushDevice"]["ok"] is True
    assert PerangkatPush.objects.get(subscription_id="sub-null").platform == ""
    marked = api.op("MarkNotificationsRead", {"ids": None, "all": None})
    assert marked["data"]["markNotificationsRead"] == {"count": 0, "unreadCount": 0, "errors": []}


# -- ids ---------------------------------------------------------------------


@pytest.mark.parametrize("bad_id", ["²", "٣", "9999999999999999999999", "0", "-1", "1e3", " 1", ""])
def test_ids_that_cannot_exist_answer_not_found(api, petugas, bad_id):
    api.login(petugas.username, PASSWORD)
    assert api.op("Report", {"id": bad_id}) == {"data": {"report": None}}
    assert api.op("NewsDetail", {"id": bad_id}) == {"data": {"news": None}}
    facility = api.execute("query($id:ID!){ facility(id: $id) { id } }", {"id": bad_id})
    assert facility == {"data": {"facility": None}}
    update = api.op("UpdateReport", {"id": bad_id, "input": {"judul": "x"}})
    assert field_errors(update, "updateReport") == {("id", "NOT_FOUND")}
    foreign = submit(api, aspek=bad_id)
    assert field_errors(foreign) == {("aspek", "NOT_FOUND")}
    revoke = api.op("RevokeDevice", {"id": bad_id})["data"]["revokeDevice"]
    assert revoke["errors"][0]["code"] == "NOT_FOUND"
    subs = api.op("SetSubscriptions", {"kecamatan": [bad_id], "aspek": []})
    assert subs["data"]["setSubscriptions"]["errors"][0]["code"] == "NOT_FOUND"
    assert Laporan.objects.count() == 0


# -- times, places ------------------------------------------------------------


def test_a_time_without_offset_is_wita(api, petugas):
    api.login(petugas.username, PASSWORD)
    yesterday = (timezone.now().astimezone(WITA) - datetime.timedelta(days=1)).replace(
        hour=8, minute=0, second=0, microsecond=0
    )
    result = submit(api, waktuKejadian=yesterday.strftime("%Y-%m-%dT%H:%M:%S"))
    assert result["data"]["submitReport"]["errors"] == []
    assert Laporan.objects.get().waktu_kejadian == yesterday
    # Changing it the same way.
    laporan = Laporan.objects.get()
    laporan_id = str(laporan.pk)
    api.op("WithdrawReport", {"id": laporan_id})
    later = yesterday + datetime.timedelta(hours=3)
    patched = api.op(
        "UpdateReport",
        {"id": laporan_id, "input": {"waktuKejadian": later.strftime("%Y-%m-%dT%H:%M:%S")}},
    )
    assert patched["data"]["updateReport"]["errors"] == []
    laporan.refresh_from_db()
    assert laporan.waktu_kejadian == later


def test_event_time_window(api, petugas):
    api.login(petugas.username, PASSWORD)
    future = (timezone.now() + datetime.timedelta(hours=1)).isoformat()
    too_old = (timezone.now() - datetime.timedelta(days=400)).isoformat()
    assert field_errors(submit(api, waktuKejadian=future)) == {("waktuKejadian", "INVALID")}
    old = submit(api, waktuKejadian=too_old)
    assert field_errors(old) == {("waktuKejadian", "INVALID")}
    assert "366 hari" in old["data"]["submitReport"]["errors"][0]["message"]
    laporan = make_report(petugas)
    patched = api.op("UpdateReport", {"id": str(laporan.pk), "input": {"waktuKejadian": too_old}})
    assert field_errors(patched, "updateReport") == {("waktuKejadian", "INVALID")}
    assert Laporan.objects.count() == 1


@pytest.mark.parametrize(
    "where",
    [(-6.2, 106.8), (-2.33, 120.0), (3.0, 115.4), (-2.33, -115.4), (-4.3, 115.0)],
    ids=["jakarta", "sulawesi", "north", "wrong-sign", "just-south"],
)
def test_locations_outside_kalimantan_selatan_are_refused(api, petugas, where):
    api.login(petugas.username, PASSWORD)
    latitude, longitude = where
    result = submit(api, latitude=latitude, longitude=longitude)
    assert ("latitude", "INVALID") in field_errors(result)
    assert "di luar wilayah" in str(result)
    assert Laporan.objects.count() == 0


def test_paringin_and_the_corners_of_the_box_are_accepted(api, petugas):
    api.login(petugas.username, PASSWORD)
    for latitude, longitude in [(-2.3349, 115.469), (-4.2, 114.3), (-1.3, 116.6)]:
        result = submit(api, latitude=latitude, longitude=longitude)
        assert result["data"]["submitReport"]["errors"] == [], result


# -- text -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "text", ["Pasar\u0000", "Pasar \ud800", "\udfff"], ids=["nul", "high-surrogate", "low"]
)
def test_nul_and_lone_surrogates_are_refused_everywhere(api, petugas, text):
    api.login(petugas.username, PASSWORD)
    for result in [
        submit(api, judul=text),
        submit(api, fakta="ok", sumberInformasi=text),
        api.op("Reports", {"search": text}),
        api.op("Login", {"username": text, "password": PASSWORD}),
        api.op("RegisterPushDevice", {"subscriptionId": text}),
    ]:
        assert top_level_codes(result) == ["INVALID"], result
        message = result["errors"][0]["message"]
        assert "NUL" in message or "surrogate" in message
        assert "Traceback" not in str(result)
    assert Laporan.objects.count() == 0 and PerangkatPush.objects.count() == 0


def test_text_longer_than_its_limit_is_refused_never_cut(api, petugas):
    api.login(petugas.username, PASSWORD)
    long_title = submit(api, judul="J" * 201)
    assert field_errors(long_title) == {("judul", "INVALID")}
    long_facts = submit(api, fakta="F" * 20_001)
    assert top_level_codes(long_facts) == ["INVALID"]
    assert "20000" in long_facts["errors"][0]["message"]
    accepted = submit(api, fakta="F" * 20_000, judul="J" * 200)
    assert accepted["data"]["submitReport"]["errors"] == []
    assert len(Laporan.objects.get().fakta) == 20_000
    search = api.op("Reports", {"search": "x" * 201})
    assert top_level_codes(search) == ["BAD_USER_INPUT"]
    device = api.op("RegisterPushDevice", {"subscriptionId": "s" * 101})
    assert field_errors(device, "registerPushDevice") == {("subscriptionId", "INVALID")}


def test_empty_required_text_is_required(api, petugas):
    api.login(petugas.username, PASSWORD)
    result = submit(api, judul="   ", fakta="")
    assert field_errors(result) == {("judul", "REQUIRED"), ("fakta", "REQUIRED")}


def test_reused_client_uuid_with_different_content_returns_the_first_report(api, petugas):
    api.login(petugas.username, PASSWORD)
    client_uuid = str(uuid.uuid4())
    first = api.op("SubmitReport", {"clientUuid": client_uuid, "input": report_input()})
    again = api.op(
        "SubmitReport",
        {"clientUuid": client_uuid, "input": report_input(judul="Isi lain sama sekali")},
    )
    first_report = first["data"]["submitReport"]["report"]
    assert again["data"]["submitReport"] == {"report": first_report, "errors": []}
    assert Laporan.objects.get().judul == "Keributan di pasar"


def test_introspection_arguments_pass_the_argument_rules(api):
    result = api.execute('{ __type(name: "ReportOrder") { enumValues { name } } }')
    assert result == {
        "data": {"__type": {"enumValues": [{"name": "NEWEST"}, {"name": "EVENT_TIME"}]}}
    }
