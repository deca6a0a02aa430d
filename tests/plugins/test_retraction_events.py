"""Retraction and correction are announced to webhook receivers like every
other report event: an administrator can subscribe an endpoint to them."""

import re

import pytest

from cms.platform.plugins import set_enabled
from cms.recaps import events as recap_events
from cms.reports import events
from plugins.webhooks.models import Endpoint, event_choices
from plugins.webhooks.wagtail_hooks import endpoint_admin

NEW_EVENTS = ("report.retracted", "report.updated")

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def enabled(db):
    set_enabled("webhooks", True)


def test_every_report_event_is_offered_including_retraction_and_correction():
    offered = dict(event_choices())
    assert set(offered) == {event.name for event in (*events.ALL, *recap_events.ALL)}
    for name in NEW_EVENTS:
        assert offered[name].startswith(f"{name} — ")
        assert offered[name].endswith(events.BY_NAME[name].description)


def test_administrator_subscribes_an_endpoint_to_retraction_and_correction(
    client, administrator
):
    client.force_login(administrator)
    form = client.get(endpoint_admin.url_helper.create_url)
    assert form.status_code == 200
    boxes = set(re.findall(r'name="events" value="([^"]+)"', form.content.decode()))
    assert set(NEW_EVENTS) <= boxes

    response = client.post(
        endpoint_admin.url_helper.create_url,
        {
            "nama": "BPBD Balangan",
            # A public address: this machine resolves no public names, and the
            # SSRF guard refuses a name it cannot resolve.
            "url": "https://93.184.216.34/sikanda",
            "events": list(NEW_EVENTS),
            "secret": "rahasia-bersama-yang-cukup-panjang",
            "aktif": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    endpoint = Endpoint.objects.get()
    assert endpoint.events == list(NEW_EVENTS)
    assert endpoint.subscribes_to("report.retracted")
    assert not endpoint.subscribes_to("report.published")


def test_an_unknown_event_is_refused_and_nothing_is_saved(client, administrator):
    client.force_login(administrator)
    response = client.post(
        endpoint_admin.url_helper.create_url,
        {
            "nama": "Salah ketik",
            "url": "https://contoh.example.org/hook",
            "events": ["report.retracted", "report.deleted"],
            "secret": "rahasia-bersama-yang-cukup-panjang",
            "aktif": "on",
        },
    )
    assert response.status_code == 200
    assert "report.deleted" in response.context["form"].errors["events"][0]
    assert not Endpoint.objects.exists()
