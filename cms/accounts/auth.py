"""Bearer-token authentication for the views a mobile app calls."""

from functools import wraps

from django.http import JsonResponse
from django.utils.translation import gettext as _

from .tokens import authenticate_access


def unauthenticated_response():
    return JsonResponse(
        {"errors": [{"message": _("Token akses tidak sah, kedaluwarsa, atau telah dicabut."),
                     "extensions": {"code": "UNAUTHENTICATED"}}]},
        status=401, headers={"WWW-Authenticate": 'Bearer realm="sikanda"'},
    )


def accepts_bearer_token(view):
    """`Authorization: Bearer <access token>` signs the request in as the
    token's user; a bad token is refused rather than treated as anonymous, so
    an app never silently sees less than it should. Without the header the
    request keeps its session user. `request.device_session` tells which."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        request.device_session = None
        header = request.headers.get("Authorization", "")
        if header.startswith("Bearer "):
            session = authenticate_access(header.removeprefix("Bearer ").strip())
            if session is None:
                return unauthenticated_response()
            request.user = session.user
            request.device_session = session
        return view(request, *args, **kwargs)

    return wrapped
