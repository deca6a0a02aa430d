import datetime

import pytest
from django.utils import timezone

from cms.accounts import roles
from cms.followup import transitions
from cms.followup.models import Instansi
from tests import factories
from tests.api.conftest import api  # noqa: F401
from tests.reports.reports_factories import verified_report


def agency(singkatan):
    return Instansi.objects.get(singkatan=singkatan)


def make_member(instansi, username=None):
    user = factories.make_user(roles.INSTANSI, username=username)
    instansi.anggota.add(user)
    return user


def due(hours=48):
    return timezone.now() + datetime.timedelta(hours=hours)


def issue(laporan, user, *agencies, **fields):
    fields.setdefault("instruksi", "Amankan lokasi dan laporkan perkembangan.")
    fields.setdefault("batas_waktu", due())
    return transitions.issue(
        laporan.pk, user, instansi_ids=[a.pk for a in agencies], **fields
    )


@pytest.fixture
def polres(db):
    return agency("Polres Balangan")


@pytest.fixture
def bpbd(db):
    return agency("BPBD Balangan")


@pytest.fixture
def anggota_polres(polres):
    return make_member(polres, "anggota.polres")


@pytest.fixture
def anggota_bpbd(bpbd):
    return make_member(bpbd, "anggota.bpbd")


@pytest.fixture
def laporan(petugas, verifikator):
    return verified_report(petugas, verifikator, judul="Banjir di Paringin",
                           klasifikasi="terbatas")
