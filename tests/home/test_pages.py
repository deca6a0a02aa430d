import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from cms.facilities.models import FacilityIndexPage, FacilityKind, FacilityPage
from cms.home.models import HomePage, RingkasanBulananIndexPage, RingkasanBulananPage
from cms.news.models import NewsIndexPage, NewsPage
from tests import factories


class PageTypeRulesTests(WagtailPageTestCase):
    def test_home_holds_only_the_news_facility_and_summary_indexes(self):
        self.assertAllowedSubpageTypes(
            HomePage, {NewsIndexPage, FacilityIndexPage, RingkasanBulananIndexPage}
        )
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_monthly_summaries_live_only_under_their_index(self):
        self.assertAllowedParentPageTypes(RingkasanBulananPage, {RingkasanBulananIndexPage})
        self.assertAllowedSubpageTypes(RingkasanBulananPage, set())
        self.assertAllowedSubpageTypes(RingkasanBulananIndexPage, {RingkasanBulananPage})
        self.assertCanNotCreateAt(HomePage, RingkasanBulananPage)

    def test_news_pages_live_only_under_the_news_index(self):
        self.assertAllowedParentPageTypes(NewsPage, {NewsIndexPage})
        self.assertAllowedSubpageTypes(NewsPage, set())
        self.assertCanNotCreateAt(HomePage, NewsPage)
        self.assertCanNotCreateAt(FacilityIndexPage, NewsPage)

    def test_facility_pages_live_only_under_the_facility_index(self):
        self.assertAllowedParentPageTypes(FacilityPage, {FacilityIndexPage})
        self.assertAllowedSubpageTypes(FacilityPage, set())
        self.assertCanNotCreateAt(NewsIndexPage, FacilityPage)

    def test_one_home_and_one_of_each_index(self):
        home = HomePage.objects.get()
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))
        home.add_child(instance=NewsIndexPage(title="Berita", slug="berita"))
        self.assertFalse(NewsIndexPage.can_create_at(home))
        self.assertTrue(FacilityIndexPage.can_create_at(home))


pytestmark = pytest.mark.django_db


def test_home_page_shows_latest_news_and_facilities(client):
    factories.make_news("Rapat koordinasi FKDM", lead_image=factories.make_image())
    factories.make_facility("Polsek Halong", FacilityKind.KANTOR_POLISI, "halong")
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rapat koordinasi FKDM" in html and "Polsek Halong" in html
    assert '<html lang="id"' in html


def test_news_index_paginates_and_filters_by_category(client):
    for number in range(12):
        factories.make_news(
            f"Berita nomor {number:02d}", category="Kegiatan" if number % 2 else None
        )
    first = client.get("/berita/")
    assert first.status_code == 200
    assert len(first.context["news"]) == 10
    second = client.get("/berita/", {"halaman": 2})
    assert len(second.context["news"]) == 2
    by_category = client.get("/berita/", {"kategori": "kegiatan"})
    assert {p.category.slug for p in by_category.context["news"]} == {"kegiatan"}
    assert client.get("/berita/", {"halaman": "bukan-angka"}).status_code == 200


def test_news_page_renders_body_and_image(client):
    page = factories.make_news(
        "Imbauan waspada banjir",
        body="<p>Curah hujan tinggi.</p>",
        lead_image=factories.make_image(),
    )
    page.tags.add("banjir")
    page.save()
    response = client.get(page.url)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Curah hujan tinggi." in html and "banjir" in html and "<img" in html


def test_facility_index_filters_by_kind_and_kecamatan(client):
    factories.make_facility("Puskesmas Paringin", FacilityKind.PUSKESMAS, "paringin")
    factories.make_facility("Puskesmas Juai", FacilityKind.PUSKESMAS, "juai")
    factories.make_facility("Polres Balangan", FacilityKind.KANTOR_POLISI, "paringin")
    titles = lambda r: {p.title for p in r.context["facilities"]}  # noqa: E731
    assert len(titles(client.get("/fasilitas/"))) == 3
    assert titles(client.get("/fasilitas/", {"jenis": "puskesmas"})) == {
        "Puskesmas Paringin",
        "Puskesmas Juai",
    }
    assert titles(client.get("/fasilitas/", {"jenis": "puskesmas", "kecamatan": "juai"})) == {
        "Puskesmas Juai"
    }
    # An unknown kind is ignored rather than an error.
    assert len(titles(client.get("/fasilitas/", {"jenis": "<script>"}))) == 3


def test_facility_page_shows_contact_and_map_link(client):
    page = factories.make_facility(
        "Polres Balangan",
        FacilityKind.KANTOR_POLISI,
        "paringin",
        phone="110",
        opening_hours="24 jam",
        latitude="-2.334900",
        longitude="115.469000",
    )
    html = client.get(page.url).content.decode()
    assert "110" in html and "24 jam" in html and "Paringin" in html
    assert "mlat=-2.334900" in html and "mlon=115.469000" in html


def test_search_finds_news_and_facilities(client):
    factories.make_news("Sosialisasi pencegahan konflik sosial")
    factories.make_facility("Puskesmas Juai", FacilityKind.PUSKESMAS, "juai")
    assert {p.title for p in client.get("/cari/", {"q": "konflik"}).context["results"]} == {
        "Sosialisasi pencegahan konflik sosial"
    }
    assert "Puskesmas Juai" in {
        p.title for p in client.get("/cari/", {"q": "puskesmas"}).context["results"]
    }
    assert client.get("/cari/").status_code == 200


def test_unpublished_news_is_not_public(client):
    page = factories.make_news("Draf rahasia")
    page.unpublish()
    assert client.get("/berita/").context["news"].paginator.count == 0
    assert client.get("/cari/", {"q": "rahasia"}).context["results"].paginator.count == 0


def test_english_is_available(client):
    response = client.get("/", headers={"accept-language": "en"})
    assert '<html lang="en"' in response.content.decode()


def test_no_asset_comes_from_another_host(client):
    factories.make_news("Berita", lead_image=factories.make_image())
    html = client.get("/").content.decode()
    import re

    external = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(https?://[^"]+)"', html)
    assert external == []


def test_unknown_page_is_a_404(client):
    assert client.get("/tidak-ada/").status_code == 404


def test_home_page_shows_published_public_reports_only(client, petugas, verifikator):
    from tests.reports.reports_factories import make_report, verified_report

    verified_report(petugas, verifikator, judul="Banjir di Halong terverifikasi")
    verified_report(petugas, verifikator, judul="Rencana aksi terbatas", klasifikasi="terbatas")
    make_report(petugas, judul="Draf belum dikirim")
    client.force_login(verifikator)  # what the home page shows does not depend on who looks
    html = client.get("/").content.decode()
    assert "Banjir di Halong terverifikasi" in html
    assert "Rencana aksi terbatas" not in html and "Draf belum dikirim" not in html
