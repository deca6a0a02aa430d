"""Two officers of one kecamatan (or one officer's double tap on two phones)
file the same day's nihil at the same moment: one record, one audit entry,
both answered with it. Real threads on PostgreSQL (SQLite serialises writers)."""

import pytest
from django.db import connection
from wagtail.models import ModelLogEntry

from cms.compliance import services
from cms.compliance.models import LaporanNihil
from tests.reports.test_concurrency import race

from .conftest import officer

ROUNDS = 10

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers; races need a real server (PostgreSQL in CI).",
    ),
]


def test_concurrent_filings_make_one_record():
    first, second = officer("halong", "petugas.satu"), officer("halong", "petugas.dua")
    for _ in range(ROUNDS):
        LaporanNihil.objects.all().delete()
        ModelLogEntry.objects.filter(action=services.FILE_ACTION).delete()
        outcomes = race(lambda: services.file_nihil(first), lambda: services.file_nihil(second),
                        lambda: services.file_nihil(first))
        assert all(kind == "ok" for kind, _ in outcomes), outcomes
        records = {result[0].pk for _, result in outcomes}
        assert len(records) == 1
        assert sorted(result[1] for _, result in outcomes) == [False, False, True]
        assert LaporanNihil.objects.count() == 1
        assert ModelLogEntry.objects.filter(action=services.FILE_ACTION).count() == 1
