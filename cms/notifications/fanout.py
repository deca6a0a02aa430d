"""Expanding a broadcast (`Siaran`) into inbox entries and deliveries.

This is the broadcast's one outbox "send", run by a worker after the event:
whom it reaches is read now (who follows the kecamatan today, who is still
active), page by page, so 100,000 followers never sit in memory at once. The
inbox entries and every batch a channel can take (`max_recipients`: 2,000 for
OneSignal) are written in one transaction, then each batch is queued as its
own delivery, behind the personal ones, with its own idempotency key.

Exactly once: the expansion holds the broadcast's row lock and marks it
expanded (`jumlah_penerima`) in the same transaction, so a second run (a
worker that died after the commit, before the engine recorded the outcome)
finds it done and only queues the batches still waiting; the unique
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
    """Write the inbox entries and batched deliveries of `siaran`, once;
    return how many people it reaches."""
    with transaction.atomic():
        current = Siaran.objects.select_for_update().get(pk=siaran.pk)
        if current.jumlah_penerima is not None:
            waiting = list(
                Pengiriman.objects.filter(siaran=siaran, status=Pengiriman.Status.PENDING)
                .values_list("pk", flat=True)
            )
            outbox.enqueue_on_commit(Pengiriman, waiting, background=True)
            return current.jumlah_penerima
        laporan = Laporan.objects.get(pk=siaran.laporan_id)
        reached = 0
        batches = []
        # Broadcasts carry what the public may read. A report taken down
        # between its approval and now reaches nobody.
        if laporan_policy.user_can_view(AnonymousUser(), laporan):
            reached, batches = _write(siaran, laporan)
        else:
            logger.info("Broadcast %s: report %s is no longer public; nobody is told",
                        siaran.pk, laporan.pk)
        Siaran.objects.filter(pk=siaran.pk).update(jumlah_penerima=reached)
        outbox.enqueue_on_commit(Pengiriman, batches, background=True)
    return reached


def _write(siaran, laporan):
    people = audience(siaran.khalayak, laporan, siaran.aktor_id)
    reached = _inbox(siaran, people)
    ids = None
    batches = []
    numbers = {}
    for channel in notification_channels():
        if _takes_everyone(channel):
            if ids is None:
                ids = list(people.order_by("pk").values_list("pk", flat=True))
            chosen = ids
        else:
            chosen = _chosen_by(channel, siaran, people)
        size = channel.max_recipients or len(chosen) or 1
        for start in range(0, len(chosen), size):
            batches.append(_batch(siaran, channel, chosen[start:start + size], numbers))
    return reached, batches


def _inbox(siaran, people):
    """Every follower's inbox entry in one INSERT … SELECT: 100,000 model
    instances and their JSON encoded one by one took ~15 s of the expansion."""
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
        return cursor.rowcount


def _takes_everyone(channel):
    """A push channel with the default choice takes every recipient of a push."""
    return type(channel).recipients is NotificationChannel.recipients


def _chosen_by(channel, siaran, people):
    """A channel that picks its own (e-mail: who opted in) sees the audience
    page by page, so 100,000 users never sit in memory at once."""
    chosen = []
    last = 0
    people = people.order_by("pk")
    while page := list(people.filter(pk__gt=last)[:PAGE]):
        last = page[-1].pk
        chosen.extend(user.pk for user in channel.recipients(
            page, event=siaran.peristiwa, push=True))
    return chosen


def _batch(siaran, channel, user_ids, numbers):
    numbers[channel.identifier] = numbers.get(channel.identifier, 0) + 1
    delivery = Pengiriman.objects.create(
        kanal=channel.identifier,
        peristiwa=siaran.peristiwa,
        laporan_id=siaran.laporan_id,
        judul=siaran.judul,
        isi=siaran.isi,
        data=siaran.data,
        siaran=siaran,
        potongan=numbers[channel.identifier],
    )
    through = Pengiriman.penerima.through
    user_column = Pengiriman.penerima.field.m2m_reverse_field_name() + "_id"
    through.objects.bulk_create(
        through(pengiriman_id=delivery.pk, **{user_column: pk}) for pk in user_ids
    )
    return delivery.pk
