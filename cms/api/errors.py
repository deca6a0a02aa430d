"""Errors a mobile client can act on: a typed list of (field, code, message)
in the language of the request, never a stack trace."""

import graphene
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class ErrorCode(graphene.Enum):
    INVALID = "invalid"
    REQUIRED = "required"
    PERMISSION_DENIED = "permission_denied"
    NOT_FOUND = "not_found"
    INVALID_STATE = "invalid_state"
    CONFLICT = "conflict"
    LOCKED = "locked"
    FILE_TYPE = "file_type"
    FILE_TOO_LARGE = "file_too_large"
    INVALID_CREDENTIALS = "invalid_credentials"
    LOCKED_OUT = "locked_out"


class FieldError(graphene.ObjectType):
    field = graphene.String(
        description="Input field the error is about; null for the whole request."
    )
    code = graphene.Field(ErrorCode, required=True)
    message = graphene.String(required=True)


KNOWN_CODES = {member.value for member in ErrorCode._meta.enum}


def _code(code):
    return code if code in KNOWN_CODES else ErrorCode.INVALID.value


def from_exception(exc):
    """FieldErrors for a ValidationError or PermissionDenied."""
    if isinstance(exc, PermissionDenied):
        return [
            FieldError(
                field=None,
                code="permission_denied",
                message=str(exc) or _("Anda tidak memiliki izin untuk tindakan ini."),
            )
        ]
    errors = []
    if hasattr(exc, "error_dict"):
        for field, field_errors in exc.error_dict.items():
            for error in field_errors:
                errors.append(
                    FieldError(
                        field=None if field == "__all__" else _camel(field),
                        code=_code(error.code),
                        message=" ".join(error.messages),
                    )
                )
    else:
        for error in exc.error_list:
            errors.append(
                FieldError(field=None, code=_code(error.code), message=" ".join(error.messages))
            )
    return errors


def error(code, message, field=None):
    return [FieldError(field=field, code=code, message=str(message))]


def _camel(name):
    head, *rest = name.split("_")
    return head + "".join(part.title() for part in rest)

