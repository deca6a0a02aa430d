"""GraphQL types of the master data, shared by every domain that points at a
kecamatan or a category."""

from graphene_django import DjangoObjectType

from .models import Aspek, Desa, JenisATHG, Kecamatan


class KecamatanType(DjangoObjectType):
    class Meta:
        model = Kecamatan
        name = "Kecamatan"
        fields = ("id", "nama", "slug", "kode")


class DesaType(DjangoObjectType):
    class Meta:
        model = Desa
        name = "Desa"
        fields = ("id", "nama", "jenis", "kecamatan")
        convert_choices_to_enum = False


class AspekType(DjangoObjectType):
    class Meta:
        model = Aspek
        name = "Aspek"
        fields = ("id", "nama", "slug", "keterangan")


class JenisATHGType(DjangoObjectType):
    class Meta:
        model = JenisATHG
        name = "JenisATHG"
        fields = ("id", "nama", "slug", "keterangan")
