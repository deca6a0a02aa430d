"""GraphQL: reports, through the report permission policy only."""

from collections import defaultdict
from decimal import Decimal

import graphene
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from wagtail.models import TaskState

from cms.api.errors import FieldError, from_exception
from cms.api.pagination import page_args, page_type, paginate
from cms.api.selection import selected_fields
from cms.api.uploads import Upload

from . import services
from .models import Aspek, Desa, JenisATHG, Kecamatan
from .models.laporan import Klasifikasi, Periode, Status, Urgensi
from .permissions import laporan_policy
from .schema_types import AspekType, DesaType, JenisATHGType, KecamatanType

PeriodeEnum = graphene.Enum.from_enum(Periode)
UrgensiEnum = graphene.Enum.from_enum(Urgensi)
KlasifikasiEnum = graphene.Enum.from_enum(Klasifikasi)
StatusEnum = graphene.Enum.from_enum(Status)


class AttachmentType(graphene.ObjectType):
    id = graphene.ID(required=True)
    jenis = graphene.String(required=True, description="foto or dokumen")
    mime = graphene.String(required=True)
    ukuran = graphene.Int(required=True, description="Size in bytes.")
    keterangan = graphene.String(required=True)
    url = graphene.String(required=True, description="Served after a permission check.")
    thumbnail_url = graphene.String(description="Photos only.")

    class Meta:
        name = "Attachment"

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
    action = graphene.String(required=True, description="approved or needs_changes")
    comment = graphene.String(required=True)
    at = graphene.DateTime(required=True)

    class Meta:
        name = "VerifierComment"


class GradingType(graphene.ObjectType):
    keandalan_sumber = graphene.String(required=True, description="Admiralty A–F")
    kredibilitas_informasi = graphene.String(required=True, description="Admiralty 1–6")

    class Meta:
        name = "Grading"


class ReporterType(graphene.ObjectType):
    id = graphene.ID(required=True)
    full_name = graphene.String(required=True)

    class Meta:
        name = "Reporter"

    @staticmethod
    def resolve_full_name(user, info):
        return user.get_full_name() or user.username


def _restricted(info, laporan):
    return laporan_policy.user_can_see_restricted(info.context.user, laporan)


class ReportType(graphene.ObjectType):
    id = graphene.ID(required=True)
    nomor = graphene.String()
    client_uuid = graphene.UUID()
    judul = graphene.String(required=True)
    periode = graphene.Field(PeriodeEnum, required=True)
    jenis_athg = graphene.Field(JenisATHGType, required=True)
    aspek = graphene.Field(AspekType, required=True)
    urgensi = graphene.Field(UrgensiEnum, required=True)
    kecamatan = graphene.Field(KecamatanType, required=True)
    desa = graphene.Field(DesaType)
    latitude = graphene.Float()
    longitude = graphene.Float()
    akurasi_m = graphene.Int()
    waktu_kejadian = graphene.DateTime(required=True)
    fakta = graphene.String(required=True)
    analisis = graphene.String(required=True)
    rekomendasi = graphene.String(required=True)
    klasifikasi = graphene.Field(KlasifikasiEnum, required=True)
    status = graphene.Field(StatusEnum, required=True)
    status_label = graphene.String(required=True)
    verified = graphene.Boolean(required=True)
    verified_at = graphene.DateTime()
    updated_at = graphene.DateTime(required=True)
    attachments = graphene.List(graphene.NonNull(AttachmentType), required=True)
    editable = graphene.Boolean(required=True, description="May the viewer edit it now.")
    # Restricted: null unless the viewer is the reporter, a verifier of the
    # kecamatan, Pimpinan or an administrator.
    reporter = graphene.Field(ReporterType)
    sumber_informasi = graphene.String()
    grading = graphene.Field(GradingType)
    verifier_comments = graphene.List(graphene.NonNull(VerifierCommentType))
    incident = graphene.Field(
        "cms.followup.schema.IncidentType",
        description="The incident (kejadian) this report was linked to, if any.",
    )

    class Meta:
        name = "Report"

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
    def resolve_updated_at(laporan, info):
        return laporan.diperbarui

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


ReportPageResult = page_type(ReportType, "ReportPage")


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


class Query(graphene.ObjectType):
    reports = graphene.Field(
        ReportPageResult,
        required=True,
        kecamatan=graphene.String(description="Kecamatan slug."),
        aspek=graphene.String(description="Aspek slug."),
        jenis_athg=graphene.String(description="Jenis ATHG slug."),
        status=StatusEnum(),
        urgensi=UrgensiEnum(),
        mine=graphene.Boolean(description="Only reports I filed."),
        search=graphene.String(),
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
        kecamatan=graphene.String(description="Kecamatan slug."),
    )
    aspek_list = graphene.List(graphene.NonNull(AspekType), required=True)
    jenis_athg_list = graphene.List(graphene.NonNull(JenisATHGType), required=True)

    @staticmethod
    def resolve_reports(
        root,
        info,
        page,
        page_size,
        kecamatan=None,
        aspek=None,
        jenis_athg=None,
        status=None,
        urgensi=None,
        mine=False,
        search=None,
    ):
        user = info.context.user
        fields = selected_fields(info, "items")
        reports = _reports_queryset(user, fields)
        if kecamatan:
            reports = reports.filter(kecamatan__slug=kecamatan)
        if aspek:
            reports = reports.filter(aspek__slug=aspek)
        if jenis_athg:
            reports = reports.filter(jenis_athg__slug=jenis_athg)
        if status:
            reports = reports.filter(status=getattr(status, "value", status))
        if urgensi:
            reports = reports.filter(urgensi=getattr(urgensi, "value", urgensi))
        if mine:
            reports = reports.filter(pelapor=user) if user.is_authenticated else reports.none()
        if search:
            reports = reports.filter(
                Q(judul__icontains=search) | Q(fakta__icontains=search) | Q(nomor__icontains=search)
            )
        result = paginate(reports.order_by("-waktu_kejadian", "-pk"), page, page_size)
        # Comments are restricted: anonymous viewers never get any, so skip the query.
        if "verifierComments" in fields and user.is_authenticated:
            comments = _load_comments(result["items"])
            for laporan in result["items"]:
                laporan._verifier_comments = comments[laporan.pk]
        return result

    @staticmethod
    def resolve_report(root, info, id):
        if not str(id).isdigit():
            return None
        return _reports_queryset(info.context.user).filter(pk=id).first()

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


class ReportInput(graphene.InputObjectType):
    judul = graphene.String()
    periode = PeriodeEnum()
    jenis_athg = graphene.ID(description="JenisATHG id.")
    aspek = graphene.ID(description="Aspek id.")
    urgensi = UrgensiEnum()
    kecamatan = graphene.ID(description="Kecamatan id.")
    desa = graphene.ID(description="Desa id.")
    latitude = graphene.Float()
    longitude = graphene.Float()
    akurasi_m = graphene.Int()
    waktu_kejadian = graphene.DateTime()
    fakta = graphene.String()
    analisis = graphene.String()
    rekomendasi = graphene.String()
    sumber_informasi = graphene.String()
    klasifikasi = KlasifikasiEnum()


FOREIGN_KEYS = {"jenis_athg": JenisATHG, "aspek": Aspek, "kecamatan": Kecamatan, "desa": Desa}


def _fields_from_input(data):
    """Model values from a ReportInput; unknown ids become field errors."""
    fields, errors = {}, {}
    for name, value in data.items():
        if name in FOREIGN_KEYS:
            if value is None:
                fields[name] = None
                continue
            model = FOREIGN_KEYS[name]
            instance = model.objects.filter(pk=value).first() if str(value).isdigit() else None
            if instance is None:
                errors[name] = ValidationError(
                    _("%(model)s dengan id %(id)s tidak ditemukan.")
                    % {"model": model._meta.verbose_name, "id": value},
                    code="not_found",
                )
            fields[name] = instance
        elif name in ("latitude", "longitude"):
            fields[name] = None if value is None else Decimal(str(round(value, 6)))
        else:
            fields[name] = getattr(value, "value", value)
    if errors:
        raise ValidationError(errors)
    return fields


class ReportPayload(graphene.ObjectType):
    report = graphene.Field(ReportType)
    errors = graphene.List(graphene.NonNull(FieldError), required=True)


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
    return ReportPayload(report=_reports_queryset(info.context.user).get(pk=laporan.pk), errors=[])


def _own_report(info, id):
    user = _officer(info)
    laporan = laporan_policy.visible_to(user).filter(pk=id).first() if str(id).isdigit() else None
    if laporan is None:
        raise ValidationError(
            {"id": ValidationError(_("Laporan tidak ditemukan."), code="not_found")}
        )
    return user, laporan


class SubmitReport(graphene.Mutation):
    """File a report with attachments (GraphQL multipart request spec). The
    client UUID makes a retry return the same report, never a duplicate."""

    class Arguments:
        client_uuid = graphene.UUID(required=True)
        input = ReportInput(required=True)
        attachments = graphene.List(graphene.NonNull(Upload), default_value=[])
        submit = graphene.Boolean(default_value=True, description="False keeps it as a draft.")

    Output = ReportPayload

    @staticmethod
    def mutate(root, info, client_uuid, input, attachments=(), submit=True):
        def action():
            user = _officer(info)
            return services.create_report(
                user,
                client_uuid=client_uuid,
                uploads=attachments,
                submit=submit,
                **_fields_from_input(input),
            )

        return _run(info, action)


class UpdateReport(graphene.Mutation):
    """Change a draft or a report sent back for changes; attachments are added."""

    class Arguments:
        id = graphene.ID(required=True)
        input = ReportInput(required=True)
        attachments = graphene.List(graphene.NonNull(Upload), default_value=[])

    Output = ReportPayload

    @staticmethod
    def mutate(root, info, id, input, attachments=()):
        def action():
            user, laporan = _own_report(info, id)
            return services.update_report(
                laporan, user, uploads=attachments, **_fields_from_input(input)
            )

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
            return services.submit(laporan, user)

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
            return services.withdraw(laporan, user)

        return _run(info, action)


class Mutation(graphene.ObjectType):
    submit_report = SubmitReport.Field()
    update_report = UpdateReport.Field()
    resubmit_report = ResubmitReport.Field()
    withdraw_report = WithdrawReport.Field()

