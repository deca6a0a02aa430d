"""GraphQL of reporting compliance for the officers' app: file a *laporan
nihil* ("nothing to report") for today or yesterday in one call, and see
whether a day is already accounted for. Writes go through
cms/compliance/services.py; the counts are those of the admin board."""

import datetime

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.platform.api.errors import FieldError, from_exception
from cms.platform.api.inputs import parse_id
from cms.recaps.periods import WITA, local_date
from cms.reports.models import Kecamatan, Laporan
from cms.reports.permissions import laporan_policy
from cms.reports.schema_types import KecamatanType

from . import services
from .board import COUNTED
from .models import LaporanNihil


class ComplianceState(graphene.Enum):
    """Whether a kecamatan accounted for a day."""

    REPORTED = "reported"
    NIHIL = "nihil"
    MISSING = "missing"

    @property
    def description(self):
        return {
            "REPORTED": "At least one report with its event on that day was submitted "
                        "(waiting, sent back or verified).",
            "NIHIL": "No report, but a nil report (nothing to report) was filed.",
            "MISSING": "Neither a report nor a nil report yet.",
        }.get(self.name)


class NihilReportType(graphene.ObjectType):
    id = graphene.ID(required=True)
    kecamatan = graphene.Field(KecamatanType, required=True)
    date = graphene.Date(required=True, description="The WITA calendar day it covers.")
    filed_by = graphene.String(required=True, description="Name of the officer who filed it.")
    filed_at = graphene.DateTime(required=True)

    class Meta:
        name = "NihilReport"
        description = "\"Nothing to report\" for one kecamatan and one day (one per day)."

    @staticmethod
    def resolve_date(item, info):
        return item.tanggal

    @staticmethod
    def resolve_filed_by(item, info):
        user = item.petugas
        return (user.get_full_name() or user.get_username()) if user else ""

    @staticmethod
    def resolve_filed_at(item, info):
        return item.dibuat


class DayComplianceType(graphene.ObjectType):
    kecamatan = graphene.Field(KecamatanType, required=True)
    date = graphene.Date(required=True)
    state = graphene.Field(ComplianceState, required=True)
    report_count = graphene.Int(required=True, description="Submitted reports of that day.")
    nihil_report = graphene.Field(NihilReportType)

    class Meta:
        name = "DayCompliance"
        description = "One kecamatan's reporting for one WITA day."


def my_compliance(user, tanggal):
    ids = laporan_policy.file_kecamatan_ids(user)
    if not ids:
        return []
    start = datetime.datetime.combine(tanggal, datetime.time(), tzinfo=WITA)
    counts = {}
    for kecamatan_id in Laporan.objects.filter(
        kecamatan_id__in=ids, status__in=COUNTED, waktu_kejadian__gte=start,
        waktu_kejadian__lt=start + datetime.timedelta(days=1),
    ).values_list("kecamatan_id", flat=True):
        counts[kecamatan_id] = counts.get(kecamatan_id, 0) + 1
    nihil = {
        item.kecamatan_id: item for item in LaporanNihil.objects.select_related("petugas")
        .filter(kecamatan_id__in=ids, tanggal=tanggal)
    }
    found = []
    for kecamatan in Kecamatan.objects.filter(pk__in=ids):
        count = counts.get(kecamatan.pk, 0)
        state = (ComplianceState.REPORTED if count else
                 ComplianceState.NIHIL if kecamatan.pk in nihil else ComplianceState.MISSING)
        found.append(DayComplianceType(
            kecamatan=kecamatan, date=tanggal, state=state, report_count=count,
            nihil_report=nihil.get(kecamatan.pk),
        ))
    return found


class Query(graphene.ObjectType):
    my_compliance = graphene.List(
        graphene.NonNull(DayComplianceType), required=True,
        date=graphene.Date(description="The WITA day; null or left out means today."),
        description="Officers: for each kecamatan I report for, whether the day is accounted "
                    "for (a report, a nil report, or nothing yet). Empty for other users.",
    )

    @staticmethod
    def resolve_my_compliance(root, info, date=None):
        return my_compliance(info.context.user, date or local_date(timezone.now()))


class NihilReportPayload(graphene.ObjectType):
    nihil_report = graphene.Field(NihilReportType)
    created = graphene.Boolean(
        required=True, description="False when the day was already filed: the first record "
                                   "is returned, nothing is written twice.")
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    class Meta:
        name = "NihilReportPayload"


class FileNihilReport(graphene.Mutation):
    """An officer says "nothing to report" for a day of their kecamatan: today
    or yesterday (WITA) only. Filing a day already filed returns that record.
    Refused for anyone who is not an officer (PERMISSION_DENIED)."""

    class Arguments:
        date = graphene.Date(description="The WITA day; null or left out means today. Only "
                                         "today or yesterday (INVALID otherwise).")
        kecamatan = graphene.ID(description="Required when I report for several kecamatan; "
                                            "null means my only one.")

    Output = NihilReportPayload

    @staticmethod
    def mutate(root, info, date=None, kecamatan=None):
        try:
            user = info.context.user
            if not user.is_authenticated:
                raise PermissionDenied(_("Masuk terlebih dahulu."))
            kecamatan_id = None
            if kecamatan is not None:
                kecamatan_id = parse_id(kecamatan)
                if kecamatan_id is None:
                    raise ValidationError({"kecamatan": ValidationError(
                        _("Kecamatan tidak ditemukan."), code="not_found")})
            nihil, created = services.file_nihil(user, date, kecamatan_id)
        except (ValidationError, PermissionDenied) as exc:
            return NihilReportPayload(nihil_report=None, created=False, errors=from_exception(exc))
        return NihilReportPayload(nihil_report=nihil, created=created, errors=[])


class Mutation(graphene.ObjectType):
    file_nihil_report = FileNihilReport.Field()
