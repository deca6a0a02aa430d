from django.contrib.auth.views import LogoutView
from django.urls import path

from . import admin_access

app_name = "accounts"
urlpatterns = [
    path("bukan-untuk-admin/", admin_access.bukan_admin, name="bukan_admin"),
    # The public site's sign-out (POST with CSRF, as Django's LogoutView asks).
    path("keluar/", LogoutView.as_view(next_page="/"), name="logout"),
]
