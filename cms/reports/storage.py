import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible
class PrivateStorage(FileSystemStorage):
    """Report attachments live outside MEDIA_ROOT, so no web server rule can
    serve them; the only way in is the permission-checked view."""

    def __init__(self, **kwargs):
        kwargs.setdefault("location", settings.SIKANDA_PRIVATE_MEDIA_ROOT)
        super().__init__(**kwargs)

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


def private_storage():
    return PrivateStorage()
