"""SIKANDA_STORAGE=s3 against a real S3-compatible server: moto in server mode
listening on 127.0.0.1, spoken to over HTTP by boto3 exactly as a bucket
would be."""

import io
import json
import tarfile
import urllib.request

import pytest
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import override_settings

from cms.accounts import roles
from cms.reports.models import Lampiran
from cms.reports.storage import private_storage
from cms.settings.base import s3_storages
from tests import factories
from tests.reports.reports_factories import make_report, photo

boto3 = pytest.importorskip("boto3")
moto_server = pytest.importorskip("moto.server")

BUCKET = "sikanda-uji"


@pytest.fixture(scope="module")
def s3_endpoint():
    server = moto_server.ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture
def bucket(s3_endpoint):
    client = boto3.client(
        "s3", endpoint_url=s3_endpoint, region_name="us-east-1",
        aws_access_key_id="uji", aws_secret_access_key="rahasia-uji",
    )
    client.create_bucket(Bucket=BUCKET)
    # What the README asks of an operator: anonymous reads of public/ only.
    client.put_bucket_policy(Bucket=BUCKET, Policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{
            "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject",
            "Resource": f"arn:aws:s3:::{BUCKET}/public/*",
        }],
    }))
    environ = {
        "SIKANDA_S3_BUCKET": BUCKET,
        "SIKANDA_S3_ENDPOINT_URL": s3_endpoint,
        "SIKANDA_S3_REGION": "us-east-1",
        "SIKANDA_S3_ACCESS_KEY_ID": "uji",
        "SIKANDA_S3_SECRET_ACCESS_KEY": "rahasia-uji",
        "SIKANDA_S3_ADDRESSING_STYLE": "path",
    }
    from django.conf import settings

    with override_settings(STORAGES={**settings.STORAGES, **s3_storages(environ)}):
        yield client
    objects = client.list_objects_v2(Bucket=BUCKET).get("Contents", [])
    for item in objects:
        client.delete_object(Bucket=BUCKET, Key=item["Key"])
    client.delete_bucket(Bucket=BUCKET)


def keys(client, prefix=""):
    contents = client.list_objects_v2(Bucket=BUCKET, Prefix=prefix).get("Contents", [])
    return {item["Key"] for item in contents}


@pytest.mark.django_db
def test_report_photo_goes_to_the_bucket_and_comes_back_through_the_checked_view(
    client, bucket, s3_endpoint
):
    officer = factories.make_user(
        roles.PETUGAS, "petugas.s3", kecamatan=[factories.kecamatan("paringin")]
    )
    upload = photo("jembatan.jpg", colour="#225588", size=(400, 300))
    original = upload.read()
    upload.seek(0)
    laporan = make_report(officer, uploads=[upload])
    lampiran = Lampiran.objects.get(laporan=laporan)

    # Stored in the bucket, under private/, and nowhere on disk.
    assert keys(bucket, "private/") == {f"private/{lampiran.berkas.name}"}
    stored = bucket.get_object(Bucket=BUCKET, Key=f"private/{lampiran.berkas.name}")
    assert stored["Body"].read() == original
    assert type(private_storage()._wrapped).__name__ == "PrivateS3Storage"
    # The bucket itself does not hand it to strangers either.
    direct = f"{s3_endpoint}/{BUCKET}/private/{lampiran.berkas.name}"
    with pytest.raises(urllib.error.HTTPError) as refused:
        urllib.request.urlopen(direct, timeout=10)
    assert refused.value.code == 403
    with pytest.raises(NotImplementedError):
        lampiran.berkas.url  # noqa: B018

    url = f"/laporan/lampiran/{lampiran.pk}/"
    # Not published: a stranger gets nothing, the officer gets the bytes.
    assert client.get(url).status_code == 404
    client.force_login(officer)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == original
    assert response["Cache-Control"] == "private, no-store"

    # A thumbnail is rendered once and cached in the bucket beside the original.
    response = client.get(url, {"ukuran": "thumb"})
    assert response.status_code == 200 and response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content)[:2] == b"\xff\xd8"
    assert f"private/{lampiran.berkas.name}.thumb.jpg" in keys(bucket, "private/")


@pytest.mark.django_db
def test_public_media_is_served_from_the_bucket(bucket):
    image = factories.make_image("Foto berita")
    key = f"public/{image.file.name}"
    assert key in keys(bucket, "public/")
    url = image.file.url
    assert url.startswith("http://127.0.0.1:") and "Signature" not in url
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.read() == bucket.get_object(Bucket=BUCKET, Key=key)["Body"].read()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_readiness_and_backup_use_the_bucket(client, bucket, tmp_path):
    response = client.get("/readyz")
    body = response.json()
    assert body["checks"]["storage_private"]["status"] == "ok"
    assert body["checks"]["storage_public"]["status"] == "ok"
    # The probe files are gone again.
    assert not any("health_check" in key for key in keys(bucket))

    officer = factories.make_user(
        roles.PETUGAS, "petugas.s3b", kecamatan=[factories.kecamatan("halong")]
    )
    laporan = make_report(officer, kec="halong", uploads=[photo()])
    name = laporan.lampiran.get().berkas.name
    archive = tmp_path / "s3.tar.gz"
    call_command("backup_sikanda", str(archive), stdout=io.StringIO())
    with tarfile.open(archive) as tar:
        data = tar.extractfile(f"private/{name}").read()
    assert data == storages["private"].open(name).read()
