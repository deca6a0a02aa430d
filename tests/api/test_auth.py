import datetime

import pytest
from django.test import override_settings
from django.utils import timezone

from cms.accounts import roles
from cms.accounts.models import DeviceSession
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ME = "query { me { username roles kecamatanPelaporan { slug } } }"


def test_login_me_refresh_logout(api, petugas):
    payload = api.login("petugas.uji", PASSWORD)
    assert payload["user"]["roles"] == [roles.PETUGAS]
    me = api.execute(ME)["data"]["me"]
    assert me["username"] == "petugas.uji"
    assert me["kecamatanPelaporan"] == [{"slug": "paringin"}]

    refreshed = api.op("RefreshToken", {"refreshToken": payload["refreshToken"]})["data"][
        "refreshToken"
    ]
    assert refreshed["errors"] == []
    # The old access token stops working once rotated; the new one works.
    assert api.raw(ME, token=payload["accessToken"]).status_code == 401
    assert (
        api.execute(ME, token=refreshed["accessToken"])["data"]["me"]["username"] == "petugas.uji"
    )
    api.token = refreshed["accessToken"]
    # Presenting the old refresh token again at once is a retry of a lost
    # answer: the same pair (tests/accounts/test_sessions.py covers reuse).
    again = api.op("RefreshToken", {"refreshToken": payload["refreshToken"]})["data"][
        "refreshToken"
    ]
    assert (again["accessToken"], again["refreshToken"]) == (
        refreshed["accessToken"], refreshed["refreshToken"]
    )

    assert api.op("Logout", token=refreshed["accessToken"])["data"]["logout"]["ok"] is True
    assert api.raw(ME, token=refreshed["accessToken"]).status_code == 401


def test_login_by_email(api, django_user_model):
    from tests.factories import make_user

    make_user(roles.PENGGUNA, username="siti", email="siti@example.id")
    assert api.login("SITI@example.id", PASSWORD)["user"]["username"] == "siti"


def test_tokens_are_stored_hashed(api, petugas):
    payload = api.login("petugas.uji", PASSWORD)
    session = DeviceSession.objects.get(user=petugas)
    stored = {session.access_hash, session.refresh_hash}
    assert payload["accessToken"] not in stored and payload["refreshToken"] not in stored
    assert all(len(value) == 64 for value in stored)


def test_wrong_password_is_a_typed_translated_error(api, petugas):
    result = api.op("Login", {"username": "petugas.uji", "password": "salah"})["data"]["login"]
    assert result["accessToken"] is None
    assert result["errors"] == [
        {
            "field": None,
            "code": "INVALID_CREDENTIALS",
            "message": "Nama pengguna atau kata sandi salah.",
        }
    ]
    english = api.op("Login", {"username": "petugas.uji", "password": "salah"}, language="en")
    assert english["data"]["login"]["errors"][0]["code"] == "INVALID_CREDENTIALS"


@override_settings(AXES_FAILURE_LIMIT=3)
def test_repeated_failures_lock_the_account_out(api, petugas):
    for _ in range(3):
        api.op("Login", {"username": "petugas.uji", "password": "salah"})
    from cms.api.contract import load_operation

    locked = api.raw(load_operation("Login"), {"username": "petugas.uji", "password": PASSWORD})
    assert locked.status_code == 429
    assert locked.json()["errors"][0]["extensions"]["code"] == "LOCKED_OUT"
    assert not DeviceSession.objects.filter(user=petugas).exists()
    # Another user from the same address is not locked out.
    from tests.factories import make_user

    make_user(roles.PETUGAS, username="petugas.lain")
    assert api.login("petugas.lain", PASSWORD)["accessToken"]


def test_expired_access_token_is_refused(api, petugas):
    payload = api.login("petugas.uji", PASSWORD)
    DeviceSession.objects.update(access_expires_at=timezone.now() - datetime.timedelta(seconds=1))
    response = api.raw(ME, token=payload["accessToken"])
    assert response.status_code == 401
    assert response.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


def test_user_revokes_a_lost_device(api, petugas):
    phone = api.login("petugas.uji", PASSWORD, device="HP hilang")
    tablet = api.login("petugas.uji", PASSWORD, device="Tablet")
    devices = api.op("Me", token=tablet["accessToken"])["data"]["myDevices"]
    lost = next(d for d in devices if d["deviceName"] == "HP hilang")
    revoked = api.op("RevokeDevice", {"id": lost["id"]}, token=tablet["accessToken"])
    assert revoked["data"]["revokeDevice"]["ok"] is True
    assert api.raw(ME, token=phone["accessToken"]).status_code == 401
    assert api.execute(ME, token=tablet["accessToken"])["data"]["me"]["username"] == "petugas.uji"


def test_a_user_cannot_revoke_someone_elses_device(api, petugas, pengguna):
    victim = api.login("petugas.uji", PASSWORD)
    session_id = DeviceSession.objects.get(user=petugas).pk
    attacker = api.login("warga.uji", PASSWORD)
    result = api.op("RevokeDevice", {"id": str(session_id)}, token=attacker["accessToken"])
    assert result["data"]["revokeDevice"]["ok"] is False
    assert api.execute(ME, token=victim["accessToken"])["data"]["me"] is not None


def test_guest_registers_as_pengguna(api):
    result = api.op(
        "Register",
        {
            "username": "warga.baru",
            "email": "warga@example.id",
            "password": "Kuat-sekali-2026",
            "fullName": "Warga Baru",
        },
    )
    payload = result["data"]["register"]
    assert payload["errors"] == [] and payload["user"]["roles"] == [roles.PENGGUNA]
    assert api.execute(ME, token=payload["accessToken"])["data"]["me"]["username"] == "warga.baru"


def test_registration_rejects_a_weak_password(api, django_user_model):
    weak = api.op("Register", {"username": "x1", "email": "baru@example.id", "password": "123"})
    assert {e["field"] for e in weak["data"]["register"]["errors"]} == {"password"}
    assert weak["data"]["register"]["accessToken"] is None
    assert not django_user_model.objects.filter(username="x1").exists()


def test_session_cookie_requests_need_csrf_but_bearer_requests_do_not(petugas):
    from django.test import Client

    from .client import GraphQLClient

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(petugas)
    assert GraphQLClient(browser).raw(ME).status_code == 403
    app = GraphQLClient(Client(enforce_csrf_checks=True))
    app.login("petugas.uji", PASSWORD)
    assert app.execute(ME)["data"]["me"]["username"] == "petugas.uji"


def test_administrator_sees_and_revokes_device_sessions_in_admin(
    client, api, petugas, administrator
):
    payload = api.login("petugas.uji", PASSWORD)
    session = DeviceSession.objects.get(user=petugas)
    client.force_login(administrator)
    listing = client.get("/admin/accounts/devicesession/")
    assert listing.status_code == 200 and "petugas.uji" in listing.content.decode()
    client.post(f"/admin/accounts/devicesession/delete/{session.pk}/")
    session.refresh_from_db()
    assert session.revoked_at is not None
    assert api.raw(ME, token=payload["accessToken"]).status_code == 401


def test_verifier_cannot_see_device_sessions_in_admin(client, verifikator):
    client.force_login(verifikator)
    assert client.get("/admin/accounts/devicesession/").status_code in (302, 403)
