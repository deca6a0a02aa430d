"""Notifications about recaps, written into the notification outbox
(inbox entries and push deliveries) inside the transaction of the recap's
state change: if the change rolls back, so do they. The report rules in
cms/notifications/rules.py are about reports; recap rules live here:

- submitted → the approvers (administrators; for the regency recap the
  configured signer), inbox only;
- sent back → the kecamatan's verifiers (or administrators), with the comment;
- kecamatan recap approved → the kecamatan's verifiers, inbox only;
- regency recap signed → the Pimpinan: inbox, push with title and period
  only, and e-mail to those who chose "recap.signed" in *Akun saya →
  Notifikasi email* (plugin email_notify), each carrying the
  permission-checked download link.

Nobody is told about a recap the recap policy hides from them, nor about
their own action."""

from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse

from cms.accounts import roles
from cms.notifications.models import Notifikasi, Pengiriman
from cms.platform.plugins import notification_channels
from cms.reports.assignments import VERIFY_REPORT, assigned_users

from .models import RekapKabupaten
from .permissions import policy_for


def _users(queryset):
    return list(queryset.filter(is_active=True).distinct().order_by("pk"))


def _administrators():
    User = get_user_model()
    return _users(User.objects.filter(groups__name=roles.ADMINISTRATOR))


def _verifiers(recap):
    return _users(
        assigned_users(recap.kecamatan, VERIFY_REPORT).filter(groups__name=roles.VERIFIKATOR)
    )


def _pimpinan():
    return _users(get_user_model().objects.filter(groups__name=roles.PIMPINAN))


def download_url(recap, fmt="pdf"):
    tier = "kabupaten" if isinstance(recap, RekapKabupaten) else "kecamatan"
    return reverse("recaps:unduh", args=[tier, recap.pk, fmt])


def _write(event_name, recap, recipients, title, body, *, actor=None, push=False,
           push_body=None):
    policy = policy_for(recap)
    recipients = [
        user for user in dict.fromkeys(recipients)
        if user != actor and policy.user_can_view(user, recap)
    ]
    if not recipients:
        return []
    Notifikasi.objects.bulk_create(
        [Notifikasi(penerima=user, peristiwa=event_name, judul=title, isi=body)
         for user in recipients]
    )
    deliveries = []
    data = {"event": event_name, "rekap": recap._meta.model_name, "rekap_id": recap.pk,
            "url": download_url(recap)}
    for channel in notification_channels():
        # Push channels take push messages; opt-in channels (e-mail) those
        # who chose the event (NotificationChannel.recipients).
        reached = channel.recipients(recipients, event=event_name, push=push)
        if not reached:
            continue
        delivery = Pengiriman.objects.create(
            kanal=channel.identifier, peristiwa=event_name, judul=title,
            isi=push_body or body, data=data,
        )
        delivery.penerima.set(reached)
        deliveries.append(delivery.pk)
    if deliveries:
        from cms.notifications.tasks import enqueue

        transaction.on_commit(lambda: enqueue(deliveries), robust=True)
    return deliveries


def _both(text):
    return {"id": text[0], "en": text[1]}


def submitted(recap, actor):
    if isinstance(recap, RekapKabupaten):
        from .models import Penandatangan

        signer = Penandatangan.current().pengguna
        recipients = [signer] if signer else []
    else:
        recipients = _administrators()
    label = str(recap)
    return _write(
        "recap.submitted", recap, recipients,
        _both(("Rekap menunggu persetujuan", "Recap awaiting approval")),
        _both((label, label)), actor=actor,
    )


def changes_requested(recap, actor, comment):
    recipients = _administrators() if isinstance(recap, RekapKabupaten) else _verifiers(recap)
    text = f"{recap}: {comment}"
    return _write(
        "recap.changes_requested", recap, recipients,
        _both(("Rekap perlu perbaikan", "Recap needs changes")), _both((text, text)),
        actor=actor,
    )


def approved(recap, actor):
    label = f"{recap} ({recap.nomor})"
    return _write(
        "recap.approved", recap, _verifiers(recap),
        _both(("Rekap kecamatan disetujui", "Kecamatan recap approved")),
        _both((label, label)), actor=actor,
    )


def signed(recap, actor):
    cadence = recap.get_periode_display()
    period = recap.period.label
    link = download_url(recap)
    return _write(
        "recap.signed", recap, _pimpinan(),
        _both((f"Rekap {str(cadence).lower()} Kabupaten Balangan",
               f"Balangan regency recap ({recap.periode})")),
        _both((f"{period} — {recap.nomor}. Unduh: {link}",
               f"{period} — {recap.nomor}. Download: {link}")),
        actor=actor, push=True,
        # A push shows on a lock screen: title and period only.
        push_body=_both((period, period)),
    )
