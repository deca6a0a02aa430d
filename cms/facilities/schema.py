"""GraphQL: published facilities (Fasilitas)."""

import graphene
from django.db.models import Q

from cms.platform.api.enums import choice_value, choices_enum
from cms.platform.api.images import ImageType, with_renditions
from cms.platform.api.inputs import parse_id, search_term
from cms.platform.api.pagination import Key, Ordering, connection_type, page_args, paginate
from cms.reports.schema_types import KecamatanType

from .models import FacilityKind, FacilityPage

FacilityKindEnum = choices_enum(
    "FacilityKind", "What kind of public facility it is (jenis fasilitas).", FacilityKind
)
BY_TITLE = Ordering("judul", (Key("title", descending=False, kind=str), Key("pk", False, int)))


class FacilityType(graphene.ObjectType):
    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    slug = graphene.String(required=True)
    kind = graphene.Field(FacilityKindEnum, required=True)
    kind_label = graphene.String(required=True, description="`kind` in the UI language.")
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
        description = "A public facility (Fasilitas): police, health, fire, offices."

    @staticmethod
    def resolve_kind(page, info):
        return page.kind

    @staticmethod
    def resolve_kind_label(page, info):
        return page.get_kind_display()

    @staticmethod
    def resolve_url(page, info):
        return info.context.build_absolute_uri(page.url)


FacilityConnection = connection_type(FacilityType, "Facility", "facilities")


class Query(graphene.ObjectType):
    facilities = graphene.Field(
        FacilityConnection,
        required=True,
        description="Published facilities by title (A–Z), a page at a time (cursor paging).",
        kind=FacilityKindEnum(),
        kecamatan=graphene.String(description="Kecamatan slug."),
        search=graphene.String(description="Words in the name or address."),
        **page_args(),
    )
    facility = graphene.Field(
        FacilityType,
        id=graphene.ID(required=True),
        description="One published facility; null when there is none.",
    )

    @staticmethod
    def resolve_facilities(root, info, first, after=None, kind=None, kecamatan=None, search=None):
        search = search_term(search)
        facilities = FacilityPage.objects.live().public()
        if kind:
            facilities = facilities.filter(kind=choice_value(kind))
        if kecamatan:
            facilities = facilities.filter(kecamatan__slug=kecamatan)
        if search:
            facilities = facilities.filter(
                Q(title__icontains=search) | Q(address__icontains=search)
            )
        facilities = with_renditions(facilities.select_related("kecamatan"), "photo")
        return paginate(facilities, BY_TITLE, first, after)

    @staticmethod
    def resolve_facility(root, info, id):
        pk = parse_id(id)
        if pk is None:
            return None
        return (
            FacilityPage.objects.live()
            .public()
            .select_related("kecamatan", "photo")
            .filter(pk=pk)
            .first()
        )
