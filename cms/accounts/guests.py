"""Guests are told by default: the concept paper says guests get a
notification when a report is verified, so a new guest starts subscribed to
every kecamatan and narrows it in the app (setSubscriptions)."""


def subscribe_to_every_kecamatan(user):
    from cms.notifications.models import Langganan
    from cms.reports.models import Kecamatan

    Langganan.objects.bulk_create(
        [Langganan(pengguna=user, kecamatan=kecamatan) for kecamatan in Kecamatan.objects.all()],
        ignore_conflicts=True,
    )
