"""GraphQL: reports, through the report permission policy only."""

import datetime
from collections import defaultdict

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.translation import gettext as _
from graphql import GraphQLError
from wagtail.models import TaskState

from cms.platform.api.enums import choice_value, described_enum
from cms.platform.api.errors import FieldError, from_exception
from cms.platform.api.inputs import SEARCH_LIMIT, as_wita, parse_id, search_term
from cms.platform.api.pagination import Key, Ordering, connection_type, page_args, paginate
from cms.platform.api.selection import selected_node_fields
from cms.platform.api.uploads import Upload

from . import services
from .models import Aspek, Desa, JenisATHG, Kecamatan
from .permissions import laporan_policy
from .schema_inputs import ReportInput, ReportPatch, fields_from_input
from .schema_types import (
    AspekType,
    DesaType,
    JenisATHGType,
    JenisLampiranEnum,
    KecamatanType,
    KlasifikasiEnum,
    PeriodeEnum,
    StatusEnum,
    UrgensiEnum,
)
from .search import search as search_reports

VerifierActionEnum = described_enum(
    "VerifierAction",
    "What a verifier decided.",
    {
        "APPROVED": ("approved", "Verified the report."),
        "NEEDS_CHANGES": ("needs_changes", "Sent it back to the reporter for changes."),
    },
)
ReportOrderEnum = described_enum(
    "ReportOrder",
    "How a list of reports is ordered; every order is newest first.",
    {
        "NEWEST": (
            "newest",
            "By server time, newest first: when the report became visible (created, then "
            "first verified); with `mine: true`, when it was created. A report about an old "
            "event still appears on page 1 when it is new. The default.",
        ),
        "EVENT_TIME": ("event_time", "By `waktuKejadian` (when it happened), latest first."),
    },
)

_ID_KEY = Key("pk", kind=int)
ORDERINGS = {
    "newest": Ordering("terlihat", (Key("terlihat_sejak"), _ID_KEY)),
    "mine": Ordering("dibuat", (Key("dibuat"), _ID_KEY)),
    "event_time": Ordering("kejadian", (Key("waktu_kejadian"), _ID_KEY)),
}


class AttachmentType(graphene.ObjectType):
    id = graphene.ID(required=True)
    jenis = graphene.Field(JenisLampiranEnum, required=True)
    mime = graphene.String(required=True, description="MIME type, from the file's content.")
    ukuran = graphene.Int(required=True, description="Size in bytes.")
    keterangan = graphene.String(required=True, description="Caption.")
    url = graphene.String(
        required=True,
        description="The file, served after a permission check (send the bearer token).",
    )
    thumbnail_url = graphene.String(description="Photos only: a small JPEG.")

    class Meta:
        name = "Attachment"
        description = "A photo or document attached to a report."

    @staticmethod
    def resolve_jenis(lampiran, info):
        return lampiran.jenis

    @staticmethod
    def resolve_url(lampiran, info):
        return info.context.build_absolute_uri(reverse("reports:lampiran", args=[lampiran.pk]))

    @staticmethod
    def resolve_thumbnail_url(lampiran, info):
        if lampiran.jenis != "foto":
            return None
        url = reverse("reports:lampiran", args=[lampiran.pk]) + "?ukuran=thumb"
        return info.context.build_absolute_uri(url)


class VerifierCommentType(graphene.ObjectType):
    action = graphene.Field(VerifierActionEnum, required=True)
    comment = graphene.String(required=True)
    at = graphene.DateTime(required=True)

    class Meta:
        name = "VerifierComment"
        description = "A verifier's decision with its comment."


class GradingType(graphene.ObjectType):
    keandalan_sumber = graphene.String(
        required=True, description="Reliability of the source, Admiralty code A–F."
    )
    kredibilitas_informasi = graphene.String(
        required=True, description="Credibility of the information, Admiralty code 1–6."
    )

    class Meta:
        name = "Grading"
        description = "The verifier's grading of a report (Admiralty code)."


class ReporterType(graphene.ObjectType):
    id = graphene.ID(required=True)
    full_name = graphene.String(required=True)

    class Meta:
        name = "Reporter"
        description = "The officer who filed a report."

    @staticmethod
    def resolve_full_name(user, info):
        return user.get_full_name() or user.username


def _restricted(info, laporan):
    return laporan_policy.user_can_see_restricted(info.context.user, laporan)


class ReportType(graphene.ObjectType):
    id = graphene.ID(required=True)
    nomor = graphene.String(description="Reference number, given on first submission.")
    client_uuid = graphene.UUID(description="The UUID the reporter's app sent; reporter only.")
    judul = graphene.String(required=True)
    periode = graphene.Field(PeriodeEnum, required=True)
    jenis_athg = graphene.Field(JenisATHGType, required=True)
    aspek = graphene.Field(AspekType, required=True)
    urgensi = graphene.Field(UrgensiEnum, required=True)
    kecamatan = graphene.Field(KecamatanType, required=True)
    desa = graphene.Field(DesaType)
    latitude = graphene.Float()
    longitude = graphene.Float()
    akurasi_m = graphene.Int(description="Accuracy of the location in metres.")
    waktu_kejadian = graphene.DateTime(required=True, description="When it happened.")
    fakta = graphene.String(required=True)
    analisis = graphene.String(required=True)
    rekomendasi = graphene.String(required=True)
    klasifikasi = graphene.Field(KlasifikasiEnum, required=True)
    status = graphene.Field(StatusEnum, required=True)
    status_label = graphene.String(required=True, description="`status` in the UI language.")
    verified = graphene.Boolean(required=True)
    verified_at = graphene.DateTime(description="When it was first verified.")
    created_at = graphene.DateTime(required=True)
    updated_at = graphene.DateTime(required=True)
    revision = graphene.ID(
        description="The current revision, for `updateReport(expectedRevision:)`; only for "
        "viewers who may edit the report now."
    )
    attachments = graphene.List(graphene.NonNull(AttachmentType), required=True)
    editable = graphene.Boolean(required=True, description="May the viewer edit it now.")
    # Restricted: null unless the viewer is the reporter, a verifier of the
    # kecamatan, Pimpinan or an administrator.
    reporter = graphene.Field(ReporterType, description="Restricted.")
    sumber_informasi = graphene.String(description="Restricted.")
    grading = graphene.Field(GradingType, description="Restricted.")
    verifier_comments = graphene.List(
        graphene.NonNull(VerifierCommentType), description="Restricted."
    )
    incident = graphene.Field(
        "cms.followup.schema.IncidentType",
        description="The incident (kejadian) this report was linked to, if any.",
    )

    class Meta:
        name = "Report"
        description = (
            "An ATHG report in the uniform format. Content fields carry the report format's "
            "Indonesian names; meta fields are English. Restricted fields are null for "
            "viewers who are not the reporter, a verifier of its kecamatan, Pimpinan or an "
            "administrator."
        )

    @staticmethod
    def resolve_incident(laporan, info):
        from cms.followup.schema import incident_of

        return incident_of(laporan)

    @staticmethod
    def resolve_client_uuid(laporan, info):
        return laporan.client_uuid if laporan.pelapor_id == info.context.user.pk else None

    @staticmethod
    def resolve_periode(laporan, info):
        return laporan.periode

    @staticmethod
    def resolve_urgensi(laporan, info):
        return laporan.urgensi

    @staticmethod
    def resolve_klasifikasi(laporan, info):
        return laporan.klasifikasi

    @staticmethod
    def resolve_status(laporan, info):
        return laporan.status

    @staticmethod
    def resolve_status_label(laporan, info):
        return laporan.get_status_display()

    @staticmethod
    def resolve_verified(laporan, info):
        return laporan.live

    @staticmethod
    def resolve_verified_at(laporan, info):
        return laporan.first_published_at

    @staticmethod
    def resolve_created_at(laporan, info):
        return laporan.dibuat

    @staticmethod
    def resolve_updated_at(laporan, info):
        return laporan.diperbarui

    @staticmethod
    def resolve_revision(laporan, info):
        if laporan.latest_revision_id is None:
            return None
        if not laporan_policy.user_can_edit(info.context.user, laporan):
            return None
        return str(laporan.latest_revision_id)

    @staticmethod
    def resolve_attachments(laporan, info):
        return laporan.lampiran.all()

    @staticmethod
    def resolve_editable(laporan, info):
        return laporan_policy.user_can_edit(info.context.user, laporan)

    @staticmethod
    def resolve_reporter(laporan, info):
        return laporan.pelapor if _restricted(info, laporan) else None

    @staticmethod
    def resolve_sumber_informasi(laporan, info):
        return laporan.sumber_informasi if _restricted(info, laporan) else None

    @staticmethod
    def resolve_grading(laporan, info):
        if not _restricted(info, laporan):
            return None
        return getattr(laporan, "penilaian", None)

    @staticmethod
    def resolve_verifier_comments(laporan, info):
        if not _restricted(info, laporan):
            return None
        comments = getattr(laporan, "_verifier_comments", None)
        if comments is None:
            comments = _load_comments([laporan])[laporan.pk]
        return comments


def _load_comments(reports):
    """Verifier comments of many reports in one query."""
    by_report = defaultdict(list)
    ids = [str(r.pk) for r in reports]
    states = (
        TaskState.objects.filter(
            workflow_state__base_content_type__app_label="reports",
            workflow_state__base_content_type__model="laporan",
            workflow_state__object_id__in=ids,
            status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED],
        )
        .exclude(comment="")
        .values_list("workflow_state__object_id", "status", "comment", "finished_at")
        .order_by("finished_at")
    )
    for object_id, status, comment, finished_at in states:
        action = "approved" if status == TaskState.STATUS_APPROVED else "needs_changes"
        by_report[int(object_id)].append(
            VerifierCommentType(action=action, comment=comment, at=finished_at)
        )
    return by_report


ReportConnection = connection_type(ReportType, "Report", "reports")


def _reports_queryset(user, fields=None):
    """Reports the user may see, with the joins the selected `fields` need
    (all of them when `fields` is None)."""
    wanted = (lambda name: True) if fields is None else fields.__contains__
    reports = laporan_policy.visible_to(user).select_related("kecamatan", "aspek", "jenis_athg")
    if wanted("reporter"):
        reports = reports.select_related("pelapor")
    if wanted("grading"):
        reports = reports.select_related("penilaian")
    if wanted("desa"):
        reports = reports.select_related("desa__kecamatan")
    if wanted("attachments"):
        reports = reports.prefetch_related("lampiran")
    if wanted("incident"):
        reports = reports.select_related("tautan_kejadian__kejadian")
    return reports


def _event_bound(value, argument):
    try:
        # The database compares in UTC; years 1 and 9999 do not survive that.
        return as_wita(value).astimezone(datetime.UTC)
    except OverflowError as exc:
        raise GraphQLError(
            _("Waktu di luar rentang yang dapat dipakai."),
            extensions={"code": "BAD_USER_INPUT", "argument": argument},
        ) from exc


def _event_range(reports, event_from, event_to):
    if event_from is not None:
        reports = reports.filter(waktu_kejadian__gte=_event_bound(event_from, "eventFrom"))
    if event_to is not None:
        reports = reports.filter(waktu_kejadian__lt=_event_bound(event_to, "eventTo"))
    return reports


class Query(graphene.ObjectType):
    reports = graphene.Field(
        ReportConnection,
        required=True,
        description="Reports the viewer may see, a page at a time (cursor paging).",
        order_by=ReportOrderEnum(default_value="newest"),
        mine=graphene.Boolean(default_value=False, description="Only reports I filed."),
        kecamatan=graphene.String(description="Kecamatan slug."),
        aspek=graphene.String(description="Aspek slug."),
        jenis_athg=graphene.String(description="Jenis ATHG slug."),
        status=StatusEnum(),
        urgensi=UrgensiEnum(),
        event_from=graphene.DateTime(
            description="Only events at or after this time (no offset: WITA)."
        ),
        event_to=graphene.DateTime(description="Only events before this time (no offset: WITA)."),
        search=graphene.String(
            description=f"Words in the title, facts or number; at most {SEARCH_LIMIT} characters."
        ),
        **page_args(),
    )
    report = graphene.Field(
        ReportType,
        id=graphene.ID(required=True),
        description="A report the viewer may see; null otherwise (as for an unknown id).",
    )
    kecamatan_list = graphene.List(graphene.NonNull(KecamatanType), required=True)
    desa_list = graphene.List(
        graphene.NonNull(DesaType),
        required=True,
        kecamatan=graphene.String(description="Kecamatan slug; null: every desa."),
    )
    aspek_list = graphene.List(graphene.NonNull(AspekType), required=True)
    jenis_athg_list = graphene.List(graphene.NonNull(JenisATHGType), required=True)

    @staticmethod
    def resolve_reports(
        root, info, first, order_by, mine, after=None, kecamatan=None, aspek=None,
        jenis_athg=None, status=None, urgensi=None, event_from=None, event_to=None, search=None,
    ):
        user = info.context.user
        order = choice_value(order_by)
        ordering = ORDERINGS["mine" if mine and order == "newest" else order]
        search = search_term(search)
        fields = selected_node_fields(info)
        reports = _reports_queryset(user, fields)
        if mine:
            reports = reports.filter(pelapor=user) if user.is_authenticated else reports.none()
        if kecamatan:
            reports = reports.filter(kecamatan__slug=kecamatan)
        if aspek:
            reports = reports.filter(aspek__slug=aspek)
        if jenis_athg:
            reports = reports.filter(jenis_athg__slug=jenis_athg)
        if status:
            reports = reports.filter(status=choice_value(status))
        if urgensi:
            reports = reports.filter(urgensi=choice_value(urgensi))
        reports = _event_range(reports, event_from, event_to)
        reports = search_reports(reports, search)
        page = paginate(reports, ordering, first, after)
        # Comments are restricted: anonymous viewers never get any, so skip the query.
        if "verifierComments" in fields and user.is_authenticated and page.nodes:
            comments = _load_comments(page.nodes)
            for laporan in page.nodes:
                laporan._verifier_comments = comments[laporan.pk]
        return page

    @staticmethod
    def resolve_report(root, info, id):
        pk = parse_id(id)
        if pk is None:
            return None
        return _reports_queryset(info.context.user).filter(pk=pk).first()

    @staticmethod
    def resolve_kecamatan_list(root, info):
        return Kecamatan.objects.all()

    @staticmethod
    def resolve_desa_list(root, info, kecamatan=None):
        desa = Desa.objects.select_related("kecamatan")
        return desa.filter(kecamatan__slug=kecamatan) if kecamatan else desa

    @staticmethod
    def resolve_aspek_list(root, info):
        return Aspek.objects.all()

    @staticmethod
    def resolve_jenis_athg_list(root, info):
        return JenisATHG.objects.all()


class ReportPayload(graphene.ObjectType):
    report = graphene.Field(ReportType, description="The report after the change; null on errors.")
    errors = graphene.List(
        graphene.NonNull(FieldError),
        required=True,
        description="Why nothing was changed; empty on success.",
    )

    class Meta:
        description = "The result of a report mutation."


def _officer(info):
    user = info.context.user
    if not user.is_authenticated:
        raise PermissionDenied(_("Masuk terlebih dahulu."))
    return user


def _run(info, action):
    """Run a service call and turn refusals into typed errors; nothing is
    written when it fails."""
    try:
        laporan = action()
    except (ValidationError, PermissionDenied) as exc:
        return ReportPayload(report=None, errors=from_exception(exc))
    report = _reports_queryset(info.context.user).filter(pk=laporan.pk).first()
    return ReportPayload(report=report, errors=[])


def _own_report(info, id, field="id"):
    user = _officer(info)
    pk = parse_id(id)
    laporan = laporan_policy.visible_to(user).filter(pk=pk).first() if pk is not None else None
    if laporan is None:
        raise ValidationError(
            {field: ValidationError(_("Laporan tidak ditemukan."), code="not_found")}
        )
    return user, laporan


def _editable_state(user, laporan):
    """The reporter may see but not edit their report in this state: a
    refusal about the state, not about who they are."""
    if laporan.pelapor_id == user.pk and not laporan_policy.user_can_edit(user, laporan):
        raise ValidationError(
            _("Laporan dengan status %(status)s tidak dapat diubah.")
            % {"status": laporan.get_status_display()},
            code="invalid_state",
        )


def _state_refusal(exc):
    """withdraw and submit refuse without a code only because of the
    report's state; say so with INVALID_STATE (the transition service gives
    its refusals a code of their own, which is kept)."""
    if hasattr(exc, "error_dict"):
        return exc
    return ValidationError(
        [ValidationError(e.message, code=e.code or "invalid_state", params=e.params)
         for e in exc.error_list]
    )


class SubmitReport(graphene.Mutation):
    """File a report with attachments (GraphQL multipart request spec). The
    client UUID makes a retry return the same report, never a duplicate:
    a UUID you used before returns that report as it is, and the input of the
    repeated call is ignored."""

    class Arguments:
        client_uuid = graphene.UUID(
            required=True, description="Made by the app once per report; reuse it on retries."
        )
        input = ReportInput(required=True)
        attachments = graphene.List(
            graphene.NonNull(Upload), default_value=[], description="Files; null: none."
        )
        submit = graphene.Boolean(
            default_value=True, description="False keeps it as a draft; null: true."
        )

    Output = ReportPayload

    @staticmethod
    def mutate(root, info, client_uuid, input, attachments, submit):
        def action():
            user = _officer(info)
            return services.create_report(
                user,
                client_uuid=client_uuid,
                uploads=attachments,
                submit=submit,
                **fields_from_input(input),
            )

        return _run(info, action)


class UpdateReport(graphene.Mutation):
    """Change a draft or a report sent back for changes; attachments are
    added (removeAttachment takes one off)."""

    class Arguments:
        id = graphene.ID(required=True)
        input = ReportPatch(required=True)
        attachments = graphene.List(
            graphene.NonNull(Upload), default_value=[], description="Files to add; null: none."
        )
        expected_revision = graphene.ID(
            description="`Report.revision` as the app last read it: if the report changed "
            "since, nothing is written and the error is CONFLICT. Null: no check."
        )

    Output = ReportPayload

    @staticmethod
    def mutate(root, info, id, input, attachments, expected_revision=None):
        def action():
            user, laporan = _own_report(info, id)
            _editable_state(user, laporan)
            check = {}
            if expected_revision is not None:
                revision = parse_id(expected_revision)
                if revision is None:
                    raise ValidationError({"expected_revision": ValidationError(
                        _("Revisi tidak dikenal."), code="conflict"
                    )})
                check["expected_revision"] = revision
            return services.update_report(
                laporan, user, uploads=attachments, **check,
                **fields_from_input(input, patch=True),
            )

        return _run(info, action)


class RemoveAttachment(graphene.Mutation):
    """Take an attachment off a report you may still edit (draft, or sent
    back for changes). The change is kept in the report's history."""

    class Arguments:
        report_id = graphene.ID(required=True)
        attachment_id = graphene.ID(required=True)

    Output = ReportPayload

    @staticmethod
    def mutate(root, info, report_id, attachment_id):
        def action():
            user, laporan = _own_report(info, report_id, field="report_id")
            _editable_state(user, laporan)
            pk = parse_id(attachment_id)
            if pk is None:
                raise ValidationError({"attachment_id": ValidationError(
                    _("Lampiran tidak ditemukan."), code="not_found"
                )})
            return services.remove_attachment(laporan, user, pk)

        return _run(info, action)


class ResubmitReport(graphene.Mutation):
    """Send a draft, or a report that was sent back, to verification."""

    class Arguments:
        id = graphene.ID(required=True)

    Output = ReportPayload

    @staticmethod
    def mutate(root, info, id):
        def action():
            user, laporan = _own_report(info, id)
            try:
                return services.submit(laporan, user)
            except ValidationError as exc:
                raise _state_refusal(exc) from exc

        return _run(info, action)


class WithdrawReport(graphene.Mutation):
    """Take a report back out of verification; it becomes a draft again."""

    class Arguments:
        id = graphene.ID(required=True)

    Output = ReportPayload

    @staticmethod
    def mutate(root, info, id):
        def action():
            user, laporan = _own_report(info, id)
            try:
                return services.withdraw(laporan, user)
            except ValidationError as exc:
                raise _state_refusal(exc) from exc

        return _run(info, action)


class Mutation(graphene.ObjectType):
    submit_report = SubmitReport.Field()
    update_report = UpdateReport.Field()
    remove_attachment = RemoveAttachment.Field()
    resubmit_report = ResubmitReport.Field()
    withdraw_report = WithdrawReport.Field()

