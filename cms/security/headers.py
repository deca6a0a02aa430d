"""Security headers of every HTML page, public site and admin alike.

Content-Security-Policy comes from django-csp (`CONTENT_SECURITY_POLICY` in
settings): scripts only from this origin or inline with the request's nonce,
nothing from other hosts. This middleware adds what django-csp does not:

- `Permissions-Policy` (`SIKANDA_PERMISSIONS_POLICY`): camera, microphone,
  geolocation and the like are off; a view that needs one (the officers'
  PWA, later) sets its own header, which is left alone;
- in the Wagtail admin only, `'unsafe-inline'` for *styles*: its templates
  and JavaScript set `style` attributes throughout. Scripts get no such
  exception anywhere;
- the request of the response being rendered, so templates without a request
  in their context (form widgets) can still print the nonce
  (`{% csp_nonce %}`, cms/security/templatetags/sikanda_csp.py)."""

from contextvars import ContextVar
from functools import cache

from django.conf import settings
from django.urls import reverse

_rendering = ContextVar("sikanda_rendering_request", default=None)

PERMISSIONS_POLICY = "Permissions-Policy"


def permissions_policy():
    def allowlist(origins):
        return "(" + " ".join("self" if o == "self" else f'"{o}"' for o in origins) + ")"

    return ", ".join(
        f"{feature}={allowlist(origins)}"
        for feature, origins in settings.SIKANDA_PERMISSIONS_POLICY.items()
    )


@cache
def _admin_prefix():
    return reverse("wagtailadmin_home")


def current_nonce():
    """The CSP nonce of the request being handled, or "" outside a request."""
    request = _rendering.get()
    nonce = getattr(request, "csp_nonce", None)
    # str() evaluates django-csp's lazy nonce, which puts it in the header.
    return "" if nonce is None else str(nonce)


class SecurityHeadersMiddleware:
    """Goes right after csp.middleware.CSPMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = _rendering.set(request)
        try:
            response = self.get_response(request)
        finally:
            _rendering.reset(token)
        if PERMISSIONS_POLICY not in response:
            response[PERMISSIONS_POLICY] = permissions_policy()
        if request.path_info.startswith(_admin_prefix()):
            update = getattr(response, "_csp_update", None) or {}
            styles = [*update.get("style-src", []), "'unsafe-inline'"]
            response._csp_update = {**update, "style-src": styles}
        return response
