"""Errors a mobile client can act on: a typed list of (field, code, message)
in the language of the request, never a stack trace."""

from enum import StrEnum

import graphene
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _


class ErrorCode(graphene.Enum):
    """Why a mutation changed nothing; `message` says it in the user's language."""

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

    @property
    def description(self):
        return ERROR_CODE_DOCS.get(self.name)


ERROR_CODE_DOCS = {
    "INVALID": "A value is not acceptable (format, range, length); `field` names it.",
    "REQUIRED": "A value that must be given is missing, empty or null.",
    "PERMISSION_DENIED": "You may not do this (or are not signed in).",
    "NOT_FOUND": "An id does not exist or is not visible to you (the same answer).",
    "INVALID_STATE": "Not possible in the report's current status (e.g. editing a report "
    "waiting for verification, withdrawing a draft).",
    "CONFLICT": "Someone changed it since you read it (expectedRevision), or lost a race; "
    "read it again.",
    "LOCKED": "Someone else holds the lock on it (a verifier is working on it).",
    "FILE_TYPE": "A file is not an accepted photo or document by its content.",
    "FILE_TOO_LARGE": "A file is larger than allowed.",
    "INVALID_CREDENTIALS": "Wrong username/password, or an invalid/expired token.",
    "LOCKED_OUT": "Too many failed sign-ins; try again later.",
}


class FieldError(graphene.ObjectType):
    field = graphene.String(
        description="Input field the error is about; null for the whole request."
    )
    code = graphene.Field(ErrorCode, required=True)
    message = graphene.String(required=True, description="In the language of the request.")

    class Meta:
        description = "Why a mutation changed nothing, one problem at a time."


KNOWN_CODES = {member.value for member in ErrorCode._meta.enum}
# Django's codes for an empty required value.
ALIASES = {"blank": "required", "null": "required"}


def _code(code):
    code = ALIASES.get(code, code)
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



class TransportCode(StrEnum):
    """`extensions.code` of errors outside a mutation's typed `errors` list:
    refusals of the request itself and errors of the GraphQL layer. Not part
    of the schema (extensions are free-form); listed here so the view, the
    tests and the README agree."""

    BAD_REQUEST = "BAD_REQUEST"
    BATCHING_DISABLED = "BATCHING_DISABLED"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"
    TOO_MANY_FILES = "TOO_MANY_FILES"
    INVALID_MULTIPART = "INVALID_MULTIPART"
    UNAUTHENTICATED = "UNAUTHENTICATED"
    CSRF = "CSRF"
    QUERY_TOO_LARGE = "QUERY_TOO_LARGE"
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    DEPTH_LIMIT = "DEPTH_LIMIT"
    COST_LIMIT = "COST_LIMIT"
    ALIAS_LIMIT = "ALIAS_LIMIT"
    PAGE_SIZE_LIMIT = "PAGE_SIZE_LIMIT"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    PERMISSION_DENIED = "PERMISSION_DENIED"
    PLUGIN_DISABLED = "PLUGIN_DISABLED"
    LOCKED_OUT = "LOCKED_OUT"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class RequestRefused(Exception):
    """A request the endpoint answers with one error and an HTTP status,
    before (or instead of) executing anything."""

    def __init__(self, code, message, status=400, headers=None):
        super().__init__(str(message))
        self.code = TransportCode(code)
        self.message = str(message)
        self.status = status
        self.headers = headers or {}

    def as_json(self, **extensions):
        return {"errors": [{"message": self.message,
                            "extensions": {"code": self.code.value, **extensions}}]}
