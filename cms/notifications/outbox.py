"""Writing the outbox: inbox entries and delivery records, in the same
transaction as the event; sending is queued for after the commit."""

from cms.platform import outbox
from cms.platform.plugins import notification_channels

from .models import Notifikasi, Pengiriman
from .rules import messages_for


def record(event, laporan, actor=None, comment="", **kwargs):
    deliveries = []
    channels = None
    for message in messages_for(event, laporan, actor=actor, comment=comment, **kwargs):
        Notifikasi.objects.bulk_create(
            [
                Notifikasi(
                    penerima=user,
                    peristiwa=event.name,
                    laporan=laporan,
                    judul=message.title,
                    isi=message.body,
                )
                for user in message.recipients
            ]
        )
        if not message.push:
            continue
        if channels is None:
            channels = notification_channels()
        for channel in channels:
            delivery = Pengiriman.objects.create(
                kanal=channel.identifier,
                peristiwa=event.name,
                laporan=laporan,
                judul=message.title,
                isi=message.body,
                data=message.data,
            )
            delivery.penerima.set(message.recipients)
            deliveries.append(delivery.pk)
    outbox.enqueue_on_commit(Pengiriman, deliveries)
    return deliveries
