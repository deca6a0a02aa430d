"""The queue's order is what it was when it was sorted per request from the
workflow's task states: the waiting time stored on the report (`menunggu_sejak`)
starts when the report enters verification, again at each resubmission, and
never at an administrator's correction."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, F, OuterRef, Subquery
from django.db.models.functions import Cast, Coalesce
from django.utils import timezone
from wagtail.models import TaskState

from cms.desk import queue
from cms.reports import services
from cms.reports.models import Laporan
from cms.reports.models.laporan import URGENCY_RANK
from cms.reports.permissions import laporan_policy
from tests.reports.reports_factories import make_report
from tests.reports.test_permissions import edit_data

from .test_desk import waiting_since

pytestmark = pytest.mark.django_db

EDIT = "/admin/snippets/reports/laporan/edit/{}/"


def sorted_from_task_states(user):
    """The queue as it was sorted before the waiting time was stored: the
    start of the current in-progress task (else the last change), per row."""
    started = Subquery(
        TaskState.objects.filter(
            workflow_state__base_content_type=ContentType.objects.get_for_model(Laporan),
            workflow_state__object_id=Cast(OuterRef("pk"), CharField()),
            status=TaskState.STATUS_IN_PROGRESS,
        ).order_by("-started_at").values("started_at")[:1]
    )
    rows = laporan_policy.verifiable_by(user).annotate(
        mulai=Coalesce(started, F("diperbarui"))
    )
    return sorted(rows, key=lambda r: (URGENCY_RANK[r.urgensi], r.mulai, r.pk))


def test_order_is_the_task_states_order(petugas, verifikator):
    reports = [
        make_report(petugas, submit=True, judul=f"Laporan {n}", urgensi=urgensi)
        for n, urgensi in enumerate(["rendah", "darurat", "sedang", "tinggi", "sedang",
                                     "darurat", "rendah", "tinggi"])
    ]
    for hours, laporan in zip([3, 1, 40, 2, 7, 9, 30, 5], reports, strict=True):
        waiting_since(laporan, hours)
    for laporan in Laporan.objects.filter(pk__in=[r.pk for r in reports]):
        started = TaskState.objects.get(
            workflow_state__object_id=str(laporan.pk), status=TaskState.STATUS_IN_PROGRESS
        ).started_at
        assert laporan.menunggu_sejak == started
    assert list(queue.waiting_for(verifikator)) == sorted_from_task_states(verifikator)


def test_a_resubmission_starts_the_waiting_time_again(petugas, verifikator):
    first = make_report(petugas, submit=True, judul="Dikembalikan", urgensi="tinggi")
    other = make_report(petugas, submit=True, judul="Menunggu", urgensi="tinggi")
    waiting_since(first, 48)
    waiting_since(other, 24)
    assert list(queue.waiting_for(verifikator)) == [first, other]

    services.act(first, verifikator, "reject", comment="Lengkapi lokasi.")
    assert list(queue.waiting_for(verifikator)) == [other]
    before = timezone.now()
    services.submit(Laporan.objects.get(pk=first.pk), petugas)

    resubmitted = Laporan.objects.get(pk=first.pk)
    assert resubmitted.menunggu_sejak >= before
    assert resubmitted.menunggu_sejak == TaskState.objects.get(
        workflow_state__object_id=str(first.pk), status=TaskState.STATUS_IN_PROGRESS
    ).started_at
    assert list(queue.waiting_for(verifikator)) == [other, first]
    assert list(queue.waiting_for(verifikator)) == sorted_from_task_states(verifikator)


def test_an_administrators_correction_keeps_the_place(client, petugas, verifikator,
                                                      administrator):
    corrected = make_report(petugas, submit=True, judul="Dikoreksi", urgensi="sedang")
    newer = make_report(petugas, submit=True, judul="Lebih baru", urgensi="sedang")
    waiting_since(corrected, 30)
    waiting_since(newer, 2)
    since = Laporan.objects.get(pk=corrected.pk).menunggu_sejak

    client.force_login(administrator)
    response = client.post(EDIT.format(corrected.pk),
                           edit_data(corrected, fakta="Dikoreksi Kesbangpol."))
    assert response.status_code == 302
    after = Laporan.objects.get(pk=corrected.pk)
    assert after.fakta == "Dikoreksi Kesbangpol."
    assert after.diperbarui > since and after.menunggu_sejak == since
    assert list(queue.waiting_for(verifikator)) == [corrected, newer]
    assert list(queue.waiting_for(verifikator)) == sorted_from_task_states(verifikator)

    # Raising the urgency while it waits moves it forward at once: the
    # queue's index sorts by the urgency itself.
    response = client.post(EDIT.format(newer.pk), edit_data(newer, urgensi="darurat"))
    assert response.status_code == 302
    assert list(queue.waiting_for(verifikator)) == [newer, corrected]


def test_approval_does_not_roll_the_waiting_time_back(petugas, verifikator):
    """The stamp is the record's, not the content's: publishing a revision
    saved before the last submission keeps the stored one."""
    laporan = make_report(petugas, submit=True, urgensi="rendah")
    services.act(laporan, verifikator, "reject", comment="Lengkapi.")
    services.submit(Laporan.objects.get(pk=laporan.pk), petugas)
    stamped = Laporan.objects.get(pk=laporan.pk).menunggu_sejak
    services.act(Laporan.objects.get(pk=laporan.pk), verifikator, "approve",
                 keandalan_sumber="B", kredibilitas_informasi="2")
    assert Laporan.objects.get(pk=laporan.pk).menunggu_sejak == stamped
