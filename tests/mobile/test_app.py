"""SIKANDA Mobile's server side: the shell under the CSP, the manifest, the
service worker, the contract's operation documents and the rule that the app
sends nothing else."""

import gzip
import io
import json
import re
from pathlib import Path

import pytest
from graphql import parse
from PIL import Image, ImageChops

from cms.mobile import icons
from cms.mobile.views import ASSETS
from cms.platform.api.errors import TransportCode

ROOT = Path(__file__).resolve().parents[2]
OPERATIONS = ROOT / "graphql" / "operations"
JS_BUDGET = 150 * 1024
# A 404 renders the site's page, which reads the Wagtail site.
pytestmark = pytest.mark.django_db


def contract_operation_names():
    names = set()
    for path in OPERATIONS.glob("*.graphql"):
        names.update(re.findall(r"^(?:query|mutation)\s+(\w+)", path.read_text(), re.MULTILINE))
    return names


def app_scripts():
    return {p.name: p.read_text(encoding="utf-8") for p in ASSETS.glob("*.js")}


def test_shell_has_no_inline_script_and_allows_camera_and_location(client):
    response = client.get("/app/")
    assert response.status_code == 200
    html = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>", html)
    assert scripts and all("src=" in attrs for attrs in scripts)
    assert 'rel="manifest" href="/app/manifest.webmanifest"' in html
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "connect-src 'self'" in csp and "worker-src 'self'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    policy = response["Permissions-Policy"]
    assert "geolocation=(self)" in policy and "camera=(self)" in policy
    assert "microphone=()" in policy


def test_other_pages_keep_camera_and_location_off(client):
    policy = client.get("/app/manifest.webmanifest")["Permissions-Policy"]
    assert "geolocation=()" in policy and "camera=()" in policy


def test_manifest(client):
    response = client.get("/app/manifest.webmanifest")
    assert response["Content-Type"] == "application/manifest+json"
    manifest = json.loads(response.content)
    assert manifest["start_url"] == "/app/" and manifest["display"] == "standalone"
    assert manifest["name"] and manifest["theme_color"].startswith("#")
    for icon in manifest["icons"]:
        png = client.get(icon["src"])
        assert png.status_code == 200 and png["Content-Type"] == "image/png"
        image = Image.open(io.BytesIO(png.content))
        assert f"{image.width}x{image.height}" == icon["sizes"]


def test_icons_are_the_committed_drawing():
    for size in icons.SIZES:
        committed = Image.open(icons.path_for(size)).convert("RGB")
        assert ImageChops.difference(committed, icons.draw(size)).getbbox() is None, (
            "run `.venv/bin/python -m cms.mobile.icons` and commit the icons")


def test_service_worker_precaches_what_the_shell_loads(client):
    response = client.get("/app/sw.js")
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/app/"
    body = response.content.decode()
    precache = json.loads(re.search(r"const PRECACHE = (\[.*\]);", body).group(1))
    for url in precache:
        assert client.get(url).status_code == 200, url
    shell = client.get("/app/").content.decode()
    for url in re.findall(r'(?:src|href)="(/app/[^"]+)"', shell):
        assert url in precache


def test_unknown_asset_is_404(client):
    assert client.get("/app/assets/..%2Fviews.py").status_code == 404
    assert client.get("/app/assets/nope.js").status_code == 404


def test_operations_are_the_contract_files_with_fragments(client):
    docs = client.get("/app/operations.json").json()
    assert set(docs) == contract_operation_names()
    for name, text in docs.items():
        document = parse(text)  # a complete document: fragments included
        operations = [d for d in document.definitions if d.kind == "operation_definition"]
        assert [o.name.value for o in operations] == [name]
    assert "fragment ReportFields on Report" in docs["SubmitReport"]


def test_app_sends_only_contract_operations():
    used = set()
    for name, source in app_scripts().items():
        # op() and, for the token refresh inside api.js, send().
        used.update(re.findall(r'\b(?:op|send)\(\s*"(\w+)"', source))
        # No document of its own: every GraphQL text comes from operations.json.
        assert not re.search(r"\b(query|mutation)\s+\w*\s*[({]", source), name
    unknown = used - contract_operation_names()
    assert not unknown, f"operations not in graphql/operations/: {sorted(unknown)}"
    for needed in ("Login", "RefreshToken", "SubmitReport", "Reports", "UpdateReport",
                   "ResubmitReport", "WithdrawReport", "Register", "SetSubscriptions",
                   "Subscriptions", "Notifications", "MarkNotificationsRead", "News", "Facilities",
                   "MyCompliance", "FileNihilReport", "Recaps", "Recap"):
        assert needed in used


def test_every_error_code_has_an_indonesian_message():
    schema = (ROOT / "graphql" / "schema.graphql").read_text()
    enum = re.search(r"enum ErrorCode \{(.*?)\}", schema, re.DOTALL).group(1)
    enum = re.sub(r'"""(.*?)"""', "", enum, flags=re.DOTALL)
    codes = set(re.findall(r"^\s+([A-Z_]+)\s*$", enum, re.MULTILINE))
    codes |= {code.value for code in TransportCode}
    source = app_scripts()["errors.js"]
    mapped = set(re.findall(r"^\s+([A-Z_]+):\s*\"", source, re.MULTILINE))
    assert codes and not codes - mapped, f"no message for {sorted(codes - mapped)}"


def test_every_error_message_has_an_english_translation():
    scripts = app_scripts()
    messages = re.findall(r'^\s+[A-Z_]+:\s*"([^"]+)"', scripts["errors.js"], re.MULTILINE)
    english = scripts["i18n.js"]
    missing = [m for m in messages if f"{json.dumps(m, ensure_ascii=False)}:" not in english]
    assert messages and not missing, f"no English for {missing}"


def test_first_load_javascript_budget(capsys):
    size = sum(len(gzip.compress(source.encode(), 9)) for name, source in app_scripts().items()
               if name != "sw.js")
    with capsys.disabled():
        print(f"\nSIKANDA Mobile first-load JS: {size} bytes gzip (budget {JS_BUDGET})")
    assert size <= JS_BUDGET


@pytest.mark.parametrize("path", ["/app/tulis/", "/app/antrean/"])
def test_deep_links_get_the_shell(client, path):
    assert b'id="view"' in client.get(path).content


def test_site_call_to_action_leads_to_the_app(client):
    html = client.get("/").content.decode()
    assert re.search(r'href="/app/"[^>]*>\s*Sampaikan laporan', html)


def test_officer_refused_at_the_admin_is_pointed_to_the_app(client, petugas):
    from tests.factories import PASSWORD

    response = client.post("/admin/login/", {"username": "petugas.uji", "password": PASSWORD},
                           follow=True)
    html = response.content.decode()
    assert 'href="/app/"' in html
    assert not response.wsgi_request.user.has_perm("wagtailadmin.access_admin")


def test_leaflet_is_served_inside_the_app_for_offline_maps(client):
    for name in ("leaflet.js", "leaflet.css", "images/marker-icon.png"):
        assert client.get(f"/app/vendor/leaflet/{name}").status_code == 200, name
    assert client.get("/app/vendor/leaflet/LICENSE").status_code == 404
    assert client.get("/app/vendor/leaflet/../views.py").status_code == 404


def test_tile_url_comes_from_the_setting_and_only_its_host_is_allowed(client, settings):
    settings.SIKANDA_MAP_TILES = {"URL": "https://{s}.peta.example.id/{z}/{x}/{y}.png",
                                  "ATTRIBUTION": "Peta Balangan"}
    response = client.get("/app/")
    html = response.content.decode()
    assert 'data-tiles="https://{s}.peta.example.id/{z}/{x}/{y}.png"' in html
    assert 'data-tiles-attribution="Peta Balangan"' in html
    img_src = directive(response, "img-src")
    assert "https://*.peta.example.id" in img_src


def directive(response, name):
    for part in response["Content-Security-Policy"].split(";"):
        words = part.split()
        if words and words[0] == name:
            return words[1:]
    return []


def test_without_onesignal_the_app_polls_and_names_no_push_host(client, settings, monkeypatch):
    settings.ONESIGNAL_APP_ID = ""
    monkeypatch.delenv("ONESIGNAL_APP_ID", raising=False)
    response = client.get("/app/")
    html = response.content.decode()
    assert "onesignal" not in html.lower()
    assert 'data-poll-seconds="60"' in html
    assert "onesignal" not in response["Content-Security-Policy"]
    assert client.get("/app/push/OneSignalSDKWorker.js").status_code == 404


def test_with_onesignal_the_shell_loads_the_sdk_and_the_csp_allows_it(client, settings):
    settings.ONESIGNAL_APP_ID = "app-uji-123"
    response = client.get("/app/")
    html = response.content.decode()
    assert ('<script src="https://cdn.onesignal.com/sdks/web/v16/OneSignalSDK.page.js" defer>'
            in html)
    assert 'data-onesignal-app-id="app-uji-123"' in html
    assert "https://cdn.onesignal.com" in directive(response, "script-src")
    assert "https://api.onesignal.com" in directive(response, "connect-src")
    assert "'unsafe-inline'" not in directive(response, "script-src")
    worker = client.get("/app/push/OneSignalSDKWorker.js")
    assert worker.status_code == 200
    assert worker.content.decode() == (
        'importScripts("https://cdn.onesignal.com/sdks/web/v16/OneSignalSDK.sw.js");\n')
    assert "https://cdn.onesignal.com" in directive(worker, "script-src")
    # Other pages keep the strict policy.
    assert "onesignal" not in client.get("/app/manifest.webmanifest")["Content-Security-Policy"]
