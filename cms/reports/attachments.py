"""Validation of report attachments by content, not by name."""

import warnings

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, UnidentifiedImageError

from .models.laporan import Lampiran

PHOTO_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/heic": "heic"}
DOCUMENT_TYPES = {
    "application/pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
}


# Pillow's own guard against decompression bombs, at the same bound: an image
# that somehow got past the upload check still fails before it is decoded.
Image.MAX_IMAGE_PIXELS = settings.SIKANDA_IMAGE_MAX_PIXELS


def _check_pixels(upload, name):
    """Refuse a photo with more pixels than SIKANDA_IMAGE_MAX_PIXELS. Only the
    header is read (no decoding): a 20 KB PNG can declare 13000×13000 pixels,
    which would take over a gigabyte to render."""
    limit = settings.SIKANDA_IMAGE_MAX_PIXELS
    upload.seek(0)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                width, height = image.size
    except Image.DecompressionBombError:
        width = height = None
    except (UnidentifiedImageError, OSError, ValueError):
        raise ValidationError(
            _("Berkas %(name)s tidak dapat dibaca sebagai foto.") % {"name": name},
            code="file_type",
        ) from None
    finally:
        upload.seek(0)
    if width is None or width * height > limit:
        size = _("lebih dari %(mp)s megapiksel") % {"mp": number_format(2 * limit / 1e6, 0)}
        if width is not None:
            size = _("%(width)s × %(height)s piksel") % {"width": width, "height": height}
        raise ValidationError(
            _("Foto %(name)s terlalu besar (%(size)s); batasnya %(limit)s megapiksel. "
              "Kecilkan resolusinya lalu kirim lagi.")
            % {"name": name, "size": size, "limit": number_format(limit / 1e6, 0)},
            code="invalid",
        )


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
        _check_pixels(upload, name)
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
