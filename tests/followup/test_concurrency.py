"""Races on the follow-up with real threads on PostgreSQL: exactly one outcome,
one audit entry, one set of notifications; the loser gets a typed error."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from wagtail.models import ModelLogEntry

from cms.followup import transitions
from cms.followup.models import Disposisi, Kejadian, LangkahTindakLanjut, TautanKejadian
from cms.notifications.models import Notifikasi
from tests.reports.reports_factories import verified_report

from .conftest import agency, due, make_member

ROUNDS = 10

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="SQLite serialises writers; races need PostgreSQL."),
]


def race(*calls):
    barrier = threading.Barrier(len(calls))
    outcomes = [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait()
            outcomes[index] = ("ok", call())
        except Exception as exc:  # the loser's typed error is what we check
            outcomes[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def code(exc):
    errors = (
        [e for group in exc.error_dict.values() for e in group]
        if hasattr(exc, "error_dict") else exc.error_list
    )
    return errors[0].code


def codes(outcomes):
    return sorted("ok" if kind == "ok" else code(value) for kind, value in outcomes)


def test_two_members_acknowledge_at_once(petugas, verifikator, pimpinan):
    polres = agency("Polres Balangan")
    first, second = make_member(polres, "polres.a"), make_member(polres, "polres.b")
    for n in range(ROUNDS):
        laporan = verified_report(petugas, verifikator, judul=f"Ras {n}")
        disposisi = transitions.issue(laporan.pk, pimpinan, instruksi="Tangani.",
                                      instansi_ids=[polres.pk], batas_waktu=due())
        tl = disposisi.tindak_lanjut.get()
        outcomes = race(
            lambda tl=tl: transitions.record_step(tl.pk, first, status="diterima", catatan="A"),
            lambda tl=tl: transitions.record_step(tl.pk, second, status="diterima", catatan="B"),
        )
        assert codes(outcomes) == ["invalid_state", "ok"], outcomes
        assert LangkahTindakLanjut.objects.filter(tindak_lanjut=tl).count() == 1
        assert ModelLogEntry.objects.for_instance(laporan).filter(
            action=transitions.STEP_ACTION).count() == 1
        assert Notifikasi.objects.filter(laporan=laporan, peristiwa="followup.updated").count() \
            == 1


def test_withdraw_races_a_step(petugas, verifikator, pimpinan, administrator):
    polres = agency("Polres Balangan")
    member = make_member(polres, "polres.c")
    for n in range(ROUNDS):
        laporan = verified_report(petugas, verifikator, judul=f"Cabut {n}")
        disposisi = transitions.issue(laporan.pk, pimpinan, instruksi="Tangani.",
                                      instansi_ids=[polres.pk], batas_waktu=due())
        tl = disposisi.tindak_lanjut.get()
        outcomes = race(
            lambda tl=tl: transitions.record_step(tl.pk, member, status="diterima", catatan="A"),
            lambda d=disposisi: transitions.withdraw(d.pk, administrator, "Batal."),
        )
        withdrawn, step = outcomes[1], outcomes[0]
        assert withdrawn[0] == "ok"
        assert not Disposisi.objects.get(pk=disposisi.pk).aktif
        if step[0] == "error":
            # Withdrawn first: the member no longer sees the report at all.
            assert isinstance(step[1], ValidationError)
            assert LangkahTindakLanjut.objects.filter(tindak_lanjut=tl).count() == 0
        else:
            assert LangkahTindakLanjut.objects.filter(tindak_lanjut=tl).count() == 1
        # Either way the member is left with nothing about the report.
        assert not Notifikasi.objects.filter(laporan=laporan, penerima=member).exists()


def test_two_withdrawals_at_once(petugas, verifikator, pimpinan, administrator):
    polres = agency("Polres Balangan")
    make_member(polres, "polres.d")
    for n in range(ROUNDS):
        laporan = verified_report(petugas, verifikator, judul=f"Dua cabut {n}")
        disposisi = transitions.issue(laporan.pk, pimpinan, instruksi="Tangani.",
                                      instansi_ids=[polres.pk], batas_waktu=due())
        outcomes = race(
            lambda d=disposisi: transitions.withdraw(d.pk, pimpinan, "Satu."),
            lambda d=disposisi: transitions.withdraw(d.pk, administrator, "Dua."),
        )
        assert codes(outcomes) == ["invalid_state", "ok"], outcomes
        assert ModelLogEntry.objects.for_instance(laporan).filter(
            action=transitions.WITHDRAW_ACTION).count() == 1


def test_one_report_linked_to_two_incidents_at_once(petugas, verifikator, administrator):
    """Two verifiers put the same report into two different incidents at the
    same moment: it ends in exactly one, with one audit entry, and the loser
    gets INVALID_STATE having written nothing."""
    for n in range(ROUNDS):
        report, a1, b1 = (
            verified_report(petugas, verifikator, judul=f"Kejadian {n} {part}")
            for part in ("sama", "a", "b")
        )
        incident_a = transitions.link(verifikator, [a1.pk, verified_report(
            petugas, verifikator, judul=f"Kejadian {n} a2").pk], judul=f"A {n}")
        incident_b = transitions.link(administrator, [b1.pk, verified_report(
            petugas, verifikator, judul=f"Kejadian {n} b2").pk], judul=f"B {n}")
        outcomes = race(
            lambda r=report, k=incident_a: transitions.link(verifikator, [r.pk], kejadian_pk=k.pk),
            lambda r=report, k=incident_b: transitions.link(administrator, [r.pk],
                                                            kejadian_pk=k.pk),
        )
        assert codes(outcomes) == ["invalid_state", "ok"], outcomes
        winner = outcomes[0][1] if outcomes[0][0] == "ok" else outcomes[1][1]
        tautan = TautanKejadian.objects.filter(laporan=report)
        assert [t.kejadian_id for t in tautan] == [winner.pk]
        assert ModelLogEntry.objects.for_instance(report).filter(
            action=transitions.LINK_ACTION).count() == 1
        assert {incident_a.tautan.count(), incident_b.tautan.count()} == {2, 3}


def test_two_new_incidents_for_one_report_at_once(petugas, verifikator, administrator):
    """Each of two people makes a new incident that includes the same report:
    one incident exists afterwards, the loser's was rolled back with it."""
    for n in range(ROUNDS):
        report, first, second = (
            verified_report(petugas, verifikator, judul=f"Baru {n} {part}")
            for part in ("sama", "1", "2")
        )
        before = Kejadian.objects.count()
        outcomes = race(
            lambda r=report, o=first: transitions.link(verifikator, [r.pk, o.pk], judul="Satu"),
            lambda r=report, o=second: transitions.link(administrator, [o.pk, r.pk], judul="Dua"),
        )
        assert codes(outcomes) == ["invalid_state", "ok"], outcomes
        assert Kejadian.objects.count() == before + 1
        winner = next(value for kind, value in outcomes if kind == "ok")
        assert TautanKejadian.objects.get(laporan=report).kejadian_id == winner.pk
        assert set(winner.tautan.values_list("laporan_id", flat=True)) == {
            report.pk, (first if winner.judul == "Satu" else second).pk}


def test_incident_status_races_a_link_and_itself(petugas, verifikator, administrator):
    """Closing an incident while a report is being linked to it: both happen,
    in some order, without waiting on each other crosswise (the reports are
    locked before the incident in both). Two closings at once: one wins."""
    for n in range(ROUNDS // 2):
        first, second, newcomer = (
            verified_report(petugas, verifikator, judul=f"Status {n} {part}")
            for part in ("1", "2", "baru")
        )
        kejadian = transitions.link(verifikator, [first.pk, second.pk], judul=f"Status {n}")
        outcomes = race(
            lambda k=kejadian: transitions.set_incident_status(administrator, k.pk, "selesai"),
            lambda k=kejadian, r=newcomer: transitions.link(verifikator, [r.pk],
                                                            kejadian_pk=k.pk),
        )
        assert codes(outcomes) == ["ok", "ok"], outcomes
        kejadian.refresh_from_db()
        assert kejadian.status == "selesai" and kejadian.tautan.count() == 3
        logged = ModelLogEntry.objects.filter(
            action=transitions.INCIDENT_STATUS_ACTION, data__kejadian_id=kejadian.pk).count()
        assert logged in (2, 3)

        outcomes = race(
            lambda k=kejadian: transitions.set_incident_status(administrator, k.pk, "aktif"),
            lambda k=kejadian: transitions.set_incident_status(verifikator, k.pk, "aktif"),
        )
        assert codes(outcomes) == ["invalid_state", "ok"], outcomes
        assert ModelLogEntry.objects.filter(
            action=transitions.INCIDENT_STATUS_ACTION, data__kejadian_id=kejadian.pk,
            data__status="aktif").count() == 3
