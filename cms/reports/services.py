"""What officers, verifiers and administrators do to a report, in one place for
every client (admin, API, demo data, commands). State changes run through the
transition service (cms.reports.transitions): row lock, re-check, validation,
and state + revision + audit + outbox rows in one transaction.

Errors: ValidationError with codes "invalid", "required", "not_found",
"invalid_state", "conflict" or "locked"; PermissionDenied."""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from . import attachments, files, transitions
from .models import Laporan
from .permissions import laporan_policy

CONTENT_FIELDS = (
    "judul", "periode", "jenis_athg", "aspek", "urgensi", "kecamatan", "desa", "latitude",
    "longitude", "akurasi_m", "waktu_kejadian", "fakta", "analisis", "rekomendasi",
    "sumber_informasi", "klasifikasi",
)


def max_attachments():
    return settings.SIKANDA_ATTACHMENT_MAX_COUNT


def _normalise(name, value):
    """What clients legitimately send, made what the model stores: null for an
    optional text means empty (generated clients send nulls), and a time
    without an offset — common from mobile date libraries — is WITA."""
    field = Laporan._meta.get_field(name)
    if value is None and field.blank and not field.null and isinstance(
        field, models.CharField | models.TextField
    ):
        return ""
    if isinstance(value, datetime.datetime) and timezone.is_naive(value):
        return timezone.make_aware(value, timezone.get_default_timezone())
    return value


def _apply(laporan, fields):
    unknown = set(fields) - set(CONTENT_FIELDS)
    if unknown:
        raise ValidationError({name: _("Kolom ini tidak dikenal.") for name in sorted(unknown)})
    for name, value in fields.items():
        setattr(laporan, name, _normalise(name, value))


def _validate(laporan, user, uploads, existing=0):
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
    uploads = list(uploads)
    if existing + len(uploads) > max_attachments():
        errors.setdefault("lampiran", []).append(ValidationError(
            _("Satu laporan paling banyak memuat %(max)d lampiran.") % {"max": max_attachments()},
            code="invalid",
        ))
        uploads = []
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
        with files.cleanup_on_failure(), transaction.atomic():
            laporan.live = False
            laporan.save()
            files.store(laporan, built)
            laporan.save_revision(user=user, log_action=True)
            if submit:
                # In the same transaction: a report the client was told is
                # filed is in verification, or nothing was written at all.
                transitions.submit(laporan.pk, user)
    except IntegrityError:
        # Only the client UUID's unique constraint means "a concurrent retry
        # won the race"; any other integrity error is a real failure.
        if client_uuid is None:
            raise
        winner = Laporan.objects.filter(pelapor=user, client_uuid=client_uuid).first()
        if winner is None:
            raise
        return winner
    return Laporan.objects.get(pk=laporan.pk)


def update_report(laporan, user, *, uploads=(), expected_revision=None, **fields):
    """Change a draft or a report sent back for changes (attachments are added).
    `expected_revision`: the revision id the client last saw (see transitions.update)."""

    def apply_and_validate(fresh, fields, uploads):
        _apply(fresh, fields)
        return _validate(fresh, user, uploads, existing=fresh.lampiran.count())

    return transitions.update(
        laporan.pk, user, fields=fields, uploads=uploads, expected_revision=expected_revision,
        apply_and_validate=apply_and_validate,
    )


def remove_attachment(laporan, user, lampiran_id):
    """The reporter takes an attachment off a report they may still edit; the
    removal is a new revision in the report's history."""
    transitions.remove_attachment(laporan.pk, user, lampiran_id)
    return _fresh(laporan)


def _fresh(laporan):
    return Laporan.objects.get(pk=laporan.pk)


def submit(laporan, user):
    """Send a draft, or a report sent back for changes, to verification."""
    transitions.submit(laporan.pk, user)
    return _fresh(laporan)


def withdraw(laporan, user):
    """The officer takes a report back out of verification; it becomes a draft."""
    transitions.withdraw(laporan.pk, user)
    return _fresh(laporan)


def act(laporan, user, action, comment="", task_state_id=None, **grading):
    """A verifier's decision: 'approve' with the Admiralty grading, or
    'reject' (request changes) with a comment."""
    transitions.decide(
        laporan.pk, user, action, data={"comment": comment, **grading},
        task_state_id=task_state_id,
    )
    return _fresh(laporan)


def retract(laporan, user, reason):
    """Take a verified report down with a reason; history is kept."""
    transitions.retract(laporan.pk, user, reason)
    return _fresh(laporan)


def delete_report(laporan, user, confirm=False):
    transitions.delete(laporan.pk, user, confirm=confirm)
