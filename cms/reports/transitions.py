"""The one transition service: every change of a report's state goes through here.

Each transition, whatever called it (a GraphQL mutation, the Wagtail workflow
action view, the admin edit view's workflow action, a management command):

1. opens one transaction and locks the report row (`SELECT … FOR UPDATE`),
   then reads its state again from the database — what the caller saw
   before may already be out of date;
2. checks the permission policy against *that* report (and, for a verifier's
   decision, against the task state's own report, never the one in the URL);
3. refuses when someone else holds the report's edit lock;
4. validates the action's data whatever view posted it;
5. writes the state, revision, grading, audit entries and every outbox row
   (the in-transaction receivers of cms.reports.events) in that transaction.

The loser of a race waits for the lock, reads the winner's outcome and gets a
typed ValidationError (code "invalid_state", "conflict" or "locked") having
written nothing. Refusals are ValidationError (code "not_found" when the
user may not even see the report) or PermissionDenied.
"""

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from wagtail.actions.unpublish import UnpublishAction
from wagtail.log_actions import log
from wagtail.models import TaskState, WorkflowState

from . import events, files
from .models import Laporan, PenilaianVerifikasi
from .models.laporan import Klasifikasi, Status
from .permissions import laporan_policy

ACTIVE_WORKFLOW = (WorkflowState.STATUS_IN_PROGRESS, WorkflowState.STATUS_NEEDS_CHANGES)
RETRACT_ACTION = "sikanda.laporan.tarik"
REASON_MAX_LENGTH = 1000


def _error(message, code, field=None):
    error = ValidationError(message, code=code)
    return ValidationError({field: error}) if field else error


def not_found():
    return _error(_("Laporan tidak ditemukan."), "not_found", "id")


@contextmanager
def locked(pk, user):
    """The report `pk`, row-locked inside a transaction, if `user` may see it.

    A report the user may not see is refused exactly like one that does not
    exist, so an id never confirms that a report is there."""
    with files.cleanup_on_failure(), transaction.atomic():
        laporan = Laporan.objects.select_for_update().filter(pk=pk).first()
        if laporan is None or not laporan_policy.user_can_view(user, laporan):
            raise not_found()
        yield laporan


def check_lock(laporan, user):
    """An edit lock held by someone else blocks every transition: the holder
    is in the middle of reading or correcting the report."""
    if laporan.locked and laporan.locked_by_id not in (None, getattr(user, "pk", None)):
        holder = laporan.locked_by
        name = (holder.get_full_name() or holder.get_username()) if holder else "?"
        since = date_format(timezone.localtime(laporan.locked_at), "j F Y H:i") \
            if laporan.locked_at else ""
        raise _error(
            _("Laporan sedang dikunci oleh %(name)s sejak %(since)s WITA. Minta ia membuka "
              "kuncinya, atau tunggu sampai selesai.") % {"name": name, "since": since},
            "locked",
        )


def active_workflow_state(laporan):
    """Read from the database, never from an attribute cached before the lock."""
    return (
        WorkflowState.objects.for_instance(laporan)
        .filter(status__in=ACTIVE_WORKFLOW)
        .select_related("current_task_state")
        .first()
    )


def _owner_or_admin(laporan, user, message):
    if laporan.pelapor_id != user.pk and not laporan_policy.is_administrator(user):
        raise PermissionDenied(message)


# -- officer's transitions ------------------------------------------------------

def start_verification(laporan, user):
    """Start the verification workflow on a report already locked by the caller."""
    workflow = laporan.get_workflow()
    if workflow is None:
        raise _error(_("Belum ada alur verifikasi untuk laporan."), "invalid_state")
    if laporan.nomor is None:
        laporan.nomor = f"SKD-{timezone.localdate():%Y}-{laporan.pk:06d}"
        Laporan.objects.filter(pk=laporan.pk).update(nomor=laporan.nomor)
    return workflow.start(laporan, user)


def _queued(laporan, state):
    """Stamp when the report entered verification: its new task's start, the
    queue's sort key (cms.desk.queue)."""
    task_state = state.current_task_state
    laporan.menunggu_sejak = task_state.started_at if task_state else timezone.now()
    Laporan.objects.filter(pk=laporan.pk).update(menunggu_sejak=laporan.menunggu_sejak)


def submit(pk, user):
    """Send a draft, a report sent back for changes, or (administrators) a
    correction of a verified or retracted report to verification."""
    with locked(pk, user) as laporan:
        _owner_or_admin(laporan, user, _("Hanya pelapor yang dapat mengirim laporan ini."))
        check_lock(laporan, user)
        state = active_workflow_state(laporan)
        if state is not None and state.status == WorkflowState.STATUS_NEEDS_CHANGES:
            state.resume(user)
            _queued(laporan, state)
        elif state is not None:
            raise _error(_("Laporan sudah dalam proses verifikasi."), "invalid_state")
        elif laporan.status == Status.DRAF or (
            # An administrator's correction of a verified or retracted report
            # is verified again before the public reads it.
            laporan_policy.is_administrator(user)
            and (laporan.is_retracted or (laporan.live and laporan.has_unpublished_changes))
        ):
            _queued(laporan, start_verification(laporan, user))
        else:
            raise _error(
                _("Laporan yang sudah terverifikasi tidak dapat dikirim ulang."), "invalid_state"
            )


def withdraw(pk, user):
    """The officer takes a report back out of verification; it becomes a draft."""
    with locked(pk, user) as laporan:
        _owner_or_admin(laporan, user, _("Hanya pelapor yang dapat menarik laporan ini."))
        check_lock(laporan, user)
        state = active_workflow_state(laporan)
        if state is None:
            raise _error(_("Laporan tidak sedang dalam proses verifikasi."), "invalid_state")
        state.cancel(user=user)


def check_editable(laporan, user):
    """The content of a report changes only while its reporter may edit it."""
    if not laporan_policy.user_can_edit(user, laporan):
        if laporan.pelapor_id == user.pk:
            raise _error(
                _("Laporan ini tidak dapat diubah pada statusnya sekarang (%(status)s).")
                % {"status": laporan.get_status_display()},
                "invalid_state",
            )
        raise PermissionDenied(_("Anda tidak dapat mengubah laporan ini."))
    if laporan.live:
        # Writing the row would change what the public reads without a new
        # verification; corrections to a verified report go through the
        # admin editor, which saves them as a draft revision.
        raise _error(
            _("Laporan yang sudah terverifikasi hanya dapat dikoreksi melalui admin."),
            "invalid_state",
        )
    check_lock(laporan, user)


def update(pk, user, *, fields, uploads=(), expected_revision=None, apply_and_validate):
    """Change the content of a draft or a report sent back for changes.

    `expected_revision` is the revision the client last saw: when someone saved
    another one since, the update is refused with "conflict" instead of
    silently overwriting it. Without it, only the fields given are written onto
    the freshly read row, so two edits of different fields both survive."""
    with locked(pk, user) as laporan:
        check_editable(laporan, user)
        if expected_revision is not None and str(expected_revision) != str(
            laporan.latest_revision_id
        ):
            raise _error(
                _("Laporan sudah diubah orang lain sejak Anda membukanya. Muat ulang untuk "
                  "melihat versi terbaru, lalu ulangi perubahan Anda."),
                "conflict",
                "expectedRevision",
            )
        built = apply_and_validate(laporan, fields, uploads)
        laporan.save()
        start = laporan.lampiran.count()
        files.store(laporan, built, start=start)
        laporan.save_revision(user=user, log_action=True)
        return laporan


def remove_attachment(pk, user, lampiran_id):
    from .models.laporan import Lampiran

    with locked(pk, user) as laporan:
        check_editable(laporan, user)
        deleted, _by_model = Lampiran.objects.filter(laporan=laporan, pk=lampiran_id).delete()
        if not deleted:
            raise _error(_("Lampiran tidak ditemukan."), "not_found", "lampiran")
        laporan.save_revision(user=user, log_action=True)


# -- verifier's decision -------------------------------------------------------------

def decide(pk, user, action, *, data, task_state_id=None):
    """Approve (with the Admiralty grading) or request changes (with a comment).

    `task_state_id` is the task state a view was asked to act on: it must be
    this report's current one, so an id of another report's task state can
    never act on a report the user was not authorised for."""
    from .workflow_forms import form_for_action

    form_class = form_for_action(action)
    if form_class is None:
        raise _error(_("Tindakan verifikasi tidak dikenal."), "invalid")
    with locked(pk, user) as laporan:
        state = active_workflow_state(laporan)
        task_state = (
            TaskState.objects.select_for_update().filter(
                pk=state.current_task_state_id, status=TaskState.STATUS_IN_PROGRESS
            ).first()
            if state is not None and state.status == WorkflowState.STATUS_IN_PROGRESS
            else None
        )
        if task_state_id is not None and not TaskState.objects.filter(
            pk=task_state_id, workflow_state__in=WorkflowState.objects.for_instance(laporan)
        ).exists():
            # Another report's task state does not exist as far as this
            # report is concerned: it can never act on a report other than
            # the one the user was authorised for.
            raise not_found()
        if task_state is None or (task_state_id is not None and task_state.pk != task_state_id):
            raise _error(
                _("Laporan tidak sedang menunggu verifikasi (mungkin sudah diputuskan "
                  "verifikator lain atau ditarik pelapor)."),
                "invalid_state",
            )
        if not laporan_policy.user_can_verify(user, laporan):
            raise PermissionDenied(_("Anda tidak dapat memverifikasi laporan ini."))
        check_lock(laporan, user)
        form = form_class(data=_form_data(data))
        if not form.is_valid():
            raise ValidationError(form.errors.as_data())
        cleaned = form.cleaned_data
        task_state = task_state.specific
        was_public = laporan.is_public or (
            laporan.is_retracted and laporan.klasifikasi == Klasifikasi.PUBLIK
        )
        if action == "approve":
            PenilaianVerifikasi.objects.update_or_create(
                laporan=laporan,
                defaults={
                    "keandalan_sumber": cleaned["keandalan_sumber"],
                    "kredibilitas_informasi": cleaned["kredibilitas_informasi"],
                    "verifikator": user,
                    "waktu": timezone.now(),
                },
            )
            task_state.approve(user=user, comment=cleaned.get("comment", ""))
            laporan.refresh_from_db(fields=["live", "klasifikasi", "status"])
            if laporan.is_public:
                # A correction of what the public already read is an update,
                # never a second "new report" to subscribers.
                events.emit(
                    events.report_updated if was_public else events.report_published,
                    laporan.pk, actor=user,
                )
        else:
            task_state.reject(user=user, comment=cleaned["comment"])


def _form_data(data):
    """Posted data comes as cleaned form data (the modal), decoded JSON (the
    edit view's extra data) or a dict of strings (the API): forms want strings."""
    if not isinstance(data, dict):
        return {}
    return {
        str(key): ("" if value is None else value if isinstance(value, str) else str(value))
        for key, value in data.items()
        if isinstance(value, str | int | float | type(None))
    }


# -- taking a report down -----------------------------------------------------------

def may_retract(user, laporan):
    return laporan_policy.is_administrator(user) or laporan_policy.user_can_verify(user, laporan)


def retract(pk, user, reason):
    """Take a verified report down (*tarik*), keeping its history.

    The public page then answers 410 with the reason's notice, the CAP feed
    issues a Cancel, and webhooks and notifications announce it."""
    reason = (reason or "").strip()
    if not reason:
        raise _error(_("Tuliskan alasan penarikan laporan."), "required", "alasan")
    if len(reason) > REASON_MAX_LENGTH:
        raise _error(
            _("Alasan terlalu panjang (paling banyak %(max)d karakter).")
            % {"max": REASON_MAX_LENGTH},
            "invalid",
            "alasan",
        )
    with locked(pk, user) as laporan:
        if not may_retract(user, laporan):
            raise PermissionDenied(_("Anda tidak dapat menarik laporan ini."))
        if laporan.status != Status.TERVERIFIKASI or not laporan.live:
            raise _error(
                _("Hanya laporan terverifikasi yang dapat ditarik."), "invalid_state"
            )
        check_lock(laporan, user)
        state = active_workflow_state(laporan)
        if state is not None:
            # A correction waiting for verification is moot once the report is down.
            state.cancel(user=user)
        UnpublishAction(laporan, user=user, log_action=False).execute(
            skip_permission_checks=True
        )
        laporan.status = Status.DITARIK
        laporan.ditarik_pada = timezone.now()
        laporan.ditarik_oleh = user
        laporan.alasan_penarikan = reason
        Laporan.objects.filter(pk=laporan.pk).update(
            status=laporan.status,
            ditarik_pada=laporan.ditarik_pada,
            ditarik_oleh=user,
            alasan_penarikan=reason,
        )
        log(instance=laporan, action=RETRACT_ACTION, user=user, data={"alasan": reason})
        events.emit(events.report_retracted, laporan.pk, actor=user, comment=reason)
        return laporan


def delete(pk, user, *, confirm=False):
    """Erase a report. Only drafts that never left the officer, or by an
    administrator who confirms it explicitly; both leave an audit entry.
    Everything else is retracted, not erased."""
    with locked(pk, user) as laporan:
        is_admin = laporan_policy.is_administrator(user)
        own_unsent = laporan.pelapor_id == user.pk and laporan.nomor is None
        if not (own_unsent or is_admin):
            raise PermissionDenied(
                _("Laporan yang sudah dikirim tidak dapat dihapus; administrator dapat "
                  "menariknya.")
            )
        if is_admin and not own_unsent and not confirm:
            raise _error(
                _("Menghapus laporan yang sudah dikirim menghapus riwayatnya. Konfirmasi "
                  "penghapusan, atau tarik laporan sebagai gantinya."),
                "required",
                "confirm",
            )
        check_lock(laporan, user)
        log(instance=laporan, action="wagtail.delete", user=user, deleted=True)
        try:
            with transaction.atomic():
                laporan.delete()
        except ProtectedError as exc:
            # Something that must outlive it (a disposition, a recap) points at it.
            what = ", ".join(sorted({str(o._meta.verbose_name) for o in exc.protected_objects}))
            raise _error(
                _("Laporan ini sudah dirujuk catatan lain (%(what)s) dan tidak dapat dihapus; "
                  "tarik laporan sebagai gantinya.")
                % {"what": what},
                "invalid_state",
            ) from exc

