"""The follow-up on the report's page in the admin (inspect view): the
leadership reads every disposition, the agencies addressed, each agency's
steps with notes and attachments, overdue ones highlighted, and the report's
incident; in the same number of queries however much there is. Who must not
read it does not: the kecamatan's verifier (the follow-up belongs to the
leadership and the agencies), a verifier of another kecamatan (404), an
agency member (no admin; the panel itself gives them only their agency's
part)."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from cms.accounts import roles
from cms.followup import transitions
from cms.followup.models import Disposisi
from cms.followup.panels import ReportFollowUpPanel
from tests import factories
from tests.reports.reports_factories import photo, verified_report

from .conftest import agency, issue, make_member

pytestmark = pytest.mark.django_db


def inspect_url(laporan):
    return reverse("wagtailsnippets_reports_laporan:inspect", args=[laporan.pk])


def panel_html(page):
    """The follow-up section of the inspect page (empty when there is none)."""
    html = page.content.decode()
    found = re.search(r'<section[^>]*id="tindak-lanjut".*?</section>', html, re.S)
    return found.group(0) if found else ""


def follow_up_world(laporan, pimpinan, polres, bpbd, anggota_polres, anggota_bpbd,
                    rounds=1, steps=1):
    """`rounds` dispositions to Polres and BPBD, each agency with `steps`
    steps carrying a photo; the first disposition overdue."""
    made = []
    for n in range(rounds):
        disposisi = issue(laporan, pimpinan, polres, bpbd, instruksi=f"Instruksi nomor {n}.")
        for tl in disposisi.tindak_lanjut.select_related("instansi"):
            member = anggota_polres if tl.instansi_id == polres.pk else anggota_bpbd
            statuses = ["diterima"] + ["ditangani"] * (steps - 1)
            for k, status in enumerate(statuses):
                transitions.record_step(
                    tl.pk, member, status=status,
                    catatan=f"Catatan {tl.instansi.singkatan} {n}.{k}",
                    uploads=[photo(f"langkah-{n}-{k}.jpg")],
                )
        made.append(disposisi)
    Disposisi.objects.filter(pk=made[0].pk).update(
        batas_waktu=timezone.now() - datetime.timedelta(hours=3)
    )
    return made


def test_leadership_reads_the_whole_follow_up(client, laporan, pimpinan, administrator, polres,
                                              bpbd, anggota_polres, anggota_bpbd, verifikator,
                                              petugas):
    (disposisi,) = follow_up_world(laporan, pimpinan, polres, bpbd, anggota_polres,
                                   anggota_bpbd)
    other = verified_report(petugas, verifikator, judul="Air naik di pasar",
                            klasifikasi="terbatas")
    kejadian = transitions.link(verifikator, [laporan.pk, other.pk], judul="Banjir Paringin")
    withdrawn = issue(laporan, pimpinan, bpbd, instruksi="Instruksi yang dicabut.")
    transitions.withdraw(withdrawn.pk, pimpinan, "Salah alamat.")

    for user in (pimpinan, administrator):
        client.force_login(user)
        page = client.get(inspect_url(laporan))
        assert page.status_code == 200
        html = panel_html(page)
        for text in ("Instruksi nomor 0.", "Kepolisian Resor Balangan",
                     "Catatan Polres Balangan 0.0", "Catatan BPBD Balangan 0.0",
                     "Instruksi yang dicabut.", "Dicabut", "Salah alamat.",
                     reverse("followup_admin:timeline", args=[laporan.pk])):
            assert text in html, text
        step = disposisi.tindak_lanjut.get(instansi=polres).langkah.get()
        assert reverse("followup:lampiran", args=[step.lampiran.get().pk]) in html
        # Both agencies of the overdue disposition are marked, the withdrawn one is not.
        assert html.count('data-terlambat="1"') == 2 and "Terlambat" in html
        assert "2 terlambat" in html
        incident = page.content.decode()
        assert "Banjir Paringin" in incident and other.nomor in incident
        assert kejadian.judul in incident


def test_the_panel_reads_in_a_constant_number_of_queries(
    client, laporan, pimpinan, polres, bpbd, anggota_polres, anggota_bpbd, petugas, verifikator,
    django_assert_num_queries,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    follow_up_world(laporan, pimpinan, polres, bpbd, anggota_polres, anggota_bpbd)
    client.force_login(pimpinan)
    client.get(inspect_url(laporan))  # warm the session and the caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(inspect_url(laporan)).status_code == 200
    # Counted now: the captured list is a view of the log the next request resets.
    count = len(few.captured_queries)
    assert count > 0

    busy = verified_report(petugas, verifikator, judul="Laporan ramai", klasifikasi="terbatas")
    follow_up_world(busy, pimpinan, polres, bpbd, anggota_polres, anggota_bpbd, rounds=3,
                    steps=3)
    client.get(inspect_url(busy))
    # 3 dispositions × 2 agencies × 3 steps, each with a photo: the same count.
    with django_assert_num_queries(count):
        page = client.get(inspect_url(busy))
    html = panel_html(page)
    assert html.count("data-disposisi=") == 3 and html.count("data-tindak-lanjut=") == 6
    assert html.count(reverse("followup:lampiran", args=[0])[:-2]) == 18


def test_who_may_not_read_it(client, laporan, pimpinan, polres, bpbd, anggota_polres,
                            anggota_bpbd, verifikator, petugas):
    follow_up_world(laporan, pimpinan, polres, bpbd, anggota_polres, anggota_bpbd)
    # The kecamatan's verifier reads the report and its incident part, not
    # the leadership's orders.
    client.force_login(verifikator)
    page = client.get(inspect_url(laporan))
    assert page.status_code == 200
    assert panel_html(page) == ""
    assert "Instruksi nomor 0." not in page.content.decode()
    assert "Catatan Polres" not in page.content.decode()
    assert 'id="kejadian"' in page.content.decode()  # they may link it
    # A verifier of another kecamatan: the report does not exist for them.
    halong = factories.make_user(roles.VERIFIKATOR, "verif.halong",
                                 kecamatan=[factories.kecamatan("halong")])
    client.force_login(halong)
    assert client.get(inspect_url(laporan)).status_code == 404
    # The officer who wrote it and agency members never reach the admin.
    for user in (petugas, anggota_polres):
        client.force_login(user)
        response = client.get(inspect_url(laporan))
        assert response.status_code == 302, user
        assert "Instruksi nomor 0." not in response.content.decode()


def test_an_agency_member_gets_only_their_agency_s_part(laporan, pimpinan, polres, bpbd,
                                                       anggota_polres, anggota_bpbd):
    (shared,) = follow_up_world(laporan, pimpinan, polres, bpbd, anggota_polres, anggota_bpbd)
    only_bpbd = issue(laporan, pimpinan, bpbd, instruksi="Hanya untuk BPBD.")
    withdrawn = issue(laporan, pimpinan, polres, instruksi="Dicabut untuk Polres.")
    transitions.withdraw(withdrawn.pk, pimpinan, "Batal.")
    member = type(anggota_polres).objects.get(pk=anggota_polres.pk)

    context = ReportFollowUpPanel(member, laporan).get_context_data()
    assert context["scope"] == transitions.OWN_FOLLOW_UPS
    assert [d.pk for d in context["dispositions"]] == [shared.pk]
    assert [tl.instansi_id for tl in context["dispositions"][0].tindak_lanjut.all()] == [
        polres.pk]
    assert context["timeline_url"] is None and context["incident_url"] is None
    html = ReportFollowUpPanel(member, laporan).render_html()
    assert "Catatan Polres Balangan 0.0" in html
    assert "Catatan BPBD" not in html and "Hanya untuk BPBD." not in html
    assert "Dicabut untuk Polres." not in html
    assert only_bpbd.pk not in [d.pk for d in context["dispositions"]]

    # An agency the report was never forwarded to: nothing at all.
    outsider = make_member(agency("Dinsos Balangan"), "anggota.dinsos")
    assert ReportFollowUpPanel(outsider, laporan).get_context_data()["scope"] is None
    assert ReportFollowUpPanel(outsider, laporan).render_html().strip() == ""
    # The leadership's scope is everything, withdrawn ones too.
    everything = ReportFollowUpPanel(pimpinan, laporan).get_context_data()
    assert {d.pk for d in everything["dispositions"]} == {shared.pk, only_bpbd.pk, withdrawn.pk}
