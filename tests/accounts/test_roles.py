import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission

from cms.accounts import roles

pytestmark = pytest.mark.django_db


def test_the_five_roles_exist_and_wagtail_generic_groups_do_not():
    names = set(Group.objects.values_list("name", flat=True))
    assert names == set(roles.ALL)


@pytest.mark.parametrize("role", roles.ALL)
def test_only_admin_roles_may_access_the_wagtail_admin(role):
    has_access = (
        Group.objects.get(name=role)
        .permissions.filter(content_type__app_label="wagtailadmin", codename="access_admin")
        .exists()
    )
    assert has_access is (role in roles.ADMIN_ROLES)


def test_news_and_facility_pages_are_editable_by_administrators_only():
    groups = set(GroupPagePermission.objects.values_list("group__name", flat=True))
    assert groups == {roles.ADMINISTRATOR}


@pytest.mark.parametrize("role", [roles.VERIFIKATOR, roles.PIMPINAN, roles.PETUGAS, roles.PENGGUNA])
def test_master_data_permissions_are_administrator_only(role):
    perms = Group.objects.get(name=role).permissions.filter(content_type__app_label="reports")
    assert not perms.exists()


@pytest.mark.parametrize("fixture", ["petugas", "pengguna"])
def test_officers_and_guests_are_refused_at_the_admin(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response.url == "/akun/bukan-untuk-admin/"
    # Refused means signed out, and told to use the app instead.
    assert "_auth_user_id" not in client.session
    client.force_login(request.getfixturevalue(fixture))
    followed = client.get("/admin/", follow=True)
    assert b"Dasbor" not in followed.content and b"Dashboard" not in followed.content
    assert b'href="/app/"' in followed.content


@pytest.mark.parametrize("fixture", ["verifikator", "pimpinan", "administrator"])
def test_admin_roles_reach_the_dashboard(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get("/admin/").status_code == 200


def test_petugas_cannot_log_in_to_the_admin_with_a_password(client, petugas):
    from tests.factories import PASSWORD

    response = client.post("/admin/login/", {"username": petugas.username, "password": PASSWORD})
    assert client.get("/admin/").status_code == 302
    assert response.status_code in (200, 302)
