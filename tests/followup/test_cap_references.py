"""The CAP alert of a later report of an incident references the earlier
ones ("sender,identifier,sent", exactly as those alerts were served) and every
message names the incident; a terbatas report of the incident is never named;
an Update or Cancel supersedes only its own report's messages. Each document
is parsed and validated against the OASIS CAP 1.2 schema."""

import pytest

from cms.followup import transitions
from cms.platform.plugins import set_enabled
from tests.plugins.test_cap_alerts import (
    CAP,
    correct,
    fetch_alert,
    next_second,
    original_reference,
    parse_references,
    retract,
    text,
)
from tests.reports.reports_factories import verified_report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def enabled(db):
    set_enabled("cap_alerts", True)


@pytest.fixture
def flood(petugas, verifikator):
    """Three public reports of one flood, published a second apart, and a
    terbatas one in between."""
    first = verified_report(petugas, verifikator, judul="Banjir pasar, laporan pertama")
    next_second()
    restricted = verified_report(petugas, verifikator, judul="Banjir pasar, terbatas",
                                 klasifikasi="terbatas")
    next_second()
    second = verified_report(petugas, verifikator, judul="Banjir pasar, laporan kedua")
    next_second()
    third = verified_report(petugas, verifikator, judul="Banjir pasar, laporan ketiga")
    unrelated = verified_report(petugas, verifikator, judul="Jalan rusak")
    return {"first": first, "restricted": restricted, "second": second, "third": third,
            "unrelated": unrelated}


def incidents(root):
    return text(root, "cap:incidents")


def test_later_alerts_reference_the_earlier_ones_of_the_incident(client, flood, verifikator):
    kejadian = transitions.link(
        verifikator,
        [flood[key].pk for key in ("third", "first", "restricted", "second")],
        judul="Banjir Pasar Paringin",
    )
    served = {key: original_reference(client, flood[key]) for key in ("first", "second", "third")}
    name = f"sikanda-balangan-kejadian-{kejadian.pk}"

    _body, first = fetch_alert(client, flood["first"])
    assert first.find("cap:references", CAP) is None  # nothing came before it
    assert incidents(first) == name

    _body, second = fetch_alert(client, flood["second"])
    assert parse_references(second) == [served["first"]]
    assert incidents(second) == name

    body, third = fetch_alert(client, flood["third"])
    assert parse_references(third) == [served["first"], served["second"]]
    assert incidents(third) == name
    # The terbatas report never had an alert: neither its number nor a reference.
    assert flood["restricted"].nomor.encode() not in body

    _body, unrelated = fetch_alert(client, flood["unrelated"])
    assert unrelated.find("cap:references", CAP) is None
    assert unrelated.find("cap:incidents", CAP) is None


def test_unlinking_drops_the_reference(client, flood, verifikator):
    transitions.link(verifikator, [flood["first"].pk, flood["second"].pk], judul="Banjir")
    assert parse_references(fetch_alert(client, flood["second"])[1]) == [
        original_reference(client, flood["first"])]
    transitions.unlink(verifikator, flood["second"].pk)
    _body, root = fetch_alert(client, flood["second"])
    assert root.find("cap:references", CAP) is None and incidents(root) is None


def test_update_and_cancel_supersede_only_their_own_report(
    client, flood, petugas, verifikator, administrator
):
    kejadian = transitions.link(verifikator, [flood["first"].pk, flood["second"].pk],
                                judul="Banjir")
    own = original_reference(client, flood["second"])
    corrected = correct(client, administrator, verifikator, flood["second"],
                        fakta="Air setinggi lutut, sudah surut sebagian.")
    _body, update = fetch_alert(client, corrected)
    assert text(update, "cap:msgType") == "Update"
    # An Update supersedes what it references: its own Alert, never the sibling's.
    assert parse_references(update) == [own]
    assert incidents(update) == f"sikanda-balangan-kejadian-{kejadian.pk}"

    sibling = original_reference(client, flood["first"])
    retracted = retract(flood["first"], administrator)
    _body, cancel = fetch_alert(client, retracted)
    assert text(cancel, "cap:msgType") == "Cancel"
    assert parse_references(cancel) == [sibling]
    # A retracted alert is no longer referenced by the incident's other alerts
    # (the second's Update never referenced it anyway; a new report does not).
    next_second()
    later = verified_report(petugas, verifikator, judul="Banjir pasar, susulan")
    transitions.link(verifikator, [later.pk], kejadian_pk=kejadian.pk)
    _body, root = fetch_alert(client, later)
    assert parse_references(root) == [own]
