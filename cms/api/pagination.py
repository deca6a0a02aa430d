"""Offset pagination with a hard page-size cap, shared by every list."""

import graphene
from django.conf import settings
from django.utils.translation import gettext as _
from graphql import GraphQLError


def page_type(item_type, name):
    return type(
        name,
        (graphene.ObjectType,),
        {
            "items": graphene.List(graphene.NonNull(item_type), required=True),
            "total_count": graphene.Int(required=True),
            "page": graphene.Int(required=True),
            "page_size": graphene.Int(required=True),
            "has_next_page": graphene.Boolean(required=True),
            "Meta": type("Meta", (), {"description": f"One page of {item_type._meta.name}."}),
        },
    )


def page_args():
    return {
        "page": graphene.Int(default_value=1, description="1-based page number."),
        "page_size": graphene.Int(
            default_value=20, description="At most SIKANDA_API.MAX_PAGE_SIZE."
        ),
    }


def paginate(queryset, page, page_size):
    """Slice a queryset into a page dict. Two queries: count and the page."""
    limit = settings.SIKANDA_API["MAX_PAGE_SIZE"]
    if page_size < 1 or page_size > limit:
        raise GraphQLError(
            _("pageSize harus antara 1 dan %(limit)d.") % {"limit": limit},
            extensions={"code": "PAGE_SIZE_LIMIT"},
        )
    if page < 1:
        raise GraphQLError(_("page dimulai dari 1."), extensions={"code": "BAD_USER_INPUT"})
    total = queryset.count()
    offset = (page - 1) * page_size
    items = list(queryset[offset : offset + page_size])
    return {
        "items": items,
        "total_count": total,
        "page": page,
        "page_size": page_size,
        "has_next_page": offset + len(items) < total,
    }
