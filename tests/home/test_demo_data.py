import pytest
from django.core.management import CommandError, call_command

from cms.accounts import roles
from cms.facilities.models import FacilityPage
from cms.news.models import NewsPage
from cms.reports.assignments import FILE_REPORT, VERIFY_REPORT, assigned_kecamatan

pytestmark = pytest.mark.django_db


def test_demo_data_fills_an_empty_database_and_prints_logins(capsys, django_user_model):
    call_command("load_demo_data")
    out = capsys.readouterr().out
    for username in ["admin", "pimpinan", "verifikator.paringin", "petugas.paringin", "warga"]:
        assert username in out
        assert django_user_model.objects.filter(username=username).exists()
    for role in roles.ALL:
        assert django_user_model.objects.filter(groups__name=role).exists(), role
    assert NewsPage.objects.live().count() >= 5
    kecamatan = set(FacilityPage.objects.live().values_list("kecamatan__slug", flat=True))
    assert len(kecamatan) >= 5
    officer = django_user_model.objects.get(username="petugas.paringin")
    verifier = django_user_model.objects.get(username="verifikator.paringin")
    assert [k.slug for k in assigned_kecamatan(officer, FILE_REPORT)] == ["paringin"]
    assert {k.slug for k in assigned_kecamatan(verifier, VERIFY_REPORT)} == {
        "paringin",
        "paringin-selatan",
    }


def test_demo_data_has_reports_in_every_state():
    from cms.reports.models import Laporan, Status

    call_command("load_demo_data")
    assert set(Laporan.objects.values_list("status", flat=True)) == set(Status.values)
    verified = Laporan.objects.filter(status=Status.TERVERIFIKASI)
    assert verified.filter(live=True, klasifikasi="publik").exists()
    assert verified.filter(live=True, klasifikasi="terbatas").exists()
    assert all(laporan.penilaian for laporan in verified)


def test_demo_enables_the_cap_feed(client):
    call_command("load_demo_data")
    feed = client.get("/plugin/cap_alerts/alerts.atom")
    assert feed.status_code == 200 and b"Banjir luapan Sungai Balangan" in feed.content


def test_demo_data_twice_makes_no_duplicates(django_user_model):
    call_command("load_demo_data")
    counts = (
        django_user_model.objects.count(),
        NewsPage.objects.count(),
        FacilityPage.objects.count(),
    )
    call_command("load_demo_data")
    assert counts == (
        django_user_model.objects.count(),
        NewsPage.objects.count(),
        FacilityPage.objects.count(),
    )


def test_demo_data_refuses_under_production_settings(settings, django_user_model):
    settings.SIKANDA_DEMO_DATA_ALLOWED = False
    with pytest.raises(CommandError, match="ditolak"):
        call_command("load_demo_data")
    assert not django_user_model.objects.exists()
