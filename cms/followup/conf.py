"""Follow-up settings, with the defaults Kesbangpol Balangan works to. Each can
be overridden in the Django settings of a deployment."""

from datetime import timedelta

from django.conf import settings

# Minutes a submitted report may wait for its verifier, by urgency. The
# kecamatan's verifiers are reminded at half of it; Administrators
# (Kesbangpol) are alerted when it has passed.
DEFAULT_VERIFICATION_DEADLINES = {
    "darurat": 30, "tinggi": 120, "sedang": 24 * 60, "rendah": 72 * 60,
}

# Reports proposed to a verifier as describing the same event: same ATHG type,
# within this distance (km) and this many hours of each other.
DEFAULT_INCIDENT_SUGGESTIONS = {"KM": 5, "HOURS": 48, "LIMIT": 10}


def verification_deadline(urgensi):
    minutes = {
        **DEFAULT_VERIFICATION_DEADLINES,
        **getattr(settings, "SIKANDA_VERIFICATION_DEADLINES", {}),
    }.get(urgensi)
    return timedelta(minutes=minutes) if minutes else None


def incident_suggestions():
    return {**DEFAULT_INCIDENT_SUGGESTIONS, **getattr(settings, "SIKANDA_INCIDENT_SUGGESTIONS", {})}


# Hours after a disposition's due date at which an open follow-up is escalated
# to the issuer (the agency itself is reminded when the due date passes).
DEFAULT_FOLLOWUP_ESCALATION_HOURS = 24


def followup_escalation():
    return timedelta(hours=getattr(
        settings, "SIKANDA_FOLLOWUP_ESCALATION_HOURS", DEFAULT_FOLLOWUP_ESCALATION_HOURS
    ))
