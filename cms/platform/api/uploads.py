"""The Upload scalar of the GraphQL multipart request spec. The request
body itself is taken apart by the endpoint (cms.api.multipart)."""

import graphene
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from graphql import GraphQLError


class Upload(graphene.Scalar):
    """A file sent with the GraphQL multipart request spec."""

    @staticmethod
    def serialize(value):
        return getattr(value, "name", None)

    @staticmethod
    def parse_literal(node, _variables=None):
        raise GraphQLError(_("Berkas hanya dapat dikirim sebagai bagian multipart."))

    @staticmethod
    def parse_value(value):
        if not isinstance(value, UploadedFile):
            raise GraphQLError(_("Berkas hanya dapat dikirim sebagai bagian multipart."))
        return value
