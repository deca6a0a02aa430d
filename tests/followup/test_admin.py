"""The round trip through the admin: the leadership issues a disposition on the
report's follow-up page, Kesbangpol records the agency's steps reported by
phone, the timeline shows them (overdue highlighted), withdrawal takes the
report from the agency; the agencies are kept in Data induk."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry

from cms.followup import transitions
from cms.followup.models import Disposisi, Instansi, TindakLanjut
from cms.notifications.models import Notifikasi
from cms.reports.permissions import laporan_policy
from tests import factories
from tests.reports.reports_factories import photo

from .conftest import due

pytestmark = pytest.mark.django_db


def url(name, laporan):
    return reverse(f"followup_admin:{name}", args=[laporan.pk])


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def test_round_trip_through_the_admin(client, laporan, pimpinan, administrator, polres,
                                      anggota_polres):
    client.force_login(pimpinan)
    page = client.get(url("timeline", laporan))
    assert page.status_code == 200
    assert "Belum ada disposisi" in page.content.decode()
    deadline = timezone.localtime(due(24))
    response = client.post(url("issue", laporan), {
        "disposisi-instruksi": "Turunkan personel ke lokasi.",
        "disposisi-instansi": [polres.pk],
        "disposisi-prioritas": "sangat_segera",
        "disposisi-batas_waktu": deadline.strftime("%Y-%m-%d %H:%M"),
    }, follow=True)
    assert "Disposisi dikirim kepada 1 instansi." in messages_of(response)
    disposisi = Disposisi.objects.get()
    assert disposisi.dibuat_oleh == pimpinan and disposisi.prioritas == "sangat_segera"
    assert laporan_policy.user_can_view(anggota_polres, laporan)
    assert Notifikasi.objects.filter(penerima=anggota_polres,
                                     peristiwa="disposition.created").exists()

    client.force_login(administrator)
    tl = TindakLanjut.objects.get()
    for status, note in (("diterima", "Diterima lewat telepon."),
                         ("ditangani", "Patroli di lokasi."), ("selesai", "Situasi kondusif.")):
        data = {"tindak_lanjut": tl.pk, "status": status, "catatan": note}
        if status == "ditangani":
            data["lampiran"] = photo("patroli.jpg")
        response = client.post(url("step", laporan), data, follow=True)
        assert "Langkah tindak lanjut dicatat." in messages_of(response), messages_of(response)
    tl.refresh_from_db()
    assert tl.status == "selesai" and tl.langkah.count() == 3
    assert tl.langkah.get(status="ditangani").lampiran.count() == 1
    # The issuer hears of each step recorded on the agency's behalf.
    assert Notifikasi.objects.filter(penerima=pimpinan, peristiwa="followup.updated").count() == 3
    logged = list(
        ModelLogEntry.objects.for_instance(laporan).filter(action__startswith="sikanda.")
        .values_list("action", flat=True).order_by("timestamp", "pk")
    )
    assert logged == [transitions.ISSUE_ACTION] + [transitions.STEP_ACTION] * 3
    # The report's history in the admin shows them in words.
    history = client.get(f"/admin/snippets/reports/laporan/history/{laporan.pk}/")
    assert "Disposisi kepada Kepolisian Resor Balangan" in history.content.decode()

    client.force_login(pimpinan)
    page = client.get(url("timeline", laporan)).content.decode()
    for text in ("Turunkan personel ke lokasi.", "Diterima lewat telepon.", "Situasi kondusif.",
                 reverse("followup:lampiran", args=[tl.langkah.get(status="ditangani")
                                                    .lampiran.get().pk])):
        assert text in page
    response = client.post(url("withdraw", laporan),
                           {"disposisi": disposisi.pk, "alasan": "Dialihkan ke rapat Forkopimda."},
                           follow=True)
    assert "Disposisi dicabut; instansi tujuan tidak lagi melihat laporan ini." in \
        messages_of(response)
    member = type(anggota_polres).objects.get(pk=anggota_polres.pk)
    assert not laporan_policy.user_can_view(member, laporan)
    assert "Dicabut" in client.get(url("timeline", laporan)).content.decode()


def test_overdue_follow_ups_are_highlighted_and_counted(client, laporan, pimpinan, polres):
    disposisi = transitions.issue(laporan.pk, pimpinan, instruksi="Segera.",
                                  instansi_ids=[polres.pk], batas_waktu=due(1))
    Disposisi.objects.filter(pk=disposisi.pk).update(
        batas_waktu=timezone.now() - datetime.timedelta(hours=2)
    )
    client.force_login(pimpinan)
    assert "Terlambat" in client.get(url("timeline", laporan)).content.decode()
    dashboard = client.get("/admin/").content.decode()
    assert "Tindak lanjut disposisi" in dashboard
    assert "Terbuka: 1 · Terlambat: 1" in dashboard


def test_who_may_use_the_follow_up_pages(client, laporan, verifikator, petugas, polres,
                                         pimpinan):
    # The kecamatan's verifier sees the report, but the timeline belongs to
    # the leadership: refused, and nothing can be issued.
    client.force_login(verifikator)
    refused = client.get(url("timeline", laporan))
    assert refused.status_code == 302 and refused["Location"] == "/admin/"
    response = client.post(url("issue", laporan), {
        "disposisi-instruksi": "X", "disposisi-instansi": [polres.pk],
        "disposisi-prioritas": "biasa",
        "disposisi-batas_waktu": timezone.localtime(due()).strftime("%Y-%m-%d %H:%M"),
    }, follow=True)
    assert "Hanya Pimpinan atau Administrator" in " ".join(messages_of(response))
    assert not Disposisi.objects.exists()
    # A verifier of another kecamatan: the report does not exist for them.
    halong = factories.make_user("Verifikator", "verif.halong",
                                 kecamatan=[factories.kecamatan("halong")])
    client.force_login(halong)
    for name in ("timeline", "issue", "withdraw", "step", "incident"):
        assert client.get(url(name, laporan)).status_code == 404, name
        assert client.post(url(name, laporan), {}).status_code == 404, name
    # A disposition id of another report is not this report's.
    client.force_login(pimpinan)
    other = transitions.issue(laporan.pk, pimpinan, instruksi="Pantau.", instansi_ids=[polres.pk],
                              batas_waktu=due())
    from tests.reports.reports_factories import verified_report

    second = verified_report(petugas, verifikator, judul="Laporan lain")
    response = client.post(url("withdraw", second), {"disposisi": other.pk, "alasan": "x"})
    assert response.status_code == 404
    assert Disposisi.objects.get(pk=other.pk).aktif


def test_a_report_not_verified_cannot_be_forwarded(client, petugas, pimpinan, administrator,
                                                   polres):
    from tests.reports.reports_factories import make_report

    waiting = make_report(petugas, submit=True)
    client.force_login(administrator)
    response = client.post(url("issue", waiting), {
        "disposisi-instruksi": "X", "disposisi-instansi": [polres.pk],
        "disposisi-prioritas": "biasa",
        "disposisi-batas_waktu": timezone.localtime(due()).strftime("%Y-%m-%d %H:%M"),
    }, follow=True)
    assert "Disposisi hanya untuk laporan yang sudah terverifikasi." in messages_of(response)
    assert not Disposisi.objects.exists()


def test_agencies_are_master_data(client, administrator, verifikator):
    assert Instansi.objects.filter(jenis="kecamatan").count() == 8
    assert Instansi.objects.filter(singkatan__in=[
        "Polres Balangan", "Kodim 1001/HSU-Blg", "BPBD Balangan", "Satpol PP dan Damkar Balangan",
        "Dinsos Balangan", "Kejari Balangan",
    ]).count() == 6
    client.force_login(administrator)
    listing = client.get("/admin/followup/instansi/")
    assert listing.status_code == 200 and "Camat Paringin" in listing.content.decode()
    member = factories.make_user("Instansi", "anggota.kejari")
    kejari = Instansi.objects.get(singkatan="Kejari Balangan")
    response = client.post(f"/admin/followup/instansi/edit/{kejari.pk}/", {
        "nama": kejari.nama, "singkatan": kejari.singkatan, "jenis": kejari.jenis,
        "kecamatan": "", "aktif": "on", "anggota": [member.pk],
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    assert list(kejari.anggota.all()) == [member]
    client.force_login(verifikator)
    assert client.get("/admin/followup/instansi/").status_code in (302, 403)


def test_kecamatan_without_verifier_is_flagged(client, administrator, verifikator):
    client.force_login(administrator)
    dashboard = client.get("/admin/").content.decode()
    assert "Kecamatan tanpa verifikator" in dashboard
    assert "Halong" in dashboard
    listing = client.get("/admin/reports/kecamatan/").content.decode()
    assert "Belum ada verifikator" in listing
    halong = factories.kecamatan("halong")
    edit = client.get(f"/admin/reports/kecamatan/edit/{halong.pk}/").content.decode()
    assert "Belum ada verifikator" in edit
    paringin = factories.kecamatan("paringin")
    edit = client.get(f"/admin/reports/kecamatan/edit/{paringin.pk}/").content.decode()
    assert "Belum ada verifikator" not in edit
