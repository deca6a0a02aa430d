from django.urls import path, re_path

from cms.mobile import views

app_name = "mobile"

urlpatterns = [
    path("", views.shell, name="shell"),
    path("manifest.webmanifest", views.manifest, name="manifest"),
    path("sw.js", views.service_worker, name="service_worker"),
    path("operations.json", views.operations, name="operations"),
    path("assets/<str:name>", views.asset, name="asset"),
    path("vendor/leaflet/<path:name>", views.vendor, name="vendor"),
    path("push/OneSignalSDKWorker.js", views.push_worker, name="push_worker"),
    # Every other path inside the app is a screen of the single page.
    re_path(r"^(?!assets/|vendor/|push/).+/$", views.shell),
]
