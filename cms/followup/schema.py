"""GraphQL of the follow-up: agency members list what was forwarded to them
and record their steps; Pimpinan and administrators issue and withdraw
dispositions; a report's incident. Reads go through the report permission
policy; writes through cms/followup/transitions.py."""

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F, Prefetch
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cms.platform.api.errors import FieldError, from_exception
from cms.platform.api.inputs import parse_id
from cms.platform.api.pagination import Key, Ordering, connection_type, page_args, paginate
from cms.platform.api.uploads import Upload
from cms.reports.permissions import laporan_policy
from cms.reports.schema import ReportType

from . import transitions
from .models import (
    OPEN_STATUSES,
    Disposisi,
    Instansi,
    Kejadian,
    LangkahTindakLanjut,
    Prioritas,
    StatusKejadian,
    StatusTindakLanjut,
    TindakLanjut,
)

PrioritasEnum = graphene.Enum.from_enum(Prioritas, name="DispositionPriority")
StatusTindakLanjutEnum = graphene.Enum.from_enum(StatusTindakLanjut, name="FollowUpStatus")
StatusKejadianEnum = graphene.Enum.from_enum(StatusKejadian, name="IncidentStatus")


def _value(enum_value):
    return getattr(enum_value, "value", enum_value)


class AgencyType(graphene.ObjectType):
    id = graphene.ID(required=True)
    nama = graphene.String(required=True)
    singkatan = graphene.String(required=True)
    jenis = graphene.String(required=True)

    class Meta:
        name = "Agency"


class StepAttachmentType(graphene.ObjectType):
    id = graphene.ID(required=True)
    jenis = graphene.String(required=True)
    mime = graphene.String(required=True)
    ukuran = graphene.Int(required=True)
    url = graphene.String(required=True, description="Served after a permission check.")

    class Meta:
        name = "FollowUpAttachment"

    @staticmethod
    def resolve_url(item, info):
        return info.context.build_absolute_uri(reverse("followup:lampiran", args=[item.pk]))


class FollowUpStepType(graphene.ObjectType):
    id = graphene.ID(required=True)
    status = graphene.Field(StatusTindakLanjutEnum, required=True)
    note = graphene.String(required=True)
    by = graphene.String(required=True, description="Name of who recorded it.")
    at = graphene.DateTime(required=True)
    attachments = graphene.List(graphene.NonNull(StepAttachmentType), required=True)

    class Meta:
        name = "FollowUpStep"

    @staticmethod
    def resolve_status(step, info):
        return step.status

    @staticmethod
    def resolve_note(step, info):
        return step.catatan

    @staticmethod
    def resolve_by(step, info):
        return step.oleh.get_full_name() or step.oleh.get_username()

    @staticmethod
    def resolve_at(step, info):
        return step.waktu

    @staticmethod
    def resolve_attachments(step, info):
        return step.lampiran.all()


class FollowUpType(graphene.ObjectType):
    """One agency's follow-up of a disposition."""

    id = graphene.ID(required=True)
    agency = graphene.Field(AgencyType, required=True)
    status = graphene.Field(StatusTindakLanjutEnum, required=True)
    status_label = graphene.String(required=True)
    updated_at = graphene.DateTime(required=True)
    overdue = graphene.Boolean(required=True, description="Open after the due date.")
    handed_over_from = graphene.Field(AgencyType)
    steps = graphene.List(graphene.NonNull(FollowUpStepType), required=True)
    disposition = graphene.Field(lambda: DispositionType, required=True)

    class Meta:
        name = "FollowUp"

    @staticmethod
    def resolve_agency(item, info):
        return item.instansi

    @staticmethod
    def resolve_status(item, info):
        return item.status

    @staticmethod
    def resolve_status_label(item, info):
        return item.get_status_display()

    @staticmethod
    def resolve_updated_at(item, info):
        return item.diperbarui

    @staticmethod
    def resolve_overdue(item, info):
        return item.terbuka and item.disposisi.aktif and item.disposisi.batas_waktu < timezone.now()

    @staticmethod
    def resolve_handed_over_from(item, info):
        return item.dialihkan_dari.instansi if item.dialihkan_dari_id else None

    @staticmethod
    def resolve_steps(item, info):
        return item.langkah.all()

    @staticmethod
    def resolve_disposition(item, info):
        return item.disposisi


def _visible_follow_ups(user, disposisi):
    """The issuer's side sees every agency's follow-up; a member only their
    own agencies'."""
    items = list(disposisi.tindak_lanjut.all())
    if transitions.may_issue(user):
        return items
    return [item for item in items if transitions.is_member(user, item.instansi)]


class DispositionType(graphene.ObjectType):
    id = graphene.ID(required=True)
    report = graphene.Field(ReportType, required=True)
    instruction = graphene.String(required=True)
    priority = graphene.Field(PrioritasEnum, required=True)
    due_at = graphene.DateTime(required=True)
    shares_restricted = graphene.Boolean(
        required=True, description="The agencies also see the reporter and the source."
    )
    issued_at = graphene.DateTime(required=True)
    issued_by = graphene.String(required=True)
    withdrawn = graphene.Boolean(required=True)
    follow_ups = graphene.List(graphene.NonNull(FollowUpType), required=True)

    class Meta:
        name = "Disposition"

    @staticmethod
    def resolve_report(item, info):
        return item.laporan

    @staticmethod
    def resolve_instruction(item, info):
        return item.instruksi

    @staticmethod
    def resolve_priority(item, info):
        return item.prioritas

    @staticmethod
    def resolve_due_at(item, info):
        return item.batas_waktu

    @staticmethod
    def resolve_shares_restricted(item, info):
        return item.bagikan_terbatas

    @staticmethod
    def resolve_issued_at(item, info):
        return item.dibuat

    @staticmethod
    def resolve_issued_by(item, info):
        return item.dibuat_oleh.get_full_name() or item.dibuat_oleh.get_username()

    @staticmethod
    def resolve_withdrawn(item, info):
        return not item.aktif

    @staticmethod
    def resolve_follow_ups(item, info):
        return _visible_follow_ups(info.context.user, item)


class IncidentType(graphene.ObjectType):
    id = graphene.ID(required=True)
    title = graphene.String(required=True)
    status = graphene.Field(StatusKejadianEnum, required=True)
    reports = graphene.List(
        graphene.NonNull(ReportType), required=True,
        description="The incident's reports the viewer may see.",
    )
    url = graphene.String(description="The public page, when it has public reports.")

    class Meta:
        name = "Incident"

    @staticmethod
    def resolve_title(item, info):
        return item.judul

    @staticmethod
    def resolve_status(item, info):
        return item.status

    @staticmethod
    def resolve_reports(item, info):
        return laporan_policy.visible_to(info.context.user).filter(
            tautan_kejadian__kejadian=item
        ).select_related("kecamatan", "aspek", "jenis_athg").order_by("waktu_kejadian", "pk")

    @staticmethod
    def resolve_url(item, info):
        return info.context.build_absolute_uri(item.get_absolute_url())


def incident_of(laporan):
    """For Report.incident (cms/reports/schema.py)."""
    tautan = getattr(laporan, "tautan_kejadian", None)
    return tautan.kejadian if tautan is not None else None


FollowUpConnection = connection_type(
    FollowUpType, "FollowUp", "follow-ups addressed to my agencies"
)
# Earliest due first: what an agency must do next is on top.
BY_DUE = Ordering("batas", (Key("batas", descending=False), Key("pk", descending=False, kind=int)))


def _steps_prefetch():
    steps = LangkahTindakLanjut.objects.select_related("oleh").prefetch_related("lampiran")
    return Prefetch("langkah", queryset=steps)


def my_follow_ups(user):
    """Follow-ups addressed to the user's agencies, of dispositions in force,
    of reports the policy lets them see."""
    if not laporan_policy.is_instansi(user):
        return TindakLanjut.objects.none()
    return (
        TindakLanjut.objects.filter(
            instansi__anggota=user, instansi__aktif=True,
            disposisi__dicabut_pada__isnull=True,
            disposisi__laporan__in=laporan_policy.visible_to(user),
        )
        .select_related(
            "instansi", "dialihkan_dari__instansi", "disposisi__dibuat_oleh",
            "disposisi__laporan__kecamatan", "disposisi__laporan__aspek",
            "disposisi__laporan__jenis_athg", "disposisi__laporan__pelapor",
        )
        .prefetch_related(_steps_prefetch(), "disposisi__laporan__lampiran")
        .order_by("disposisi__batas_waktu", "pk")
    )


class Query(graphene.ObjectType):
    my_follow_ups = graphene.Field(
        FollowUpConnection, required=True, open=graphene.Boolean(description="Only open ones."),
        **page_args(),
        description="Agency members: what was forwarded to my agencies, earliest due first.",
    )
    dispositions = graphene.List(
        graphene.NonNull(DispositionType), required=True,
        report_id=graphene.ID(required=True),
        description="Dispositions of a report: all for Pimpinan and administrators, those "
                    "addressing my agencies for agency members.",
    )
    agencies = graphene.List(
        graphene.NonNull(AgencyType), required=True,
        description="Active agencies (for issuing a disposition).",
    )
    incident = graphene.Field(IncidentType, id=graphene.ID(required=True))

    @staticmethod
    def resolve_my_follow_ups(root, info, first=None, after=None, open=None):
        # The due time as a column of its own, so the cursor can name it.
        items = my_follow_ups(info.context.user).annotate(batas=F("disposisi__batas_waktu"))
        if open:
            items = items.filter(status__in=OPEN_STATUSES)
        return paginate(items, BY_DUE, first, after)

    @staticmethod
    def resolve_dispositions(root, info, report_id):
        user = info.context.user
        laporan = (
            laporan_policy.visible_to(user).filter(pk=parse_id(report_id)).first()
            if parse_id(report_id) is not None else None
        )
        if laporan is None:
            return []
        follow_ups = TindakLanjut.objects.select_related(
            "instansi", "dialihkan_dari__instansi"
        ).prefetch_related(_steps_prefetch())
        dispositions = laporan.disposisi.select_related("dibuat_oleh", "laporan").prefetch_related(
            Prefetch("tindak_lanjut", queryset=follow_ups)
        ).order_by("-dibuat", "-pk")
        if transitions.may_issue(user):
            return dispositions
        if not laporan_policy.is_instansi(user):
            return []
        return dispositions.filter(
            dicabut_pada__isnull=True, tindak_lanjut__instansi__anggota=user,
            tindak_lanjut__instansi__aktif=True,
        ).distinct()

    @staticmethod
    def resolve_agencies(root, info):
        if not info.context.user.is_authenticated:
            return []
        return Instansi.objects.filter(aktif=True)

    @staticmethod
    def resolve_incident(root, info, id):
        incident = Kejadian.objects.filter(pk=id).first() if parse_id(id) is not None else None
        if incident is None or not laporan_policy.visible_to(info.context.user).filter(
            tautan_kejadian__kejadian=incident
        ).exists():
            return None
        return incident


def _signed_in(info):
    user = info.context.user
    if not user.is_authenticated:
        raise PermissionDenied(_("Masuk terlebih dahulu."))
    return user


class DispositionPayload(graphene.ObjectType):
    disposition = graphene.Field(DispositionType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    class Meta:
        name = "DispositionPayload"


class FollowUpPayload(graphene.ObjectType):
    follow_up = graphene.Field(FollowUpType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    class Meta:
        name = "FollowUpPayload"


class IncidentLinkPayload(graphene.ObjectType):
    report = graphene.Field(ReportType, description="The report, as the caller now sees it.")
    incident = graphene.Field(
        IncidentType, description="The incident the report is now in; null after unlinking."
    )
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    class Meta:
        name = "IncidentLinkPayload"


# The service names its fields in Indonesian; a client gets its own argument.
INCIDENT_FIELDS = {"id": "reportId", "laporan": "reportId", "kejadian": "incidentId",
                   "judul": "title"}


def _incident_errors(exc):
    errors = from_exception(exc)
    for item in errors:
        item.field = INCIDENT_FIELDS.get(item.field, item.field)
    return errors


def _report_after(user, laporan_pk):
    return laporan_policy.visible_to(user).select_related("tautan_kejadian__kejadian") \
        .filter(pk=laporan_pk).first()


def _incident_ids(values, field):
    """Ids as the service takes them; a malformed one is NOT_FOUND like an
    id nobody may see."""
    ids = [parse_id(value) for value in values]
    if any(value is None for value in ids):
        raise ValidationError({field: ValidationError(
            _("Laporan tidak ditemukan."), code="not_found")})
    return ids


class LinkReportToIncident(graphene.Mutation):
    """Verifiers (reports of their kecamatan) and administrators (any) link a
    report to an incident: to an existing one (incidentId), or to a new one
    with the other reports of the same event (withReportIds) and a title. A
    report is in at most one incident: one already in another is
    INVALID_STATE (unlink it first)."""

    class Arguments:
        report_id = graphene.ID(required=True)
        incident_id = graphene.ID(description="An existing incident; omit to create one.")
        with_report_ids = graphene.List(
            graphene.NonNull(graphene.ID), default_value=[],
            description="Other reports of the same event, linked in the same step "
                        "(at least one when a new incident is created).",
        )
        title = graphene.String(description="The new incident's title (required for a new one).")

    Output = IncidentLinkPayload

    @staticmethod
    def mutate(root, info, report_id, incident_id=None, with_report_ids=(), title=None):
        try:
            user = _signed_in(info)
            (report_pk,) = _incident_ids([report_id], "report_id")
            others = _incident_ids(with_report_ids or (), "with_report_ids")
            if incident_id is not None and parse_id(incident_id) is None:
                raise ValidationError({"incident_id": ValidationError(
                    _("Kejadian tidak ditemukan."), code="not_found")})
            kejadian = transitions.link(
                user, list(dict.fromkeys([report_pk, *others])),
                kejadian_pk=parse_id(incident_id) if incident_id is not None else None,
                judul=title or "",
            )
        except (ValidationError, PermissionDenied) as exc:
            return IncidentLinkPayload(report=None, incident=None, errors=_incident_errors(exc))
        return IncidentLinkPayload(
            report=_report_after(user, report_pk),
            incident=Kejadian.objects.get(pk=kejadian.pk), errors=[],
        )


class UnlinkReportFromIncident(graphene.Mutation):
    """Take a report out of its incident (the same people who may link it)."""

    class Arguments:
        report_id = graphene.ID(required=True)

    Output = IncidentLinkPayload

    @staticmethod
    def mutate(root, info, report_id):
        try:
            user = _signed_in(info)
            (report_pk,) = _incident_ids([report_id], "report_id")
            transitions.unlink(user, report_pk)
        except (ValidationError, PermissionDenied) as exc:
            return IncidentLinkPayload(report=None, incident=None, errors=_incident_errors(exc))
        return IncidentLinkPayload(report=_report_after(user, report_pk), incident=None,
                                   errors=[])


class IncidentPayload(graphene.ObjectType):
    incident = graphene.Field(IncidentType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)

    class Meta:
        name = "IncidentPayload"


class SetIncidentStatus(graphene.Mutation):
    """Mark an incident SELESAI (or AKTIF again): verifiers when every report
    of it is of their kecamatan, administrators always."""

    class Arguments:
        id = graphene.ID(required=True)
        status = StatusKejadianEnum(required=True)

    Output = IncidentPayload

    @staticmethod
    def mutate(root, info, id, status):
        try:
            kejadian = transitions.set_incident_status(_signed_in(info), id, _value(status))
        except (ValidationError, PermissionDenied) as exc:
            errors = _incident_errors(exc)
            for item in errors:
                item.field = "id" if item.field == "incidentId" else item.field
            return IncidentPayload(incident=None, errors=errors)
        return IncidentPayload(incident=Kejadian.objects.get(pk=kejadian.pk), errors=[])


class IssueDisposition(graphene.Mutation):
    """Pimpinan and administrators forward a verified report to agencies."""

    class Arguments:
        report_id = graphene.ID(required=True)
        instruction = graphene.String(required=True)
        agency_ids = graphene.List(graphene.NonNull(graphene.ID), required=True)
        due_at = graphene.DateTime(required=True)
        priority = PrioritasEnum(default_value=Prioritas.BIASA.value)
        share_restricted = graphene.Boolean(default_value=False)

    Output = DispositionPayload

    @staticmethod
    def mutate(root, info, report_id, instruction, agency_ids, due_at, priority=None,
               share_restricted=False):
        try:
            user = _signed_in(info)
            if not parse_id(report_id) is not None:
                raise ValidationError({"report_id": ValidationError(
                    _("Laporan tidak ditemukan."), code="not_found")})
            disposisi = transitions.issue(
                int(report_id), user, instruksi=instruction, instansi_ids=agency_ids,
                batas_waktu=due_at, prioritas=_value(priority) or Prioritas.BIASA,
                bagikan_terbatas=share_restricted,
            )
        except (ValidationError, PermissionDenied) as exc:
            return DispositionPayload(disposition=None, errors=from_exception(exc))
        return DispositionPayload(disposition=disposisi, errors=[])


class WithdrawDisposition(graphene.Mutation):
    """Withdraw a disposition: the agencies no longer see the report."""

    class Arguments:
        id = graphene.ID(required=True)
        reason = graphene.String(required=True)

    Output = DispositionPayload

    @staticmethod
    def mutate(root, info, id, reason):
        try:
            disposisi = transitions.withdraw(id, _signed_in(info), reason)
        except (ValidationError, PermissionDenied) as exc:
            return DispositionPayload(disposition=None, errors=from_exception(exc))
        return DispositionPayload(disposition=Disposisi.objects.get(pk=disposisi.pk), errors=[])


class RecordFollowUpStep(graphene.Mutation):
    """An agency member records the next step: DITERIMA, DITANGANI (as often
    as needed), SELESAI, or DIALIHKAN to another agency (handOverTo)."""

    class Arguments:
        follow_up_id = graphene.ID(required=True)
        status = StatusTindakLanjutEnum(required=True)
        note = graphene.String(required=True)
        hand_over_to = graphene.ID(description="The agency taking over (DIALIHKAN only).")
        attachments = graphene.List(graphene.NonNull(Upload), default_value=[])

    Output = FollowUpPayload

    @staticmethod
    def mutate(root, info, follow_up_id, status, note, hand_over_to=None, attachments=()):
        try:
            langkah = transitions.record_step(
                follow_up_id, _signed_in(info), status=_value(status), catatan=note,
                uploads=attachments, ke_instansi_id=hand_over_to,
            )
        except (ValidationError, PermissionDenied) as exc:
            return FollowUpPayload(follow_up=None, errors=from_exception(exc))
        follow_up = TindakLanjut.objects.select_related("instansi", "disposisi").prefetch_related(
            _steps_prefetch()
        ).get(pk=langkah.tindak_lanjut_id)
        return FollowUpPayload(follow_up=follow_up, errors=[])


class Mutation(graphene.ObjectType):
    issue_disposition = IssueDisposition.Field()
    withdraw_disposition = WithdrawDisposition.Field()
    record_follow_up_step = RecordFollowUpStep.Field()
    link_report_to_incident = LinkReportToIncident.Field()
    unlink_report_from_incident = UnlinkReportFromIncident.Field()
    set_incident_status = SetIncidentStatus.Field()
