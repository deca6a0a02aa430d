"""GraphQL image types shared by every domain: images with renditions sized
for phones."""

import graphene

from .enums import described_enum

# Rendition specs a phone needs: list thumbnails, full-width cards, detail.
RENDITIONS = {
    "THUMBNAIL": "fill-320x240",
    "CARD": "fill-720x405",
    "FULL": "max-1280x1280",
}

RenditionSize = described_enum(
    "RenditionSize",
    "Image sizes made for phones.",
    {
        "THUMBNAIL": ("THUMBNAIL", "320×240, cropped: list thumbnails."),
        "CARD": ("CARD", "720×405, cropped: full-width cards."),
        "FULL": ("FULL", "At most 1280×1280, not cropped: detail views."),
    },
)


class RenditionType(graphene.ObjectType):
    url = graphene.String(required=True)
    width = graphene.Int(required=True)
    height = graphene.Int(required=True)

    class Meta:
        name = "Rendition"
        description = "An image file at one size."


class ImageType(graphene.ObjectType):
    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    alt = graphene.String(required=True, description="Alternative text for the image.")
    rendition = graphene.Field(
        RenditionType, size=graphene.Argument(RenditionSize, required=True), required=True
    )

    class Meta:
        name = "Image"
        description = "An image of the site's media library (news and facility photos)."

    @staticmethod
    def resolve_alt(image, info):
        return getattr(image, "description", "") or image.title

    @staticmethod
    def resolve_rendition(image, info, size):
        # Renditions prefetched by the list resolver are used without a query.
        rendition = image.get_rendition(RENDITIONS[getattr(size, "name", size)])
        return RenditionType(
            url=info.context.build_absolute_uri(rendition.url),
            width=rendition.width,
            height=rendition.height,
        )


def with_renditions(queryset, field):
    """Prefetch every phone rendition of an image field, so a list of N items
    costs the same queries as a list of one."""
    from wagtail.images import get_image_model

    renditions = (
        get_image_model()
        .get_rendition_model()
        .objects.filter(filter_spec__in=list(RENDITIONS.values()))
    )
    from django.db.models import Prefetch

    return queryset.select_related(field).prefetch_related(
        Prefetch(f"{field}__renditions", queryset=renditions)
    )
