"""Races, with real threads on a real PostgreSQL server: whatever two people do
to one report at the same moment, exactly one outcome, one set of audit
entries, one set of notifications and webhook deliveries, and no dangling
task state. Each pair is raced many times so that a missing lock would show.

SQLite serialises all writers, so these run on PostgreSQL only (CI runs both).
"""

import threading
from functools import partial

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test import Client
from wagtail.models import ModelLogEntry, TaskState, WorkflowState

from cms.accounts import roles
from cms.notifications.models import Notifikasi
from cms.platform.plugins import set_enabled
from cms.reports import services
from cms.reports.models import Laporan, PenilaianVerifikasi, Status
from plugins.webhooks.models import Delivery, Endpoint
from tests import factories

from .reports_factories import make_report

ROUNDS = 20
ADMIN = "/admin/snippets/reports/laporan/"

pytestmark = [
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite serialises writers; races need a real server (PostgreSQL in CI).",
    ),
]


def race(*calls):
    """Run the calls at the same moment, each in its own thread and database
    connection. Returns ("ok", result) or ("error", exception) per call."""
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
    assert all(outcome is not None for outcome in outcomes), outcomes
    return outcomes


def codes(exc):
    if isinstance(exc, PermissionDenied):
        return {"permission_denied"}
    assert isinstance(exc, ValidationError), repr(exc)
    if hasattr(exc, "error_dict"):
        return {e.code for errors in exc.error_dict.values() for e in errors}
    return {e.code for e in exc.error_list}


def one_winner(outcomes, loser_codes=("invalid_state",)):
    winners = [i for i, (kind, _) in enumerate(outcomes) if kind == "ok"]
    assert len(winners) == 1, outcomes
    for kind, value in outcomes:
        if kind == "error":
            assert codes(value) & set(loser_codes), (value, codes(value))
    return winners[0]


def log_count(laporan, action):
    return ModelLogEntry.objects.filter(object_id=str(laporan.pk), action=action).count()


def in_progress_task_states(laporan):
    return TaskState.objects.filter(
        workflow_state__object_id=str(laporan.pk), status=TaskState.STATUS_IN_PROGRESS
    ).count()


def notified(laporan, event):
    return Notifikasi.objects.filter(laporan=laporan, peristiwa=event).count()


@pytest.fixture
def people():
    paringin = factories.kecamatan("paringin")
    petugas = factories.make_user(roles.PETUGAS, "petugas.balap", kecamatan=[paringin])
    first = factories.make_user(roles.VERIFIKATOR, "verifikator.satu", kecamatan=[paringin])
    second = factories.make_user(roles.VERIFIKATOR, "verifikator.dua", kecamatan=[paringin])
    pimpinan = factories.make_user(roles.PIMPINAN, "pimpinan.balap")
    return petugas, first, second, pimpinan


@pytest.fixture
def webhook():
    set_enabled("webhooks", True)
    return Endpoint.objects.create(
        nama="Penerima uji",
        url="http://127.0.0.1:9/",
        events=[
            "report.submitted", "report.verified", "report.published",
            "report.changes_requested", "report.withdrawn",
        ],
    )


def approve(laporan, verifier, grade="B"):
    return lambda: services.act(
        laporan, verifier, "approve", keandalan_sumber=grade, kredibilitas_informasi="2"
    )


def reject(laporan, verifier):
    return lambda: services.act(laporan, verifier, "reject", comment="Lengkapi kronologinya.")


def deliveries(laporan, event):
    return Delivery.objects.filter(event=event, payload__report__id=laporan.pk).count()


def test_approve_against_approve(people, webhook):
    petugas, first, second, pimpinan = people
    for round_ in range(ROUNDS):
        laporan = make_report(petugas, submit=True, urgensi="tinggi")
        outcomes = race(approve(laporan, first, "A"), approve(laporan, second, "C"))
        winner = one_winner(outcomes)
        laporan = Laporan.objects.get(pk=laporan.pk)
        assert laporan.live and laporan.status == Status.TERVERIFIKASI
        grading = PenilaianVerifikasi.objects.get(laporan=laporan)
        assert grading.verifikator == (first, second)[winner]
        assert grading.keandalan_sumber == ("A", "C")[winner]
        assert log_count(laporan, "wagtail.workflow.approve") == 1, round_
        assert log_count(laporan, "wagtail.publish") == 1
        assert in_progress_task_states(laporan) == 0
        # the reporter and the Pimpinan, once each
        assert notified(laporan, "report.verified") == 2
        assert notified(laporan, "report.published") == 0  # no subscribers
        assert deliveries(laporan, "report.verified") == 1
        assert deliveries(laporan, "report.published") == 1


def test_approve_against_request_changes(people, webhook):
    petugas, first, second, _ = people
    seen = set()
    for _round in range(ROUNDS):
        laporan = make_report(petugas, submit=True)
        outcomes = race(approve(laporan, first), reject(laporan, second))
        winner = one_winner(outcomes)
        seen.add(winner)
        laporan = Laporan.objects.get(pk=laporan.pk)
        state = WorkflowState.objects.for_instance(laporan).get()
        finished = TaskState.objects.filter(workflow_state=state).exclude(
            status=TaskState.STATUS_IN_PROGRESS
        )
        assert finished.count() == 1 and in_progress_task_states(laporan) == 0
        if winner == 0:
            assert laporan.live and laporan.status == Status.TERVERIFIKASI
            assert state.status == WorkflowState.STATUS_APPROVED
            assert finished.get().status == TaskState.STATUS_APPROVED
            assert notified(laporan, "report.changes_requested") == 0
            assert deliveries(laporan, "report.changes_requested") == 0
        else:
            assert not laporan.live and laporan.status == Status.PERLU_PERBAIKAN
            assert state.status == WorkflowState.STATUS_NEEDS_CHANGES
            assert finished.get().status == TaskState.STATUS_REJECTED
            assert not PenilaianVerifikasi.objects.filter(laporan=laporan).exists()
            assert notified(laporan, "report.verified") == 0
            assert notified(laporan, "report.changes_requested") == 1
            assert deliveries(laporan, "report.published") == 0


def test_approve_against_withdraw(people, webhook):
    petugas, first, _, _ = people
    for _round in range(ROUNDS):
        laporan = make_report(petugas, submit=True)
        outcomes = race(approve(laporan, first), partial(services.withdraw, laporan, petugas))
        winner = one_winner(outcomes)
        laporan = Laporan.objects.get(pk=laporan.pk)
        if winner == 0:
            assert laporan.live and laporan.status == Status.TERVERIFIKASI
            assert log_count(laporan, "wagtail.workflow.cancel") == 0
            assert notified(laporan, "report.withdrawn") == 0
        else:
            # The officer was told the withdrawal succeeded: nothing is public.
            assert not laporan.live and laporan.status == Status.DRAF
            assert not Laporan.objects.public().filter(pk=laporan.pk).exists()
            assert not PenilaianVerifikasi.objects.filter(laporan=laporan).exists()
            assert log_count(laporan, "wagtail.publish") == 0
            assert deliveries(laporan, "report.published") == 0
        assert in_progress_task_states(laporan) == 0


def test_withdraw_against_withdraw(people, webhook):
    petugas, *_ = people
    for _round in range(ROUNDS):
        laporan = make_report(petugas, submit=True)
        outcomes = race(
            partial(services.withdraw, laporan, petugas),
            partial(services.withdraw, laporan, petugas),
        )
        one_winner(outcomes)
        laporan = Laporan.objects.get(pk=laporan.pk)
        assert laporan.status == Status.DRAF
        assert log_count(laporan, "wagtail.workflow.cancel") == 1
        assert notified(laporan, "report.withdrawn") == 2  # both verifiers, once
        assert deliveries(laporan, "report.withdrawn") == 1
        assert in_progress_task_states(laporan) == 0


def test_resubmit_against_resubmit(people, webhook):
    petugas, first, *_ = people
    for _round in range(ROUNDS):
        laporan = make_report(petugas, submit=True)
        reject(laporan, first)()
        outcomes = race(
            partial(services.submit, laporan, petugas), partial(services.submit, laporan, petugas)
        )
        one_winner(outcomes)
        laporan = Laporan.objects.get(pk=laporan.pk)
        assert laporan.status == Status.MENUNGGU
        assert in_progress_task_states(laporan) == 1
        assert log_count(laporan, "wagtail.workflow.resume") == 1
        assert deliveries(laporan, "report.submitted") == 2  # first submission + one resubmission


def test_update_against_update(people):
    petugas, *_ = people
    for _round in range(ROUNDS):
        laporan = make_report(petugas)
        # Different fields without a revision: both edits survive.
        outcomes = race(
            partial(services.update_report, laporan, petugas, judul="Judul baru"),
            partial(services.update_report, laporan, petugas, rekomendasi="Saran baru"),
        )
        assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
        fresh = Laporan.objects.get(pk=laporan.pk)
        assert (fresh.judul, fresh.rekomendasi) == ("Judul baru", "Saran baru")
        latest = fresh.get_latest_revision_as_object()
        assert (latest.judul, latest.rekomendasi) == ("Judul baru", "Saran baru")

        # The same field, both from the revision they saw: one wins, the
        # other is told of the conflict instead of silently overwriting.
        seen = fresh.latest_revision_id
        outcomes = race(
            partial(
                services.update_report, fresh, petugas, fakta="Versi satu", expected_revision=seen
            ),
            partial(
                services.update_report, fresh, petugas, fakta="Versi dua", expected_revision=seen
            ),
        )
        winner = one_winner(outcomes, loser_codes=("conflict",))
        assert Laporan.objects.get(pk=laporan.pk).fakta == ("Versi satu", "Versi dua")[winner]


def admin_approve(url, verifier):
    client = Client()
    client.force_login(verifier)
    data = {"keandalan_sumber": "B", "kredibilitas_informasi": "2", "comment": ""}
    return client.post(url, data).status_code


def test_approve_through_the_admin_against_the_admin(people, webhook):
    """The same race through Wagtail's workflow action URL, as two browsers."""
    petugas, first, second, _ = people
    for _round in range(ROUNDS // 2):
        laporan = make_report(petugas, submit=True)
        task_state = laporan.current_workflow_task_state
        url = f"{ADMIN}workflow/action/{laporan.pk}/approve/{task_state.pk}/"

        outcomes = race(partial(admin_approve, url, first), partial(admin_approve, url, second))
        assert [value for _, value in outcomes] == [302, 302], outcomes
        laporan = Laporan.objects.get(pk=laporan.pk)
        assert laporan.live
        assert log_count(laporan, "wagtail.workflow.approve") == 1
        assert log_count(laporan, "wagtail.publish") == 1
        assert deliveries(laporan, "report.verified") == 1


def test_lock_held_by_another_blocks_every_transition(people):
    petugas, first, second, _ = people
    laporan = make_report(petugas, submit=True)
    Laporan.objects.filter(pk=laporan.pk).update(locked=True, locked_by=first)
    for call in (approve(laporan, second), reject(laporan, second),
                 partial(services.withdraw, laporan, petugas)):
        with pytest.raises(ValidationError) as refused:
            call()
        assert codes(refused.value) == {"locked"}
        assert "verifikator.satu" in " ".join(refused.value.messages)
    # The holder may decide; the lock is theirs.
    approve(laporan, first)()
    assert Laporan.objects.get(pk=laporan.pk).live
