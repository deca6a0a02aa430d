"""Guests are told by default: a new guest is subscribed to every kecamatan,
hears of a verified public report anywhere, and can narrow it."""

import pytest

from cms.notifications.models import Langganan, Notifikasi
from cms.reports import services
from cms.reports.models import Kecamatan
from tests.reports.reports_factories import make_report

pytestmark = pytest.mark.django_db

REGISTER = """mutation { register(username: "warga.baru", email: "warga@example.id",
  password: "Kuat-sekali-2026") { accessToken errors { code } } }"""


def test_a_new_guest_is_subscribed_everywhere_and_told(
    api, petugas, verifikator, django_user_model, django_capture_on_commit_callbacks
):
    result = api.execute(REGISTER)["data"]["register"]
    assert result["errors"] == []
    guest = django_user_model.objects.get(username="warga.baru")
    assert set(Langganan.objects.filter(pengguna=guest).values_list("kecamatan", flat=True)) == \
        set(Kecamatan.objects.values_list("pk", flat=True))
    laporan = make_report(petugas, submit=True)
    with django_capture_on_commit_callbacks(execute=True):  # guests hear after the commit
        services.act(
            laporan, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2"
        )
    assert Notifikasi.objects.filter(penerima=guest, peristiwa="report.published").exists()

    api.token = result["accessToken"]
    halong = Kecamatan.objects.get(slug="halong")
    narrowed = api.execute(
        "mutation($k: [ID!]!) { setSubscriptions(kecamatan: $k, aspek: []) { errors { code } "
        "subscriptions { kecamatan { slug } } } }", {"k": [str(halong.pk)]},
    )["data"]["setSubscriptions"]
    assert narrowed["subscriptions"]["kecamatan"] == [{"slug": "halong"}]
    second = make_report(petugas, submit=True, judul="Laporan kedua")
    services.act(second, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2")
    assert Notifikasi.objects.filter(penerima=guest, peristiwa="report.published").count() == 1
