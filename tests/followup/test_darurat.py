"""Nothing waits unseen: a DARURAT report alerts Administrators and Pimpinan
the moment it is submitted — number, kecamatan, aspect and time only — and a
kecamatan without a verifier routes its submissions to the Administrators;
both reach the (fake) OneSignal by push."""

import pytest

from cms.accounts import roles
from cms.notifications.models import Notifikasi, Pengiriman
from cms.platform.plugins import set_enabled
from cms.reports.permissions import laporan_policy
from tests import factories
from tests.plugins.fake_onesignal import FakeOneSignal
from tests.reports.reports_factories import make_report

pytestmark = pytest.mark.django_db

APP_ID = "5eb5a37e-b458-11e3-ac11-000c2940e62c"
API_KEY = "os_v2_app_SUPERSECRETRESTKEY0123456789"
FACTS = "Tanggul jebol, tiga rumah hanyut."
TITLE = "Banjir bandang di Halong"


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
def halong_officer(db):
    # Halong has no verifier in these tests: the gap the issue describes.
    return factories.make_user(roles.PETUGAS, "petugas.halong",
                               kecamatan=[factories.kecamatan("halong")])


def entries(user):
    return list(Notifikasi.objects.filter(penerima=user))


def test_darurat_without_verifier_reaches_administrators_and_pimpinan(
    halong_officer, administrator, pimpinan, fake, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        laporan = make_report(halong_officer, submit=True, urgensi="darurat", kec="halong",
                              judul=TITLE, fakta=FACTS)
    (alert,) = entries(pimpinan)
    body = alert.isi["id"]
    assert alert.peristiwa == "report.submitted" and alert.judul["id"].startswith("DARURAT")
    for shown in (laporan.nomor, "Kec. Halong", laporan.aspek.nama, "WITA"):
        assert shown in body
    for hidden in (TITLE, FACTS, "rahasia", halong_officer.username):
        assert hidden not in body and hidden not in alert.judul["id"]
    # Pimpinan still may not read the unverified report itself.
    assert not laporan_policy.user_can_view(pimpinan, laporan)
    # The administrators verify it, since nobody else would.
    (routed,) = entries(administrator)
    assert "tanpa verifikator" in routed.judul["id"]
    # Both by push, at once.
    pushed = [r["json"] for r in fake.requests if r["json"]]
    recipients = {tuple(p["include_aliases"]["external_id"]) for p in pushed}
    assert (str(pimpinan.pk),) in recipients and (str(administrator.pk),) in recipients
    pimpinan_push = next(p for p in pushed if p["include_aliases"]["external_id"] ==
                         [str(pimpinan.pk)])
    assert FACTS not in str(pimpinan_push) and TITLE not in str(pimpinan_push)


def test_not_darurat_without_verifier_reaches_administrators_only(
    halong_officer, administrator, pimpinan
):
    make_report(halong_officer, submit=True, urgensi="sedang", kec="halong")
    assert [e.peristiwa for e in entries(administrator)] == ["report.submitted"]
    assert entries(pimpinan) == []


def test_darurat_with_a_verifier(petugas, verifikator, administrator, pimpinan):
    make_report(petugas, submit=True, urgensi="darurat")
    assert [e.judul["id"] for e in entries(verifikator)] == ["Laporan menunggu verifikasi"]
    assert [e.judul["id"] for e in entries(administrator)] == [
        "DARURAT: laporan sedang diverifikasi"]
    assert [e.judul["id"] for e in entries(pimpinan)] == ["DARURAT: laporan sedang diverifikasi"]


def test_inbox_api_gives_pimpinan_the_alert_without_content(api, halong_officer, pimpinan):
    laporan = make_report(halong_officer, submit=True, urgensi="darurat", kec="halong",
                          judul=TITLE, fakta=FACTS)
    api.login(pimpinan.username, factories.PASSWORD)
    items = api.execute("query { notifications { nodes { title body reportId } } }")["data"][
        "notifications"]["nodes"]
    assert len(items) == 1 and laporan.nomor in items[0]["body"]
    assert TITLE not in str(items) and FACTS not in str(items)
    report = api.execute("query($id: ID!) { report(id: $id) { judul } }", {"id": laporan.pk})
    assert report["data"]["report"] is None
    assert Pengiriman.objects.filter(penerima=pimpinan).count() == 0  # no channel enabled here
