"""Linking reports into incidents through the API, with the contract's own
documents: a verifier of the kecamatan and administrators may; the change
goes through the transition service (audit entry, webhook); refusals are
typed and write nothing; a report the caller may not see is NOT_FOUND,
exactly like one that does not exist."""

import pytest
from wagtail.models import ModelLogEntry

from cms.accounts import roles
from cms.followup import transitions
from cms.followup.models import Kejadian, TautanKejadian
from cms.platform.plugins import set_enabled
from plugins.webhooks.models import Delivery, Endpoint
from tests import factories
from tests.reports.reports_factories import make_report, verified_report

from .conftest import agency, due, make_member

pytestmark = pytest.mark.django_db

OPERATIONS = {"LinkReportToIncident", "SetIncidentStatus", "UnlinkReportFromIncident"}


@pytest.fixture
def halong(db):
    kecamatan = factories.kecamatan("halong")
    return {
        "petugas": factories.make_user(roles.PETUGAS, "petugas.halong", kecamatan=[kecamatan]),
        "verifikator": factories.make_user(roles.VERIFIKATOR, "verif.halong",
                                           kecamatan=[kecamatan]),
    }


@pytest.fixture
def reports(petugas, verifikator, halong):
    return {
        "flood": verified_report(petugas, verifikator, judul="Banjir di pasar",
                                 klasifikasi="terbatas"),
        "same": verified_report(petugas, verifikator, judul="Air naik di pasar",
                                klasifikasi="terbatas"),
        "third": verified_report(petugas, verifikator, judul="Banjir, laporan ketiga",
                                 klasifikasi="terbatas"),
        "halong": verified_report(halong["petugas"], halong["verifikator"],
                                  judul="Banjir di perbatasan", klasifikasi="terbatas",
                                  kec="halong"),
    }


def as_user(api, user):
    api.login(user.username, factories.PASSWORD)
    return api


def link(api, **variables):
    result = api.op("LinkReportToIncident", variables)
    assert "errors" not in result, result
    return result["data"]["linkReportToIncident"]


def unlink(api, report):
    result = api.op("UnlinkReportFromIncident", {"reportId": report.pk})
    assert "errors" not in result, result
    return result["data"]["unlinkReportFromIncident"]


def codes(payload):
    return [(e["field"], e["code"]) for e in payload["errors"]]


def test_verifier_links_and_unlinks_through_the_api(api, reports, verifikator):
    set_enabled("webhooks", True)
    Endpoint.objects.create(nama="BPBD", url="http://127.0.0.1:9/", events=["incident.linked"])
    as_user(api, verifikator)
    made = link(api, reportId=reports["flood"].pk, withReportIds=[reports["same"].pk],
                title="Banjir Pasar Paringin")
    assert made["errors"] == []
    incident = made["incident"]
    assert incident["title"] == "Banjir Pasar Paringin" and incident["status"] == "AKTIF"
    assert {r["judul"] for r in incident["reports"]} == {"Banjir di pasar", "Air naik di pasar"}
    assert made["report"]["incident"]["id"] == incident["id"]
    kejadian = Kejadian.objects.get()
    assert str(kejadian.pk) == incident["id"]

    added = link(api, reportId=reports["third"].pk, incidentId=incident["id"])
    assert added["errors"] == [] and len(added["incident"]["reports"]) == 3
    for laporan in (reports["flood"], reports["same"], reports["third"]):
        assert ModelLogEntry.objects.for_instance(laporan).filter(
            action=transitions.LINK_ACTION).count() == 1
    assert Delivery.objects.filter(event="incident.linked").count() == 3

    gone = unlink(api, reports["third"])
    assert gone["errors"] == [] and gone["report"]["incident"] is None
    assert ModelLogEntry.objects.for_instance(reports["third"]).filter(
        action=transitions.UNLINK_ACTION).count() == 1
    assert kejadian.tautan.count() == 2
    # Not in an incident any more: nothing to unlink.
    assert codes(unlink(api, reports["third"])) == [(None, "INVALID_STATE")]


def test_refusals_are_typed_and_write_nothing(api, client, reports, verifikator, halong,
                                              petugas, pimpinan, administrator):
    kejadian = transitions.link(verifikator, [reports["flood"].pk, reports["same"].pk],
                                judul="Banjir")
    other = transitions.link(halong["verifikator"], [reports["halong"].pk, verified_report(
        halong["petugas"], halong["verifikator"], judul="Air naik di perbatasan",
        klasifikasi="terbatas", kec="halong").pk], judul="Banjir Halong")
    before = set(TautanKejadian.objects.values_list("laporan_id", "kejadian_id"))
    api = as_user(api, verifikator)

    # A report of another kecamatan (terbatas): as if it did not exist.
    assert codes(link(api, reportId=reports["halong"].pk, incidentId=kejadian.pk)) == [
        ("reportId", "NOT_FOUND")]
    assert codes(link(api, reportId=999999, incidentId=kejadian.pk)) == [
        ("reportId", "NOT_FOUND")]
    assert codes(link(api, reportId="abc", incidentId=kejadian.pk)) == [
        ("reportId", "NOT_FOUND")]
    assert codes(link(api, reportId=reports["third"].pk,
                      withReportIds=[reports["halong"].pk], title="X")) == [
        ("reportId", "NOT_FOUND")]
    # An incident of which the verifier may see no report: NOT_FOUND too.
    assert codes(link(api, reportId=reports["third"].pk, incidentId=other.pk)) == [
        ("incidentId", "NOT_FOUND")]
    assert codes(link(api, reportId=reports["third"].pk, incidentId=999999)) == [
        ("incidentId", "NOT_FOUND")]
    # Already in another incident; a new incident needs a title and a second report.
    assert codes(link(api, reportId=reports["flood"].pk,
                      withReportIds=[reports["third"].pk], title="Lain")) == [
        ("reportId", "INVALID_STATE")]
    assert codes(link(api, reportId=reports["third"].pk, title="Sendiri")) == [
        ("reportId", "INVALID")]
    assert codes(link(api, reportId=reports["third"].pk,
                      withReportIds=[reports["same"].pk])) == [("title", "REQUIRED")]
    # Verifiers of another kecamatan and unlinking another kecamatan's report.
    assert codes(unlink(api, reports["halong"])) == [("reportId", "NOT_FOUND")]
    as_user(api, halong["verifikator"])
    assert codes(unlink(api, reports["flood"])) == [("reportId", "NOT_FOUND")]
    assert codes(link(api, reportId=reports["halong"].pk, incidentId=kejadian.pk)) == [
        ("incidentId", "NOT_FOUND")]

    # People who may see the report but never link: the officer (their own
    # report), the leadership; an agency member of a forwarded report.
    polres = agency("Polres Balangan")
    member = make_member(polres, "anggota.polres")
    transitions.issue(reports["third"].pk, pimpinan, instruksi="Pantau.",
                      instansi_ids=[polres.pk], batas_waktu=due())
    for user in (petugas, pimpinan, member):
        as_user(api, user)
        assert codes(link(api, reportId=reports["third"].pk, incidentId=kejadian.pk)) == [
            (None, "PERMISSION_DENIED")], user
        assert codes(unlink(api, reports["flood"])) in (
            [(None, "PERMISSION_DENIED")], [("reportId", "NOT_FOUND")]), user
    # A draft nobody but its author sees; signed out.
    draft = make_report(petugas)
    as_user(api, verifikator)
    assert codes(link(api, reportId=draft.pk, incidentId=kejadian.pk)) == [
        ("reportId", "NOT_FOUND")]
    api.token = None
    assert codes(link(api, reportId=reports["third"].pk, incidentId=kejadian.pk)) == [
        (None, "PERMISSION_DENIED")]
    assert set(TautanKejadian.objects.values_list("laporan_id", "kejadian_id")) == before
    assert Kejadian.objects.count() == 2


def test_administrators_link_across_kecamatan(api, reports, verifikator, administrator):
    kejadian = transitions.link(verifikator, [reports["flood"].pk, reports["same"].pk],
                                judul="Banjir")
    as_user(api, administrator)
    done = link(api, reportId=reports["halong"].pk, incidentId=kejadian.pk)
    assert done["errors"] == [] and len(done["incident"]["reports"]) == 3
    # Now the incident spans two kecamatan: the Paringin verifier may no
    # longer add to it, and sees only their own kecamatan's reports of it.
    as_user(api, verifikator)
    refused = link(api, reportId=reports["third"].pk, incidentId=kejadian.pk)
    assert codes(refused) == [(None, "PERMISSION_DENIED")]
    seen = api.op("ReportIncident", {"reportId": reports["flood"].pk})["data"]["report"]
    assert {r["judul"] for r in seen["incident"]["reports"]} == {
        "Banjir di pasar", "Air naik di pasar"}


def set_status(api, kejadian, status):
    result = api.op("SetIncidentStatus", {"id": str(kejadian), "status": status})
    assert "errors" not in result, result
    return result["data"]["setIncidentStatus"]


def test_incident_status_closed_and_reopened(api, client, reports, verifikator, halong,
                                             petugas, administrator):
    kejadian = transitions.link(verifikator, [reports["flood"].pk, reports["same"].pk],
                                judul="Banjir")
    as_user(api, verifikator)
    done = set_status(api, kejadian.pk, "SELESAI")
    assert done["errors"] == [] and done["incident"]["status"] == "SELESAI"
    for laporan in (reports["flood"], reports["same"]):
        entry = ModelLogEntry.objects.for_instance(laporan).get(
            action=transitions.INCIDENT_STATUS_ACTION)
        assert entry.data["status"] == "selesai" and entry.user_id == verifikator.pk
    assert codes(set_status(api, kejadian.pk, "SELESAI")) == [("status", "INVALID_STATE")]

    # Refusals: an incident of another kecamatan is not there; one you see
    # but may not link in full, or as an officer, is refused; both write nothing.
    as_user(api, halong["verifikator"])
    assert codes(set_status(api, kejadian.pk, "AKTIF")) == [("id", "NOT_FOUND")]
    assert codes(set_status(api, "abc", "AKTIF")) == [("id", "NOT_FOUND")]
    as_user(api, petugas)
    assert codes(set_status(api, kejadian.pk, "AKTIF")) == [(None, "PERMISSION_DENIED")]
    transitions.link(administrator, [reports["halong"].pk], kejadian_pk=kejadian.pk)
    as_user(api, verifikator)
    assert codes(set_status(api, kejadian.pk, "AKTIF")) == [(None, "PERMISSION_DENIED")]
    api.token = None
    assert codes(set_status(api, kejadian.pk, "AKTIF")) == [(None, "PERMISSION_DENIED")]
    kejadian.refresh_from_db()
    assert kejadian.status == "selesai"

    # Administrators reopen it in the admin, on a report's incident page.
    client.force_login(administrator)
    url = f"/admin/reports/laporan/{reports['halong'].pk}/tindak-lanjut/kejadian/"
    assert "Aktifkan kembali kejadian" in client.get(url).content.decode()
    assert client.post(url, {"status": "aktif"}).status_code == 302
    kejadian.refresh_from_db()
    assert kejadian.status == "aktif"
    assert ModelLogEntry.objects.filter(action=transitions.INCIDENT_STATUS_ACTION).count() == 5
    history = client.get(f"/admin/snippets/reports/laporan/history/{reports['halong'].pk}/")
    assert "Kejadian Banjir kini berstatus aktif" in history.content.decode()
