"""The permission matrix: every role against every action, through the
policy and through the Wagtail admin URLs.

Officers, guests and anonymous visitors have no admin access at all: Wagtail
sends them to the login page (LOGIN). Inside the admin, a report the user may
not see does not exist for them (404, from the viewset guard); one they may
see but not act on is refused with Wagtail's redirect to the dashboard
(DENIED) and nothing changes."""

import re

import pytest
from django.core.exceptions import PermissionDenied
from django.utils import timezone

from cms.accounts import roles
from cms.reports import services
from cms.reports.models import Laporan, Status
from cms.reports.permissions import laporan_policy
from tests import factories

from .reports_factories import make_report, report_fields, verified_report

pytestmark = pytest.mark.django_db

ADMIN = "/admin/snippets/reports/laporan/"
OK, LOGIN, DENIED, NOT_FOUND, DESK = "ok", "login", "denied", "404", "desk"

ROLES = [
    "owner", "officer_halong", "verifier", "verifier_halong",
    "pimpinan", "administrator", "guest", "anonymous",
]

# Which of the owner's Paringin reports each role sees (policy.visible_to and,
# for admin roles, the admin listing). "draft" is an unsent draft, "waiting"
# is submitted and waiting for verification, "public"/"restricted" are
# verified publik / terbatas reports.
VISIBLE = {
    "owner": {"draft", "waiting", "public", "restricted"},
    "officer_halong": {"public"},
    "verifier": {"waiting", "public", "restricted"},
    "verifier_halong": {"public"},
    "pimpinan": {"public", "restricted"},
    "administrator": {"draft", "waiting", "public", "restricted"},
    "guest": {"public"},
    "anonymous": {"public"},
}
HAS_ADMIN = {"verifier", "verifier_halong", "pimpinan", "administrator"}

# Admin responses per role and report: (inspect, edit GET, delete GET).
# Reports a user may not see are 404 for admin users.
ADMIN_URLS = {
    # Readers (verifiers, Pimpinan) who open the editor of a report they may
    # see are sent to its desk screen, where the decision and the history are;
    # saving content through the editor is still refused (see test_edit_post).
    "verifier": {
        "draft": (NOT_FOUND, NOT_FOUND, NOT_FOUND),
        "waiting": (OK, DESK, DENIED),
        "public": (OK, DESK, DENIED),
    },
    "verifier_halong": {
        "draft": (NOT_FOUND, NOT_FOUND, NOT_FOUND),
        "waiting": (NOT_FOUND, NOT_FOUND, NOT_FOUND),
        # Verified publik reports are public: visible, but not editable.
        "public": (OK, DESK, DENIED),
    },
    "pimpinan": {
        "draft": (NOT_FOUND, NOT_FOUND, NOT_FOUND),
        "waiting": (NOT_FOUND, NOT_FOUND, NOT_FOUND),
        "public": (OK, DESK, DENIED),
    },
    "administrator": {
        "draft": (OK, OK, OK),
        "waiting": (OK, OK, OK),
        "public": (OK, OK, OK),
    },
}

# Policy answers per role on the owner's draft / waiting report.
CAN_EDIT = {"owner": {"draft"}, "administrator": {"draft", "waiting", "public"}}
# Who may approve / send back the owner's waiting Paringin report, and what
# the admin workflow action URL answers to the others.
WORKFLOW_ACTION = {
    "owner": LOGIN,
    "officer_halong": LOGIN,
    "verifier": OK,
    "verifier_halong": NOT_FOUND,
    "pimpinan": NOT_FOUND,
    "administrator": OK,
    "guest": LOGIN,
    "anonymous": LOGIN,
}


@pytest.fixture
def people(petugas, verifikator, pimpinan, administrator, pengguna):
    halong = factories.kecamatan("halong")
    return {
        "owner": petugas,
        "officer_halong": factories.make_user(roles.PETUGAS, "petugas.halong", kecamatan=[halong]),
        "verifier": verifikator,
        "verifier_halong": factories.make_user(
            roles.VERIFIKATOR, "verifikator.halong", kecamatan=[halong]
        ),
        "pimpinan": pimpinan,
        "administrator": administrator,
        "guest": pengguna,
        "anonymous": None,
    }


@pytest.fixture
def reports(people):
    owner, verifier = people["owner"], people["verifier"]
    return {
        "draft": make_report(owner, judul="Draf belum dikirim"),
        "waiting": make_report(owner, submit=True, judul="Menunggu verifikasi"),
        "public": verified_report(owner, verifier, judul="Terverifikasi publik"),
        "restricted": verified_report(
            owner, verifier, judul="Terverifikasi terbatas", klasifikasi="terbatas"
        ),
    }


def login(client, user):
    if user is not None:
        client.force_login(user)
    return client


def outcome(response):
    if response.status_code == 200:
        return OK
    if response.status_code == 404:
        return NOT_FOUND
    if response.status_code == 302:
        location = response["Location"]
        # Officers and guests are signed out and sent to the app's page:
        # as refused as a login redirect.
        if location.startswith(("/admin/login/", "/akun/bukan-untuk-admin/")):
            return LOGIN
        if location == "/admin/":
            return DENIED
        if re.fullmatch(r"/admin/meja-verifikasi/\d+/", location):
            return DESK
        return f"redirect {location}"
    return str(response.status_code)


def snapshot(laporan):
    fresh = Laporan.objects.get(pk=laporan.pk)
    return (fresh.judul, fresh.fakta, fresh.status, fresh.live, fresh.latest_revision_id)


@pytest.mark.parametrize("role", ROLES)
def test_visible_to_and_user_can_view(role, people, reports):
    user = people[role]
    visible = set(
        laporan_policy.visible_to(user).values_list("judul", flat=True)
    )
    expected = {reports[name].judul for name in VISIBLE[role]}
    assert visible == expected
    for name, laporan in reports.items():
        assert laporan_policy.user_can_view(user, laporan) == (name in VISIBLE[role]), name


@pytest.mark.parametrize("role", ROLES)
def test_admin_listing(role, client, people, reports):
    response = login(client, people[role]).get(ADMIN)
    if role not in HAS_ADMIN:
        assert outcome(response) == LOGIN
        return
    assert response.status_code == 200
    listed = {obj.pk for obj in response.context["object_list"]}
    assert listed == {reports[name].pk for name in VISIBLE[role]}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("report", ["draft", "waiting", "public"])
def test_admin_object_urls(role, report, client, people, reports):
    pk = reports[report].pk
    client = login(client, people[role])
    got = tuple(
        outcome(client.get(f"{ADMIN}{view}/{pk}/")) for view in ("inspect", "edit", "delete")
    )
    expected = ADMIN_URLS[role][report] if role in HAS_ADMIN else (LOGIN, LOGIN, LOGIN)
    assert got == expected
    # The desk screen, typed by hand, answers as the inspect view does.
    assert outcome(client.get(f"/admin/meja-verifikasi/{pk}/")) == got[0]


def edit_data(laporan, **changes):
    data = {
        "judul": laporan.judul, "periode": laporan.periode, "urgensi": laporan.urgensi,
        "klasifikasi": laporan.klasifikasi, "jenis_athg": laporan.jenis_athg_id,
        "aspek": laporan.aspek_id, "waktu_kejadian": timezone.localtime(
            laporan.waktu_kejadian).strftime("%Y-%m-%d %H:%M"),
        "fakta": laporan.fakta, "analisis": laporan.analisis,
        "rekomendasi": laporan.rekomendasi, "sumber_informasi": laporan.sumber_informasi,
        "kecamatan": laporan.kecamatan_id, "desa": "", "latitude": laporan.latitude,
        "longitude": laporan.longitude, "akurasi_m": "",
        "lampiran-TOTAL_FORMS": "0", "lampiran-INITIAL_FORMS": "0",
        "lampiran-MIN_NUM_FORMS": "0", "lampiran-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("report", ["draft", "waiting", "public"])
def test_edit(role, report, client, people, reports):
    user, laporan = people[role], reports[report]
    may_edit = report in CAN_EDIT.get(role, set())
    assert laporan_policy.user_can_edit(user, laporan) == may_edit

    before = snapshot(laporan)
    response = login(client, user).post(
        f"{ADMIN}edit/{laporan.pk}/", edit_data(laporan, judul="DIUBAH", fakta="DIUBAH")
    )
    if role == "administrator":
        assert response.status_code == 302, getattr(response, "context", None) and [
            f.errors for f in [response.context.get("form")] if f
        ]
        assert Laporan.objects.get(pk=laporan.pk).latest_revision_id != before[-1]
        return
    assert snapshot(laporan) == before
    assert outcome(response) in {LOGIN, NOT_FOUND, DENIED}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", ["approve", "reject"])
def test_workflow_actions(role, action, client, people, reports):
    user, laporan = people[role], reports["waiting"]
    expected = WORKFLOW_ACTION[role]
    assert laporan_policy.user_can_verify(user, laporan) == (expected == OK)

    task_state = laporan.current_workflow_task_state
    data = {"comment": "Lengkapi kronologi.", "keandalan_sumber": "B",
            "kredibilitas_informasi": "2"}
    response = login(client, user).post(
        f"{ADMIN}workflow/action/{laporan.pk}/{action}/{task_state.pk}/", data
    )
    laporan.refresh_from_db()
    if expected == OK:
        assert response.status_code == 302
        assert laporan.status == (
            Status.TERVERIFIKASI if action == "approve" else Status.PERLU_PERBAIKAN
        )
    else:
        assert outcome(response) == expected
        assert laporan.status == Status.MENUNGGU and not laporan.live


@pytest.mark.parametrize("role", ROLES)
def test_delete_post(role, client, people, reports):
    laporan = reports["draft"]
    response = login(client, people[role]).post(f"{ADMIN}delete/{laporan.pk}/")
    if role == "administrator":
        assert response.status_code == 302
        assert not Laporan.objects.filter(pk=laporan.pk).exists()
    else:
        assert outcome(response) == (LOGIN if role not in HAS_ADMIN else NOT_FOUND)
        assert Laporan.objects.filter(pk=laporan.pk).exists()


def test_verifier_may_not_approve_their_own_report(client):
    paringin = factories.kecamatan("paringin")
    both = factories.make_user(roles.VERIFIKATOR, "petugas.verifikator", kecamatan=[paringin])
    both.groups.add(roles_group(roles.PETUGAS))
    from cms.reports.assignments import FILE_REPORT, assign

    assign(both, FILE_REPORT, paringin)
    laporan = services.create_report(both, submit=True, **report_fields())
    assert laporan.status == Status.MENUNGGU
    assert not laporan_policy.user_can_verify(both, laporan)
    assert laporan not in laporan_policy.verifiable_by(both)
    with pytest.raises(PermissionDenied):
        services.act(laporan, both, "approve", keandalan_sumber="B", kredibilitas_informasi="2")

    task_state = laporan.current_workflow_task_state
    client.force_login(both)
    response = client.post(
        f"{ADMIN}workflow/action/{laporan.pk}/approve/{task_state.pk}/",
        {"comment": "ok", "keandalan_sumber": "B", "kredibilitas_informasi": "2"},
    )
    assert outcome(response) == DENIED
    laporan.refresh_from_db()
    assert laporan.status == Status.MENUNGGU and not laporan.live


def roles_group(name):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=name)


def test_verifier_approves_from_the_editor_without_changing_content(client, people, reports):
    import json

    laporan = reports["waiting"]
    before = snapshot(laporan)
    client.force_login(people["verifier"])
    response = client.post(
        f"{ADMIN}edit/{laporan.pk}/",
        edit_data(
            laporan, judul="DIUBAH", **{
                "action-workflow-action": "true", "workflow-action-name": "approve",
                "workflow-action-extra-data": json.dumps(
                    {"comment": "Sesuai.", "keandalan_sumber": "B",
                     "kredibilitas_informasi": "2"}
                ),
            }
        ),
    )
    assert response.status_code == 302
    laporan = Laporan.objects.get(pk=laporan.pk)
    assert laporan.status == Status.TERVERIFIKASI and laporan.live
    assert laporan.judul == before[0] and laporan.fakta == before[1]
