"""Officers and guests have no business in the Wagtail admin: they use the app.

Wagtail refuses them (no `wagtailadmin.access_admin`) but keeps their session,
so on a shared kecamatan computer the next person to open the public archive
would read *terbatas* reports as that officer. A signed-in user without admin
access who asks for any admin page is therefore signed out at once and shown
where to go instead (the app)."""

from functools import cache

from django.contrib.auth import logout
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

ADMIN_PERMISSION = "wagtailadmin.access_admin"
APP_URL = "/app/"


@cache
def _prefixes():
    admin = reverse("wagtailadmin_home")
    # Signing in (and out, and resetting a password) must stay reachable.
    exempt = tuple(
        reverse(name) for name in ("wagtailadmin_login", "wagtailadmin_logout")
    ) + (f"{admin}password_reset/",)
    return admin, exempt


def refused_at_admin(request):
    admin, exempt = _prefixes()
    path = request.path_info
    if not path.startswith(admin) or path.startswith(exempt):
        return False
    user = request.user
    return user.is_authenticated and not user.has_perm(ADMIN_PERMISSION)


class AdminRefusalMiddleware:
    """After AuthenticationMiddleware and MessageMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if refused_at_admin(request):
            logout(request)
            return redirect("accounts:bukan_admin")
        return self.get_response(request)


@require_safe
def bukan_admin(request):
    return TemplateResponse(request, "accounts/bukan_admin.html", {"app_url": APP_URL})
