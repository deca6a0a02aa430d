"""The plugin platform: enablement, events, and every extension point,
exercised through the sample plugin in tests/plugins/sample."""

import logging

import pytest

from cms.platform.plugins import (
    get_plugin,
    installed_plugins,
    notification_channels,
    report_exporters,
    set_enabled,
)
from cms.reports import services
from cms.reports.models import Laporan, Status
from tests.plugins.sample import extensions, receivers
from tests.reports.reports_factories import make_report

pytestmark = pytest.mark.django_db

LABEL = "sample_plugin"


@pytest.fixture(autouse=True)
def _reset():
    receivers.RECEIVED.clear()
    receivers.FAIL["on"] = False
    yield
    receivers.FAIL["on"] = False


@pytest.fixture
def enabled():
    set_enabled(LABEL, True)


def run_flow(petugas, verifikator, capture):
    with capture(execute=True):
        laporan = services.submit(make_report(petugas), petugas)
    with capture(execute=True):
        services.act(laporan, verifikator, "reject", comment="Lengkapi.")
    with capture(execute=True):
        services.submit(laporan, petugas)
    with capture(execute=True):
        services.act(
            laporan,
            verifikator,
            "approve",
            comment="Oke.",
            keandalan_sumber="A",
            kredibilitas_informasi="1",
        )
    return Laporan.objects.get(pk=laporan.pk)


def test_installed_plugin_is_listed_with_metadata():
    plugin = get_plugin(LABEL)
    assert plugin in installed_plugins()
    assert plugin.meta.version == "0.0.1" and plugin.meta.compatibility == ">=0.1,<1"


def test_a_new_plugin_is_off_until_an_administrator_enables_it(
    petugas, verifikator, django_capture_on_commit_callbacks
):
    run_flow(petugas, verifikator, django_capture_on_commit_callbacks)
    assert receivers.RECEIVED == []


def test_enabled_plugin_receives_every_event_after_commit(
    enabled, petugas, verifikator, django_capture_on_commit_callbacks
):
    laporan = run_flow(petugas, verifikator, django_capture_on_commit_callbacks)
    names = [name for name, *_ in receivers.RECEIVED]
    assert names == [
        "report.submitted",
        "report.changes_requested",
        "report.submitted",
        "report.verified",
        "report.published",
    ]
    assert receivers.RECEIVED[1] == (
        "report.changes_requested",
        laporan.pk,
        "verifikator.uji",
        "Lengkapi.",
    )
    with django_capture_on_commit_callbacks(execute=True):
        other = services.submit(make_report(petugas), petugas)
        services.withdraw(other, petugas)
    assert receivers.RECEIVED[-1][0] == "report.withdrawn"


def test_events_wait_for_the_commit(enabled, petugas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.submit(make_report(petugas), petugas)
    assert receivers.RECEIVED == [] and callbacks
    for callback in callbacks:
        callback()
    assert [name for name, *_ in receivers.RECEIVED] == ["report.submitted"]


def test_disabled_plugin_gets_no_events(
    enabled, petugas, verifikator, django_capture_on_commit_callbacks
):
    set_enabled(LABEL, False)
    run_flow(petugas, verifikator, django_capture_on_commit_callbacks)
    assert receivers.RECEIVED == []


def test_a_failing_plugin_never_fails_the_report(
    enabled, petugas, verifikator, caplog, django_capture_on_commit_callbacks
):
    receivers.FAIL["on"] = True
    with caplog.at_level(logging.ERROR, logger="sikanda.plugins"):
        laporan = run_flow(petugas, verifikator, django_capture_on_commit_callbacks)
    assert laporan.live and laporan.status == Status.TERVERIFIKASI
    assert "plugin contoh sengaja gagal" in caplog.text and "report.verified" in caplog.text
    # The other receivers still ran.
    assert ("report.published", laporan.pk) in [(n, pk) for n, pk, *_ in receivers.RECEIVED]


def test_graphql_contribution_works_only_while_enabled(api):
    query = "{ samplePing }"
    disabled = api.execute(query)
    assert disabled["errors"][0]["extensions"]["code"] == "PLUGIN_DISABLED"
    assert "Plugin contoh" in disabled["errors"][0]["message"]
    set_enabled(LABEL, True)
    assert api.execute(query) == {"data": {"samplePing": "pong"}}
    echo = api.execute('mutation { sampleEcho(text: "halo") { text } }')
    assert echo == {"data": {"sampleEcho": {"text": "halo"}}}


def test_core_fields_are_not_gated(api):
    assert "errors" not in api.execute("{ kecamatanList { id } }")


def test_plugin_urls_answer_only_while_enabled(client):
    assert client.get("/plugin/sample_plugin/halo/").status_code == 404
    set_enabled(LABEL, True)
    assert client.get("/plugin/sample_plugin/halo/").content == b"halo dari plugin"


def test_admin_menu_item_and_dashboard_panel_only_while_enabled(client, administrator):
    client.force_login(administrator)
    html = client.get("/admin/").content.decode()
    assert "Menu plugin contoh" not in html and "Panel plugin contoh" not in html
    set_enabled(LABEL, True)
    html = client.get("/admin/").content.decode()
    assert "Menu plugin contoh" in html and "Panel plugin contoh" in html


def test_plugin_admin_urls_answer_only_while_enabled(client, administrator):
    client.force_login(administrator)
    assert client.get("/admin/sample-plugin/").status_code == 404
    set_enabled(LABEL, True)
    assert client.get("/admin/sample-plugin/").content == b"admin plugin contoh"


def test_channels_and_exporters_come_from_enabled_plugins(petugas):
    assert not any(c.identifier == "sample-recording" for c in notification_channels())
    set_enabled(LABEL, True)
    channel = next(c for c in notification_channels() if c.identifier == "sample-recording")
    channel.send("kiriman")
    assert extensions.SENT[-1] == "kiriman"
    exporter = next(e for e in report_exporters() if e.identifier == "sample-titles")
    make_report(petugas, judul="Judul untuk ekspor")
    assert exporter.export(Laporan.objects.all()) == b"Judul untuk ekspor"


def test_administrator_switches_plugins_in_the_admin(client, administrator):
    client.force_login(administrator)
    page = client.get("/admin/plugin/")
    assert page.status_code == 200 and "Plugin contoh" in page.content.decode()
    client.post(f"/admin/plugin/{LABEL}/", {"enabled": "1"})
    assert get_plugin(LABEL).enabled
    client.post(f"/admin/plugin/{LABEL}/", {"enabled": "0"})
    assert not get_plugin(LABEL).enabled
    from wagtail.models import ModelLogEntry

    actions = list(ModelLogEntry.objects.values_list("action", flat=True))
    assert "sikanda.plugin.enable" in actions and "sikanda.plugin.disable" in actions


@pytest.mark.parametrize("fixture", ["verifikator", "pimpinan"])
def test_only_administrators_manage_plugins(client, request, fixture):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get("/admin/plugin/").status_code in (302, 403)
    client.post(f"/admin/plugin/{LABEL}/", {"enabled": "1"})
    assert not get_plugin(LABEL).enabled
