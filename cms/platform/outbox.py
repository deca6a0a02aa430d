"""The one delivery engine behind every outbox (notifications, webhooks, …).

A delivery row is written in the same transaction as the event that causes
it, so a rolled-back change leaves none and a committed change always has
one. After the commit a task is queued for it; the sweeper queues again
whatever is due, so a lost task or a worker killed mid-send delays a
delivery but never loses it.

Every attempt first *claims* the row: it moves it to `sending` with a lease
(`kunci_hingga`) and counts the attempt, all in one conditional UPDATE taken
under `select_for_update(skip_locked=True)`. Whoever loses the claim does
nothing, so two workers (the task, `send_webhooks`, the sweeper, two
threads) never call the remote side for the same row at the same time, and
each remote call is exactly one recorded attempt. The outcome is written
only while the claimant still holds its lease; a worker that overran its
lease (and so may have been overtaken) writes nothing.

A kind of delivery is a concrete subclass of `OutboxDelivery` that
implements `send()`: return normally on success, raise
`cms.platform.plugins.DeliveryFailed` (with `retry=False` for a refusal that
will not change, `retry_after` when the remote side said when to come back)
on failure. Any other exception is treated as a retryable failure.

Settings, one dict for every kind (a kind's own sub-dict wins):

    SIKANDA_OUTBOX = {
        "MAX_ATTEMPTS": 10,          # attempts before a delivery is marked failed
        "BACKOFF_SECONDS": 30,       # wait after the first failure, doubled each time
        "MAX_BACKOFF_SECONDS": 3600, # longest wait between attempts
        "LEASE_SECONDS": 120,        # a claim expires after this; keep it above any timeout
        "SWEEP_GRACE_SECONDS": 300,  # re-queue a queued row still unclaimed this long after due
        "webhooks": {"MAX_ATTEMPTS": 8, "TIMEOUT": 10},
    }

A kind may also name an older settings dict (`outbox_legacy_setting`), read
after its sub-dict and before the global keys.
"""

import logging
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .plugins import DeliveryFailed

logger = logging.getLogger("sikanda.outbox")

DEFAULTS = {
    "MAX_ATTEMPTS": 10,
    "BACKOFF_SECONDS": 30,
    "MAX_BACKOFF_SECONDS": 3600,
    "LEASE_SECONDS": 120,
    # With a queue that can hold a task until a given time (the database
    # queue), every new row and every retry has a task waiting for it; the
    # sweeper only queues a pending row again once it has been due this long
    # (its task was lost), instead of adding a second task for every row
    # still waiting in a busy queue.
    "SWEEP_GRACE_SECONDS": 300,
}
# Below the deliveries' task priority (50), above Wagtail's indexing tasks (0).
BACKGROUND_PRIORITY = 20
# A remote side may not park a delivery for longer than this with Retry-After.
MAX_RETRY_AFTER_SECONDS = 24 * 3600
ERROR_LENGTH = 2000


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Menunggu dikirim")
    SENDING = "sending", _("Sedang dikirim")
    SENT = "sent", _("Terkirim")
    FAILED = "failed", _("Gagal")


class OutboxDelivery(models.Model):
    """The columns the engine needs; a concrete subclass adds what it sends."""

    Status = DeliveryStatus

    status = models.CharField(
        _("status"), max_length=10, choices=DeliveryStatus, default=DeliveryStatus.PENDING
    )
    percobaan = models.PositiveIntegerField(_("percobaan"), default=0)
    coba_lagi_pada = models.DateTimeField(_("coba lagi pada"), default=timezone.now)
    kunci_hingga = models.DateTimeField(
        _("dikunci pekerja hingga"),
        null=True,
        blank=True,
        help_text=_("Pekerja yang mati di tengah pengiriman melepas kunci saat waktu ini lewat."),
    )
    galat_terakhir = models.TextField(_("galat terakhir"), blank=True)
    terkirim = models.DateTimeField(_("terkirim"), null=True, blank=True)

    # The key of this kind's sub-dict in SIKANDA_OUTBOX.
    outbox_kind = None
    # An older settings dict of this kind, and how its keys map to the engine's.
    outbox_legacy_setting = None
    outbox_legacy_names = {}
    # This kind's defaults, below every setting.
    outbox_defaults = {}
    # Columns `send()` sets that are written with the outcome (e.g. a provider
    # reference, an HTTP status).
    outbox_result_fields = ()
    # Rows matching this Q are queued behind the others (BACKGROUND_PRIORITY):
    # the batches of a broadcast to thousands must not hold up a push to one
    # person. None: every row at the task's own priority.
    outbox_background = None

    class Meta:
        abstract = True
        indexes = [
            models.Index(fields=["status", "coba_lagi_pada"], name="%(app_label)s_%(class)s_due")
        ]

    def send(self):
        raise NotImplementedError

    @classmethod
    def outbox_active(cls):
        """False while this kind must not send (its plugin is off): its rows
        wait, untouched, and no attempt is spent."""
        return True

    @classmethod
    def outbox_queryset(cls):
        """How a claimed row is loaded for `send()`."""
        return cls._default_manager.all()


# -- settings ------------------------------------------------------------------


def option(model, name, default=None):
    engine = getattr(settings, "SIKANDA_OUTBOX", {}) or {}
    own = engine.get(model.outbox_kind) or {}
    if name in own:
        return own[name]
    if model.outbox_legacy_setting:
        legacy = getattr(settings, model.outbox_legacy_setting, {}) or {}
        legacy = {model.outbox_legacy_names.get(key, key): value for key, value in legacy.items()}
        if name in legacy:
            return legacy[name]
    if name in engine:
        return engine[name]
    if name in model.outbox_defaults:
        return model.outbox_defaults[name]
    return DEFAULTS.get(name, default)


def backoff(model, attempt):
    """Wait after the `attempt`-th failure: base, 2×base, 4×base… capped."""
    base = option(model, "BACKOFF_SECONDS")
    seconds = min(base * 2 ** max(attempt - 1, 0), option(model, "MAX_BACKOFF_SECONDS"))
    return timedelta(seconds=seconds)


# -- the engine --------------------------------------------------------------------


def kinds():
    """Every installed kind of delivery."""
    return [
        model
        for model in apps.get_models()
        if issubclass(model, OutboxDelivery) and not model._meta.proxy
    ]


def due(model, now=None):
    """Rows to send now: pending ones whose time has come, and ones whose
    claimant's lease ran out (it died or hung)."""
    now = now or timezone.now()
    return model._default_manager.filter(
        Q(status=DeliveryStatus.PENDING, coba_lagi_pada__lte=now)
        | Q(status=DeliveryStatus.SENDING, kunci_hingga__lt=now)
    )


def claim(model, pk):
    """Take row `pk` for one attempt if it is due and nobody holds it;
    return it loaded for sending, or None."""
    if not model.outbox_active():
        return None
    now = timezone.now()
    lease = now + timedelta(seconds=option(model, "LEASE_SECONDS"))
    with transaction.atomic():
        # On PostgreSQL a row another claimant is holding is skipped rather
        # than waited for; the conditional UPDATE below is what makes the
        # claim exclusive on every database (on SQLite, which has no row
        # locks, it is all there is).
        if not due(model, now).filter(pk=pk).select_for_update(skip_locked=True).exists():
            return None
        claimed = (
            due(model, now)
            .filter(pk=pk)
            .update(
                status=DeliveryStatus.SENDING,
                kunci_hingga=lease,
                percobaan=F("percobaan") + 1,
            )
        )
    if not claimed:
        return None
    return model.outbox_queryset().filter(pk=pk).first()  # None if deleted meanwhile


def attempt(model, pk):
    """Claim row `pk` and make one attempt. Returns its status afterwards,
    or None when it was not claimed (not due, held by another, kind off)."""
    delivery = claim(model, pk)
    if delivery is None:
        return None
    try:
        delivery.send()
    except DeliveryFailed as exc:
        if not exc.retry:
            return _finish(delivery, DeliveryStatus.FAILED, str(exc))
        return _retry_later(delivery, str(exc), exc.retry_after)
    except Exception as exc:  # a bug in a kind or a channel must not lose the delivery
        logger.exception("Outbox %s row %s failed while sending", model._meta.label, pk)
        return _retry_later(delivery, f"{type(exc).__name__}: {exc}")
    return _finish(delivery, DeliveryStatus.SENT)


def _retry_later(delivery, error, retry_after=None):
    model = type(delivery)
    if delivery.percobaan >= option(model, "MAX_ATTEMPTS"):
        return _finish(delivery, DeliveryStatus.FAILED, error)
    wait = backoff(model, delivery.percobaan)
    if retry_after:
        wait = max(wait, timedelta(seconds=min(float(retry_after), MAX_RETRY_AFTER_SECONDS)))
    when = timezone.now() + wait
    status = _record(delivery, DeliveryStatus.PENDING, error, coba_lagi_pada=when)
    if _queue_can_defer():
        enqueue(model, [delivery.pk], background=_is_background(delivery), run_after=when)
    # Otherwise (a queue that runs tasks at once) the sweeper queues it when due.
    return status


def _finish(delivery, status, error=""):
    return _record(
        delivery,
        status,
        error,
        terkirim=timezone.now() if status == DeliveryStatus.SENT else None,
    )


def _record(delivery, status, error, **columns):
    model = type(delivery)
    columns.update({name: getattr(delivery, name) for name in model.outbox_result_fields})
    written = (
        model._default_manager.filter(
            pk=delivery.pk, status=DeliveryStatus.SENDING, kunci_hingga=delivery.kunci_hingga
        ).update(status=status, kunci_hingga=None, galat_terakhir=error[:ERROR_LENGTH], **columns)
    )
    if not written:
        # The lease ran out during the attempt and the row has moved on
        # (re-claimed, or queued again by an administrator): its new owner
        # records the outcome.
        logger.warning(
            "Outbox %s row %s: lease lost before the outcome (%s) was recorded",
            model._meta.label,
            delivery.pk,
            status,
        )
    return status


def requeue(delivery, *, reset_attempts=False):
    """Make a row due now (an administrator's "send again"), with the same
    identity. A row being sent right now is left to its claimant. Returns
    whether the row was queued; the task runs after the commit."""
    model = type(delivery)
    now = timezone.now()
    changes = {"status": DeliveryStatus.PENDING, "coba_lagi_pada": now, "kunci_hingga": None}
    if reset_attempts:
        changes["percobaan"] = 0
    queued = (
        model._default_manager.filter(pk=delivery.pk)
        .exclude(status=DeliveryStatus.SENDING, kunci_hingga__gte=now)
        .update(**changes)
    )
    if queued:
        enqueue_on_commit(model, [delivery.pk], background=_is_background(delivery))
    return bool(queued)


# -- tasks and the sweeper ------------------------------------------------------------


def _deliver_task():
    from .tasks import deliver

    return deliver


def _queue_can_defer():
    return _deliver_task().get_backend().supports_defer


def _is_background(delivery):
    model = type(delivery)
    if model.outbox_background is None:
        return False
    return model._default_manager.filter(model.outbox_background, pk=delivery.pk).exists()


def enqueue(model, pks, *, background=False, run_after=None):
    """Queue one attempt per row (the task `cms.platform.tasks.deliver`),
    behind the other deliveries when `background`, not before `run_after`.
    A failure to queue only delays: the sweeper finds the row again."""
    task = _deliver_task()
    changes = {}
    if background:
        changes["priority"] = BACKGROUND_PRIORITY
    if run_after is not None:
        changes["run_after"] = run_after
    if changes:
        task = task.using(**changes)
    for pk in pks:
        try:
            task.enqueue(model._meta.label, pk)
        except Exception:
            logger.exception("Could not queue outbox %s row %s", model._meta.label, pk)


def enqueue_on_commit(model, pks, *, background=False):
    pks = list(pks)
    if pks:
        transaction.on_commit(lambda: enqueue(model, pks, background=background), robust=True)


def lost(model, now=None):
    """Due rows that no queued task will pick up: a claimant's lease that ran
    out, and — with a queue that holds every row's task — pending rows due
    for longer than SWEEP_GRACE_SECONDS. With a queue that runs tasks at once
    nothing waits in it, so every due row is lost."""
    now = now or timezone.now()
    if not _queue_can_defer():
        return due(model, now)
    grace = timedelta(seconds=option(model, "SWEEP_GRACE_SECONDS"))
    return model._default_manager.filter(
        Q(status=DeliveryStatus.PENDING, coba_lagi_pada__lte=now - grace)
        | Q(status=DeliveryStatus.SENDING, kunci_hingga__lt=now)
    )


def sweep(*models):
    """Queue every due row whose task was lost (a worker died holding it, a
    failed enqueue, a retry of a queue without deferred tasks) of the given
    kinds, or of every active kind; background rows behind the others.
    Returns how many were queued."""
    count = 0
    for model in models or kinds():
        if not model.outbox_active():
            continue
        rows = lost(model).order_by("coba_lagi_pada", "pk")
        groups = [(rows, False)]
        if model.outbox_background is not None:
            groups = [(rows.exclude(model.outbox_background), False),
                      (rows.filter(model.outbox_background), True)]
        for group, background in groups:
            pks = list(group.values_list("pk", flat=True))
            enqueue(model, pks, background=background)
            count += len(pks)
    return count


def send_due(model, limit=500):
    """Attempt the due rows of one kind in this process (for cron without a
    worker). Returns the statuses of the rows this process claimed."""
    if not model.outbox_active():
        return []
    pks = list(due(model).order_by("coba_lagi_pada", "pk").values_list("pk", flat=True)[:limit])
    statuses = []
    for pk in pks:
        status = attempt(model, pk)
        if status is not None:
            statuses.append(status)
    return statuses
