"""Verification deadlines by urgency: nothing waits unseen.

A submitted report's round of verification (its task state in progress)
has a deadline from its urgency (`SIKANDA_VERIFICATION_DEADLINES`, minutes).
At half of it the kecamatan's verifiers are reminded (Administrators when the
kecamatan has none); when it has passed, Administrators (Kesbangpol) are
alerted. Each stage is sent at most once per round: the row in
`PengingatVerifikasi` (unique per report, task state and stage) is inserted
in the same transaction as the notification outbox rows, after the report
row is locked, so a second sweeper — concurrent or later — finds it and
sends nothing. A report sent back and resubmitted starts a new round.

Follow-ups get the same treatment: one still open when its disposition's
due date passes reminds the agency's members; one still open
`SIKANDA_FOLLOWUP_ESCALATION_HOURS` (24) later is escalated to the issuer.

`sweep(now=…)` takes the clock as an argument, so tests move time by hand."""

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, transaction
from django.utils import timezone
from wagtail.log_actions import log
from wagtail.models import TaskState, WorkflowState

from cms.reports.models import Laporan
from cms.reports.models.laporan import Status

from . import conf, events
from .models import (
    OPEN_STATUSES,
    PengingatTindakLanjut,
    PengingatVerifikasi,
    TahapPengingat,
    TahapTindakLanjut,
    TindakLanjut,
)

ESCALATE_ACTION = "sikanda.verifikasi.eskalasi"
STAGES = (
    (TahapPengingat.PENGINGAT, 0.5, events.verification_reminder),
    (TahapPengingat.ESKALASI, 1.0, events.verification_overdue),
)


def rounds_in_progress():
    """(report id, task state id, started at) of every report waiting for
    its verifier, in one query."""
    content_type = ContentType.objects.get_for_model(Laporan)
    return TaskState.objects.filter(
        status=TaskState.STATUS_IN_PROGRESS,
        workflow_state__status=WorkflowState.STATUS_IN_PROGRESS,
        workflow_state__base_content_type=content_type,
    ).values_list("workflow_state__object_id", "pk", "started_at")


def due(now=None):
    """(report id, task state id, stage, event) of every reminder whose time
    has come and that was not sent yet."""
    now = now or timezone.now()
    rounds = {int(object_id): (task_state, started) for object_id, task_state, started
              in rounds_in_progress()}
    if not rounds:
        return []
    urgency = dict(
        Laporan.objects.filter(pk__in=rounds, status=Status.MENUNGGU)
        .values_list("pk", "urgensi")
    )
    sent = set(
        PengingatVerifikasi.objects.filter(laporan_id__in=urgency)
        .values_list("laporan_id", "task_state_id", "tahap")
    )
    found = []
    for laporan_pk, urgensi in sorted(urgency.items()):
        deadline = conf.verification_deadline(urgensi)
        task_state, started = rounds[laporan_pk]
        if deadline is None:
            continue
        for stage, fraction, event in STAGES:
            if now >= started + deadline * fraction and (
                (laporan_pk, task_state, stage) not in sent
            ):
                found.append((laporan_pk, task_state, stage, event))
    return found


def send(laporan_pk, task_state_pk, stage, event, now=None):
    """Send one reminder, unless it was sent already or the round is over.
    True when this call sent it."""
    from cms.notifications.outbox import record

    now = now or timezone.now()
    with transaction.atomic():
        laporan = (
            Laporan.objects.select_for_update().select_related("kecamatan", "aspek", "jenis_athg")
            .filter(pk=laporan_pk, status=Status.MENUNGGU).first()
        )
        still_waiting = laporan is not None and TaskState.objects.filter(
            pk=task_state_pk, status=TaskState.STATUS_IN_PROGRESS
        ).exists()
        if not still_waiting:
            return False
        try:
            with transaction.atomic():
                PengingatVerifikasi.objects.create(
                    laporan=laporan, task_state_id=task_state_pk, tahap=stage, dikirim=now
                )
        except IntegrityError:
            return False  # another sweeper sent it
        record(event, laporan)
        if stage == TahapPengingat.ESKALASI:
            log(instance=laporan, action=ESCALATE_ACTION, user=None,
                data={"urgensi": laporan.urgensi})
        return True


def sweep(now=None):
    """Send every reminder that is due. Returns how many this call sent."""
    return sum(send(*item, now=now) for item in due(now))


# -- overdue follow-ups ------------------------------------------------------------

FOLLOWUP_STAGES = (
    (TahapTindakLanjut.INSTANSI, False, events.followup_overdue),
    (TahapTindakLanjut.PEMBERI, True, events.followup_escalated),
)


def overdue_follow_ups(now=None):
    """(follow-up id, report id, stage, event) of every overdue reminder that
    is due and was not sent yet."""
    now = now or timezone.now()
    open_ = TindakLanjut.objects.filter(
        status__in=OPEN_STATUSES, disposisi__dicabut_pada__isnull=True,
        disposisi__batas_waktu__lte=now,
    ).values_list("pk", "disposisi__laporan_id", "disposisi__batas_waktu")
    rows = list(open_)
    sent = set(
        PengingatTindakLanjut.objects.filter(tindak_lanjut_id__in=[r[0] for r in rows])
        .values_list("tindak_lanjut_id", "tahap")
    )
    found = []
    for pk, laporan_pk, due_at in rows:
        for stage, escalate, event in FOLLOWUP_STAGES:
            when = due_at + conf.followup_escalation() if escalate else due_at
            if now >= when and (pk, stage) not in sent:
                found.append((pk, laporan_pk, stage, event))
    return found


def send_follow_up(tindak_lanjut_pk, laporan_pk, stage, event, now=None):
    from cms.notifications.outbox import record

    now = now or timezone.now()
    with transaction.atomic():
        laporan = (
            Laporan.objects.select_for_update().select_related("kecamatan", "aspek", "jenis_athg")
            .filter(pk=laporan_pk).first()
        )
        still_open = laporan is not None and TindakLanjut.objects.filter(
            pk=tindak_lanjut_pk, status__in=OPEN_STATUSES,
            disposisi__dicabut_pada__isnull=True,
        ).exists()
        if not still_open:
            return False
        try:
            with transaction.atomic():
                PengingatTindakLanjut.objects.create(
                    tindak_lanjut_id=tindak_lanjut_pk, tahap=stage, dikirim=now
                )
        except IntegrityError:
            return False
        record(event, laporan, detail={"tindak_lanjut_id": tindak_lanjut_pk})
        return True


def sweep_follow_ups(now=None):
    """Send every overdue follow-up reminder that is due; how many were sent."""
    return sum(send_follow_up(*item, now=now) for item in overdue_follow_ups(now))
