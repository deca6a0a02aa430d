from django.urls import path

from . import views

app_name = "reports"
urlpatterns = [
    path("", views.index, name="index"),
    path("<int:pk>/", views.detail, name="detail"),
    path("lampiran/<int:pk>/", views.lampiran, name="lampiran"),
]
