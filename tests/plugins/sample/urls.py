from django.http import HttpResponse
from django.urls import path


def hello(request):
    return HttpResponse("halo dari plugin")


urlpatterns = [path("halo/", hello, name="halo")]
