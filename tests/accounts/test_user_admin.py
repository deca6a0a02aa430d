"""Role boundaries in the Wagtail user admin, tested from the side of the
Administrator who must be refused."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client

from cms.accounts import roles
from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

User = get_user_model()


def group(name):
    return Group.objects.get(name=name)


def form_data(user, **overrides):
    data = {
        "username": user.username, "email": user.email or f"{user.username}@example.id",
        "first_name": user.first_name or "Nama", "last_name": user.last_name or "Uji",
        "is_active": "on", "groups": [g.pk for g in user.groups.all()],
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def browser(administrator):
    client = Client()
    client.force_login(administrator)
    return client


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("super.uji", "super@example.id", PASSWORD)


def test_administrator_cannot_grant_superuser(browser, petugas):
    response = browser.post(
        f"/admin/users/edit/{petugas.pk}/", form_data(petugas, is_superuser="on")
    )
    assert response.status_code in (200, 302)
    petugas.refresh_from_db()
    assert petugas.is_superuser is False
    # ...nor on a new account.
    browser.post("/admin/users/new/", {
        "username": "baru", "email": "baru@example.id", "first_name": "Baru",
        "last_name": "Uji", "password1": "Sandi-baru-2026!", "password2": "Sandi-baru-2026!",
        "is_superuser": "on", "groups": [group(roles.PETUGAS).pk],
    })
    created = User.objects.get(username="baru")
    assert created.is_superuser is False
    assert list(created.groups.values_list("name", flat=True)) == [roles.PETUGAS]


def test_the_form_offers_no_superuser_box_and_only_assignable_groups(browser, petugas):
    html = browser.get(f"/admin/users/edit/{petugas.pk}/").content.decode()
    assert 'name="is_superuser"' not in html
    assert f'value="{group(roles.PETUGAS).pk}"' in html
    assert f'value="{group(roles.ADMINISTRATOR).pk}"' in html  # held by the editor
    for staff in (roles.VERIFIKATOR, roles.PIMPINAN):
        assert f'name="groups" value="{group(staff).pk}"' not in html


@pytest.mark.parametrize("role", [roles.VERIFIKATOR, roles.PIMPINAN])
def test_administrator_cannot_hand_out_staff_roles_they_do_not_hold(browser, petugas, role):
    groups = [group(roles.PETUGAS).pk, group(role).pk]
    response = browser.post(f"/admin/users/edit/{petugas.pk}/", form_data(petugas, groups=groups))
    assert response.status_code == 200  # the form comes back with an error
    assert set(petugas.groups.values_list("name", flat=True)) == {roles.PETUGAS}


def test_a_new_admin_group_counts_as_staff(browser, petugas):
    from django.contrib.auth.models import Permission

    operators = Group.objects.create(name="Operator TI")
    operators.permissions.add(Permission.objects.get(codename="access_admin"))
    browser.post(
        f"/admin/users/edit/{petugas.pk}/",
        form_data(petugas, groups=[group(roles.PETUGAS).pk, operators.pk]),
    )
    assert not petugas.groups.filter(pk=operators.pk).exists()


def test_memberships_the_editor_cannot_touch_are_kept(browser, verifikator):
    """Editing a verifier's name must not silently strip their role."""
    response = browser.post(
        f"/admin/users/edit/{verifikator.pk}/",
        form_data(verifikator, first_name="Rahmat", groups=[group(roles.PETUGAS).pk]),
    )
    assert response.status_code == 302
    verifikator.refresh_from_db()
    assert verifikator.first_name == "Rahmat"
    assert set(verifikator.groups.values_list("name", flat=True)) == {
        roles.VERIFIKATOR, roles.PETUGAS
    }


def test_administrator_can_give_own_and_non_staff_roles(browser, pengguna):
    groups = [group(roles.PETUGAS).pk, group(roles.ADMINISTRATOR).pk]
    response = browser.post(f"/admin/users/edit/{pengguna.pk}/", form_data(pengguna, groups=groups))
    assert response.status_code == 302
    assert set(pengguna.groups.values_list("name", flat=True)) == {
        roles.PETUGAS, roles.ADMINISTRATOR
    }


def test_administrator_cannot_edit_or_take_over_a_superuser(browser, superuser):
    assert browser.get(f"/admin/users/edit/{superuser.pk}/").status_code in (302, 403)
    response = browser.post(f"/admin/users/edit/{superuser.pk}/", form_data(
        superuser, password1="Diambil-alih-2026", password2="Diambil-alih-2026"
    ))
    assert response.status_code in (302, 403)
    superuser.refresh_from_db()
    assert superuser.check_password(PASSWORD)


def test_superuser_may_grant_everything(superuser, petugas):
    client = Client()
    client.force_login(superuser)
    html = client.get(f"/admin/users/edit/{petugas.pk}/").content.decode()
    assert 'name="is_superuser"' in html
    response = client.post(f"/admin/users/edit/{petugas.pk}/", form_data(
        petugas, is_superuser="on", groups=[group(roles.VERIFIKATOR).pk]
    ))
    assert response.status_code == 302
    petugas.refresh_from_db()
    assert petugas.is_superuser
    assert list(petugas.groups.values_list("name", flat=True)) == [roles.VERIFIKATOR]


def test_verifier_holding_only_their_role_cannot_reach_the_user_admin(verifikator):
    client = Client()
    client.force_login(verifikator)
    assert client.get("/admin/users/").status_code in (302, 403)
    assert client.post(
        f"/admin/users/edit/{verifikator.pk}/", form_data(verifikator, is_superuser="on")
    ).status_code in (302, 403)
    verifikator.refresh_from_db()
    assert not verifikator.is_superuser
