from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.utils.translation import gettext as _


def lockout_response(request, original_response=None, credentials=None):
    """What django-axes answers once a username/address pair is locked out:
    a typed GraphQL error for the API, plain text elsewhere (admin login)."""
    message = _("Terlalu banyak percobaan masuk yang gagal. Coba lagi nanti.")
    if request.path == reverse("graphql"):
        return JsonResponse(
            {"data": None, "errors": [{"message": message, "extensions": {"code": "LOCKED_OUT"}}]},
            status=429,
        )
    return HttpResponse(message, status=429, content_type="text/plain; charset=utf-8")
