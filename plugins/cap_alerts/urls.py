from django.urls import path

from . import views

urlpatterns = [
    path("alerts.atom", views.feed, name="feed"),
    path("alerts/<str:nomor>.xml", views.alert, name="alert"),
]
