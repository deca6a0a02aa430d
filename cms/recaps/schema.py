"""GraphQL of the tiered recaps: `recaps` (cursor paged, both tiers in one
list) and `recap(id)`, read through the recap permission policy only — a
recap the viewer may not see is answered exactly like one that does not
exist (null / left out). Counts come from the frozen document of an
approved recap; download links point at the permission-checked download
view, which serves the stored file (cms/recaps/files.py)."""

import datetime

import graphene
from django.db.models import IntegerField, Prefetch, Value
from django.urls import reverse
from django.utils.functional import cached_property

from cms.platform.api.enums import choice_value, choices_enum, described_enum
from cms.platform.api.inputs import parse_id
from cms.platform.api.pagination import (
    DEFAULT_PAGE_SIZE,
    Key,
    Ordering,
    Page,
    connection_type,
    count_limit,
    page_args,
    paginate,
)
from cms.reports.schema_types import KecamatanType

from . import exports
from .models import BerkasRekap, RekapKabupaten, RekapKecamatan, StatusRekap
from .periods import Cadence
from .permissions import rekap_kabupaten_policy, rekap_kecamatan_policy

RecapCadenceEnum = choices_enum(
    "RecapCadence",
    "The period a recap covers, in WITA.",
    Cadence,
    {
        "HARIAN": "A calendar day.",
        "MINGGUAN": "A week, Monday to Sunday.",
        "BULANAN": "A calendar month.",
    },
)
RecapStatusEnum = choices_enum(
    "RecapStatus",
    "Where a recap is in its workflow.",
    StatusRekap,
    {
        "DRAF": "Drafted automatically; the narrative is being written.",
        "MENUNGGU": "Sent for approval.",
        "PERLU_PERBAIKAN": "Sent back with a comment.",
        "DISETUJUI": "Approved (kecamatan recap): numbered and frozen.",
        "DITANDATANGANI": "Approved and signed (kabupaten recap): numbered and frozen.",
    },
)
RecapTierEnum = described_enum(
    "RecapTier",
    "The tier of a recap (berjenjang).",
    {
        "KECAMATAN": ("kecamatan", "The recap of one kecamatan."),
        "KABUPATEN": ("kabupaten", "The recap of the regency (Kabupaten Balangan)."),
    },
)

TIERS = {"kecamatan": RekapKecamatan, "kabupaten": RekapKabupaten}
POLICIES = {"kecamatan": rekap_kecamatan_policy, "kabupaten": rekap_kabupaten_policy}
# Rank of a tier in the list: at the same period start the regency recap
# comes first (ranks are positive: cursor keys of kind int are).
RANK = {"kabupaten": 2, "kecamatan": 1}
ORDERING = Ordering(
    "rekap",
    (Key("periode_mulai", kind=datetime.date), Key("tingkat", kind=int),
     Key("pk", kind=int)),
)


def recap_id(recap):
    return f"{tier_of(recap)}-{recap.pk}"


def tier_of(recap):
    return "kabupaten" if isinstance(recap, RekapKabupaten) else "kecamatan"


def parse_recap_id(value):
    """(tier, pk) of an ID such as "kabupaten-12", or None."""
    tier, _sep, number = str(value or "").partition("-")
    pk = parse_id(number)
    return (tier, pk) if tier in TIERS and pk is not None else None


class RecapPeriodType(graphene.ObjectType):
    cadence = graphene.Field(RecapCadenceEnum, required=True)
    start = graphene.Date(required=True, description="First day (WITA).")
    end = graphene.Date(required=True, description="Last day (WITA), inclusive.")
    label = graphene.String(required=True, description="In Indonesian, e.g. \"November 2026\".")

    class Meta:
        name = "RecapPeriod"
        description = "The period of a recap, in WITA."


class RecapNarrativeType(graphene.ObjectType):
    situasi_umum = graphene.String(required=True, description="General situation.")
    penilaian = graphene.String(required=True, description="Assessment.")
    rekomendasi = graphene.String(required=True, description="Recommendations.")

    class Meta:
        name = "RecapNarrative"
        description = "What the verifier or Kesbangpol wrote."


class RecapCountType(graphene.ObjectType):
    name = graphene.String(required=True)
    count = graphene.Int(required=True, description="In this period.")
    previous = graphene.Int(required=True, description="In the period before.")
    change = graphene.Int(required=True, description="count − previous.")

    class Meta:
        name = "RecapCount"
        description = "A count of verified reports with the change from the previous period."


def _count(name, item):
    return RecapCountType(name=name, count=item["jumlah"], previous=item["sebelumnya"],
                          change=item["perubahan"])


class RecapCountsType(graphene.ObjectType):
    total = graphene.Field(RecapCountType, required=True)
    events = graphene.Int(required=True, description="Reports of one incident count once.")
    by_aspect = graphene.List(graphene.NonNull(RecapCountType), required=True)
    by_athg_type = graphene.List(graphene.NonNull(RecapCountType), required=True)
    by_urgency = graphene.List(graphene.NonNull(RecapCountType), required=True)
    late_reports = graphene.Int(required=True, description="Addenda (laporan susulan).")

    class Meta:
        name = "RecapCounts"
        description = "The counts of an approved recap, as frozen at approval."

    @classmethod
    def of(cls, doc):
        return cls(
            total=_count("Jumlah", doc["jumlah"]),
            events=doc.get("jumlah_kejadian", 0),
            by_aspect=[_count(item["nama"], item) for item in doc["aspek"]],
            by_athg_type=[_count(item["nama"], item) for item in doc["jenis_athg"]],
            by_urgency=[_count(item["nama"], item) for item in doc["urgensi"]],
            late_reports=len(doc.get("susulan", [])),
        )


class RecapSignerType(graphene.ObjectType):
    name = graphene.String(required=True)
    nip = graphene.String(required=True)
    title = graphene.String(required=True, description="E.g. Plt. Kepala Badan Kesbangpol.")
    signed_at = graphene.DateTime(required=True)

    class Meta:
        name = "RecapSigner"
        description = "Who signed the regency recap, as it was when they signed."


class RecapDownloadType(graphene.ObjectType):
    format = graphene.String(required=True, description="pdf, docx or xlsx.")
    url = graphene.String(
        required=True,
        description="The file, served after a permission check (send the bearer token).",
    )
    stored = graphene.Boolean(
        required=True,
        description="True when the approved recap's file has been made and stored; the URL "
        "then answers exactly that file.",
    )
    checksum = graphene.String(description="SHA-256 (hex) of the stored file; null until stored.")
    size = graphene.Int(description="Bytes of the stored file; null until stored.")

    class Meta:
        name = "RecapDownload"
        description = "One export format of a recap."


class RecapType(graphene.ObjectType):
    id = graphene.ID(required=True, description='E.g. "kabupaten-12" or "kecamatan-40".')
    tier = graphene.Field(RecapTierEnum, required=True)
    number = graphene.String(description="Document number; null until approved.")
    title = graphene.String(required=True)
    period = graphene.Field(RecapPeriodType, required=True)
    kecamatan = graphene.Field(KecamatanType, description="Null for the regency recap.")
    status = graphene.Field(RecapStatusEnum, required=True)
    narrative = graphene.Field(RecapNarrativeType, required=True)
    counts = graphene.Field(
        RecapCountsType,
        description="Null until approved: the counts are those frozen with the document.",
    )
    checksum = graphene.String(
        description="SHA-256 of the frozen document (JSON); null until approved."
    )
    approved_at = graphene.DateTime()
    signer = graphene.Field(RecapSignerType, description="The regency recap, once signed.")
    downloads = graphene.List(
        graphene.NonNull(RecapDownloadType), required=True,
        description="One per enabled export format.",
    )

    class Meta:
        name = "Recap"
        description = "A recap (rekap) of a kecamatan or of the regency for one period."

    @staticmethod
    def resolve_id(recap, info):
        return recap_id(recap)

    @staticmethod
    def resolve_tier(recap, info):
        return tier_of(recap)

    @staticmethod
    def resolve_number(recap, info):
        return recap.nomor

    @staticmethod
    def resolve_title(recap, info):
        return recap.title

    @staticmethod
    def resolve_period(recap, info):
        period = recap.period
        return RecapPeriodType(cadence=recap.periode, start=period.start_date,
                               end=period.last_date, label=period.label)

    @staticmethod
    def resolve_kecamatan(recap, info):
        return getattr(recap, "kecamatan", None)

    @staticmethod
    def resolve_narrative(recap, info):
        return RecapNarrativeType(situasi_umum=recap.situasi_umum, penilaian=recap.penilaian,
                                  rekomendasi=recap.rekomendasi)

    @staticmethod
    def resolve_counts(recap, info):
        return RecapCountsType.of(recap.isi_beku) if recap.isi_beku else None

    @staticmethod
    def resolve_checksum(recap, info):
        return recap.checksum or None

    @staticmethod
    def resolve_approved_at(recap, info):
        return recap.disetujui_pada

    @staticmethod
    def resolve_signer(recap, info):
        signer = getattr(recap, "penandatangan", None)
        if not signer or recap.status != StatusRekap.DITANDATANGANI:
            return None
        return RecapSignerType(name=signer.get("nama", ""), nip=signer.get("nip", ""),
                               title=signer.get("jabatan", ""),
                               signed_at=recap.ditandatangani_pada)

    @staticmethod
    def resolve_downloads(recap, info):
        stored = {row.format: row for row in recap.berkas.all() if row.ready}
        downloads = []
        for fmt in _formats(info):
            row = stored.get(fmt) if recap.is_final else None
            url = reverse("recaps:unduh", args=[tier_of(recap), recap.pk, fmt])
            downloads.append(RecapDownloadType(
                format=fmt, url=info.context.build_absolute_uri(url), stored=row is not None,
                checksum=row.checksum if row else None, size=row.ukuran if row else None,
            ))
        return downloads


def _formats(info):
    """The enabled recap formats, asked once per request."""
    context = info.context
    if not hasattr(context, "_sikanda_recap_formats"):
        context._sikanda_recap_formats = sorted(exports.recap_exporters())
    return context._sikanda_recap_formats


def _visible(user, tier):
    files = Prefetch("berkas", queryset=BerkasRekap.objects.exclude(checksum=""))
    recaps = POLICIES[tier].visible_to(user).prefetch_related(files)
    if tier == "kecamatan":
        recaps = recaps.select_related("kecamatan")
    return recaps


class RecapPage(Page):
    """A page merged from the two tiers' pages (each one keyset query)."""

    def __init__(self, items, has_next_page, counted):
        super().__init__(items, ORDERING, has_next_page, counted=None)
        self._querysets = counted

    @cached_property
    def counted_rows(self):
        limit = count_limit() + 1
        return sum(
            queryset.order_by().prefetch_related(None)[:limit].count()
            for queryset in self._querysets
        )


RecapConnection = connection_type(RecapType, "Recap", "recaps")


class Query(graphene.ObjectType):
    recaps = graphene.Field(
        RecapConnection, required=True,
        tier=graphene.Argument(RecapTierEnum, description="Null: both tiers."),
        periode=graphene.Argument(RecapCadenceEnum, description="Null: every cadence."),
        kecamatan=graphene.String(
            description="Kecamatan slug: that kecamatan's recaps (no regency recaps)."
        ),
        status=graphene.Argument(RecapStatusEnum),
        **page_args(),
        description="Recaps the viewer may read — Pimpinan (approved and signed ones), "
        "administrators, the kecamatan's verifiers — newest period first, the regency recap "
        "before the kecamatan recaps of the same period. Everyone else gets an empty list.",
    )
    recap = graphene.Field(
        RecapType, id=graphene.ID(required=True),
        description="One recap; null when it does not exist or the viewer may not read it.",
    )

    @staticmethod
    def resolve_recaps(root, info, first=None, after=None, tier=None, periode=None,
                       kecamatan=None, status=None):
        user = info.context.user
        tiers = [choice_value(tier)] if tier is not None else ["kabupaten", "kecamatan"]
        if kecamatan is not None:
            tiers = [name for name in tiers if name == "kecamatan"]
        querysets = []
        for name in tiers:
            recaps = _visible(user, name).annotate(
                tingkat=Value(RANK[name], output_field=IntegerField())
            )
            if periode is not None:
                recaps = recaps.filter(periode=choice_value(periode))
            if status is not None:
                recaps = recaps.filter(status=choice_value(status))
            if kecamatan is not None:
                recaps = recaps.filter(kecamatan__slug=kecamatan)
            querysets.append(recaps)
        if not querysets:  # the regency tier asked for one kecamatan: nothing
            nothing = RekapKecamatan.objects.none().annotate(
                tingkat=Value(RANK["kecamatan"], output_field=IntegerField())
            )
            return paginate(nothing, ORDERING, first, after)
        pages = [paginate(queryset, ORDERING, first, after) for queryset in querysets]
        if len(pages) == 1:
            return pages[0]
        merged = sorted(
            (item for page in pages for item in page.nodes),
            key=lambda item: (item.periode_mulai, item.tingkat, item.pk), reverse=True,
        )
        size = DEFAULT_PAGE_SIZE if first is None else first
        has_next = len(merged) > size or any(page.page_info.has_next_page for page in pages)
        return RecapPage(merged[:size], has_next, querysets)

    @staticmethod
    def resolve_recap(root, info, id):
        parsed = parse_recap_id(id)
        if parsed is None:
            return None
        tier, pk = parsed
        return _visible(info.context.user, tier).filter(pk=pk).first()
