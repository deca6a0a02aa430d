import pytest
from django.contrib.auth.models import Permission

from cms.reports.assignments import FILE_REPORT, VERIFY_REPORT, assigned_kecamatan
from cms.reports.models import Aspek, Desa, JenisATHG, Kecamatan
from tests import factories

pytestmark = pytest.mark.django_db

BALANGAN = {
    "Awayan",
    "Batumandi",
    "Halong",
    "Juai",
    "Lampihong",
    "Paringin",
    "Paringin Selatan",
    "Tebing Tinggi",
}


def test_migrations_create_the_eight_kecamatan_aspects_and_athg_types():
    assert set(Kecamatan.objects.values_list("nama", flat=True)) == BALANGAN
    assert list(Aspek.objects.values_list("nama", flat=True)) == [
        "Ideologi",
        "Politik",
        "Ekonomi",
        "Sosial Budaya",
        "Pertahanan dan Keamanan",
    ]
    assert list(JenisATHG.objects.values_list("nama", flat=True)) == [
        "Ancaman",
        "Tantangan",
        "Hambatan",
        "Gangguan",
    ]


URL = "/admin/reports/{}/"


@pytest.mark.parametrize("model", ["kecamatan", "desa", "aspek", "jenisathg"])
def test_administrator_lists_master_data(client, administrator, model):
    client.force_login(administrator)
    response = client.get(URL.format(model))
    assert response.status_code == 200


def test_master_data_list_searches_and_filters(client, administrator):
    paringin = factories.kecamatan("paringin")
    # Both come with the master data migration (reports 0011).
    Desa.objects.get(kecamatan=paringin, nama="Paringin Kota", jenis="kelurahan")
    Desa.objects.get(kecamatan=factories.kecamatan("halong"), nama="Mauya")
    client.force_login(administrator)
    by_search = client.get(URL.format("desa"), {"q": "Mauya"})
    assert b"Mauya" in by_search.content and b"Paringin Kota" not in by_search.content
    by_filter = client.get(URL.format("desa"), {"kecamatan__id__exact": paringin.pk})
    assert b"Paringin Kota" in by_filter.content and b"Mauya" not in by_filter.content


@pytest.mark.parametrize("model", ["kecamatan", "desa", "aspek", "jenisathg"])
@pytest.mark.parametrize("fixture", ["verifikator", "pimpinan"])
def test_non_administrators_are_refused_master_data(client, request, fixture, model):
    client.force_login(request.getfixturevalue(fixture))
    assert client.get(URL.format(model)).status_code in (302, 403)
    assert client.get(URL.format(model) + "create/").status_code in (302, 403)


def test_verifier_cannot_create_an_aspect_by_posting(client, verifikator):
    client.force_login(verifikator)
    client.post(URL.format("aspek") + "create/", {"nama": "Budaya", "slug": "budaya", "urutan": 9})
    assert not Aspek.objects.filter(slug="budaya").exists()


def test_administrator_creates_an_aspect(client, administrator):
    client.force_login(administrator)
    response = client.post(
        URL.format("aspek") + "create/", {"nama": "Lingkungan", "slug": "lingkungan", "urutan": 6}
    )
    assert response.status_code == 302
    assert Aspek.objects.filter(slug="lingkungan").exists()


def test_administrator_assigns_officers_and_verifiers_to_a_kecamatan(client, administrator):
    from cms.accounts import roles

    halong = factories.kecamatan("halong")
    officer = factories.make_user(roles.PETUGAS, username="petugas.baru")
    verifier = factories.make_user(roles.VERIFIKATOR, username="verifikator.baru")
    client.force_login(administrator)
    form = {
        "nama": "Halong",
        "slug": "halong",
        "kode": "",
        "petugas": [officer.pk],
        "verifikator": [verifier.pk],
    }
    response = client.post(URL.format("kecamatan") + f"edit/{halong.pk}/", form)
    assert response.status_code == 302, response.content[:2000]
    assert list(assigned_kecamatan(officer, FILE_REPORT)) == [halong]
    assert list(assigned_kecamatan(verifier, VERIFY_REPORT)) == [halong]
    assert not assigned_kecamatan(officer, VERIFY_REPORT).exists()
    # The edit form shows the current assignment; unticking removes it.
    edit = client.get(URL.format("kecamatan") + f"edit/{halong.pk}/")
    assert edit.context["form"].initial["petugas"] == [officer]
    form["petugas"] = []
    client.post(URL.format("kecamatan") + f"edit/{halong.pk}/", form)
    assert not assigned_kecamatan(officer, FILE_REPORT).exists()
    assert list(assigned_kecamatan(verifier, VERIFY_REPORT)) == [halong]


def test_only_officers_and_verifiers_are_offered_for_assignment(client, administrator, pengguna):
    client.force_login(administrator)
    form = client.get(URL.format("kecamatan") + f"edit/{factories.kecamatan().pk}/").context["form"]
    assert pengguna not in form.fields["petugas"].queryset
    assert pengguna not in form.fields["verifikator"].queryset


def test_deleting_a_kecamatan_in_use_is_refused_with_a_message(client, administrator):
    paringin = factories.kecamatan("paringin")
    Desa.objects.get(kecamatan=paringin, nama="Paringin Kota")
    client.force_login(administrator)
    response = client.post(URL.format("kecamatan") + f"delete/{paringin.pk}/")
    assert response.status_code == 200
    assert response.context["protected_error"] is True
    assert "Paringin Kota" in response.content.decode()
    assert Kecamatan.objects.filter(pk=paringin.pk).exists()


def test_deleting_an_unused_kecamatan_works(client, administrator):
    unused = Kecamatan.objects.create(nama="Uji Coba", slug="uji-coba")
    client.force_login(administrator)
    client.post(URL.format("kecamatan") + f"delete/{unused.pk}/")
    assert not Kecamatan.objects.filter(pk=unused.pk).exists()


def test_assignment_permissions_are_object_level_only():
    # No group holds the assignment permissions globally: being a verifier
    # does not make one a verifier of every kecamatan.
    perms = Permission.objects.filter(codename__in=["file_report", "verify_report"])
    assert not perms.filter(group__isnull=False).exists()
