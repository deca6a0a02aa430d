"""Files derived from a photo attachment: JPEG renditions (thumb, web) and the
*public copy* — the photo as guests get it.

A phone photo carries its GPS position, the camera and often the owner's name
in EXIF/XMP, and its file name may name an informant. Whoever may not see a
report's restricted fields (`laporan_policy.user_can_see_restricted`) gets the
public copy instead of the original: re-encoded from the pixels alone (EXIF
orientation applied, colours converted to sRGB, no EXIF, XMP, ICC, IPTC or
comments) and named by the report number. Each derived file is made on first
request, kept in private storage next to the original, and removed with the
attachment."""

import io
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from PIL import Image, ImageCms, ImageOps

from .models.laporan import Lampiran

logger = logging.getLogger(__name__)

RENDITIONS = {
    "thumb": ("fill", (320, 240)),
    "web": ("max", (1280, None)),
}
PUBLIC = "publik"


def derived_name(lampiran, kind):
    return f"{lampiran.berkas.name}.{kind}.jpg"


def _to_srgb(image):
    """The pixels in sRGB, without the (possibly identifying) ICC profile."""
    icc = image.info.get("icc_profile")
    if icc:
        try:
            source = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            image = ImageCms.profileToProfile(
                image, source, ImageCms.createProfile("sRGB"), outputMode="RGB"
            )
        except (ImageCms.PyCMSError, OSError, ValueError):
            logger.info("Profil warna foto tidak dapat dibaca; dipakai apa adanya.")
    return image.convert("RGB")


def _jpeg(image, quality):
    """Encode pixels only: whatever the source carried (info) stays behind."""
    image.info = {}
    out = io.BytesIO()
    image.save(out, "JPEG", quality=quality, optimize=True, progressive=True)
    return out.getvalue()


def render_public_copy(original):
    with Image.open(original) as image:
        image = _to_srgb(ImageOps.exif_transpose(image))
        return _jpeg(image, quality=90)


def render_rendition(original, kind, size):
    with Image.open(original) as image:
        image.draft("RGB", (size[0] * 2, (size[1] or size[0]) * 2))
        image = _to_srgb(ImageOps.exif_transpose(image))
        if kind == "fill":
            image = ImageOps.fit(image, size, Image.Resampling.LANCZOS)
        elif image.width > size[0]:
            height = max(1, round(image.height * size[0] / image.width))
            image = image.resize((size[0], height), Image.Resampling.LANCZOS)
        return _jpeg(image, quality=82)


def _cached(lampiran, kind, render):
    storage = lampiran.berkas.storage
    name = derived_name(lampiran, kind)
    if not storage.exists(name):
        with lampiran.berkas.open("rb") as original:
            data = render(original)
        name = storage.save(name, ContentFile(data))
    return name


def rendition(lampiran, ukuran):
    """The stored name of a cached JPEG rendition, made on first use."""
    kind, size = RENDITIONS[ukuran]
    return _cached(lampiran, ukuran, lambda original: render_rendition(original, kind, size))


def public_copy(lampiran):
    """The stored name of the cached public copy, made on first use."""
    return _cached(lampiran, PUBLIC, render_public_copy)


@receiver(post_delete, sender=Lampiran, dispatch_uid="sikanda-lampiran-derived-files")
def remove_derived_files(sender, instance, **kwargs):
    # Only what can be made again: the original may still be referenced by a
    # revision of the report.
    if not instance.berkas:
        return
    storage = instance.berkas.storage
    names = [derived_name(instance, kind) for kind in (*RENDITIONS, PUBLIC)]

    def delete():
        for name in names:
            storage.delete(name)

    transaction.on_commit(delete)
