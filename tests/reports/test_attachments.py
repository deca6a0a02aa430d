"""Report attachments: validated by content on upload, stored outside
MEDIA_ROOT, served only through the permission-checked view."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from cms.accounts import roles
from cms.reports import services
from cms.reports.models import Lampiran, Laporan
from tests import factories

from .reports_factories import make_report, photo, report_fields, verified_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _remove_private_files(db):
    yield
    for item in Lampiran.objects.all():
        storage = item.berkas.storage
        for name in (item.berkas.name, f"{item.berkas.name}.thumb.jpg",
                     f"{item.berkas.name}.web.jpg", f"{item.berkas.name}.publik.jpg"):
            storage.delete(name)


def url(item, **params):
    query = "&".join(f"{key}={value}" for key, value in params.items())
    return reverse("reports:lampiran", args=[item.pk]) + (f"?{query}" if query else "")


def status_for(client, user, item, **params):
    client.logout()
    if user is not None:
        client.force_login(user)
    return client.get(url(item, **params)).status_code


@pytest.fixture
def verifier_halong(db):
    return factories.make_user(roles.VERIFIKATOR, kecamatan=[factories.kecamatan("halong")])


def test_before_verification_only_owner_verifiers_and_admins(
    client, petugas, verifikator, verifier_halong, administrator, pengguna, pimpinan
):
    laporan = make_report(petugas, uploads=[photo()])
    item = laporan.lampiran.get()
    assert item.jenis == Lampiran.Jenis.FOTO and item.mime == "image/jpeg"

    # A draft: not even its kecamatan's verifier yet.
    assert status_for(client, None, item) == 404
    assert status_for(client, pengguna, item) == 404
    assert status_for(client, verifikator, item) == 404
    assert status_for(client, petugas, item) == 200
    assert status_for(client, administrator, item) == 200

    services.submit(laporan, petugas)
    assert status_for(client, None, item) == 404
    assert status_for(client, pengguna, item) == 404
    assert status_for(client, pimpinan, item) == 404
    assert status_for(client, verifier_halong, item) == 404
    assert status_for(client, petugas, item) == 200
    assert status_for(client, verifikator, item) == 200
    assert status_for(client, administrator, item) == 200


def test_private_response_headers(client, petugas):
    item = make_report(petugas, uploads=[photo("Foto lokasi.jpg")]).lampiran.get()
    client.force_login(petugas)
    response = client.get(url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"].startswith("inline")
    assert "Foto lokasi.jpg" in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"\xff\xd8")


def test_after_verification_public_photo_is_public(client, petugas, verifikator):
    laporan = verified_report(petugas, verifikator, uploads=[photo(size=(1600, 1000))])
    item = laporan.lampiran.get()

    response = client.get(url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Cache-Control"] == "public, max-age=3600"
    assert response["X-Content-Type-Options"] == "nosniff"

    thumb = client.get(url(item, ukuran="thumb"))
    assert thumb.status_code == 200
    assert thumb["Content-Type"] == "image/jpeg"
    assert PILImage.open(io.BytesIO(b"".join(thumb.streaming_content))).size == (320, 240)

    web = client.get(url(item, ukuran="web"))
    assert web.status_code == 200
    assert PILImage.open(io.BytesIO(b"".join(web.streaming_content))).size == (1280, 800)

    # Renditions are cached next to the original, in private storage.
    private = Path(settings.SIKANDA_PRIVATE_MEDIA_ROOT)
    assert (private / f"{item.berkas.name}.thumb.jpg").is_file()
    assert (private / f"{item.berkas.name}.web.jpg").is_file()
    # ...and served again from there.
    assert client.get(url(item, ukuran="thumb")).status_code == 200


def test_small_photo_is_not_enlarged(client, petugas, verifikator):
    item = verified_report(petugas, verifikator, uploads=[photo()]).lampiran.get()
    web = client.get(url(item, ukuran="web"))
    assert PILImage.open(io.BytesIO(b"".join(web.streaming_content))).size == (32, 24)


def test_unknown_size_is_a_clear_400(client, petugas, verifikator):
    item = verified_report(petugas, verifikator, uploads=[photo()]).lampiran.get()
    response = client.get(url(item, ukuran="raksasa"))
    assert response.status_code == 400
    assert "tidak dikenal" in response.content.decode()


def test_verified_terbatas_only_for_those_allowed(client, petugas, verifikator, pimpinan, pengguna):
    laporan = verified_report(petugas, verifikator, klasifikasi="terbatas", uploads=[photo()])
    item = laporan.lampiran.get()
    assert status_for(client, None, item) == 404
    assert status_for(client, None, item, ukuran="thumb") == 404
    assert status_for(client, pengguna, item) == 404
    client.force_login(pimpinan)
    response = client.get(url(item))
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"


def test_document_is_a_download(client, petugas, verifikator):
    pdf = SimpleUploadedFile(
        "Notulen rapat.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
    )
    laporan = verified_report(petugas, verifikator, uploads=[pdf])
    item = laporan.lampiran.get()
    assert item.jenis == Lampiran.Jenis.DOKUMEN
    response = client.get(url(item))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment")
    # A guest gets the file under the report's number, not the uploader's name...
    public_name = f"{laporan.nomor}-1.pdf"
    assert f'filename="{public_name}"' in response["Content-Disposition"]
    assert "Notulen" not in response["Content-Disposition"]
    assert client.get(url(item, ukuran="thumb")).status_code == 400
    detail = client.get(reverse("reports:detail", args=[laporan.pk])).content.decode()
    assert url(item) in detail and public_name in detail and "Notulen" not in detail
    # ...the reporter and the kecamatan's verifier see the original name.
    for user in (petugas, verifikator):
        client.force_login(user)
        assert "Notulen rapat.pdf" in client.get(url(item))["Content-Disposition"]
        detail = client.get(reverse("reports:detail", args=[laporan.pk])).content.decode()
        assert "Notulen rapat.pdf" in detail


def test_unknown_attachment_is_404(client):
    assert client.get(reverse("reports:lampiran", args=[999999])).status_code == 404


def test_files_live_outside_media_root(petugas):
    item = make_report(petugas, uploads=[photo()]).lampiran.get()
    private = Path(settings.SIKANDA_PRIVATE_MEDIA_ROOT).resolve()
    media = Path(settings.MEDIA_ROOT).resolve()
    assert (private / item.berkas.name).is_file()
    assert not (media / item.berkas.name).exists()
    assert not private.is_relative_to(media)
    if media.exists():
        assert not any(path.name == Path(item.berkas.name).name for path in media.rglob("*"))
    assert "foto" not in item.berkas.name  # the uploader's name is not the stored name
    with pytest.raises(NotImplementedError):
        item.berkas.url  # noqa: B018


def _private_files():
    root = Path(settings.SIKANDA_PRIVATE_MEDIA_ROOT)
    return {path for path in root.rglob("*") if path.is_file()} if root.exists() else set()


def test_text_file_named_as_photo_is_rejected_and_nothing_is_stored(petugas):
    before = _private_files()
    fake = SimpleUploadedFile("foto.jpg", b"ini bukan foto, hanya teks biasa\n" * 10,
                              content_type="image/jpeg")
    with pytest.raises(ValidationError) as excinfo:
        services.create_report(petugas, uploads=[photo("asli.jpg"), fake], **report_fields())
    assert "foto.jpg" in " ".join(excinfo.value.messages)
    assert "lampiran" in excinfo.value.message_dict
    assert Laporan.objects.count() == 0
    assert Lampiran.objects.count() == 0
    assert _private_files() == before


def test_file_over_the_size_limit_is_rejected_and_nothing_is_stored(petugas, settings):
    settings.SIKANDA_ATTACHMENT_MAX_BYTES = 100
    before = _private_files()
    big = photo("besar.jpg", size=(200, 200))
    assert big.size > 100
    with pytest.raises(ValidationError) as excinfo:
        services.create_report(petugas, uploads=[big], **report_fields())
    assert "besar.jpg" in " ".join(excinfo.value.messages)
    assert Laporan.objects.count() == 0
    assert Lampiran.objects.count() == 0
    assert _private_files() == before


def test_heic_photo_from_a_phone_gets_jpeg_renditions(client, petugas):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), "#884400").save(buffer, "HEIF")
    heic = SimpleUploadedFile("IMG_0001.HEIC", buffer.getvalue(), content_type="image/heic")
    laporan = services.create_report(petugas, uploads=[heic], **report_fields())
    lampiran = laporan.lampiran.get()
    assert (lampiran.jenis, lampiran.mime) == ("foto", "image/heic")
    client.force_login(petugas)
    thumb = client.get(f"/laporan/lampiran/{lampiran.pk}/", {"ukuran": "thumb"})
    assert thumb.status_code == 200 and thumb["Content-Type"] == "image/jpeg"
