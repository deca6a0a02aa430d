"""backup_sikanda / restore_sikanda: a restored installation serves the same
reports and the same attachment bytes, and device tokens survive with the key."""

import io
import json
import os
import socket
import subprocess
import sys
import tarfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from cms.accounts import roles, tokens
from cms.reports import services
from cms.reports.models import Laporan
from tests import factories
from tests.reports.reports_factories import make_report, photo

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def pdf():
    return SimpleUploadedFile(
        "Notulen rapat.pdf", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
        content_type="application/pdf",
    )


@contextmanager
def fresh_database(tmp_path):
    """An empty database of the same engine, as `createdb` makes one."""
    if connection.vendor == "postgresql":
        conf = connection.settings_dict
        name = f"{conf['NAME']}_restore"
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
            cursor.execute(f'CREATE DATABASE "{name}"')
        auth = conf["USER"] + (f":{conf['PASSWORD']}" if conf.get("PASSWORD") else "")
        try:
            yield f"postgres://{auth}@{conf['HOST'] or '127.0.0.1'}:{conf['PORT'] or 5432}/{name}"
        finally:
            with connection.cursor() as cursor:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    else:
        yield f"sqlite:///{tmp_path / 'restored.sqlite3'}"


def environment(database_url, root):
    """A second installation: its own database and its own (empty) storage,
    the same SECRET_KEY."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GUNICORN_", "DJANGO_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=settings.SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        DATABASE_URL=database_url,
        DJANGO_MEDIA_ROOT=str(root / "media"),
        SIKANDA_PRIVATE_MEDIA_ROOT=str(root / "private-media"),
    )
    return env


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def served(env):
    port = free_port()
    env = {**env, "GUNICORN_BIND": f"127.0.0.1:{port}", "GUNICORN_WORKERS": "1",
           "GUNICORN_ACCESS_LOG": "/dev/null"}
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=5).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
        yield base
    finally:
        server.terminate()
        server.wait(timeout=30)


def fetch(url, token=None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
        return r.status, r.read()


def test_restored_installation_serves_the_same_reports_and_files(tmp_path):
    paringin = factories.kecamatan("paringin")
    petugas = factories.make_user(roles.PETUGAS, "petugas.cadangan", kecamatan=[paringin])
    verifikator = factories.make_user(roles.VERIFIKATOR, "verif.cadangan", kecamatan=[paringin])
    public = make_report(
        petugas, submit=True, uploads=[photo("jalan.jpg")], judul="Jembatan Halubau retak"
    )
    services.act(public, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2")
    draft = make_report(petugas, uploads=[pdf()], judul="Draf rapat desa", klasifikasi="terbatas")
    factories.make_image("Foto berita")
    _session, access, _refresh = tokens.issue(petugas, "ponsel uji")
    public_file = public.lampiran.get()
    draft_file = draft.lampiran.get()
    originals = {
        public_file.pk: public_file.berkas.open("rb").read(),
        draft_file.pk: draft_file.berkas.open("rb").read(),
    }

    archive = tmp_path / "sikanda.tar.gz"
    out = io.StringIO()
    call_command("backup_sikanda", str(archive), stdout=out)
    assert "[1/4] Basis data" in out.getvalue() and "Cadangan selesai" in out.getvalue()
    assert oct(archive.stat().st_mode & 0o777) == "0o600"
    with tarfile.open(archive) as tar:
        names = tar.getnames()
        manifest = json.load(tar.extractfile("manifest.json"))
    assert names[0] == "manifest.json"
    assert f"private/{public_file.berkas.name}" in names
    assert f"private/{draft_file.berkas.name}" in names
    assert any(name.startswith("public/original_images/") for name in names)
    assert manifest["counts"]["laporan"] == Laporan.objects.count() == 2
    assert manifest["counts"]["lampiran"] == 2
    with pytest.raises(CommandError, match="sudah ada"):
        call_command("backup_sikanda", str(archive), stdout=io.StringIO())

    with fresh_database(tmp_path) as url:
        env = environment(url, tmp_path / "restored")
        result = subprocess.run(
            [sys.executable, "manage.py", "restore_sikanda", str(archive)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )
        assert result.returncode == 0, result.stderr
        assert "[2/4] Basis data" in result.stdout and "Pemulihan selesai" in result.stdout
        assert "PERINGATAN" not in result.stdout

        with served(env) as base:
            status, page = fetch(f"{base}/laporan/")
            assert status == 200 and b"Jembatan Halubau retak" in page
            status, page = fetch(f"{base}/laporan/{public.pk}/")
            assert status == 200 and b"Jembatan Halubau retak" in page
            # The same bytes, through the permission-checked view: the reporter
            # gets the original; the public a clean re-encoded copy of it.
            assert fetch(f"{base}/laporan/lampiran/{public_file.pk}/", token=access) == (
                200, originals[public_file.pk]
            )
            status, public_copy = fetch(f"{base}/laporan/lampiran/{public_file.pk}/")
            assert status == 200 and public_copy.startswith(b"\xff\xd8")
            # The officer's phone is still signed in: its token was issued
            # before the backup, and the key came along.
            assert fetch(f"{base}/laporan/lampiran/{draft_file.pk}/", token=access) == (
                200, originals[draft_file.pk]
            )
            with pytest.raises(urllib.error.HTTPError) as refused:
                fetch(f"{base}/laporan/lampiran/{draft_file.pk}/")
            assert refused.value.code == 404

        # A second restore over the restored installation refuses and writes nothing.
        again = subprocess.run(
            [sys.executable, "manage.py", "restore_sikanda", str(archive)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )
        assert again.returncode == 1 and "tidak kosong" in again.stderr


def test_restore_refuses_a_database_that_is_not_empty(tmp_path):
    report = make_report(factories.make_user(
        roles.PETUGAS, "petugas.r", kecamatan=[factories.kecamatan("halong")]
    ), kec="halong", uploads=[photo()])
    archive = tmp_path / "a.tar.gz"
    call_command("backup_sikanda", str(archive), stdout=io.StringIO())
    before = set(os.listdir(settings.SIKANDA_PRIVATE_MEDIA_ROOT))
    with pytest.raises(CommandError, match="Basis data tujuan tidak kosong"):
        call_command("restore_sikanda", str(archive), stdout=io.StringIO())
    assert Laporan.objects.get() == report
    assert set(os.listdir(settings.SIKANDA_PRIVATE_MEDIA_ROOT)) == before


def test_restore_refuses_storage_that_is_not_empty_before_touching_the_database(tmp_path):
    archive = tmp_path / "a.tar.gz"
    call_command("backup_sikanda", str(archive), stdout=io.StringIO())
    with fresh_database(tmp_path) as url:
        env = environment(url, tmp_path / "restored")
        private = tmp_path / "restored" / "private-media" / "laporan"
        private.mkdir(parents=True)
        (private / "sisa.jpg").write_bytes(b"sisa")
        result = subprocess.run(
            [sys.executable, "manage.py", "restore_sikanda", str(archive)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )
        assert result.returncode == 1
        assert "Penyimpanan private" in result.stderr and "laporan/sisa.jpg" in result.stderr
        tables = subprocess.run(
            [sys.executable, "manage.py", "shell", "-c",
             "from django.db import connection as c; print(len(c.introspection.table_names()))"],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )
        assert tables.stdout.strip().splitlines()[-1] == "0", tables.stderr


def test_restore_refuses_an_archive_that_is_not_a_backup(tmp_path):
    archive = tmp_path / "bukan.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("etc/passwd")
        info.size = 4
        tar.addfile(info, io.BytesIO(b"root"))
    with fresh_database(tmp_path) as url:
        result = subprocess.run(
            [sys.executable, "manage.py", "restore_sikanda", str(archive)],
            cwd=ROOT, env=environment(url, tmp_path / "restored"),
            capture_output=True, text=True, timeout=300,
        )
    assert result.returncode == 1 and "bukan cadangan SIKANDA" in result.stderr
