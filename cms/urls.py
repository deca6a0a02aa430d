from django.conf import settings
from django.urls import include, path
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from cms.api.views import SikandaGraphQLView
from cms.home import views as home_views
from cms.platform.plugins import plugin_urlpatterns

urlpatterns = [
    path("", include("cms.ops.urls")),
    path("admin/", include(wagtailadmin_urls)),
    path("dokumen/", include(wagtaildocs_urls)),
    path("cari/", home_views.search, name="search"),
    path("laporan/", include("cms.reports.urls")),
    path("akun/", include("cms.accounts.urls")),
    path("rekap/", include("cms.recaps.urls")),
    path("", include("cms.followup.urls")),
    path("app/", include("cms.mobile.urls")),
    path("graphql/", SikandaGraphQLView.as_view(), name="graphql"),
    path("i18n/", include("django.conf.urls.i18n")),
]

if settings.DEBUG:
    from django.conf.urls.static import static
    from django.contrib.staticfiles.urls import staticfiles_urlpatterns

    urlpatterns += staticfiles_urlpatterns()
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)

urlpatterns += plugin_urlpatterns()
urlpatterns += [path("", include(wagtail_urls))]
