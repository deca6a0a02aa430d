"""SIKANDA Mobile: the shell page, its manifest, service worker, assets and
the contract's operation documents, all under /app/ so the service worker's
scope covers every file the app needs offline.

Assets are served from cms/mobile/assets/ rather than /static/: the modules
import each other by relative name, which hashed static file names would
break, and the service worker versions the cache by their content anyway."""

import hashlib
import json
import mimetypes
import os
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.gzip import gzip_page
from django.views.decorators.http import require_GET

from cms.desk.views import allow_tiles, map_tiles
from cms.mobile.operations import documents
from cms.security.headers import PERMISSIONS_POLICY

ASSETS = Path(__file__).parent / "assets"
SERVICE_WORKER = "sw.js"
THEME_COLOUR = "#0b5d3b"
# Leaflet, vendored once for the desk (frontend/); served again under /app/
# so the app's service worker keeps it for offline use.
LEAFLET = Path(__file__).resolve().parents[1] / "desk" / "static" / "desk" / "vendor" / "leaflet"
LEAFLET_FILES = ("leaflet.js", "leaflet.css", "images/marker-icon.png",
                 "images/marker-icon-2x.png", "images/marker-shadow.png")
# OneSignal's web SDK v16 (page script and its worker) and the hosts it talks to.
ONESIGNAL_SDK = "https://cdn.onesignal.com/sdks/web/v16/OneSignalSDK.page.js"
ONESIGNAL_WORKER_SDK = "https://cdn.onesignal.com/sdks/web/v16/OneSignalSDK.sw.js"
ONESIGNAL_CSP = {
    "script-src": ["https://cdn.onesignal.com"],
    "connect-src": ["https://api.onesignal.com", "https://onesignal.com"],
    "style-src": ["https://onesignal.com"],
    "img-src": ["https://onesignal.com"],
}
DEFAULT_POLL_SECONDS = 60


def onesignal_app_id():
    """ONESIGNAL_APP_ID as the onesignal_push plugin reads it (setting, else
    environment): with it the app registers for push, without it it polls."""
    value = getattr(settings, "ONESIGNAL_APP_ID", None) or os.environ.get("ONESIGNAL_APP_ID")
    return value or None


def poll_seconds():
    return int(getattr(settings, "SIKANDA_APP_POLL_SECONDS", DEFAULT_POLL_SECONDS))


def _allow(response, sources):
    update = getattr(response, "_csp_update", None) or {}
    response._csp_update = {
        directive: [*update.get(directive, []), *sources.get(directive, [])]
        for directive in {*update, *sources}
    }
    return response


def asset_names():
    return sorted(p.name for p in ASSETS.iterdir() if p.is_file() and p.name != SERVICE_WORKER)


@cache
def _version():
    digest = hashlib.sha256()
    for name in [*asset_names(), SERVICE_WORKER]:
        digest.update(name.encode() + (ASSETS / name).read_bytes())
    digest.update(json.dumps(documents(), sort_keys=True).encode())
    return digest.hexdigest()[:16]


def version():
    # Recomputed per request in development so an edited asset reaches the phone.
    if settings.DEBUG:
        _version.cache_clear()
    return _version()


def precache_urls():
    return ["/app/", "/app/manifest.webmanifest", "/app/operations.json",
            *(f"/app/assets/{name}" for name in asset_names())]


def _no_cache(response):
    # The service worker decides what is served offline; the browser cache must not.
    response["Cache-Control"] = "no-cache"
    return response


@require_GET
@gzip_page
def shell(request):
    context = {
        "theme_colour": THEME_COLOUR, "version": version(), "tiles": map_tiles(),
        "onesignal_app_id": onesignal_app_id(), "onesignal_sdk": ONESIGNAL_SDK,
        "poll_seconds": poll_seconds(),
        # Every module at once: on 3G each level of imports found one by one costs a round trip.
        "modules": [name for name in asset_names() if name.endswith(".js") and name != "app.js"],
    }
    response = allow_tiles(render(request, "mobile/shell.html", context))
    if context["onesignal_app_id"]:
        # Only then: without push the page names no host but its own (and the tiles').
        _allow(response, ONESIGNAL_CSP)
    # The camera input and GPS fix are this page's whole point; the site-wide policy turns them off.
    policy = {**settings.SIKANDA_PERMISSIONS_POLICY, "camera": ["self"], "geolocation": ["self"]}
    response[PERMISSIONS_POLICY] = ", ".join(
        f"{feature}=({' '.join(origins)})" for feature, origins in policy.items()
    )
    return _no_cache(response)


@require_GET
def manifest(request):
    data = {
        "name": "SIKANDA Mobile",
        "short_name": "SIKANDA",
        "description": _("Laporan kewaspadaan dini Kabupaten Balangan"),
        "lang": "id",
        "start_url": "/app/",
        "scope": "/app/",
        "display": "standalone",
        "orientation": "portrait",
        "background_color": "#ffffff",
        "theme_color": THEME_COLOUR,
        "icons": [
            {"src": f"/app/assets/icon-{size}.png", "sizes": f"{size}x{size}",
             "type": "image/png", "purpose": "any maskable"}
            for size in (192, 512)
        ],
    }
    return _no_cache(JsonResponse(data, content_type="application/manifest+json"))


@require_GET
def service_worker(request):
    head = (f"const VERSION = {json.dumps(version())};\n"
            f"const PRECACHE = {json.dumps(precache_urls())};\n")
    body = (ASSETS / SERVICE_WORKER).read_text(encoding="utf-8")
    response = HttpResponse(head + body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/app/"
    return _no_cache(response)


@require_GET
@gzip_page
def asset(request, name):
    if name not in asset_names():
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if name.endswith(".js"):
        content_type = "text/javascript; charset=utf-8"
    return _no_cache(HttpResponse((ASSETS / name).read_bytes(), content_type=content_type))


@require_GET
@gzip_page
def operations(request):
    return _no_cache(JsonResponse(documents()))


@require_GET
@gzip_page
def vendor(request, name):
    if name not in LEAFLET_FILES:
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if name.endswith(".js"):
        content_type = "text/javascript; charset=utf-8"
    response = HttpResponse((LEAFLET / name).read_bytes(), content_type=content_type)
    # Named by its pinned version (frontend/package.json): it never changes in place.
    response["Cache-Control"] = "public, max-age=604800"
    return response


@require_GET
def push_worker(request):
    """OneSignal's worker, registered by its SDK at its own scope
    (/app/push/) beside the app's module worker, which cannot importScripts."""
    if not onesignal_app_id():
        raise Http404
    body = f"importScripts({json.dumps(ONESIGNAL_WORKER_SDK)});\n"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    return _no_cache(_allow(response, ONESIGNAL_CSP))
