import datetime

import pytest
from django.utils import timezone

from cms.accounts import roles
from cms.reports.models import Aspek, JenisATHG
from tests import factories
from tests.reports.reports_factories import make_report, verified_report


@pytest.fixture
def verifikator_halong(db):
    return factories.make_user(
        roles.VERIFIKATOR, username="verifikator.halong", kecamatan=[factories.kecamatan("halong")]
    )


@pytest.fixture
def petugas_halong(db):
    return factories.make_user(
        roles.PETUGAS, username="petugas.halong", kecamatan=[factories.kecamatan("halong")]
    )


def days_ago(days, hour=10):
    """A moment `days` WITA days before today, at `hour` WITA — or now, when
    that hour of today has not come yet (the suite runs at any time of day,
    and an event time may not be in the future)."""
    today = timezone.localdate()
    day = today - datetime.timedelta(days=days)
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
    return min(moment, timezone.now())


@pytest.fixture
def spread(petugas, verifikator, petugas_halong, verifikator_halong):
    """Verified reports this week and last, in two kecamatan, several aspects,
    public and restricted, plus one waiting for verification (DARURAT)."""
    sosbud = Aspek.objects.get(slug="sosial-budaya")
    ekonomi = Aspek.objects.get(slug="ekonomi")
    ancaman = JenisATHG.objects.get(slug="ancaman")
    gangguan = JenisATHG.objects.get(slug="gangguan")
    now = [
        verified_report(petugas, verifikator, waktu_kejadian=days_ago(1), aspek=sosbud,
                        jenis_athg=gangguan, urgensi="tinggi"),
        verified_report(petugas, verifikator, waktu_kejadian=days_ago(2), aspek=ekonomi,
                        jenis_athg=ancaman, urgensi="sedang", klasifikasi="terbatas"),
        verified_report(petugas_halong, verifikator_halong, kec="halong",
                        waktu_kejadian=days_ago(3), aspek=ekonomi, jenis_athg=gangguan,
                        urgensi="darurat", latitude="-2.385300", longitude="115.640500"),
    ]
    before = [
        verified_report(petugas, verifikator, waktu_kejadian=days_ago(5), aspek=sosbud,
                        jenis_athg=gangguan, urgensi="tinggi"),
    ]
    waiting = make_report(petugas, submit=True, waktu_kejadian=days_ago(1), urgensi="darurat")
    return {"now": now, "before": before, "waiting": waiting}


def range_params(first_days_ago=3, last_days_ago=0):
    today = timezone.localdate()
    return {
        "periode": "rentang",
        "dari": (today - datetime.timedelta(days=first_days_ago)).isoformat(),
        "sampai": (today - datetime.timedelta(days=last_days_ago)).isoformat(),
    }
