"""Domain events of a report's life, for the core and for plugins.

Receivers are called after the transaction commits with keyword arguments
`event`, `laporan` (fresh from the database), `actor` (the user who acted, or
None) and `comment` (the verifier's comment, or "")."""

from cms.platform.plugins import DomainEvent

report_submitted = DomainEvent("report.submitted", "Sent to verification (first time or again).")
changes_requested = DomainEvent("report.changes_requested", "A verifier sent it back.")
report_verified = DomainEvent("report.verified", "A verifier approved it.")
report_published = DomainEvent("report.published", "A verified publik report became public.")
report_withdrawn = DomainEvent("report.withdrawn", "The officer took it back out of verification.")
report_updated = DomainEvent(
    "report.updated", "A correction of a report that was already public was verified."
)
report_retracted = DomainEvent(
    "report.retracted", "A verified report was taken down (comment: the reason)."
)

# From report to action (cms/followup): declared here so every receiver of
# report events (the notification outbox, webhooks) offers them too. Their
# receivers also get `detail`, a JSON-ready dict saying which disposition,
# agency, step or incident.
disposition_created = DomainEvent(
    "disposition.created", "A verified report was forwarded to agencies (disposisi)."
)
disposition_withdrawn = DomainEvent(
    "disposition.withdrawn", "A disposition was withdrawn; the agencies no longer see the report."
)
followup_updated = DomainEvent(
    "followup.updated", "An agency recorded a follow-up step (diterima, ditangani, selesai, "
    "dialihkan)."
)
incident_linked = DomainEvent(
    "incident.linked", "The report was linked to an incident (kejadian) with other reports."
)

ALL = (
    report_submitted, changes_requested, report_verified, report_published, report_withdrawn,
    report_updated, report_retracted,
    disposition_created, disposition_withdrawn, followup_updated, incident_linked,
)
BY_NAME = {event.name: event for event in ALL}


def emit(event, laporan_pk, actor=None, comment="", **context):
    """Run the core's in-transaction receivers now (they write the
    notification outbox with the change), and announce `event` to everyone
    else once the current transaction commits. `context` (e.g. `detail`) is
    passed on to the receivers as it is."""
    if event._transactional:
        from .models import Laporan

        laporan = Laporan.objects.select_related("kecamatan", "aspek", "jenis_athg").get(
            pk=laporan_pk
        )
        event.send_in_transaction(laporan=laporan, actor=actor, comment=comment, **context)

    def deliver():
        from .models import Laporan

        laporan = (
            Laporan.objects.select_related("kecamatan", "aspek", "jenis_athg")
            .filter(pk=laporan_pk)
            .first()
        )
        if laporan is not None:
            event.send(laporan=laporan, actor=actor, comment=comment, **context)

    from django.db import transaction

    transaction.on_commit(deliver, robust=True)
