"""The recap permission matrix, from the side of everyone who must be
refused: 8 roles × view / edit / approve / sign / download, for a kecamatan
recap and the regency recap, through the policy and through every admin URL."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cms.accounts import roles
from cms.recaps import transitions
from cms.recaps.models import StatusRekap
from cms.recaps.permissions import policy_for
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ("administrator", "penandatangan", "pimpinan", "verifikator_sendiri",
         "verifikator_lain", "petugas", "pengguna", "anonim")


@pytest.fixture
def people(administrator, penandatangan, pimpinan, verifikator, verifikator_halong, petugas,
           pengguna):
    return {
        "administrator": administrator,
        "penandatangan": penandatangan,
        "pimpinan": pimpinan,
        "verifikator_sendiri": verifikator,
        "verifikator_lain": verifikator_halong,
        "petugas": petugas,
        "pengguna": pengguna,
        "anonim": AnonymousUser(),
    }


def _set_status(recap, status):
    type(recap).objects.filter(pk=recap.pk).update(status=status)
    recap.refresh_from_db()
    return recap


def allowed(recap, people, check):
    policy = policy_for(recap)
    return {name for name in ROLES if getattr(policy, check)(people[name], recap)}


ADMINS = {"administrator", "penandatangan"}

KECAMATAN_MATRIX = [
    # (status, check, who may)
    (StatusRekap.DRAF, "user_can_view", ADMINS | {"verifikator_sendiri"}),
    (StatusRekap.DISETUJUI, "user_can_view", ADMINS | {"verifikator_sendiri", "pimpinan"}),
    (StatusRekap.DRAF, "user_can_edit", ADMINS | {"verifikator_sendiri"}),
    (StatusRekap.PERLU_PERBAIKAN, "user_can_edit", ADMINS | {"verifikator_sendiri"}),
    (StatusRekap.MENUNGGU, "user_can_edit", set()),
    (StatusRekap.DISETUJUI, "user_can_edit", set()),
    (StatusRekap.DRAF, "user_can_submit", ADMINS | {"verifikator_sendiri"}),
    (StatusRekap.MENUNGGU, "user_can_approve", ADMINS),
    (StatusRekap.DRAF, "user_can_approve", set()),
    (StatusRekap.MENUNGGU, "user_can_sign", set()),
    (StatusRekap.MENUNGGU, "user_can_download", ADMINS | {"verifikator_sendiri"}),
    (StatusRekap.DISETUJUI, "user_can_download", ADMINS | {"verifikator_sendiri", "pimpinan"}),
]

KABUPATEN_MATRIX = [
    (StatusRekap.DRAF, "user_can_view", ADMINS),
    (StatusRekap.MENUNGGU, "user_can_view", ADMINS),
    (StatusRekap.DITANDATANGANI, "user_can_view", ADMINS | {"pimpinan"}),
    (StatusRekap.DRAF, "user_can_edit", ADMINS),
    (StatusRekap.MENUNGGU, "user_can_edit", set()),
    (StatusRekap.DITANDATANGANI, "user_can_edit", set()),
    (StatusRekap.DRAF, "user_can_submit", ADMINS),
    (StatusRekap.MENUNGGU, "user_can_approve", {"penandatangan"}),
    (StatusRekap.MENUNGGU, "user_can_sign", {"penandatangan"}),
    (StatusRekap.DRAF, "user_can_sign", set()),
    (StatusRekap.DITANDATANGANI, "user_can_download", ADMINS | {"pimpinan"}),
]


@pytest.mark.parametrize(("status", "check", "expected"), KECAMATAN_MATRIX)
def test_kecamatan_recap_matrix(rekap_paringin, people, status, check, expected):
    recap = _set_status(rekap_paringin, status)
    assert allowed(recap, people, check) == expected


@pytest.mark.parametrize(("status", "check", "expected"), KABUPATEN_MATRIX)
def test_kabupaten_recap_matrix(rekap_kabupaten, people, status, check, expected):
    recap = _set_status(rekap_kabupaten, status)
    assert allowed(recap, people, check) == expected


def test_listings_hold_only_what_each_user_may_see(
    rekap_paringin, rekap_kabupaten, yesterday, people
):
    from cms.recaps.generation import ensure
    from cms.recaps.models import RekapKecamatan

    halong = ensure(RekapKecamatan, yesterday, kecamatan=factories.kecamatan("halong"))[0]
    policy = policy_for(rekap_paringin)
    assert set(policy.visible_to(people["verifikator_sendiri"])) == {rekap_paringin}
    assert set(policy.visible_to(people["verifikator_lain"])) == {halong}
    for name in ("petugas", "pengguna", "anonim", "pimpinan"):
        assert not policy.visible_to(people[name]).exists(), name
    _set_status(halong, StatusRekap.DISETUJUI)
    assert set(policy.visible_to(people["pimpinan"])) == {halong}
    regency = policy_for(rekap_kabupaten)
    for name in ("pimpinan", "verifikator_sendiri", "petugas", "pengguna", "anonim"):
        assert not regency.visible_to(people[name]).exists(), name


def test_refused_users_change_nothing_through_the_service(
    rekap_paringin, rekap_kabupaten, people
):
    from django.core.exceptions import PermissionDenied

    for name in ("verifikator_lain", "petugas", "pengguna", "pimpinan", "anonim"):
        with pytest.raises(PermissionDenied):
            transitions.update(rekap_paringin, people[name], situasi_umum="Diubah")
        with pytest.raises(PermissionDenied):
            transitions.update(rekap_kabupaten, people[name], situasi_umum="Diubah")
    transitions.update(rekap_paringin, people["verifikator_sendiri"], situasi_umum="Kondusif.")
    recap = transitions.submit(rekap_paringin, people["verifikator_sendiri"])
    for name in ("verifikator_sendiri", "verifikator_lain", "petugas", "pimpinan", "anonim"):
        with pytest.raises(PermissionDenied):
            transitions.decide(recap, people[name], "approve")
    recap.refresh_from_db()
    assert recap.status == StatusRekap.MENUNGGU and recap.nomor is None


# -- the admin URLs -------------------------------------------------------------------

KEC = "/admin/snippets/recaps/rekapkecamatan/"
KAB = "/admin/snippets/recaps/rekapkabupaten/"
PER_OBJECT = ("edit/{pk}/", "inspect/{pk}/", "history/{pk}/", "history-results/{pk}/",
              "usage/{pk}/", "workflow_history/{pk}/", "lock/{pk}/", "unlock/{pk}/",
              "unpublish/{pk}/", "copy/{pk}/", "delete/{pk}/",
              "workflow/confirm_cancellation/{pk}/", "history/{pk}/revisions/1/revert/")
READABLE = ("edit/{pk}/", "inspect/{pk}/", "history/{pk}/", "usage/{pk}/",
            "workflow_history/{pk}/")


def _get(client, user, url):
    client.logout()
    if user.is_authenticated:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize("suffix", PER_OBJECT)
def test_admin_urls_of_a_kecamatan_recap_answer_404_to_who_may_not_see_it(
    client, rekap_paringin, people, suffix
):
    url = KEC + suffix.format(pk=rekap_paringin.pk)
    for name in ("verifikator_lain", "pimpinan"):
        assert _get(client, people[name], url).status_code == 404, (name, url)
    # Officers and guests never reach the admin at all.
    for name in ("petugas", "pengguna", "anonim"):
        assert _get(client, people[name], url).status_code in (302, 403), (name, url)
    if suffix in READABLE:
        assert _get(client, people["verifikator_sendiri"], url).status_code == 200


@pytest.mark.parametrize("suffix", PER_OBJECT)
def test_admin_urls_of_a_regency_recap_answer_404_to_who_may_not_see_it(
    client, rekap_kabupaten, people, suffix
):
    url = KAB + suffix.format(pk=rekap_kabupaten.pk)
    for name in ("verifikator_sendiri", "pimpinan"):
        assert _get(client, people[name], url).status_code == 404, (name, url)
    if suffix in READABLE:
        assert _get(client, people["administrator"], url).status_code == 200


def test_chooser_offers_only_visible_recaps(client, rekap_paringin, people):
    url = f"/admin/snippets/choose/recaps/rekapkecamatan/chosen/{rekap_paringin.pk}/"
    assert _get(client, people["verifikator_lain"], url).status_code == 404
    assert _get(client, people["verifikator_sendiri"], url).status_code == 200
    chooser = "/admin/snippets/choose/recaps/rekapkecamatan/"
    listing = _get(client, people["verifikator_lain"], chooser)
    assert str(rekap_paringin) not in listing.content.decode()


def test_admin_listing_is_filtered_by_the_policy(client, rekap_paringin, yesterday, people):
    from cms.recaps.generation import ensure
    from cms.recaps.models import RekapKecamatan

    halong = ensure(RekapKecamatan, yesterday, kecamatan=factories.kecamatan("halong"))[0]
    response = _get(client, people["verifikator_sendiri"], KEC)
    assert response.status_code == 200
    body = response.content.decode()
    assert f"edit/{rekap_paringin.pk}/" in body and f"edit/{halong.pk}/" not in body


def test_verifier_submits_and_administrator_approves_in_the_admin(
    client, rekap_paringin, people
):
    verifier, admin = people["verifikator_sendiri"], people["administrator"]
    client.force_login(verifier)
    response = client.post(KEC + f"edit/{rekap_paringin.pk}/", {
        "situasi_umum": "Situasi kondusif.", "penilaian": "", "rekomendasi": "",
        "action-submit": "1",
    })
    assert response.status_code == 302, response.content[:2000]
    rekap_paringin.refresh_from_db()
    assert rekap_paringin.status == StatusRekap.MENUNGGU

    # The verifier cannot approve their own kecamatan's recap (Wagtail answers
    # a refused workflow action with a redirect and a message).
    task_state = rekap_paringin.current_workflow_task_state
    approve = KEC + f"workflow/action/{rekap_paringin.pk}/approve/{task_state.pk}/"
    assert client.post(approve).status_code in (302, 403, 404)
    rekap_paringin.refresh_from_db()
    assert rekap_paringin.status == StatusRekap.MENUNGGU

    client.force_login(admin)
    reject = KEC + f"workflow/action/{rekap_paringin.pk}/reject/{task_state.pk}/"
    client.post(reject, {"comment": ""})
    rekap_paringin.refresh_from_db()
    assert rekap_paringin.status == StatusRekap.MENUNGGU
    assert client.post(approve).status_code == 302
    rekap_paringin.refresh_from_db()
    assert rekap_paringin.status == StatusRekap.DISETUJUI and rekap_paringin.nomor


def test_penandatangan_role_exists_only_as_an_administrator(penandatangan):
    assert penandatangan.groups.filter(name=roles.ADMINISTRATOR).exists()


def test_an_approved_recap_cannot_be_unpublished_from_the_admin(client, rekap_paringin, people):
    admin = people["administrator"]
    transitions.update(rekap_paringin, admin, situasi_umum="Kondusif.")
    transitions.submit(rekap_paringin, admin)
    transitions.decide(rekap_paringin, admin, "approve")
    client.force_login(admin)
    response = client.post(KEC + f"unpublish/{rekap_paringin.pk}/")
    assert response.status_code in (302, 403)
    rekap_paringin.refresh_from_db()
    assert rekap_paringin.live and rekap_paringin.status == StatusRekap.DISETUJUI
