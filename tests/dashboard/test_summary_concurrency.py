"""Two deliveries of `recap.signed` at the same moment (a retry racing the
first attempt, two workers) still make one summary index and one page per
month. Real threads on PostgreSQL; SQLite serialises writers."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from cms.home.models import RingkasanBulananIndexPage, RingkasanBulananPage
from cms.home.summaries import publish
from cms.recaps.periods import Period

ROUNDS = 5

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers; races need a real server (PostgreSQL in CI).",
    ),
]


def race(call, times=2):
    barrier = threading.Barrier(times)
    outcomes = [None] * times

    def run(index):
        try:
            barrier.wait()
            outcomes[index] = ("ok", call())
        except Exception as exc:
            outcomes[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def test_concurrent_publications_make_one_index_and_one_page():
    month = Period.containing("bulanan", timezone.now()).previous()
    for _ in range(ROUNDS):
        outcomes = race(lambda: publish(month).pk)
        assert [kind for kind, _value in outcomes] == ["ok", "ok"], outcomes
        assert outcomes[0][1] == outcomes[1][1]
        assert RingkasanBulananIndexPage.objects.count() == 1
        page = RingkasanBulananPage.objects.get()
        assert page.live
        # Start the next round from nothing again.
        RingkasanBulananIndexPage.objects.get().delete()
