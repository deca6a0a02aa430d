"""OASIS CAP 1.2 alerts and their Atom feed, built from verified publik reports.

Only fields that the public report page already shows go out: nothing about
the reporter and never `sumber_informasi` or the reporter's `analisis`.
Element order follows the CAP 1.2 XML schema (it is a sequence)."""

import re
import xml.etree.ElementTree as ET  # noqa: S405 - used to build XML, never to parse input
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
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
SENDER_NAME = "Badan Kesbangpol Kabupaten Balangan"
REGENCY = "Kabupaten Balangan"
IDENTIFIER_PREFIX = "sikanda-balangan-"
# Atom entry ids: a tag URI (RFC 4151) that never changes for a given report.
TAG_AUTHORITY = "balangankab.go.id,2024"
FEED_SIZE = 50
HEADLINE_MAX = 160

CATEGORY_BY_ASPEK = {
    "pertahanan-dan-keamanan": "Security",
    "politik": "Security",
    "ideologi": "Security",
    "sosial-budaya": "Safety",
    "ekonomi": "Other",
}
URGENCY = {"darurat": "Immediate", "tinggi": "Expected", "sedang": "Future", "rendah": "Unknown"}
SEVERITY = {"darurat": "Extreme", "tinggi": "Severe", "sedang": "Moderate", "rendah": "Minor"}
CERTAINTY = {
    "1": "Observed",
    "2": "Likely",
    "3": "Possible",
    "4": "Unlikely",
    "5": "Unlikely",
    "6": "Unknown",
}

# Characters XML 1.0 cannot carry at all (ElementTree would write them as is).
_INVALID_XML_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
# CAP identifiers must not contain spaces, commas or restricted characters (< and &).
_IDENTIFIER_UNSAFE = re.compile(r"[^A-Za-z0-9._:\-]")


def clean_text(value):
    return _INVALID_XML_CHARS.sub("", str(value or "")).strip()


def sender():
    return getattr(settings, "SIKANDA_CAP_SENDER", DEFAULT_SENDER)


def identifier(laporan):
    return IDENTIFIER_PREFIX + _IDENTIFIER_UNSAFE.sub("-", laporan.nomor or str(laporan.pk))


def cap_datetime(value):
    """CAP date-time: local offset written out, no fractional seconds, never "Z"."""
    return timezone.localtime(value, LOCAL_TZ).replace(microsecond=0).isoformat()


def atom_datetime(value):
    return cap_datetime(value)


def sent_at(laporan):
    return laporan.first_published_at or laporan.last_published_at or timezone.now()


def updated_at(laporan):
    return laporan.last_published_at or sent_at(laporan)


def category(laporan):
    return CATEGORY_BY_ASPEK.get(laporan.aspek.slug, "Other")


def urgency(laporan):
    return URGENCY.get(laporan.urgensi, "Unknown")


def severity(laporan):
    return SEVERITY.get(laporan.urgensi, "Unknown")


def certainty(laporan):
    try:
        penilaian = laporan.penilaian
    except ObjectDoesNotExist:
        return "Unknown"
    if penilaian is None:
        return "Unknown"
    return CERTAINTY.get(penilaian.kredibilitas_informasi, "Unknown")


def event(laporan):
    return f"{laporan.jenis_athg.nama}: {clean_text(laporan.judul)}"


def area_desc(laporan):
    parts = []
    if laporan.desa_id:
        desa = laporan.desa
        parts.append(f"{desa.get_jenis_display()} {desa.nama}")
    parts.append(f"Kec. {laporan.kecamatan.nama}")
    parts.append(REGENCY)
    return ", ".join(parts)


def _number(value):
    return format(Decimal(str(value)).normalize(), "f")


def circle(laporan):
    """CAP circle "lat,lon radius_km" (WGS 84), or None without coordinates."""
    if laporan.latitude is None or laporan.longitude is None:
        return None
    radius = Decimal(laporan.akurasi_m or 0) / 1000
    return f"{_number(laporan.latitude)},{_number(laporan.longitude)} {_number(radius)}"


def detail_url(request, laporan):
    return request.build_absolute_uri(reverse("reports:detail", args=[laporan.pk]))


def alert_url(request, laporan):
    return request.build_absolute_uri(reverse("cap_alerts:alert", args=[laporan.nomor]))


def sub(parent, tag, text=None, **attrib):
    # Unprefixed names; the root carries the default namespace as `xmlns`
    # (ElementTree's default_namespace option rejects unqualified attributes).
    element = ET.SubElement(parent, tag, attrib)
    if text is not None:
        element.text = text
    return element


def build_alert_element(laporan, request):
    alert = ET.Element("alert", xmlns=CAP_NS)
    sub(alert, "identifier", identifier(laporan))
    sub(alert, "sender", sender())
    sub(alert, "sent", cap_datetime(sent_at(laporan)))
    sub(alert, "status", "Actual")
    sub(alert, "msgType", "Alert")
    sub(alert, "scope", "Public")

    info = sub(alert, "info")
    sub(info, "language", "id-ID")
    sub(info, "category", category(laporan))
    sub(info, "event", event(laporan))
    sub(info, "urgency", urgency(laporan))
    sub(info, "severity", severity(laporan))
    sub(info, "certainty", certainty(laporan))
    sub(info, "senderName", SENDER_NAME)
    sub(info, "headline", Truncator(clean_text(laporan.judul)).chars(HEADLINE_MAX))
    sub(info, "description", clean_text(laporan.fakta))
    instruction = clean_text(laporan.rekomendasi)
    if instruction:
        sub(info, "instruction", instruction)
    sub(info, "web", detail_url(request, laporan))

    area = sub(info, "area")
    sub(area, "areaDesc", area_desc(laporan))
    shape = circle(laporan)
    if shape:
        sub(area, "circle", shape)
    return alert


def build_alert(laporan, request):
    """The CAP 1.2 alert of a verified publik report, as UTF-8 bytes."""
    element = build_alert_element(laporan, request)
    return ET.tostring(element, encoding="utf-8", xml_declaration=True)


def entry_id(laporan):
    return f"tag:{TAG_AUTHORITY}:sikanda/cap/{identifier(laporan)}"


def summary(laporan):
    return (
        f"Urgensi {laporan.get_urgensi_display()} — {area_desc(laporan)}. "
        f"{Truncator(clean_text(laporan.fakta)).chars(300)}"
    )


def build_feed(reports, request):
    """Atom 1.0 feed listing the CAP alerts of `reports` (newest first)."""

    reports = list(reports)
    feed = ET.Element("feed", {"xmlns": ATOM_NS, XML_LANG: "id"})
    sub(feed, "id", f"tag:{TAG_AUTHORITY}:sikanda/cap")
    sub(feed, "title", "Peringatan dini SIKANDA Kabupaten Balangan (CAP 1.2)")
    sub(
        feed,
        "subtitle",
        "Laporan kewaspadaan dini terverifikasi berklasifikasi publik, "
        "dalam format OASIS CAP 1.2.",
    )
    newest = max((updated_at(laporan) for laporan in reports), default=None)
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

    for laporan in reports:
        entry = sub(feed, "entry")
        sub(entry, "id", entry_id(laporan))
        sub(entry, "title", Truncator(event(laporan)).chars(HEADLINE_MAX))
        sub(entry, "updated", atom_datetime(updated_at(laporan)))
        sub(entry, "published", atom_datetime(sent_at(laporan)))
        sub(
            entry,
            "link",
            rel="alternate",
            type="application/cap+xml",
            href=alert_url(request, laporan),
        )
        sub(entry, "link", rel="related", type="text/html", href=detail_url(request, laporan))
        sub(entry, "category", term=category(laporan))
        sub(entry, "summary", summary(laporan))

    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
