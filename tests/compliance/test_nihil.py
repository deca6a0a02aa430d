"""Filing a laporan nihil: from the officer's app (the contract's operation
documents), from the side of everyone who must be refused, and idempotent."""

import datetime

import pytest
from wagtail.models import ModelLogEntry

from cms.accounts import roles
from cms.compliance import services
from cms.compliance.models import LaporanNihil
from cms.followup.models import Instansi
from tests import factories
from tests.factories import PASSWORD
from tests.reports.reports_factories import make_report

from .conftest import officer, wita

pytestmark = pytest.mark.django_db

# The contract's documents these tests run end to end (tests/api/test_contract.py).
OPERATIONS = {"FileNihilReport", "MyCompliance"}


def file(api, variables=None, **kwargs):
    result = api.op("FileNihilReport", variables or {}, **kwargs)
    assert "errors" not in result, result
    return result["data"]["fileNihilReport"]


def test_officer_files_today_in_one_call(api, petugas, today):
    api.login("petugas.uji", PASSWORD)
    payload = file(api)
    assert payload["errors"] == [] and payload["created"] is True
    nihil = payload["nihilReport"]
    assert nihil["date"] == today.isoformat()
    assert nihil["kecamatan"]["nama"] == "Paringin"
    assert nihil["filedBy"] == "petugas.uji"
    record = LaporanNihil.objects.get()
    assert (record.kecamatan.slug, record.tanggal, record.petugas) == ("paringin", today, petugas)
    (entry,) = ModelLogEntry.objects.filter(action=services.FILE_ACTION)
    assert entry.user_id == petugas.pk and entry.object_id == str(record.pk)
    assert entry.data == {"kecamatan": "Paringin", "tanggal": today.isoformat()}


def test_filing_again_returns_the_same_record(api, petugas):
    api.login("petugas.uji", PASSWORD)
    first = file(api)
    again = file(api, {"date": first["nihilReport"]["date"]})
    assert again["errors"] == [] and again["created"] is False
    assert again["nihilReport"]["id"] == first["nihilReport"]["id"]
    # A colleague of the same kecamatan gets the first record too: one per day.
    officer("paringin", "petugas.kedua")
    other = file(api, token=api.login("petugas.kedua", PASSWORD)["accessToken"])
    assert other["nihilReport"]["id"] == first["nihilReport"]["id"]
    assert other["nihilReport"]["filedBy"] == "petugas.uji"
    assert LaporanNihil.objects.count() == 1
    assert ModelLogEntry.objects.filter(action=services.FILE_ACTION).count() == 1


def test_yesterday_is_allowed_older_and_future_days_are_not(api, petugas, today, kemarin):
    api.login("petugas.uji", PASSWORD)
    assert file(api, {"date": kemarin.isoformat()})["nihilReport"]["date"] == kemarin.isoformat()
    for day in (kemarin - datetime.timedelta(days=1), today + datetime.timedelta(days=1)):
        payload = file(api, {"date": day.isoformat()})
        assert payload["nihilReport"] is None and payload["created"] is False
        assert [(e["field"], e["code"]) for e in payload["errors"]] == [("date", "INVALID")]
    assert LaporanNihil.objects.count() == 1


def test_yesterday_at_the_wita_day_boundary(petugas):
    # 00:10 WITA on the 2nd is still the 1st in UTC; "yesterday" is the 1st.
    now = wita(datetime.date(2026, 3, 2), 0, 10)
    nihil, created = services.file_nihil(petugas, datetime.date(2026, 3, 1), now=now)
    assert created and nihil.tanggal == datetime.date(2026, 3, 1)
    with pytest.raises(Exception) as refused:
        services.file_nihil(petugas, datetime.date(2026, 2, 28), now=now)
    assert refused.value.error_dict["date"][0].code == "invalid"


@pytest.mark.parametrize("role", [roles.VERIFIKATOR, roles.PIMPINAN, roles.ADMINISTRATOR,
                                  roles.PENGGUNA, roles.INSTANSI])
def test_refused_for_anyone_but_officers(api, role):
    user = factories.make_user(role, "bukan.petugas",
                               kecamatan=[factories.kecamatan("paringin")]
                               if role == roles.VERIFIKATOR else ())
    if role == roles.INSTANSI:
        Instansi.objects.first().anggota.add(user)
    api.login("bukan.petugas", PASSWORD)
    payload = file(api)
    assert payload["nihilReport"] is None
    assert [e["code"] for e in payload["errors"]] == ["PERMISSION_DENIED"]
    assert not LaporanNihil.objects.exists()


def test_refused_anonymous(api):
    payload = file(api)
    assert [e["code"] for e in payload["errors"]] == ["PERMISSION_DENIED"]
    assert not LaporanNihil.objects.exists()


def test_refused_for_another_kecamatan(api, petugas):
    api.login("petugas.uji", PASSWORD)
    halong = str(factories.kecamatan("halong").pk)
    payload = file(api, {"kecamatan": halong})
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [
        ("kecamatan", "PERMISSION_DENIED")]
    for bad in ("99999", "²", "abc"):
        assert file(api, {"kecamatan": bad})["errors"][0]["field"] == "kecamatan"
    assert not LaporanNihil.objects.exists()


def test_an_officer_of_several_kecamatan_names_one(api):
    factories.make_user(roles.PETUGAS, "petugas.dua",
                        kecamatan=[factories.kecamatan("paringin"), factories.kecamatan("juai")])
    api.login("petugas.dua", PASSWORD)
    payload = file(api)
    assert [(e["field"], e["code"]) for e in payload["errors"]] == [("kecamatan", "REQUIRED")]
    juai = str(factories.kecamatan("juai").pk)
    assert file(api, {"kecamatan": juai})["nihilReport"]["kecamatan"]["id"] == juai


def test_refusal_speaks_english_on_request(api, pengguna):
    api.login("warga.uji", PASSWORD)
    payload = api.op("FileNihilReport", {}, language="en")["data"]["fileNihilReport"]
    assert payload["errors"][0]["message"] == "Only officers can file a nil report."


def test_my_compliance_tells_the_app_what_today_needs(api, petugas, today):
    api.login("petugas.uji", PASSWORD)

    def state():
        (day,) = api.op("MyCompliance")["data"]["myCompliance"]
        return day

    day = state()
    assert (day["state"], day["reportCount"], day["nihilReport"]) == ("MISSING", 0, None)
    assert day["date"] == today.isoformat() and day["kecamatan"]["nama"] == "Paringin"
    file(api)
    day = state()
    assert day["state"] == "NIHIL" and day["nihilReport"]["filedBy"] == "petugas.uji"
    # A report of that day outranks the nihil (the board shows "melapor").
    make_report(petugas, submit=True, waktu_kejadian=wita(today, 0, 1))
    assert (state()["state"], state()["reportCount"]) == ("REPORTED", 1)


def test_my_compliance_is_empty_for_others(api, verifikator):
    api.login("verifikator.uji", PASSWORD)
    assert api.op("MyCompliance")["data"]["myCompliance"] == []
    api.token = None
    assert api.op("MyCompliance")["data"]["myCompliance"] == []
