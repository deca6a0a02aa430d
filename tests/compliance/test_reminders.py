"""Reminders to kecamatan that have not reported: the officers at the first
configured time, the verifiers later, once each, inbox and push (a real HTTP
server standing in for OneSignal)."""

import io

import pytest
from django.core.management import call_command

from cms.accounts import roles
from cms.compliance import reminders, services
from cms.compliance.models import PengingatKepatuhan
from cms.notifications.models import Notifikasi, Pengiriman
from cms.platform.plugins import set_enabled
from tests import factories
from tests.plugins.fake_onesignal import FakeOneSignal
from tests.reports.reports_factories import make_report

from .conftest import officer, verifier, wita

pytestmark = pytest.mark.django_db

APP_ID = "5eb5a37e-b458-11e3-ac11-000c2940e62c"
API_KEY = "os_v2_app_SUPERSECRETRESTKEY0123456789"


@pytest.fixture
def fake(settings):
    with FakeOneSignal(app_id=APP_ID, api_key=API_KEY) as server:
        settings.ONESIGNAL_API_URL = server.url
        settings.ONESIGNAL_APP_ID = APP_ID
        settings.ONESIGNAL_REST_API_KEY = API_KEY
        settings.ONESIGNAL_TIMEOUT_SECONDS = 2
        set_enabled("onesignal_push", True)
        yield server


@pytest.fixture
def people(db, kemarin):
    """Paringin reported, Halong filed nihil, Juai sent nothing: one officer
    and one verifier each, plus everyone else who must hear nothing."""
    found = {
        "petugas_paringin": officer("paringin"), "petugas_halong": officer("halong"),
        "petugas_juai": officer("juai"), "verifikator_paringin": verifier("paringin"),
        "verifikator_halong": verifier("halong"), "verifikator_juai": verifier("juai"),
        "administrator": factories.make_user(roles.ADMINISTRATOR, "admin.uji"),
        "pimpinan": factories.make_user(roles.PIMPINAN, "pimpinan.uji"),
        "pengguna": factories.make_user(roles.PENGGUNA, "warga.uji"),
    }
    make_report(found["petugas_paringin"], submit=True, waktu_kejadian=wita(kemarin, 8))
    services.file_nihil(found["petugas_halong"], kemarin, now=wita(kemarin, 12))
    return found


def inbox(user):
    """The user's compliance reminders (the Paringin report of the fixture
    told its verifier about itself, as it should)."""
    return list(Notifikasi.objects.filter(penerima=user, peristiwa__startswith="compliance.")
                .values_list("peristiwa", flat=True))


def missing_elsewhere():
    """The five kecamatan besides Paringin, Halong and Juai, with nobody
    assigned: recorded, reaching no one."""
    return 8 - 3


def test_officer_of_the_missing_kecamatan_only(
    people, kemarin, fake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.sweep(now=wita(kemarin, 17, 5)) == 1 + missing_elsewhere()
    assert inbox(people["petugas_juai"]) == [reminders.OFFICER_EVENT]
    for name in ("petugas_paringin", "petugas_halong", "verifikator_juai",
                 "verifikator_paringin", "administrator", "pimpinan", "pengguna"):
        assert inbox(people[name]) == [], name
    (entry,) = Notifikasi.objects.filter(penerima=people["petugas_juai"])
    assert entry.judul["id"] == "Pengingat: belum ada laporan hari ini"
    assert "Kec. Juai" in entry.isi["id"] and "laporan nihil" in entry.isi["id"]
    assert entry.laporan is None
    # By push, to that officer only.
    pushed = [r["json"] for r in fake.requests if r["json"]]
    assert [p["include_aliases"]["external_id"] for p in pushed] == [
        [str(people["petugas_juai"].pk)]]
    assert Pengiriman.objects.get().peristiwa == reminders.OFFICER_EVENT


def test_nothing_before_the_configured_time(people, kemarin, settings):
    assert reminders.sweep(now=wita(kemarin, 16, 59)) == 0
    settings.SIKANDA_COMPLIANCE = {"remind_officers_at": "16:30"}
    assert reminders.sweep(now=wita(kemarin, 16, 59)) == 1 + missing_elsewhere()
    assert inbox(people["petugas_juai"]) == [reminders.OFFICER_EVENT]


def test_then_the_verifiers_and_each_once(people, kemarin):
    reminders.sweep(now=wita(kemarin, 17))
    assert reminders.sweep(now=wita(kemarin, 17, 30)) == 0
    assert reminders.sweep(now=wita(kemarin, 19)) == 1 + missing_elsewhere()
    assert reminders.sweep(now=wita(kemarin, 21)) == 0
    assert inbox(people["petugas_juai"]) == [reminders.OFFICER_EVENT]
    assert inbox(people["verifikator_juai"]) == [reminders.VERIFIER_EVENT]
    for name in ("verifikator_paringin", "verifikator_halong", "pimpinan", "pengguna"):
        assert inbox(people[name]) == [], name
    # The five kecamatan without a verifier route to the Administrators, as
    # submissions do.
    assert inbox(people["administrator"]) == [reminders.VERIFIER_EVENT] * missing_elsewhere()
    juai = factories.kecamatan("juai")
    assert set(PengingatKepatuhan.objects.filter(kecamatan=juai).values_list(
        "tahap", "penerima")) == {("petugas", 1), ("verifikator", 1)}


def test_a_late_nihil_or_report_stops_the_verifier_stage(people, kemarin):
    reminders.sweep(now=wita(kemarin, 17))
    services.file_nihil(people["petugas_juai"], kemarin, now=wita(kemarin, 18))
    reminders.sweep(now=wita(kemarin, 19))
    assert inbox(people["verifikator_juai"]) == []


def test_the_command_prints_its_progress_and_sends_once(people, kemarin, settings):
    # The command reads the real clock: move the reminder times to midnight.
    settings.SIKANDA_COMPLIANCE = {"remind_officers_at": "00:00", "remind_verifiers_at": "00:00"}
    out = io.StringIO()
    call_command("remind_missing_reports", stdout=out)
    text = out.getvalue()
    assert "Kec. Juai" in text and "petugas: 1 penerima" in text
    assert "verifikator: 1 penerima" in text
    assert text.strip().endswith("pengingat kepatuhan dikirim.")
    again = io.StringIO()
    call_command("remind_missing_reports", stdout=again)
    assert again.getvalue().strip() == "0 pengingat kepatuhan dikirim."
