import shutil

import pytest
from django.conf import settings

from cms.accounts import roles

from . import factories


@pytest.fixture(autouse=True, scope="session")
def _clean_media():
    yield
    shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)
    shutil.rmtree(settings.SIKANDA_PRIVATE_MEDIA_ROOT, ignore_errors=True)


@pytest.fixture
def administrator(db):
    return factories.make_user(roles.ADMINISTRATOR, username="admin.uji")


@pytest.fixture
def verifikator(db):
    return factories.make_user(
        roles.VERIFIKATOR, username="verifikator.uji", kecamatan=[factories.kecamatan("paringin")]
    )


@pytest.fixture
def petugas(db):
    return factories.make_user(
        roles.PETUGAS, username="petugas.uji", kecamatan=[factories.kecamatan("paringin")]
    )


@pytest.fixture
def pimpinan(db):
    return factories.make_user(roles.PIMPINAN, username="pimpinan.uji")


@pytest.fixture
def pengguna(db):
    return factories.make_user(roles.PENGGUNA, username="warga.uji")
