"""The round trip through the API, with the contract's own documents:
disposition → diterima → ditangani (with a photo) → selesai, each step with
its audit entry, notification and webhook delivery; refusals typed and
changing nothing."""

import pytest
from django.urls import reverse
from wagtail.models import ModelLogEntry

from cms.followup import transitions
from cms.followup.models import Disposisi, LangkahTindakLanjut, TindakLanjut
from cms.notifications.models import Notifikasi
from cms.platform.plugins import set_enabled
from plugins.webhooks.models import Delivery, Endpoint
from tests import factories
from tests.reports.reports_factories import photo

from .conftest import agency, due, make_member

pytestmark = pytest.mark.django_db

# The follow-up's operation documents; tests/api/test_contract.py leaves these to us.
OPERATIONS = {
    "Agencies", "Dispositions", "IssueDisposition", "MyFollowUps", "RecordFollowUpStep",
    "ReportIncident", "WithdrawDisposition",
}


def run(client_api, name, variables=None, ran=None):
    result = client_api.op(name, variables)
    assert "errors" not in result, (name, result)
    if ran is not None:
        ran.add(name)
    return result["data"]


def actions(laporan):
    return list(
        ModelLogEntry.objects.for_instance(laporan).filter(action__startswith="sikanda.")
        .order_by("timestamp", "pk").values_list("action", flat=True)
    )


@pytest.fixture
def webhook(db):
    set_enabled("webhooks", True)
    return Endpoint.objects.create(
        nama="Sistem Polres", url="http://127.0.0.1:9/hook", secret="rahasia",
        events=["disposition.created", "followup.updated", "disposition.withdrawn"],
    )


def test_round_trip_through_the_api(api, client, laporan, pimpinan, polres, anggota_polres,
                                    bpbd, anggota_bpbd, webhook):
    ran = set()
    api.login(pimpinan.username, factories.PASSWORD)
    agencies = run(api, "Agencies", ran=ran)["agencies"]
    assert {"Polres Balangan", "BPBD Balangan"} <= {a["singkatan"] for a in agencies}
    issued = run(api, "IssueDisposition", {
        "reportId": laporan.pk, "instruction": "Amankan lokasi banjir.",
        "agencyIds": [polres.pk], "dueAt": due().isoformat(), "priority": "SEGERA",
    }, ran)["issueDisposition"]
    assert issued["errors"] == []
    follow_up_id = issued["disposition"]["followUps"][0]["id"]
    assert issued["disposition"]["followUps"][0]["status"] == "TERKIRIM"
    assert actions(laporan) == [transitions.ISSUE_ACTION]
    told = Notifikasi.objects.get(penerima=anggota_polres, peristiwa="disposition.created")
    assert told.laporan_id == laporan.pk and "Amankan lokasi banjir." in told.isi["id"]
    delivery = Delivery.objects.get(event="disposition.created")
    assert delivery.payload["detail"]["instansi"][0]["id"] == polres.pk
    assert delivery.payload["detail"]["instruksi"] == "Amankan lokasi banjir."
    assert "fakta" not in delivery.payload["report"]

    member_api = type(api)(client)
    member_api.login(anggota_polres.username, factories.PASSWORD)
    mine = run(member_api, "MyFollowUps", {"open": True}, ran)["myFollowUps"]
    assert mine["totalCount"] == 1
    item = mine["nodes"][0]
    assert item["disposition"]["report"]["judul"] == "Banjir di Paringin"
    assert item["disposition"]["report"]["sumberInformasi"] is None
    assert item["disposition"]["instruction"] == "Amankan lokasi banjir."

    for status, note in (("DITERIMA", "Diterima piket."), ("DITANGANI", "Personel di lokasi.")):
        variables = {"followUpId": follow_up_id, "status": status, "note": note,
                     "attachments": [None] if status == "DITANGANI" else []}
        if status == "DITANGANI":
            result = member_api.upload("RecordFollowUpStep", variables,
                                       {"variables.attachments.0": photo()})
        else:
            result = member_api.op("RecordFollowUpStep", variables)
        assert result["data"]["recordFollowUpStep"]["errors"] == [], result
    ran.add("RecordFollowUpStep")
    done = run(member_api, "RecordFollowUpStep", {
        "followUpId": follow_up_id, "status": "SELESAI", "note": "Air surut, lokasi aman.",
    })["recordFollowUpStep"]
    assert done["errors"] == []
    assert done["followUp"]["status"] == "SELESAI"
    assert [s["status"] for s in done["followUp"]["steps"]] == ["DITERIMA", "DITANGANI", "SELESAI"]
    assert actions(laporan) == [transitions.ISSUE_ACTION] + [transitions.STEP_ACTION] * 3
    # The issuer hears of every step; the member never of their own.
    assert Notifikasi.objects.filter(penerima=pimpinan, peristiwa="followup.updated").count() == 3
    assert not Notifikasi.objects.filter(penerima=anggota_polres, peristiwa="followup.updated")
    assert Delivery.objects.filter(event="followup.updated").count() == 3

    # The step's photo: for the agency and the issuer, nobody else.
    attachment = done["followUp"]["steps"][1]["attachments"][0]
    url = reverse("followup:lampiran", args=[attachment["id"]])
    assert attachment["url"].endswith(url)
    assert client.get(url, headers={"authorization": f"Bearer {member_api.token}"}).status_code \
        == 200
    assert client.get(url, headers={"authorization": f"Bearer {api.token}"}).status_code == 200
    other = type(api)(client)
    other.login(anggota_bpbd.username, factories.PASSWORD)
    assert client.get(url, headers={"authorization": f"Bearer {other.token}"}).status_code == 404

    # Closed is closed: a further step is refused and writes nothing.
    again = member_api.op("RecordFollowUpStep", {
        "followUpId": follow_up_id, "status": "DITANGANI", "note": "Lagi.",
    })["data"]["recordFollowUpStep"]
    assert [e["code"] for e in again["errors"]] == ["INVALID_STATE"]
    assert LangkahTindakLanjut.objects.count() == 3

    timeline = run(api, "Dispositions", {"reportId": laporan.pk}, ran)["dispositions"]
    assert timeline[0]["followUps"][0]["status"] == "SELESAI"
    run(member_api, "ReportIncident", {"reportId": laporan.pk}, ran)
    withdrawn = run(api, "WithdrawDisposition", {
        "id": issued["disposition"]["id"], "reason": "Selesai ditangani."}, ran,
    )["withdrawDisposition"]
    assert withdrawn["errors"] == [] and withdrawn["disposition"]["withdrawn"] is True
    assert run(member_api, "MyFollowUps")["myFollowUps"]["totalCount"] == 0
    assert ran == OPERATIONS


def test_refusals_are_typed_and_change_nothing(api, laporan, pimpinan, polres, anggota_polres,
                                               bpbd, anggota_bpbd, verifikator, petugas):
    disposisi = transitions.issue(
        laporan.pk, pimpinan, instruksi="Pantau.", instansi_ids=[polres.pk, bpbd.pk],
        batas_waktu=due(),
    )
    polres_tl = disposisi.tindak_lanjut.get(instansi=polres)

    def step(user, **variables):
        api.login(user.username, factories.PASSWORD)
        variables.setdefault("followUpId", polres_tl.pk)
        variables.setdefault("note", "Catatan.")
        return api.op("RecordFollowUpStep", variables)["data"]["recordFollowUpStep"]["errors"]

    # Another agency addressed by the same disposition may not act for Polres.
    assert [e["code"] for e in step(anggota_bpbd, status="DITERIMA")] == ["PERMISSION_DENIED"]
    # Someone who may not see the report: as if it did not exist.
    outsider = make_member(agency("Dinsos Balangan"), "anggota.dinsos")
    assert [e["code"] for e in step(outsider, status="DITERIMA")] == ["NOT_FOUND"]
    assert [e["code"] for e in step(anggota_polres, status="SELESAI")] == ["INVALID_STATE"]
    assert [e["code"] for e in step(anggota_polres, status="DITERIMA", note=" ")] == ["REQUIRED"]
    assert [e["code"] for e in step(anggota_polres, status="DIALIHKAN")] == ["REQUIRED"]
    assert [e["code"] for e in step(anggota_polres, status="DIALIHKAN",
                                    handOverTo=str(bpbd.pk))] == ["INVALID"]
    assert LangkahTindakLanjut.objects.count() == 0

    for user in (verifikator, petugas, anggota_polres):
        api.login(user.username, factories.PASSWORD)
        result = api.op("IssueDisposition", {
            "reportId": laporan.pk, "instruction": "X", "agencyIds": [polres.pk],
            "dueAt": due().isoformat(),
        })["data"]["issueDisposition"]
        assert [e["code"] for e in result["errors"]] in (["PERMISSION_DENIED"], ["NOT_FOUND"]), \
            user
    api.login(pimpinan.username, factories.PASSWORD)
    past = api.op("IssueDisposition", {
        "reportId": laporan.pk, "instruction": "X", "agencyIds": [polres.pk],
        "dueAt": due(-1).isoformat(),
    })["data"]["issueDisposition"]
    assert [(e["field"], e["code"]) for e in past["errors"]] == [("batasWaktu", "INVALID")]
    assert Disposisi.objects.count() == 1 and TindakLanjut.objects.count() == 2


def test_hand_over_gives_the_new_agency_the_report(laporan, pimpinan, polres, anggota_polres,
                                                   bpbd, anggota_bpbd):
    from cms.reports.permissions import laporan_policy

    disposisi = transitions.issue(
        laporan.pk, pimpinan, instruksi="Tangani.", instansi_ids=[polres.pk], batas_waktu=due()
    )
    assert not laporan_policy.user_can_view(anggota_bpbd, laporan)
    tl = disposisi.tindak_lanjut.get()
    transitions.record_step(tl.pk, anggota_polres, status="dialihkan",
                            catatan="Wewenang BPBD.", ke_instansi_id=bpbd.pk)
    bpbd_member = type(anggota_bpbd).objects.get(pk=anggota_bpbd.pk)
    assert laporan_policy.user_can_view(bpbd_member, laporan)
    assert Notifikasi.objects.filter(penerima=anggota_bpbd, peristiwa="followup.updated").exists()
    new = TindakLanjut.objects.get(disposisi=disposisi, instansi=bpbd)
    assert new.dialihkan_dari_id == tl.pk and new.status == "terkirim"


def test_my_follow_ups_in_a_fixed_number_of_queries(api, pimpinan, polres, anggota_polres,
                                                     petugas, verifikator,
                                                     django_assert_max_num_queries):
    from tests.reports.reports_factories import verified_report

    for n in range(3):
        laporan = verified_report(petugas, verifikator, judul=f"Laporan {n}")
        disposisi = transitions.issue(laporan.pk, pimpinan, instruksi="Pantau.",
                                      instansi_ids=[polres.pk], batas_waktu=due())
        transitions.record_step(disposisi.tindak_lanjut.get().pk, anggota_polres,
                                status="diterima", catatan="Diterima.")
    api.login(anggota_polres.username, factories.PASSWORD)
    with django_assert_max_num_queries(25) as captured:
        result = api.op("MyFollowUps")
    assert result["data"]["myFollowUps"]["totalCount"] == 3
    few = len(captured.captured_queries)
    laporan = verified_report(petugas, verifikator, judul="Laporan 4")
    transitions.issue(laporan.pk, pimpinan, instruksi="Pantau.", instansi_ids=[polres.pk],
                      batas_waktu=due())
    with django_assert_max_num_queries(few) as captured:
        assert api.op("MyFollowUps")["data"]["myFollowUps"]["totalCount"] == 4
