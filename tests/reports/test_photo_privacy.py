"""Public originals are clean: a guest never gets a photo's EXIF (GPS,
camera, owner), XMP, ICC profile or comment, nor the uploader's file name;
the reporter, the kecamatan's verifiers, Pimpinan and administrators still get
the original. Oversized images are refused at upload, from the header alone."""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from PIL import ExifTags, Image, ImageCms

from cms.accounts import roles
from cms.reports import services
from cms.reports.models import Lampiran, Laporan
from tests import factories
from tests.api.client import GraphQLClient
from tests.factories import PASSWORD

from .reports_factories import photo, report_fields, verified_report

pytestmark = pytest.mark.django_db

OWNER = b"Pak Budi Informan"


@pytest.fixture(autouse=True)
def _remove_private_files(db):
    yield
    for item in Lampiran.objects.all():
        storage = item.berkas.storage
        for suffix in ("", ".thumb.jpg", ".web.jpg", ".publik.jpg"):
            storage.delete(item.berkas.name + suffix)


def camera_photo(name="Informan Pak Budi.jpg"):
    """A phone photo as it arrives: 40×20 pixels stored sideways (orientation
    6), with GPS position, camera, owner, XMP, an ICC profile and a comment."""
    image = Image.new("RGB", (40, 20), "#884400")
    image.paste((20, 90, 200), (0, 0, 20, 20))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "Balangan Phone"
    exif[ExifTags.Base.Model] = "BP-2026"
    exif[ExifTags.Base.Artist] = OWNER.decode()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.IFD.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "S", ExifTags.GPS.GPSLatitude: (2.0, 20.0, 5.64),
        ExifTags.GPS.GPSLongitudeRef: "E", ExifTags.GPS.GPSLongitude: (115.0, 28.0, 8.4),
    }
    buffer = io.BytesIO()
    image.save(
        buffer, "JPEG", exif=exif, comment=b"Dari " + OWNER,
        icc_profile=ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes(),
        xmp=b'<x:xmpmeta xmlns:x="adobe:ns:meta/">' + OWNER + b"</x:xmpmeta>",
    )
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def jpeg_markers(data):
    """The segment markers of a JPEG up to the image data."""
    assert data[:2] == b"\xff\xd8"
    markers, at = [], 2
    while True:
        marker = data[at + 1]
        markers.append(marker)
        if marker == 0xDA:  # start of scan: headers end here
            return markers
        at += 2 + int.from_bytes(data[at + 2:at + 4], "big")


def body(response):
    return b"".join(response.streaming_content)


def get(client, item, user=None, **params):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(reverse("reports:lampiran", args=[item.pk]), params)


@pytest.fixture
def public_photo(petugas, verifikator):
    upload = camera_photo()
    original = upload.read()
    upload.seek(0)
    laporan = verified_report(petugas, verifikator, uploads=[photo("lain.jpg"), upload])
    item = laporan.lampiran.order_by("sort_order", "pk").last()
    return laporan, item, original


def assert_clean(data):
    assert not {0xE1, 0xE2, 0xED, 0xFE} & set(jpeg_markers(data)), "EXIF/XMP/ICC/IPTC/comment"
    assert OWNER not in data and b"Balangan Phone" not in data
    image = Image.open(io.BytesIO(data))
    assert not image.getexif() and "icc_profile" not in image.info
    # Orientation applied: stored sideways 40×20, shown upright 20×40.
    assert image.size == (20, 40)


def test_guest_gets_a_clean_copy_named_by_the_report_number(client, public_photo):
    laporan, item, original = public_photo
    response = get(client, item)
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    data = body(response)
    assert data != original
    assert_clean(data)
    disposition = response["Content-Disposition"]
    assert disposition == f'inline; filename="{laporan.nomor}-2.jpg"'
    assert "Budi" not in disposition and "Informan" not in disposition
    assert response["Cache-Control"] == "public, max-age=3600"
    assert {"Authorization", "Cookie"} <= {v.strip() for v in response["Vary"].split(",")}


@pytest.mark.parametrize("who", ["pengguna", "other_verifier", "other_officer"])
def test_signed_in_users_without_restricted_access_get_the_clean_copy(
    client, public_photo, pengguna, who
):
    users = {
        "pengguna": pengguna,
        "other_verifier": factories.make_user(
            roles.VERIFIKATOR, kecamatan=[factories.kecamatan("halong")]
        ),
        "other_officer": factories.make_user(
            roles.PETUGAS, kecamatan=[factories.kecamatan("juai")]
        ),
    }
    _laporan, item, _original = public_photo
    assert_clean(body(get(client, item, users[who])))


def test_a_guests_app_gets_the_clean_copy_through_the_api_url(client, public_photo, pengguna):
    _laporan, item, _original = public_photo
    app = GraphQLClient(Client())
    app.login("warga.uji", PASSWORD)
    report = app.op("Report", {"id": str(item.laporan_id)})["data"]["report"]
    url = report["attachments"][1]["url"]
    response = app.client.get(url, headers={"authorization": f"Bearer {app.token}"})
    assert_clean(body(response))
    anonymous = Client().get(url)
    assert_clean(body(anonymous))


def test_reporter_verifier_pimpinan_and_admin_get_the_original(
    client, public_photo, petugas, verifikator, pimpinan, administrator
):
    _laporan, item, original = public_photo
    for user in (petugas, verifikator, pimpinan, administrator):
        response = get(client, item, user)
        data = body(response)
        assert data == original, user.username
        gps = Image.open(io.BytesIO(data)).getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert gps[ExifTags.GPS.GPSLatitudeRef] == "S"
        assert "Informan Pak Budi.jpg" in response["Content-Disposition"]
        # Never kept by a shared cache: the next one to ask may be a guest.
        assert response["Cache-Control"] == "private, no-store"


def test_verifier_gets_the_original_through_the_api_url(public_photo, verifikator):
    _laporan, item, original = public_photo
    app = GraphQLClient(Client())
    app.login("verifikator.uji", PASSWORD)
    report = app.op("Report", {"id": str(item.laporan_id)})["data"]["report"]
    response = app.client.get(
        report["attachments"][1]["url"], headers={"authorization": f"Bearer {app.token}"}
    )
    assert body(response) == original


def test_renditions_carry_no_metadata_and_no_original_name(client, public_photo, petugas):
    laporan, item, _original = public_photo
    for user in (None, petugas):
        response = get(client, item, user, ukuran="web")
        data = body(response)
        assert not {0xE1, 0xE2, 0xED, 0xFE} & set(jpeg_markers(data))
        assert OWNER not in data
        assert response["Content-Disposition"] == f'inline; filename="{laporan.nomor}-2-web.jpg"'


def test_the_clean_copy_is_made_once_and_removed_with_the_attachment(
    client, public_photo, django_capture_on_commit_callbacks
):
    _laporan, item, _original = public_photo
    first = body(get(client, item))
    cached = Path(settings.SIKANDA_PRIVATE_MEDIA_ROOT) / f"{item.berkas.name}.publik.jpg"
    assert cached.is_file()
    made = os.stat(cached).st_mtime_ns
    assert body(get(client, item)) == first
    assert os.stat(cached).st_mtime_ns == made  # served from the cache, not re-encoded
    body(get(client, item, ukuran="thumb"))
    thumb = cached.with_name(cached.name.replace(".publik.", ".thumb."))
    assert thumb.is_file()

    with django_capture_on_commit_callbacks(execute=True):
        item.delete()
    assert not cached.exists() and not thumb.exists()


def test_restricted_report_photo_stays_hidden_from_guests(client, petugas, verifikator):
    laporan = verified_report(
        petugas, verifikator, klasifikasi="terbatas", uploads=[camera_photo()]
    )
    item = laporan.lampiran.get()
    assert get(client, item).status_code == 404
    private = Path(settings.SIKANDA_PRIVATE_MEDIA_ROOT)
    assert not (private / f"{item.berkas.name}.publik.jpg").exists()


# -- pixel limit at upload ----------------------------------------------------


def bomb_png(side=13000):
    """~20 KB of PNG that declares side × side pixels."""
    buffer = io.BytesIO()
    Image.new("1", (side, side)).save(buffer, "PNG", optimize=True)
    return SimpleUploadedFile("bom.png", buffer.getvalue(), content_type="image/png")


def test_decompression_bomb_png_is_refused_at_upload_without_decoding(petugas):
    bomb = bomb_png()
    assert bomb.size < 100_000
    images_before = Image.core.get_stats()["new_count"]
    with pytest.raises(ValidationError) as excinfo:
        services.create_report(petugas, uploads=[bomb], **report_fields())
    # Counting work, not time: not one image buffer was allocated.
    assert Image.core.get_stats()["new_count"] == images_before
    error = excinfo.value.error_dict["lampiran"][0]
    assert error.code == "invalid"
    message = " ".join(excinfo.value.messages)
    assert "bom.png" in message and "megapiksel" in message and "60" in message
    assert Laporan.objects.count() == 0 and Lampiran.objects.count() == 0


def test_a_bomb_below_pillows_own_guard_is_refused_with_its_size(petugas):
    # 8000 × 8000 = 64 MP: over our 60 MP limit, under the 120 MP at which
    # Pillow itself refuses to open a file.
    with pytest.raises(ValidationError) as excinfo:
        services.create_report(petugas, uploads=[bomb_png(8000)], **report_fields())
    assert excinfo.value.error_dict["lampiran"][0].code == "invalid"
    assert "8000 × 8000" in " ".join(excinfo.value.messages)


def test_pixel_limit_is_a_setting(petugas, settings):
    settings.SIKANDA_IMAGE_MAX_PIXELS = 1000
    with pytest.raises(ValidationError) as excinfo:
        services.create_report(petugas, uploads=[photo(size=(40, 30))], **report_fields())
    assert "40 × 30" in " ".join(excinfo.value.messages)
    laporan = services.create_report(petugas, uploads=[photo(size=(40, 25))], **report_fields())
    assert laporan.lampiran.count() == 1


def test_bomb_through_the_api_is_a_typed_error(petugas):
    from cms.reports.models import Aspek, JenisATHG

    app = GraphQLClient(Client())
    app.login("petugas.uji", PASSWORD)
    variables = {
        "clientUuid": "6f1c2a8e-0000-4000-8000-000000000099",
        "input": {
            "judul": "Bom", "periode": "INSIDENTIL",
            "jenisAthg": str(JenisATHG.objects.first().pk), "aspek": str(Aspek.objects.first().pk),
            "urgensi": "SEDANG", "kecamatan": str(factories.kecamatan("paringin").pk),
            "waktuKejadian": "2026-11-27T07:30:00+08:00", "fakta": "x", "klasifikasi": "PUBLIK",
        },
        "attachments": [None],
    }
    result = app.upload("SubmitReport", variables, {"variables.attachments.0": bomb_png()})
    payload = result["data"]["submitReport"]
    assert payload["report"] is None
    assert payload["errors"][0]["code"] == "INVALID"
    assert "megapiksel" in payload["errors"][0]["message"]
    assert Laporan.objects.count() == 0


def test_a_file_that_only_starts_like_a_photo_is_refused(petugas):
    fake = SimpleUploadedFile("rusak.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64)
    with pytest.raises(ValidationError) as excinfo:
        services.create_report(petugas, uploads=[fake], **report_fields())
    assert excinfo.value.error_dict["lampiran"][0].code == "file_type"
