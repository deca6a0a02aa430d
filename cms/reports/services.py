"""What officers and verifiers do to a report, in one place for every client
(admin, API, demo data). Each function checks the permission policy first,
validates everything before it writes, and writes in one transaction."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.models import WorkflowState

from . import attachments
from .models import Laporan
from .models.laporan import Lampiran, Status
from .permissions import laporan_policy

CONTENT_FIELDS = (
    "judul", "periode", "jenis_athg", "aspek", "urgensi", "kecamatan", "desa", "latitude",
    "longitude", "akurasi_m", "waktu_kejadian", "fakta", "analisis", "rekomendasi",
    "sumber_informasi", "klasifikasi",
)


def _apply(laporan, fields):
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError({name: _("Kolom ini tidak dikenal.") for name in sorted(unknown)})
    for name, value in fields.items():
        setattr(laporan, name, value)


def _validate(laporan, user, uploads):
    errors = {}
    try:
        laporan.full_clean(exclude=["nomor", "client_uuid", "pelapor", "status"])
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if not laporan_policy.is_administrator(user) and not laporan_policy.user_can_file_for(
        user, laporan.kecamatan if laporan.kecamatan_id else None
    ):
        errors.setdefault("kecamatan", []).append(ValidationError(
            _("Anda tidak ditugaskan untuk melapor di kecamatan ini."), code="permission_denied"
        ))
    built = []
    for upload in uploads:
        try:
            built.append(attachments.build(upload))
        except ValidationError as exc:
            errors.setdefault("lampiran", []).extend(exc.error_list)
    if errors:
        raise ValidationError(errors)
    return built


def create_report(user, *, client_uuid=None, uploads=(), submit=False, **fields):
    """File a new report as `user`. A repeated call with the same client UUID
    returns the report the first call made (also when two calls race)."""
    if client_uuid is not None:
        existing = Laporan.objects.filter(pelapor=user, client_uuid=client_uuid).first()
        if existing is not None:
            return existing
    laporan = Laporan(pelapor=user, **({"client_uuid": client_uuid} if client_uuid else {}))
    _apply(laporan, fields)
    built = _validate(laporan, user, uploads)
    try:
        with transaction.atomic():
            laporan.live = False
            laporan.save()
            for order, lampiran in enumerate(built):
                lampiran.laporan = laporan
                lampiran.sort_order = order
                lampiran.save()
            laporan.save_revision(user=user, log_action=True)
            if submit:
                _start_workflow(laporan, user)
    except IntegrityError:
        # A concurrent retry with the same client UUID won the race.
        if client_uuid is None:
            raise
        return Laporan.objects.get(pelapor=user, client_uuid=client_uuid)
    return Laporan.objects.get(pk=laporan.pk)


def update_report(laporan, user, *, uploads=(), **fields):
    if not laporan_policy.user_can_edit(user, laporan):
        raise PermissionDenied(_("Laporan ini tidak dapat diubah pada statusnya sekarang."))
    if laporan.live:
        # Writing the row would change what the public reads without a new
        # verification; corrections to a verified report go through the admin
        # editor, which saves them as a draft revision for re-verification.
        raise ValidationError(
            _("Laporan yang sudah terverifikasi hanya dapat dikoreksi melalui admin."),
            code="invalid_state",
        )
    _apply(laporan, fields)
    built = _validate(laporan, user, uploads)
    with transaction.atomic():
        laporan.save()
        start = laporan.lampiran.count()
        for order, lampiran in enumerate(built, start=start):
            lampiran.laporan = laporan
            lampiran.sort_order = order
            lampiran.save()
        laporan.save_revision(user=user, log_action=True)
    return laporan


def remove_attachment(laporan, user, lampiran_id):
    """The reporter takes an attachment off a report they may still edit.
    The removal is a new revision in the report's history; without its
    Lampiran row no URL reaches the file."""
    if not laporan_policy.user_can_edit(user, laporan):
        raise PermissionDenied(_("Laporan ini tidak dapat diubah pada statusnya sekarang."))
    if laporan.live:
        raise ValidationError(
            _("Laporan yang sudah terverifikasi hanya dapat dikoreksi melalui admin."),
            code="invalid_state",
        )
    with transaction.atomic():
        deleted, _by_model = Lampiran.objects.filter(laporan=laporan, pk=lampiran_id).delete()
        if not deleted:
            raise ValidationError(
                {"lampiran": ValidationError(_("Lampiran tidak ditemukan."), code="not_found")}
            )
        laporan.save_revision(user=user, log_action=True)
    return laporan


def _assign_number(laporan):
    if laporan.nomor is None:
        laporan.nomor = f"SKD-{timezone.localdate():%Y}-{laporan.pk:06d}"
        Laporan.objects.filter(pk=laporan.pk).update(nomor=laporan.nomor)


def _start_workflow(laporan, user):
    workflow = laporan.get_workflow()
    if workflow is None:
        raise ValidationError(_("Belum ada alur verifikasi untuk laporan."))
    _assign_number(laporan)
    workflow.start(laporan, user)


def submit(laporan, user):
    """Send a draft, or a report sent back for changes, to verification."""
    if laporan.pelapor_id != user.pk and not laporan_policy.is_administrator(user):
        raise PermissionDenied(_("Hanya pelapor yang dapat mengirim laporan ini."))
    with transaction.atomic():
        state = laporan.current_workflow_state
        if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            if laporan.latest_revision_id is None or laporan.status != Status.PERLU_PERBAIKAN:
                raise ValidationError(_("Laporan tidak sedang menunggu perbaikan."))
            state.resume(user)
        elif state is not None:
            raise ValidationError(_("Laporan sudah dalam proses verifikasi."))
        elif laporan.status != Status.DRAF:
            raise ValidationError(_("Laporan yang sudah terverifikasi tidak dapat dikirim ulang."))
        else:
            _start_workflow(laporan, user)
    laporan.refresh_from_db()
    return laporan


def withdraw(laporan, user):
    """The officer takes a report back out of verification; it becomes a draft."""
    if laporan.pelapor_id != user.pk and not laporan_policy.is_administrator(user):
        raise PermissionDenied(_("Hanya pelapor yang dapat menarik laporan ini."))
    state = laporan.current_workflow_state
    if state is None:
        raise ValidationError(_("Laporan tidak sedang dalam proses verifikasi."))
    state.cancel(user=user)
    laporan.refresh_from_db()
    return laporan


def act(laporan, user, action, comment="", **grading):
    """A verifier's decision outside the admin (API, tests): 'approve' with
    the Admiralty grading, or 'reject' (request changes) with a comment."""
    task_state = laporan.current_workflow_task_state
    if task_state is None:
        raise ValidationError(_("Laporan tidak sedang menunggu verifikasi."))
    task = task_state.task.specific
    if action not in {name for name, *_ in task.get_actions(laporan, user)}:
        raise PermissionDenied(_("Anda tidak dapat memverifikasi laporan ini."))
    form = task.get_form_for_action(action)({"comment": comment, **grading})
    if not form.is_valid():
        raise ValidationError(form.errors)
    task.on_action(task_state.specific, user, action, **form.cleaned_data)
    laporan.refresh_from_db()
    return laporan
