"""The policy's visible-report queryset, rewritten so PostgreSQL can answer it
from indexes (no redundant OR branches, EXISTS for forwarded reports), still
selects exactly what the rules select: compared here with the earlier
formulation, for every role, on reports in every state, in two kecamatan,
publik and terbatas, forwarded and not."""

import pytest
from django.db.models import Q

from cms.accounts import roles
from cms.followup.models import LaporanUserObjectPermission
from cms.reports import services
from cms.reports.assignments import VERIFY_REPORT, assign
from cms.reports.models import Laporan, Status
from cms.reports.models.laporan import Klasifikasi
from cms.reports.permissions import laporan_policy
from tests import factories
from tests.followup.conftest import agency, issue, make_member

from .reports_factories import make_report

pytestmark = pytest.mark.django_db

STATES = ["draf", "menunggu", "perbaikan", "verified", "ditarik"]


def reference_visible_to(user):
    """The policy's query as it was before the rewrite (issue 15), kept as the
    oracle: `pk IN (grants)` and every branch OR-ed, redundant or not."""
    policy = laporan_policy
    if policy.is_administrator(user):
        return Laporan.objects.all()
    if not policy._active(user):
        return Laporan.objects.filter(live=True, klasifikasi=Klasifikasi.PUBLIK)
    allowed = Q(live=True, klasifikasi=Klasifikasi.PUBLIK) | Q(pelapor=user)
    if policy.is_pimpinan(user):
        allowed |= Q(live=True) | Q(status=Status.DITARIK)
    if kecamatan_ids := policy.verify_kecamatan_ids(user):
        allowed |= Q(kecamatan_id__in=kecamatan_ids, nomor__isnull=False)
    if policy.is_instansi(user):
        grants = LaporanUserObjectPermission.objects.filter(
            user=user, permission__codename="view_laporan",
            permission__content_type__app_label="reports",
        )
        allowed |= Q(pk__in=grants.values("content_object_id"))
    return Laporan.objects.filter(allowed)


def _report(officer, verifier, state, kecamatan, klasifikasi):
    judul = f"{state} {kecamatan} {klasifikasi}"
    laporan = make_report(officer, submit=state != "draf", judul=judul, kec=kecamatan,
                          klasifikasi=klasifikasi)
    if state == "perbaikan":
        laporan = services.act(laporan, verifier, "reject", comment="Lengkapi lokasi.")
    if state in ("verified", "ditarik"):
        laporan = services.act(laporan, verifier, "approve", keandalan_sumber="B",
                               kredibilitas_informasi="2")
    if state == "ditarik":
        laporan = services.retract(laporan, verifier, "Keliru.")
    return laporan


@pytest.fixture
def world(petugas, verifikator, pimpinan, administrator, pengguna):
    halong = factories.kecamatan("halong")
    officer_halong = factories.make_user(roles.PETUGAS, "petugas.halong", kecamatan=[halong])
    verifier_halong = factories.make_user(
        roles.VERIFIKATOR, "verifikator.halong", kecamatan=[halong]
    )
    officers = {"paringin": (petugas, verifikator), "halong": (officer_halong, verifier_halong)}
    reports = {
        (state, kec, kelas): _report(officer, verifier, state, kec, kelas)
        for kec, (officer, verifier) in officers.items()
        for state in STATES
        for kelas in ("publik", "terbatas")
    }
    polres = agency("Polres Balangan")
    member = make_member(polres, "anggota.polres")
    issue(reports[("verified", "halong", "terbatas")], pimpinan, polres)
    # Pimpinan who also verifies Halong; an officer who is a guest elsewhere.
    both = factories.make_user(roles.PIMPINAN, "pimpinan.verifikator")
    both.groups.add(roles_group(roles.VERIFIKATOR))
    assign(both, VERIFY_REPORT, halong)
    inactive = factories.make_user(roles.PIMPINAN, "pimpinan.nonaktif", is_active=False)
    return {
        "reports": reports,
        "people": {
            "anonymous": None, "pengguna": pengguna, "petugas": petugas,
            "petugas_halong": officer_halong, "verifikator": verifikator,
            "verifikator_halong": verifier_halong, "pimpinan": pimpinan,
            "pimpinan_verifikator": both, "administrator": administrator,
            "instansi": member, "nonaktif": inactive,
        },
    }


def roles_group(name):
    from django.contrib.auth.models import Group

    return Group.objects.get(name=name)


def _anonymous():
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_fixture_holds_every_state_and_classification(world):
    rows = set(Laporan.objects.values_list("status", "live", "klasifikasi", "kecamatan__slug"))
    statuses = {status for status, *_ in rows}
    assert statuses == {"draf", "menunggu", "perlu_perbaikan", "terverifikasi", "ditarik"}
    assert {kec for *_, kec in rows} == {"paringin", "halong"}
    assert {(live, kelas) for _s, live, kelas, _k in rows} >= {
        (True, "publik"), (True, "terbatas"), (False, "publik"), (False, "terbatas")
    }
    assert LaporanUserObjectPermission.objects.count() == 1


@pytest.mark.parametrize("who", [
    "anonymous", "pengguna", "petugas", "petugas_halong", "verifikator", "verifikator_halong",
    "pimpinan", "pimpinan_verifikator", "administrator", "instansi", "nonaktif",
])
def test_same_reports_as_the_reference_for_every_role(world, who):
    user = world["people"][who] or _anonymous()
    fresh = type(user).objects.get(pk=user.pk) if user.pk else user  # no cached roles
    expected = set(reference_visible_to(user).values_list("pk", flat=True))
    got = set(laporan_policy.visible_to(fresh).values_list("pk", flat=True))
    assert got == expected
    # Not vacuous: each role sees something, and only the administrator everything.
    assert got
    assert (got == set(Laporan.objects.values_list("pk", flat=True))) == (who == "administrator")
    for laporan in Laporan.objects.all():
        assert laporan_policy.user_can_view(fresh, laporan) == (laporan.pk in got), (
            who, laporan.judul
        )


def test_forwarded_report_is_seen_only_by_its_agency(world):
    forwarded = world["reports"][("verified", "halong", "terbatas")]
    people = world["people"]
    assert laporan_policy.visible_to(people["instansi"]).filter(pk=forwarded.pk).exists()
    for who in ("pengguna", "petugas", "verifikator"):
        assert not laporan_policy.visible_to(people[who]).filter(pk=forwarded.pk).exists()
