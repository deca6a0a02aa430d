"""The files of an approved recap: made once after the approval commits,
stored privately with their SHA-256, served as stored (never rendered
again), unchanged by later edits of reports; a failure to make them is
retried and never undoes the approval."""

import hashlib
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone
from openpyxl import load_workbook

from cms.platform import outbox
from cms.platform.plugins import set_enabled
from cms.recaps import documents
from cms.recaps.models import BerkasRekap, RekapKabupaten, StatusRekap
from cms.reports import services
from cms.reports.storage import private_storage

from .builders import signed_regency_recap

pytestmark = pytest.mark.django_db

FORMATS = ("docx", "pdf", "xlsx")


@pytest.fixture
def exporters(db):
    for fmt in FORMATS:
        set_enabled(f"export_{fmt}", True)


def _download(client, user, recap, fmt):
    client.force_login(user)
    tier = "kabupaten" if isinstance(recap, RekapKabupaten) else "kecamatan"
    response = client.get(f"/rekap/{tier}/{recap.pk}/unduh/{fmt}/")
    client.logout()
    return response


def _body(response):
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_approval_stores_each_format_once_with_its_checksum(
    exporters, client, pimpinan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        recap, _reports = signed_regency_recap()
    rows = {row.format: row for row in BerkasRekap.objects.filter(rekap_kabupaten=recap)}
    assert set(rows) == set(FORMATS)
    private_root = Path(settings.SIKANDA_PRIVATE_MEDIA_ROOT).resolve()
    for fmt, row in rows.items():
        assert row.status == BerkasRekap.Status.SENT and row.percobaan == 1
        stored = private_storage().open(row.berkas.name, "rb").read()
        assert hashlib.sha256(stored).hexdigest() == row.checksum and len(stored) == row.ukuran
        # Under the private root, never under MEDIA_ROOT, and without a URL.
        assert Path(private_storage().path(row.berkas.name)).resolve().is_relative_to(
            private_root
        )
        assert not Path(private_storage().path(row.berkas.name)).resolve().is_relative_to(
            Path(settings.MEDIA_ROOT).resolve()
        )
        with pytest.raises(NotImplementedError):
            private_storage().url(row.berkas.name)
        response = _download(client, pimpinan, recap, fmt)
        assert response.status_code == 200
        assert _body(response) == stored
        assert response["X-Checksum-SHA256"] == row.checksum
        assert response["Cache-Control"] == "private, no-store"

    # What the XLSX holds is the signed document.
    sheet = load_workbook(io.BytesIO(_body(_download(client, pimpinan, recap, "xlsx"))))
    numbers = [row[0].value for row in sheet["Daftar laporan"].iter_rows(min_row=4)]
    assert numbers == [r["nomor"] for r in recap.isi_beku["laporan"]]

    # Served as stored, not rendered again: with the exporter switched off
    # the stored file still answers, byte for byte.
    set_enabled("export_pdf", False)
    response = _download(client, pimpinan, recap, "pdf")
    assert response.status_code == 200
    assert hashlib.sha256(_body(response)).hexdigest() == rows["pdf"].checksum


def test_later_edits_of_reports_do_not_change_the_files(
    exporters, client, pimpinan, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        recap, reports = signed_regency_recap()
    before = {row.format: row.checksum for row in recap.berkas.all()}
    first = {fmt: _body(_download(client, pimpinan, recap, fmt)) for fmt in FORMATS}

    admin = recap.disetujui_oleh
    with django_capture_on_commit_callbacks(execute=True):
        services.retract(reports[0], admin, "Salah kecamatan.")
    # The live document has changed (one report fewer) …
    assert documents.build(recap)["jumlah"]["jumlah"] == len(reports) - 1
    # … the approved recap and its files have not.
    recap.refresh_from_db()
    assert recap.isi_beku["jumlah"]["jumlah"] == len(reports)
    assert {row.format: row.checksum for row in recap.berkas.all()} == before
    for fmt in FORMATS:
        assert _body(_download(client, pimpinan, recap, fmt)) == first[fmt]
        assert hashlib.sha256(first[fmt]).hexdigest() == before[fmt]


def test_a_failure_to_make_the_files_keeps_the_approval_and_is_retried(
    exporters, client, pimpinan, tmp_path, django_capture_on_commit_callbacks
):
    # A real failure: the private storage's directory cannot be created
    # because a plain file stands where it should be.
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("")
    broken = {**settings.STORAGES, "private": {
        "BACKEND": "cms.reports.storage.PrivateStorage", "OPTIONS": {"location": str(blocked)},
    }}
    with override_settings(STORAGES=broken):
        with django_capture_on_commit_callbacks(execute=True):
            recap, _reports = signed_regency_recap()
        recap.refresh_from_db()
        assert recap.status == StatusRekap.DITANDATANGANI and recap.nomor
        rows = list(BerkasRekap.objects.filter(rekap_kabupaten=recap))
        assert {row.format for row in rows} == set(FORMATS)
        for row in rows:
            assert row.status == BerkasRekap.Status.PENDING and row.percobaan == 1
            assert row.galat_terakhir and not row.checksum
            assert row.coba_lagi_pada > timezone.now()
        # Until the file exists the download renders the frozen document.
        response = _download(client, pimpinan, recap, "xlsx")
        assert response.status_code == 200 and "X-Checksum-SHA256" not in response

    # The disk is back; the retry (sweeper or cron: send_due) makes them.
    BerkasRekap.objects.update(coba_lagi_pada=timezone.now())
    # Three files of the regency recap, three of the kecamatan recap beneath.
    assert outbox.send_due(BerkasRekap) == [BerkasRekap.Status.SENT] * 6
    for row in BerkasRekap.objects.filter(rekap_kabupaten=recap):
        assert row.percobaan == 2 and row.checksum
        response = _download(client, pimpinan, recap, row.format)
        assert hashlib.sha256(_body(response)).hexdigest() == row.checksum
