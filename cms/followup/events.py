"""Events of the follow-up. The four that concern other systems are declared
with the report events (cms.reports.events), so the notification outbox and
webhooks receive them like any other; the verification reminders only ever
reach people, through the notification outbox."""

from cms.platform.plugins import DomainEvent
from cms.reports.events import (
    disposition_created,
    disposition_withdrawn,
    followup_updated,
    incident_linked,
)

verification_reminder = DomainEvent(
    "verification.reminder", "Half of a report's verification deadline has passed."
)
verification_overdue = DomainEvent(
    "verification.overdue", "A report's verification deadline has passed (escalation)."
)
followup_overdue = DomainEvent(
    "followup.overdue", "A follow-up is still open after its disposition's due date."
)
followup_escalated = DomainEvent(
    "followup.escalated", "A follow-up is still open a day after its due date (to the issuer)."
)

FOLLOWUP_EVENTS = (
    disposition_created, disposition_withdrawn, followup_updated, followup_overdue,
)
FOLLOWUP_EVENT_NAMES = tuple(event.name for event in FOLLOWUP_EVENTS)

__all__ = [
    "FOLLOWUP_EVENTS", "FOLLOWUP_EVENT_NAMES", "disposition_created", "disposition_withdrawn",
    "followup_escalated", "followup_overdue", "followup_updated", "incident_linked",
    "verification_overdue", "verification_reminder",
]
