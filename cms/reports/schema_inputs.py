"""GraphQL inputs of a report and their conversion to model values.

`ReportInput` (create) marks what a report cannot be filed without as
non-null; `ReportPatch` (update) has only optional fields: absent means
"unchanged", null means "clear" where the report format allows an empty
value (text becomes "", a desa or a location is removed) and is refused
with REQUIRED where it does not."""

from decimal import Decimal

import graphene
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from cms.platform.api.enums import choice_value
from cms.platform.api.inputs import as_wita, parse_id

from .models import Aspek, Desa, JenisATHG, Kecamatan
from .models.laporan import Klasifikasi, Periode, Urgensi, event_time_too_old
from .schema_types import KlasifikasiEnum, PeriodeEnum, UrgensiEnum

FOREIGN_KEYS = {"jenis_athg": JenisATHG, "aspek": Aspek, "kecamatan": Kecamatan, "desa": Desa}
# Fields that may be emptied: null means "" for text and "none" for the others.
BLANK_TEXT = ("analisis", "rekomendasi", "sumber_informasi")
NULLABLE = ("desa", "latitude", "longitude", "akurasi_m")

WAKTU_DOC = (
    "When it happened. A time without a UTC offset is read as WITA (Asia/Makassar, "
    "+08:00). At most 5 minutes in the future; a new report's event at most "
    "SIKANDA_EVENT_MAX_AGE_DAYS (366) days back."
)
LOCATION_DOC = (
    "Degrees (WGS 84). Latitude and longitude go together; inside SIKANDA_BOUNDING_BOX "
    "(Kalimantan Selatan: latitude -4.2 to -1.3, longitude 114.3 to 116.6)."
)
TEXT_DOC = "At most 20,000 characters."


def _fields(required):
    """The input fields; `required` marks what a new report must have."""

    def need(field_type, **kwargs):
        return field_type(required=required, **kwargs)

    return {
        "judul": need(graphene.String, description="Title, at most 200 characters."),
        "periode": PeriodeEnum(
            **({"default_value": Periode.INSIDENTIL.value} if required else {})
        ),
        "jenis_athg": need(graphene.ID, description="A `JenisATHG` id (MasterData)."),
        "aspek": need(graphene.ID, description="An `Aspek` id (MasterData)."),
        "urgensi": UrgensiEnum(**({"default_value": Urgensi.SEDANG.value} if required else {})),
        "kecamatan": need(
            graphene.ID, description="A `Kecamatan` id the reporter is assigned to (`me`)."
        ),
        "desa": graphene.ID(description="A `Desa` id of that kecamatan; null: none."),
        "latitude": graphene.Float(description=LOCATION_DOC),
        "longitude": graphene.Float(description=LOCATION_DOC),
        "akurasi_m": graphene.Int(description="Accuracy of the location in metres (GPS)."),
        "waktu_kejadian": need(graphene.DateTime, description=WAKTU_DOC),
        "fakta": need(
            graphene.String, description="What happened: who, what, where, when, how. " + TEXT_DOC
        ),
        "analisis": graphene.String(
            description="The reporter's assessment. " + TEXT_DOC,
            **({"default_value": ""} if required else {}),
        ),
        "rekomendasi": graphene.String(
            description="Recommended action. " + TEXT_DOC,
            **({"default_value": ""} if required else {}),
        ),
        "sumber_informasi": graphene.String(
            description="Source of the information; restricted, never shown to guests. "
            + TEXT_DOC,
            **({"default_value": ""} if required else {}),
        ),
        "klasifikasi": KlasifikasiEnum(
            **({"default_value": Klasifikasi.TERBATAS.value} if required else {})
        ),
    }


ReportInput = type(
    "ReportInput",
    (graphene.InputObjectType,),
    {
        **_fields(required=True),
        "Meta": type(
            "Meta",
            (),
            {
                "description": "A new report in the uniform format. Optional fields sent as "
                "null take their default."
            },
        ),
    },
)

ReportPatch = type(
    "ReportPatch",
    (graphene.InputObjectType,),
    {
        **_fields(required=False),
        "Meta": type(
            "Meta",
            (),
            {
                "description": "Changes to a report: a field left out stays as it is; null "
                "empties analisis, rekomendasi, sumberInformasi, desa, the location and "
                "akurasiM, and is refused with REQUIRED for every other field."
            },
        ),
    },
)


def fields_from_input(data, patch=False):
    """Model values from a ReportInput (or, with `patch`, a ReportPatch);
    every problem becomes a field error, all of them at once."""
    fields, errors = {}, {}
    for name, value in data.items():
        if value is None:
            if name in BLANK_TEXT:
                fields[name] = ""
            elif name in NULLABLE:
                fields[name] = None
            elif patch:
                errors[name] = ValidationError(_("Kolom ini wajib diisi."), code="required")
            # Create: an optional field sent as null takes the model's default.
            continue
        if name in FOREIGN_KEYS:
            model = FOREIGN_KEYS[name]
            pk = parse_id(value)
            instance = model.objects.filter(pk=pk).first() if pk is not None else None
            if instance is None:
                errors[name] = ValidationError(
                    _("%(model)s dengan id %(id)s tidak ditemukan.")
                    % {"model": model._meta.verbose_name, "id": str(value)[:40]},
                    code="not_found",
                )
            fields[name] = instance
        elif name in ("latitude", "longitude"):
            fields[name] = Decimal(str(round(value, 6)))
        elif name == "waktu_kejadian":
            fields[name] = as_wita(value)
            # A new report's window is checked by the model; a change here.
            if patch and (problem := event_time_too_old(fields[name])):
                errors[name] = ValidationError(problem, code="invalid")
        elif isinstance(value, str):
            # As Django's form fields do: a title of spaces is an empty title.
            fields[name] = value.strip()
            if not fields[name] and name not in BLANK_TEXT:
                errors[name] = ValidationError(_("Kolom ini wajib diisi."), code="required")
        else:
            fields[name] = choice_value(value)
    if errors:
        raise ValidationError(errors)
    return fields

