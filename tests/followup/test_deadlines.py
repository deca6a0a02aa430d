"""Verification deadlines with a controllable clock: the kecamatan's verifiers
are reminded at half the deadline, Administrators alerted at the deadline —
each exactly once, however often and however concurrently the sweeper runs."""

import datetime
import io
import threading

import pytest
from django.core.management import call_command
from django.db import connection
from wagtail.models import ModelLogEntry, TaskState

from cms.accounts import roles
from cms.followup import deadlines
from cms.followup.models import PengingatVerifikasi
from cms.notifications.models import Notifikasi
from cms.reports import services
from tests import factories
from tests.reports.reports_factories import make_report

MINUTE = datetime.timedelta(minutes=1)


def started(laporan):
    return TaskState.objects.get(
        workflow_state__object_id=str(laporan.pk), status=TaskState.STATUS_IN_PROGRESS
    ).started_at


def told(user, event):
    return Notifikasi.objects.filter(penerima=user, peristiwa=event).count()


@pytest.mark.django_db
def test_reminder_at_half_and_escalation_at_the_deadline(petugas, verifikator, administrator,
                                                         pimpinan):
    laporan = make_report(petugas, submit=True, urgensi="darurat")  # 30 minutes
    start = started(laporan)
    assert deadlines.sweep(now=start + 14 * MINUTE) == 0
    assert deadlines.sweep(now=start + 15 * MINUTE) == 1
    assert told(verifikator, "verification.reminder") == 1
    assert told(administrator, "verification.reminder") == 0
    assert deadlines.sweep(now=start + 20 * MINUTE) == 0
    assert deadlines.sweep(now=start + 30 * MINUTE) == 1
    assert told(administrator, "verification.overdue") == 1
    assert told(verifikator, "verification.overdue") == 0
    assert told(pimpinan, "verification.overdue") == 0
    for later in (31, 90, 600):
        assert deadlines.sweep(now=start + later * MINUTE) == 0
    assert told(verifikator, "verification.reminder") == 1
    assert told(administrator, "verification.overdue") == 1
    assert ModelLogEntry.objects.for_instance(laporan).filter(
        action=deadlines.ESCALATE_ACTION
    ).count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("urgensi", "half_minutes"), [
    ("darurat", 15), ("tinggi", 60), ("sedang", 12 * 60), ("rendah", 36 * 60),
])
def test_deadlines_by_urgency(petugas, verifikator, urgensi, half_minutes):
    laporan = make_report(petugas, submit=True, urgensi=urgensi)
    start = started(laporan)
    assert deadlines.sweep(now=start + (half_minutes - 1) * MINUTE) == 0
    assert deadlines.sweep(now=start + half_minutes * MINUTE) == 1
    assert deadlines.sweep(now=start + (2 * half_minutes - 1) * MINUTE) == 0
    assert deadlines.sweep(now=start + 2 * half_minutes * MINUTE) == 1


@pytest.mark.django_db
def test_deadlines_come_from_the_setting(settings, petugas, verifikator):
    settings.SIKANDA_VERIFICATION_DEADLINES = {"sedang": 10}
    laporan = make_report(petugas, submit=True, urgensi="sedang")
    assert deadlines.sweep(now=started(laporan) + 5 * MINUTE) == 1


@pytest.mark.django_db
def test_a_decided_report_is_not_chased(petugas, verifikator, administrator):
    laporan = make_report(petugas, submit=True, urgensi="darurat")
    start = started(laporan)
    services.act(laporan, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2")
    assert deadlines.sweep(now=start + 60 * MINUTE) == 0
    assert not PengingatVerifikasi.objects.exists()


@pytest.mark.django_db
def test_a_resubmission_starts_a_new_round(petugas, verifikator):
    laporan = make_report(petugas, submit=True, urgensi="darurat")
    first = started(laporan)
    assert deadlines.sweep(now=first + 15 * MINUTE) == 1
    laporan = services.act(laporan, verifikator, "reject", comment="Lengkapi foto.")
    laporan = services.submit(laporan, petugas)
    second = started(laporan)
    assert deadlines.sweep(now=second + 15 * MINUTE) == 1
    assert told(verifikator, "verification.reminder") == 2


@pytest.mark.django_db
def test_without_a_verifier_the_reminder_goes_to_administrators(administrator):
    halong = factories.kecamatan("halong")
    officer = factories.make_user(roles.PETUGAS, kecamatan=[halong])
    laporan = make_report(officer, submit=True, urgensi="tinggi", kec="halong")
    assert deadlines.sweep(now=started(laporan) + 60 * MINUTE) == 1
    assert told(administrator, "verification.reminder") == 1


@pytest.mark.django_db
def test_the_command_run_twice_sends_once(petugas, verifikator, administrator):
    laporan = make_report(petugas, submit=True, urgensi="darurat")
    TaskState.objects.filter(workflow_state__object_id=str(laporan.pk)).update(
        started_at=started(laporan) - 45 * MINUTE
    )
    out = io.StringIO()
    call_command("sweep_deadlines", stdout=out)
    call_command("sweep_deadlines", stdout=out)
    assert out.getvalue().splitlines() == [
        "2 pengingat verifikasi dikirim.", "0 pengingat tindak lanjut dikirim.",
        "0 pengingat verifikasi dikirim.", "0 pengingat tindak lanjut dikirim.",
    ]
    assert told(verifikator, "verification.reminder") == 1
    assert told(administrator, "verification.overdue") == 1
    assert PengingatVerifikasi.objects.count() == 2


ROUNDS = 10


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite serialises writers; races need PostgreSQL.")
def test_concurrent_sweepers_never_send_twice(petugas, verifikator, administrator):
    reports = [make_report(petugas, submit=True, urgensi="darurat") for _ in range(ROUNDS)]
    when = max(started(laporan) for laporan in reports) + 31 * MINUTE
    barrier = threading.Barrier(3)
    sent, failures = [], []

    def sweeper():
        try:
            barrier.wait()
            sent.append(deadlines.sweep(now=when))
        except Exception as exc:  # any failure is the test's finding
            failures.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=sweeper) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert failures == []
    assert sum(sent) == 2 * ROUNDS
    assert PengingatVerifikasi.objects.count() == 2 * ROUNDS
    assert told(verifikator, "verification.reminder") == ROUNDS
    assert told(administrator, "verification.overdue") == ROUNDS


@pytest.mark.django_db
def test_overdue_follow_up_reminds_the_agency_then_the_issuer(petugas, verifikator, pimpinan,
                                                              settings):
    from cms.followup import transitions
    from tests.reports.reports_factories import verified_report

    from .conftest import agency, due, make_member

    settings.SIKANDA_FOLLOWUP_ESCALATION_HOURS = 12
    polres = agency("Polres Balangan")
    member = make_member(polres, "anggota.lambat")
    laporan = verified_report(petugas, verifikator)
    disposisi = transitions.issue(laporan.pk, pimpinan, instruksi="Tangani.",
                                  instansi_ids=[polres.pk], batas_waktu=due(2))
    deadline = disposisi.batas_waktu
    assert deadlines.sweep_follow_ups(now=deadline - MINUTE) == 0
    assert deadlines.sweep_follow_ups(now=deadline) == 1
    assert told(member, "followup.overdue") == 1 and told(pimpinan, "followup.overdue") == 0
    assert deadlines.sweep_follow_ups(now=deadline + 11 * 60 * MINUTE) == 0
    assert deadlines.sweep_follow_ups(now=deadline + 12 * 60 * MINUTE) == 1
    assert told(pimpinan, "followup.escalated") == 1
    assert deadlines.sweep_follow_ups(now=deadline + 48 * 60 * MINUTE) == 0
    # A closed follow-up is not chased.
    other = verified_report(petugas, verifikator, judul="Sudah selesai")
    done = transitions.issue(other.pk, pimpinan, instruksi="Tangani.",
                             instansi_ids=[polres.pk], batas_waktu=due(2))
    tl = done.tindak_lanjut.get()
    transitions.record_step(tl.pk, member, status="diterima", catatan="Ok.")
    transitions.record_step(tl.pk, member, status="selesai", catatan="Beres.")
    assert deadlines.sweep_follow_ups(now=done.batas_waktu + 48 * 60 * MINUTE) == 0
