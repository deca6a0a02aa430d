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


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(config, items):
    """Browser tests run last. Playwright keeps an event loop in the main
    thread for the rest of the session, and from then on Django's
    context-local connection object no longer carries the serialized copy of
    the migrations' data that `serialized_rollback` restores; every
    transactional test after them would start on an empty database."""
    items[:] = [i for i in items if not in_browser(i)] + [i for i in items if in_browser(i)]


def in_browser(item):
    path = str(item.path)
    return "/tests/browser/" in path or path.endswith("/tests/mobile/test_browser.py")


@pytest.fixture(autouse=True)
def _browser_test_migration_data(request):
    """Every browser test starts with the migrations' data, whichever
    fixtures it asks for. Tied to the test's place, not to a fixture it may
    or may not use: a browser test that built its own context (no `phone`)
    once started on the empty database the previous test's flush left, and
    failed only when it ran after another browser test."""
    if not in_browser(request.node):
        return
    from tests.browser.conftest import restore_migration_data

    request.getfixturevalue("transactional_db")
    restore_migration_data(request.getfixturevalue("_serialized_migration_data"))


# One browser for the whole session, shared by tests/browser and tests/mobile:
# Playwright's sync API cannot start a second time while its loop runs.
@pytest.fixture(scope="session")
def _serialized_migration_data(django_db_setup, django_db_blocker):
    """The copy of the migrations' data (roles, kecamatan, workflow) Django
    keeps on the test connection for `serialized_rollback`, taken before
    Playwright starts: once its event loop runs in this thread, asgiref's
    context-local `connections` hands out a fresh connection object without
    that copy, and the flush after a live-server test would leave the next
    test an empty database."""
    from django.db import connection

    with django_db_blocker.unblock():
        return getattr(connection, "_test_serialized_contents", None)


@pytest.fixture(scope="session")
def chromium(_serialized_migration_data):
    from tests.browser.conftest import ARGS, CHROMIUM, sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield browser
        browser.close()
