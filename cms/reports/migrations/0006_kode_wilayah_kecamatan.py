"""Official region codes (kode wilayah) of Balangan's eight kecamatan.

Kabupaten Balangan is 63.11 in the Kemendagri register of administrative
regions; its kecamatan codes, as listed in Kepmendagri No. 300.2.2-2138 Tahun
2025 (Kode dan Data Wilayah Administrasi Pemerintahan dan Pulau), are
63.11.01 Juai, 63.11.02 Halong, 63.11.03 Awayan, 63.11.04 Batu Mandi,
63.11.05 Lampihong, 63.11.06 Paringin, 63.11.07 Paringin Selatan and
63.11.08 Tebing Tinggi.

Checked against two independent transcriptions of the register:
- the npm package idn-area-data 3.1.2 (data/districts.csv, "based on the
  latest regulation"), rows 63.11.01 to 63.11.08;
- db/wilayah.sql of the public repository cahyadsn/wilayah ("Data Kode
  Wilayah sesuai Kepmendagri No 300.2.2-2138 Tahun 2025"), same rows.

The codes are written only where `kode` is still empty, so running this again,
or on a database where an administrator already entered or corrected a code,
changes nothing that was edited. The CAP feed uses them as <geocode>."""

from django.db import migrations

KODE_BY_SLUG = {
    "juai": "63.11.01",
    "halong": "63.11.02",
    "awayan": "63.11.03",
    "batumandi": "63.11.04",
    "lampihong": "63.11.05",
    "paringin": "63.11.06",
    "paringin-selatan": "63.11.07",
    "tebing-tinggi": "63.11.08",
}


def fill_empty_codes(apps, schema_editor):
    Kecamatan = apps.get_model("reports", "Kecamatan")
    for slug, kode in KODE_BY_SLUG.items():
        Kecamatan.objects.filter(slug=slug, kode="").update(kode=kode)


class Migration(migrations.Migration):
    dependencies = [("reports", "0005_penarikan")]
    # Reversing keeps the codes: after this ran, nobody can tell a code it
    # wrote from one an administrator confirmed.
    operations = [migrations.RunPython(fill_empty_codes, migrations.RunPython.noop)]
