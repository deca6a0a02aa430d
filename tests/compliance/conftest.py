import datetime

import pytest
from django.utils import timezone

from cms.accounts import roles
from cms.recaps.periods import WITA, local_date
from tests import factories
from tests.api.conftest import api  # noqa: F401


def wita(day, hour, minute=0):
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=WITA)


@pytest.fixture
def today():
    return local_date(timezone.now())


@pytest.fixture
def kemarin(today):
    return today - datetime.timedelta(days=1)


def officer(slug, username=None):
    return factories.make_user(roles.PETUGAS, username or f"petugas.{slug}",
                               kecamatan=[factories.kecamatan(slug)])


def verifier(slug, username=None):
    return factories.make_user(roles.VERIFIKATOR, username or f"verifikator.{slug}",
                               kecamatan=[factories.kecamatan(slug)])
