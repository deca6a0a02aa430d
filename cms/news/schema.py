"""GraphQL: published news (Berita)."""

import graphene
from django.db.models import Prefetch, Q
from taggit.models import Tag

from cms.api.ids import object_id
from cms.api.pagination import page_args, page_type, paginate
from cms.home.schema import ImageType, with_renditions

from .models import NewsCategory, NewsPage


class NewsCategoryType(graphene.ObjectType):
    id = graphene.ID(required=True)
    nama = graphene.String(required=True)
    slug = graphene.String(required=True)

    class Meta:
        name = "NewsCategory"


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


NewsPageResult = page_type(NewsType, "NewsPage")


def published_news():
    return NewsPage.objects.live().public()


class Query(graphene.ObjectType):
    news_list = graphene.Field(
        NewsPageResult,
        required=True,
        category=graphene.String(),
        tag=graphene.String(),
        search=graphene.String(),
        **page_args(),
    )
    news = graphene.Field(NewsType, id=graphene.ID(), slug=graphene.String())
    news_categories = graphene.List(graphene.NonNull(NewsCategoryType), required=True)

    @staticmethod
    def resolve_news_list(root, info, page, page_size, category=None, tag=None, search=None):
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
            .order_by("-date", "-pk")
        )
        return paginate(news, page, page_size)

    @staticmethod
    def resolve_news(root, info, id=None, slug=None):
        news = published_news().select_related("category", "lead_image")
        if object_id(id) is not None:
            return news.filter(pk=object_id(id)).first()
        if slug:
            return news.filter(slug=slug).first()
        return None

    @staticmethod
    def resolve_news_categories(root, info):
        return NewsCategory.objects.all()
