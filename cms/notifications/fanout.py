"""Expanding a broadcast (`Siaran`) into inbox entries and deliveries.

This is the broadcast's one outbox "send", run by a worker after the event.
Whom it reaches is read now (who follows the kecamatan today, who is still
active), a page of `PAGE` people at a time in user-id order. Each page is one
transaction: the page's inbox entries (one INSERT … SELECT), one delivery per
channel for the page (2,000 = OneSignal's most aliases per request), and the
broadcast's cursor. The page's deliveries are queued when it commits, behind
the personal ones, so the first pushes leave while later pages are written.

Exactly once: each page takes the broadcast's row lock and reads the cursor
in the same transaction that advances it, so a second run (a worker that died
mid-expansion and whose lease ran out, or two claimants at once) continues
where the last committed page ended and never writes a page twice; the unique
(siaran, kanal, potongan) constraint backs that up.
"""

import logging

from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.models import F
from django.utils import timezone

from cms.platform import outbox
from cms.platform.plugins import NotificationChannel, notification_channels
from cms.reports.models import Laporan
from cms.reports.permissions import laporan_policy

from .models import Notifikasi, Pengiriman, Siaran
from .rules import audience

logger = logging.getLogger("sikanda.notifications")

PAGE = 2000


def expand(siaran):
    """Write the inbox entries and deliveries of `siaran` page by page, each
    page once; return how many people it reached."""
    first = True
    while True:
        with transaction.atomic():
            current = Siaran.objects.select_for_update().get(pk=siaran.pk)
            if first and current.halaman:
                # An earlier run wrote pages and died (or finished without
                # its outcome recorded): their batches' tasks may be gone too.
                waiting = Pengiriman.objects.filter(
                    siaran=siaran, status=Pengiriman.Status.PENDING
                ).values_list("pk", flat=True)
                outbox.enqueue_on_commit(Pengiriman, list(waiting), background=True)
            first = False
            if current.diuraikan is not None or not _page(current):
                return current.jumlah_penerima


def _page(siaran):
    """Write the next page of `siaran` (row locked by the caller). Returns
    False once there is none left."""
    laporan = Laporan.objects.get(pk=siaran.laporan_id)
    # Broadcasts carry what the public may read. A report taken down between
    # its approval and now (or mid-expansion) reaches nobody more.
    if not laporan_policy.user_can_view(AnonymousUser(), laporan):
        logger.info("Broadcast %s: report %s is not public; nobody more is told",
                    siaran.pk, laporan.pk)
        return _finish(siaran)
    channels = notification_channels()
    # A page fits every channel's limit: one delivery per page and channel.
    size = min([PAGE] + [c.max_recipients for c in channels if c.max_recipients])
    people = audience(siaran.khalayak, laporan, siaran.aktor_id).filter(pk__gt=siaran.terakhir)
    ids = list(people.order_by("pk").values_list("pk", flat=True)[:size])
    if not ids:
        return _finish(siaran)
    page = people.filter(pk__lte=ids[-1])
    _inbox(siaran, page)
    number = siaran.halaman + 1
    batches = []
    for channel in channels:
        chosen = ids if _takes_everyone(channel) else [
            user.pk for user in channel.recipients(
                list(page.order_by("pk")), event=siaran.peristiwa, push=True)
        ]
        if chosen:
            batches.append(_batch(siaran, channel, chosen, number))
    Siaran.objects.filter(pk=siaran.pk).update(
        terakhir=ids[-1], halaman=number, jumlah_penerima=F("jumlah_penerima") + len(ids)
    )
    siaran.jumlah_penerima += len(ids)
    outbox.enqueue_on_commit(Pengiriman, batches, background=True)
    return True


def _finish(siaran):
    Siaran.objects.filter(pk=siaran.pk).update(diuraikan=timezone.now())
    return False


def _inbox(siaran, people):
    """The page's inbox entries in one INSERT … SELECT: 100,000 model
    instances with their JSON encoded one by one took ~15 s of the expansion."""
    constants = {
        "peristiwa": siaran.peristiwa,
        "laporan": siaran.laporan_id,
        "judul": siaran.judul,
        "isi": siaran.isi,
        "dibuat": timezone.now(),
    }
    meta = Notifikasi._meta
    quote = connection.ops.quote_name
    columns = [meta.get_field("penerima").column] + [
        meta.get_field(name).column for name in constants
    ]
    values = [meta.get_field(name).get_db_prep_save(value, connection)
              for name, value in constants.items()]
    select, params = (
        people.order_by().annotate(person=F("pk")).values("person").query.sql_with_params()
    )
    # Identifiers come from the models' metadata (quoted), values are parameters.
    sql = (
        f"INSERT INTO {quote(meta.db_table)} ({', '.join(map(quote, columns))}) "  # noqa: S608
        f"SELECT audience.{quote('person')}, "
        f"{', '.join(['%s'] * len(values))} FROM ({select}) audience"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*values, *params])


def _takes_everyone(channel):
    """A push channel with the default choice takes every recipient of a push."""
    return type(channel).recipients is NotificationChannel.recipients


def _batch(siaran, channel, user_ids, number):
    delivery = Pengiriman.objects.create(
        kanal=channel.identifier,
        peristiwa=siaran.peristiwa,
        laporan_id=siaran.laporan_id,
        judul=siaran.judul,
        isi=siaran.isi,
        data=siaran.data,
        siaran=siaran,
        potongan=number,
    )
    through = Pengiriman.penerima.through
    user_column = Pengiriman.penerima.field.m2m_reverse_field_name() + "_id"
    through.objects.bulk_create(
        through(pengiriman_id=delivery.pk, **{user_column: pk}) for pk in user_ids
    )
    return delivery.pk
