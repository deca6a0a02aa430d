"""The follow-up's part of the notification rules (cms/notifications/rules.py
calls these; the recipients are filtered there by the report policy like all
others, and the actor never hears of their own action)."""

from django.contrib.auth import get_user_model
from django.utils import timezone

from cms.accounts import roles

from . import events
from .models import Disposisi, StatusTindakLanjut, TindakLanjut

EVENT_NAMES = {
    event.name for event in (
        events.disposition_created, events.disposition_withdrawn, events.followup_updated,
        events.incident_linked, events.verification_reminder, events.verification_overdue,
        events.followup_overdue, events.followup_escalated,
    )
}
EXCERPT = 140


def _message(*args, **kwargs):
    from cms.notifications.rules import Message

    return Message(*args, **kwargs)


def _excerpt(text):
    text = " ".join((text or "").split())
    return text if len(text) <= EXCERPT else text[: EXCERPT - 1].rstrip() + "…"


def _members(instansi_ids):
    return list(
        get_user_model().objects.filter(
            is_active=True, groups__name=roles.INSTANSI,
            instansi__pk__in=instansi_ids, instansi__aktif=True,
        ).distinct()
    )


def _wita(moment):
    return timezone.localtime(moment).strftime("%d-%m-%Y %H:%M") + " WITA"


def darurat_alert(laporan, recipients):
    """The leadership learns within a minute that a DARURAT report is being
    verified: its number, kecamatan, aspect and time — nothing of its
    unverified content."""
    body = (
        f"{laporan.nomor} · Kec. {laporan.kecamatan} · {laporan.aspek} · "
        f"{_wita(laporan.waktu_kejadian)}"
    )
    return _message(
        recipients,
        {"id": "DARURAT: laporan sedang diverifikasi", "en": "EMERGENCY: report being verified"},
        {"id": body, "en": body},
        push=True,
        content_free=True,
    )


def messages(event, laporan, *, actor, comment, label, administrators, verifiers,
             detail=None, **context):
    detail = detail or {}
    found = []
    if event is events.disposition_created:
        ids = [item["id"] for item in detail.get("instansi", ())]
        prioritas = detail.get("prioritas", "")
        body = f"{laporan.nomor}: {_excerpt(comment)}"
        found.append(_message(
            _members(ids),
            {"id": f"Disposisi baru ({prioritas.replace('_', ' ')})",
             "en": f"New disposition ({prioritas.replace('_', ' ')})"},
            {"id": body, "en": body},
        ))
    elif event is events.followup_updated:
        disposisi = Disposisi.objects.select_related("dibuat_oleh").filter(
            pk=detail.get("disposisi_id")
        ).first()
        status = detail.get("status", "")
        label_status = str(StatusTindakLanjut(status).label) if status else ""
        agency = (detail.get("instansi") or {}).get("nama", "")
        body = f"{laporan.nomor} · {agency} — {label_status}: {_excerpt(comment)}"
        if disposisi is not None:
            found.append(_message(
                [disposisi.dibuat_oleh],
                {"id": "Tindak lanjut diperbarui", "en": "Follow-up updated"},
                {"id": body, "en": body},
            ))
        if handed := detail.get("dialihkan_ke"):
            found.append(_message(
                _members([handed["id"]]),
                {"id": "Disposisi dialihkan kepada instansi Anda",
                 "en": "A disposition was handed over to your agency"},
                {"id": body, "en": body},
            ))
    elif event is events.verification_reminder:
        people = verifiers(laporan) or administrators()
        found.append(_message(
            people,
            {"id": "Pengingat: laporan belum diverifikasi",
             "en": "Reminder: report not verified yet"},
            {"id": f"{label} (Kec. {laporan.kecamatan})", "en": f"{label} ({laporan.kecamatan})"},
        ))
    elif event is events.verification_overdue:
        found.append(_message(
            administrators(),
            {"id": "Eskalasi: batas waktu verifikasi terlewati",
             "en": "Escalation: verification deadline passed"},
            {"id": f"{label} (Kec. {laporan.kecamatan}, urgensi {laporan.get_urgensi_display()})",
             "en": f"{label} ({laporan.kecamatan}, urgency {laporan.urgensi})"},
        ))
    elif event in (events.followup_overdue, events.followup_escalated):
        tindak_lanjut = TindakLanjut.objects.select_related(
            "instansi", "disposisi__dibuat_oleh"
        ).filter(pk=detail.get("tindak_lanjut_id")).first()
        if tindak_lanjut is not None:
            due = _wita(tindak_lanjut.disposisi.batas_waktu)
            body = f"{laporan.nomor} · {tindak_lanjut.instansi} — batas {due}"
            if event is events.followup_overdue:
                found.append(_message(
                    _members([tindak_lanjut.instansi_id]),
                    {"id": "Tindak lanjut melewati batas waktu",
                     "en": "Follow-up past its due date"},
                    {"id": body, "en": body},
                ))
            else:
                found.append(_message(
                    [tindak_lanjut.disposisi.dibuat_oleh],
                    {"id": "Eskalasi: tindak lanjut belum selesai",
                     "en": "Escalation: follow-up not done"},
                    {"id": body, "en": body},
                ))
    # disposition.withdrawn and incident.linked reach systems (webhooks), not
    # people: the agencies have just lost the report.
    return found
