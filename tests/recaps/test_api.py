"""The recap API (`recaps`, `recap(id)`) through the contract's documents:
who reads what, refusals indistinguishable from a missing id, download
links that refuse whoever the policy refuses, cursor paging across both
tiers, filters, and a constant number of queries per page."""

import datetime

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from cms.accounts import roles
from cms.api.schema import schema
from cms.platform.plugins import set_enabled
from cms.recaps.generation import ensure
from cms.recaps.models import RekapKabupaten, RekapKecamatan
from cms.recaps.periods import Period
from cms.reports.models import Kecamatan
from tests import factories
from tests.factories import PASSWORD

from .builders import signed_regency_recap

pytestmark = pytest.mark.django_db

OPERATIONS = {"Recaps", "Recap"}


@pytest.fixture
def signed(db, django_capture_on_commit_callbacks):
    set_enabled("export_xlsx", True)
    set_enabled("export_docx", True)
    with django_capture_on_commit_callbacks(execute=True):
        recap, _reports = signed_regency_recap()
    kecamatan = RekapKecamatan.objects.get(periode=recap.periode,
                                           periode_mulai=recap.periode_mulai,
                                           kecamatan__slug="paringin")
    # A draft of another kecamatan in the same period.
    draft = ensure(RekapKecamatan, recap.period, kecamatan=factories.kecamatan("halong"))[0]
    return {"kabupaten": recap, "kecamatan": kecamatan, "draft": draft}


def _ids(data):
    return [node["id"] for node in data["recaps"]["nodes"]]


def _login(api, user):
    api.token = None
    if user is not None:
        api.login(user.username, PASSWORD)


def test_pimpinan_reads_the_signed_recap_with_counts_signer_and_stored_downloads(
    api, signed, pimpinan, client
):
    _login(api, pimpinan)
    result = api.op("Recaps", {"withTotal": True})
    assert "errors" not in result, result
    kabupaten, kecamatan = signed["kabupaten"], signed["kecamatan"]
    # The draft is not the leadership's to read.
    assert _ids(result["data"]) == [f"kabupaten-{kabupaten.pk}", f"kecamatan-{kecamatan.pk}"]
    assert result["data"]["recaps"]["totalCount"] == 2

    node = api.op("Recap", {"id": f"kabupaten-{kabupaten.pk}"})["data"]["recap"]
    assert node["tier"] == "KABUPATEN" and node["status"] == "DITANDATANGANI"
    assert node["number"] == kabupaten.nomor and node["checksum"] == kabupaten.checksum
    assert node["period"] == {
        "cadence": "HARIAN", "start": kabupaten.period.start_date.isoformat(),
        "end": kabupaten.period.last_date.isoformat(), "label": kabupaten.period.label,
    }
    assert node["kecamatan"] is None
    assert node["narrative"]["situasiUmum"].startswith("Situasi Kabupaten Balangan")
    assert node["counts"]["total"] == {"name": "Jumlah", "count": 5, "previous": 0, "change": 5}
    assert sum(item["count"] for item in node["counts"]["byAspect"]) == 5
    assert node["signer"]["name"] == "Drs. H. Ahmad Fauzi, M.Si"
    assert node["signer"]["nip"] == "19700101 199003 1 005"
    downloads = {item["format"]: item for item in node["downloads"]}
    assert set(downloads) == {"docx", "xlsx"}
    stored = {row.format: row for row in kabupaten.berkas.all()}
    for fmt, item in downloads.items():
        assert item["stored"] is True and item["checksum"] == stored[fmt].checksum
        assert item["url"] == f"http://testserver/rekap/kabupaten/{kabupaten.pk}/unduh/{fmt}/"
        # The link answers the app's bearer token with the stored file.
        response = client.get(item["url"], headers={"authorization": f"Bearer {api.token}"})
        assert response.status_code == 200
        assert response["X-Checksum-SHA256"] == stored[fmt].checksum

    paringin = api.op("Recap", {"id": f"kecamatan-{kecamatan.pk}"})["data"]["recap"]
    assert paringin["kecamatan"]["slug"] == "paringin" and paringin["signer"] is None


def test_administrator_reads_every_recap_and_the_kecamatan_verifier_their_own(
    api, signed, administrator, verifikator
):
    _login(api, administrator)
    every = _ids(api.op("Recaps")["data"])
    assert len(every) == 3 and f"kecamatan-{signed['draft'].pk}" in every
    draft = api.op("Recap", {"id": f"kecamatan-{signed['draft'].pk}"})["data"]["recap"]
    assert draft["status"] == "DRAF" and draft["number"] is None and draft["counts"] is None
    assert {item["stored"] for item in draft["downloads"]} == {False}

    # verifikator.uji verifies Paringin: its recaps only, never the regency's.
    _login(api, verifikator)
    assert _ids(api.op("Recaps")["data"]) == [f"kecamatan-{signed['kecamatan'].pk}"]
    assert api.op("Recap", {"id": f"kabupaten-{signed['kabupaten'].pk}"})["data"] == {
        "recap": None
    }


@pytest.fixture
def refused(db, petugas, pengguna, verifikator_halong):
    from tests.followup.conftest import agency, make_member

    instansi = make_member(agency("Polres Balangan"), username="anggota.polres")
    officer_elsewhere = factories.make_user(
        roles.PETUGAS, username="petugas.halong", kecamatan=[factories.kecamatan("halong")]
    )
    return {
        "petugas (own kecamatan)": petugas,
        "petugas (other kecamatan)": officer_elsewhere,
        "pengguna": pengguna,
        "instansi": instansi,
        "verifikator (other kecamatan)": verifikator_halong,
        "anonymous": None,
    }


def test_everyone_else_is_refused_exactly_like_a_missing_id(api, signed, refused, client):
    kabupaten, kecamatan = signed["kabupaten"], signed["kecamatan"]
    # Halong's verifier reads Halong's draft, which is not one of these.
    targets = [f"kabupaten-{kabupaten.pk}", f"kecamatan-{kecamatan.pk}"]
    missing = ["kabupaten-999999", "kecamatan-999999", "kabupaten-x", "rekap-1", "", "1"]
    links = [f"/rekap/kabupaten/{kabupaten.pk}/unduh/{fmt}/" for fmt in ("pdf", "docx", "xlsx")]
    links += [f"/rekap/kecamatan/{kecamatan.pk}/unduh/{fmt}/" for fmt in ("pdf", "docx", "xlsx")]
    for who, user in refused.items():
        _login(api, user)
        data = api.op("Recaps", {"withTotal": True})["data"]["recaps"]
        expected = [f"kecamatan-{signed['draft'].pk}"] if who.startswith("verifikator") else []
        assert [node["id"] for node in data["nodes"]] == expected, who
        for recap_id in targets + missing:
            result = api.op("Recap", {"id": recap_id})
            assert result == {"data": {"recap": None}}, (who, recap_id, result)
        headers = {"authorization": f"Bearer {api.token}"} if api.token else {}
        for link in links:
            assert client.get(link, headers=headers).status_code == 404, (who, link)
        if user is not None:
            # Signed in to the web site instead of the app: the same answer.
            client.force_login(user)
            for link in links:
                assert client.get(link).status_code == 404, (who, link)
            client.logout()


def _many_recaps(days):
    """`days` daily periods of recaps (8 kecamatan + the regency each)."""
    start = Period.containing("harian", datetime.datetime(2026, 10, 1, 12, tzinfo=datetime.UTC))
    period = start
    for _day in range(days):
        for kecamatan in Kecamatan.objects.all():
            ensure(RekapKecamatan, period, kecamatan=kecamatan)
        ensure(RekapKabupaten, period)
        period = period.next()


def test_cursor_pages_through_both_tiers_without_gaps_or_repeats(api, administrator):
    _many_recaps(3)
    _login(api, administrator)
    everything = _ids(api.op("Recaps", {"first": 50})["data"])
    assert len(everything) == 27
    # Newest period first, the regency recap first in each period.
    assert everything[0].startswith("kabupaten-") and everything[9].startswith("kabupaten-")
    seen, after = [], None
    while True:
        page = api.op("Recaps", {"first": 4, "after": after})["data"]["recaps"]
        seen += [node["id"] for node in page["nodes"]]
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == everything

    kabupaten = api.op("Recaps", {"tier": "KABUPATEN", "first": 2})["data"]["recaps"]
    assert len(kabupaten["nodes"]) == 2 and kabupaten["pageInfo"]["hasNextPage"]
    rest = api.op("Recaps", {"tier": "KABUPATEN", "after": kabupaten["pageInfo"]["endCursor"]})
    assert len(rest["data"]["recaps"]["nodes"]) == 1
    halong = _ids(api.op("Recaps", {"kecamatan": "halong"})["data"])
    assert len(halong) == 3 and all(i.startswith("kecamatan-") for i in halong)
    assert _ids(api.op("Recaps", {"periode": "BULANAN"})["data"]) == []
    assert len(_ids(api.op("Recaps", {"status": "DRAF", "first": 50})["data"])) == 27
    assert _ids(api.op("Recaps", {"status": "DITANDATANGANI"})["data"]) == []

    bad = api.op("Recaps", {"after": "bm90LWEtY3Vyc29y"})
    assert bad["data"] is None and bad["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


QUERY = """
query { recaps(first: 20) { totalCount pageInfo { hasNextPage endCursor } nodes {
  id tier number title status period { cadence start end label } kecamatan { id nama }
  narrative { situasiUmum } counts { total { count } byAspect { name count } }
  checksum signer { name signedAt } downloads { format url stored checksum size }
} } }
"""


def _queries(user):
    request = RequestFactory().post("/graphql/")
    request.user = user
    with CaptureQueriesContext(connection) as queries:
        result = schema.execute(QUERY, context_value=request)
    assert result.errors is None, result.errors
    return len(queries), len(result.data["recaps"]["nodes"])


@pytest.mark.parametrize("days", [1, 3])
def test_a_page_of_recaps_costs_a_constant_number_of_queries(
    days, administrator, django_capture_on_commit_callbacks
):
    set_enabled("export_xlsx", True)
    with django_capture_on_commit_callbacks(execute=True):
        signed_regency_recap()  # approved and signed ones, with stored files
    _many_recaps(days)
    count, nodes = _queries(administrator)
    assert nodes == min(20, 2 + 9 * days)
    # Role checks (administrator), the enabled exporters, one page query and
    # one stored-files query per tier, the count of each tier.
    assert count == 8


def test_the_regency_tier_of_one_kecamatan_is_an_empty_list_not_an_error(
    api, signed, administrator
):
    """Found by the fuzzer: `tier: KABUPATEN` with a kecamatan filter has no
    tier left to list; it answered with a server error."""
    _login(api, administrator)
    result = api.op("Recaps", {"tier": "KABUPATEN", "kecamatan": "paringin"})
    assert "errors" not in result
    assert result["data"]["recaps"]["nodes"] == []
    assert result["data"]["recaps"]["pageInfo"]["hasNextPage"] is False
