"""Reminders to kecamatan that have not reported today (WITA).

At `remind_officers_at` (SIKANDA_COMPLIANCE, default 17:00 WITA) the officers
of every kecamatan with neither a counted report (cms/compliance/board.py)
nor a *laporan nihil* for today hear about it; at `remind_verifiers_at`
(19:00) its verifiers do, if still nothing came — the Administrators when
the kecamatan has no verifier, as submissions are routed. Inbox and push,
through the notification outbox.

Each stage is sent at most once per kecamatan and day: the row in
`PengingatKepatuhan` is inserted in the transaction of the notification rows,
so a second run — concurrent or later — finds it and sends nothing. A run
that starts late (after downtime) still sends what is due today; past days
are not chased. `sweep(now=…)` takes the clock so tests move time by hand."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import formats, timezone, translation

from cms.accounts import roles
from cms.notifications.models import Notifikasi, Pengiriman
from cms.platform import outbox
from cms.platform.plugins import notification_channels
from cms.recaps.periods import WITA
from cms.reports.assignments import FILE_REPORT, VERIFY_REPORT, assigned_users

from . import conf
from .board import missing_kecamatan
from .models import PengingatKepatuhan
from .models import TahapPengingatKepatuhan as Tahap

OFFICER_EVENT = "compliance.officer_reminder"
VERIFIER_EVENT = "compliance.verifier_reminder"
STAGES = (
    (Tahap.PETUGAS, "remind_officers_at"),
    (Tahap.VERIFIKATOR, "remind_verifiers_at"),
)


def _active(queryset):
    return list(queryset.filter(is_active=True).distinct().order_by("pk"))


def officers(kecamatan):
    return _active(assigned_users(kecamatan, FILE_REPORT).filter(groups__name=roles.PETUGAS))


def verifiers(kecamatan):
    found = _active(
        assigned_users(kecamatan, VERIFY_REPORT).filter(groups__name=roles.VERIFIKATOR)
    )
    if found:
        return found
    return _active(get_user_model().objects.filter(
        Q(is_superuser=True) | Q(groups__name=roles.ADMINISTRATOR)))


def _day(tanggal, language):
    with translation.override(language):
        return formats.date_format(tanggal, "l, j F Y")


def message(stage, kecamatan, tanggal):
    """(event, title, body), both languages: a push goes out before anyone's
    language is known."""
    hari = {"id": _day(tanggal, "id"), "en": _day(tanggal, "en")}
    if stage == Tahap.PETUGAS:
        return OFFICER_EVENT, {
            "id": "Pengingat: belum ada laporan hari ini",
            "en": "Reminder: no report today",
        }, {
            "id": f"Kec. {kecamatan}: belum ada laporan atau laporan nihil untuk {hari['id']}. "
                  "Kirim laporan, atau laporan nihil bila tidak ada kejadian.",
            "en": f"{kecamatan}: no report or nil report yet for {hari['en']}. "
                  "Send a report, or a nil report if nothing happened.",
        }
    return VERIFIER_EVENT, {
        "id": "Kecamatan belum melapor hari ini",
        "en": "A kecamatan has not reported today",
    }, {
        "id": f"Kec. {kecamatan}: petugas belum mengirim laporan atau laporan nihil untuk "
              f"{hari['id']}.",
        "en": f"{kecamatan}: its officers have sent no report or nil report for {hari['en']}.",
    }


def _notify(event, recipients, title, body, data):
    Notifikasi.objects.bulk_create(
        [Notifikasi(penerima=user, peristiwa=event, judul=title, isi=body) for user in recipients]
    )
    deliveries = []
    for channel in notification_channels():
        reached = channel.recipients(recipients, event=event, push=True)
        if not reached:
            continue
        delivery = Pengiriman.objects.create(
            kanal=channel.identifier, peristiwa=event, judul=title, isi=body, data=data
        )
        delivery.penerima.set(reached)
        deliveries.append(delivery.pk)
    outbox.enqueue_on_commit(Pengiriman, deliveries)


def due(now=None):
    """(kecamatan, date, stage) of every reminder whose time has come today
    and that was not sent yet."""
    now = (now or timezone.now()).astimezone(WITA)
    today = now.date()
    stages = [stage for stage, name in STAGES if now.time() >= conf.clock(name)]
    if not stages:
        return []
    sent = set(
        PengingatKepatuhan.objects.filter(tanggal=today).values_list("kecamatan_id", "tahap")
    )
    return [
        (kecamatan, today, stage)
        for kecamatan in missing_kecamatan(today)
        for stage in stages
        if (kecamatan.pk, stage) not in sent
    ]


def send(kecamatan, tanggal, stage, now=None):
    """Send one reminder unless it went already or the kecamatan has reported
    meanwhile. The number of recipients, or None when nothing was sent."""
    with transaction.atomic():
        if not missing_kecamatan(tanggal).filter(pk=kecamatan.pk).exists():
            return None
        try:
            with transaction.atomic():
                record = PengingatKepatuhan.objects.create(
                    kecamatan=kecamatan, tanggal=tanggal, tahap=stage,
                    dikirim=now or timezone.now(),
                )
        except IntegrityError:
            return None  # another run sent it
        recipients = officers(kecamatan) if stage == Tahap.PETUGAS else verifiers(kecamatan)
        if recipients:
            event, title, body = message(stage, kecamatan, tanggal)
            _notify(event, recipients, title, body, {
                "event": event, "kecamatan_id": kecamatan.pk, "tanggal": tanggal.isoformat(),
            })
            record.penerima = len(recipients)
            record.save(update_fields=["penerima"])
        return len(recipients)


def sweep(now=None, progress=None):
    """Send every reminder that is due; how many were sent."""
    sent = 0
    for kecamatan, tanggal, stage in due(now):
        count = send(kecamatan, tanggal, stage, now=now)
        if count is None:
            continue
        sent += 1
        if progress:
            progress(kecamatan, tanggal, stage, count)
    return sent

