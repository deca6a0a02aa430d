"""The leadership dashboard in the Wagtail admin (Pimpinan and
administrators). Everything it shows is read through the report and recap
permission policies; everything it counts is in cms/dashboard/figures.py."""

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from cms.desk.views import allow_tiles, map_tiles

from . import figures, geo, periods


class DashboardView(WagtailAdminTemplateMixin, TemplateView):
    template_name = "dashboard/dashboard.html"
    page_title = gettext_lazy("Dasbor pimpinan")
    header_icon = "site"

    def dispatch(self, request, *args, **kwargs):
        if not figures.may_view(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        return []

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        selection = periods.select(self.request.GET)
        data = figures.build(self.request.user, selection.period)
        context.update(data)
        context.update({
            "selection": selection,
            "choices": [
                ("hari", gettext_lazy("Hari ini")),
                ("minggu", gettext_lazy("Minggu ini")),
                ("bulan", gettext_lazy("Bulan ini")),
            ],
            "tiles": map_tiles(),
            "map_data": {
                "points": data["map"]["points"],
                "kecamatan": [
                    {"nama": row["nama"], "jumlah": row["jumlah"], "url": row["url"],
                     "lat": row["centre"][0], "lng": row["centre"][1]}
                    for row in data["kecamatan"] if row["centre"]
                ],
                "outline": geo.guide_outline(),
                "bounds": geo.bounds(),
            },
        })
        return context

    def render_to_response(self, context, **response_kwargs):
        return allow_tiles(super().render_to_response(context, **response_kwargs))
