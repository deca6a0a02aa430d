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


def private_storage():
    return PrivateStorage()
