import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage, storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.deconstruct import deconstructible
from django.utils.functional import LazyObject, cached_property, empty

# The STORAGES alias of report attachments. SIKANDA_STORAGE (settings) picks
# PrivateStorage below or, for an S3-compatible bucket, storage_s3.PrivateS3Storage.
PRIVATE_ALIAS = "private"


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Report attachments live outside MEDIA_ROOT, so no web server rule can
    serve them; the only way in is the permission-checked view."""

    @cached_property
    def base_location(self):
        return self._value_or_setting(self._location, settings.SIKANDA_PRIVATE_MEDIA_ROOT)

    def _clear_cached_properties(self, setting, **kwargs):
        super()._clear_cached_properties(setting, **kwargs)
        if setting == "SIKANDA_PRIVATE_MEDIA_ROOT":
            self.__dict__.pop("base_location", None)
            self.__dict__.pop("location", None)

    def url(self, name):
        raise NotImplementedError("Private files have no public URL; use reports:lampiran.")

    def _save(self, name, content):
        # FileSystemStorage leaves a truncated file behind when writing fails
        # half-way (a full disk): no row will ever point at it, so remove it.
        try:
            return super()._save(name, content)
        except FileExistsError:
            raise
        except BaseException:
            path = self.path(name)
            if os.path.exists(path):
                os.remove(path)
            raise


class _PrivateMedia(LazyObject):
    """What the attachment field holds: whichever backend STORAGES["private"]
    names, looked up on first use (as Django's default_storage is)."""

    def _setup(self):
        self._wrapped = storages[PRIVATE_ALIAS]


private_media = _PrivateMedia()


def private_storage():
    return private_media


@receiver(setting_changed)
def _storages_changed(*, setting, **kwargs):
    if setting == "STORAGES":
        private_media._wrapped = empty
