from django.urls import path

from . import views

app_name = "recaps"

urlpatterns = [
    path("<str:tier>/<int:pk>/unduh/<str:fmt>/", views.unduh, name="unduh"),
]
