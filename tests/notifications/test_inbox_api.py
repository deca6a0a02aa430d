import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cms.notifications.models import Langganan, Notifikasi, PerangkatPush
from cms.reports import services
from tests import factories
from tests.factories import PASSWORD
from tests.reports.reports_factories import make_report

pytestmark = pytest.mark.django_db


def notify(user, count):
    return [
        Notifikasi.objects.create(
            penerima=user,
            peristiwa="report.verified",
            judul={"id": f"Judul {i}", "en": f"Title {i}"},
            isi={"id": "Isi", "en": "Body"},
        )
        for i in range(count)
    ]


def test_inbox_lists_unread_first_in_the_request_language(api, petugas):
    old, new = notify(petugas, 2)
    Notifikasi.objects.filter(pk=new.pk).update(dibaca="2026-11-27T08:00:00+08:00")
    api.login("petugas.uji", PASSWORD)
    data = api.op("Notifications", {})["data"]
    assert data["unreadNotificationCount"] == 1
    assert [(i["title"], i["read"]) for i in data["notifications"]["items"]] == [
        ("Judul 0", False),
        ("Judul 1", True),
    ]
    english = api.op("Notifications", {}, language="en")["data"]["notifications"]["items"]
    assert english[0]["title"] == "Title 0"


def test_mark_some_or_all_read(api, petugas):
    first, *_ = notify(petugas, 3)
    api.login("petugas.uji", PASSWORD)
    one = api.op("MarkNotificationsRead", {"ids": [str(first.pk)]})["data"]["markNotificationsRead"]
    assert one == {"count": 1, "unreadCount": 2, "errors": []}
    rest = api.op("MarkNotificationsRead", {"all": True})["data"]["markNotificationsRead"]
    assert rest["count"] == 2 and rest["unreadCount"] == 0


def test_nobody_reads_or_marks_someone_elses_inbox(api, petugas, pengguna):
    mine = notify(petugas, 1)[0]
    api.login(pengguna.username, PASSWORD)
    assert api.op("Notifications", {})["data"]["notifications"]["totalCount"] == 0
    api.op("MarkNotificationsRead", {"ids": [str(mine.pk)]})
    mine.refresh_from_db()
    assert mine.dibaca is None
    api.token = None
    anonymous = api.op("MarkNotificationsRead", {"all": True})["data"]["markNotificationsRead"]
    assert anonymous["errors"][0]["code"] == "PERMISSION_DENIED"


def test_device_registration_and_subscriptions(api, pengguna):
    api.login(pengguna.username, PASSWORD)
    device = api.op("RegisterPushDevice", {"subscriptionId": "sub-123", "platform": "android"})
    assert device["data"]["registerPushDevice"] == {
        "ok": True,
        "externalId": str(pengguna.pk),
        "errors": [],
    }
    assert PerangkatPush.objects.get(subscription_id="sub-123").pengguna == pengguna
    paringin, halong = factories.kecamatan("paringin"), factories.kecamatan("halong")
    result = api.op(
        "SetSubscriptions", {"kecamatan": [str(paringin.pk), str(halong.pk)], "aspek": []}
    )["data"]["setSubscriptions"]
    assert {k["nama"] for k in result["subscriptions"]["kecamatan"]} == {"Paringin", "Halong"}
    api.op("SetSubscriptions", {"kecamatan": [str(halong.pk)], "aspek": []})
    assert list(Langganan.objects.values_list("kecamatan__nama", flat=True)) == ["Halong"]
    bad = api.op("SetSubscriptions", {"kecamatan": ["999"], "aspek": []})
    assert bad["data"]["setSubscriptions"]["errors"][0]["code"] == "NOT_FOUND"
    assert list(Langganan.objects.values_list("kecamatan__nama", flat=True)) == ["Halong"]
    mine = api.op("Subscriptions")["data"]["mySubscriptions"]
    assert mine["kecamatan"][0]["nama"] == "Halong"


def test_a_guest_subscribes_in_the_app_and_hears_about_publication(
    api, pengguna, petugas, verifikator
):
    api.login(pengguna.username, PASSWORD)
    api.op(
        "SetSubscriptions", {"kecamatan": [str(factories.kecamatan("paringin").pk)], "aspek": []}
    )
    laporan = services.submit(make_report(petugas), petugas)
    services.act(laporan, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2")
    items = api.op("Notifications", {})["data"]["notifications"]["items"]
    assert items[0]["event"] == "report.published" and items[0]["reportId"] == str(laporan.pk)


def test_inbox_query_count_is_constant(api, petugas):
    api.login("petugas.uji", PASSWORD)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            api.op("Notifications", {"pageSize": 50})
        return len(ctx.captured_queries)

    notify(petugas, 3)
    count()  # warm-up: the first request of a session stamps its last use
    few = count()
    notify(petugas, 20)
    assert count() == few
