"""Device sessions as a phone on a weak network uses them: stale headers,
lost answers, stolen refresh tokens, password changes."""

import datetime
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.utils import timezone

from cms.accounts import tokens
from cms.accounts.models import DeviceSession, RevocationReason, RotatedRefreshToken
from cms.api.contract import load_operation
from tests.api.client import GraphQLClient
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ME = "query { me { username } }"


@pytest.fixture
def api(client):
    from django.core.cache import cache

    cache.clear()
    return GraphQLClient(client)


def refresh(api, refresh_token, token=None):
    return api.op("RefreshToken", {"refreshToken": refresh_token}, token=token)["data"][
        "refreshToken"
    ]


def expire_access(session_pk):
    DeviceSession.objects.filter(pk=session_pk).update(
        access_expires_at=timezone.now() - datetime.timedelta(seconds=1)
    )


def age_rotation(seconds):
    RotatedRefreshToken.objects.update(
        rotated_at=timezone.now() - datetime.timedelta(seconds=seconds)
    )


# -- which header when --------------------------------------------------------


def test_refresh_with_an_expired_access_token_in_the_header(api, petugas):
    """Apollo/Flutter links attach the last access token to every request."""
    first = api.login("petugas.uji", PASSWORD)
    expire_access(DeviceSession.objects.get().pk)
    assert api.raw(ME, token=first["accessToken"]).status_code == 401

    response = api.raw(
        load_operation("RefreshToken"), {"refreshToken": first["refreshToken"]},
        token=first["accessToken"],
    )
    assert response.status_code == 200
    payload = response.json()["data"]["refreshToken"]
    assert payload["errors"] == [] and payload["accessToken"]
    assert api.execute(ME, token=payload["accessToken"])["data"]["me"]["username"] == "petugas.uji"


def test_login_and_register_ignore_a_revoked_or_garbage_header(api, petugas):
    first = api.login("petugas.uji", PASSWORD)
    assert api.op("Logout", token=first["accessToken"])["data"]["logout"]["ok"] is True
    for stale in (first["accessToken"], "skd_a_bukan-token", "sampah"):
        login = api.op(
            "Login", {"username": "petugas.uji", "password": PASSWORD}, token=stale
        )["data"]["login"]
        assert login["errors"] == [] and login["accessToken"]
    registered = api.op(
        "Register",
        {"username": "warga.baru", "email": "w@example.id", "password": "Kuat-sekali-2026"},
        token=first["accessToken"],
    )["data"]["register"]
    assert registered["errors"] == [] and registered["accessToken"]


def test_a_stale_header_is_still_refused_for_everything_else(api, petugas):
    first = api.login("petugas.uji", PASSWORD)
    expire_access(DeviceSession.objects.get().pk)
    # A query, a mutation that is not login/refresh, and a login smuggled
    # next to another field: all 401, so the app knows to refresh.
    smuggled = (
        'mutation { login(username: "petugas.uji", password: "PW") { accessToken } '
        "logout { ok } }"
    ).replace("PW", PASSWORD
    )
    for document in (ME, load_operation("Logout"), smuggled):
        response = api.raw(document, token=first["accessToken"])
        assert response.status_code == 401, document
        assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    # The attachment view takes bearer tokens too; a stale one is refused there.
    assert api.client.get(
        "/laporan/lampiran/1/", headers={"authorization": f"Bearer {first['accessToken']}"}
    ).status_code == 401


def test_lockout_still_applies_to_logins_with_a_stale_header(api, petugas, settings):
    settings.AXES_FAILURE_LIMIT = 3
    stale = api.login("petugas.uji", PASSWORD)["accessToken"]
    expire_access(DeviceSession.objects.get().pk)
    for _ in range(2):
        failed = api.op("Login", {"username": "petugas.uji", "password": "salah"}, token=stale)
        assert failed["data"]["login"]["errors"][0]["code"] == "INVALID_CREDENTIALS"
    api.op("Login", {"username": "petugas.uji", "password": "salah"}, token=stale)
    locked = api.raw(
        load_operation("Login"), {"username": "petugas.uji", "password": PASSWORD}, token=stale
    )
    assert locked.status_code == 429
    assert locked.json()["errors"][0]["extensions"]["code"] == "LOCKED_OUT"


def test_the_bearer_scheme_is_case_insensitive(api, petugas):
    token = api.login("petugas.uji", PASSWORD)["accessToken"]
    for scheme in ("bearer", "BEARER", "Bearer", "bEaReR"):
        response = api.client.post(
            "/graphql/", {"query": ME}, content_type="application/json",
            headers={"authorization": f"{scheme} {token}"},
        )
        assert response.json()["data"]["me"] == {"username": "petugas.uji"}, scheme
    # A bad token under a lower-case scheme is refused, not taken as anonymous.
    response = api.client.post(
        "/graphql/", {"query": ME}, content_type="application/json",
        headers={"authorization": "bearer skd_a_salah"},
    )
    assert response.status_code == 401


# -- rotation, lost answers, reuse -------------------------------------------


def test_lost_answer_retried_within_the_grace_window_gets_the_same_pair(api, petugas):
    first = api.login("petugas.uji", PASSWORD)
    lost = refresh(api, first["refreshToken"])  # the phone never received this
    retried = refresh(api, first["refreshToken"])
    assert retried["errors"] == []
    assert (retried["accessToken"], retried["refreshToken"]) == (
        lost["accessToken"], lost["refreshToken"]
    )
    assert (retried["accessExpiresAt"], retried["refreshExpiresAt"]) == (
        lost["accessExpiresAt"], lost["refreshExpiresAt"]
    )
    # The pair works and carries on rotating.
    assert api.execute(ME, token=retried["accessToken"])["data"]["me"] is not None
    following = refresh(api, retried["refreshToken"])
    assert following["errors"] == [] and following["refreshToken"] != retried["refreshToken"]
    assert DeviceSession.objects.get().revoked_at is None


def test_reuse_after_the_grace_window_revokes_the_whole_session(api, petugas, settings):
    settings.SIKANDA_REFRESH_GRACE_SECONDS = 60
    first = api.login("petugas.uji", PASSWORD)
    second = refresh(api, first["refreshToken"])
    third = refresh(api, second["refreshToken"])
    other_device = api.login("petugas.uji", PASSWORD, device="Tablet")

    age_rotation(61)
    stolen = refresh(api, first["refreshToken"])
    assert stolen["accessToken"] is None
    assert stolen["errors"][0]["code"] == "INVALID_CREDENTIALS"

    # Every token descended from that login is dead: the newest pair too.
    session = DeviceSession.objects.get(device_name="uji")
    assert session.revoked_reason == RevocationReason.REUSE
    assert api.raw(ME, token=third["accessToken"]).status_code == 401
    assert refresh(api, third["refreshToken"])["accessToken"] is None
    # Another login of the same user is another session: untouched.
    assert api.execute(ME, token=other_device["accessToken"])["data"]["me"] is not None


def test_reuse_of_an_older_token_inside_the_window_is_reuse(api, petugas):
    """Only the *latest* rotation can be retried: a token two generations back
    reappearing means someone else holds a copy."""
    first = api.login("petugas.uji", PASSWORD)
    second = refresh(api, first["refreshToken"])
    third = refresh(api, second["refreshToken"])
    assert refresh(api, first["refreshToken"])["accessToken"] is None
    assert api.raw(ME, token=third["accessToken"]).status_code == 401


def test_the_thief_who_refreshes_first_loses_the_session_for_both(api, petugas):
    victim = api.login("petugas.uji", PASSWORD)
    thief = refresh(api, victim["refreshToken"])
    age_rotation(120)
    # The victim's app comes back with the token it holds: reuse.
    assert refresh(api, victim["refreshToken"])["accessToken"] is None
    assert api.raw(ME, token=thief["accessToken"]).status_code == 401


def test_unknown_and_malformed_refresh_tokens(api, petugas):
    api.login("petugas.uji", PASSWORD)
    for token in ("", "skd_r_tidak-ada", "skd_a_salah-jenis", "x" * 10_000):
        assert refresh(api, token)["errors"][0]["code"] == "INVALID_CREDENTIALS"
    assert DeviceSession.objects.get().revoked_at is None


def test_old_rotations_are_pruned(api, petugas, settings):
    settings.SIKANDA_REFRESH_TOKEN_SECONDS = 3600
    first = api.login("petugas.uji", PASSWORD)
    second = refresh(api, first["refreshToken"])
    age_rotation(3601)
    refresh(api, second["refreshToken"])
    assert RotatedRefreshToken.objects.count() == 1


def test_refresh_is_a_bounded_number_of_queries(api, petugas, django_assert_max_num_queries):
    first = api.login("petugas.uji", PASSWORD)
    with django_assert_max_num_queries(6):
        assert tokens.refresh(first["refreshToken"]) is not None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_retries_all_get_the_same_pair(petugas):
    """Real threads on PostgreSQL: the phone fires the same refresh several
    times at once; one rotates, the others wait on the row lock and get its pair."""
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks")
    session, _access, refresh_token = tokens.issue(petugas, "uji")
    results, barrier = [], threading.Barrier(5)

    def worker():
        try:
            barrier.wait()
            result = tokens.refresh(refresh_token)
            results.append(None if result is None else result[1:])
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(results) == 5 and None not in results
    assert len(set(results)) == 1
    session.refresh_from_db()
    assert session.revoked_at is None
    assert RotatedRefreshToken.objects.filter(session=session).count() == 1


# -- a new password ends app sessions ----------------------------------------


def test_password_change_through_djangos_form_revokes_every_device(api, petugas):
    from django.contrib.auth.forms import PasswordChangeForm

    phone = api.login("petugas.uji", PASSWORD, device="HP")
    tablet = api.login("petugas.uji", PASSWORD, device="Tablet")
    form = PasswordChangeForm(petugas, {
        "old_password": PASSWORD, "new_password1": "Sandi-baru-2026!",
        "new_password2": "Sandi-baru-2026!",
    })
    assert form.is_valid(), form.errors
    form.save()
    for payload in (phone, tablet):
        assert api.raw(ME, token=payload["accessToken"]).status_code == 401
        assert refresh(api, payload["refreshToken"])["accessToken"] is None
    assert set(DeviceSession.objects.values_list("revoked_reason", flat=True)) == {
        RevocationReason.PASSWORD
    }
    assert api.login("petugas.uji", "Sandi-baru-2026!")["accessToken"]


def test_password_reset_revokes(api, petugas):
    from django.contrib.auth.forms import SetPasswordForm

    phone = api.login("petugas.uji", PASSWORD)
    form = SetPasswordForm(petugas, {
        "new_password1": "Sandi-baru-2026!", "new_password2": "Sandi-baru-2026!",
    })
    assert form.is_valid(), form.errors
    form.save()
    assert api.raw(ME, token=phone["accessToken"]).status_code == 401


def test_administrator_sets_a_users_password_in_the_admin(api, petugas, administrator):
    phone = api.login("petugas.uji", PASSWORD)
    browser = Client()
    browser.force_login(administrator)
    response = browser.post(f"/admin/users/edit/{petugas.pk}/", {
        "username": "petugas.uji", "email": "p@example.id", "first_name": "Petugas",
        "last_name": "Uji", "password1": "Sandi-baru-2026!", "password2": "Sandi-baru-2026!",
        "is_active": "on", "groups": list(petugas.groups.values_list("pk", flat=True)),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert api.raw(ME, token=phone["accessToken"]).status_code == 401


def test_own_password_change_in_the_admin_keeps_the_browser_session(api, administrator):
    phone = api.login("admin.uji", PASSWORD)
    browser = Client()
    browser.force_login(administrator)
    response = browser.post(f"/admin/users/edit/{administrator.pk}/", {
        "username": "admin.uji", "email": "a@example.id", "first_name": "Admin",
        "last_name": "Uji", "password1": "Sandi-baru-2026!", "password2": "Sandi-baru-2026!",
        "groups": list(administrator.groups.values_list("pk", flat=True)),
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert browser.get("/admin/").status_code == 200  # still signed in here
    assert api.raw(ME, token=phone["accessToken"]).status_code == 401


def test_saves_without_a_new_password_revoke_nothing(api, petugas):
    phone = api.login("petugas.uji", PASSWORD)
    user = get_user_model().objects.get(pk=petugas.pk)
    user.first_name = "Budi"
    user.save()
    # Logging in again (which updates last_login, and may re-hash the same
    # password after a hasher upgrade) revokes nothing either.
    api.login("petugas.uji", PASSWORD, device="Tablet")
    assert api.execute(ME, token=phone["accessToken"])["data"]["me"] is not None


def test_rehash_of_the_same_password_on_login_revokes_nothing(api, petugas, settings):
    phone = api.login("petugas.uji", PASSWORD)
    # Stored with a weaker hasher: the next login upgrades the hash.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
        "django.contrib.auth.hashers.MD5PasswordHasher",
    ]
    from django.contrib.auth.hashers import make_password

    get_user_model().objects.filter(pk=petugas.pk).update(
        password=make_password(PASSWORD, hasher="md5")
    )
    api.login("petugas.uji", PASSWORD, device="Tablet")
    assert get_user_model().objects.get(pk=petugas.pk).password.startswith("pbkdf2_")
    assert api.execute(ME, token=phone["accessToken"])["data"]["me"] is not None
