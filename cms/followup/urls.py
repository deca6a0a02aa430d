from django.urls import path

from . import views

app_name = "followup"
urlpatterns = [
    path("tindak-lanjut/lampiran/<int:pk>/", views.lampiran, name="lampiran"),
    path("kejadian/<int:pk>/", views.kejadian, name="kejadian"),
]
