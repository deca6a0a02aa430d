from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.template.response import TemplateResponse
from wagtail.models import Page

from cms.facilities.models import FacilityPage
from cms.news.models import NewsPage

SEARCHABLE = (NewsPage, FacilityPage)


def search(request):
    query = request.GET.get("q", "").strip()
    results = Page.objects.none()
    if query:
        results = (
            Page.objects.live().public().type(*SEARCHABLE).specific().search(query)
        )
    paginator = Paginator(results, 10)
    try:
        page = paginator.page(request.GET.get("halaman", 1))
    except PageNotAnInteger:
        page = paginator.page(1)
    except EmptyPage:
        page = paginator.page(paginator.num_pages)
    return TemplateResponse(request, "search.html", {"query": query, "results": page})
