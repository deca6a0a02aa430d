"""GraphQL types of the master data and the report format's closed sets,
shared by every domain that points at a kecamatan or a category."""

import graphene
from graphene_django import DjangoObjectType

from cms.platform.api.enums import choices_enum

from .models import Aspek, Desa, JenisATHG, Kecamatan
from .models.laporan import Klasifikasi, Lampiran, Periode, Status, Urgensi

PeriodeEnum = choices_enum(
    "Periode",
    "Cadence of a report (Permendagri 2/2018): daily, weekly, monthly or at any time.",
    Periode,
    {
        "HARIAN": "Daily report (laporan harian).",
        "MINGGUAN": "Weekly report (laporan mingguan).",
        "BULANAN": "Monthly report (laporan bulanan).",
        "INSIDENTIL": "At any time, when something happens (sewaktu-waktu / insidentil).",
    },
)
UrgensiEnum = choices_enum(
    "Urgensi",
    "How urgent a report is; decides who is alerted and how fast.",
    Urgensi,
    {
        "RENDAH": "Low: routine information.",
        "SEDANG": "Medium (the default).",
        "TINGGI": "High: the leadership gets a push at once when it is verified.",
        "DARURAT": "Emergency: the leadership is alerted the moment it is filed.",
    },
)
KlasifikasiEnum = choices_enum(
    "Klasifikasi",
    "Who may read a verified report.",
    Klasifikasi,
    {
        "PUBLIK": "Public once verified: guests and the public web site see it "
        "(never the reporter, source, grading or verifier comments).",
        "TERBATAS": "Restricted (the default): only the reporter, the kecamatan's verifiers, "
        "Pimpinan and administrators.",
    },
)
StatusEnum = choices_enum(
    "Status",
    "Where a report stands in verification.",
    Status,
    {
        "DRAF": "Draft: seen by the reporter only; editable.",
        "MENUNGGU": "Waiting for a verifier of its kecamatan; not editable.",
        "PERLU_PERBAIKAN": "Sent back by a verifier with a comment; editable, then resubmit.",
        "TERVERIFIKASI": "Verified by a verifier (and public if PUBLIK).",
        # Used once the model has it (retraction, cms.reports.transitions).
        "DITARIK": "Verified, then taken down with a reason; kept with its history.",
    },
)
JenisLampiranEnum = choices_enum(
    "JenisLampiran",
    "What an attachment is, decided from its content (not its name).",
    Lampiran.Jenis,
    {
        "FOTO": "A photo (JPEG, PNG, WebP, HEIC); has a thumbnail.",
        "DOKUMEN": "A document (PDF, DOCX, XLSX).",
    },
)
JenisDesaEnum = choices_enum(
    "JenisDesa",
    "Whether a village is a desa or a kelurahan.",
    Desa.Jenis,
    {"DESA": "A village (desa).", "KELURAHAN": "An urban ward (kelurahan)."},
)


class KecamatanType(DjangoObjectType):
    class Meta:
        model = Kecamatan
        name = "Kecamatan"
        description = "A district (kecamatan) of Kabupaten Balangan."
        fields = ("id", "nama", "slug", "kode")


class DesaType(DjangoObjectType):
    jenis = graphene.Field(JenisDesaEnum, required=True)

    class Meta:
        model = Desa
        name = "Desa"
        description = "A village (desa or kelurahan) of a kecamatan."
        fields = ("id", "nama", "jenis", "kecamatan")

    @staticmethod
    def resolve_jenis(desa, info):
        return desa.jenis


class AspekType(DjangoObjectType):
    class Meta:
        model = Aspek
        name = "Aspek"
        description = (
            "The aspect a report concerns (ideologi, politik, ekonomi, sosial budaya, "
            "pertahanan dan keamanan); edited by administrators."
        )
        fields = ("id", "nama", "slug", "keterangan")


class JenisATHGType(DjangoObjectType):
    class Meta:
        model = JenisATHG
        name = "JenisATHG"
        description = "Kind of report: Ancaman, Tantangan, Hambatan or Gangguan."
        fields = ("id", "nama", "slug", "keterangan")
