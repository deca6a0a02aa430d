"""The verification desk: the queue (whose, in which order, bounded), the report
screen (what it shows, to whom), and the decisions taken on it through the
transition service, refusals included."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from wagtail.models import TaskState

from cms.accounts import roles
from cms.desk import queue
from cms.reports import services
from cms.reports.models import Laporan, PenilaianVerifikasi, Status
from tests import factories
from tests.reports.reports_factories import make_report, photo, verified_report

pytestmark = pytest.mark.django_db

QUEUE = reverse("sikanda_desk:queue")


def detail(laporan):
    return reverse("sikanda_desk:detail", args=[laporan.pk])


def action(name, laporan):
    return reverse(f"sikanda_desk:{name}", args=[laporan.pk])


def waiting_since(laporan, hours):
    """Move the start of the report's verification task into the past, and
    the queue's copy of it with it (the transition service stamps both)."""
    since = timezone.now() - datetime.timedelta(hours=hours)
    TaskState.objects.filter(
        workflow_state__object_id=str(laporan.pk), status=TaskState.STATUS_IN_PROGRESS
    ).update(started_at=since)
    Laporan.objects.filter(pk=laporan.pk).update(menunggu_sejak=since)


@pytest.fixture
def halong_verifier(db):
    return factories.make_user(
        roles.VERIFIKATOR, "verifikator.halong", kecamatan=[factories.kecamatan("halong")],
        first_name="Muhammad", last_name="Ridwan",
    )


@pytest.fixture
def second_verifier(db):
    return factories.make_user(
        roles.VERIFIKATOR, "verifikator.paringin2", kecamatan=[factories.kecamatan("paringin")],
        first_name="Rina",
    )


# -- the queue ---------------------------------------------------------------------


def test_queue_most_urgent_first_then_longest_waiting(client, petugas, verifikator):
    low_old = make_report(petugas, submit=True, judul="Rendah lama", urgensi="rendah")
    urgent_new = make_report(petugas, submit=True, judul="Darurat baru", urgensi="darurat")
    urgent_old = make_report(petugas, submit=True, judul="Darurat lama", urgensi="darurat")
    high = make_report(petugas, submit=True, judul="Tinggi", urgensi="tinggi")
    waiting_since(low_old, 50)
    waiting_since(urgent_new, 1)
    waiting_since(urgent_old, 5)
    waiting_since(high, 30)
    make_report(petugas, judul="Draf")

    assert list(queue.waiting_for(verifikator)) == [urgent_old, urgent_new, high, low_old]
    client.force_login(verifikator)
    html = client.get(QUEUE).content.decode()
    positions = [html.index(title) for title in
                 ("Darurat lama", "Darurat baru", "Tinggi", "Rendah lama")]
    assert positions == sorted(positions)
    assert "Draf" not in html
    # Urgency in words and colour, and the time waited.
    assert 'meja-urgensi--darurat">Darurat<' in html
    assert "menunggu 2\xa0hari" in html and "menunggu 5\xa0jam" in html


def test_queue_holds_only_this_users_reports(client, petugas, verifikator, halong_verifier):
    halong_officer = factories.make_user(roles.PETUGAS, kecamatan=[factories.kecamatan("halong")])
    paringin = make_report(petugas, submit=True, judul="Laporan Paringin")
    halong = make_report(halong_officer, submit=True, judul="Laporan Halong",
                         kecamatan=factories.kecamatan("halong"))
    verified_report(petugas, verifikator, judul="Sudah terverifikasi")

    client.force_login(halong_verifier)
    html = client.get(QUEUE).content.decode()
    assert "Laporan Halong" in html and "Laporan Paringin" not in html
    client.force_login(verifikator)
    html = client.get(QUEUE).content.decode()
    assert "Laporan Paringin" in html and "Laporan Halong" not in html
    assert "Sudah terverifikasi" not in html
    assert list(queue.waiting_for(verifikator)) == [paringin]
    assert list(queue.waiting_for(halong_verifier)) == [halong]


def test_an_officer_verifier_never_queues_their_own_report(client, verifikator):
    from cms.reports.assignments import FILE_REPORT, assign

    verifikator.groups.add(factories.Group.objects.get(name=roles.PETUGAS))
    assign(verifikator, FILE_REPORT, factories.kecamatan("paringin"))
    make_report(verifikator, submit=True, judul="Laporan sendiri")
    assert not queue.waiting_for(verifikator).exists()


def _queue_queries(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(QUEUE)
    assert response.status_code == 200
    return len(queries), response


def test_queue_is_paged_with_a_constant_number_of_queries(client, petugas, verifikator):
    make_report(petugas, submit=True, judul="Pertama", uploads=[photo()])
    client.force_login(verifikator)
    client.get(QUEUE)  # warm the content type and session caches
    few, _ = _queue_queries(client)
    for number in range(queue.PER_PAGE + 5):
        make_report(petugas, submit=True, judul=f"Antrean {number}", uploads=[photo()])
    many, response = _queue_queries(client)
    assert many == few
    assert len(response.context["reports"]) == queue.PER_PAGE
    html = response.content.decode()
    assert f"{queue.PER_PAGE + 6} laporan menunggu verifikasi Anda" in html
    assert "?halaman=2" in html
    assert client.get(QUEUE, {"halaman": 2}).status_code == 200


def test_dashboard_panel_is_bounded(client, petugas, verifikator):
    def dashboard():
        with CaptureQueriesContext(connection) as queries:
            response = client.get("/admin/")
        assert response.status_code == 200
        return len(queries), response.content.decode()

    make_report(petugas, submit=True, judul="Laporan awal", urgensi="sedang")
    client.force_login(verifikator)
    dashboard()
    few, _ = dashboard()
    for number in range(12):
        make_report(petugas, submit=True, judul=f"Laporan ke-{number}", urgensi="rendah")
    urgent = make_report(petugas, submit=True, judul="Yang darurat", urgensi="darurat")
    many, html = dashboard()
    # One more: the count, once the panel's first five are full.
    assert many <= few + 1
    assert "14 laporan menunggu verifikasi Anda." in html
    assert html.count('class="meja-antrean__item ') == queue.DASHBOARD_ITEMS
    assert html.index("Yang darurat") < html.index("Laporan awal")
    assert detail(urgent) in html and QUEUE in html
    # Wagtail's own workflow panels (every pending item, page columns) are gone.
    assert "Privacy and access" not in html and "Menunggu tinjauan anda" not in html


def test_desk_menu_only_for_those_who_verify(client, verifikator, pimpinan, administrator):
    for user, shown in ((verifikator, True), (administrator, True), (pimpinan, False)):
        client.force_login(user)
        html = client.get("/admin/").content.decode()
        assert (QUEUE in html) is shown, user


# -- the report screen ---------------------------------------------------------------


def test_report_screen_shows_what_a_decision_needs(client, petugas, verifikator):
    earlier = verified_report(petugas, verifikator, judul="Laporan sebelumnya")
    laporan = make_report(
        petugas, submit=True, judul="Keributan di pasar", uploads=[photo(), photo("b.jpg")],
        waktu_kejadian=timezone.make_aware(datetime.datetime(2026, 1, 5, 7, 30)),
        akurasi_m=12,
    )
    petugas.first_name, petugas.last_name = "Ahmad", "Fauzi"
    petugas.save()
    client.force_login(verifikator)
    response = client.get(detail(laporan))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dua kelompok pemuda bersitegang di pasar." in html
    assert "Pak RT 03 (rahasia)" in html  # restricted, and this verifier may read it
    assert "5 Januari 2026, 07.30 WITA" in html
    assert "-2.334900, 115.469000" in html and "(± 12 m)" in html
    assert 'id="meja-peta"' in html and "Kec. Paringin" in html
    for item in laporan.lampiran.all():
        url = reverse("reports:lampiran", args=[item.pk])
        assert f'src="{url}?ukuran=thumb"' in html and f'href="{url}?ukuran=web"' in html
    assert "Ahmad Fauzi</strong> (petugas.uji)" in html
    assert "1 laporan lain" in html and "Laporan sebelumnya" in html
    assert detail(earlier) in html
    # No grading is chosen for the verifier.
    approval = html.split('class="meja-form meja-form--setujui"')[1].split("</form>")[0]
    assert "checked" not in approval
    # The map's tile server is allowed for images on this page, and only here.
    assert "https://tile.openstreetmap.org" in response["Content-Security-Policy"]
    assert "tile.openstreetmap.org" not in client.get(QUEUE)["Content-Security-Policy"]


def test_report_screen_queries_do_not_grow_with_attachments_or_history(
    client, petugas, verifikator
):
    def screen(laporan):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(detail(laporan)).status_code == 200
        return len(queries)

    client.force_login(verifikator)
    small = make_report(petugas, submit=True, uploads=[photo()])
    screen(small)
    base = screen(small)
    big = make_report(petugas, submit=True, uploads=[photo(f"{n}.jpg") for n in range(5)])
    for _ in range(3):
        services.act(big, verifikator, "reject", comment="Lengkapi.")
        services.submit(big, petugas)
    for _ in range(4):
        verified_report(petugas, verifikator)
    assert screen(big) == base


@pytest.mark.parametrize("who", ["halong_verifier", "pimpinan"])
def test_report_screen_and_actions_answer_404_to_those_who_may_not_see_it(
    client, request, petugas, who
):
    laporan = make_report(petugas, submit=True, judul="Rahasia")
    client.force_login(request.getfixturevalue(who))
    assert client.get(detail(laporan)).status_code == 404
    data = {"setujui-keandalan_sumber": "A", "setujui-kredibilitas_informasi": "1",
            "perbaikan-comment": "x", "tarik-alasan": "x"}
    for name in ("approve", "request_changes", "retract"):
        assert client.post(action(name, laporan), data).status_code == 404
    laporan.refresh_from_db()
    assert laporan.status == Status.MENUNGGU


def test_petugas_never_reaches_the_desk(client, petugas):
    laporan = make_report(petugas, submit=True)
    client.force_login(petugas)
    response = client.get(detail(laporan))
    # Refused at the admin: to the login page, or signed out and sent to the app.
    assert response.status_code == 302
    assert response["Location"].startswith(("/admin/login/", "/akun/bukan-untuk-admin/"))


# -- decisions -----------------------------------------------------------------------


def test_approve_needs_a_chosen_grading(client, petugas, verifikator):
    laporan = make_report(petugas, submit=True)
    client.force_login(verifikator)
    response = client.post(action("approve", laporan), {"setujui-comment": "Sesuai."})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Pilih keandalan sumber (A–F)." in html
    assert "Pilih kredibilitas informasi (1–6)." in html
    assert "Sesuai." in html  # what the verifier typed is kept
    laporan.refresh_from_db()
    assert laporan.status == Status.MENUNGGU and not PenilaianVerifikasi.objects.exists()

    response = client.post(action("approve", laporan), {
        "setujui-keandalan_sumber": "Z", "setujui-kredibilitas_informasi": "1",
    })
    assert response.status_code == 400
    assert not PenilaianVerifikasi.objects.exists()


def test_approve_from_the_desk(client, petugas, verifikator):
    laporan = make_report(petugas, submit=True, judul="Yang pertama", urgensi="darurat")
    following = make_report(petugas, submit=True, judul="Yang berikutnya")
    client.force_login(verifikator)
    response = client.post(action("approve", laporan), {
        "setujui-keandalan_sumber": "B", "setujui-kredibilitas_informasi": "2",
    }, follow=True)
    assert response.redirect_chain == [(detail(laporan), 302)]
    html = response.content.decode()
    assert f"Laporan {laporan.nomor} diverifikasi." in html
    assert f'href="{detail(following)}"' in html and "Laporan berikutnya" in html
    laporan.refresh_from_db()
    assert laporan.status == Status.TERVERIFIKASI and laporan.live
    grading = PenilaianVerifikasi.objects.get(laporan=laporan)
    assert (grading.keandalan_sumber, grading.kredibilitas_informasi, grading.verifikator) == (
        "B", "2", verifikator
    )
    assert "Penilaian: B — Biasanya andal / 2 — Kemungkinan benar." in html
    assert list(queue.waiting_for(verifikator)) == [following]


def test_request_changes_needs_a_comment_and_the_verifier_sees_it_afterwards(
    client, petugas, verifikator
):
    laporan = make_report(petugas, submit=True)
    client.force_login(verifikator)
    response = client.post(action("request_changes", laporan), {"perbaikan-comment": "  "})
    assert response.status_code == 400
    assert "Tuliskan apa yang harus diperbaiki pelapor." in response.content.decode()
    laporan.refresh_from_db()
    assert laporan.status == Status.MENUNGGU

    response = client.post(action("request_changes", laporan), {
        "perbaikan-comment": "Lengkapi jumlah orang yang terlibat.",
    }, follow=True)
    html = response.content.decode()
    assert "dikembalikan kepada pelapor untuk diperbaiki" in html
    laporan.refresh_from_db()
    assert laporan.status == Status.PERLU_PERBAIKAN
    # Their own send-back comment is in the report's history, on the desk.
    html = client.get(detail(laporan)).content.decode()
    assert "Lengkapi jumlah orang yang terlibat." in html
    assert "Dikembalikan kepada pelapor" in html


def test_someone_else_decided_first_is_a_message(client, petugas, verifikator, second_verifier):
    laporan = make_report(petugas, submit=True)
    services.act(laporan, second_verifier, "reject", comment="Kurang lengkap.")
    client.force_login(verifikator)
    response = client.post(action("approve", laporan), {
        "setujui-keandalan_sumber": "A", "setujui-kredibilitas_informasi": "1",
    }, follow=True)
    assert response.status_code == 200
    assert "tidak sedang menunggu verifikasi" in response.content.decode()
    laporan.refresh_from_db()
    assert laporan.status == Status.PERLU_PERBAIKAN
    assert not PenilaianVerifikasi.objects.exists()


def test_a_lock_held_by_another_verifier_is_a_message(
    client, petugas, verifikator, second_verifier
):
    laporan = make_report(petugas, submit=True)
    Laporan.objects.filter(pk=laporan.pk).update(
        locked=True, locked_by=second_verifier, locked_at=timezone.now()
    )
    client.force_login(verifikator)
    html = client.get(detail(laporan)).content.decode()
    assert "Laporan sedang dikunci oleh Rina" in html
    response = client.post(action("request_changes", laporan), {
        "perbaikan-comment": "Perbaiki.",
    }, follow=True)
    assert response.status_code == 200
    assert "dikunci oleh Rina" in response.content.decode()
    laporan.refresh_from_db()
    assert laporan.status == Status.MENUNGGU


def test_retract_a_verified_report_with_a_reason(client, petugas, verifikator):
    laporan = verified_report(petugas, verifikator, judul="Kabar keliru")
    client.force_login(verifikator)
    html = client.get(detail(laporan)).content.decode()
    assert "Tarik laporan" in html
    response = client.post(action("retract", laporan), {"tarik-alasan": ""})
    assert response.status_code == 400
    assert "Tuliskan alasan penarikan laporan." in response.content.decode()
    laporan.refresh_from_db()
    assert laporan.status == Status.TERVERIFIKASI

    response = client.post(action("retract", laporan), {
        "tarik-alasan": "Klarifikasi Polsek: kabar keliru.",
    }, follow=True)
    html = response.content.decode()
    assert f"Laporan {laporan.nomor} ditarik." in html
    assert "Klarifikasi Polsek: kabar keliru." in html
    laporan.refresh_from_db()
    assert laporan.status == Status.DITARIK and not laporan.live
    assert client.get(laporan.get_absolute_url()).status_code == 410


def test_another_kecamatans_verifier_cannot_retract_a_public_report(
    client, petugas, verifikator, halong_verifier
):
    laporan = verified_report(petugas, verifikator, judul="Publik Paringin")
    client.force_login(halong_verifier)
    html = client.get(detail(laporan)).content.decode()  # public: they may read it
    assert "Publik Paringin" in html and "Tarik laporan" not in html
    assert "Pak RT 03" not in html  # but not its restricted fields
    response = client.post(action("retract", laporan), {"tarik-alasan": "Coba."}, follow=True)
    assert response.status_code == 200
    assert "Anda tidak dapat menarik laporan ini." in response.content.decode()
    laporan.refresh_from_db()
    assert laporan.status == Status.TERVERIFIKASI


def test_decisions_answer_get_with_405(client, petugas, verifikator):
    laporan = make_report(petugas, submit=True)
    client.force_login(verifikator)
    for name in ("approve", "request_changes", "retract"):
        assert client.get(action(name, laporan)).status_code == 405


# -- Wagtail's editor and history pages, for those who read ------------------------------


def wagtail_pages(laporan):
    names = ("edit", "history", "workflow_history")
    pages = {name: reverse(f"wagtailsnippets_reports_laporan:{name}", args=[laporan.pk])
             for name in names}
    pages["revision"] = reverse("wagtailsnippets_reports_laporan:revisions_view",
                                args=[laporan.pk, laporan.latest_revision_id])
    return pages


@pytest.mark.parametrize(("who", "state"), [
    ("verifikator", "menunggu"), ("verifikator", "perlu_perbaikan"),
    ("verifikator", "terverifikasi"), ("pimpinan", "terverifikasi"),
])
def test_readers_go_from_the_editor_and_history_to_the_desk(
    client, request, petugas, verifikator, state, who
):
    """A verifier (or the Pimpinan) who opens Edit, History or Workflow
    history lands on the report's desk screen, never on a permission error
    on the dashboard, and finds the send-back comment there."""
    laporan = make_report(petugas, submit=True, judul="Jalan desa tergenang")
    if state == "perlu_perbaikan":
        services.act(laporan, verifikator, "reject", comment="Tambahkan foto genangan.")
    elif state == "terverifikasi":
        services.act(laporan, verifikator, "approve", keandalan_sumber="C",
                     kredibilitas_informasi="3")
    laporan.refresh_from_db()
    client.force_login(request.getfixturevalue(who))
    for name, url in wagtail_pages(laporan).items():
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(detail(laporan)), (name, response["Location"])
        page = client.get(response["Location"])
        assert page.status_code == 200
        html = page.content.decode()
        assert "Jalan desa tergenang" in html
        if state == "perlu_perbaikan":
            assert "Tambahkan foto genangan." in html
        # No link into a page that would refuse them.
        assert url not in html


def test_a_reader_cannot_save_through_the_editor(client, petugas, verifikator):
    """The editor is not shown to a verifier; a save posted anyway is refused
    and changes nothing (the decision forms are the verifier's way)."""
    laporan = make_report(petugas, submit=True, judul="Asli")
    client.force_login(verifikator)
    edit = reverse("wagtailsnippets_reports_laporan:edit", args=[laporan.pk])
    response = client.post(edit, {"judul": "Diubah verifikator", "fakta": "x"})
    assert response.status_code in (302, 403)
    if response.status_code == 302:
        assert not response["Location"].startswith(edit)
    laporan.refresh_from_db()
    assert laporan.judul == "Asli"


@pytest.mark.parametrize("who", ["halong_verifier", "pimpinan"])
def test_editor_and_history_answer_404_to_those_who_may_not_see_the_report(
    client, request, petugas, who
):
    laporan = make_report(petugas, submit=True)
    client.force_login(request.getfixturevalue(who))
    for name, url in wagtail_pages(laporan).items():
        assert client.get(url).status_code == 404, name


def test_administrators_keep_wagtails_editor_and_history(client, petugas, administrator):
    laporan = make_report(petugas, submit=True)
    client.force_login(administrator)
    for name, url in wagtail_pages(laporan).items():
        assert client.get(url).status_code == 200, name


@pytest.mark.parametrize("who", ["petugas", "pengguna", None])
def test_editor_and_history_never_open_for_officers_guests_or_anonymous(
    client, request, petugas, who
):
    laporan = make_report(petugas, submit=True, judul="Hanya untuk admin")
    for name, url in wagtail_pages(laporan).items():
        if who:
            client.force_login(request.getfixturevalue(who))
        response = client.get(url)
        assert response.status_code == 302, name
        assert response["Location"].startswith(("/admin/login/", "/akun/bukan-untuk-admin/"))
        assert "_auth_user_id" not in client.session
