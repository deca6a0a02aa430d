"""Cursor paging: stable while reports arrive, newest first by server time,
constant cost per page, typed refusals of bad cursors."""

import base64
import datetime
import json

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from cms.api.contract import load_operation
from cms.reports import services
from tests import factories
from tests.factories import PASSWORD
from tests.reports.reports_factories import make_report, photo, verified_report

pytestmark = pytest.mark.django_db

PAGE = "query($first:Int,$after:String,$orderBy:ReportOrder,$mine:Boolean){" \
    "reports(first:$first,after:$after,orderBy:$orderBy,mine:$mine){" \
    "pageInfo{hasNextPage endCursor} nodes{id judul} edges{cursor node{id}}}}"


def walk(api, variables, between=lambda page_number: None, first=2):
    """Every page of a list, calling `between` after each page; returns the
    ids in the order seen."""
    seen, after, number = [], None, 0
    while True:
        result = api.execute(PAGE, {**variables, "first": first, "after": after})
        assert "errors" not in result, result
        page = result["data"]["reports"]
        seen += [node["id"] for node in page["nodes"]]
        # edges carry the same items; the last edge's cursor is the page's end.
        assert [edge["node"]["id"] for edge in page["edges"]] == [n["id"] for n in page["nodes"]]
        if page["edges"]:
            assert page["edges"][-1]["cursor"] == page["pageInfo"]["endCursor"]
        number += 1
        if not page["pageInfo"]["hasNextPage"]:
            return seen
        after = page["pageInfo"]["endCursor"]
        between(number)


def backdated(days):
    return timezone.now() - datetime.timedelta(days=days)


def test_officer_walks_own_reports_while_filing_more_no_duplicates_no_gaps(api, petugas):
    # Event times deliberately out of order: paging must not follow them.
    existing = [
        make_report(petugas, judul=f"Lama {i}", waktu_kejadian=backdated((i * 37) % 90)).pk
        for i in range(9)
    ]
    api.login(petugas.username, PASSWORD)
    inserted = []

    def file_two_more(page_number):
        inserted.append(make_report(petugas, judul=f"Baru {page_number}").pk)
        inserted.append(
            make_report(petugas, judul=f"Mundur {page_number}", waktu_kejadian=backdated(200)).pk
        )

    seen = walk(api, {"mine": True}, between=file_two_more)
    assert len(seen) == len(set(seen)), "a report appeared twice"
    # Every report that existed when the walk began, newest first, none missing;
    # reports filed during the walk belong to page 1 of the next refresh.
    assert seen == [str(pk) for pk in reversed(existing)]
    refreshed = api.execute(PAGE, {"mine": True, "first": 50})["data"]["reports"]["nodes"]
    assert [n["id"] for n in refreshed[: len(inserted)]] == [str(pk) for pk in reversed(inserted)]


def test_guest_walks_the_public_feed_while_reports_are_verified(
    api, petugas, verifikator, pengguna
):
    existing = [verified_report(petugas, verifikator, judul=f"Terbit {i}").pk for i in range(6)]
    # Filed before the walk, verified during it: it becomes visible to the guest
    # then, so it belongs at the top, not at the place of its filing time.
    waiting = [make_report(petugas, submit=True, judul=f"Antre {i}") for i in range(3)]
    api.login(pengguna.username, PASSWORD)

    def verify_one(page_number):
        laporan = waiting.pop() if waiting else make_report(petugas, submit=True)
        services.act(laporan, verifikator, "approve", keandalan_sumber="A",
                     kredibilitas_informasi="1")

    seen = walk(api, {}, between=verify_one)
    assert seen == [str(pk) for pk in reversed(existing)]
    # Verified during the walk (2nd, then 1st after pages 1 and 2): page 1 now.
    top = api.execute(PAGE, {"first": 3})["data"]["reports"]["nodes"]
    assert [n["judul"] for n in top] == ["Antre 1", "Antre 2", "Terbit 5"]


def test_backdated_report_appears_on_page_one_of_newest(api, petugas, verifikator, pengguna):
    for i in range(5):
        verified_report(petugas, verifikator, judul=f"Kemarin {i}", waktu_kejadian=backdated(1))
    old_event = verified_report(
        petugas, verifikator, judul="Kejadian lama baru dilaporkan", waktu_kejadian=backdated(300)
    )
    api.login(pengguna.username, PASSWORD)
    newest = api.execute(PAGE, {"first": 2})["data"]["reports"]["nodes"]
    assert newest[0]["id"] == str(old_event.pk)
    by_event = api.execute(PAGE, {"first": 50, "orderBy": "EVENT_TIME"})["data"]["reports"]
    assert by_event["nodes"][-1]["id"] == str(old_event.pk)


def test_a_report_verified_later_rises_to_the_top_for_guests(api, petugas, verifikator):
    earlier = make_report(petugas, submit=True, judul="Diajukan dulu")
    verified_report(petugas, verifikator, judul="Diajukan kemudian")
    services.act(earlier, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2")
    nodes = api.execute(PAGE, {"first": 5})["data"]["reports"]["nodes"]
    assert [n["judul"] for n in nodes] == ["Diajukan dulu", "Diajukan kemudian"]


def count_queries(api, query, variables):
    with CaptureQueriesContext(connection) as ctx:
        result = api.execute(query, variables)
    assert "errors" not in result, result
    return len(ctx.captured_queries), result


@pytest.mark.parametrize("who", ["petugas", "verifikator", "pimpinan", "pengguna"])
def test_every_page_costs_the_same_queries_and_the_total_only_when_asked(
    api, request, petugas, verifikator, who
):
    for i in range(7):
        verified_report(petugas, verifikator, judul=f"L{i}", uploads=[photo()] if i % 2 else ())
    user = request.getfixturevalue(who)
    api.login(user.username, PASSWORD)
    query = load_operation("Reports")
    api.execute(query, {"first": 3})  # warm-up: the session stamps its first use
    first, page1 = count_queries(api, query, {"first": 3})
    cursor = page1["data"]["reports"]["pageInfo"]["endCursor"]
    second, page2 = count_queries(api, query, {"first": 3, "after": cursor})
    assert page2["data"]["reports"]["nodes"], "the second page is not empty"
    assert first == second, (first, second)
    with_total, counted = count_queries(api, query, {"first": 3, "withTotal": True})
    assert with_total == first + 1
    assert counted["data"]["reports"]["totalCount"] == 7


def test_total_count_is_capped_with_a_flag(api, petugas):
    for i in range(4):
        make_report(petugas, judul=f"D{i}")
    api.login(petugas.username, PASSWORD)
    from django.conf import settings

    query = "{ reports(first: 1) { totalCount totalCountCapped } }"
    assert api.execute(query)["data"]["reports"] == {"totalCount": 4, "totalCountCapped": False}
    with override_settings(SIKANDA_API={**settings.SIKANDA_API, "COUNT_LIMIT": 3}):
        capped = api.execute(query)["data"]["reports"]
    assert capped == {"totalCount": 3, "totalCountCapped": True}


def _cursor(*parts):
    raw = json.dumps(list(parts)).encode()
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "cursor",
    [
        "bukan-kursor",
        "%%%",
        "²",
        _cursor("terlihat"),
        _cursor("terlihat", "2026-11-27T08:00:00", 5),  # no offset
        _cursor("terlihat", "kemarin", 5),
        _cursor("terlihat", "2026-11-27T08:00:00+08:00", "5"),
        _cursor("kejadian", "2026-11-27T08:00:00+08:00", 5),  # another ordering
        _cursor("judul", "Polsek", 5),  # another list
        _cursor("terlihat", "9999-12-31T23:59:59-14:00", 5),
        _cursor("terlihat", "0001-01-01T00:00:00+14:00", 5),
        _cursor("terlihat", "2026-11-27T08:00:00+08:00", 10**30),
        _cursor("terlihat", "2026-11-27T08:00:00+08:00", -1),
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),
        "A" * 600,
    ],
)
def test_invalid_cursor_is_a_typed_error_not_a_server_error(api, cursor):
    result = api.execute(PAGE, {"after": cursor})
    assert result["data"] is None
    assert [e["extensions"]["code"] for e in result["errors"]] == ["BAD_USER_INPUT"]
    assert "Kursor tidak sah" in result["errors"][0]["message"]


def test_cursor_from_another_list_or_ordering_is_refused(api, petugas):
    make_report(petugas)
    factories.make_facility("Polsek Juai")
    api.login(petugas.username, PASSWORD)
    facility_cursor = api.execute(
        "{ facilities(first: 1) { pageInfo { endCursor } } }"
    )["data"]["facilities"]["pageInfo"]["endCursor"]
    mine_cursor = api.execute(PAGE, {"mine": True, "first": 1})["data"]["reports"]["pageInfo"][
        "endCursor"
    ]
    for cursor, variables in [(facility_cursor, {}), (mine_cursor, {"orderBy": "EVENT_TIME"})]:
        result = api.execute(PAGE, {**variables, "after": cursor})
        assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("first", [51, -1, 10_000])
def test_page_size_outside_the_limit_is_refused(api, first):
    result = api.execute(PAGE, {"first": first})
    assert result["errors"][0]["extensions"]["code"] == "PAGE_SIZE_LIMIT"


def test_first_zero_answers_only_the_total(api, petugas):
    make_report(petugas)
    api.login(petugas.username, PASSWORD)
    result = api.execute("{ reports(first: 0) { totalCount nodes { id } pageInfo { hasNextPage "
                         "endCursor } } }")["data"]["reports"]
    assert result == {
        "totalCount": 1, "nodes": [], "pageInfo": {"hasNextPage": True, "endCursor": None}
    }


def test_filters_by_event_range_read_naive_times_as_wita(api, petugas):
    wita = datetime.timezone(datetime.timedelta(hours=8))
    now = timezone.now().astimezone(wita)
    morning = now.replace(hour=7, minute=0, second=0, microsecond=0) - datetime.timedelta(days=1)
    make_report(petugas, judul="Pagi", waktu_kejadian=morning)
    make_report(petugas, judul="Sore", waktu_kejadian=morning + datetime.timedelta(hours=9))
    make_report(petugas, judul="Lusa", urgensi="rendah",
                waktu_kejadian=morning - datetime.timedelta(days=2))
    api.login(petugas.username, PASSWORD)
    day = morning.replace(hour=0)
    query = load_operation("Reports")
    # 07:00 WITA is 23:00 UTC the day before: a naive time read as UTC would miss it.
    result = api.execute(query, {
        "eventFrom": day.strftime("%Y-%m-%dT%H:%M:%S"),
        "eventTo": (day + datetime.timedelta(hours=8)).strftime("%Y-%m-%dT%H:%M:%S"),
    })["data"]["reports"]["nodes"]
    assert [n["judul"] for n in result] == ["Pagi"]
    tinggi = api.execute(query, {"urgensi": "TINGGI", "kecamatan": "paringin",
                                 "aspek": "sosial-budaya", "status": "DRAF"})
    assert {n["judul"] for n in tinggi["data"]["reports"]["nodes"]} == {"Pagi", "Sore"}


def test_news_and_facilities_page_by_cursor(api):
    for i in range(5):
        factories.make_news(f"Berita {i}")
    for name in ["Polsek Awayan", "Koramil Halong", "Puskesmas Juai", "Damkar Paringin"]:
        factories.make_facility(name)

    def titles(query, key, after=None):
        data = api.execute(query, {"after": after})["data"][key]
        return [n["title"] for n in data["nodes"]], data["pageInfo"]

    news = "query($after:String){newsList(first:3,after:$after){nodes{title}" \
        "pageInfo{hasNextPage endCursor}}}"
    page1, info = titles(news, "newsList")
    factories.make_news("Berita sela")
    page2, last = titles(news, "newsList", info["endCursor"])
    assert page1 + page2 == [f"Berita {i}" for i in range(4, -1, -1)]
    assert last["hasNextPage"] is False

    places = "query($after:String){facilities(first:3,after:$after){nodes{title}" \
        "pageInfo{hasNextPage endCursor}}}"
    page1, info = titles(places, "facilities")
    factories.make_facility("Apotek Batumandi")  # sorts before the cursor: next refresh
    page2, _ = titles(places, "facilities", info["endCursor"])
    assert page1 + page2 == sorted(
        ["Polsek Awayan", "Koramil Halong", "Puskesmas Juai", "Damkar Paringin"]
    )


def test_title_cursor_with_a_nul_character_is_refused(api):
    result = api.execute(
        "query($after:String){ facilities(after: $after) { nodes { title } } }",
        {"after": _cursor("judul", "Pol\u0000sek", 5)},
    )
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


@pytest.mark.parametrize("bound", ["9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00"])
def test_event_range_at_the_ends_of_the_calendar_is_a_typed_error(api, bound):
    result = api.op("Reports", {"eventFrom": bound})
    assert result["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
