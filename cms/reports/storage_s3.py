"""Report attachments in an S3-compatible bucket (SIKANDA_STORAGE=s3).

A module of its own so that boto3 (~0.7 s and ~35 MB to import) is loaded only
by installations that store files in a bucket: STORAGES names this class and
Django imports it on first use."""

from django.utils.deconstruct import deconstructible
from storages.backends.s3 import S3Storage


@deconstructible
class PrivateS3Storage(S3Storage):
    """Still URL-less: the permission-checked view reads the object with
    storage.open and streams it, so no presigned link can reach a third party.
    S3 writes an object whole or not at all (multipart uploads are aborted on
    failure), so there is no half-written file to clean up as on disk."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        raise NotImplementedError("Private files have no public URL; use reports:lampiran.")
