import datetime

import pytest
from django.utils import timezone

from cms.accounts import roles
from cms.recaps.generation import ensure
from cms.recaps.models import Penandatangan, RekapKabupaten, RekapKecamatan
from cms.recaps.periods import Period
from tests import factories
from tests.api.conftest import api  # noqa: F401
from tests.reports.reports_factories import verified_report


@pytest.fixture
def yesterday():
    return Period.containing("harian", timezone.now() - datetime.timedelta(days=1))


@pytest.fixture
def verifikator_halong(db):
    return factories.make_user(
        roles.VERIFIKATOR, username="verifikator.halong", kecamatan=[factories.kecamatan("halong")]
    )


@pytest.fixture
def penandatangan(db):
    signer = factories.make_user(roles.ADMINISTRATOR, username="kaban.kesbangpol")
    setting = Penandatangan.current()
    setting.pengguna = signer
    setting.nama = "Drs. H. Ahmad Fauzi, M.Si"
    setting.nip = "19700101 199003 1 005"
    setting.save()
    return signer


def report_in(period, petugas, verifikator, hour=10, **fields):
    moment = period.start + datetime.timedelta(hours=hour)
    return verified_report(petugas, verifikator, waktu_kejadian=moment, **fields)


@pytest.fixture
def rekap_paringin(db, yesterday):
    return ensure(RekapKecamatan, yesterday, kecamatan=factories.kecamatan("paringin"))[0]


@pytest.fixture
def rekap_kabupaten(db, yesterday):
    return ensure(RekapKabupaten, yesterday)[0]
