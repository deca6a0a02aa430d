from cms.platform.management.commands import sweep_outbox


class Command(sweep_outbox.Command):
    """The older name of `sweep_outbox`, kept for existing cron entries; it
    sweeps every kind of delivery, webhooks included."""
