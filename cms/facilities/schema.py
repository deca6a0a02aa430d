"""GraphQL: published facilities (Fasilitas)."""

import graphene
from django.db.models import Q

from cms.api.ids import object_id
from cms.api.pagination import page_args, page_type, paginate
from cms.home.schema import ImageType, with_renditions
from cms.reports.schema_types import KecamatanType

from .models import FacilityKind, FacilityPage

FacilityKindEnum = graphene.Enum.from_enum(FacilityKind, description="Jenis fasilitas.")


class FacilityType(graphene.ObjectType):
    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    slug = graphene.String(required=True)
    kind = graphene.Field(FacilityKindEnum, required=True)
    kind_label = graphene.String(required=True)
    kecamatan = graphene.Field(KecamatanType, required=True)
    address = graphene.String(required=True)
    latitude = graphene.Float()
    longitude = graphene.Float()
    phone = graphene.String(required=True)
    opening_hours = graphene.String(required=True)
    photo = graphene.Field(ImageType)
    url = graphene.String(required=True)

    class Meta:
        name = "Facility"

    @staticmethod
    def resolve_kind(page, info):
        return page.kind

    @staticmethod
    def resolve_kind_label(page, info):
        return page.get_kind_display()

    @staticmethod
    def resolve_url(page, info):
        return info.context.build_absolute_uri(page.url)


FacilityPageResult = page_type(FacilityType, "FacilityPage")


class Query(graphene.ObjectType):
    facilities = graphene.Field(
        FacilityPageResult,
        required=True,
        kind=FacilityKindEnum(),
        kecamatan=graphene.String(),
        search=graphene.String(),
        **page_args(),
    )
    facility = graphene.Field(FacilityType, id=graphene.ID(required=True))

    @staticmethod
    def resolve_facilities(root, info, page, page_size, kind=None, kecamatan=None, search=None):
        facilities = FacilityPage.objects.live().public()
        if kind:
            facilities = facilities.filter(kind=getattr(kind, "value", kind))
        if kecamatan:
            facilities = facilities.filter(kecamatan__slug=kecamatan)
        if search:
            facilities = facilities.filter(
                Q(title__icontains=search) | Q(address__icontains=search)
            )
        facilities = with_renditions(facilities.select_related("kecamatan"), "photo").order_by(
            "title"
        )
        return paginate(facilities, page, page_size)

    @staticmethod
    def resolve_facility(root, info, id):
        if object_id(id) is None:
            return None
        return (
            FacilityPage.objects.live()
            .public()
            .select_related("kecamatan", "photo")
            .filter(pk=id)
            .first()
        )
