"""Self-registration of guests: nobody registers a name that passes for staff
or for someone else, and the answer never tells which emails exist."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache

from cms.accounts import roles
from cms.accounts.models import UsernameSkeleton
from cms.accounts.usernames import skeleton
from tests.api.client import GraphQLClient
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

STRONG = "Kuat-sekali-2026"


@pytest.fixture
def api(client):
    cache.clear()
    return GraphQLClient(client)


def register(api, username, email="warga@example.id", password=STRONG, **extra):
    return api.op(
        "Register", {"username": username, "email": email, "password": password, **extra}
    )["data"]["register"]


def refused(payload):
    return payload["accessToken"] is None and payload["errors"] and all(
        error["field"] == "username" and error["code"] == "INVALID"
        for error in payload["errors"]
    )


@pytest.mark.parametrize("name", [
    "ADMIN", "Admin", "admіn",  # Cyrillic і
    "аdmin",  # Cyrillic а
    "ａｄｍｉｎ",  # full-width
    "adm1n", "ADMlN", "adrnin", "ädmin", "r00t", "Administrator", "KESBANGPOL",
    "sikanda", "admin.balangan", "kesbangpol_it",
    "verifikator.paringin2", "VERIFIKATOR_halong", "vеrifikator.juai",  # Cyrillic е
    "petugas.awayan", "pimpinan-1", "Pimpinan", "pengguna", "petugas",
])
def test_reserved_and_staff_lookalike_names_are_refused(api, name):
    payload = register(api, name)
    assert refused(payload), payload
    assert "mirip" in payload["errors"][0]["message"] or "aksara" in payload["errors"][0][
        "message"
    ]
    assert not get_user_model().objects.exclude(username__in=["admin"]).filter(
        email="warga@example.id"
    ).exists()


@pytest.mark.parametrize("name", [
    "Budi.Santoso", "budi_santoso", "budi-santoso", "budl.santoso", "bսdi.santoso",
    "BUDI.SANTOSO",
])
def test_names_confusable_with_an_existing_user_are_refused(api, name):
    make_user(roles.PENGGUNA, username="budi.santoso")
    assert refused(register(api, name))
    assert get_user_model().objects.count() == 1


def test_names_confusable_with_staff_created_in_the_admin_are_refused(api):
    make_user(roles.VERIFIKATOR, username="Rahmat")  # capitalised, as an admin typed it
    assert refused(register(api, "rahmat"))
    assert refused(register(api, "RAHMAT"))


def test_username_is_stored_normalised_and_logs_in_as_typed(api):
    payload = register(api, "Siti.Aminah", fullName="Siti Aminah")
    assert payload["errors"] == [] and payload["user"]["username"] == "siti.aminah"
    user = get_user_model().objects.get()
    assert user.username == "siti.aminah"
    assert UsernameSkeleton.objects.get(user=user).skeleton == skeleton("siti.aminah")
    assert api.login("Siti.Aminah", STRONG)["user"]["username"] == "siti.aminah"
    assert api.login("SITI.AMINAH", STRONG)["user"]["username"] == "siti.aminah"


def test_an_ordinary_indonesian_name_is_accepted(api):
    for number, name in enumerate(["rina", "José", "m.rizky", "andi_99"]):
        payload = register(api, name, email=f"w{number}@example.id")
        assert payload["errors"] == [], (name, payload)


def test_existing_email_gets_the_same_answer_as_a_new_one(api, django_user_model):
    make_user(roles.PENGGUNA, username="pemilik", email="ada@example.id")
    fresh = register(api, "pendatang.satu", email="baru@example.id")
    existing = register(api, "pendatang.dua", email="ADA@example.id")
    # Same shape, no error either way: nothing tells the two apart.
    assert fresh["errors"] == existing["errors"] == []
    assert fresh.keys() == existing.keys()
    assert fresh["accessToken"] and existing["accessToken"]
    assert existing["user"]["roles"] == [roles.PENGGUNA]
    # Logging in by that address still reaches the account that had it first.
    assert api.login("ada@example.id", PASSWORD)["user"]["username"] == "pemilik"


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_racing_registrations_of_one_name_give_one_account_and_typed_errors():
    """Real threads on PostgreSQL: whoever loses the race between the check and
    the insert gets a typed error, never a server error."""
    import threading

    from django.db import connection
    from django.test import Client

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL and real concurrency")
    barrier, answers = threading.Barrier(6), []

    def worker(number):
        try:
            barrier.wait()
            response = GraphQLClient(Client()).raw(
                "mutation($e: String!, $p: String!) { register(username: \"kembar\", "
                "email: $e, password: $p) { accessToken errors { field code } } }",
                {"e": f"k{number}@example.id", "p": STRONG},
            )
            answers.append((response.status_code, response.json()["data"]["register"]))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(answers) == 6 and {status for status, _payload in answers} == {200}
    winners = [payload for _status, payload in answers if payload["accessToken"]]
    assert len(winners) == 1
    for _status, payload in answers:
        if not payload["accessToken"]:
            assert payload["errors"][0]["field"] == "username"
    assert get_user_model().objects.filter(username="kembar").count() == 1


def test_skeleton_index_follows_username_changes():
    user = make_user(roles.PENGGUNA, username="lama")
    user.username = "Baru"
    user.save()
    assert UsernameSkeleton.objects.get(user=user).skeleton == skeleton("baru")
    user.save(update_fields=["last_login"])  # no change, no extra write needed
    assert UsernameSkeleton.objects.filter(user=user).count() == 1
