"""Generating every recap that is due: idempotent, also when two processes
run at once."""

import datetime
import threading
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from cms.recaps.generation import generate
from cms.recaps.models import RekapKabupaten, RekapKecamatan
from cms.recaps.periods import WITA
from cms.reports.models import Kecamatan

NOW = datetime.datetime(2026, 12, 2, 9, 0, tzinfo=WITA)


@pytest.mark.django_db
def test_command_creates_each_due_recap_once_and_reports_progress():
    out = StringIO()
    call_command("generate_recaps", "--cadence", "harian", "--since", "2026-11-28",
                 "--now", "2026-12-02T09:00", stdout=out)
    kecamatan = Kecamatan.objects.count()
    assert RekapKecamatan.objects.count() == 4 * kecamatan
    assert RekapKabupaten.objects.count() == 4
    text = out.getvalue()
    assert "Sabtu, 28 November 2026" in text and "Selasa, 1 Desember 2026" in text
    assert f"Selesai: {4 * (kecamatan + 1)} rekap dibuat, 0 sudah ada." in text

    out = StringIO()
    call_command("generate_recaps", "--cadence", "harian", "--since", "2026-11-28",
                 "--now", "2026-12-02T09:00", stdout=out)
    assert RekapKecamatan.objects.count() == 4 * kecamatan
    assert f"Selesai: 0 rekap dibuat, {4 * (kecamatan + 1)} sudah ada." in out.getvalue()
    assert not RekapKecamatan.objects.filter(live=True).exists()


@pytest.mark.django_db
def test_without_since_it_catches_up_from_the_newest_recap():
    generate(now=NOW, cadences=["harian"])
    assert list(RekapKabupaten.objects.values_list("periode_mulai", flat=True)) == [
        datetime.date(2026, 12, 1)
    ]
    # The cron job did not run for three days.
    later = NOW + datetime.timedelta(days=3)
    generate(now=later, cadences=["harian"])
    assert sorted(RekapKabupaten.objects.values_list("periode_mulai", flat=True)) == [
        datetime.date(2026, 12, d) for d in (1, 2, 3, 4)
    ]


@pytest.mark.django_db
def test_all_cadences_and_bad_input():
    generate(now=NOW)
    assert set(RekapKabupaten.objects.values_list("periode", "periode_mulai")) == {
        ("harian", datetime.date(2026, 12, 1)),
        ("mingguan", datetime.date(2026, 11, 23)),
        ("bulanan", datetime.date(2026, 11, 1)),
    }
    from django.core.management.base import CommandError

    with pytest.raises(CommandError):
        call_command("generate_recaps", "--since", "2026-13-01", stdout=StringIO())
    with pytest.raises(CommandError):
        call_command("generate_recaps", "--since", "2026-12-01", "--until", "2026-11-01",
                     stdout=StringIO())


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_concurrent_runs_create_each_recap_once():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers")
    barrier = threading.Barrier(2)
    errors = []

    def run():
        from django.db import connections

        try:
            barrier.wait(timeout=10)
            generate(now=NOW, cadences=["harian", "mingguan"],
                     since=datetime.date(2026, 11, 20))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    days, weeks = 12, 2  # 20 Nov – 1 Dec; weeks of 16 and 23 Nov
    kecamatan = Kecamatan.objects.count()
    assert RekapKecamatan.objects.count() == (days + weeks) * kecamatan
    assert RekapKabupaten.objects.count() == days + weeks
