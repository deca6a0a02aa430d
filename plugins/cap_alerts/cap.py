"""OASIS CAP 1.2 messages and their Atom feed, built from verified publik reports.

Each report the public has read gives one current message:

- **Alert** — first publication. Identifier `sikanda-balangan-<nomor>`, sent at
  `first_published_at`: both are fixed once the report is public, so every
  later message can reference it.
- **Update** — a verified correction republished it (`last_published_at` later
  than `first_published_at`). Its own identifier and `sent` come from
  `last_published_at`; `<references>` names the original Alert.
- **Cancel** — Kesbangpol retracted it. Identifier and `sent` come from
  `ditarik_pada`; `<references>` names the original Alert and the last Update.
  It says only that the report was withdrawn: no title, facts, place name
  below the kecamatan, reason or person.

Reports a verifier linked into one incident (kejadian) say so: every message
of such a report names the incident in `<incidents>`
(`sikanda-balangan-kejadian-<id>`), and an Alert also carries in
`<references>` the Alerts of the incident's other public reports that were
sent before it ("the CAP alert of a later report references the earlier
one"). An Update or a Cancel references only the messages it supersedes or
cancels: in CAP 1.2 everything an Update or Cancel references is superseded
or cancelled by it, so a sibling report's alert must never be named there.

Only fields that the public report page already shows go out: nothing about
the reporter, never `sumber_informasi`, the reporter's `analisis` or the
verifier's grading. Element order follows the CAP 1.2 XML schema (it is a
sequence)."""

import datetime
import re
import xml.etree.ElementTree as ET  # noqa: S405 - used to build XML, never to parse input
from dataclasses import dataclass
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.text import Truncator

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
CAP_CONTENT_TYPE = "application/cap+xml; charset=utf-8"
ATOM_CONTENT_TYPE = "application/atom+xml; charset=utf-8"

LOCAL_TZ = ZoneInfo("Asia/Makassar")
DEFAULT_SENDER = "kesbangpol@balangankab.go.id"
DEFAULT_EXPIRES_HOURS = 72
SENDER_NAME = "Badan Kesbangpol Kabupaten Balangan"
REGENCY = "Kabupaten Balangan"
IDENTIFIER_PREFIX = "sikanda-balangan-"
INCIDENT_PREFIX = IDENTIFIER_PREFIX + "kejadian-"
# Atom entry ids: a tag URI (RFC 4151) that never changes for a given message.
TAG_AUTHORITY = "balangankab.go.id,2024"
FEED_SIZE = 50
HEADLINE_MAX = 160
# The scheme of <geocode>: the kecamatan's code in the Kemendagri register of
# administrative regions (Kecamatan.kode, e.g. 63.11.06 for Paringin).
GEOCODE_SCHEME = "KEMENDAGRI"

ALERT, UPDATE, CANCEL = "Alert", "Update", "Cancel"
RETRACTION_NOTE = "Laporan ditarik oleh Kesbangpol"

CATEGORY_BY_ASPEK = {
    "pertahanan-dan-keamanan": "Security",
    "politik": "Security",
    "ideologi": "Security",
    "sosial-budaya": "Safety",
    "ekonomi": "Other",
}
URGENCY = {"darurat": "Immediate", "tinggi": "Expected", "sedang": "Future", "rendah": "Unknown"}
SEVERITY = {"darurat": "Extreme", "tinggi": "Severe", "sedang": "Moderate", "rendah": "Minor"}
# CAP certainty from the ATHG kind, a public field. The verifier's grading
# (Admiralty credibility) is restricted: guests never see it, so no part of a
# public alert may be derived from it. Every alert is a verified report, so
# what it reports was established by Kesbangpol ("Observed"), except a threat
# (ancaman), which by definition has not happened yet ("Likely"). A kind an
# administrator adds later gets the cautious "Likely".
CERTAINTY_BY_JENIS = {
    "ancaman": "Likely",
    "tantangan": "Observed",
    "hambatan": "Observed",
    "gangguan": "Observed",
}
DEFAULT_CERTAINTY = "Likely"

# Characters XML 1.0 cannot carry at all (ElementTree would write them as is).
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# CAP identifiers must not contain spaces, commas or restricted characters (< and &).
_IDENTIFIER_UNSAFE = re.compile(r"[^A-Za-z0-9._:\-]")


def clean_text(value):
    return _INVALID_XML_CHARS.sub("", str(value or "")).strip()


def sender():
    return getattr(settings, "SIKANDA_CAP_SENDER", DEFAULT_SENDER)


def expires_after():
    """How long a message stays in force (setting SIKANDA_CAP_EXPIRES_HOURS)."""
    return datetime.timedelta(
        hours=float(getattr(settings, "SIKANDA_CAP_EXPIRES_HOURS", DEFAULT_EXPIRES_HOURS))
    )


def to_second(value):
    """CAP times carry whole seconds; identifiers and references are derived
    from the same truncated value so they always match."""
    return timezone.localtime(value, LOCAL_TZ).replace(microsecond=0)


def cap_datetime(value):
    """CAP date-time: local offset written out, no fractional seconds, never "Z"."""
    return to_second(value).isoformat()


def atom_datetime(value):
    return cap_datetime(value)


def _stamp(value):
    return to_second(value).strftime("%Y%m%dT%H%M%S")


def identifier(laporan):
    """The identifier of the report's first Alert (stable for its whole life)."""
    return IDENTIFIER_PREFIX + _IDENTIFIER_UNSAFE.sub("-", laporan.nomor or str(laporan.pk))


@dataclass(frozen=True)
class Reference:
    identifier: str
    sent: datetime.datetime

    def __str__(self):
        # CAP 1.2: "sender,identifier,sent", several separated by whitespace.
        return f"{sender()},{self.identifier},{cap_datetime(self.sent)}"


@dataclass(frozen=True)
class Message:
    """The current CAP message of one report."""

    laporan: object
    msg_type: str
    identifier: str
    sent: datetime.datetime
    references: tuple = ()
    incident: str | None = None

    @property
    def expires(self):
        return self.sent + expires_after()

    @property
    def is_cancel(self):
        return self.msg_type == CANCEL


def original(laporan):
    return Reference(identifier(laporan), to_second(laporan.first_published_at))


def was_corrected(laporan):
    """A verified correction republished it after its first publication
    (Wagtail sets both to the same instant at the first one)."""
    return bool(
        laporan.first_published_at
        and laporan.last_published_at
        and laporan.last_published_at > laporan.first_published_at
    )


def latest_update(laporan):
    sent = to_second(laporan.last_published_at)
    return Reference(f"{identifier(laporan)}-update-{_stamp(sent)}", sent)


def incident_identifier(kejadian_id):
    return f"{INCIDENT_PREFIX}{kejadian_id}" if kejadian_id is not None else None


def message(laporan, *, kejadian_id=None, siblings=()):
    """The message for a report the feed selected: live and public, or
    retracted after the public had read it. `kejadian_id` is the report's
    incident, `siblings` the incident's other reports whose public alert
    stands (only the alert document reads them; the feed lists no references)."""
    first = original(laporan)
    incident = incident_identifier(kejadian_id)
    if not laporan.live:
        sent = to_second(laporan.ditarik_pada)
        earlier = (first, latest_update(laporan)) if was_corrected(laporan) else (first,)
        return Message(
            laporan, CANCEL, f"{identifier(laporan)}-cancel-{_stamp(sent)}", sent, earlier,
            incident,
        )
    if was_corrected(laporan):
        update = latest_update(laporan)
        return Message(laporan, UPDATE, update.identifier, update.sent, (first,), incident)
    # Only messages sent before this one can be referenced by it; ties by
    # report id so two alerts of the same second never reference each other.
    earlier = sorted(
        (original(other) for other in siblings
         if (to_second(other.first_published_at), other.pk) < (first.sent, laporan.pk)),
        key=lambda ref: (ref.sent, ref.identifier),
    )
    return Message(laporan, ALERT, first.identifier, first.sent, tuple(earlier), incident)


def category(laporan):
    return CATEGORY_BY_ASPEK.get(laporan.aspek.slug, "Other")


def urgency(laporan):
    return URGENCY.get(laporan.urgensi, "Unknown")


def severity(laporan):
    return SEVERITY.get(laporan.urgensi, "Unknown")


def certainty(laporan):
    return CERTAINTY_BY_JENIS.get(laporan.jenis_athg.slug, DEFAULT_CERTAINTY)


def event(laporan):
    return f"{laporan.jenis_athg.nama}: {clean_text(laporan.judul)}"


def kecamatan_desc(laporan):
    return f"Kec. {laporan.kecamatan.nama}, {REGENCY}"


def area_desc(laporan):
    if laporan.desa_id:
        desa = laporan.desa
        return f"{desa.get_jenis_display()} {desa.nama}, {kecamatan_desc(laporan)}"
    return kecamatan_desc(laporan)


def _number(value):
    return format(Decimal(str(value)).normalize(), "f")


def circle(laporan):
    """CAP circle "lat,lon radius_km" (WGS 84), or None without coordinates."""
    if laporan.latitude is None or laporan.longitude is None:
        return None
    radius = Decimal(laporan.akurasi_m or 0) / 1000
    return f"{_number(laporan.latitude)},{_number(laporan.longitude)} {_number(radius)}"


def geocode(laporan):
    """The kecamatan's official region code, or None while it has none."""
    return (laporan.kecamatan.kode or "").strip() or None


def detail_url(request, laporan):
    return request.build_absolute_uri(reverse("reports:detail", args=[laporan.pk]))


def alert_url(request, laporan):
    return request.build_absolute_uri(reverse("cap_alerts:alert", args=[laporan.nomor]))


def retraction_text(laporan):
    return f"Laporan {laporan.nomor} ditarik oleh Kesbangpol"


def sub(parent, tag, text=None, **attrib):
    # Unprefixed names; the root carries the default namespace as `xmlns`
    # (ElementTree's default_namespace option rejects unqualified attributes).
    element = ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def _area(info, laporan, precise):
    area = sub(info, "area")
    sub(area, "areaDesc", area_desc(laporan) if precise else kecamatan_desc(laporan))
    shape = circle(laporan) if precise else None
    if shape:
        sub(area, "circle", shape)
    code = geocode(laporan)
    if code:
        geo = sub(area, "geocode")
        sub(geo, "valueName", GEOCODE_SCHEME)
        sub(geo, "value", code)


def _info(alert, msg, request):
    laporan = msg.laporan
    info = sub(alert, "info")
    sub(info, "language", "id-ID")
    sub(info, "category", category(laporan))
    if msg.is_cancel:
        # Nothing of the withdrawn content is repeated, and nothing is asserted:
        # no action is needed any more ("Past").
        sub(info, "event", laporan.jenis_athg.nama)
        sub(info, "urgency", "Past")
        sub(info, "severity", "Unknown")
        sub(info, "certainty", "Unknown")
    else:
        sub(info, "event", event(laporan))
        sub(info, "urgency", urgency(laporan))
        sub(info, "severity", severity(laporan))
        sub(info, "certainty", certainty(laporan))
    sub(info, "expires", cap_datetime(msg.expires))
    sub(info, "senderName", SENDER_NAME)
    if msg.is_cancel:
        sub(info, "headline", retraction_text(laporan))
        sub(info, "description", f"{retraction_text(laporan)} dan tidak lagi berlaku.")
    else:
        sub(info, "headline", Truncator(clean_text(laporan.judul)).chars(HEADLINE_MAX))
        sub(info, "description", clean_text(laporan.fakta))
        instruction = clean_text(laporan.rekomendasi)
        if instruction:
            sub(info, "instruction", instruction)
    sub(info, "web", detail_url(request, laporan))
    _area(info, laporan, precise=not msg.is_cancel)


def build_alert_element(msg, request):
    alert = ET.Element("alert", xmlns=CAP_NS)
    sub(alert, "identifier", msg.identifier)
    sub(alert, "sender", sender())
    sub(alert, "sent", cap_datetime(msg.sent))
    sub(alert, "status", "Actual")
    sub(alert, "msgType", msg.msg_type)
    sub(alert, "scope", "Public")
    if msg.is_cancel:
        sub(alert, "note", RETRACTION_NOTE)
    if msg.references:
        sub(alert, "references", " ".join(str(ref) for ref in msg.references))
    if msg.incident:
        sub(alert, "incidents", msg.incident)
    _info(alert, msg, request)
    return alert


def build_alert(msg, request):
    """A CAP 1.2 message as UTF-8 bytes."""
    element = build_alert_element(msg, request)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def entry_id(msg):
    return f"tag:{TAG_AUTHORITY}:sikanda/cap/{msg.identifier}"


ENTRY_PREFIX = {ALERT: "", UPDATE: "Pembaruan — ", CANCEL: "Dibatalkan — "}


def entry_title(msg):
    text = retraction_text(msg.laporan) if msg.is_cancel else event(msg.laporan)
    return Truncator(ENTRY_PREFIX[msg.msg_type] + text).chars(HEADLINE_MAX)


def summary(msg):
    laporan = msg.laporan
    if msg.is_cancel:
        return f"{kecamatan_desc(laporan)}. {retraction_text(laporan)} dan tidak lagi berlaku."
    return (
        f"Urgensi {laporan.get_urgensi_display()} — {area_desc(laporan)}. "
        f"{Truncator(clean_text(laporan.fakta)).chars(300)}"
    )


def newest_first(messages):
    """Each message at its own time: an Update at its republication, a Cancel
    at its retraction, never at the first publication."""
    return sorted(messages, key=lambda msg: (msg.sent, msg.laporan.pk), reverse=True)


def build_feed(messages, request):
    """Atom 1.0 feed listing `messages` (already newest first)."""

    messages = list(messages)
    feed = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: "id"})
    sub(feed, "id", f"tag:{TAG_AUTHORITY}:sikanda/cap")
    sub(feed, "title", "Peringatan dini SIKANDA Kabupaten Balangan (CAP 1.2)")
    sub(
        feed,
        "subtitle",
        "Laporan kewaspadaan dini terverifikasi berklasifikasi publik, "
        "dalam format OASIS CAP 1.2.",
    )
    newest = max((msg.sent for msg in messages), default=None)
    sub(feed, "updated", atom_datetime(newest or timezone.now()))
    sub(feed, "link", rel="self", type="application/atom+xml", href=request.build_absolute_uri())
    sub(
        feed,
        "link",
        rel="alternate",
        type="text/html",
        href=request.build_absolute_uri(reverse("reports:index")),
    )
    author = sub(feed, "author")
    sub(author, "name", SENDER_NAME)
    sub(author, "email", sender())

    for msg in messages:
        laporan = msg.laporan
        entry = sub(feed, "entry")
        sub(entry, "id", entry_id(msg))
        sub(entry, "title", entry_title(msg))
        sub(entry, "updated", atom_datetime(msg.sent))
        sub(entry, "published", atom_datetime(msg.sent))
        sub(
            entry,
            "link",
            rel="alternate",
            type="application/cap+xml",
            href=alert_url(request, laporan),
        )
        sub(entry, "link", rel="related", type="text/html", href=detail_url(request, laporan))
        sub(entry, "category", term=category(laporan))
        sub(entry, "summary", summary(msg))

    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
