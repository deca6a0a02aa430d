"""The dashboard charts count exactly the verified reports each role may see
in the window, now that they ask the policy for `verified_visible_to` (the
policy's OR with `live` in every branch, so PostgreSQL reads the charts'
partial index alone): compared, for every role, with a plain count in Python
over the reference policy (tests/reports/test_policy_querysets.py) on reports
in every state, in two kecamatan, publik and terbatas, inside and outside the
window."""

import datetime

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from cms.accounts import roles
from cms.reports import charts
from cms.reports.assignments import FILE_REPORT, assign
from cms.reports.models import Kecamatan, Laporan
from cms.reports.permissions import laporan_policy
from tests import factories

from .reports_factories import make_report, verified_report
from .test_policy_querysets import _anonymous, reference_visible_to, world  # noqa: F401

pytestmark = pytest.mark.django_db

URGENT = ("tinggi", "darurat")
URGENSI = ["rendah", "sedang", "tinggi", "darurat"]


@pytest.fixture
def charted(world):  # noqa: F811 (the fixture imported above)
    """The policy test's world, plus a Paringin verifier who also files in
    Halong (their own restricted reports there: counted for them once
    verified, drafts not), every report moved to a day of the window, and
    verified reports on and just past both of its edges."""
    people = world["people"]
    verifier = people["verifikator"]
    verifier.groups.add(Group.objects.get(name=roles.PETUGAS))
    halong = factories.kecamatan("halong")
    assign(verifier, FILE_REPORT, halong)
    verifier = type(verifier).objects.get(pk=verifier.pk)  # roles are cached on the object
    own = {
        "verified": verified_report(verifier, people["verifikator_halong"], kec="halong",
                                    klasifikasi="terbatas", judul="Milik verifikator"),
        "draf": make_report(verifier, kec="halong", klasifikasi="terbatas",
                            judul="Draf verifikator"),
        "menunggu": make_report(verifier, submit=True, kec="halong", klasifikasi="terbatas",
                                judul="Menunggu verifikator"),
    }
    now = timezone.now()
    for step, pk in enumerate(Laporan.objects.order_by("pk").values_list("pk", flat=True)):
        # Spread over the window's days (WITA), urgencies in turn.
        Laporan.objects.filter(pk=pk).update(
            waktu_kejadian=now - datetime.timedelta(days=step % charts.DAYS, hours=step % 3),
            urgensi=URGENSI[step % 4],
        )
    # On and just past both edges of the window, for each kecamatan and class.
    since = timezone.make_aware(datetime.datetime.combine(charts.window_start(), datetime.time.min))
    edges = [since, since + datetime.timedelta(days=charts.DAYS, seconds=-1),
             since - datetime.timedelta(seconds=1), since + datetime.timedelta(days=charts.DAYS)]
    for kec in ("paringin", "halong"):
        officer = people["petugas" if kec == "paringin" else "petugas_halong"]
        checker = people["verifikator" if kec == "paringin" else "verifikator_halong"]
        for kelas in ("publik", "terbatas"):
            for when in edges:
                laporan = verified_report(officer, checker, kec=kec, klasifikasi=kelas,
                                          urgensi="darurat", judul=f"Tepi {kec} {kelas}")
                Laporan.objects.filter(pk=laporan.pk).update(waktu_kejadian=when)
    return {**world, "own": own}


def plain_counts(user):
    """Per WITA day (urgent, other) and per kecamatan, counted one report at a
    time from the reference policy."""
    start = charts.window_start()
    last = start + datetime.timedelta(days=charts.DAYS - 1)
    per_day, per_place = {}, {}
    for laporan in reference_visible_to(user):
        day = timezone.localtime(laporan.waktu_kejadian).date()
        if not laporan.live or not start <= day <= last:
            continue
        urgent, other = per_day.get(day, (0, 0))
        per_day[day] = (urgent + 1, other) if laporan.urgensi in URGENT else (urgent, other + 1)
        per_place[laporan.kecamatan_id] = per_place.get(laporan.kecamatan_id, 0) + 1
    return per_day, per_place


WHO = [
    "anonymous", "pengguna", "petugas", "petugas_halong", "verifikator", "verifikator_halong",
    "pimpinan", "pimpinan_verifikator", "administrator", "instansi", "nonaktif",
]


@pytest.mark.parametrize("who", WHO)
def test_charts_count_what_a_plain_count_of_the_policy_counts(charted, who):
    user = charted["people"][who] or _anonymous()
    fresh = type(user).objects.get(pk=user.pk) if user.pk else user  # no cached roles
    expected = set(reference_visible_to(fresh).filter(live=True).values_list("pk", flat=True))
    assert set(laporan_policy.verified_visible_to(fresh).values_list("pk", flat=True)) == expected

    per_day, per_place = plain_counts(fresh)
    daily = charts.trend(fresh)
    assert {
        day["day"]: (day["urgent"], day["other"]) for day in daily if day["total"]
    } == per_day
    places = charts.per_kecamatan(fresh)
    assert {p["kecamatan"].pk: p["total"] for p in places if p["total"]} == per_place
    assert len(places) == Kecamatan.objects.count()
    # Not vacuous: every role sees verified reports in the window, and some
    # outside it (the edges).
    assert sum(day["total"] for day in daily) > 0
    assert sum(day["total"] for day in daily) < len(expected)


def test_a_verifier_counts_their_own_report_elsewhere_but_not_others_restricted_ones(charted):
    verifier = type(charted["people"]["verifikator"]).objects.get(
        pk=charted["people"]["verifikator"].pk
    )
    own = charted["own"]
    reports = charted["reports"]
    # Put the reports that decide this on today, inside the window.
    today = timezone.now() - datetime.timedelta(hours=1)
    decisive = [own["verified"], own["draf"], own["menunggu"],
                reports[("verified", "halong", "terbatas")],
                reports[("verified", "halong", "publik")],
                reports[("verified", "paringin", "terbatas")]]
    Laporan.objects.filter(pk__in=[r.pk for r in decisive]).update(waktu_kejadian=today)
    counted = set(charts.in_window(verifier).values_list("pk", flat=True))
    assert own["verified"].pk in counted  # their own, restricted, in Halong
    assert own["draf"].pk not in counted and own["menunggu"].pk not in counted  # not verified
    assert reports[("verified", "halong", "terbatas")].pk not in counted  # not theirs to see
    assert reports[("verified", "halong", "publik")].pk in counted
    assert reports[("verified", "paringin", "terbatas")].pk in counted  # their kecamatan
    # The restricted Halong report is counted for the Halong verifier only.
    assert reports[("verified", "halong", "terbatas")].pk in set(
        charts.in_window(charted["people"]["verifikator_halong"]).values_list("pk", flat=True)
    )
