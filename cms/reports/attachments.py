"""Validation of report attachments by content, not by name."""

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .models.laporan import Lampiran

PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic"}
DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


def sniff(upload):
    """Return (jenis, mime, extension) for an uploaded file, or raise a
    ValidationError naming the file. Changes nothing."""
    name = getattr(upload, "name", "berkas")
    limit = settings.SIKANDA_ATTACHMENT_MAX_BYTES
    if upload.size > limit:
        raise ValidationError(
            _("Berkas %(name)s terlalu besar (%(size)s); batasnya %(limit)s.")
            % {"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            code="file_too_large",
        )
    upload.seek(0)
    kind = filetype.guess(upload.read(8192))
    upload.seek(0)
    mime = kind.mime if kind else None
    if mime in PHOTO_TYPES:
        return Lampiran.Jenis.FOTO, mime, PHOTO_TYPES[mime]
    if mime in DOCUMENT_TYPES:
        return Lampiran.Jenis.DOKUMEN, mime, DOCUMENT_TYPES[mime]
    raise ValidationError(
        _("Berkas %(name)s bukan foto (JPEG, PNG, WebP, HEIC) atau dokumen (PDF, DOCX, XLSX) "
          "yang sah menurut isinya.") % {"name": name},
        code="file_type",
    )


def build(upload, keterangan=""):
    """An unsaved Lampiran for a validated upload."""
    jenis, mime, ext = sniff(upload)
    original = getattr(upload, "name", "") or ""
    upload.name = f"lampiran.{ext}"
    return Lampiran(
        berkas=upload, nama_asli=original[:255], jenis=jenis, mime=mime, ukuran=upload.size,
        keterangan=keterangan,
    )
