"""Races on the follow-up with real threads on PostgreSQL: exactly one outcome,
one audit entry, one set of notifications; the loser gets a typed error."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from wagtail.models import ModelLogEntry

from cms.followup import transitions
from cms.followup.models import Disposisi, LangkahTindakLanjut
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
