"""The recap aggregates: counts in SQL with a constant number of queries,
change from the previous period, the report list, and late reports."""

import pytest

from cms.recaps import transitions
from cms.recaps.aggregates import aggregates
from cms.recaps.generation import ensure
from cms.recaps.models import RekapKecamatan
from cms.reports.models import Aspek, JenisATHG
from tests import factories

from .conftest import report_in

pytestmark = pytest.mark.django_db


def _by_name(items):
    return {item["nama"]: item for item in items}


def test_counts_by_aspect_type_and_urgency_with_change_from_previous_period(
    yesterday, petugas, verifikator
):
    ancaman = JenisATHG.objects.get(slug="ancaman")
    politik = Aspek.objects.get(slug="politik")
    report_in(yesterday, petugas, verifikator, hour=1)
    report_in(yesterday, petugas, verifikator, hour=23, urgensi="darurat",
              jenis_athg=ancaman, aspek=politik)
    report_in(yesterday.previous(), petugas, verifikator, hour=12)
    # Not verified: never counted.
    from tests.reports.reports_factories import make_report

    make_report(petugas, submit=True, waktu_kejadian=yesterday.start)

    result = aggregates(yesterday)
    assert result["jumlah"] == {"jumlah": 2, "sebelumnya": 1, "perubahan": 1}
    urgency = {item["kode"]: item for item in result["urgensi"]}
    assert urgency["darurat"]["jumlah"] == 1 and urgency["tinggi"] == {
        "kode": "tinggi", "nama": "Tinggi", "jumlah": 1, "sebelumnya": 1, "perubahan": 0
    }
    types = _by_name(result["jenis_athg"])
    assert types["Ancaman"]["jumlah"] == 1 and types["Gangguan"]["perubahan"] == 0
    aspects = _by_name(result["aspek"])
    assert set(aspects) == set(Aspek.objects.values_list("nama", flat=True))
    assert aspects["Politik"]["jumlah"] == 1
    assert _by_name(aspects["Politik"]["per_jenis"])["Ancaman"]["jumlah"] == 1
    assert [row["judul"] for row in aspects["Politik"]["laporan"]] == [
        "Keributan di pasar Paringin"
    ]
    assert [row["urgensi"] for row in result["laporan"]] == ["Tinggi", "Darurat"]
    assert result["laporan"][0]["penilaian"] == "B2"
    assert result["laporan"][0]["waktu"].endswith("01:00 WITA")


def test_scope_is_the_kecamatan(yesterday, petugas, verifikator, verifikator_halong):
    officer_halong = factories.make_user(
        "Petugas", username="petugas.halong", kecamatan=[factories.kecamatan("halong")]
    )
    report_in(yesterday, petugas, verifikator)
    report_in(yesterday, officer_halong, verifikator_halong, kec="halong")
    paringin = factories.kecamatan("paringin")
    assert aggregates(yesterday, kecamatan_id=paringin.pk)["jumlah"]["jumlah"] == 1
    assert aggregates(yesterday)["jumlah"]["jumlah"] == 2


@pytest.mark.parametrize("reports", [1, 12])
def test_constant_number_of_queries(
    django_assert_num_queries, yesterday, petugas, verifikator, reports
):
    for hour in range(reports):
        report_in(yesterday, petugas, verifikator, hour=hour % 24)
        report_in(yesterday.previous(), petugas, verifikator, hour=hour % 24)
    recap = ensure(RekapKecamatan, yesterday, kecamatan=factories.kecamatan("paringin"))[0]
    ensure(RekapKecamatan, yesterday.previous(), kecamatan=factories.kecamatan("paringin"))
    # aspects, ATHG types, grouped counts, report list, previous approval,
    # follow-up of dispositions.
    with django_assert_num_queries(6):
        result = aggregates(yesterday, kecamatan_id=recap.kecamatan_id,
                            recap_model=RekapKecamatan)
    assert len(result["laporan"]) == reports


def _approve(recap, verifier, admin):
    transitions.update(recap, verifier, situasi_umum="Kondusif.")
    transitions.submit(recap, verifier)
    return transitions.decide(recap, admin, "approve")


def test_report_verified_after_approval_is_an_addendum_in_the_next_recap_only(
    yesterday, petugas, verifikator, administrator
):
    from wagtail.models import ModelLogEntry

    from cms.reports import services
    from tests.reports.reports_factories import make_report

    paringin = factories.kecamatan("paringin")
    day_before = yesterday.previous()
    early = ensure(RekapKecamatan, day_before, kecamatan=paringin)[0]
    on_time = report_in(day_before, petugas, verifikator, judul="Tepat waktu")
    pending = make_report(petugas, submit=True, judul="Terlambat",
                          waktu_kejadian=day_before.start.replace(hour=20))
    early = _approve(early, verifikator, administrator)
    assert [r["nomor"] for r in early.isi_beku["laporan"]] == [on_time.nomor]

    # Verified after its own period's recap was approved.
    late = services.act(pending, verifikator, "approve", keandalan_sumber="C",
                        kredibilitas_informasi="3")
    recap = ensure(RekapKecamatan, yesterday, kecamatan=paringin)[0]
    recap = _approve(recap, verifikator, administrator)
    assert [r["nomor"] for r in recap.isi_beku["susulan"]] == [late.nomor]
    assert recap.isi_beku["laporan"] == []
    early.refresh_from_db()
    assert late.nomor not in [r["nomor"] for r in early.isi_beku["laporan"]]
    flagged = ModelLogEntry.objects.get(object_id=str(early.pk), action="sikanda.recap.susulan")
    assert flagged.data == {"laporan": late.nomor, "dimuat_di": recap.nomor}

    # Once shown as an addendum it is not shown again in the recap after.
    following = ensure(RekapKecamatan, yesterday.next(), kecamatan=paringin)[0]
    assert aggregates(following.period, kecamatan_id=paringin.pk,
                      recap_model=RekapKecamatan)["susulan"] == []


@pytest.mark.parametrize("reports", [1, 15])
def test_drafting_a_regency_recap_is_a_constant_number_of_queries(
    django_assert_num_queries, yesterday, petugas, verifikator, pimpinan, reports
):
    """The whole document of a regency recap (aggregates, report list, late
    reports, follow-up section, the kecamatan tier, letterhead and signer),
    whatever the number of reports and dispositions."""
    from cms.followup.models import Instansi
    from cms.recaps import documents
    from cms.recaps.models import RekapKabupaten
    from tests.followup.conftest import issue

    polres = Instansi.objects.get(singkatan="Polres Balangan")
    for hour in range(reports):
        laporan = report_in(yesterday, petugas, verifikator, hour=hour % 24)
        issue(laporan, pimpinan, polres)
        report_in(yesterday.previous(), petugas, verifikator, hour=hour % 24)
    recap = ensure(RekapKabupaten, yesterday)[0]
    ensure(RekapKecamatan, yesterday, kecamatan=factories.kecamatan("paringin"))
    ensure(RekapKabupaten, yesterday.previous())
    # Signer settings, the aggregates (6), the kecamatan recaps of the period
    # and the kecamatan list: the same count for 1 report as for 15.
    with django_assert_num_queries(13):
        doc = documents.build(recap)
    assert len(doc["laporan"]) == reports
    assert doc["tindak_lanjut"]["jumlah"]["diterbitkan"] == reports
