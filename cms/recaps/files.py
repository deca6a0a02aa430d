"""The stored files of approved recaps.

Approval (cms/recaps/transitions.py) writes one `BerkasRekap` outbox row per
enabled recap exporter in its own transaction; after the commit the outbox
engine renders each file once from the frozen document, stores it under the
private storage (no public URL) and records its SHA-256. Downloads of an
approved recap serve that stored file, never a new rendering, so what the
leadership reads is byte for byte what was approved."""

import hashlib

from django.core.files.base import ContentFile
from django.utils.translation import gettext as _

from cms.platform import outbox
from cms.platform.plugins import DeliveryFailed

from . import documents, exports
from .models import BerkasRekap, RekapKabupaten


def _owner(recap):
    field = "rekap_kabupaten" if isinstance(recap, RekapKabupaten) else "rekap_kecamatan"
    return {field: recap}


def queue(recap):
    """One row per format an enabled exporter renders; made after commit."""
    rows = [
        BerkasRekap.objects.get_or_create(format=fmt, **_owner(recap))[0]
        for fmt in sorted(exports.recap_exporters())
    ]
    outbox.enqueue_on_commit(BerkasRekap, [row.pk for row in rows])
    return rows


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def store(row):
    """Render and keep one file (the outbox engine's `send`). Raising
    DeliveryFailed (or anything) leaves the row to be retried."""
    recap = row.rekap
    if recap.isi_beku is None:
        raise DeliveryFailed(_("Rekap belum disetujui; tidak ada isi yang dibekukan."),
                             retry=False)
    exporter = exports.exporter_for(row.format)
    if exporter is None:
        raise DeliveryFailed(_("Plugin ekspor %(format)s tidak aktif.") % {"format": row.format})
    data = exporter.export_recap(recap.isi_beku, logo=documents.logo_path())
    if row.berkas:
        # A retry after a write whose outcome was not recorded.
        row.berkas.delete(save=False)
    row.berkas.save(exports.filename(recap, row.format), ContentFile(data), save=False)
    row.checksum = sha256(data)
    row.ukuran = len(data)
    row.content_type = exporter.content_type


def stored(recap, fmt):
    """The stored file of `fmt`, when it has been made."""
    row = recap.berkas.filter(format=fmt).exclude(checksum="").first()
    return row if row is not None and row.berkas else None


def read(row):
    with row.berkas.open("rb") as handle:
        return handle.read()
