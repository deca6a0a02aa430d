"""Balangan's partner agencies for dispositions. Master data: administrators
correct names and add members in *Data induk → Instansi*."""

from django.db import migrations

AGENCIES = [
    ("Kepolisian Resor Balangan", "Polres Balangan", "kepolisian"),
    ("Komando Distrik Militer 1001/Hulu Sungai Utara–Balangan", "Kodim 1001/HSU-Blg", "tni"),
    ("Badan Penanggulangan Bencana Daerah Kabupaten Balangan", "BPBD Balangan", "kebencanaan"),
    ("Satuan Polisi Pamong Praja dan Pemadam Kebakaran Kabupaten Balangan",
     "Satpol PP dan Damkar Balangan", "ketertiban"),
    ("Dinas Sosial Kabupaten Balangan", "Dinsos Balangan", "dinas"),
    ("Kejaksaan Negeri Balangan", "Kejari Balangan", "kejaksaan"),
]


def forwards(apps, schema_editor):
    Instansi = apps.get_model("followup", "Instansi")
    Kecamatan = apps.get_model("reports", "Kecamatan")
    for nama, singkatan, jenis in AGENCIES:
        Instansi.objects.get_or_create(
            nama=nama, defaults={"singkatan": singkatan, "jenis": jenis}
        )
    for kecamatan in Kecamatan.objects.order_by("nama"):
        Instansi.objects.get_or_create(
            nama=f"Camat {kecamatan.nama}",
            defaults={"jenis": "kecamatan", "kecamatan": kecamatan},
        )


def backwards(apps, schema_editor):
    Instansi = apps.get_model("followup", "Instansi")
    names = [nama for nama, _s, _j in AGENCIES]
    Instansi.objects.filter(nama__in=names).delete()
    Instansi.objects.filter(jenis="kecamatan", nama__startswith="Camat ").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("followup", "0001_agencies_dispositions_incidents"),
        ("reports", "0002_master_data"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
