"""Domain events of a recap's life, for the core and for plugins (webhooks
announce them). Receivers get `event`, `recap` (fresh from the database),
`actor` and `comment`, after the transaction commits; outbox writers
connected with `in_transaction=True` (the webhook deliveries) get them
inside the transaction of the change, so their rows commit or roll back
with it."""

from django.db import transaction

from cms.platform.plugins import DomainEvent

recap_submitted = DomainEvent("recap.submitted", "A recap was sent for approval.")
recap_changes_requested = DomainEvent("recap.changes_requested", "A recap was sent back.")
recap_approved = DomainEvent("recap.approved", "A kecamatan recap was approved (and frozen).")
recap_signed = DomainEvent("recap.signed", "The regency recap was approved and signed.")

ALL = (recap_submitted, recap_changes_requested, recap_approved, recap_signed)
BY_NAME = {event.name: event for event in ALL}


def emit_on_commit(event, recap, actor=None, comment=""):
    event.send_in_transaction(recap=recap, actor=actor, comment=comment)
    model, pk = type(recap), recap.pk

    def deliver():
        fresh = model.objects.filter(pk=pk).first()
        if fresh is not None:
            event.send(recap=fresh, actor=actor, comment=comment)

    transaction.on_commit(deliver, robust=True)
