"""GraphQL: published news (Berita)."""

import datetime

import graphene
from django.db.models import DateTimeField, Prefetch, Q, Value
from django.db.models.functions import Coalesce
from taggit.models import Tag

from cms.platform.api.enums import choice_value, described_enum
from cms.platform.api.images import ImageType, with_renditions
from cms.platform.api.inputs import parse_id, search_term
from cms.platform.api.pagination import Key, Ordering, connection_type, page_args, paginate

from .models import NewsCategory, NewsPage

NewsOrderEnum = described_enum(
    "NewsOrder",
    "How the news list is ordered.",
    {
        "NEWEST": ("newest", "By first publication (server time), newest first. The default."),
        "DATE": ("date", "By the date the editor gave the news, latest first."),
    },
)
_ID_KEY = Key("pk", kind=int)
ORDERINGS = {
    "newest": Ordering("terbit", (Key("terbit"), _ID_KEY)),
    "date": Ordering("tanggal", (Key("date", kind=datetime.date), _ID_KEY)),
}


class NewsCategoryType(graphene.ObjectType):
    id = graphene.ID(required=True)
    nama = graphene.String(required=True)
    slug = graphene.String(required=True)

    class Meta:
        name = "NewsCategory"
        description = "A category of news (master data, so its fields are Indonesian)."


class NewsType(graphene.ObjectType):
    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    slug = graphene.String(required=True)
    date = graphene.Date(required=True)
    summary = graphene.String(required=True)
    body = graphene.String(required=True, description="Rich text as HTML.")
    url = graphene.String(required=True)
    category = graphene.Field(NewsCategoryType)
    tags = graphene.List(graphene.NonNull(graphene.String), required=True)
    lead_image = graphene.Field(ImageType)

    class Meta:
        name = "News"
        description = "A published news item (Berita) of Kesbangpol."

    @staticmethod
    def resolve_body(page, info):
        from wagtail.rich_text import expand_db_html

        return expand_db_html(page.body)

    @staticmethod
    def resolve_url(page, info):
        return info.context.build_absolute_uri(page.url)

    @staticmethod
    def resolve_tags(page, info):
        return [tagged.tag.name for tagged in page.tagged_items.all()]


NewsConnection = connection_type(NewsType, "News", "news")


# A page made live without being published (by code, not the admin) has no
# first_published_at; it sorts as the oldest instead of breaking the key.
NEVER = Value(datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC), output_field=DateTimeField())


def published_news():
    return NewsPage.objects.live().public()


class Query(graphene.ObjectType):
    news_list = graphene.Field(
        NewsConnection,
        required=True,
        description="Published news, a page at a time (cursor paging).",
        order_by=NewsOrderEnum(default_value="newest"),
        category=graphene.String(description="NewsCategory slug."),
        tag=graphene.String(description="Tag slug."),
        search=graphene.String(description="Words in the title or summary."),
        **page_args(),
    )
    news = graphene.Field(
        NewsType,
        id=graphene.ID(),
        slug=graphene.String(),
        description="One published news item by id or slug; null when there is none.",
    )
    news_categories = graphene.List(graphene.NonNull(NewsCategoryType), required=True)

    @staticmethod
    def resolve_news_list(
        root, info, first, order_by, after=None, category=None, tag=None, search=None
    ):
        search = search_term(search)
        news = published_news()
        if category:
            news = news.filter(category__slug=category)
        if tag:
            news = news.filter(tags__slug=tag)
        if search:
            news = news.filter(Q(title__icontains=search) | Q(summary__icontains=search))
        news = (
            with_renditions(news.select_related("category"), "lead_image")
            .prefetch_related(Prefetch("tagged_items__tag", queryset=Tag.objects.all()))
            .annotate(terbit=Coalesce("first_published_at", NEVER))
        )
        return paginate(news, ORDERINGS[choice_value(order_by)], first, after)

    @staticmethod
    def resolve_news(root, info, id=None, slug=None):
        news = published_news().select_related("category", "lead_image")
        if id is not None:
            pk = parse_id(id)
            return news.filter(pk=pk).first() if pk is not None else None
        if slug:
            return news.filter(slug=slug).first()
        return None

    @staticmethod
    def resolve_news_categories(root, info):
        return NewsCategory.objects.all()
