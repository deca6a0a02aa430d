"""The report admin: listing, filters, search, query counts, inspect view,
dashboard panel, chooser and the verify-permission user lookup."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cms.accounts import roles
from cms.reports.models import Aspek, JenisATHG
from cms.reports.permissions import laporan_policy
from tests import factories

from .reports_factories import make_report, verified_report

pytestmark = pytest.mark.django_db

ADMIN = "/admin/snippets/reports/laporan/"


@pytest.fixture
def halong_verifier(db):
    return factories.make_user(
        roles.VERIFIKATOR, "verifikator.halong", kecamatan=[factories.kecamatan("halong")]
    )


@pytest.fixture
def halong_officer(db):
    return factories.make_user(
        roles.PETUGAS, "petugas.halong", kecamatan=[factories.kecamatan("halong")]
    )


def listed(client, **params):
    response = client.get(ADMIN, params)
    assert response.status_code == 200
    return {obj.judul for obj in response.context["object_list"]}


def test_listing_shows_only_what_the_policy_allows(
    client, petugas, verifikator, halong_verifier, halong_officer
):
    make_report(petugas, judul="Draf Paringin")
    make_report(petugas, submit=True, judul="Menunggu Paringin", klasifikasi="terbatas")
    make_report(
        halong_officer, submit=True, judul="Menunggu Halong",
        kecamatan=factories.kecamatan("halong"),
    )

    client.force_login(verifikator)
    assert listed(client) == {"Menunggu Paringin"}
    client.force_login(halong_verifier)
    assert listed(client) == {"Menunggu Halong"}


def test_listing_filters_and_search(client, petugas, administrator, halong_officer):
    now = timezone.now()
    make_report(
        petugas, judul="Banjir pasar", urgensi="darurat",
        jenis_athg=JenisATHG.objects.get(slug="ancaman"), aspek=Aspek.objects.get(slug="ekonomi"),
        waktu_kejadian=now - datetime.timedelta(days=10), fakta="Air naik di pasar lama.",
    )
    submitted = make_report(petugas, submit=True, judul="Keributan pemuda", urgensi="rendah")
    make_report(
        halong_officer, judul="Sengketa lahan", kecamatan=factories.kecamatan("halong"),
        aspek=Aspek.objects.get(slug="politik"),
    )
    client.force_login(administrator)
    every = {"Banjir pasar", "Keributan pemuda", "Sengketa lahan"}
    assert listed(client) == every
    assert listed(client, status="menunggu") == {"Keributan pemuda"}
    assert listed(client, status="draf") == {"Banjir pasar", "Sengketa lahan"}
    assert listed(client, kecamatan=factories.kecamatan("halong").pk) == {"Sengketa lahan"}
    assert listed(client, aspek=Aspek.objects.get(slug="ekonomi").pk) == {"Banjir pasar"}
    assert listed(client, jenis_athg=JenisATHG.objects.get(slug="ancaman").pk) == {"Banjir pasar"}
    assert listed(client, urgensi="darurat") == {"Banjir pasar"}
    week_ago = (now - datetime.timedelta(days=7)).date().isoformat()
    assert listed(client, waktu_kejadian_to=week_ago) == {"Banjir pasar"}
    assert listed(client, waktu_kejadian_from=week_ago) == {"Keributan pemuda", "Sengketa lahan"}
    # Search covers judul, fakta and nomor.
    assert listed(client, q="keributan") == {"Keributan pemuda"}
    assert listed(client, q="pemuda") == {"Keributan pemuda", "Sengketa lahan"}  # fakta
    assert listed(client, q="Air naik") == {"Banjir pasar"}
    assert listed(client, q=submitted.nomor) == {"Keributan pemuda"}
    assert listed(client, q="pemuda", status="draf") == {"Sengketa lahan"}


def test_search_respects_the_policy(client, petugas, halong_verifier):
    make_report(petugas, submit=True, judul="Keributan pemuda")
    client.force_login(halong_verifier)
    assert listed(client, q="pemuda") == set()


def _listing_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(ADMIN)
    assert response.status_code == 200
    return len(ctx.captured_queries), len(response.context["object_list"])


@pytest.mark.parametrize("role", ["administrator", "verifikator"])
def test_listing_query_count_is_constant(role, request, client, petugas, verifikator):
    client.force_login(request.getfixturevalue(role))
    for i in range(3):
        make_report(petugas, submit=True, judul=f"Laporan {i}")
    client.get(ADMIN)  # warm per-process caches (content types, site)
    few, rows = _listing_queries(client)
    assert rows == 3
    for i in range(3, 15):
        make_report(petugas, submit=True, judul=f"Laporan {i}")
    many, rows = _listing_queries(client)
    assert rows == 15
    print(f"{role}: {few} queries for 3 reports, {many} for 15")
    assert few == many


def test_listing_count_stops_at_the_cap(monkeypatch, client, petugas, verifikator):
    from cms.reports.admin_paginator import CappedPaginator

    # The cap is 10,000 in production; a cap of 3 shows the same behaviour on 5 reports.
    monkeypatch.setattr(CappedPaginator, "cap", 3)
    for i in range(5):
        make_report(petugas, submit=True, judul=f"Laporan {i}")
    client.force_login(verifikator)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(ADMIN)
    counts = [q["sql"] for q in ctx.captured_queries if "COUNT(" in q["sql"].upper()
              and "reports_laporan" in q["sql"]]
    assert len(counts) == 1, counts
    # COUNT(*) over a subquery that stops after cap + 1 rows, not over the table.
    assert "LIMIT 4" in counts[0] and counts[0].upper().index("LIMIT") > counts[0].index("FROM")
    html = response.content.decode()
    assert response.context["paginator"].count == 4 and response.context["paginator"].capped
    assert "Lebih dari 3 laporan" in html
    assert {obj.judul for obj in response.context["object_list"]} == {
        f"Laporan {i}" for i in range(5)
    }
    # Filtered past the cap: no exact number of matches either.
    html = client.get(ADMIN, {"status": "menunggu"}).content.decode()
    assert "Lebih dari 3 laporan cocok" in html and "There are 4" not in html
    # Under the cap the count is exact.
    response = client.get(ADMIN, {"q": "Laporan 1"})
    assert not response.context["paginator"].capped
    assert "1 laporan" in response.content.decode()
    monkeypatch.setattr(CappedPaginator, "cap", 10)
    response = client.get(ADMIN)
    assert response.context["paginator"].count == 5 and "5 laporan" in response.content.decode()


def _pager(html):
    """The text of the listing's pagination bar: its start, page links, end."""
    import re

    nav = re.search(r'<nav class="pagination".*?</nav>', html, re.S).group(0)
    return " ".join(re.sub(r"<[^>]+>", " ", nav).split())


def test_pager_past_the_cap_shows_no_made_up_page_total(monkeypatch, client, petugas,
                                                         verifikator):
    from cms.reports.admin_paginator import CappedPaginator
    from cms.reports.admin_views import LaporanIndexView

    # Production: 20 a page, counted up to 10,000 (501 "pages" in Wagtail's
    # pager); here 2 a page and a cap of 4 on 9 reports: the count stops at 5,
    # 3 pages, and 2 pages are certainly exceeded.
    monkeypatch.setattr(CappedPaginator, "cap", 4)
    monkeypatch.setattr(LaporanIndexView, "get_paginate_by", lambda view, queryset: 2)
    for i in range(9):
        make_report(petugas, submit=True, judul=f"Laporan {i}")
    client.force_login(verifikator)

    response = client.get(ADMIN)
    assert response.status_code == 200
    paginator = response.context["paginator"]
    assert paginator.capped and paginator.num_pages == 3
    pager = _pager(response.content.decode())
    assert pager.startswith("Halaman 1 dari lebih dari 2 ")
    assert "dari 3" not in pager
    # Page numbers run on into an ellipsis, never to a last page.
    assert "Sebelumnya 1 2 3 … Berikutnya" in pager, pager
    assert pager.endswith("Lebih dari 4 laporan")

    pager = _pager(client.get(ADMIN, {"p": 3}).content.decode())
    assert pager.startswith("Halaman 3 dari lebih dari 2 ")
    assert " 1 2 3 … " in pager, pager

    # The same request for the whole page (not only the results fragment the
    # filters reload) and for the filtered listing.
    pager = _pager(client.get(ADMIN, {"status": "menunggu"}).content.decode())
    assert pager.startswith("Halaman 1 dari lebih dari 2 ")

    # Under the cap, Wagtail's exact pager: total pages, last page linked.
    monkeypatch.setattr(CappedPaginator, "cap", 100)
    response = client.get(ADMIN)
    assert not response.context["paginator"].capped
    pager = _pager(response.content.decode())
    assert pager.startswith("Halaman 1 dari 5 ") and "lebih dari" not in pager
    assert " 5 " in pager and pager.endswith("9 laporan")


def test_pager_far_past_the_start_keeps_its_neighbours(monkeypatch):
    from cms.reports.admin_paginator import CappedPaginator
    from cms.reports.models import Laporan

    paginator = CappedPaginator(Laporan.objects.none(), 20)
    monkeypatch.setattr(CappedPaginator, "count", 10_001)
    assert paginator.capped and paginator.num_pages == 501 and paginator.pages_floor == 500
    e = paginator.ELLIPSIS
    assert list(paginator.get_elided_page_range(1)) == [1, 2, 3, 4, e]
    assert list(paginator.get_elided_page_range(250)) == [1, e, 249, 250, 251, e]
    assert list(paginator.get_elided_page_range(501)) == [1, e, 500, 501, e]
    assert list(paginator.get_elided_page_range("x")) == [1, 2, 3, 4, e]


def test_inspect_shows_body_and_coordinates_to_the_verifier(client, petugas, verifikator):
    laporan = make_report(
        petugas, submit=True, fakta="Dua kelompok pemuda bersitegang di pasar.",
        latitude="-2.334900", longitude="115.469000",
    )
    client.force_login(verifikator)
    response = client.get(f"{ADMIN}inspect/{laporan.pk}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Dua kelompok pemuda bersitegang di pasar." in html
    assert "-2.334900" in html or "-2,334900" in html
    assert "115.469000" in html or "115,469000" in html


def test_dashboard_panel_for_verifiers(client, petugas, verifikator, halong_verifier):
    oldest = make_report(petugas, submit=True, judul="Yang paling lama")
    make_report(petugas, submit=True, judul="Yang kedua")
    make_report(petugas, judul="Masih draf")

    client.force_login(verifikator)
    response = client.get("/admin/")
    html = response.content.decode()
    assert "Menunggu verifikasi Anda" in html
    assert "2 laporan menunggu verifikasi Anda." in html
    assert oldest.judul in html and "Masih draf" not in html
    assert reverse("sikanda_desk:detail", args=[oldest.pk]) in html

    client.force_login(halong_verifier)
    response = client.get("/admin/")
    html = response.content.decode()
    assert "Tidak ada laporan yang menunggu verifikasi Anda." in html
    assert oldest.judul not in html
    panel = next(
        p for p in response.context["panels"] if getattr(p, "name", "") == "antrean_verifikasi"
    )
    assert panel.get_context_data({})["total"] == 0


def test_chooser_lists_only_visible_reports(
    client, petugas, verifikator, halong_verifier, pimpinan
):
    url = reverse("wagtailsnippetchoosers_reports_laporan:choose")
    assert url == "/admin/snippets/choose/reports/laporan/"
    make_report(petugas, judul="Draf rahasia")
    make_report(petugas, submit=True, judul="Menunggu Paringin")
    verified_report(petugas, verifikator, judul="Terbatas", klasifikasi="terbatas")

    def chosen(user):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200
        html = response.json()["html"]
        return {t for t in ("Draf rahasia", "Menunggu Paringin", "Terbatas") if t in html}

    assert chosen(verifikator) == {"Menunggu Paringin", "Terbatas"}
    assert chosen(halong_verifier) == set()
    assert chosen(pimpinan) == {"Terbatas"}

    results = reverse("wagtailsnippetchoosers_reports_laporan:choose_results")
    client.force_login(halong_verifier)
    assert "Menunggu Paringin" not in client.get(results).content.decode()


def test_chosen_view_refuses_invisible_reports(client, petugas, halong_verifier):
    laporan = make_report(petugas, submit=True)
    client.force_login(halong_verifier)
    url = reverse("wagtailsnippetchoosers_reports_laporan:chosen", args=[laporan.pk])
    assert client.get(url).status_code == 404


def test_users_with_verify_permission(petugas, verifikator, halong_verifier, administrator):
    laporan = make_report(petugas, submit=True)
    superuser = factories.make_user(username="root", is_superuser=True)
    users = set(laporan_policy.users_with_permission_for_instance("verify", laporan))
    assert users == {verifikator, administrator, superuser}
    assert halong_verifier not in users and petugas not in users


def test_inspect_view_shows_location_link_attachments_and_grading(client, petugas, verifikator):
    from cms.reports import services
    from tests.reports.reports_factories import photo, report_fields

    laporan = services.create_report(petugas, submit=True, uploads=[photo("lokasi.jpg")],
                                     **report_fields(akurasi_m=25))
    client.force_login(verifikator)
    html = client.get(f"/admin/snippets/reports/laporan/inspect/{laporan.pk}/").content.decode()
    assert "openstreetmap.org/?mlat=-2.334900&amp;mlon=115.469000" in html
    assert "(± 25 m)" in html
    lampiran = laporan.lampiran.get()
    assert f"/laporan/lampiran/{lampiran.pk}/?ukuran=thumb" in html and "lokasi.jpg" in html
    assert "Belum dinilai" in html
    services.act(laporan, verifikator, "approve", keandalan_sumber="B", kredibilitas_informasi="2")
    html = client.get(f"/admin/snippets/reports/laporan/inspect/{laporan.pk}/").content.decode()
    assert "B — Biasanya andal" in html


def test_dashboard_charts_count_what_the_user_may_see(client, petugas, verifikator, pimpinan):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from cms.reports import charts
    from tests.reports.reports_factories import verified_report

    urgent = verified_report(petugas, verifikator, urgensi="darurat")
    verified_report(petugas, verifikator, urgensi="rendah")
    halong_officer = factories.make_user(roles.PETUGAS, kecamatan=[factories.kecamatan("halong")])
    halong_verifier = factories.make_user(roles.VERIFIKATOR,
                                          kecamatan=[factories.kecamatan("halong")])
    verified_report(halong_officer, halong_verifier, kecamatan=factories.kecamatan("halong"),
                    urgensi="sedang", klasifikasi="terbatas")

    # Outside the window on both sides: an old event and one dated after today
    # (the form refuses that; an import or a wrong clock need not).
    from cms.reports.models import Laporan

    for shift in (-charts.DAYS, 2):
        Laporan.objects.filter(pk=verified_report(petugas, verifikator).pk).update(
            waktu_kejadian=timezone.now() + datetime.timedelta(days=shift)
        )

    daily = charts.trend(pimpinan)
    # The reports happened two hours ago: today in WITA, or yesterday in the
    # first two hours of a WITA day.
    day = next(d for d in daily if d["day"] == timezone.localdate(urgent.waktu_kejadian))
    assert len(daily) == charts.DAYS and day["total"] == 3 and day["urgent"] == 1
    assert sum(day["total"] for day in daily) == 3
    by_place = {p["kecamatan"].slug: p["total"] for p in charts.per_kecamatan(verifikator)}
    # A restricted report of another kecamatan is not counted for a Paringin verifier.
    assert by_place["paringin"] == 2 and by_place["halong"] == 0
    # Both charts count the same window, so their totals agree.
    assert sum(p["total"] for p in charts.per_kecamatan(pimpinan)) == 3
    with CaptureQueriesContext(connection) as ctx:
        charts.trend(pimpinan), charts.per_kecamatan(pimpinan)
    assert len(ctx.captured_queries) <= 4

    client.force_login(pimpinan)
    html = client.get("/admin/").content.decode()
    assert "Tren harian laporan terverifikasi" in html and "<svg" in html
    assert f"Per kecamatan, {charts.DAYS} hari terakhir" in html
    # Coordinates keep a decimal point in Indonesian (a comma would break the SVG).
    import re

    assert not re.search(r'<rect[^>]* (?:y|height)="[0-9]+,[0-9]', html)


# -- attachments in the admin -------------------------------------------------------


def real_jpeg(name="lokasi.jpg", size=(1280, 960)):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, "#2a6f97")
    ImageDraw.Draw(image).ellipse((200, 200, 900, 700), fill="#e9c46a")
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=85)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def real_pdf(name="berita-acara.pdf"):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (595, 842), "white").save(buffer, "PDF")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="application/pdf")


@pytest.fixture
def with_attachments(petugas):
    return make_report(petugas, submit=True, uploads=[real_jpeg(), real_pdf()])


def admin_pages(laporan):
    return {
        "edit": reverse("wagtailsnippets_reports_laporan:edit", args=[laporan.pk]),
        "inspect": reverse("wagtailsnippets_reports_laporan:inspect", args=[laporan.pk]),
        "copy": reverse("wagtailsnippets_reports_laporan:copy", args=[laporan.pk]),
        "revert": reverse(
            "wagtailsnippets_reports_laporan:revisions_revert",
            args=[laporan.pk, laporan.latest_revision_id],
        ),
    }


def test_pages_of_a_report_with_a_photo_and_a_pdf_answer_200(
    client, with_attachments, administrator, verifikator
):
    photo_item, pdf_item = with_attachments.lampiran.order_by("sort_order")
    assert (photo_item.jenis, pdf_item.jenis) == ("foto", "dokumen")
    thumb = f"/laporan/lampiran/{photo_item.pk}/?ukuran=thumb"
    document = f"/laporan/lampiran/{pdf_item.pk}/"
    pages = admin_pages(with_attachments)

    client.force_login(administrator)
    for name, url in pages.items():
        response = client.get(url)
        assert response.status_code == 200, name
        html = response.content.decode()
        if name == "copy":
            # A copy is a new report: the original's evidence stays with it.
            assert thumb not in html
            continue
        assert thumb in html and document in html, name
        assert "lokasi.jpg" in html and "berita-acara.pdf" in html, name
        assert "image/jpeg" in html and "application/pdf" in html, name

    # The kecamatan's verifier reads (and decides) on the desk, where the
    # editor's URL takes them, and on the inspect view; copying and
    # reverting belong to those who may write reports.
    client.force_login(verifikator)
    for name in ("edit", "inspect"):
        response = client.get(pages[name], follow=True)
        assert response.status_code == 200, name
        assert thumb in response.content.decode()
    assert client.get(pages["copy"]).status_code == 404
    assert client.get(pages["revert"]).status_code in (200, 302)
    # The links lead to the checked view, which serves them to this verifier.
    assert client.get(thumb).status_code == 200
    assert client.get(document).status_code == 200


def edit_form(laporan, **extra):
    from tests.reports.test_permissions import edit_data

    data = {key: "" if value is None else value for key, value in edit_data(laporan).items()}
    data.update(extra)
    return data


def upload_form(laporan, upload):
    return edit_form(laporan, **{
        "lampiran-TOTAL_FORMS": "1", "lampiran-INITIAL_FORMS": "0",
        "lampiran-0-id": "", "lampiran-0-ORDER": "1", "lampiran-0-DELETE": "",
        "lampiran-0-berkas": upload, "lampiran-0-keterangan": "Foto lokasi",
    })


def private_files():
    from pathlib import Path

    from django.conf import settings

    root = Path(settings.SIKANDA_PRIVATE_MEDIA_ROOT)
    return sorted(str(p) for p in root.rglob("*") if p.is_file()) if root.exists() else []


def test_admin_upload_is_checked_by_content(client, petugas, administrator, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    laporan = make_report(petugas)
    client.force_login(administrator)
    url = reverse("wagtailsnippets_reports_laporan:edit", args=[laporan.pk])
    revision, files = laporan.latest_revision_id, private_files()

    html_file = SimpleUploadedFile(
        "foto.jpg.html", b"<html><script>alert(1)</script></html>", content_type="image/jpeg"
    )
    response = client.post(url, upload_form(laporan, html_file))
    assert response.status_code == 200
    assert "bukan foto (JPEG, PNG, WebP, HEIC) atau dokumen" in response.content.decode()

    settings.SIKANDA_ATTACHMENT_MAX_BYTES = 4096
    exe = SimpleUploadedFile("pasang.exe", b"MZ" + b"\0" * 8192, content_type="image/jpeg")
    response = client.post(url, upload_form(laporan, exe))
    assert response.status_code == 200
    assert "terlalu besar" in response.content.decode()

    laporan.refresh_from_db()
    assert not laporan.lampiran.exists()
    assert laporan.latest_revision_id == revision
    assert private_files() == files

    settings.SIKANDA_ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    response = client.post(url, upload_form(laporan, real_jpeg("dari-browser.png")))
    assert response.status_code == 302
    lampiran = laporan.lampiran.get()
    assert (lampiran.jenis, lampiran.mime, lampiran.nama_asli) == (
        "foto", "image/jpeg", "dari-browser.png"
    )
    assert lampiran.ukuran == lampiran.berkas.size > 0
    assert lampiran.berkas.name.endswith(".jpg")


def test_existing_attachment_survives_an_edit_without_a_new_file(
    client, with_attachments, administrator
):
    laporan = with_attachments
    items = list(laporan.lampiran.order_by("sort_order"))
    data = edit_form(laporan, judul="Judul dikoreksi", **{
        "lampiran-TOTAL_FORMS": "2", "lampiran-INITIAL_FORMS": "2",
    })
    for i, item in enumerate(items):
        data.update({
            f"lampiran-{i}-id": str(item.pk), f"lampiran-{i}-ORDER": str(i + 1),
            f"lampiran-{i}-DELETE": "", f"lampiran-{i}-keterangan": item.keterangan,
        })
    client.force_login(administrator)
    response = client.post(
        reverse("wagtailsnippets_reports_laporan:edit", args=[laporan.pk]), data
    )
    assert response.status_code == 302
    kept = list(laporan.lampiran.order_by("sort_order").values_list("pk", "berkas", "mime"))
    assert kept == [(i.pk, i.berkas.name, i.mime) for i in items]


# -- reports recorded by an administrator -------------------------------------------


ADD = "/admin/snippets/reports/laporan/add/"


def create_form(**extra):
    from django.utils import timezone

    data = {
        "judul": "Laporan lewat telepon", "periode": "insidentil", "urgensi": "tinggi",
        "klasifikasi": "terbatas", "jenis_athg": JenisATHG.objects.get(slug="gangguan").pk,
        "aspek": Aspek.objects.get(slug="sosial-budaya").pk,
        "waktu_kejadian": timezone.localtime().strftime("%Y-%m-%d %H:%M"),
        "fakta": "Warga melapor lewat telepon: jembatan desa putus.",
        "analisis": "", "rekomendasi": "", "sumber_informasi": "Kepala desa",
        "kecamatan": factories.kecamatan("halong").pk, "desa": "", "latitude": "",
        "longitude": "", "akurasi_m": "", "saluran": "telepon", "atas_nama": "",
        "lampiran-TOTAL_FORMS": "0", "lampiran-INITIAL_FORMS": "0",
        "lampiran-MIN_NUM_FORMS": "0", "lampiran-MAX_NUM_FORMS": "1000",
    }
    data.update(extra)
    return data


def test_administrator_records_a_report_for_an_officer_and_submits_it(
    client, administrator, halong_officer, halong_verifier, petugas
):
    from cms.reports.models import Laporan, Status

    halong_officer.first_name, halong_officer.last_name = "Norhasanah", "Binti Saleh"
    halong_officer.save()
    client.force_login(administrator)
    response = client.get(ADD)
    assert response.status_code == 200
    choices = dict(response.context["form"].fields["atas_nama"].choices)
    labels = {str(label) for label in choices.values()}
    assert "Norhasanah Binti Saleh (petugas.halong)" in labels
    assert not {"verifikator.halong", "admin.uji"} & {
        u for label in labels for u in [label.rsplit("(", 1)[-1].rstrip(")")]
    }

    # An officer not assigned to the kecamatan is refused, nothing is saved.
    response = client.post(ADD, create_form(atas_nama=petugas.pk))
    assert response.status_code == 200
    assert "tidak ditugaskan melapor di Kecamatan Halong" in response.content.decode()
    assert not Laporan.objects.exists()

    response = client.post(ADD, create_form(atas_nama=halong_officer.pk, saluran="surat"))
    assert response.status_code == 302, response.context and response.context["form"].errors
    laporan = Laporan.objects.get()
    assert (laporan.pelapor, laporan.saluran, laporan.status, laporan.nomor) == (
        halong_officer, "surat", Status.DRAF, None
    )
    # It is a draft like any other: the officer sees it, the verifier not yet.
    assert laporan_policy.user_can_view(halong_officer, laporan)
    assert not laporan_policy.user_can_view(halong_verifier, laporan)

    edit = reverse("wagtailsnippets_reports_laporan:edit", args=[laporan.pk])
    response = client.post(edit, edit_form(laporan, **{"action-submit": "1"}))
    assert response.status_code == 302
    laporan.refresh_from_db()
    assert laporan.status == Status.MENUNGGU and laporan.nomor.startswith("SKD-")
    assert laporan in laporan_policy.verifiable_by(halong_verifier)
    # The channel and reporter stay fixed: the edit form does not offer them.
    form = client.get(edit).context["form"]
    assert "saluran" not in form.fields and "atas_nama" not in form.fields


def test_administrator_records_a_report_in_their_own_name_and_submits_at_once(
    client, administrator
):
    from cms.reports.models import Laporan, Status

    client.force_login(administrator)
    response = client.post(ADD, create_form(saluran="langsung", **{"action-submit": "1"}))
    assert response.status_code == 302
    laporan = Laporan.objects.get()
    assert (laporan.pelapor, laporan.saluran) == (administrator, "langsung")
    assert laporan.status == Status.MENUNGGU and laporan.nomor


def test_only_administrators_reach_the_create_view(
    client, verifikator, pimpinan, petugas, administrator
):
    from cms.reports.models import Laporan

    source = make_report(petugas, submit=True)
    urls = [
        ADD, "/admin/snippets/reports/laporan/preview/",
        reverse("wagtailsnippets_reports_laporan:copy", args=[source.pk]),
    ]
    for user in (verifikator, pimpinan):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 404, (user, url)
            assert client.post(url, create_form()).status_code == 404, (user, url)
    client.force_login(petugas)
    response = client.get(ADD)
    assert response.status_code == 302
    assert response["Location"].startswith(("/admin/login/", "/akun/bukan-untuk-admin/"))
    assert Laporan.objects.count() == 1


def test_a_copy_is_a_new_draft_without_the_original_record(client, administrator, petugas):
    from cms.reports.models import Laporan, Status

    source = make_report(petugas, submit=True, uploads=[real_jpeg()], judul="Asli")
    client.force_login(administrator)
    response = client.get(reverse("wagtailsnippets_reports_laporan:copy", args=[source.pk]))
    assert response.status_code == 200
    form = response.context["form"]
    assert form.initial["judul"] == "Asli" and "atas_nama" in form.fields
    response = client.post(ADD, create_form(judul="Salinan", kecamatan=source.kecamatan_id))
    assert response.status_code == 302
    copy = Laporan.objects.get(judul="Salinan")
    assert copy.pk != source.pk and copy.nomor is None and copy.status == Status.DRAF
    assert not copy.lampiran.exists() and source.lampiran.count() == 1


def test_add_and_copy_buttons_only_for_administrators(client, administrator, petugas):
    paringin = factories.kecamatan("paringin")
    both = factories.make_user(roles.VERIFIKATOR, "petugas.verifikator", kecamatan=[paringin])
    from django.contrib.auth.models import Group

    from cms.reports.assignments import FILE_REPORT, assign

    both.groups.add(Group.objects.get(name=roles.PETUGAS))
    assign(both, FILE_REPORT, paringin)
    laporan = make_report(petugas, submit=True)
    copy = reverse("wagtailsnippets_reports_laporan:copy", args=[laporan.pk])
    edit = reverse("wagtailsnippets_reports_laporan:edit", args=[laporan.pk])
    for user, shown in ((administrator, True), (both, False)):
        client.force_login(user)
        listing = client.get(ADMIN).content.decode()
        assert (f'href="{ADD}"' in listing) is shown
        assert (copy in listing) is shown
        assert (copy in client.get(edit).content.decode()) is shown
