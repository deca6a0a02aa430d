from django.db import migrations
from django.utils.text import slugify

KECAMATAN = [
    "Awayan", "Batumandi", "Halong", "Juai", "Lampihong", "Paringin", "Paringin Selatan",
    "Tebing Tinggi",
]
ASPEK = ["Ideologi", "Politik", "Ekonomi", "Sosial Budaya", "Pertahanan dan Keamanan"]
JENIS_ATHG = [
    ("Ancaman", "Upaya yang dapat membahayakan keselamatan bangsa, keamanan, kedaulatan dan keutuhan wilayah."),
    ("Tantangan", "Hal yang menggugah kemampuan untuk diatasi."),
    ("Hambatan", "Hal yang bersifat melemahkan atau menghalangi secara tidak konsepsional."),
    ("Gangguan", "Hal dari luar yang bersifat melemahkan atau menghalangi secara tidak konsepsional."),
]


def forwards(apps, schema_editor):
    Kecamatan = apps.get_model("reports", "Kecamatan")
    Aspek = apps.get_model("reports", "Aspek")
    JenisATHG = apps.get_model("reports", "JenisATHG")
    for nama in KECAMATAN:
        Kecamatan.objects.get_or_create(slug=slugify(nama), defaults={"nama": nama})
    for urutan, nama in enumerate(ASPEK, start=1):
        Aspek.objects.get_or_create(slug=slugify(nama), defaults={"nama": nama, "urutan": urutan})
    for urutan, (nama, keterangan) in enumerate(JENIS_ATHG, start=1):
        JenisATHG.objects.get_or_create(
            slug=slugify(nama), defaults={"nama": nama, "urutan": urutan, "keterangan": keterangan}
        )


class Migration(migrations.Migration):
    dependencies = [("reports", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
