"""Who hears what. The one place the notification rules live.

- report submitted → the verifiers of its kecamatan; a kecamatan without a
  verifier → the Administrators at once; a DARURAT report → Administrators
  and Pimpinan at once, carrying only number, kecamatan, aspect and time;
- changes requested → the reporter, with the verifier's comment;
- verified → the reporter; and the Pimpinan: in the inbox always, by push at
  once when urgency is tinggi or darurat;
- published (publik) → guests subscribed to its kecamatan or its aspect (a
  broadcast: a worker works out who they are after the approval);
- withdrawn → the verifiers of its kecamatan, inbox only;
- retracted (taken down after verification) → the reporter (push), the
  verifiers of its kecamatan and the Pimpinan (inbox), with the reason;
- updated (a verified correction of a public report) → nobody: subscribers
  already heard of it, and CAP and webhooks carry the update;
- follow-up (cms/followup): a disposition → the members of each addressed
  agency; a follow-up step → the disposition's issuer (and, when handed over,
  the new agency's members); half a verification deadline → the kecamatan's
  verifiers (Administrators when it has none); the deadline → Administrators.

Nobody is notified about a report they may not see (the report permission
policy decides) — except by a message that carries nothing of it
(`content_free`: the DARURAT alert) — nor about their own action. Plugins add recipients by
connecting to `collect_recipients`, and channels through the plugin API."""

from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Q

from cms.accounts import roles
from cms.followup import notification_rules as followup_rules
from cms.notifications.models import Langganan
from cms.platform.plugins import DomainEvent
from cms.reports import events
from cms.reports.assignments import VERIFY_REPORT, assigned_users
from cms.reports.models import Urgensi
from cms.reports.permissions import laporan_policy

URGENT = (Urgensi.TINGGI, Urgensi.DARURAT)

collect_recipients = DomainEvent(
    "notifications.collect_recipients",
    "Receivers return (users, push: bool) to add recipients to an event's notification.",
)


@dataclass
class Message:
    recipients: list
    title: dict
    body: dict
    push: bool = True
    data: dict = field(default_factory=dict)
    # Carries nothing the policy hides (no title, facts or people): may reach
    # someone who may not see the report yet (Pimpinan, before verification).
    content_free: bool = False
    # A broadcast: a name in AUDIENCES instead of `recipients`, worked out by a
    # worker after the event (cms.notifications.fanout). Only for what the
    # public may read: the worker sends nothing once the report is not public.
    audience: str = ""


def _users(queryset):
    return list(queryset.filter(is_active=True).distinct())


def _verifiers(laporan):
    return _users(
        assigned_users(laporan.kecamatan, VERIFY_REPORT).filter(groups__name=roles.VERIFIKATOR)
    )


def _label(laporan):
    return f"{laporan.nomor or laporan.judul} — {laporan.judul}" if laporan.nomor else laporan.judul


def _administrators():
    return _users(
        get_user_model().objects.filter(Q(is_superuser=True) | Q(groups__name=roles.ADMINISTRATOR))
    )


def _pimpinan():
    return _users(get_user_model().objects.filter(groups__name=roles.PIMPINAN))


def messages_for(event, laporan, actor=None, comment="", **context):
    where = f"Kec. {laporan.kecamatan}"
    label = _label(laporan)
    found = []
    if event is events.report_submitted:
        # -- a kecamatan without a verifier routes to Administrators (cms/followup) --
        verifiers = _verifiers(laporan)
        title = {"id": "Laporan menunggu verifikasi", "en": "Report awaiting verification"}
        if not verifiers:
            verifiers = _administrators()
            title = {
                "id": "Laporan menunggu verifikasi (kecamatan tanpa verifikator)",
                "en": "Report awaiting verification (kecamatan without a verifier)",
            }
        found.append(Message(verifiers, title, {"id": f"{label} ({where})",
                                                "en": f"{label} ({where})"}))
        if laporan.urgensi == Urgensi.DARURAT:
            found.append(followup_rules.darurat_alert(
                laporan, [u for u in _administrators() + _pimpinan() if u not in verifiers]
            ))
    elif event is events.changes_requested:
        found.append(
            Message(
                [laporan.pelapor],
                {"id": "Laporan perlu perbaikan", "en": "Report needs changes"},
                {"id": f"{label}: {comment}", "en": f"{label}: {comment}"},
            )
        )
    elif event is events.report_verified:
        found.append(
            Message(
                [laporan.pelapor],
                {"id": "Laporan Anda terverifikasi", "en": "Your report was verified"},
                {"id": label, "en": label},
            )
        )
        urgent = laporan.urgensi in URGENT
        prefix = {"id": "SEGERA: " if urgent else "", "en": "URGENT: " if urgent else ""}
        found.append(
            Message(
                _users(get_user_model().objects.filter(groups__name=roles.PIMPINAN)),
                {
                    "id": f"{prefix['id']}Laporan terverifikasi ({laporan.get_urgensi_display()})",
                    "en": f"{prefix['en']}Verified report ({laporan.urgensi})",
                },
                {"id": f"{label} ({where})", "en": f"{label} ({where})"},
                push=urgent,
            )
        )
    elif event is events.report_published:
        found.append(
            Message(
                [],
                {"id": f"Laporan baru di {where}", "en": f"New report in {where}"},
                {"id": laporan.judul, "en": laporan.judul},
                audience=SUBSCRIBERS,
            )
        )
    elif event is events.report_withdrawn:
        found.append(
            Message(
                _verifiers(laporan),
                {"id": "Laporan ditarik pelapor", "en": "Report withdrawn by its reporter"},
                {"id": label, "en": label},
                push=False,
            )
        )
    elif event is events.report_retracted:
        title = {"id": "Laporan ditarik", "en": "Report retracted"}
        body = {"id": f"{label}: {comment}", "en": f"{label}: {comment}"}
        found.append(Message([laporan.pelapor], title, body))
        found.append(
            Message(
                _verifiers(laporan)
                + _users(get_user_model().objects.filter(groups__name=roles.PIMPINAN)),
                title,
                body,
                push=False,
            )
        )
    elif event.name in followup_rules.EVENT_NAMES:
        found.extend(followup_rules.messages(
            event, laporan, actor=actor, comment=comment, label=label,
            administrators=_administrators, verifiers=_verifiers, **context
        ))
    for users, push in collect_recipients.collect(event=event, laporan=laporan, actor=actor):
        found.append(
            Message(
                list(users),
                found[0].title if found else {"id": event.name},
                found[0].body if found else {"id": label},
                push=push,
            )
        )
    for message in found:
        message.data = {"event": event.name, "laporan_id": laporan.pk}
        if message.audience:
            continue
        message.recipients = [
            user
            for user in dict.fromkeys(message.recipients)
            if user != actor
            and (message.content_free or laporan_policy.user_can_view(user, laporan))
        ]
    return [message for message in found if message.recipients or message.audience]


# -- broadcasts --------------------------------------------------------------------

SUBSCRIBERS = "pelanggan"


def _subscribers(laporan, actor_id=None):
    """Active guests who follow the report's kecamatan or its aspect."""
    following = Langganan.objects.filter(
        Q(kecamatan=laporan.kecamatan_id) | Q(aspek=laporan.aspek_id)
    ).values("pengguna")
    people = get_user_model().objects.filter(
        is_active=True, groups__name=roles.PENGGUNA, pk__in=following
    )
    return people.exclude(pk=actor_id) if actor_id else people


AUDIENCES = {SUBSCRIBERS: _subscribers}


def audience(name, laporan, actor_id=None):
    """The users a broadcast reaches, as a queryset (possibly 100,000 rows:
    page through it)."""
    return AUDIENCES[name](laporan, actor_id)
