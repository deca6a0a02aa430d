"""Incidents: reports of one event linked by a verifier (their kecamatan) or an
administrator (across kecamatan), proposed — never linked — by type, distance
and time; one public page; the API's Report.incident; recaps count events."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.accounts import roles
from cms.followup import transitions
from cms.followup.incidents import suggestions
from cms.followup.models import Kejadian, TautanKejadian
from cms.platform.plugins import set_enabled
from cms.recaps.aggregates import aggregates
from cms.recaps.periods import Period
from cms.reports.models import JenisATHG
from plugins.webhooks.models import Delivery, Endpoint
from tests import factories
from tests.reports.reports_factories import verified_report

pytestmark = pytest.mark.django_db


@pytest.fixture
def scene(petugas, verifikator):
    halong = factories.kecamatan("halong")
    officer_halong = factories.make_user(roles.PETUGAS, "petugas.halong", kecamatan=[halong])
    verifier_halong = factories.make_user(roles.VERIFIKATOR, "verif.halong", kecamatan=[halong])
    # Yesterday morning (WITA): every report of the scene falls on one day.
    when = (timezone.localtime() - datetime.timedelta(days=1)).replace(
        hour=9, minute=0, second=0, microsecond=0)

    def report(judul, officer=petugas, verifier=verifikator, **fields):
        fields.setdefault("waktu_kejadian", when)
        return verified_report(officer, verifier, judul=judul, **fields)

    return {
        "flood": report("Banjir di pasar"),
        "same": report("Air naik di pasar", latitude="-2.340000", longitude="115.470000",
                       waktu_kejadian=when + datetime.timedelta(hours=1)),
        "restricted": report("Banjir, laporan terbatas", klasifikasi="terbatas"),
        "other_type": report("Ancaman di pasar", jenis_athg=JenisATHG.objects.get(slug="ancaman")),
        "far": report("Banjir jauh", latitude="-2.800000", longitude="115.900000"),
        "late": report("Banjir lain hari", waktu_kejadian=when - datetime.timedelta(days=5)),
        "halong": report("Banjir di perbatasan", officer=officer_halong, verifier=verifier_halong,
                         kec="halong"),
    }


def test_suggestions_by_type_distance_and_time(scene, verifikator, administrator):
    proposed = [other for other, _km in suggestions(scene["flood"], verifikator)]
    # Nearest first: the restricted report was filed at the very same spot.
    assert proposed[0] == scene["restricted"]
    assert set(proposed) == {scene["same"], scene["restricted"]}
    km = dict(suggestions(scene["flood"], verifikator))[scene["same"]]
    assert 0 < km < 1
    # Administrators also get the report across the kecamatan border.
    assert scene["halong"] in [o for o, _ in suggestions(scene["flood"], administrator)]
    assert not TautanKejadian.objects.exists()  # a suggestion links nothing


def test_verifier_links_within_their_kecamatan(scene, verifikator, administrator):
    set_enabled("webhooks", True)
    Endpoint.objects.create(nama="BPBD", url="http://127.0.0.1:9/", events=["incident.linked"])
    kejadian = transitions.link(verifikator, [scene["flood"].pk, scene["same"].pk],
                                judul="Banjir Pasar Paringin")
    assert set(kejadian.tautan.values_list("laporan_id", flat=True)) == {
        scene["flood"].pk, scene["same"].pk}
    for laporan in (scene["flood"], scene["same"]):
        assert ModelLogEntry.objects.for_instance(laporan).filter(
            action=transitions.LINK_ACTION).count() == 1
    deliveries = Delivery.objects.filter(event="incident.linked")
    assert deliveries.count() == 2
    assert {d.payload["detail"]["kejadian_id"] for d in deliveries} == {kejadian.pk}

    with pytest.raises(PermissionDenied):
        transitions.link(verifikator, [scene["halong"].pk], kejadian_pk=kejadian.pk)
    with pytest.raises(ValidationError) as refused:
        transitions.link(verifikator, [scene["same"].pk, scene["late"].pk], judul="Lain")
    assert refused.value.error_dict["laporan"][0].code == "invalid_state"
    # Across kecamatan: administrators only.
    transitions.link(administrator, [scene["halong"].pk], kejadian_pk=kejadian.pk)
    assert kejadian.tautan.count() == 3
    with pytest.raises(PermissionDenied):
        transitions.link(verifikator, [scene["restricted"].pk], kejadian_pk=kejadian.pk)
    assert kejadian.tautan.count() == 3


def test_officers_and_others_cannot_link(scene, petugas, pimpinan):
    for user in (petugas, pimpinan):
        with pytest.raises((PermissionDenied, ValidationError)):
            transitions.link(user, [scene["flood"].pk, scene["same"].pk], judul="X")
    assert not Kejadian.objects.exists()


def test_public_page_and_api(scene, verifikator, client, api):
    kejadian = transitions.link(
        verifikator, [scene["flood"].pk, scene["same"].pk, scene["restricted"].pk],
        judul="Banjir Pasar Paringin",
    )
    # A public report's page leads to its incident; one outside none.
    report_page = client.get(f"/laporan/{scene['flood'].pk}/").content.decode()
    assert f'href="/kejadian/{kejadian.pk}/"' in report_page
    assert "Banjir Pasar Paringin" in report_page
    assert "/kejadian/" not in client.get(f"/laporan/{scene['far'].pk}/").content.decode()
    page = client.get(f"/kejadian/{kejadian.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "Banjir Pasar Paringin" in text
    assert "Banjir di pasar" in text and "Air naik di pasar" in text
    assert "Banjir, laporan terbatas" not in text
    result = api.op("ReportIncident", {"reportId": scene["flood"].pk})["data"]["report"]
    assert result["incident"]["title"] == "Banjir Pasar Paringin"
    assert {r["judul"] for r in result["incident"]["reports"]} == {
        "Banjir di pasar", "Air naik di pasar"}
    assert result["incident"]["url"].endswith(f"/kejadian/{kejadian.pk}/")
    only_restricted = transitions.link(
        verifikator, [scene["late"].pk, scene["other_type"].pk], judul="Lain"
    )
    TautanKejadian.objects.filter(kejadian=only_restricted).delete()
    assert client.get(f"/kejadian/{only_restricted.pk}/").status_code == 404
    assert client.get("/kejadian/999999/").status_code == 404


def test_recaps_count_incidents_not_duplicates(scene, verifikator):
    transitions.link(verifikator, [scene["flood"].pk, scene["same"].pk], judul="Banjir")
    day = timezone.localdate(scene["flood"].waktu_kejadian)
    period = Period.containing("harian", day)
    result = aggregates(period, kecamatan_id=factories.kecamatan("paringin").pk)
    in_period = list(result["laporan"])
    linked = [row for row in in_period if row["kejadian_id"]]
    assert len(linked) == 2
    assert result["jumlah_kejadian"] == len(in_period) - 1


def test_admin_incident_page(scene, verifikator, client):
    client.force_login(verifikator)
    url = f"/admin/reports/laporan/{scene['flood'].pk}/tindak-lanjut/kejadian/"
    page = client.get(url)
    assert page.status_code == 200 and "Air naik di pasar" in page.content.decode()
    response = client.post(url, {"laporan": [scene["same"].pk], "judul": "Banjir Pasar"})
    assert response.status_code == 302
    assert Kejadian.objects.get().judul == "Banjir Pasar"
    # A report the verifier may not link is no choice of theirs.
    response = client.post(url, {"laporan": [scene["halong"].pk]}, follow=True)
    assert Kejadian.objects.get().tautan.count() == 2
