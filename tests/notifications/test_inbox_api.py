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


def test_inbox_lists_newest_first_in_the_request_language(api, petugas):
    old, new = notify(petugas, 2)
    Notifikasi.objects.filter(pk=new.pk).update(dibaca="2026-11-27T08:00:00+08:00")
    api.login("petugas.uji", PASSWORD)
    data = api.op("Notifications", {})["data"]
    assert data["unreadNotificationCount"] == 1
    assert [(i["title"], i["read"]) for i in data["notifications"]["nodes"]] == [
        ("Judul 1", True),
        ("Judul 0", False),
    ]
    unread = api.op("Notifications", {"unreadOnly": True})["data"]["notifications"]["nodes"]
    assert [i["title"] for i in unread] == ["Judul 0"]
    english = api.op("Notifications", {}, language="en")["data"]["notifications"]["nodes"]
    assert english[0]["title"] == "Title 1"


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
    assert api.op("Notifications", {})["data"]["notifications"]["nodes"] == []
    api.op("MarkNotificationsRead", {"ids": [str(mine.pk)]})
    mine.refresh_from_db()
    assert mine.dibaca is None
    api.token = None
    anonymous = api.op("MarkNotificationsRead", {"all": True})["data"]["markNotificationsRead"]
    assert anonymous["errors"][0]["code"] == "PERMISSION_DENIED"


def test_device_registration_and_subscriptions(api, pengguna):
    api.login(pengguna.username, PASSWORD)
    device = api.op("RegisterPushDevice", {"subscriptionId": "sub-123", "platform": "ANDROID"})
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
    api, pengguna, petugas, verifikator, django_capture_on_commit_callbacks
):
    api.login(pengguna.username, PASSWORD)
    api.op(
        "SetSubscriptions", {"kecamatan": [str(factories.kecamatan("paringin").pk)], "aspek": []}
    )
    laporan = services.submit(make_report(petugas), petugas)
    with django_capture_on_commit_callbacks(execute=True):  # guests hear after the commit
        services.act(
            laporan, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2"
        )
    items = api.op("Notifications", {})["data"]["notifications"]["nodes"]
    assert items[0]["event"] == "report.published" and items[0]["reportId"] == str(laporan.pk)


def test_inbox_query_count_is_constant(api, petugas):
    api.login("petugas.uji", PASSWORD)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            api.op("Notifications", {"first": 50})
        return len(ctx.captured_queries)

    notify(petugas, 3)
    count()  # warm-up: the first request of a session stamps its last use
    few = count()
    notify(petugas, 20)
    assert count() == few


def test_inbox_hides_reports_the_user_may_no_longer_see_count_included(
    api, petugas, verifikator, pengguna, django_capture_on_commit_callbacks
):
    """Issue 9: the inbox obeys the permission policy when it is read, not
    only when the entry was written."""
    api.login(pengguna.username, PASSWORD)
    api.op(
        "SetSubscriptions", {"kecamatan": [str(factories.kecamatan("paringin").pk)], "aspek": []}
    )
    laporan = services.submit(make_report(petugas), petugas)
    with django_capture_on_commit_callbacks(execute=True):  # guests hear after the commit
        services.act(
            laporan, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2"
        )
    general = Notifikasi.objects.create(
        penerima=pengguna, peristiwa="pengumuman", judul={"id": "Umum"}, isi={"id": "Isi"}
    )
    data = api.op("Notifications", {})["data"]
    assert data["unreadNotificationCount"] == 2
    assert {i["reportId"] for i in data["notifications"]["nodes"]} == {str(laporan.pk), None}

    # Reclassified terbatas: the guest may no longer see the report, so the
    # entry about it is gone from the list and the count.
    type(laporan).objects.filter(pk=laporan.pk).update(klasifikasi="terbatas")
    data = api.op("Notifications", {})["data"]
    assert data["unreadNotificationCount"] == 1
    assert [i["id"] for i in data["notifications"]["nodes"]] == [str(general.pk)]
    # Marking everything read touches only what the guest can see.
    marked = api.op("MarkNotificationsRead", {"all": True})["data"]["markNotificationsRead"]
    assert marked == {"count": 1, "unreadCount": 0, "errors": []}
    assert Notifikasi.objects.filter(penerima=pengguna, dibaca__isnull=True).count() == 1


def test_verifier_moved_to_another_kecamatan_loses_the_entries_about_the_old_one(
    api, petugas, verifikator
):
    from cms.reports.assignments import VERIFY_REPORT, set_assigned_users

    services.submit(make_report(petugas), petugas)
    api.login(verifikator.username, PASSWORD)
    assert api.op("Notifications", {})["data"]["unreadNotificationCount"] == 1
    set_assigned_users(factories.kecamatan("paringin"), VERIFY_REPORT, [])
    data = api.op("Notifications", {})["data"]
    assert data["unreadNotificationCount"] == 0 and data["notifications"]["nodes"] == []


def test_mark_read_refuses_more_than_500_ids_and_changes_nothing(api, petugas):
    notify(petugas, 2)
    api.login("petugas.uji", PASSWORD)
    ids = [str(pk) for pk in Notifikasi.objects.values_list("pk", flat=True)]
    result = api.op("MarkNotificationsRead", {"ids": ids + ["1"] * 499})["data"]
    payload = result["markNotificationsRead"]
    assert payload["count"] == 0 and payload["unreadCount"] == 2
    assert payload["errors"][0]["code"] == "INVALID" and payload["errors"][0]["field"] == "ids"
    assert Notifikasi.objects.filter(dibaca__isnull=False).count() == 0
    # Malformed ids are ignored like ids of someone else's entries, never a server error.
    odd = api.op("MarkNotificationsRead", {"ids": ["²", "9" * 30, ids[0]]})["data"]
    assert odd["markNotificationsRead"]["count"] == 1


def test_inbox_pages_by_cursor_without_repeats_while_entries_arrive(api, petugas):
    notify(petugas, 5)
    api.login("petugas.uji", PASSWORD)
    first = api.op("Notifications", {"first": 2})["data"]["notifications"]
    notify(petugas, 3)  # arrive between pages: they belong to page 1 of a refresh
    rest = api.op(
        "Notifications", {"first": 10, "after": first["pageInfo"]["endCursor"]}
    )["data"]["notifications"]
    seen = [i["title"] for i in first["nodes"] + rest["nodes"]]
    assert seen == ["Judul 4", "Judul 3", "Judul 2", "Judul 1", "Judul 0"]
    assert rest["pageInfo"]["hasNextPage"] is False
