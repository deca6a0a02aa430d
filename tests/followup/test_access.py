"""The permission matrix, extended with the role Instansi: a member of agency X
sees exactly the reports forwarded to X, with the restricted fields only when
the disposition shares them; a withdrawn disposition takes the report away at
once — in the policy, the API, the attachment view, the admin and the inbox."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from cms.accounts import roles
from cms.followup import access, transitions
from cms.followup.models import LaporanUserObjectPermission
from cms.notifications.models import Notifikasi
from cms.reports.permissions import laporan_policy
from tests import factories
from tests.reports.reports_factories import make_report, photo, verified_report

from .conftest import issue, make_member

pytestmark = pytest.mark.django_db

REPORT = """query($id: ID!) { report(id: $id) { id nomor judul sumberInformasi reporter { fullName }
  attachments { id url } } }"""
REPORTS = "query { reports(first: 50) { nodes { id } } }"


@pytest.fixture
def world(petugas, verifikator, pimpinan, polres, bpbd, anggota_polres, anggota_bpbd):
    def verified(judul, **fields):
        return verified_report(petugas, verifikator, judul=judul, **fields)

    reports = {
        "forwarded": verified("Diteruskan ke Polres", klasifikasi="terbatas",
                              uploads=[photo()]),
        "shared": verified("Diteruskan dengan info terbatas", klasifikasi="terbatas"),
        "to_bpbd": verified("Hanya untuk BPBD", klasifikasi="terbatas"),
        "restricted": verified("Tidak diteruskan", klasifikasi="terbatas"),
        "public": verified("Publik tidak diteruskan", klasifikasi="publik"),
        "waiting": make_report(petugas, submit=True, judul="Masih menunggu"),
    }
    issue(reports["forwarded"], pimpinan, polres)
    issue(reports["shared"], pimpinan, polres, bagikan_terbatas=True)
    issue(reports["to_bpbd"], pimpinan, bpbd)
    outsider = factories.make_user(roles.INSTANSI, "instansi.lain")
    # In the agency's member list but not in the role Instansi: sees nothing more.
    not_in_role = factories.make_user(roles.PENGGUNA, "warga.polres")
    polres.anggota.add(not_in_role)
    return {
        "reports": reports,
        "people": {
            "polres": anggota_polres, "bpbd": anggota_bpbd, "outsider": outsider,
            "not_in_role": not_in_role,
        },
    }


VISIBLE = {
    "polres": {"forwarded", "shared", "public"},
    "bpbd": {"to_bpbd", "public"},
    "outsider": {"public"},
    "not_in_role": {"public"},
}
RESTRICTED = {"polres": {"shared"}, "bpbd": set(), "outsider": set(), "not_in_role": set()}


def fresh(user):
    return type(user).objects.get(pk=user.pk)


@pytest.mark.parametrize("who", VISIBLE)
def test_policy_matrix(world, who):
    user, reports = world["people"][who], world["reports"]
    visible = set(laporan_policy.visible_to(user).values_list("pk", flat=True))
    assert visible == {reports[name].pk for name in VISIBLE[who]}
    for name, laporan in reports.items():
        assert laporan_policy.user_can_view(user, laporan) is (name in VISIBLE[who]), name
        assert laporan_policy.user_can_see_restricted(user, laporan) is (
            name in RESTRICTED[who]
        ), name
        assert laporan_policy.user_can_edit(user, laporan) is False
        assert laporan_policy.user_can_verify(user, laporan) is False


def test_grants_are_object_permissions_in_the_direct_table(world):
    reports, polres = world["reports"], world["people"]["polres"]
    granted = set(
        LaporanUserObjectPermission.objects.filter(user=polres)
        .values_list("content_object_id", flat=True)
    )
    assert granted == {reports["forwarded"].pk, reports["shared"].pk}
    assert polres.has_perm(access.VIEW, reports["forwarded"])
    assert not polres.has_perm(access.VIEW, reports["to_bpbd"])
    # Not to the one outside the role, though listed as a member.
    assert not LaporanUserObjectPermission.objects.filter(
        user=world["people"]["not_in_role"]
    ).exists()


def test_api_shows_exactly_the_forwarded_reports_with_shared_fields(world, api):
    reports, member = world["reports"], world["people"]["polres"]
    api.login(member.username, factories.PASSWORD)
    listed = {int(item["id"]) for item in api.execute(REPORTS)["data"]["reports"]["nodes"]}
    assert listed == {reports[name].pk for name in VISIBLE["polres"]}
    plain = api.execute(REPORT, {"id": reports["forwarded"].pk})["data"]["report"]
    assert plain["judul"] == "Diteruskan ke Polres"
    assert plain["sumberInformasi"] is None and plain["reporter"] is None
    shared = api.execute(REPORT, {"id": reports["shared"].pk})["data"]["report"]
    assert shared["sumberInformasi"] == "Pak RT 03 (rahasia)"
    assert shared["reporter"] is not None
    for name in ("to_bpbd", "restricted", "waiting"):
        assert api.execute(REPORT, {"id": reports[name].pk})["data"]["report"] is None, name


def test_withdrawn_disposition_is_gone_at_once_everywhere(world, api, client, pimpinan):
    reports, member = world["reports"], world["people"]["polres"]
    laporan = reports["forwarded"]
    api.login(member.username, factories.PASSWORD)
    token = api.token
    attachment = laporan.lampiran.get()
    url = reverse("reports:lampiran", args=[attachment.pk])
    headers = {"authorization": f"Bearer {token}"}
    assert client.get(url, headers=headers).status_code == 200
    assert api.execute(REPORT, {"id": laporan.pk})["data"]["report"]["id"] == str(laporan.pk)
    assert Notifikasi.objects.filter(penerima=member, laporan=laporan).exists()

    disposisi = laporan.disposisi.get()
    transitions.withdraw(disposisi.pk, pimpinan, "Ditangani langsung oleh Kesbangpol.")

    member = fresh(member)
    assert not laporan_policy.user_can_view(member, laporan)
    assert laporan.pk not in set(laporan_policy.visible_to(member).values_list("pk", flat=True))
    assert api.execute(REPORT, {"id": laporan.pk})["data"]["report"] is None
    listed = {int(item["id"]) for item in api.execute(REPORTS)["data"]["reports"]["nodes"]}
    assert laporan.pk not in listed
    assert client.get(url, headers=headers).status_code == 404
    assert not Notifikasi.objects.filter(penerima=member, laporan=laporan).exists()
    inbox = api.execute("query { notifications { nodes { reportId } } }")
    assert str(laporan.pk) not in {i["reportId"] for i in inbox["data"]["notifications"]["nodes"]}
    # The other disposition to Polres still stands.
    assert laporan_policy.user_can_view(member, reports["shared"])


def test_members_have_no_admin_access(world, client):
    member, laporan = world["people"]["polres"], world["reports"]["forwarded"]
    client.force_login(member)
    for url in (
        "/admin/",
        f"/admin/snippets/reports/laporan/inspect/{laporan.pk}/",
        reverse("followup_admin:timeline", args=[laporan.pk]),
    ):
        client.force_login(member)
        response = client.get(url)
        # Refused at the admin: signed out and told to use the app.
        assert response.status_code == 302
        assert response["Location"].startswith(("/admin/login/", "/akun/bukan-untuk-admin/"))


def test_membership_changes_follow_the_agency(world, polres):
    reports, member = world["reports"], world["people"]["polres"]
    newcomer = make_member(polres, "anggota.baru")
    assert laporan_policy.user_can_view(newcomer, reports["forwarded"])
    polres.anggota.remove(member)
    assert not laporan_policy.user_can_view(fresh(member), reports["forwarded"])
    polres.aktif = False
    polres.save()
    assert not laporan_policy.user_can_view(fresh(newcomer), reports["forwarded"])


def test_role_taken_away_hides_everything(world):
    member, laporan = world["people"]["polres"], world["reports"]["forwarded"]
    member.groups.remove(Group.objects.get(name=roles.INSTANSI))
    assert not laporan_policy.user_can_view(fresh(member), laporan)
