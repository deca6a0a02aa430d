"""Report builders for tests: real service calls, no shortcuts past the
permission layer or the workflow."""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image as PILImage

from cms.reports import services
from cms.reports.models import Aspek, JenisATHG
from tests import factories


def report_fields(kec="paringin", **overrides):
    fields = {
        "judul": "Keributan di pasar Paringin",
        "periode": "insidentil",
        "jenis_athg": JenisATHG.objects.get(slug="gangguan"),
        "aspek": Aspek.objects.get(slug="sosial-budaya"),
        "urgensi": "tinggi",
        "kecamatan": factories.kecamatan(kec),
        "waktu_kejadian": timezone.now() - datetime.timedelta(hours=2),
        "fakta": "Dua kelompok pemuda bersitegang di pasar.",
        "analisis": "Berpotensi meluas bila tidak dimediasi.",
        "rekomendasi": "Mediasi oleh tokoh masyarakat.",
        "sumber_informasi": "Pak RT 03 (rahasia)",
        "klasifikasi": "publik",
        "latitude": "-2.334900",
        "longitude": "115.469000",
    }
    fields.update(overrides)
    return fields


def photo(name="foto.jpg", colour="#884400", size=(32, 24)):
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def make_report(officer, submit=False, uploads=(), **overrides):
    return services.create_report(
        officer, submit=submit, uploads=uploads, **report_fields(**overrides)
    )


def verified_report(officer, verifier, **overrides):
    laporan = make_report(officer, submit=True, **overrides)
    return services.act(
        laporan, verifier, "approve", keandalan_sumber="B", kredibilitas_informasi="2"
    )
