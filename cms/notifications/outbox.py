"""Writing the outbox: inbox entries and delivery records, in the same
transaction as the event; sending is queued for after the commit."""

from cms.platform import outbox
from cms.platform.plugins import notification_channels

from .models import Notifikasi, Pengiriman, Siaran
from .rules import audience, messages_for


def record(event, laporan, actor=None, comment="", **kwargs):
    deliveries = []
    broadcasts = []
    channels = None
    for message in messages_for(event, laporan, actor=actor, comment=comment, **kwargs):
        if message.audience:
            if not audience(message.audience, laporan, getattr(actor, "pk", None)).exists():
                continue
            broadcasts.append(
                Siaran.objects.create(
                    peristiwa=event.name,
                    laporan=laporan,
                    khalayak=message.audience,
                    aktor=actor if getattr(actor, "pk", None) else None,
                    judul=message.title,
                    isi=message.body,
                    data=message.data,
                ).pk
            )
            continue
        Notifikasi.objects.bulk_create(
            [
                Notifikasi(
                    penerima=user,
                    peristiwa=event.name,
                    # A content-free alert (DARURAT) reaches people who may
                    # not open the report yet: it carries no link to it, so the
                    # inbox's policy filter has nothing to hide.
                    laporan=None if message.content_free else laporan,
                    judul=message.title,
                    isi=message.body,
                )
                for user in message.recipients
            ]
        )
        if channels is None:
            channels = notification_channels()
        for channel in channels:
            # Push channels take push messages; opt-in channels (e-mail) whom
            # they reach (NotificationChannel.recipients).
            recipients = channel.recipients(message.recipients, event=event.name,
                                            push=message.push)
            size = channel.max_recipients or len(recipients) or 1
            for start in range(0, len(recipients), size):
                batch = recipients[start:start + size]
                delivery = Pengiriman.objects.create(
                    kanal=channel.identifier,
                    peristiwa=event.name,
                    laporan=laporan,
                    judul=message.title,
                    isi=message.body,
                    data=message.data,
                )
                delivery.penerima.set(batch)
                deliveries.append(delivery.pk)
    outbox.enqueue_on_commit(Pengiriman, deliveries)
    outbox.enqueue_on_commit(Siaran, broadcasts, background=True)
    return deliveries
