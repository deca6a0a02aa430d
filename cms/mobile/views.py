"""SIKANDA Mobile: the shell page, its manifest, service worker, assets and
the contract's operation documents, all under /app/ so the service worker's
scope covers every file the app needs offline.

Assets are served from cms/mobile/assets/ rather than /static/: the modules
import each other by relative name, which hashed static file names would
break, and the service worker versions the cache by their content anyway."""

import hashlib
import json
import mimetypes
from functools import cache
from pathlib import Path

from django.conf import settings
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from cms.mobile.operations import documents
from cms.security.headers import PERMISSIONS_POLICY

ASSETS = Path(__file__).parent / "assets"
SERVICE_WORKER = "sw.js"
THEME_COLOUR = "#0b5d3b"


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
def shell(request):
    context = {"theme_colour": THEME_COLOUR, "version": version()}
    response = render(request, "mobile/shell.html", context)
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
def asset(request, name):
    if name not in asset_names():
        raise Http404
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    if name.endswith(".js"):
        content_type = "text/javascript; charset=utf-8"
    return _no_cache(HttpResponse((ASSETS / name).read_bytes(), content_type=content_type))


@require_GET
def operations(request):
    return _no_cache(JsonResponse(documents()))
