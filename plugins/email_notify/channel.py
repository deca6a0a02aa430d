"""E-mail on the notification outbox, through Django's mail backend.

Only people who chose an event in *Akun saya → Notifikasi email* get it, each
their own message (recipients never see each other), in Indonesian, with a
link they can open: the verification desk for those who verify the report,
the report in the admin for other staff who may read it, the public page
when the report is public, no link otherwise."""

import logging
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from cms.platform.plugins import DeliveryFailed, NotificationChannel
from cms.reports.permissions import laporan_policy

from .models import EmailTerkirim, PreferensiEmail

logger = logging.getLogger("sikanda.plugins.email_notify")

ADMIN_PERMISSION = "wagtailadmin.access_admin"


def opted_in(users, event):
    """Those of `users` who chose `event` and have an address."""
    users = [user for user in users if user.email and user.is_active]
    chosen = dict(
        PreferensiEmail.objects.filter(pengguna__in=[user.pk for user in users])
        .values_list("pengguna_id", "peristiwa")
    )
    return [user for user in users if event in (chosen.get(user.pk) or [])]


def _absolute(path):
    return settings.WAGTAILADMIN_BASE_URL.rstrip("/") + path


def link_for(user, laporan, data=None):
    if laporan is None:
        # A notification about something else (a signed recap) carries its
        # own link, to a view that checks the reader's permission again.
        url = (data or {}).get("url")
        return _absolute(url) if isinstance(url, str) and url.startswith("/") else None
    if user.has_perm(ADMIN_PERMISSION) and laporan_policy.user_can_view(user, laporan):
        if laporan_policy.is_administrator(user) or (
            laporan.kecamatan_id in laporan_policy.verify_kecamatan_ids(user)
        ):
            return _absolute(reverse("sikanda_desk:detail", args=[laporan.pk]))
        return _absolute(reverse("wagtailsnippets_reports_laporan:inspect", args=[laporan.pk]))
    if laporan.is_public:
        return _absolute(laporan.get_absolute_url())
    return None


def _text(value):
    return (value or {}).get("id") or (value or {}).get("en") or ""


class EmailChannel(NotificationChannel):
    identifier = "email"
    verbose_name = "Email"

    def recipients(self, users, *, event, push):
        # Also for messages the rules keep in the inbox (push=False): email is
        # what each person asked for, not an interruption.
        return opted_in(users, event)

    def message(self, delivery, user, connection):
        laporan = delivery.laporan
        context = {
            "user": user,
            "judul": _text(delivery.judul),
            "isi": _text(delivery.isi),
            "laporan": laporan,
            "tautan": link_for(user, laporan, delivery.data),
            "tautan_akun": _absolute(reverse("wagtailadmin_account")),
        }
        with translation.override("id"):
            subject = " ".join(
                render_to_string("email_notify/subjek.txt", context).split()
            )
            text = render_to_string("email_notify/pesan.txt", context)
            html = render_to_string("email_notify/pesan.html", context)
        message = EmailMultiAlternatives(
            subject, text, to=[user.email], connection=connection,
            headers={"X-Sikanda-Delivery": str(delivery.idempotency_key)},
        )
        message.attach_alternative(html, "text/html")
        return message

    def send(self, delivery):
        event = (delivery.data or {}).get("event", delivery.peristiwa)
        people = list(get_user_model().objects.filter(pk__in=delivery.external_ids))
        already = set(
            EmailTerkirim.objects.filter(idempotency_key=delivery.idempotency_key)
            .values_list("penerima_id", flat=True)
        )
        laporan = delivery.laporan
        sent, failed = 0, []
        connection = get_connection()
        # Chosen again now: whoever unsubscribed or lost sight of the report
        # since the event gets nothing.
        for user in opted_in(people, event):
            if user.pk in already:
                continue
            if laporan is not None and not laporan_policy.user_can_view(user, laporan):
                continue
            try:
                self.message(delivery, user, connection).send()
            except (smtplib.SMTPException, OSError) as exc:
                failed.append(f"{user.get_username()}: {type(exc).__name__}: {exc}")
                continue
            EmailTerkirim.objects.create(idempotency_key=delivery.idempotency_key, penerima=user)
            sent += 1
        if failed:
            # Those sent are recorded; the retry sends to the others only.
            raise DeliveryFailed(
                f"Email gagal dikirim ke {len(failed)} penerima: " + "; ".join(failed)[:500],
                retry=True,
            )
        logger.info("Email: pengiriman %s, %d email", delivery.pk, sent)
        return f"{sent} email"
