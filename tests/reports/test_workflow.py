import pytest
from wagtail.models import ModelLogEntry, WorkflowState

from cms.reports import services
from cms.reports.models import Laporan, PenilaianVerifikasi, Status

from .reports_factories import make_report

pytestmark = pytest.mark.django_db

ADMIN = "/admin/snippets/reports/laporan/"


def workflow_action(client, laporan, action, **data):
    task_state = laporan.current_workflow_task_state
    url = f"{ADMIN}workflow/action/{laporan.pk}/{action}/{task_state.pk}/"
    return client.post(url, data)


def test_round_trip_submit_changes_resubmit_approve_publish(client, petugas, verifikator):
    laporan = make_report(petugas)
    assert laporan.status == Status.DRAF and laporan.nomor is None and not laporan.live

    laporan = services.submit(laporan, petugas)
    assert laporan.status == Status.MENUNGGU
    assert laporan.nomor.startswith("SKD-")

    client.force_login(verifikator)
    response = workflow_action(
        client, laporan, "reject", comment="Lengkapi jumlah orang yang terlibat."
    )
    assert response.status_code == 302
    laporan.refresh_from_db()
    assert laporan.status == Status.PERLU_PERBAIKAN
    assert laporan.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES

    services.update_report(laporan, petugas, fakta="Sekitar 20 pemuda dari dua desa bersitegang.")
    laporan = services.submit(laporan, petugas)
    assert laporan.status == Status.MENUNGGU

    response = workflow_action(
        client,
        laporan,
        "approve",
        comment="Sesuai.",
        keandalan_sumber="B",
        kredibilitas_informasi="2",
    )
    assert response.status_code == 302
    laporan = Laporan.objects.get(pk=laporan.pk)
    assert laporan.live and laporan.status == Status.TERVERIFIKASI
    assert laporan.fakta == "Sekitar 20 pemuda dari dua desa bersitegang."
    assert PenilaianVerifikasi.objects.get(laporan=laporan).verifikator == verifikator

    actions = list(
        ModelLogEntry.objects.filter(object_id=str(laporan.pk))
        .order_by("timestamp", "pk")
        .values_list("action", "user__username")
    )
    names = [a for a, _ in actions]
    for expected in [
        "wagtail.workflow.start",
        "wagtail.workflow.reject",
        "wagtail.workflow.resume",
        "wagtail.workflow.approve",
        "wagtail.publish",
    ]:
        assert expected in names, names
    assert ("wagtail.workflow.reject", "verifikator.uji") in actions
    comments = (
        [ts.comment for ts in laporan.current_workflow_state.task_states.order_by("pk")]
        if laporan.current_workflow_state
        else []
    )
    reject_entry = ModelLogEntry.objects.get(
        object_id=str(laporan.pk), action="wagtail.workflow.reject"
    )
    assert "Lengkapi jumlah orang" in str(reject_entry.data) or comments


def test_approval_requires_grading_and_request_changes_requires_a_comment(
    client, petugas, verifikator
):
    laporan = services.submit(make_report(petugas), petugas)
    client.force_login(verifikator)
    workflow_action(client, laporan, "approve", comment="ok")
    workflow_action(client, laporan, "reject", comment="")
    laporan.refresh_from_db()
    assert laporan.status == Status.MENUNGGU and not laporan.live


def test_withdraw_returns_the_report_to_draft(petugas):
    laporan = services.submit(make_report(petugas), petugas)
    laporan = services.withdraw(laporan, petugas)
    assert laporan.status == Status.DRAF and laporan.current_workflow_state is None
    assert services.submit(laporan, petugas).status == Status.MENUNGGU
