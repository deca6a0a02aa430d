"""The one service for recap state changes: narrative edits, submission,
approval (which freezes, numbers and, for the regency recap, signs) and
sending back. Every path — admin edit view, workflow action view, command,
API — calls it.

Each change takes a row lock on the recap, re-reads it, re-checks the recap
policy against that row and its workflow state, validates, then writes the
state, Wagtail's workflow records and audit log entries and the notification
outbox rows in one transaction. Of two concurrent decisions the second finds
the recap no longer waiting and gets `RecapConflict`, having changed nothing."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.log_actions import log
from wagtail.models import WorkflowState

from . import conf, delivery, documents, events, files
from .models import EDITABLE, Penandatangan, RekapKabupaten, StatusRekap, UrutanNomor
from .permissions import policy_for

NARRATIVE = ("situasi_umum", "penilaian", "rekomendasi")


class RecapConflict(ValidationError):
    """Someone else changed the recap first (a lost race or a stale page)."""

    def __init__(self, message=None):
        super().__init__(
            message or _("Rekap ini sudah diputuskan atau diubah oleh pengguna lain."),
            code="conflict",
        )


def _locked(recap):
    return type(recap).objects.select_for_update().get(pk=recap.pk)


def update(recap, user, **narrative):
    unknown = set(narrative) - set(NARRATIVE)
    if unknown:
        raise ValidationError(
            {name: _("Kolom ini tidak dikenal.") for name in sorted(unknown)}, code="invalid"
        )
    with transaction.atomic():
        current = _locked(recap)
        if not policy_for(current).user_can_edit(user, current):
            if current.status not in EDITABLE and policy_for(current).user_can_view(user, current):
                raise RecapConflict(_("Rekap ini tidak dapat diubah pada statusnya sekarang."))
            raise PermissionDenied(_("Anda tidak dapat mengubah rekap ini."))
        for name, value in narrative.items():
            setattr(current, name, (value or "").strip())
        current.save()
        current.save_revision(user=user, log_action=True)
    return current


def _validate_for_submission(recap):
    if not recap.situasi_umum.strip():
        raise ValidationError(
            {"situasi_umum": ValidationError(
                _("Situasi umum wajib diisi sebelum rekap dikirim."), code="required"
            )}
        )


def submit(recap, user):
    """Send a draft (or a recap sent back) for approval."""
    with transaction.atomic():
        current = _locked(recap)
        policy = policy_for(current)
        if not policy.user_can_submit(user, current):
            raise PermissionDenied(_("Anda tidak dapat mengirim rekap ini."))
        if current.status not in EDITABLE:
            raise RecapConflict(_("Rekap ini sudah dikirim atau sudah disetujui."))
        _validate_for_submission(current)
        if current.latest_revision_id is None:
            current.save_revision(user=user)
        state = current.current_workflow_state
        if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            current.save_revision(user=user)
            state.resume(user)
        else:
            workflow = current.get_workflow()
            if workflow is None:
                raise ValidationError(_("Belum ada alur persetujuan untuk rekap."))
            workflow.start(current, user)
        type(current).objects.filter(pk=current.pk).update(status=StatusRekap.MENUNGGU)
        current.status = StatusRekap.MENUNGGU
        delivery.submitted(current, user)
        events.emit_on_commit(events.recap_submitted, current, actor=user)
    return current


def next_number(year):
    """The next document number of `year`, allocated under a row lock."""
    UrutanNomor.objects.get_or_create(tahun=year)
    sequence = UrutanNomor.objects.select_for_update().get(tahun=year)
    sequence.terakhir += 1
    sequence.save(update_fields=["terakhir"])
    return conf.number_pattern().format(seq=sequence.terakhir, year=year), sequence.terakhir


def decide(recap, user, action, comment=""):
    """An approver's decision: "approve" (freeze, number, sign the regency
    recap) or "reject" (send back, comment required)."""
    if action not in ("approve", "reject"):
        raise ValidationError(_("Tindakan tidak dikenal."), code="invalid")
    comment = (comment or "").strip()
    with transaction.atomic():
        current = _locked(recap)
        policy = policy_for(current)
        task_state = current.current_workflow_task_state
        if current.status != StatusRekap.MENUNGGU or task_state is None:
            if policy.user_can_view(user, current):
                raise RecapConflict()
            raise PermissionDenied(_("Anda tidak dapat memutuskan rekap ini."))
        if not policy.user_can_approve(user, current):
            raise PermissionDenied(_("Anda tidak dapat memutuskan rekap ini."))
        task = task_state.task.specific
        if action == "reject":
            if not comment:
                raise ValidationError(
                    {"comment": ValidationError(
                        _("Tuliskan apa yang harus diperbaiki."), code="required"
                    )}
                )
            task.record_decision(task_state.specific, user, "reject", comment=comment)
            type(current).objects.filter(pk=current.pk).update(
                status=StatusRekap.PERLU_PERBAIKAN
            )
            current.status = StatusRekap.PERLU_PERBAIKAN
            delivery.changes_requested(current, user, comment)
            events.emit_on_commit(events.recap_changes_requested, current, actor=user,
                                  comment=comment)
            return current
        _approve(current, user, task, task_state, comment)
    return current


def _approve(recap, user, task, task_state, comment):
    is_regency = isinstance(recap, RekapKabupaten)
    signer = Penandatangan.current()
    if is_regency and not (signer.nama and signer.nip):
        raise ValidationError(
            _("Nama dan NIP penandatangan belum diatur (Pengaturan → Penandatangan)."),
            code="invalid",
        )
    now = timezone.now()
    recap.nomor, recap.urut_nomor = next_number(timezone.localdate(now).year)
    recap.tahun_nomor = timezone.localdate(now).year
    content = documents.build(recap, signer=signer, at=now)
    recap.isi_beku = content
    recap.checksum = documents.checksum(content)
    recap.disetujui_pada, recap.disetujui_oleh = now, user
    fields = ["nomor", "urut_nomor", "tahun_nomor", "isi_beku", "checksum",
              "disetujui_pada", "disetujui_oleh"]
    if is_regency:
        recap.penandatangan = signer.snapshot()
        recap.ditandatangani_pada, recap.ditandatangani_oleh = now, user
        fields += ["penandatangan", "ditandatangani_pada", "ditandatangani_oleh"]
    recap.save(update_fields=fields)
    # Wagtail's records: task and workflow approved, revision published (its
    # audit entries); the frozen fields above survive the publish because
    # they are record fields (Rekap.with_content_json).
    task.record_decision(task_state.specific, user, "approve", comment=comment)
    final = StatusRekap.DITANDATANGANI if is_regency else StatusRekap.DISETUJUI
    type(recap).objects.filter(pk=recap.pk).update(status=final)
    recap.status = final
    log(
        instance=recap,
        action="sikanda.recap.sign" if is_regency else "sikanda.recap.approve",
        user=user,
        data={"nomor": recap.nomor, "checksum": recap.checksum},
    )
    _flag_late_reports(recap, content, user)
    files.queue(recap)
    if is_regency:
        delivery.signed(recap, user)
        events.emit_on_commit(events.recap_signed, recap, actor=user)
    else:
        delivery.approved(recap, user)
        events.emit_on_commit(events.recap_approved, recap, actor=user)


def _flag_late_reports(recap, content, user):
    """Record in the late recap's history that one of its period's reports
    arrived after approval and went into this recap as an addendum."""
    model = type(recap)
    for row in content["susulan"]:
        late = model.objects.filter(pk=row["rekap_asal"]).first()
        if late is not None:
            log(
                instance=late,
                action="sikanda.recap.susulan",
                user=user,
                data={"laporan": row["nomor"], "dimuat_di": recap.nomor},
            )
